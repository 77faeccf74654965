"""Training providers: registration, identity (KBO/BCE or foreign identifiers), API tokens."""
