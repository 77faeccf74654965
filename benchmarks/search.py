"""Search benchmark: index N offers and measure query latency on the backend and through HTTP.

    python benchmarks/search.py [--offers 100000] [--repeat 5] [--skip-http] [--skip-fts5]

Reports, in one run on the same machine: p50/p95/p99 per query kind directly on the embedded
backend (tantivy) and through the HTTP API (a real uvicorn server), index build time and size;
the same for the SQLite FTS5 engine it replaced (benchmarks/alternatives), and a naive baseline
(SQL LIKE on the offers table), both as ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alternatives.fts5_search import EmbeddedSearch as Fts5Search
from corpus import ROOT, SearchCorpus, offers
from ila_register.eligibility.funding import Situation
from ila_register.platform.progress import Progress
from ila_register.search.embedded import EmbeddedSearch
from ila_register.search.interface import AnyOf, Near, Range, SearchIndex, SearchQuery
from ila_register.search.lexicon import Lexicon

PRICING = SearchCorpus.pricing()
# The fixed query mix: (kind, HTTP query string, backend query).
GHENT = Near(lat=51.0543, lon=3.7174, radius_km=15)
QUERIES: list[tuple[str, dict[str, Any], SearchQuery]] = []


def _q(kind: str, params: dict[str, Any], query: SearchQuery) -> None:
    QUERIES.append((kind, params, query))


for word, lang in [
    ("boekhouding", "nl"),
    ("comptabilité", "fr"),
    ("Schweißen", "de"),
    ("leadership", "en"),
    ("heftruck", "nl"),
    ("opleiding", "nl"),
    ("formation", "fr"),
    ("python", "en"),
    ("veiligheid", "nl"),
    ("loopbaan", "nl"),
]:
    _q("text", {"q": word, "lang": lang}, SearchQuery(text=word, language=lang))
for word, lang in [
    ("boekhoudng", "nl"),
    ("comptabilte", "fr"),
    ("heftrukc", "nl"),
    ("programeren", "nl"),
    ("elektricitiet", "nl"),
]:
    _q("typo", {"q": word, "lang": lang}, SearchQuery(text=word, language=lang))
for word in ("boekhouding", "lassen", "excel", "kinderopvang", "marketing"):
    _q(
        "text+3 filters",
        {"q": word, "kind": "training", "language": "nl", "region": "BE2"},
        SearchQuery(
            text=word,
            conditions=(AnyOf("kind", ("training",)), AnyOf("languages", ("nl",)), AnyOf("regions", ("BE2",))),
        ),
    )
_q(
    "facets",
    {"facets": "kind,schemes,regions,languages,mode"},
    SearchQuery(facets=("kind", "schemes", "regions", "languages", "mode")),
)
_q(
    "facets",
    {"q": "opleiding", "facets": "kind,schemes,regions"},
    SearchQuery(text="opleiding", facets=("kind", "schemes", "regions")),
)
_q(
    "facets",
    {"kind": "training", "price_max": 500, "facets": "schemes,isced,eqf"},
    SearchQuery(
        conditions=(AnyOf("kind", ("training",)), Range("price", high=500)), facets=("schemes", "isced", "eqf")
    ),
)
_q("geo", {"near": "51.0543,3.7174", "radius_km": 15, "sort": "distance"}, SearchQuery(near=GHENT, sort="distance"))
_q("geo", {"q": "lassen", "near": "51.0543,3.7174", "radius_km": 15}, SearchQuery(text="lassen", near=GHENT))
_q(
    "filters only",
    {"scheme": "be-vl-opleidingscheques", "starts_after": "2027-03-01", "sort": "start"},
    SearchQuery(
        conditions=(AnyOf("schemes", ("be-vl-opleidingscheques",)), Range("start_dates", low=20270301)), sort="start"
    ),
)
# A citizen's situation: every hit says what they pay (calculated per hit of the page), filtered
# and sorted by what each document stores for the situation's class.
for params, who in [
    ({"q": "boekhouding", "status": "employee", "region": "BE211"}, Situation(("employee",), "BE211", "BE211")),
    (
        {"status": "employee", "residence": "BE255", "work": "BE100", "sort": "you_pay"},
        Situation(("employee",), "BE255", "BE100"),
    ),
    (
        {"q": "formation", "status": "self-employed", "region": "BE332", "you_pay_max": 300},
        Situation(("self-employed",), "BE332", "BE332"),
    ),
]:
    situation_class = PRICING.situation_key(who)
    most = params.get("you_pay_max")
    _q(
        "situation",
        params,
        SearchQuery(
            text=str(params.get("q", "")),
            conditions=(Range("you_pay", high=int(most) * 100),) if most is not None and situation_class else (),
            sort="you_pay" if params.get("sort") == "you_pay" and situation_class else "relevance",
            situation_class=situation_class,
        ),
    )


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    return {"p50": round(at(0.50), 2), "p95": round(at(0.95), 2), "p99": round(at(0.99), 2), "n": len(ordered)}


def measure(
    run: Callable[[dict[str, Any], SearchQuery], object], repeat: int, skip: frozenset[str] = frozenset()
) -> dict[str, dict[str, float]]:
    by_kind: dict[str, list[float]] = {}
    for _ in range(repeat):
        for kind, params, query in QUERIES:
            if kind in skip:
                continue
            started = time.perf_counter()
            run(params, query)
            elapsed = (time.perf_counter() - started) * 1000
            by_kind.setdefault(kind, []).append(elapsed)
            by_kind.setdefault("all", []).append(elapsed)
    return {kind: percentiles(samples) for kind, samples in by_kind.items()}


def build(engine: type, path: Path, documents: list[Any]) -> tuple[SearchIndex, float, float]:
    lexicon = Lexicon.load(ROOT / "vocab")
    # the embedded engine stores what each situation class pays (as the server it is served by)
    index: SearchIndex = (
        engine(path, lexicon, tuple(PRICING.classes)) if engine is EmbeddedSearch else engine(path, lexicon)
    )
    index.prepare()
    progress = Progress(f"index ({engine.__module__})", len(documents))
    started = time.perf_counter()
    index.rebuild(iter(documents), progress)
    build_seconds = time.perf_counter() - started
    progress.finish()
    files = [path] if path.is_file() else list(path.rglob("*"))
    files += list(path.parent.glob(path.name + "-*"))
    size = sum(f.stat().st_size for f in files if f.is_file())
    return index, build_seconds, size / 1e6


def backend_run(index: SearchIndex, repeat: int, skip: frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    """Each query kind on the backend (``skip``: kinds the backend cannot answer)."""
    for kind, _params, query in QUERIES:  # warm-up (caches, page cache)
        if kind not in skip:
            index.search(query)
    return measure(lambda _p, q: index.search(q), repeat, skip)


def build_naive(path: Path, n: int) -> sqlite3.Connection:
    """The baseline: offers as JSON in a table, searched with LIKE (what a first version would do)."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE offers (id INTEGER PRIMARY KEY, content TEXT)")
    connection.executemany(
        "INSERT INTO offers (content) VALUES (?)", ((json.dumps(o.document, ensure_ascii=False),) for o in offers(n))
    )
    connection.commit()
    return connection


def naive_search(connection: sqlite3.Connection, query: SearchQuery) -> None:
    pattern = f"%{query.text.lower()}%"
    connection.execute("SELECT count(*) FROM offers WHERE lower(content) LIKE ?", (pattern,)).fetchone()
    connection.execute("SELECT content FROM offers WHERE lower(content) LIKE ? LIMIT 20", (pattern,)).fetchall()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_latencies(index_path: Path, var_dir: Path, repeat: int) -> dict[str, dict[str, float]]:
    import httpx

    port = free_port()
    # The server's database is empty (the index was built directly): its reconciliation with the
    # database, due at start, would remove every offer from the index while it is measured.
    env = os.environ | {
        "ILA_VAR_DIR": str(var_dir),
        "ILA_SEARCH_PATH": str(index_path),
        "ILA_SEARCH_RECONCILE_SECONDS": "0",
    }
    env.pop("ILA_MEILI_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "ila_register", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(300):
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)

            def totals() -> list[int]:
                return [
                    int(client.get("/api/v1/search", params=p).raise_for_status().json()["total"])
                    for _k, p, _q in QUERIES
                ]

            before = totals()  # and the warm-up
            answer = client.get("/api/v1/search", params=QUERIES[-2][1]).raise_for_status().json()
            if not answer["hits"] or answer["hits"][0]["you_pay"] is None:
                raise SystemExit(f"a situation's hits must say what the citizen pays: {answer}")
            measured = measure(
                lambda params, _q: client.get("/api/v1/search", params=params).raise_for_status(), repeat
            )
            if totals() != before:
                raise SystemExit("the index changed while it was measured")
            return measured
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-fts5", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ila-search-bench-"))
    try:
        started = time.perf_counter()
        documents = list(SearchCorpus().documents(args.offers))
        corpus_seconds = time.perf_counter() - started
        index_path = work / "search-index"
        index, build_seconds, size_mb = build(EmbeddedSearch, index_path, documents)
        backend = backend_run(index, args.repeat)
        index.close()
        report: dict[str, Any] = {
            "command": " ".join(["python", *sys.argv]),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "offers": len(documents),
            "corpus_seconds": round(corpus_seconds, 1),
            "tantivy": {"build_seconds": round(build_seconds, 1), "size_mb": round(size_mb, 1), "backend_ms": backend},
        }
        if not args.skip_http:
            report["tantivy"]["http_ms"] = http_latencies(index_path, work, args.repeat)
        if not args.skip_fts5:
            fts5, fts5_build, fts5_size = build(Fts5Search, work / "fts5.sqlite3", documents)
            fts5_ms = backend_run(fts5, args.repeat, frozenset({"situation"}))  # it predates what citizens pay
            report["fts5"] = {
                "build_seconds": round(fts5_build, 1),
                "size_mb": round(fts5_size, 1),
                "backend_ms": fts5_ms,
                "p95_ratio_fts5_over_tantivy": {
                    k: round(v["p95"] / max(backend[k]["p95"], 1e-3), 1) for k, v in fts5_ms.items() if k != "all"
                },
            }
        naive = build_naive(work / "naive.sqlite3", args.offers)
        text_queries = [q for kind, _p, q in QUERIES if kind == "text"]
        started = time.perf_counter()
        for query in text_queries:
            naive_search(naive, query)
        naive_ms = (time.perf_counter() - started) * 1000 / len(text_queries)
        report["naive_like"] = {
            "text_ms_mean": round(naive_ms, 1),
            "ratio_over_tantivy_text_p50": round(naive_ms / max(backend["text"]["p50"], 1e-3), 1),
        }
        print(json.dumps(report, indent=2, default=lambda v: round(v, 2)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
