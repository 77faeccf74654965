"""API tokens from the command line: a leaked provider token can be found and revoked."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from ila_register import cli
from ila_register.wiring import Services
from support import Api, FakeClock, example


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(args)
    out, _err = capsys.readouterr()
    return int(done.value.code or 0), out


def test_tokens_list_shows_provider_tokens_and_revoke_stops_them(
    api: Api, runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
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


def _cli_all(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        cli.main(args)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@pytest.fixture
def command_line(runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))


def test_a_leaked_secret_revokes_its_token_and_is_never_echoed(
    api: Api, runtime: Services, command_line: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _, token = api.register_provider()
    code, out, err = _cli_all(["tokens", "revoke", token], capsys)
    assert code == 0, err
    assert token not in out + err
    assert api.client.get("/api/v1/offers", headers=api.auth(token)).status_code == 401
    assert out.startswith("revoked ")

    unknown = "ila_" + "Obdngts5m" * 5
    code, out, err = _cli_all(["tokens", "revoke", unknown], capsys)
    assert code == 2
    assert "Obdngts5m" not in out + err
    assert "no token" in err.lower()
    # Nor does any other error path repeat a value that looks like a token.
    for argv in (
        ["tokens", "create", "--role", unknown],
        ["tokens", "create", "--role", "provider", "--provider", unknown],
    ):
        code, out, err = _cli_all(argv, capsys)
        assert code == 2
        assert "Obdngts5m" not in out + err, err


def test_tokens_list_shows_a_fingerprint_the_creation_showed_and_when_each_was_created_and_last_used(
    api: Api, runtime: Services, clock: FakeClock, command_line: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli_all(["tokens", "create", "--role", "reviewer", "--label", "desk"], capsys)
    assert code == 0, err
    created = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    token, fingerprint = created["token"].strip(), created["fingerprint"].strip()
    assert re.fullmatch(r"[0-9a-f]{8}", fingerprint)
    assert fingerprint not in token

    _code, out, _err = _cli_all(["tokens", "list"], capsys)
    row = next(line for line in out.splitlines() if fingerprint in line)
    assert row.split()[0] == created["token id"].strip()
    assert re.search(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b", row)  # created at
    assert "never" in row  # not used yet
    assert token not in out

    assert api.client.get("/api/v1/reviews", headers=api.auth(token)).status_code == 200
    used = {t.id: t.last_used_at for t in runtime.tokens.list_tokens()}
    token_id = uuid.UUID(created["token id"].strip())
    assert used[token_id] == clock()
    first = clock()
    clock.advance(seconds=30)
    assert api.client.get("/api/v1/reviews", headers=api.auth(token)).status_code == 200
    assert {t.id: t.last_used_at for t in runtime.tokens.list_tokens()}[token_id] == first  # no write per request
    clock.advance(seconds=31)
    assert api.client.get("/api/v1/reviews", headers=api.auth(token)).status_code == 200
    assert {t.id: t.last_used_at for t in runtime.tokens.list_tokens()}[token_id] == clock()

    _code, out, _err = _cli_all(["tokens", "list"], capsys)
    row = next(line for line in out.splitlines() if fingerprint in line)
    assert f"{clock():%Y-%m-%d %H:%M}" in row
    assert "never" not in row


def test_the_registration_and_rotation_answers_show_the_fingerprint_tokens_list_shows(
    api: Api, runtime: Services, command_line: None, capsys: pytest.CaptureFixture[str]
) -> None:
    provider_id, token = api.register_provider()
    registered = api.client.get("/api/v1/providers", headers=api.admin).json()
    assert [p["id"] for p in registered] == [provider_id]
    rotated = api.client.post(f"/api/v1/providers/{provider_id}/token", json={}, headers=api.auth(token)).json()
    _code, out, _err = _cli_all(["tokens", "list"], capsys)
    row = next(line for line in out.splitlines() if line.startswith(rotated["token_id"]))
    assert re.fullmatch(r"[0-9a-f]{8}", rotated["token_fingerprint"])
    assert rotated["token_fingerprint"] in row.split()
    first = api.client.post(
        "/api/v1/providers", json=example("provider.json") | {"kbo_number": "0417.497.106"}, headers=api.admin
    ).json()
    _code, out, _err = _cli_all(["tokens", "list"], capsys)
    row = next(line for line in out.splitlines() if line.startswith(first["token_id"]))
    assert first["token_fingerprint"] in row.split()
