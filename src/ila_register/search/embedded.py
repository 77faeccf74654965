"""The embedded search backend: a tantivy index in a directory of its own, no server needed.

Chosen over SQLite FTS5 by measurement (benchmarks/RESULTS.md): tantivy ranks with early
termination, filters and counts facets on columnar fast fields, and has fuzzy term queries and
Snowball stemmers, so it answers the same query API as Meilisearch in a few milliseconds at
100,000 offers.

Text is indexed twice: folded (lower case, accents removed) for exact, typo-tolerant and prefix
matching across languages, and stemmed per language (nl/fr/de/en) so that plural and singular
forms meet. Rebuilds write a new index directory and switch the ``CURRENT`` pointer file
atomically; searches notice the switch and never see an empty or half-built index.
"""

from __future__ import annotations

import html
import logging
import math
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import msgspec
import tantivy
from rapidfuzz.distance import OSA

from ila_register.eligibility.cost import CLASS_KEY
from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.kernel.text import LANGUAGES
from ila_register.search.documents import SearchDocument, distance_km, nearest_place
from ila_register.search.interface import (
    FACETABLE,
    FILTERABLE,
    PER_SITUATION,
    AnyOf,
    Condition,
    Either,
    Hit,
    Near,
    Progress,
    SearchQuery,
    SearchResult,
)
from ila_register.search.lexicon import MIN_PART, Lexicon, Plan, Unit
from ila_register.search.relaxation import relax
from ila_register.search.stemming import fold_analyzer, stem, stem_analyzer
from ila_register.search.text import allowed_typos, corrected, fold, nearest, trusted

logger = logging.getLogger(__name__)

# Fast fields, all derived from the one list of filterable attributes (booleans are kept as the
# keywords "true"/"false"), and the place's coordinates for the bounding box of a ``Near``.
KEYWORD_FIELDS = tuple(name for name, kind in FILTERABLE.items() if kind in (str, bool))
INTEGER_FIELDS = tuple(name for name, kind in FILTERABLE.items() if kind is int and name not in PER_SITUATION)
FLOAT_FIELDS = (*(name for name, kind in FILTERABLE.items() if kind is float), "lat", "lon")
# Ranking: every word a document matches (of those relaxed away) outweighs any text score, as in
# Meilisearch's "words" rule; the query's language then counts like a good title match.
WORD_MATCHED = 1000.0
IN_PAGE_LANGUAGE = 40.0  # taught in the reader's language
IN_QUERY_LANGUAGE = 4.0  # taught in the language the words are in, when that is another
# An offer's first places are kept in fast fields (lat/lon, lat_1/lon_1 …); one with more is read whole.
FAST_PLACES = 4
# A geographic query looks at no more candidates than this inside its bounding box.
GEO_CANDIDATES = 50_000
WRITER_HEAP = 64_000_000
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(SearchDocument)
_WORD = re.compile(r"\w+")


def _schema(cost_classes: Iterable[str] = ()) -> tantivy.Schema:
    """The index's fields; ``cost_classes``: one integer field per situation class for ``you_pay``
    (so an index written for other classes, under other funding, has another schema)."""
    builder = tantivy.SchemaBuilder()
    for name in ("title_all", "body_all", "provider", "other", "parts"):
        builder.add_text_field(name, stored=False, tokenizer_name="fold")
    builder.add_text_field("concepts", stored=False, tokenizer_name="raw")
    builder.add_text_field("described", stored=False, tokenizer_name="raw")
    for language in LANGUAGES:
        builder.add_text_field(f"title_{language}", stored=False, tokenizer_name=f"stem_{language}")
        builder.add_text_field(f"body_{language}", stored=False, tokenizer_name=f"stem_{language}")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    for name in INTEGER_FIELDS:
        builder.add_integer_field(name, stored=False, indexed=True, fast=True)
    for name in FLOAT_FIELDS:
        builder.add_float_field(name, stored=False, indexed=True, fast=True)
    builder.add_boolean_field("reachable_online", stored=False, indexed=False, fast=True)
    builder.add_integer_field("place_count", stored=False, indexed=False, fast=True)
    for n in range(1, FAST_PLACES):  # the first place is lat/lon (indexed for the bounding box)
        builder.add_float_field(f"lat_{n}", stored=False, indexed=False, fast=True)
        builder.add_float_field(f"lon_{n}", stored=False, indexed=False, fast=True)
    for key in sorted(cost_classes):
        builder.add_integer_field(_per_situation("you_pay", key), stored=False, indexed=True, fast=True)
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_bytes_field("document", stored=True)
    return builder.build()


def _per_situation(attribute: str, situation_class: str | None) -> str:
    """The field of an attribute with a value per situation class (``you_pay_k…``)."""
    if situation_class is None or not CLASS_KEY.fullmatch(situation_class):
        raise ValueError(f"{attribute!r} needs a situation class")
    return f"{attribute}_{situation_class}"


def _open(path: Path, schema: tantivy.Schema) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path), reuse=True)
    index.register_tokenizer("fold", fold_analyzer())
    for language in LANGUAGES:
        index.register_tokenizer(f"stem_{language}", stem_analyzer(language))
    return index


def _tantivy_document(document: SearchDocument, lexicon: Lexicon, cost_classes: frozenset[str]) -> tantivy.Document:
    doc = tantivy.Document()
    _add_text(doc, document, lexicon)
    for name in ("kind", "type", "mode", "schedule", "provider_id"):
        if (value := getattr(document, name)) is not None:
            doc.add_text(name, value)
    for name in ("languages", "schemes", "statuses", "regions", "postcodes", "isced"):
        for value in getattr(document, name):
            doc.add_text(name, value)
    doc.add_text("free", "true" if document.free else "false")
    doc.add_text("online", "true" if document.online else "false")
    doc.add_boolean("reachable_online", document.online)
    if document.eqf is not None:
        doc.add_integer("eqf", document.eqf)
    if document.next_start is not None:
        doc.add_integer("next_start", document.next_start)
    for day in document.start_dates:
        doc.add_integer("start_dates", day)
    doc.add_float("price", float(document.price))
    doc.add_float("hours", float(document.hours))
    for place in document.places:  # every session's place: the box finds an offer by any of them
        doc.add_float("lat", place.lat)
        doc.add_float("lon", place.lng)
    for n, place in enumerate(document.places[1:FAST_PLACES], start=1):  # and the exact circle without reading it
        doc.add_float(f"lat_{n}", place.lat)
        doc.add_float(f"lon_{n}", place.lng)
    doc.add_integer("place_count", len(document.places))
    for key, cents in document.you_pay.items():
        if key in cost_classes:  # the index's classes (a document of other funding is refilled)
            doc.add_integer(_per_situation("you_pay", key), cents)
    doc.add_text("id", document.id)
    doc.add_bytes("document", _encoder.encode(document))
    return doc


def _add_text(doc: tantivy.Document, document: SearchDocument, lexicon: Lexicon) -> None:
    """The searched text: per language (stemmed), all languages (folded), concepts and compound parts."""
    competences = lexicon.competences(document.esco)
    concepts, described, parts = lexicon.offer_terms(
        document.subjects(competences), document.texts(("description",)), stem
    )
    for concept in sorted(concepts):
        doc.add_text("concepts", concept)
    for concept in sorted(described):
        doc.add_text("described", concept)
    if parts:
        doc.add_text("parts", " ".join(parts))
    titles = [t for lang in LANGUAGES if (t := getattr(document, f"title_{lang}"))]
    for language in LANGUAGES:
        title = getattr(document, f"title_{language}")
        texts = (
            getattr(document, f"outcomes_{language}"),
            competences.get(language),
            getattr(document, f"description_{language}"),
        )
        body = " ".join(v for v in texts if v)
        if title:
            doc.add_text(f"title_{language}", title)
        if body:
            doc.add_text(f"body_{language}", body)
            doc.add_text("body_all", body)
    doc.add_text("title_all", " ".join(titles))
    doc.add_text("provider", document.provider_name)
    doc.add_text("other", " ".join([document.reference, *document.municipalities]))


@dataclass(frozen=True, slots=True)
class _Words:
    """What the citizen typed, as the index sees it, for matching and highlighting."""

    folded: tuple[str, ...]
    stems: Mapping[str, tuple[tuple[str, ...], ...]]  # language -> stems of each word
    related: frozenset[str] = frozenset()  # the folded words of the concepts the query names
    parts: frozenset[str] = frozenset()  # the words that may be a part of a compound in the text


@dataclass(frozen=True, slots=True)
class _Relaxed:
    """The text part of a query after relaxation: what is required, what only ranks, what was ignored."""

    required: tuple[tantivy.Query, ...]
    ranking: tuple[tantivy.Query, ...]
    ignored: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # the words no offer has, and the lexicon does not know: typos?


class EmbeddedSearch:
    """tantivy with typo tolerance, stemming, synonyms, facets and geographic filters."""

    name = "embedded"

    def __init__(self, path: Path, lexicon: Lexicon | None = None, cost_classes: Sequence[str] = ()) -> None:
        self.root = path
        self.lexicon = lexicon or Lexicon()
        self.cost_classes = frozenset(cost_classes)
        self.schema = _schema(self.cost_classes)
        self._fold = fold_analyzer()
        self._stem = {language: stem_analyzer(language) for language in LANGUAGES}
        self._lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._index_dir: Path | None = None
        self._pointer_seen: int | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._reloaded_at = 0.0

    # -- where the live index is -------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.root / "CURRENT"

    def _live_dir(self) -> Path:
        try:
            return self.root / self._pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return self.root / "index-1"

    def _current(self) -> tantivy.Index:
        """The live index, reopened when a rebuild switched the pointer, reloaded when written to."""
        with self._lock:
            try:
                stamp = self._pointer.stat().st_mtime_ns
            except FileNotFoundError:
                stamp = None
            if self._index is None or stamp != self._pointer_seen:
                self._close_writer()
                self._index_dir = self._live_dir()
                self._index = _open(self._index_dir, self.schema)
                self._pointer_seen = stamp
                self._reloaded_at = 0.0
            now = time.monotonic()
            if now - self._reloaded_at > 0.05:  # another process may have committed
                self._index.reload()
                self._reloaded_at = now
            return self._index

    def _writer_for(self, index: tantivy.Index) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = index.writer(WRITER_HEAP, 1)
        return self._writer

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    # -- SearchIndex ---------------------------------------------------------------------------

    def prepare(self) -> bool:
        """Create the index; one written by a version with other fields is replaced by an empty one.

        Returns ``True`` then, so that the caller fills it from the database (``Services.prepare_search``).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        if not self._pointer.exists():
            _open(self.root / "index-1", self.schema)
            self._switch_to("index-1")
        try:
            self._current()
        except ValueError as error:
            if "schema does not match" not in str(error):
                raise
            with self._lock:
                live = self._live_dir()
                number = int(live.name.rsplit("-", 1)[-1]) + 1 if live.name.startswith("index-") else 1
                logger.warning("search index %s has the fields of another version: starting index-%d", live, number)
                shutil.rmtree(self.root / f"index-{number}", ignore_errors=True)
                _open(self.root / f"index-{number}", self.schema)
                self._switch_to(f"index-{number}")
                self._index = None
            self._current()
            return True
        return False

    def _switch_to(self, directory: str) -> None:
        temporary = self.root / "CURRENT.tmp"
        temporary.write_text(directory, encoding="utf-8")
        os.replace(temporary, self._pointer)

    def read_language(self, text: str, default: str) -> str:
        return self.lexicon.plan(text, default, stem).language

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        latest = {d.id: d for d in documents}  # the last state of each offer wins, as in a replay
        expected: dict[str, bytes | None] = {i: _encoder.encode(d) for i, d in latest.items()}

        def write(writer: tantivy.IndexWriter) -> None:
            for document in latest.values():
                writer.delete_documents_by_term("id", document.id)
                writer.add_document(_tantivy_document(document, self.lexicon, self.cost_classes))

        self._write("upsert", write, expected)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return

        def write(writer: tantivy.IndexWriter) -> None:
            for document_id in ids:
                writer.delete_documents_by_term("id", document_id)

        self._write("delete", write, dict.fromkeys(ids))

    def _write(
        self, action: str, write: Callable[[tantivy.IndexWriter], None], expected: Mapping[str, bytes | None]
    ) -> None:
        """Apply ``write`` and commit; returns only once the live index holds ``expected``.

        A writer whose commit failed (a full disk) is never used again: tantivy would accept the
        next batch into it and "commit" without writing it, so the caller would mark changes as
        applied that no search can find. The commit is then read back: every upserted document
        is there exactly once with its new content, every deleted one is gone; otherwise
        ``ServiceUnavailable`` is raised and the caller keeps its events pending.
        """
        with self._lock:
            try:
                index = self._current()
                writer = self._writer_for(index)
                write(writer)
                writer.commit()
                self._close_writer()  # the next batch may be written by another process
                index.reload()
                wrong = self._differences(index, expected)
            except (OSError, ValueError) as error:
                self._discard_writer()
                logger.warning("embedded search %s failed: %s", action, str(error))
                raise ServiceUnavailable(
                    f"The embedded search index could not be written ({_write_failure(error)}); "
                    "the changes stay pending and are retried."
                ) from error
            if wrong:
                logger.warning("embedded search %s: %d documents not as committed: %s", action, len(wrong), wrong[:5])
                raise ServiceUnavailable(
                    f"The embedded search index did not keep {len(wrong)} of the documents just written; "
                    "the changes stay pending and are retried."
                )

    def _differences(self, index: tantivy.Index, expected: Mapping[str, bytes | None]) -> list[str]:
        """Ids whose stored state in the live index is not ``expected`` (None: absent)."""
        searcher = index.searcher()
        query = tantivy.Query.term_set_query(self.schema, "id", list(expected))
        found = searcher.search(query, limit=max(1, 2 * len(expected)))
        stored: dict[str, list[bytes]] = {}
        for _score, address in found.hits:
            doc = searcher.doc(address)
            stored.setdefault(doc["id"][0], []).append(doc["document"][0])
        return [
            doc_id
            for doc_id, body in expected.items()
            if (stored.get(doc_id, []) != [body] if body is not None else doc_id in stored)
        ]

    def _discard_writer(self) -> None:
        """Drop the writer without committing, and release the index's writer lock now.

        ``wait_merging_threads`` consumes the writer (whatever still refers to the Python
        object, a traceback for instance), so the next batch can open a fresh one.
        """
        writer, self._writer = self._writer, None
        if writer is None:
            return
        for release in (writer.rollback, writer.wait_merging_threads):
            try:
                release()
            except ValueError as error:  # already broken: dropping it is all that is left
                logger.debug("embedded search: releasing a failed writer: %s", error)

    def documents(self, ids: Sequence[str] | None = None) -> Iterator[SearchDocument]:
        """The stored documents (all, or those of ``ids``), as the index holds them."""
        searcher = self._current().searcher()
        if ids is None:
            query, limit = tantivy.Query.all_query(), max(1, searcher.num_docs)
        else:
            if not ids:
                return
            query, limit = tantivy.Query.term_set_query(self.schema, "id", list(ids)), max(1, 2 * len(ids))
        for _score, address in searcher.search(query, limit=limit).hits:
            yield _decoder.decode(searcher.doc(address)["document"][0])

    def document_ids(self) -> set[str]:
        """Every document id in the live index (consistency checks after a crash)."""
        searcher = self._current().searcher()
        found = searcher.search(tantivy.Query.all_query(), limit=max(1, searcher.num_docs))
        return {searcher.doc(address)["id"][0] for _score, address in found.hits}

    def count(self) -> int:
        return int(self._current().searcher().num_docs)

    def ping(self) -> None:
        try:
            self._current()
        except (OSError, ValueError) as error:
            raise ServiceUnavailable(f"The embedded search index is unavailable ({error}).") from error

    def close(self) -> None:
        with self._lock:
            self._close_writer()
            self._index = None

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Write a fresh index beside the live one, then switch the pointer: searches never go empty."""
        self.prepare()
        with self._lock:
            live = self._live_dir()
            number = int(live.name.rsplit("-", 1)[-1]) + 1 if live.name.startswith("index-") else 1
            fresh_dir = self.root / f"index-{number}"
            shutil.rmtree(fresh_dir, ignore_errors=True)
            fresh = _open(fresh_dir, self.schema)
            writer = fresh.writer(WRITER_HEAP * 2, 0)
            count = 0
            for document in documents:
                writer.add_document(_tantivy_document(document, self.lexicon, self.cost_classes))
                count += 1
                if progress and count % 1000 == 0:
                    progress(count)
            writer.commit()
            writer.wait_merging_threads()
            if progress:
                progress(count)
            self._switch_to(fresh_dir.name)
            self._current()
            for old in self.root.glob("index-*"):
                if old != fresh_dir:
                    shutil.rmtree(old, ignore_errors=True)  # open readers keep their files until they close
        return count

    # -- queries ---------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except (OSError, ValueError) as error:
            logger.warning("embedded search failed: %s", error)
            raise ServiceUnavailable(f"The embedded search index is unavailable ({error}).") from error

    def _words(self, plan: Plan) -> _Words:
        folded = tuple(w for unit in plan.content for w in (*unit.words, *unit.parts))
        stems = {lang: tuple(tuple(self._stem[lang].analyze(w)) for w in folded) for lang in LANGUAGES}
        concepts = {c for unit in plan.content for c in unit.concepts}
        # the one-word terms of the concepts asked for (a word of a longer term, such as
        # "professional" in "professional cooking", is not the concept)
        related = frozenset(
            words[0]
            for term in self.lexicon.labels(concepts)
            if len(words := self._fold.analyze(term)) == 1 and not self.lexicon.is_stop(words[0])
        )
        parts = frozenset(w for w in folded if len(w) >= MIN_PART)
        return _Words(folded=folded, stems=stems, related=related, parts=parts)

    def _unit_query(self, unit: Unit, language: str) -> tantivy.Query:
        """Every way a document may contain one thing the citizen asked for, with how much each counts.

        Exact words count most, then stems (most in the query's language), then the concept's
        words in other languages and a compound's parts; typos count least, so that a typo never
        outranks an exact match, nor a fuzzy match in another language (*welder* ~ *helder*) a
        real one.
        """
        queries: list[tuple[tantivy.Query, float]] = []
        if len(unit.words) > 1:
            for field, boost in (("title_all", 10.0), ("body_all", 2.0)):
                queries.append((tantivy.Query.phrase_query(self.schema, field, list(unit.words)), boost))
                if unit.joined:
                    queries.append((tantivy.Query.term_query(self.schema, field, unit.joined), boost))
        else:
            queries += self._word_queries(unit, language)
        if unit.concepts:
            queries.append((tantivy.Query.term_set_query(self.schema, "concepts", sorted(unit.concepts)), 5.0))
            queries.append((tantivy.Query.term_set_query(self.schema, "described", sorted(unit.concepts)), 0.5))
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)) for q, boost in queries]
        )

    def _word_queries(self, unit: Unit, language: str) -> list[tuple[tantivy.Query, float]]:
        word = unit.words[0]
        queries: list[tuple[tantivy.Query, float]] = []
        for field, boost in (("title_all", 10.0), ("body_all", 2.0), ("provider", 3.0), ("other", 1.0), ("parts", 4.0)):
            queries.append((tantivy.Query.term_query(self.schema, field, word), boost))
        for lang in LANGUAGES:
            title, body = (8.0, 1.5) if lang == language else (5.0, 1.0)
            for stemmed in self._stem[lang].analyze(word):
                if not trusted(word, stemmed):
                    continue  # English "aed" -> "a" would find every "a", Dutch "slagerij" -> "slaag" "slagen"
                queries.append((tantivy.Query.term_query(self.schema, f"title_{lang}", stemmed), title))
                queries.append((tantivy.Query.term_query(self.schema, f"body_{lang}", stemmed), body))
        if unit.parts:  # a compound: all its parts, joined or apart
            parts = [(tantivy.Occur.Must, self._part_query(p)) for p in unit.parts]
            queries.append((tantivy.Query.boolean_query(parts), 4.0))
        if (typos := allowed_typos(word)) and not unit.known:  # a word the lexicon knows is no typo
            for field, boost in (("title_all", 1.5), ("body_all", 0.3)):
                fuzzy = tantivy.Query.fuzzy_term_query(
                    self.schema, field, word, distance=typos, transposition_cost_one=True
                )
                queries.append((fuzzy, boost))
        if unit.last and not unit.known and len(word) >= 2:  # the word being typed (a known word is whole)
            for field, boost in (("title_all", 3.0), ("body_all", 0.5), ("parts", 1.0)):
                queries.append(
                    (tantivy.Query.fuzzy_term_query(self.schema, field, word, distance=0, prefix=True), boost)
                )
        return queries

    @staticmethod
    def _joined(searcher: tantivy.Searcher, units: tuple[Unit, ...]) -> tuple[Unit, ...]:
        """Two words typed apart become one unit where offers write them as one word (a compound)."""
        out: list[Unit] = []
        for unit in units:
            previous = out[-1] if out else None
            if (
                previous is not None
                and len(previous.words) == 1
                and len(unit.words) == 1
                and not previous.concepts
                and not unit.concepts
                and previous.joined is None
                and any(searcher.doc_freq(f, previous.words[0] + unit.words[0]) for f in ("title_all", "body_all"))
            ):
                out[-1] = replace(
                    unit,
                    text=f"{previous.text} {unit.text}",
                    words=(*previous.words, *unit.words),
                    joined=previous.words[0] + unit.words[0],
                )
            else:
                out.append(unit)
        return tuple(out)

    def _part_query(self, part: str) -> tantivy.Query:
        """One part of a compound, as a word, a stem in any language, or a part of an offer's compound."""
        options = [tantivy.Query.term_query(self.schema, f, part) for f in ("title_all", "body_all", "parts")]
        for lang in LANGUAGES:
            for stemmed in self._stem[lang].analyze(part):
                options += [tantivy.Query.term_query(self.schema, f"{f}_{lang}", stemmed) for f in ("title", "body")]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in options])

    def _relax(self, searcher: tantivy.Searcher, plan: Plan) -> _Relaxed:
        """The words required and those only ranking (``relaxation.relax``, counted over the whole index).

        A relaxed word still ranks: offers with more of the words come first.
        """
        units = self._joined(searcher, plan.content)
        queries = [self._unit_query(u, plan.language) for u in units]

        def count(positions: Sequence[int]) -> int:
            clauses = [(tantivy.Occur.Must, queries[i]) for i in positions]
            found = searcher.search(tantivy.Query.boolean_query(clauses), 1, count=True)
            return int(getattr(found, "count", 0) or 0)

        relaxation = relax(units, count)
        unknown = tuple(units[i].text for i in relaxation.unknown)
        # a word the lexicon knows is no typo (*slager* where no offer is for butchers): not corrected
        correctable = tuple(units[i].text for i in relaxation.unknown if not units[i].known)
        return _Relaxed(
            required=tuple(queries[i] for i in relaxation.kept) or (tantivy.Query.empty_query(),),
            ranking=tuple(tantivy.Query.const_score_query(queries[i], WORD_MATCHED) for i in relaxation.relaxed),
            ignored=unknown + tuple(units[i].text for i in relaxation.relaxed) + plan.beyond,
            unknown=correctable,
        )

    def _condition(self, condition: Condition, situation_class: str | None = None) -> tantivy.Query:
        if isinstance(condition, Either):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self._condition(c, situation_class)) for c in condition.conditions]
            )
        name = condition.attribute
        if isinstance(condition, AnyOf):
            if name in KEYWORD_FIELDS:
                values = ["true" if v is True else "false" if v is False else str(v) for v in condition.values]
                return tantivy.Query.term_set_query(self.schema, name, values)
            numbers = [int(v) for v in condition.values]
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, name, n)) for n in numbers]
                or [(tantivy.Occur.Must, tantivy.Query.empty_query())]
            )
        field_type = tantivy.FieldType.Float if name in FLOAT_FIELDS else tantivy.FieldType.Integer
        convert = float if name in FLOAT_FIELDS else int
        low = convert(condition.low) if condition.low is not None else None
        high = convert(condition.high) if condition.high is not None else None
        if name in PER_SITUATION:
            name = _per_situation(name, situation_class)
        return tantivy.Query.range_query(self.schema, name, field_type, low, high)

    def _box(self, near: Near) -> tantivy.Query:
        """The bounding box of the circle (or taught online, if the place keeps online offers)."""
        dlat = near.radius_km / 110.574
        dlon = near.radius_km / (111.320 * max(math.cos(math.radians(near.lat)), 0.01))
        box = tantivy.Query.boolean_query(
            [
                (
                    tantivy.Occur.Must,
                    tantivy.Query.range_query(
                        self.schema, "lat", tantivy.FieldType.Float, near.lat - dlat, near.lat + dlat
                    ),
                ),
                (
                    tantivy.Occur.Must,
                    tantivy.Query.range_query(
                        self.schema, "lon", tantivy.FieldType.Float, near.lon - dlon, near.lon + dlon
                    ),
                ),
            ]
        )
        if not near.or_online:
            return box
        online = tantivy.Query.term_query(self.schema, "online", "true")
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, box), (tantivy.Occur.Should, online)])

    def _search(self, query: SearchQuery) -> SearchResult:
        searcher = self._current().searcher()
        plan = self.lexicon.plan(query.text, query.language, stem)
        must: list[tantivy.Query] = [self._condition(c, query.situation_class) for c in query.conditions]
        if query.near is not None:
            must.append(self._box(query.near))
        filters = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must]) if must else None
        # nothing to search for (stop words, punctuation): every offer, as Meilisearch answers
        relaxed = self._relax(searcher, plan) if plan.content else None
        words = self._words(plan)
        start = (query.page - 1) * query.per_page
        combined = self._combine(relaxed, filters, (query.language, plan.language))
        ordered = query if plan.content else replace(query, text="")  # no words: ordered as browsing
        if query.near is not None:
            hits, total, exact = self._geo(searcher, combined, ordered, start)
            facet_query = exact
        else:
            hits, total = self._page(searcher, combined, ordered, start)
            facet_query = combined
        facets = self._facets(searcher, facet_query, query.facets) if query.facets else {}
        documents = [_decoder.decode(searcher.doc(address)["document"][0]) for address in hits]
        return SearchResult(
            hits=[self._hit(d, query.language, words, query.near, plan.language) for d in documents],
            total=total,
            facets=facets,
            ignored=relaxed.ignored if relaxed else plan.not_searched,
            language=plan.language,
            suggestion=self._did_you_mean(searcher, query.text, relaxed.unknown)
            if relaxed and relaxed.unknown
            else None,
        )

    def _did_you_mean(self, searcher: tantivy.Searcher, text: str, unknown: tuple[str, ...]) -> str | None:
        """The query with each word no offer has replaced by the nearest of the index's own words.

        The vocabulary is the index's (its title and text terms), so a correction always finds offers.
        """

        def indexed(word: str) -> str | None:
            first = fold(word)[:1]
            terms = [t for field in ("title_all", "body_all") for t in searcher.terms_with_prefix(field, first)]
            return nearest(word, [(t, n) for t, n in terms if not self.lexicon.is_stop(t)])

        return corrected(text, unknown, indexed)

    def _combine(
        self, relaxed: _Relaxed | None, filters: tantivy.Query | None, languages: tuple[str, str]
    ) -> tantivy.Query:
        """The text's required and ranking parts, the filters, and the boost of the page's and the words' language."""
        parts = [(tantivy.Occur.Must, q) for q in (*(relaxed.required if relaxed else ()), filters) if q is not None]
        if relaxed is None:
            if not parts:
                return tantivy.Query.all_query()
            return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)
        ranking = [(tantivy.Occur.Should, q) for q in relaxed.ranking]
        page, words = languages
        boosts = [(page, IN_PAGE_LANGUAGE)] + ([(words, IN_QUERY_LANGUAGE)] if words != page else [])
        in_language = [
            (
                tantivy.Occur.Should,
                tantivy.Query.const_score_query(tantivy.Query.term_query(self.schema, "languages", lang), b),
            )
            for lang, b in boosts
        ]
        return tantivy.Query.boolean_query([*parts, *ranking, *in_language])

    @staticmethod
    def _page(
        searcher: tantivy.Searcher, query: tantivy.Query, search: SearchQuery, start: int
    ) -> tuple[list[Any], int]:
        if search.sort in SORTED_BY:
            field = _sort_field(search)
            result = searcher.search(
                query, search.per_page, count=True, order_by_field=field, offset=start, order=tantivy.Order.Asc
            )
        elif search.text.strip():
            result = searcher.search(query, search.per_page, count=True, offset=start)
        else:  # no words: the soonest start first, as a citizen browsing expects
            result = searcher.search(
                query, search.per_page, count=True, order_by_field="next_start", offset=start, order=tantivy.Order.Asc
            )
        # ``count`` is missing from tantivy's type stubs, though the result carries it.
        total = getattr(result, "count", None) or 0
        return [address for _key, address in result.hits], int(total)

    def _geo(
        self, searcher: tantivy.Searcher, query: tantivy.Query, search: SearchQuery, start: int
    ) -> tuple[list[Any], int, tantivy.Query]:
        """Candidates in the bounding box, then the exact circle around any of their sessions.

        The fast fields hold an offer's first ``FAST_PLACES`` places (an offer taught in more is
        read whole), so that it passes when any session is in range, at the distance of the nearest.
        Online offers pass when the place keeps them (``Near.or_online``). The order is the
        search's: relevance, start date or price (the circle is then a filter), or distance
        (online offers last).
        """
        near = search.near
        assert near is not None  # noqa: S101 - only called with a place
        result = searcher.search(query, GEO_CANDIDATES, count=False)
        addresses = [address for _score, address in result.hits]
        scores = [score for score, _address in result.hits]
        counts = searcher.fast_field_values("place_count", addresses)
        online = (
            searcher.fast_field_values("reachable_online", addresses) if near.or_online else [False] * len(addresses)
        )
        points = [
            list(
                zip(searcher.fast_field_values(lat, addresses), searcher.fast_field_values(lon, addresses), strict=True)
            )
            for lat, lon in [("lat", "lon"), *((f"lat_{n}", f"lon_{n}") for n in range(1, FAST_PLACES))]
        ]
        inside: list[tuple[float | None, float, Any]] = []
        for i, (score, address, count, remote) in enumerate(zip(scores, addresses, counts, online, strict=True)):
            if count and count > FAST_PLACES:
                document = _decoder.decode(searcher.doc(address)["document"][0])
                closest = nearest_place(document.places, near.lat, near.lon)
                km = closest[0] if closest else None
            else:
                found = [
                    distance_km(near.lat, near.lon, lat, lon)
                    for lat, lon in (p[i] for p in points)
                    if lat is not None and lon is not None
                ]
                km = min(found, default=None)
            if (km is not None and km <= near.radius_km) or remote:
                inside.append((km, score, address))
        self._order(searcher, inside, search)
        page = inside[start : start + search.per_page]
        exact = tantivy.Query.empty_query()
        if inside and search.facets:
            all_ids = [searcher.doc(address)["id"][0] for _km, _score, address in inside]
            exact = tantivy.Query.term_set_query(self.schema, "id", all_ids)
        return [address for _km, _score, address in page], len(inside), exact

    @staticmethod
    def _order(searcher: tantivy.Searcher, found: list[tuple[float | None, float, Any]], search: SearchQuery) -> None:
        far = math.inf
        if search.sort in SORTED_BY:
            field = _sort_field(search)
            values = searcher.fast_field_values(field, [address for _km, _score, address in found])
            key = {id(item): (v if v is not None else far) for item, v in zip(found, values, strict=True)}
            found.sort(key=lambda item: (key[id(item)], -item[1]))
        elif search.sort == "distance" or not search.text.strip():
            found.sort(key=lambda item: (item[0] if item[0] is not None else far, -item[1]))
        else:
            found.sort(key=lambda item: (-item[1], item[0] if item[0] is not None else far))

    @staticmethod
    def _facets(searcher: tantivy.Searcher, query: tantivy.Query, names: Sequence[str]) -> dict[str, dict[str, int]]:
        spec = {name: {"terms": {"field": name, "size": 500}} for name in names if name in FACETABLE}
        answer = searcher.aggregate(query, spec) if spec else {}
        facets: dict[str, dict[str, int]] = {}
        for name in names:
            buckets = answer.get(name, {}).get("buckets", [])
            facets[name] = {_bucket_key(b["key"]): int(b["doc_count"]) for b in buckets}
        return facets

    def _hit(self, document: SearchDocument, language: str, words: _Words, near: Near | None, read_in: str) -> Hit:
        """A hit with the highlights of what it shows, in the language its words were found in.

        When the text shown has none of the words (they are in the offer's other languages), the
        snippet is taken from the language they were found in, and says so.
        """
        if not words.folded:
            return Hit.found(document, {}, near, language=language)
        matched = self._matched(document, words, read_in)
        found: dict[str, str] = {}
        for part, (field, lang) in document.shown_fields(language, matched).items():
            value = getattr(document, field, None)
            if value and (marked := self._mark(value, lang, words)):
                found[part] = marked
        aside = None
        if matched and "description" not in found and "outcomes" not in found:
            for part in ("description", "outcomes"):
                value = getattr(document, f"{part}_{matched}")
                if value and (marked := self._mark(value, matched, words)):
                    aside = (matched, marked)
                    break
        return Hit.found(document, found, near, matched, language, aside)

    def _matched(self, document: SearchDocument, words: _Words, read_in: str) -> str | None:
        """The language of the offer's text with the most of the words (on a tie, the one they were
        read in); ``None``: nowhere."""
        counts = {}
        for lang in LANGUAGES:
            parts = [getattr(document, f"{part}_{lang}") for part in ("title", "outcomes", "description")]
            text = " ".join(v for v in parts if v)
            if text and (marked := self._mark(text, lang, words)):
                counts[lang] = marked.count("<mark>")
        return max(counts, key=lambda lang: (counts[lang], lang == read_in)) if counts else None

    def _mark(self, text: str, language: str, words: _Words) -> str | None:
        """``text`` HTML-escaped, with the words that match the query in <mark>."""
        wanted_stems = {s for stems in words.stems.get(language, ()) for s in stems}
        wanted_stems |= {stem(w, language) for w in words.related}
        related = words.related
        last = words.folded[-1]
        out: list[str] = []
        position = 0
        marked = False
        for match in _WORD.finditer(text):
            token = self._fold.analyze(match.group(0))
            if not token:
                continue
            folded = token[0]
            if self.lexicon.is_stop(folded):
                continue  # never searched, so never marked
            stems = [stem(folded, language)] if language in self._stem else []
            hit = (
                folded in words.folded
                or bool(words.parts and set(self.lexicon.split(folded, language)) & words.parts)
                or folded in related
                or bool(set(stems) & wanted_stems)
                or folded.startswith(last)
                or any(
                    allowed_typos(w)
                    and abs(len(w) - len(folded)) <= allowed_typos(w)
                    and OSA.distance(w, folded, score_cutoff=allowed_typos(w)) <= allowed_typos(w)
                    for w in words.folded
                )
            )
            if hit:
                out.append(html.escape(text[position : match.start()]))
                out.append(f"<mark>{html.escape(match.group(0))}</mark>")
                position = match.end()
                marked = True
        if not marked:
            return None
        out.append(html.escape(text[position:]))
        return "".join(out)


# The orders of a search by an attribute of the documents (the smallest first).
SORTED_BY = frozenset({"start", "price", "you_pay"})


def _sort_field(search: SearchQuery) -> str:
    """The fast field a search sorted by an attribute orders by."""
    if search.sort == "you_pay":
        return _per_situation("you_pay", search.situation_class)
    return "next_start" if search.sort == "start" else "price"


def _write_failure(error: Exception) -> str:
    """What went wrong writing the index, without paths or internals (those go to the log)."""
    text = str(error).lower()
    if "no space left" in text or "os error 28" in text:
        return "no space left on the device"
    if "read-only file system" in text or "permission denied" in text:
        return "the index directory is not writable"
    return "input/output error"


def _bucket_key(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
