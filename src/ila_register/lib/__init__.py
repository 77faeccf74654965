"""Shared building blocks: domain exceptions, problem details, auth, clock and common types."""
