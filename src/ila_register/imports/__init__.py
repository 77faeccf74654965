"""Bulk submission: JSON Lines, CSV and ELM LOQ XML files, read streaming and applied record by record."""
