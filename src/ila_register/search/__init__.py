"""Citizen search: one interface, an embedded backend and a Meilisearch backend, fed by the outbox."""
