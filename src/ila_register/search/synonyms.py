"""Cross-language synonyms (vocab/synonyms.toml): groups of words that mean the same field."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ila_register.search.text import fold, tokens
from ila_register.vocab.lists import VocabError


@dataclass(frozen=True, slots=True)
class Synonyms:
    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def load(cls, path: Path) -> Synonyms:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise VocabError(f"{path}: synonyms file is missing") from None
        except tomllib.TOMLDecodeError as error:
            raise VocabError(f"{path}: {error}") from None
        groups = []
        for index, group in enumerate(raw.get("groups", []), start=1):
            terms = group.get("terms") if isinstance(group, dict) else None
            if not isinstance(terms, list) or len(terms) < 2 or not all(isinstance(t, str) and t for t in terms):
                raise VocabError(f"{path}: group {index} needs `terms`, a list of at least two words")
            groups.append(tuple(terms))
        return cls(tuple(groups))

    def for_meilisearch(self) -> dict[str, list[str]]:
        """Meilisearch's mutual-synonym form: every word maps to the others of its group."""
        mapping: dict[str, list[str]] = {}
        for group in self.groups:
            for term in group:
                others = [t for t in group if t != term]
                mapping.setdefault(term.lower(), [])
                mapping[term.lower()] += [o.lower() for o in others if o.lower() not in mapping[term.lower()]]
        return mapping

    def folded(self) -> Mapping[str, frozenset[str]]:
        """Single folded words -> their folded single-word synonyms (for the embedded engine)."""
        mapping: dict[str, set[str]] = {}
        for group in self.groups:
            words = {fold(t) for t in group if len(tokens(t)) == 1}
            for word in words:
                mapping.setdefault(word, set()).update(words - {word})
        return {k: frozenset(v) for k, v in mapping.items()}
