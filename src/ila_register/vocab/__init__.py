"""Controlled vocabularies: loaders and namespaces for the data in the repository's vocab/."""
