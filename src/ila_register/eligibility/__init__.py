"""Eligibility: funding schemes and their published rules, the rules engine, review workflow."""
