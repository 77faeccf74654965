"""The vocabulary registry: every code list named in vocab/lists.toml, loaded once."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ila_register.vocab.lists import CodeList, Term, VocabError, load_code_list, load_esco_labels


@dataclass(frozen=True, slots=True)
class ListInfo:
    name: str
    file: str
    description: str
    source: str
    # The SKOS concept scheme of the list's URIs, needed when exporting ELM (skos:inScheme).
    concept_scheme: str | None
    # Codes that are not exactly an official concept are published as the register's own concepts.
    register_concepts: bool = False
    # The title of the register's own concept scheme for this list, per language.
    scheme_title: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All code lists by name; the single source of valid codes for validation and export."""

    lists: Mapping[str, CodeList]
    info: Mapping[str, ListInfo]
    # The official label(s) of every official concept the lists use, by language (official-labels.csv).
    official_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # ESCO's labels of the skills and occupations the register knows (esco.csv), per language.
    esco_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> CodeList:
        return self.lists[name]

    def __iter__(self) -> Iterator[CodeList]:
        return iter(self.lists.values())

    def term(self, list_name: str, code: str) -> Term | None:
        return self.lists[list_name].get(code)

    def province_codes(self) -> dict[str, str]:
        """A province's name (``west-vlaanderen``) -> its NUTS code, as search and the cost take it."""
        return {
            t.extra["province"]: t.code
            for t in self.lists["nuts-be"]
            if t.extra.get("province") and t.extra.get("level") == "2"
        }

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
                register_concepts=bool(entry.get("register_concepts", False)),
                scheme_title={str(k): str(v) for k, v in entry.get("scheme_title", {}).items()},
            )
            code_list = load_code_list(
                directory / info[name].file, description=info[name].description, source=info[name].source
            )
            lists[name] = CodeList(
                name=name, description=code_list.description, terms=code_list.terms, source=code_list.source
            )
        vocabulary = cls(
            lists=lists,
            info=info,
            official_labels=_official_labels(directory / OFFICIAL_LABELS),
            esco_labels=load_esco_labels(directory / "esco.csv"),
        )
        vocabulary._check_references(manifest_path)
        vocabulary._check_concepts(manifest_path)
        vocabulary._check_issuers(manifest_path)
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

    def _check_issuers(self, manifest_path: Path) -> None:
        # Every quality label names the body that grants it (label-issuers.csv).
        if "quality-labels" not in self.lists or "label-issuers" not in self.lists:
            return
        for term in self.lists["quality-labels"]:
            issuer = term.extra.get("issuer", "")
            if issuer not in self.lists["label-issuers"]:
                raise VocabError(
                    f"{manifest_path.parent / self.info['quality-labels'].file}: "
                    f"{term.code!r} has unknown issuer {issuer!r} (not in label-issuers)"
                )

    def _check_concepts(self, manifest_path: Path) -> None:
        # One register code, one official concept: two codes that both *are* the same official
        # concept would give it two labels; a finer notion must say how it matches instead.
        for code_list in self.lists.values():
            where = manifest_path.parent / self.info[code_list.name].file
            official: dict[str, str] = {}
            for term in code_list:
                if term.is_official and term.uri is not None:
                    if term.uri in official:
                        raise VocabError(
                            f"{where}: {official[term.uri]!r} and {term.code!r} are both exactly {term.uri}; "
                            "give the finer one a `match` (close, broad, narrow, related)"
                        )
                    official[term.uri] = term.code
                elif term.match and not self.info[code_list.name].register_concepts:
                    raise VocabError(
                        f"{where}: {term.code!r} matches {term.uri} only {term.match}ly, but the list does "
                        "not publish register concepts (register_concepts = true in lists.toml)"
                    )


OFFICIAL_LABELS = "official-labels.csv"


def _official_labels(path: Path) -> dict[str, dict[str, str]]:
    """uri → language → official label (built from the official code lists by scripts/build_official_labels.py)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            labels: dict[str, dict[str, str]] = {}
            for row in csv.DictReader(handle):
                labels.setdefault(row["uri"], {})[row["language"]] = row["label"]
            return labels
    except FileNotFoundError:
        raise VocabError(f"{path}: the official labels are missing (python scripts/build_official_labels.py)") from None
    except (KeyError, csv.Error) as error:
        raise VocabError(f"{path}: unreadable ({error})") from None
