"""CI cannot pass with half the suite silently skipped: a missing PostgreSQL (or browser) fails the run.

`.ci/run` sets ILA_REQUIRE_POSTGRES=1 and ILA_REQUIRE_BROWSER=1; a developer without PostgreSQL
sets neither and sees the PostgreSQL half reported as skipped, with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

from support import ROOT

# Any test on the parametrised database fixture; only its PostgreSQL half is selected.
PROBE = ["tests/integration/db/test_error_translation.py", "-k", "postgresql"]
NOWHERE = "postgresql://postgres@127.0.0.1:9/test"  # the discard port: nothing answers there


def _suite(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("ILA_REQUIRE_POSTGRES", "ILA_TEST_POSTGRES_URL")}
    return subprocess.run(  # noqa: S603 - this interpreter running pytest on the suite's own files
        [sys.executable, "-m", "pytest", *PROBE, "-q"],
        cwd=ROOT,
        env=base | {"ILA_TEST_POSTGRES_URL": NOWHERE} | env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_unreachable_postgresql_is_a_reported_skip_for_a_developer() -> None:
    run = _suite()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout.strip().splitlines()[-1]
    assert "PostgreSQL unreachable" in run.stdout


def test_unreachable_postgresql_fails_the_run_when_required() -> None:
    run = _suite(ILA_REQUIRE_POSTGRES="1")
    assert run.returncode != 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert "1 error" in summary
    assert "skipped" not in summary
    assert "ILA_REQUIRE_POSTGRES" in run.stdout


def test_ci_requires_postgresql_and_the_browser() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export ILA_REQUIRE_POSTGRES=1" in script
    assert "export ILA_REQUIRE_BROWSER=1" in script
    # Both are set before the suite runs.
    assert script.index("export ILA_REQUIRE_POSTGRES=1") < script.index("make test")
