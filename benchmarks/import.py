"""Import benchmark: 100,000 offers as JSON Lines, end to end, on SQLite and PostgreSQL.

    python benchmarks/import.py [--offers 100000] [--small 10000] [--databases sqlite postgresql]

End to end means what `ila-register import` does: stream the file, decode and validate each
record, pre-check eligibility, write offers, sessions, versions, eligibility rows and events and
the outbox, with the job's progress committed batch by batch. The ceiling, in the same process
and run: the very rows the import wrote, inserted again into an empty database of the same kind
with SQLAlchemy Core ``executemany`` in batches of the same size — no parsing, no validation,
no rules, no ORM. Each (database, size) runs in its own process, so its peak RSS is its own;
running at two sizes shows whether memory grows with the file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
from sqlalchemy import Engine, insert, select, text

import ila_register.db.models  # noqa: F401 - registers every table on Base.metadata
from corpus import write_jsonl
from harness import fresh_database
from ila_register.db.base import Base
from ila_register.db.engine import create_db_engine
from ila_register.db.migrate import upgrade
from ila_register.platform.auth import Principal
from ila_register.providers.schemas import ProviderCreate
from ila_register.settings import Settings
from ila_register.wiring import Services

WRITTEN_TABLES = (
    "offers",
    "offer_sessions",
    "offer_versions",
    "offer_eligibility",
    "eligibility_events",
    "outbox_events",
)
RAW_BATCH = 250  # the import's batch size: one transaction each


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_ceiling(source: Engine, target_url: str) -> float:
    """Insert the rows the import wrote into an empty database: executemany, batch by batch."""
    tables = {name: Base.metadata.tables[name] for name in WRITTEN_TABLES}
    by_offer: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    with source.connect() as connection:
        for name, table in tables.items():
            key = "id" if name == "offers" else "offer_id"
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                by_offer.setdefault(row._mapping[key], {}).setdefault(name, []).append(dict(row._mapping))
        providers = [dict(r._mapping) for r in connection.execute(select(Base.metadata.tables["providers"]))]
    target = create_db_engine(target_url)  # the same engine settings (JSON codec, pragmas) as the register
    upgrade(target)
    with target.begin() as connection:
        connection.execute(insert(Base.metadata.tables["providers"]), providers)
    offer_ids = list(by_offer)
    started = time.perf_counter()
    for start in range(0, len(offer_ids), RAW_BATCH):
        chunk = [by_offer[i] for i in offer_ids[start : start + RAW_BATCH]]
        with target.begin() as connection:
            for name, table in tables.items():
                batch = [row for rows in chunk for row in rows.get(name, ())]
                if batch:
                    connection.execute(insert(table), batch)
    seconds = time.perf_counter() - started
    target.dispose()
    return seconds


def child(kind: str, n: int, work: Path) -> dict[str, Any]:
    from ila_register.platform.progress import Progress

    work.mkdir(parents=True, exist_ok=True)
    source = work / f"offers-{n}.jsonl"
    provider_document = write_jsonl(n, source)
    url = fresh_database(kind, work, f"ila_bench_import_{kind}")
    settings = Settings.from_env({"ILA_DATABASE_URL": url, "ILA_VAR_DIR": str(work / "var")})
    runtime = Services.build(settings)
    admin = Principal(role="admin", token_id="benchmark")  # noqa: S106 - a label, not a secret
    provider = runtime.providers.register(admin, msgspec.convert(provider_document, ProviderCreate)).provider
    rss_before = peak_rss_mb()

    started = time.perf_counter()
    job_id, path = runtime.imports.new_upload()
    shutil.copyfile(source, path)  # what the CLI does with the file it is given
    job = runtime.imports.accept(admin, provider.id, job_id, path, "jsonl", mode="upsert", dry_run=False)
    progress = Progress(f"import {n} offers ({kind})", None, stream=sys.stderr)
    job = runtime.imports.run(job.id, progress)
    progress.finish()
    seconds = time.perf_counter() - started
    rss_import = peak_rss_mb()
    if job.status != "succeeded" or job.created != n:
        raise SystemExit(f"import did not create every offer: {job.status} {job.created}/{n} {job.error}")

    with runtime.db.engine.connect() as connection:
        written = {name: connection.scalar(text(f"SELECT count(*) FROM {name}")) for name in WRITTEN_TABLES}  # noqa: S608
    raw_seconds = raw_ceiling(runtime.db.engine, fresh_database(kind, work, f"ila_bench_import_{kind}_raw"))
    runtime.close()
    return {
        "database": kind,
        "offers": n,
        "file_mb": round(source.stat().st_size / 1e6, 1),
        "seconds": round(seconds, 2),
        "offers_per_second": round(n / seconds),
        "rows_written": written,
        "peak_rss_mb_before_import": round(rss_before, 1),
        "peak_rss_mb_after_import": round(rss_import, 1),
        "raw_executemany_seconds": round(raw_seconds, 2),
        "raw_offers_per_second": round(n / raw_seconds),
        "import_vs_raw_ratio": round(seconds / raw_seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="a smaller run, to show memory is flat in size")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.offers, args.work)))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="ila-import-bench-") as work:
        for kind in args.databases:
            for n in sorted({args.small, args.offers}):
                output = subprocess.run(
                    [sys.executable, __file__, "--child", kind, "--offers", str(n), "--work", f"{work}/{kind}-{n}"],
                    check=True,
                    capture_output=False,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                result = json.loads(output.stdout.strip().splitlines()[-1])
                print(json.dumps(result), file=sys.stderr)
                results.append(result)
    print(
        json.dumps(
            {
                "command": " ".join(["python", "benchmarks/import.py", *sys.argv[1:]]),
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
                f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
