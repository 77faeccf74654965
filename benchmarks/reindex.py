"""Reindex benchmark: `ila-register reindex` end to end over 100,000 eligible offers (SQLite default).

    python benchmarks/reindex.py [--offers 100000]

The offers come in through the bulk import (as a provider would send them); then every requested
scheme is set to `eligible` with one SQL update, standing in for the reviewers, so that every offer
belongs in search. The timed part is the command an operator runs, as a separate process: read
every offer from the database in pages, build its search document, rebuild the embedded index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
from sqlalchemy import update

from corpus import write_jsonl
from ila_register.db.models import OfferEligibility
from ila_register.platform.auth import Principal
from ila_register.providers.schemas import ProviderCreate
from ila_register.settings import Settings
from ila_register.wiring import Services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ila-reindex-bench-") as work_dir:
        work = Path(work_dir)
        env = {"ILA_VAR_DIR": str(work / "var")}
        source = work / "offers.jsonl"
        provider_document = write_jsonl(args.offers, source)
        runtime = Services.build(Settings.from_env(env))
        admin = Principal(role="admin", token_id="benchmark")  # noqa: S106 - a label, not a secret
        provider = runtime.providers.register(admin, msgspec.convert(provider_document, ProviderCreate)).provider
        job_id, path = runtime.imports.new_upload()
        shutil.copyfile(source, path)
        runtime.imports.accept(admin, provider.id, job_id, path, "jsonl", mode="upsert", dry_run=False)
        job = runtime.imports.run(job_id)
        today = runtime.clock().date()
        with runtime.db.write() as session:  # the reviewers' decisions, all at once
            session.execute(
                update(OfferEligibility).values(
                    status="eligible", valid_until=today + timedelta(days=365), approved_version=1, published=True
                )
            )
        runtime.close()

        started = time.perf_counter()
        command = [sys.executable, "-m", "ila_register", "reindex"]
        done = subprocess.run(command, env=os.environ | env, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "command": " ".join(["python", "benchmarks/reindex.py", *sys.argv[1:]]),
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
                "offers_imported": job.created,
                "reindex": done.stdout.strip(),
                "reindex_seconds": round(seconds, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
