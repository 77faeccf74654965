"""Deterministic demo data: fictitious providers, offers and review decisions."""
