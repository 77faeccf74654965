"""The README's shell blocks, run as a newcomer runs them, against a served demo register.

The convention (stated in the README under "Two commands"): a fenced block tagged ``sh`` is run
by this test; a block a reader should not paste as it is (it serves forever, runs the test suite
itself or needs Docker) is tagged ``console`` and written with a ``$`` prompt. Any other shell
tag (``bash``, ``shell``, ``zsh`` …) is refused, so that no block escapes both.

The blocks are read from README.md when the suite runs (never a copy). Each runs in a fresh
``bash -euo pipefail`` at the repository root with the environment a newcomer has: no
virtualenv on PATH (the README says ``.venv/bin/…``, or activates it in the block that uses the
short names), no ILA_* variables but ``ILA_VAR_DIR``, which points the CLI at the served demo's
files as ``make run``'s default ``./var`` would, and ``ILA``, the server's address (the README's
``${ILA:-http://127.0.0.1:8000}``, here another port). The server is ``ila-register serve`` on
the demo data, like ``make run``, on SQLite and the embedded search engine: that is what the
README's reader runs, so no PostgreSQL variant.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import ServerProcess
from support import ROOT

README = ROOT / "README.md"
RUN, NOT_RUN = "sh", "console"
SHELL_TAGS = {"bash", "shell", "zsh", "sh-session", "shell-session", "terminal"}
BLOCK_TIMEOUT = 180  # seconds; the blocks wait for search and the ELM dataset to catch up
FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    line: int
    tag: str
    text: str


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [Block(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


RUNNABLE = [block for block in readme_blocks() if block.tag == RUN]


def test_every_shell_block_is_either_run_or_visibly_not_run() -> None:
    blocks = readme_blocks()
    assert not [b.line for b in blocks if b.tag in SHELL_TAGS], f"tag shell blocks `{RUN}` (run) or `{NOT_RUN}`"
    for block in blocks:
        if block.tag == NOT_RUN:
            commands = [line for line in block.text.splitlines() if line.strip()]
            assert all(line.startswith("$ ") for line in commands), f"README line {block.line}: `$ ` prompts"
    shown = [b.text for b in blocks if b.tag == NOT_RUN]
    assert any("make run" in text for text in shown)  # serves forever: shown, not run
    assert len(RUNNABLE) >= 4


@dataclass(frozen=True)
class Newcomer:
    env: dict[str, str]  # a fresh terminal's
    demo_output: str  # what loading the demo printed


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newcomer]:
    """A served demo register and the environment of a fresh terminal that talks to it."""
    if not (ROOT / ".venv" / "bin" / "ila-register").exists():
        pytest.fail("the README's commands use .venv/bin/ila-register, which `make run` or `make test` create")
    work = tmp_path_factory.mktemp("readme")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ILA_") and k != "VIRTUAL_ENV"}
    venvs = {str(Path(sys.executable).parent), str(ROOT / ".venv" / "bin")}
    if os.environ.get("VIRTUAL_ENV"):
        venvs.add(str(Path(os.environ["VIRTUAL_ENV"]) / "bin"))
    clean["PATH"] = os.pathsep.join(p for p in clean.get("PATH", "").split(os.pathsep) if p not in venvs)
    (work / "tmp").mkdir()
    clean["TMPDIR"] = str(work / "tmp")
    register = {"ILA_VAR_DIR": str(work / "var")}
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("ILA_"):
                patch.delenv(name)  # the server, too, runs with the defaults a newcomer has
        seeded = subprocess.run(
            [sys.executable, "-m", "ila_register", "demo"],
            env=os.environ | register,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert seeded.returncode == 0, seeded.stderr[-2000:]
        server = ServerProcess(register, work / "server.log").start()
    try:
        yield Newcomer(clean | register | {"ILA": server.url}, seeded.stdout)
    finally:
        server.stop()


def test_the_demo_prints_the_counts_the_readme_gives(newcomer: Newcomer) -> None:
    printed = newcomer.demo_output.strip().splitlines()[-1]
    assert printed.startswith("demo data loaded: ")
    assert f"\n    {printed}\n" in README.read_text(encoding="utf-8"), f"the README should say: {printed}"


def _run(newcomer: Newcomer, block: Block, attempt: str = "") -> None:
    try:
        done = subprocess.run(  # noqa: S603 - the README's own text, which this test exists to run
            ["bash", "-euo", "pipefail", "-c", block.text],  # noqa: S607 - the newcomer's bash, from PATH
            cwd=ROOT,
            env=newcomer.env,
            capture_output=True,
            text=True,
            timeout=BLOCK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"README line {block.line}{attempt}: still running after {BLOCK_TIMEOUT} s\n{expired.stderr!r}")
    assert done.returncode == 0, (
        f"README line {block.line}{attempt} exited {done.returncode}\n"
        f"--- stdout (end)\n{done.stdout[-3000:]}\n--- stderr (end)\n{done.stderr[-3000:]}"
    )


@pytest.mark.parametrize("block", RUNNABLE, ids=[f"line-{b.line}" for b in RUNNABLE])
def test_the_readme_block_runs_as_written(newcomer: Newcomer, block: Block) -> None:
    _run(newcomer, block)


# A block that does what can be done only once (registering an organisation) says so in a comment.
ONCE = "(once:"


def test_the_readme_blocks_run_again_on_the_same_register(newcomer: Newcomer) -> None:
    """A reader tries a section twice (or runs the README again): a block works the second time too,
    unless it says it runs once. A fixed Idempotency-Key, say, would replay the first run's offer,
    which that run withdrew (410 at the update)."""
    again = [block for block in RUNNABLE if ONCE not in block.text]
    assert len(again) >= len(RUNNABLE) - 1
    for attempt in (" (first run)", " (second run)"):
        for block in again:
            _run(newcomer, block, attempt)
