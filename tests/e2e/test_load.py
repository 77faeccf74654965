"""Under load, a real server answers no 5xx and loses no acknowledged write (benchmarks/load.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import postgres_reachable
from support import postgres_unavailable

LOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "load.py"


def _run(database: str, clients: int, seconds: int) -> dict[str, object]:
    if database == "postgresql" and not postgres_reachable():
        postgres_unavailable("PostgreSQL unreachable: PostgreSQL half skipped")
    command = [sys.executable, str(LOAD), "--database", database, "--clients", str(clients)]
    command += ["--seconds", str(seconds), "--workers", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    assert done.stdout, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    assert result["server_errors"] == 0, result
    assert result["database_locked_seen"] == 0, result
    assert result["missing"] == {}, result
    assert result["tracebacks_in_server_log"] == 0, result
    assert done.returncode == 0, done.stderr[-3000:]
    return result


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_short_load_loses_nothing(database: str) -> None:
    result = _run(database, clients=8, seconds=8)
    assert int(result["writes_checked"]) > 20  # type: ignore[call-overload]


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_full_load_32_clients_60_seconds(database: str) -> None:
    _run(database, clients=32, seconds=60)
