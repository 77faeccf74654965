"""Offers: training, career guidance and validation opportunities, with sessions and history."""
