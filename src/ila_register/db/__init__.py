"""Persistence: the engine, transactions, ORM models and Alembic migrations."""
