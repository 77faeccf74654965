"""Judged relevance benchmark (issue 15): how well citizen search finds what people mean.

    PYTHONPATH=src python benchmarks/relevance.py [--short] [--json OUT] [--baseline] [--worst N]

Loads the judged corpus (benchmarks/relevance/corpus.jsonl, 1,091 offers in nl/fr/de/en) into
the register, runs every judged query (benchmarks/relevance/judgements.jsonl) through the public
HTTP API, `GET /api/v1/search`, as the catalogue page and citizens do, and reports per backend
(embedded always; Meilisearch too when ILA_MEILI_URL is set): zero-result rate on queries that
have a relevant offer, recall@20, nDCG@10, MRR and p95 latency; overall, per query category and
per query language. The grading and the metrics are defined in benchmarks/relevance/README.md.

`--short` runs the fixed subset marked `short` (42 queries; the test suite runs it).
`--baseline` runs the behaviour before issue 15: the register's code and vocabulary as they were
at commit BASELINE_COMMIT (taken with `git archive` into a temporary directory, so it needs the
repository's history), with this script. The recorded baseline, benchmarks/relevance/baseline.json,
is shown side by side with every other run.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "relevance"
CORPUS = DATA / "corpus.jsonl"
JUDGEMENTS = DATA / "judgements.jsonl"
BASELINE = DATA / "baseline.json"
K_RECALL = 20
K_NDCG = 10
RELEVANT = 2  # grades 2 and 3 are relevant; 1 ("related") only adds gain to nDCG
BASELINE_COMMIT = "e97658a29df43198fd6a48728750d0724948e917"  # main before the issue-15 engine work
UUID_NAMESPACE = uuid.UUID("8f6b1e0a-15a5-4c8e-9d15-000000000015")  # corpus id -> stable offer UUID


# ---- construction: the ONLY place that knows how the register is composed ------------------


@dataclass
class Register:
    """What the benchmark needs from a running register: its HTTP API and how ids map back."""

    http: Any  # litestar.testing.TestClient
    corpus_id: dict[str, str]  # offer id (UUID) in the API -> corpus id (rel-0001)
    backend: str


@contextmanager
def build_register(
    backend: str, work: Path, corpus: list[dict[str, Any]], *, baseline: bool = False
) -> Iterator[Register]:
    """A register (SQLite database, `backend` search index) holding the corpus, with its HTTP API.

    Offers enter the index as the register indexes an active offer found eligible for the schemes
    it requested (validated by the register's own validator, turned into a search document by
    ``build_document``), as tests/integration/search/test_contract.py does. ``baseline`` will select
    the behaviour before issue 15 once that work keeps a switch for it; today there is only one.
    """
    import msgspec
    from litestar.testing import TestClient

    from ila_register.app import create_app
    from ila_register.eligibility.domain import SchemeStatus
    from ila_register.offers.domain import Offer
    from ila_register.offers.schemas import OfferCreate
    from ila_register.offers.validation import OfferValidator
    from ila_register.platform.progress import Progress
    from ila_register.search.documents import build_document
    from ila_register.settings import Settings
    from ila_register.wiring import Services

    del baseline  # the baseline runs this function in a process on the old code (run_baseline)
    env = {"ILA_DATABASE_URL": f"sqlite:///{work / 'register.sqlite3'}", "ILA_VAR_DIR": str(work)}
    env |= {"ILA_SEARCH_PATH": str(work / f"index-{backend}"), "ILA_BASE_URI": "https://register.example.be"}
    env |= {k: v for k, v in os.environ.items() if k == "ILA_VOCAB_DIR"}  # try other vocabulary data
    if backend == "meilisearch":
        env |= {"ILA_MEILI_URL": os.environ["ILA_MEILI_URL"], "ILA_MEILI_KEY": os.environ.get("ILA_MEILI_KEY", "")}
        env["ILA_MEILI_INDEX"] = f"relevance_{uuid.uuid4().hex[:8]}"
    settings = msgspec.structs.replace(Settings.from_env(env), run_workers=False)
    runtime = Services.build(settings)
    validator = OfferValidator(runtime.vocabulary, runtime.places, set(runtime.schemes))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    documents = []
    corpus_id: dict[str, str] = {}
    for item in corpus:
        content = validator.validate(msgspec.convert(item["document"], OfferCreate))
        offer_id = uuid.uuid5(UUID_NAMESPACE, item["id"])
        provider_id = uuid.uuid5(UUID_NAMESPACE, item["provider"])
        offer = Offer(
            id=offer_id,
            provider_id=provider_id,
            content=content,
            status="active",
            version=1,
            created_at=now,
            updated_at=now,
        )
        statuses = [SchemeStatus(s, "eligible", "1", ()) for s in content.schemes_requested]
        document = build_document(offer, statuses, item["provider"], runtime.schemes)
        if document is None:
            raise SystemExit(f"{item['id']} would not be searchable")
        documents.append(document)
        corpus_id[str(offer_id)] = item["id"]
    runtime.index.prepare()
    progress = Progress(f"relevance ({backend}): index", len(documents))
    runtime.index.rebuild(iter(documents), progress)
    progress.finish()
    with TestClient(create_app(settings, services=runtime)) as http:  # closes the services on exit
        yield Register(http=http, corpus_id=corpus_id, backend=backend)


# ---- the judged set -------------------------------------------------------------------------


def read_lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_judged(short: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    corpus = read_lines(CORPUS)
    queries = read_lines(JUDGEMENTS)
    return corpus, [q for q in queries if q["short"] or not short]


# ---- metrics ----------------------------------------------------------------------------------


def dcg(gains: Iterable[int]) -> float:
    return float(sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains)))


def score(query: dict[str, Any], returned: list[str], total: int) -> dict[str, Any]:
    """The metrics of one query from the corpus ids returned, best first (README.md, "Metrics")."""
    grades: dict[str, int] = query["judgements"]
    relevant = {i for i, g in grades.items() if g >= RELEVANT}
    result: dict[str, Any] = {"total": total, "returned": returned[:K_RECALL]}
    if not relevant:
        result["answered_nothing"] = total == 0
        return result
    top = returned[:K_RECALL]
    ideal = dcg(sorted(grades.values(), reverse=True)[:K_NDCG])
    first = next((rank for rank, i in enumerate(top, start=1) if i in relevant), None)
    result |= {
        "zero": total == 0,
        "recall": len(relevant.intersection(top)) / min(K_RECALL, len(relevant)),
        "ndcg": dcg(grades.get(i, 0) for i in returned[:K_NDCG]) / ideal,
        "mrr": 1 / first if first else 0.0,
    }
    return result


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(0.95 * len(ordered)) - 1))] if ordered else 0.0


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    judged = [r for r in rows if "ndcg" in r]
    out: dict[str, Any] = {"queries": len(rows), "judged": len(judged)}
    if judged:
        n = len(judged)
        out |= {
            "zero_result_rate": round(sum(r["zero"] for r in judged) / n, 4),
            "recall@20": round(sum(r["recall"] for r in judged) / n, 4),
            "ndcg@10": round(sum(r["ndcg"] for r in judged) / n, 4),
            "mrr": round(sum(r["mrr"] for r in judged) / n, 4),
        }
    unanswerable = [r for r in rows if "answered_nothing" in r]
    if unanswerable:
        out["no_answer_queries_answered_nothing"] = round(
            sum(r["answered_nothing"] for r in unanswerable) / len(unanswerable), 4
        )
    out["p95_ms"] = round(p95([r["ms"] for r in rows]), 1)
    return out


def breakdown(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def by(key: str) -> dict[str, Any]:
        return {v: summary([r for r in rows if r[key] == v]) for v in sorted({r[key] for r in rows})}

    return {"overall": summary(rows), "category": by("category"), "language": by("lang")}


# ---- running ----------------------------------------------------------------------------------


def run_queries(
    register: Register, queries: list[dict[str, Any]], progress: Callable[[], None]
) -> list[dict[str, Any]]:
    rows = []
    for query in queries:
        params = query["params"] | {"per_page": K_RECALL}
        started = time.perf_counter()
        response = register.http.get("/api/v1/search", params=params)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{query['id']}: {response.status_code} {response.text[:300]}")
        body = response.json()
        returned = [register.corpus_id.get(hit["id"], hit["id"]) for hit in body["hits"]]
        row = {"id": query["id"], "q": query["q"], "lang": query["lang"], "category": query["category"], "ms": elapsed}
        rows.append(row | score(query, returned, body["total"]))
        progress()
    return rows


def backends() -> list[str]:
    return ["embedded", "meilisearch"] if os.environ.get("ILA_MEILI_URL") else ["embedded"]


def evaluate(backend: str, *, short: bool = False, baseline: bool = False, warm_up: bool = True) -> dict[str, Any]:
    """Build a register on ``backend``, run the judged queries (all, or the short set) and score them."""
    from ila_register.platform.progress import Progress

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the report
    corpus, queries = load_judged(short)
    work = Path(tempfile.mkdtemp(prefix="ila-relevance-"))
    try:
        with build_register(backend, work, corpus, baseline=baseline) as register:
            if warm_up:
                for query in queries[:10]:
                    register.http.get("/api/v1/search", params=query["params"])
            progress = Progress(f"relevance ({backend}): queries", len(queries))
            rows = run_queries(register, queries, progress.advance)
            progress.finish()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"metrics": breakdown(rows), "queries": rows}


# ---- reporting --------------------------------------------------------------------------------

COLUMNS = ("zero_result_rate", "recall@20", "ndcg@10", "mrr", "p95_ms")


def table(title: str, groups: dict[str, dict[str, Any]], against: dict[str, Any] | None) -> list[str]:
    lines = [f"\n{title}", f"{'':<16}{'n':>5}" + "".join(f"{c:>20}" for c in COLUMNS)]
    for name, values in groups.items():
        cells = []
        for column in COLUMNS:
            value = values.get(column)
            text = "-" if value is None else f"{value:.3f}" if column != "p95_ms" else f"{value:.1f}"
            old = (against or {}).get(name, {}).get(column)
            if against is not None and value is not None and old is not None:
                text = f"{old:.3f} -> {text}" if column != "p95_ms" else f"{old:.1f} -> {text}"
            cells.append(f"{text:>20}")
        lines.append(f"{name:<16}{values['judged']:>5}" + "".join(cells))
    return lines


def report(results: dict[str, Any], recorded: dict[str, Any] | None, set_name: str) -> str:
    lines = [f"judged relevance, {set_name} set" + (" (baseline behaviour)" if results["baseline"] else "")]
    if recorded:
        lines.append(f"left of '->': recorded baseline ({recorded.get('date', '?')}); right: this run")
    for backend, result in results["backends"].items():
        old = ((recorded or {}).get("backends", {}).get(backend) or {}).get(set_name)
        metrics = result["metrics"]
        lines += table(f"[{backend}] overall", {"all": metrics["overall"]}, old and {"all": old["overall"]})
        if (nothing := metrics["overall"].get("no_answer_queries_answered_nothing")) is not None:
            lines.append(f"queries nothing answers (not in the means above), answered with no hits: {nothing:.0%}")
        lines += table(f"[{backend}] per category", metrics["category"], old and old["category"])
        lines += table(f"[{backend}] per language", metrics["language"], old and old["language"])
    return "\n".join(lines)


def worst(result: dict[str, Any], queries: list[dict[str, Any]], corpus: list[dict[str, Any]], n: int) -> str:
    """The queries that fail worst: what was typed, what should be found, what came back.

    Ordered by nDCG@10, then recall@20 and MRR; at most 2 per category while other categories
    still have failing queries, so that the list shows every way of failing, not one way 15 times.
    """
    by_id = {q["id"]: q for q in queries}
    titles = {o["id"]: next(iter(o["document"]["title"].values())) for o in corpus}
    rows = sorted((r for r in result["queries"] if "ndcg" in r), key=lambda r: (r["ndcg"], r["recall"], r["mrr"]))
    rows = [r for r in rows if r["ndcg"] < 1 or r["recall"] < 1]
    picked: list[dict[str, Any]] = []
    per_category: dict[str, int] = {}
    for cap in (2, n):
        for row in rows:
            if len(picked) < n and row not in picked and per_category.get(row["category"], 0) < cap:
                picked.append(row)
                per_category[row["category"]] = per_category.get(row["category"], 0) + 1
    picked.sort(key=lambda r: (r["ndcg"], r["recall"], r["mrr"]))
    lines = []
    for row in picked:
        grades = by_id[row["id"]]["judgements"]
        params = {k: v for k, v in by_id[row["id"]]["params"].items() if k not in {"q", "lang"}}
        wanted = sorted((i for i in grades if grades[i] >= RELEVANT), key=lambda i: -grades[i])
        got = "; ".join(f"{titles.get(i, i)} [{grades.get(i, 0)}]" for i in row["returned"][:3]) or "(nothing)"
        lines.append(
            f"{row['id']} {row['q']!r} {params or ''} ({row['category']}, {row['lang']}): "
            f"nDCG@10 {row['ndcg']:.2f}, recall@20 {row['recall']:.2f}, total {row['total']}\n"
            f"    should find ({len(wanted)}): {'; '.join(f'{titles[i]} [{grades[i]}]' for i in wanted[:3])}\n"
            f"    came back: {got}"
        )
    return "\n".join(lines)


def recording(results: dict[str, Any]) -> dict[str, Any]:
    """What baseline.json keeps of a full run: its metrics, the short set's, and each query's scores."""
    short = {q["id"] for q in read_lines(JUDGEMENTS) if q["short"]}
    kept = ("total", "zero", "recall", "ndcg", "mrr", "answered_nothing")
    recorded: dict[str, Any] = {k: results[k] for k in ("command", "machine", "date", "baseline")}
    recorded["backends"] = {
        backend: {
            "full": result["metrics"],
            "short": breakdown([r for r in result["queries"] if r["id"] in short]),
            "queries": {
                r["id"]: {k: round(r[k], 4) if isinstance(r[k], float) else r[k] for k in kept if k in r}
                for r in result["queries"]
            },
        }
        for backend, result in results["backends"].items()
    }
    return recorded


def run_baseline(argv: list[str]) -> None:
    """This script again, on the code and vocabulary of ``BASELINE_COMMIT`` (``--baseline``)."""
    import io
    import subprocess
    import tarfile

    git = shutil.which("git")
    if git is None:
        raise SystemExit("--baseline needs git (it takes the old code from the repository's history)")
    root = HERE.parent
    with tempfile.TemporaryDirectory(prefix="ila-baseline-") as old:
        archive = subprocess.run(
            [git, "-C", str(root), "archive", BASELINE_COMMIT, "src", "vocab", "elm_mappings"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        env = os.environ | {"PYTHONPATH": f"{old}/src", "ILA_VOCAB_DIR": f"{old}/vocab", "ILA_RELEVANCE_OLD": "1"}
        subprocess.run([sys.executable, __file__, *argv], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the fixed subset of the test suite (42 queries)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the metrics and per-query results here")
    parser.add_argument(
        "--baseline", action="store_true", help="the behaviour before issue 15 (the code of BASELINE_COMMIT)"
    )
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N worst-failing queries")
    parser.add_argument("--record", action="store_true", help=f"write the full and short metrics to {BASELINE.name}")
    args = parser.parse_args()
    if args.record and args.short:
        parser.error("--record runs the full set (the short set's numbers are taken from it)")
    if args.baseline and not os.environ.get("ILA_RELEVANCE_OLD"):
        run_baseline(sys.argv[1:])
        return
    set_name = "short" if args.short else "full"
    results: dict[str, Any] = {
        "command": " ".join(["python", "benchmarks/relevance.py", *sys.argv[1:]]),
        "machine": " ".join(platform.uname()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "baseline": args.baseline,
        "set": set_name,
        "backends": {b: evaluate(b, short=args.short, baseline=args.baseline) for b in backends()},
    }
    recorded = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else None
    print(report(results, recorded, set_name))
    if args.worst:
        corpus, queries = load_judged(args.short)
        for backend, result in results["backends"].items():
            print(
                f"\n[{backend}] the {args.worst} worst-failing queries\n" + worst(result, queries, corpus, args.worst)
            )
    if args.record:
        BASELINE.write_text(json.dumps(recording(results), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
