"""The vocabulary registry: every code list named in vocab/lists.toml, loaded once."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ila_register.vocab.lists import CodeList, Term, VocabError, load_code_list


@dataclass(frozen=True, slots=True)
class ListInfo:
    name: str
    file: str
    description: str
    source: str
    # The SKOS concept scheme of the list's URIs, needed when exporting ELM (skos:inScheme).
    concept_scheme: str | None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All code lists by name; the single source of valid codes for validation and export."""

    lists: Mapping[str, CodeList]
    info: Mapping[str, ListInfo]

    def __getitem__(self, name: str) -> CodeList:
        return self.lists[name]

    def __iter__(self) -> Iterator[CodeList]:
        return iter(self.lists.values())

    def term(self, list_name: str, code: str) -> Term | None:
        return self.lists[list_name].get(code)

    def concept_scheme(self, list_name: str) -> str | None:
        return self.info[list_name].concept_scheme

    @classmethod
    def load(cls, directory: Path) -> Vocabulary:
        """Load every list named in ``lists.toml``; raise ``VocabError`` with a clear message."""
        manifest_path = directory / "lists.toml"
        try:
            manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise VocabError(f"{manifest_path}: vocabulary manifest is missing") from None
        except tomllib.TOMLDecodeError as error:
            raise VocabError(f"{manifest_path}: {error}") from None
        lists: dict[str, CodeList] = {}
        info: dict[str, ListInfo] = {}
        for name, entry in manifest.items():
            if not isinstance(entry, dict) or "file" not in entry:
                raise VocabError(f"{manifest_path}: [{name}] needs a `file`")
            info[name] = ListInfo(
                name=name,
                file=str(entry["file"]),
                description=str(entry.get("description", "")),
                source=str(entry.get("source", "")),
                concept_scheme=entry.get("concept_scheme"),
            )
            code_list = load_code_list(
                directory / info[name].file, description=info[name].description, source=info[name].source
            )
            lists[name] = CodeList(
                name=name, description=code_list.description, terms=code_list.terms, source=code_list.source
            )
        vocabulary = cls(lists=lists, info=info)
        vocabulary._check_references(manifest_path)
        return vocabulary

    def _check_references(self, manifest_path: Path) -> None:
        # A `parent` column must name a code of the same list (ISCED-F, NUTS hierarchies).
        for code_list in self.lists.values():
            for term in code_list:
                parent = term.extra.get("parent")
                if parent and parent not in code_list:
                    raise VocabError(
                        f"{manifest_path.parent / self.info[code_list.name].file}: "
                        f"{term.code!r} has unknown parent {parent!r}"
                    )
