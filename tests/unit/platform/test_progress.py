"""The command line's progress display: done of total, share, rate and the time left."""

from __future__ import annotations

import io

import pytest

from ila_register.platform import progress as progress_module
from ila_register.platform.progress import Progress


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    fake = _Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", fake)
    return fake


def test_a_known_total_shows_the_bar_and_the_time_left(clock: _Clock) -> None:
    out = io.StringIO()
    shown = Progress("export ttl", 300, stream=out)
    clock.now += 10
    shown.update(100)  # 10 per second: 200 left take 20 s
    shown.update(150)  # too soon after the last line: not printed
    clock.now += 5
    shown.update(300)
    shown.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "export ttl [##########--------------------] 100/300  33% 10/s ETA 0:20"
    assert lines[1].startswith("export ttl [##############################] 300/300 100% ")
    assert lines[1].endswith("ETA 0:00")
    assert len(lines) == 2  # the last state is not printed twice


def test_long_work_shows_hours(clock: _Clock) -> None:
    out = io.StringIO()
    shown = Progress("reindex", 100_000, stream=out)
    clock.now += 10
    shown.update(100)  # 10 per second: 99,900 left take 2 h 46 min 30 s
    assert out.getvalue().rstrip().endswith("ETA 2:46:30")


def test_an_unknown_total_shows_the_count_and_the_rate(clock: _Clock) -> None:
    out = io.StringIO()
    shown = Progress("demo", stream=out)
    clock.now += 2
    shown.update(40)
    shown.finish()
    assert out.getvalue().splitlines()[-1] == "demo 40 20/s"
