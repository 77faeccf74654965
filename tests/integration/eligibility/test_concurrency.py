"""No lost updates: concurrent provider updates and four-eyes confirmations apply once; four eyes are two people."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ila_register import cli
from ila_register.eligibility import workflow
from ila_register.providers import services as provider_services
from ila_register.wiring import Services
from support import Api, example

KMO = "be-vl-kmo-portefeuille"


def _meeting_point(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Make two requests meet right after each has read its row, before either writes.

    Without a row lock both get there and both apply; with one, the second waits for the
    first to commit (the meeting times out) and then reads what the first wrote.
    """
    barrier = threading.Barrier(2)
    original: Callable[..., Any] = getattr(module, name)

    def wait_then(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wait_then)


def _both(*calls: Callable[[], Any]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result() for f in [pool.submit(call) for call in calls]]


def _kmo_offer(api: Api, token: str) -> dict[str, Any]:
    return api.submit(token, schemes_requested=[KMO], duration_hours=60, price={"amount": "495.00", "currency": "EUR"})


def _decide(api: Api, offer_id: str, token: str) -> Any:
    return api.client.post(
        f"/api/v1/offers/{offer_id}/decisions",
        json={"scheme": KMO, "decision": "eligible"},
        headers=api.auth(token) | api.if_match(offer_id),
    )


def test_two_concurrent_confirmations_apply_once(api: Api, runtime: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    _, token = api.register_provider()
    offer = _kmo_offer(api, token)
    first, second, third = (runtime.tokens.issue("reviewer").token for _ in range(3))
    assert _decide(api, offer["id"], first).json()["status"] == "awaiting-confirmation"
    _meeting_point(monkeypatch, workflow, "plan_decision")

    answers = _both(lambda: _decide(api, offer["id"], second), lambda: _decide(api, offer["id"], third))

    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.headers["content-type"].startswith("application/problem+json")
    history = api.client.get(f"/api/v1/offers/{offer['id']}/history", headers=api.admin).json()
    assert [d["to_status"] for d in history["decisions"]].count("eligible") == 1


def test_two_concurrent_provider_updates_one_wins_the_other_is_told(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    provider_id, token = api.register_provider()
    etag = api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).headers["etag"]
    _meeting_point(monkeypatch, provider_services, "check_if_match")

    def put(email: str) -> Any:
        return api.client.put(
            f"/api/v1/providers/{provider_id}",
            json=example("provider.json") | {"email": email},
            headers=api.auth(token, **{"If-Match": etag}),
        )

    answers = _both(lambda: put("a@kustacademie.example.be"), lambda: put("b@kustacademie.example.be"))

    assert sorted(a.status_code for a in answers) == [200, 412]
    winner = next(a for a in answers if a.status_code == 200).json()["email"]
    assert api.client.get(f"/api/v1/providers/{provider_id}", headers=api.auth(token)).json()["email"] == winner


def test_the_same_person_cannot_confirm_with_a_second_token(api: Api, runtime: Services) -> None:
    _, token = api.register_provider()
    offer = _kmo_offer(api, token)
    an_desk, an_laptop = (
        runtime.tokens.issue("reviewer", person="an", label=where).token for where in ("desk", "laptop")
    )
    luc = runtime.tokens.issue("reviewer", person="luc").token
    assert _decide(api, offer["id"], an_desk).json()["status"] == "awaiting-confirmation"
    refused = _decide(api, offer["id"], an_laptop)
    assert refused.status_code == 409
    assert "second reviewer" in refused.json()["detail"]
    queue = api.client.get("/api/v1/reviews", params={"mine_to_confirm": "true"}, headers=api.auth(an_laptop)).json()
    assert queue["items"] == []
    assert _decide(api, offer["id"], luc).json()["status"] == "eligible"


def test_a_token_without_a_person_is_its_own_person(runtime: Services) -> None:
    issued = runtime.tokens.issue("reviewer")
    principal = runtime.tokens.authenticate(f"Bearer {issued.token}")
    assert principal.person == str(issued.id)
    named = runtime.tokens.issue("reviewer", person="an")
    assert runtime.tokens.authenticate(f"Bearer {named.token}").person == "an"


def test_the_cli_names_the_person_behind_a_token(
    runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    with pytest.raises(SystemExit) as done:
        cli.main(["tokens", "create", "--role", "reviewer", "--person", "an", "--quiet"])
    assert done.value.code == 0
    token = capsys.readouterr().out.strip()
    assert runtime.tokens.authenticate(f"Bearer {token}").person == "an"


@pytest.mark.parametrize(
    ("proposer", "confirmer"),
    # full-width letters (as an East Asian keyboard types them) are the same person
    [
        ("Alice", "alice"),
        ("alice", "  ALICE "),
        ("\uff21\uff4c\uff49\uff43\uff45", "alice"),
        ("An  Peeters", "an peeters"),
    ],
)
def test_a_person_is_one_person_whatever_case_spacing_or_width(
    api: Api, runtime: Services, proposer: str, confirmer: str
) -> None:
    _, token = api.register_provider()
    offer = _kmo_offer(api, token)
    first = runtime.tokens.issue("reviewer", person=proposer).token
    second = runtime.tokens.issue("reviewer", person=confirmer).token
    assert _decide(api, offer["id"], first).json()["status"] == "awaiting-confirmation"

    refused = _decide(api, offer["id"], second)

    assert refused.status_code == 409, refused.text
    assert "second reviewer" in refused.json()["detail"]
    queue = api.client.get("/api/v1/reviews", params={"mine_to_confirm": "true"}, headers=api.auth(second)).json()
    assert queue["items"] == []


@pytest.mark.parametrize("blank", ["", "   ", "\t\u3000"])
def test_a_blank_person_is_refused_when_the_token_is_created(
    runtime: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    blank: str,
) -> None:
    with pytest.raises(ValueError, match="blank"):
        runtime.tokens.issue("reviewer", person=blank)
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))
    before = len(runtime.tokens.list_tokens())

    with pytest.raises(SystemExit) as done:
        cli.main(["tokens", "create", "--role", "reviewer", "--person", blank, "--quiet"])

    _out, err = capsys.readouterr()
    assert done.value.code == 2
    assert err.startswith("ila-register: ")
    assert "blank" in err
    assert len(runtime.tokens.list_tokens()) == before  # no token was made


def test_tokens_list_shows_the_person(
    runtime: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    named = runtime.tokens.issue("reviewer", person="  An   Peeters ", label="desk")
    anonymous = runtime.tokens.issue("reviewer", label="laptop")
    monkeypatch.setenv("ILA_DATABASE_URL", runtime.settings.database.url)
    monkeypatch.setenv("ILA_VAR_DIR", str(tmp_path / "cli-var"))

    with pytest.raises(SystemExit) as done:
        cli.main(["tokens", "list"])

    out = capsys.readouterr().out
    assert done.value.code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "An Peeters" in rows[str(named.id)]
    assert "desk" in rows[str(named.id)]
    assert "An Peeters" not in rows[str(anonymous.id)]
