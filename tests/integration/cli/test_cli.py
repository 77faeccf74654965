"""The ``ila-register`` command as an operator meets it: one clear line for every error, progress for long work."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest

from ila_register import cli
from ila_register.wiring import Services
from support import Api, example


@pytest.fixture
def command(runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
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


def _published(api: Api, runtime: Services, count: int) -> None:
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
    api: Api, runtime: Services, command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _published(api, runtime, 3)
    target = command / "dataset.ttl"
    code, out, err = _run(capsys, "export", "--format", "ttl", "-o", str(target))
    assert code == 0, err
    assert "3 learning opportunities written" in out
    assert any(line.startswith("export ttl [") and _BAR.search(line) for line in err.splitlines()), err
    assert target.stat().st_size > 0


def test_reindex_shows_a_progress_bar_with_total_and_time_left(
    api: Api, runtime: Services, command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _published(api, runtime, 3)
    code, out, err = _run(capsys, "reindex")
    assert code == 0, err
    assert out.startswith("3 offers indexed")
    assert any(line.startswith("reindex [") and _BAR.search(line) for line in err.splitlines()), err


@pytest.mark.parametrize("expires", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "2020-01-01"])
def test_a_token_expiry_that_cannot_be_or_has_passed_is_one_line_and_exit_2(
    command: Path, runtime: Services, capsys: pytest.CaptureFixture[str], expires: str
) -> None:
    before = len(runtime.tokens.list_tokens())
    code, out, err = _run(capsys, "tokens", "create", "--role", "reviewer", "--expires", expires)
    assert code == 2, out
    assert out == ""
    line = _one_line(err)
    assert line.startswith("ila-register: ")
    assert "--expires" in line or "expir" in line
    assert len(runtime.tokens.list_tokens()) == before  # nothing issued


def test_an_unreadable_command_line_names_the_program_once(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "tokens", "create", "--role", "nosuch")
    assert code == 2
    line = _one_line(err)
    assert line.startswith("ila-register: ")
    assert line.count("ila-register") == 2  # the prefix, and the help to read: "see ila-register tokens create --help"
    assert "see ila-register tokens create --help" in line


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from ila_register import __version__

    code, out, _ = _run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"ila-register {__version__}"


def test_help_is_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert "ila-register" in out
    assert "``" not in out
    assert ":class:" not in out


def test_export_to_a_dash_writes_standard_output(
    api: Api, runtime: Services, command: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _published(api, runtime, 1)
    monkeypatch.chdir(command)
    written = _Capture()
    monkeypatch.setattr("sys.stdout", written)
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "--format", "nt", "-o", "-"])
    assert exited.value.code == 0
    assert not (command / "-").exists()
    assert b"<http" in written.buffer.getvalue()  # N-Triples on standard output, nothing else
    assert written.buffer.getvalue().decode().strip().endswith(".")
    assert "1 learning opportunities written" in capsys.readouterr().err


class _Capture(io.TextIOWrapper):
    """A standard output with a binary buffer, as a terminal or a pipe has."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    @property
    def buffer(self) -> io.BytesIO:  # type: ignore[override]
        raw = super().buffer
        assert isinstance(raw, io.BytesIO)
        return raw


def test_export_to_an_unwritable_place_fails_fast_in_one_line(
    api: Api, runtime: Services, command: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _published(api, runtime, 1)
    rendered: list[str] = []
    original = runtime.elm.__class__.dataset

    def spy(self: Any, fmt: str, progress: Any = None) -> Any:
        rendered.append(fmt)
        return original(self, fmt, progress)

    monkeypatch.setattr(runtime.elm.__class__, "dataset", spy)
    for target in (command, command / "no-such-dir" / "out.ttl"):
        code, _, err = _run(capsys, "export", "-o", str(target))
        assert code == 2, err
        assert _one_line(err).startswith(f"ila-register: cannot write {target}: "), err
        assert "[Errno" not in err
    assert rendered == []  # the output is opened first: nothing is rendered for a place that cannot be written
    kernel = Path("/proc/version")  # opens for writing, refuses the first write
    if kernel.exists():
        code, _, err = _run(capsys, "export", "-o", str(kernel))
        assert code == 2, err
        assert _one_line(err).startswith(f"ila-register: cannot write {kernel}: "), err
        assert "[Errno" not in err


def test_importing_a_directory_says_it_is_one(command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "import", str(command), "--provider", str(uuid.uuid4()))
    assert code == 2
    line = _one_line(err)
    assert "is a directory" in line
    assert "no such file" not in line


def test_a_failed_dry_run_says_nothing_was_applied(api: Api, command: Path, capsys: pytest.CaptureFixture[str]) -> None:
    provider_id, _token = api.register_provider()
    source = command / "catalogue.jsonl"
    good = msgspec.json.encode(example("offer-training.json"))
    source.write_bytes(good + b"\n" + b'{"reference": "BAD-1"}\n' * 3)
    code, out, _ = _run(capsys, "import", str(source), "--provider", provider_id, "--mode", "replace", "--dry-run")
    assert code == 1
    assert "dry run" in out
    assert "were applied" not in out
    assert "would have been applied" in out


def test_reindex_counts_what_it_will_index(
    api: Api, runtime: Services, command: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _published(api, runtime, 3)
    _, token = api.register_provider(kbo_number="0203.201.340")
    for number in range(2):
        api.submit(token, reference=f"WAITING-{number}")  # in review: not searchable, not indexed
    runtime.drain()
    code, out, err = _run(capsys, "reindex")
    assert code == 0, err
    assert out.startswith("3 offers indexed")
    assert any(line.startswith("reindex [") and _BAR.search(line) for line in err.splitlines()), err
