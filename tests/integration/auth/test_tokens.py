"""API tokens from the command line: a leaked provider token can be found and revoked."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from ila_register import cli
from ila_register.runtime import Runtime
from support import Api


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(args)
    out, _err = capsys.readouterr()
    return int(done.value.code or 0), out


def test_tokens_list_shows_provider_tokens_and_revoke_stops_them(
    api: Api, runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    provider_id, token = api.register_provider()
    reviewer = runtime.tokens.issue("reviewer", label="monitoring")
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))

    code, out = _cli(["tokens", "list"], capsys)

    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    provider_rows = [line for line in rows.values() if provider_id in line]
    assert len(provider_rows) == 1
    assert "provider" in provider_rows[0]
    assert "active" in provider_rows[0]
    assert "monitoring" in rows[str(reviewer.id)]
    leaked = uuid.UUID(provider_rows[0].split()[0])

    code, out = _cli(["tokens", "revoke", str(leaked)], capsys)
    assert code == 0
    assert api.client.get("/api/v1/offers", headers=api.auth(token)).status_code == 401
    _code, out = _cli(["tokens", "list"], capsys)
    assert "revoked" in next(line for line in out.splitlines() if line.startswith(str(leaked)))
