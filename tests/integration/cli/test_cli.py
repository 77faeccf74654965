"""The ``ila-register`` command as an operator meets it: one clear line for every error, progress for long work."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import msgspec
import pytest

from ila_register import cli
from ila_register.runtime import Runtime
from support import Api, example


@pytest.fixture
def command(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI configured like the test runtime (same database); returns a scratch directory."""
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    work = tmp_path / "work"
    work.mkdir()
    return work


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_missing_file_is_one_line_and_exit_2(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = command / "catalogue.jsonl"
    code, _, err = _run(capsys, "import", str(missing), "--provider", str(uuid.uuid4()))
    assert code == 2
    line = _one_line(err)
    assert line.startswith("ila-register: ")
    assert str(missing) in line
    assert "no such file" in line.lower()


def test_an_unknown_provider_is_named_not_called_a_duplicate(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = command / "catalogue.jsonl"
    source.write_bytes(msgspec.json.encode(example("offer-training.json")) + b"\n")
    unknown = str(uuid.uuid4())
    code, _, err = _run(capsys, "import", str(source), "--provider", unknown)
    assert code == 2
    line = _one_line(err)
    assert "provider" in line.lower()
    assert unknown in line
    assert "duplicate" not in line.lower()
    assert "constraint" not in line.lower()


def test_a_token_for_an_unknown_provider_is_one_line_and_exit_2(
    command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "tokens", "create", "--role", "provider", "--provider", str(uuid.uuid4()))
    assert code == 2
    assert out == ""
    assert "provider" in _one_line(err).lower()


def test_a_domain_error_is_one_line_and_exit_2(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unknown = uuid.uuid4()
    code, _, err = _run(capsys, "tokens", "revoke", str(unknown))
    assert code == 2
    assert _one_line(err) == f"ila-register: No token {unknown}."


def test_a_malformed_id_is_refused_by_the_argument_parser(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "tokens", "revoke", "not-an-id")
    assert code == 2
    assert "Traceback" not in err
    assert "not-an-id" in err.strip().splitlines()[-1]


def _published(api: Api, runtime: Runtime, count: int) -> None:
    _, token = api.register_provider()
    for number in range(count):
        offer = api.submit(token, reference=f"CLI-{number}")
        decided = api.client.post(
            f"/api/v1/offers/{offer['id']}/decisions",
            headers=api.admin | api.if_match(offer["id"]),
            json={"scheme": "be-vl-opleidingscheques", "decision": "eligible"},
        )
        assert decided.status_code == 200, decided.text
    runtime.drain()


_BAR = re.compile(r"\[#{30}\] 3/3 100% [\d,]+/s ETA 0:00$")


def test_export_shows_a_progress_bar_with_total_and_time_left(
    api: Api, runtime: Runtime, command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _published(api, runtime, 3)
    target = command / "dataset.ttl"
    code, out, err = _run(capsys, "export", "--format", "ttl", "-o", str(target))
    assert code == 0, err
    assert "3 learning opportunities written" in out
    assert any(line.startswith("export ttl [") and _BAR.search(line) for line in err.splitlines()), err
    assert target.stat().st_size > 0


def test_reindex_shows_a_progress_bar_with_total_and_time_left(
    api: Api, runtime: Runtime, command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _published(api, runtime, 3)
    code, out, err = _run(capsys, "reindex")
    assert code == 0, err
    assert out.startswith("3 offers indexed")
    assert any(line.startswith("reindex [") and _BAR.search(line) for line in err.splitlines()), err
