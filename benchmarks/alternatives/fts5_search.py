"""The first embedded engine (SQLite FTS5), kept only so benchmarks/search.py can compare it.

It was replaced by the tantivy engine (src/ila_register/search/embedded.py): see benchmarks/RESULTS.md.


Tables carry a generation suffix; a rebuild fills a new generation and switches the pointer in
one transaction, so searches never see an empty or half-built index.
"""

from __future__ import annotations

import html
import math
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from rapidfuzz.distance import OSA

from ila_register.kernel.exceptions import ServiceUnavailable
from ila_register.search.documents import LANGUAGES, SearchDocument
from ila_register.search.embedded import allowed_typos
from ila_register.search.interface import (
    AnyOf,
    Condition,
    Hit,
    Near,
    Progress,
    Range,
    SearchQuery,
    SearchResult,
)
from ila_register.search.lexicon import Lexicon
from ila_register.search.text import fold, tokens

# Attributes stored as columns of the docs table; the others are multi-valued (doc_values).
_SCALAR = {
    "kind",
    "type",
    "mode",
    "schedule",
    "eqf",
    "provider_id",
    "price",
    "hours",
    "free",
    "online",
    "next_start",
}
_MULTI = {"languages", "schemes", "statuses", "regions", "postcodes", "isced", "start_dates"}
_BATCH = 500
_decoder = msgspec.json.Decoder(SearchDocument)
_encoder = msgspec.json.Encoder()


def _distance_km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    if lat1 is None or lon1 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(a))


class EmbeddedSearch:
    """SQLite FTS5 with typo tolerance, facets and geo filters, honouring the SearchIndex contract."""

    name = "embedded"

    def __init__(self, path: Path, lexicon: Lexicon | None = None) -> None:
        self.path = path
        self.synonyms = _single_word_synonyms(lexicon) if lexicon is not None else {}
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._terms: TermIndex | None = None
        self._terms_generation = -1
        self._terms_lock = threading.Lock()

    # -- connections ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.create_function("distance_km", 4, _distance_km, deterministic=True)
        return connection

    @property
    def _db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db
        with self._write_lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    # -- schema -----------------------------------------------------------------------------

    def read_language(self, text: str, default: str) -> str:
        return default

    def prepare(self) -> None:
        with self._transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '1')")
            self._create_tables(db, int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]))

    @staticmethod
    def _create_tables(db: sqlite3.Connection, generation: int) -> None:
        g = generation
        db.execute(f"""CREATE TABLE IF NOT EXISTS docs_{g} (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body BLOB NOT NULL,
            kind TEXT, type TEXT, mode TEXT, schedule TEXT, eqf INTEGER, provider_id TEXT,
            price REAL, hours REAL, free INTEGER, online INTEGER, next_start INTEGER, lat REAL, lon REAL)""")
        db.execute(f"""CREATE TABLE IF NOT EXISTS values_{g} (
            field TEXT NOT NULL, value TEXT, number REAL, doc INTEGER NOT NULL)""")
        db.execute(f"CREATE INDEX IF NOT EXISTS values_{g}_lookup ON values_{g} (field, value, doc)")
        db.execute(f"CREATE INDEX IF NOT EXISTS values_{g}_number ON values_{g} (field, number, doc)")
        db.execute(f"CREATE INDEX IF NOT EXISTS values_{g}_doc ON values_{g} (doc)")
        db.execute(f"CREATE INDEX IF NOT EXISTS docs_{g}_geo ON docs_{g} (lat, lon)")
        db.execute(f"""CREATE VIRTUAL TABLE IF NOT EXISTS fts_{g} USING fts5(
            title, body, provider, other, tokenize = 'unicode61 remove_diacritics 2')""")
        db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS vocab_{g} USING fts5vocab(fts_{g}, 'row')")

    # -- writes -----------------------------------------------------------------------------

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        with self._transaction() as db:
            generation = self._generation()
            self._delete_in(db, generation, [d.id for d in documents])
            self._insert_in(db, generation, documents)
        if self._terms is not None:
            with self._terms_lock:
                self._terms.add(t for d in documents for t in _document_tokens(d))

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._transaction() as db:
            self._delete_in(db, self._generation(), list(ids))

    @staticmethod
    def _delete_in(db: sqlite3.Connection, g: int, ids: list[str]) -> None:
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            rowids = [r[0] for r in db.execute(f"SELECT rowid FROM docs_{g} WHERE id IN ({marks})", chunk)]
            if not rowids:
                continue
            row_marks = ",".join("?" * len(rowids))
            db.execute(f"DELETE FROM fts_{g} WHERE rowid IN ({row_marks})", rowids)
            db.execute(f"DELETE FROM values_{g} WHERE doc IN ({row_marks})", rowids)
            db.execute(f"DELETE FROM docs_{g} WHERE rowid IN ({row_marks})", rowids)

    @staticmethod
    def _insert_in(db: sqlite3.Connection, g: int, documents: Sequence[SearchDocument]) -> None:
        for document in documents:
            geo = document.places[0] if document.places else None
            cursor = db.execute(
                f"""INSERT INTO docs_{g} (id, body, kind, type, mode, schedule, eqf, provider_id, price, hours,
                    free, online, next_start, lat, lon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    document.id,
                    _encoder.encode(document),
                    document.kind,
                    document.type,
                    document.mode,
                    document.schedule,
                    document.eqf,
                    document.provider_id,
                    document.price,
                    document.hours,
                    int(document.free),
                    int(document.online),
                    document.next_start,
                    geo.lat if geo else None,
                    geo.lng if geo else None,
                ),
            )
            rowid = cursor.lastrowid
            values: list[tuple[str, str | None, float | None, int | None]] = []
            for field in _MULTI:
                for value in getattr(document, field):
                    if isinstance(value, int):
                        values.append((field, str(value), float(value), rowid))
                    else:
                        values.append((field, value, None, rowid))
            db.executemany(f"INSERT INTO values_{g} (field, value, number, doc) VALUES (?,?,?,?)", values)
            db.execute(
                f"INSERT INTO fts_{g} (rowid, title, body, provider, other) VALUES (?,?,?,?,?)",
                (rowid, *_fts_columns(document)),
            )

    def rebuild(self, documents: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Fill a new generation while searches use the current one, then switch in one commit."""
        self.prepare()
        db = self._db
        current = self._generation()
        fresh = current + 1
        with self._transaction() as tx:
            self._drop_tables(tx, fresh)
            self._create_tables(tx, fresh)
        count = 0
        batch: list[SearchDocument] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= _BATCH:
                with self._transaction() as tx:
                    self._insert_in(tx, fresh, batch)
                count += len(batch)
                batch.clear()
                if progress:
                    progress(count)
        if batch:
            with self._transaction() as tx:
                self._insert_in(tx, fresh, batch)
            count += len(batch)
            if progress:
                progress(count)
        with self._transaction() as tx:
            tx.execute(f"INSERT INTO fts_{fresh}(fts_{fresh}) VALUES ('optimize')")
            tx.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (str(fresh),))
        with self._transaction() as tx:
            self._drop_tables(tx, current)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    @staticmethod
    def _drop_tables(db: sqlite3.Connection, g: int) -> None:
        for statement in (
            f"DROP TABLE IF EXISTS vocab_{g}",
            f"DROP TABLE IF EXISTS fts_{g}",
            f"DROP TABLE IF EXISTS values_{g}",
            f"DROP TABLE IF EXISTS docs_{g}",
        ):
            db.execute(statement)

    # -- reads ------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM docs_{self._generation()}").fetchone()[0])

    def ping(self) -> None:
        try:
            self._generation()
        except sqlite3.Error as error:
            raise ServiceUnavailable(f"The embedded search index is unavailable ({error}).") from error

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _term_index(self, generation: int) -> TermIndex:
        with self._terms_lock:
            if self._terms is None or self._terms_generation != generation:
                self._terms = TermIndex(r[0] for r in self._db.execute(f"SELECT term FROM vocab_{generation}"))
                self._terms_generation = generation
            return self._terms

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except sqlite3.OperationalError as error:
            raise ServiceUnavailable(f"The embedded search index is unavailable ({error}).") from error

    def _search(self, query: SearchQuery) -> SearchResult:
        db = self._db
        g = self._generation()
        match, matched_terms = self._match_expression(query.text, g)
        where, params = _where(g, query.conditions, query.near)
        if query.text and match is None:  # words that match nothing at all
            return SearchResult(hits=[], total=0, facets={f: {} for f in query.facets})
        db.execute("CREATE TEMP TABLE IF NOT EXISTS hits (doc INTEGER PRIMARY KEY, score REAL)")
        db.execute("DELETE FROM temp.hits")
        if match is not None:
            db.execute(
                f"""INSERT INTO temp.hits (doc, score)
                    SELECT f.rowid, bm25(fts_{g}, 10.0, 2.0, 3.0, 1.0) FROM fts_{g} f
                    JOIN docs_{g} d ON d.rowid = f.rowid
                    WHERE fts_{g} MATCH ? {("AND " + where) if where else ""}""",
                [match, *params],
            )
        else:
            db.execute(
                f"INSERT INTO temp.hits (doc, score) SELECT d.rowid, 0 FROM docs_{g} d "
                f"{('WHERE ' + where) if where else ''}",
                params,
            )
        total = int(db.execute("SELECT count(*) FROM temp.hits").fetchone()[0])
        order, order_params = _order(query)
        offset = (query.page - 1) * query.per_page
        rows = db.execute(
            f"""SELECT d.body, {_distance_sql(query.near)} FROM temp.hits h JOIN docs_{g} d ON d.rowid = h.doc
                ORDER BY {order} LIMIT ? OFFSET ?""",
            [*_distance_params(query.near), *order_params, query.per_page, offset],
        ).fetchall()
        hits = []
        for body, distance in rows:
            document = _decoder.decode(body)
            hits.append(
                Hit(
                    document=document,
                    highlights=_highlights(document, query.language, matched_terms),
                    distance_km=round(distance, 2) if distance is not None else None,
                )
            )
        facets = {name: self._facet(db, g, name) for name in query.facets}
        return SearchResult(hits=hits, total=total, facets=facets)

    def _match_expression(self, text: str, generation: int) -> tuple[str | None, set[str]]:
        """An FTS5 MATCH built only from indexed terms (never from raw input), and those terms."""
        words = [t[:MAX_TOKEN_LENGTH] for t in tokens(text)][:MAX_QUERY_TOKENS]
        if not words:
            return None, set()
        terms = self._term_index(generation)
        groups: list[str] = []
        matched: set[str] = set()
        for position, word in enumerate(words):
            alternatives = [word] if word in terms else terms.near(word)
            alternatives += [s for s in self.synonyms.get(word, ()) if s in terms]
            prefix_terms = terms.prefixed(word) if position == len(words) - 1 else []
            options = sorted(set(alternatives) | set(prefix_terms))
            if not options:
                return None, set()
            matched.update(options)
            groups.append("(" + " OR ".join(f'"{o}"' for o in options) + ")")
        return " AND ".join(groups), matched

    @staticmethod
    def _facet(db: sqlite3.Connection, g: int, name: str) -> dict[str, int]:
        if name in _MULTI:
            rows = db.execute(
                f"""SELECT v.value, count(*) FROM values_{g} v JOIN temp.hits h ON h.doc = v.doc
                                  WHERE v.field = ? GROUP BY v.value ORDER BY count(*) DESC, v.value""",
                (name,),
            )
        else:
            rows = db.execute(f"""SELECT d.{name}, count(*) FROM docs_{g} d JOIN temp.hits h ON h.doc = d.rowid
                                  WHERE d.{name} IS NOT NULL GROUP BY d.{name} ORDER BY count(*) DESC""")
        facet: dict[str, int] = {}
        for value, count in rows:
            key = ("true" if value else "false") if name in {"free", "online"} else str(value)
            facet[key] = int(count)
        return facet


def _fts_columns(document: SearchDocument) -> tuple[str, str, str, str]:
    titles = " ".join(v for lang in LANGUAGES if (v := getattr(document, f"title_{lang}")))
    body = " ".join(
        v
        for lang in LANGUAGES
        for prefix in ("description", "outcomes")
        if (v := getattr(document, f"{prefix}_{lang}"))
    )
    other = " ".join([document.reference, *document.municipalities])
    return titles, body, document.provider_name, other


def _document_tokens(document: SearchDocument) -> Iterator[str]:
    for column in _fts_columns(document):
        yield from tokens(column)


def _where(g: int, conditions: Sequence[Condition], near: Near | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for condition in conditions:
        attribute = condition.attribute
        if isinstance(condition, AnyOf):
            if not condition.values:
                clauses.append("0")
                continue
            marks = ",".join("?" * len(condition.values))
            values = [int(v) if isinstance(v, bool) else v for v in condition.values]
            if attribute in _MULTI:
                clauses.append(f"d.rowid IN (SELECT doc FROM values_{g} WHERE field = ? AND value IN ({marks}))")
                params += [attribute, *map(str, values)]
            else:
                clauses.append(f"d.{attribute} IN ({marks})")
                params += values
        elif isinstance(condition, Range):
            if attribute in _MULTI:
                parts: list[str] = ["field = ?"]
                part_params: list[Any] = [attribute]
                if condition.low is not None:
                    parts.append("number >= ?")
                    part_params.append(condition.low)
                if condition.high is not None:
                    parts.append("number <= ?")
                    part_params.append(condition.high)
                clauses.append(f"d.rowid IN (SELECT doc FROM values_{g} WHERE {' AND '.join(parts)})")
                params += part_params
            else:
                if condition.low is not None:
                    clauses.append(f"d.{attribute} >= ?")
                    params.append(condition.low)
                if condition.high is not None:
                    clauses.append(f"d.{attribute} <= ?")
                    params.append(condition.high)
    if near is not None:
        dlat = near.radius_km / 111.0
        dlon = near.radius_km / (111.0 * max(math.cos(math.radians(near.lat)), 0.01))
        clauses.append("d.lat BETWEEN ? AND ? AND d.lon BETWEEN ? AND ? AND distance_km(d.lat, d.lon, ?, ?) <= ?")
        params += [
            near.lat - dlat,
            near.lat + dlat,
            near.lon - dlon,
            near.lon + dlon,
            near.lat,
            near.lon,
            near.radius_km,
        ]
    return " AND ".join(clauses), params


def _distance_sql(near: Near | None) -> str:
    return "distance_km(d.lat, d.lon, ?, ?)" if near is not None else "NULL"


def _distance_params(near: Near | None) -> list[float]:
    return [near.lat, near.lon] if near is not None else []


def _order(query: SearchQuery) -> tuple[str, list[Any]]:
    if query.sort == "start":
        return "d.next_start IS NULL, d.next_start, h.score, d.id", []
    if query.sort == "price":
        return "d.price, h.score, d.id", []
    if query.sort == "distance" and query.near is not None:
        return "distance_km(d.lat, d.lon, ?, ?), h.score, d.id", [query.near.lat, query.near.lon]
    return "h.score, d.next_start, d.id", []


def _highlights(document: SearchDocument, language: str, matched: set[str]) -> dict[str, str]:
    if not matched:
        return {}
    found: dict[str, str] = {}
    for prefix in ("title", "description"):
        for lang in (language, document.default_language, *LANGUAGES):
            value = getattr(document, f"{prefix}_{lang}", None)
            if value and (marked := highlight(value, matched)):
                found[prefix] = marked
                break
    return found


MAX_QUERY_TOKENS = 12
MAX_TOKEN_LENGTH = 60


class TermIndex:
    """The indexed terms, bucketed so that near-miss candidates are found without a full scan."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._terms: set[str] = set()
        self._by_first: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._by_last: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.add(terms)

    def __contains__(self, term: str) -> bool:
        return term in self._terms

    def __len__(self) -> int:
        return len(self._terms)

    def add(self, terms: Iterable[str]) -> None:
        for term in terms:
            if term not in self._terms and len(term) <= MAX_TOKEN_LENGTH:
                self._terms.add(term)
                self._by_first[(term[0], len(term))].add(term)
                self._by_last[(term[-1], len(term))].add(term)

    def near(self, token: str) -> list[str]:
        """Indexed terms within the allowed number of typos (transpositions count as one)."""
        budget = allowed_typos(token)
        if budget == 0:
            return []
        candidates: set[str] = set()
        for length in range(len(token) - budget, len(token) + budget + 1):
            candidates |= self._by_first.get((token[0], length), set())
            candidates |= self._by_last.get((token[-1], length), set())
        return sorted(c for c in candidates if c != token and OSA.distance(token, c, score_cutoff=budget) <= budget)

    def prefixed(self, prefix: str, limit: int = 50) -> list[str]:
        """Indexed terms starting with ``prefix`` (for the word being typed)."""
        found: list[str] = []
        for length in range(len(prefix) + 1, len(prefix) + 20):
            found.extend(t for t in self._by_first.get((prefix[0], length), ()) if t.startswith(prefix))
            if len(found) >= limit:
                break
        return sorted(found)[:limit]


def highlight(text: str, matched: set[str]) -> str | None:
    """HTML-escaped ``text`` with matched words in <mark>, or ``None`` when nothing matched."""
    out: list[str] = []
    position = 0
    found = False
    for match in re.finditer(r"\w+", text):
        word = match.group(0)
        if fold(word) in matched:
            out.append(html.escape(text[position : match.start()]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            position = match.end()
            found = True
    if not found:
        return None
    out.append(html.escape(text[position:]))
    return "".join(out)


def _single_word_synonyms(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """Folded one-word terms -> the other one-word terms of their concept (this engine's old reading)."""
    mapping: dict[str, set[str]] = {}
    for concept in lexicon.concepts:
        words = {tokens(t)[0] for t in concept.all_terms() if len(tokens(t)) == 1}
        for word in words:
            mapping.setdefault(word, set()).update(words - {word})
    return {k: frozenset(v) for k, v in mapping.items()}
