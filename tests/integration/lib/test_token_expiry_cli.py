"""`ila-register tokens create --expires` keeps the instant the operator gave, offset included."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ila_register import cli
from ila_register.wiring import Services


@pytest.mark.parametrize(
    ("given", "instant"),
    [
        ("2027-01-01T00:00:00+02:00", datetime(2026, 12, 31, 22, 0, tzinfo=UTC)),
        ("2027-01-01T00:00:00-05:00", datetime(2027, 1, 1, 5, 0, tzinfo=UTC)),
        ("2027-01-01T00:00:00Z", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),
        ("2027-01-01T00:00:00", datetime(2027, 1, 1, 0, 0, tzinfo=UTC)),  # no offset: UTC, as --help says
    ],
)
def test_the_given_offset_is_kept(
    runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, instant: datetime
) -> None:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    with pytest.raises(SystemExit) as done:
        cli.main(["tokens", "create", "--role", "reviewer", "--label", "expiry", "--expires", given, "--quiet"])
    assert done.value.code == 0
    token = next(t for t in runtime.tokens.list_tokens() if t.label == "expiry")
    assert token.expires_at == instant


def test_an_unreadable_expiry_is_one_clear_line(
    runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    with pytest.raises(SystemExit) as done:
        cli.main(["tokens", "create", "--role", "reviewer", "--expires", "next tuesday"])
    assert done.value.code == 2
    assert "--expires" in capsys.readouterr().err
