"""Load: a real server under concurrent clients, then proof that every acknowledged write arrived.

    python benchmarks/load.py [--database sqlite|postgresql] [--clients 32] [--seconds 60] [--workers 2]

The demo register (29 providers, 288 offers) is loaded, the server is started as in production
(`ila-register serve --workers N`: uvicorn worker processes, background workers coordinating
through database leases), and each client, a thread with its own provider token, loops for the
given time over: search 80 % (words from the demo titles, typos, filters), read one of its
offers 8 %, submit a new offer 7 %, update one of its eligible offers 5 % (GET for the ETag, then
PUT with If-Match; the description gets a word no other write uses).

Afterwards every acknowledged write (201/200) is checked: in the database (the provider reads
the offer back, with the last acknowledged content); in search (its unique word finds it; new
offers first get an administrator's decision, as offers do before citizens can see them); in
the ELM dataset (its persistent URI shows the last content) and in the change feed. Exit status
1 if any answer was a 5xx, any write is missing anywhere, or SQLite's "database is locked"
reached a client. Prints one JSON document: throughput, p50/p99 per operation, the checks.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import msgspec

from harness import ServerProcess, drop_database, fresh_database, latest_changes
from ila_register.demo.generator import generate_demo
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.services import OfferFilters
from ila_register.platform.auth import Principal
from ila_register.settings import Settings
from ila_register.wiring import Services

WEIGHTS = {"search": 80, "read": 8, "submit": 7, "update": 5}
DOCUMENT_FIELDS = frozenset(f.encode_name for f in msgspec.structs.fields(OfferCreate))
FILTERS = [
    {},
    {"mode": "online"},
    {"kind": "training"},
    {"language": "fr"},
    {"near_postcode": "9000", "radius_km": "25"},
]


@dataclass
class Client:
    provider_id: str
    token: str
    offers: list[str]  # ids of eligible offers this client alone updates
    readable: list[str]
    template: dict[str, Any]  # one of its provider's eligible offers, copied for submissions
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    created: dict[str, str] = field(default_factory=dict)  # offer id -> unique word in its title
    updated: dict[str, str] = field(default_factory=dict)  # offer id -> last acknowledged word
    locked: int = 0


def _words() -> list[str]:
    demo = generate_demo(2027)
    words = {
        word.strip(".,:;()'\"").lower()
        for provider in demo.providers
        for offer in provider.offers
        for title in offer.document["title"].values()
        for word in title.split()
    }
    chosen = sorted(w for w in words if len(w) >= 6 and w.isalpha())
    typos = [w[:2] + w[3:] for w in chosen[::7]]  # one letter dropped
    return chosen + typos


def prepare(settings: Settings, clients: int) -> list[Client]:
    """Provider tokens, and for each client the offers it alone may update (eligible ones)."""
    runtime = Services.build(settings)
    admin = Principal(role="admin", token_id="load")  # noqa: S106 - a label, not a secret
    try:
        providers = [
            p.id
            for p in runtime.providers.list_providers(admin)
            if runtime.offers.list_offers(admin, OfferFilters(provider_id=p.id, eligibility="eligible"), limit=1).items
        ]
        prepared = []
        for number in range(clients):
            provider_id = providers[number % len(providers)]
            token = runtime.tokens.issue("provider", provider_id=provider_id, label="load test").token
            eligible = runtime.offers.list_offers(
                admin, OfferFilters(provider_id=provider_id, eligibility="eligible"), limit=200
            ).items
            sharing = [n for n in range(clients) if providers[n % len(providers)] == provider_id]
            mine = [str(v.offer.id) for i, v in enumerate(eligible) if i % len(sharing) == sharing.index(number)]
            template = msgspec.to_builtins(eligible[0].offer.content)
            prepared.append(Client(str(provider_id), token, mine, [str(v.offer.id) for v in eligible], template))
        return prepared
    finally:
        runtime.close()


def reviewer_tokens(settings: Settings) -> list[str]:
    runtime = Services.build(settings, migrate=False)
    try:
        return [runtime.tokens.issue("reviewer", label=f"load test {n}").token for n in (1, 2)]
    finally:
        runtime.close()


def run_client(client: Client, base: str, until: float, words: list[str], seed: int) -> None:
    rng = random.Random(seed)
    auth = {"Authorization": f"Bearer {client.token}"}
    with httpx.Client(base_url=base, timeout=60) as http:
        while time.monotonic() < until:
            operation = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            if operation in {"read", "update"} and not (client.offers if operation == "update" else client.readable):
                operation = "search"
            started = time.perf_counter()
            try:
                answer = _operate(http, client, operation, auth, rng, words)
            except httpx.HTTPError as error:
                client.statuses[operation][599] += 1
                print(f"{operation}: {error!r}", file=sys.stderr)
                continue
            client.latencies[operation].append(time.perf_counter() - started)
            client.statuses[operation][answer.status_code] += 1
            if "database is locked" in answer.text:
                client.locked += 1


def _operate(
    http: httpx.Client, client: Client, operation: str, auth: dict[str, str], rng: random.Random, words: list[str]
) -> httpx.Response:
    if operation == "search":
        params = {"q": rng.choice(words), **rng.choice(FILTERS)}
        return http.get("/api/v1/search", params=params)
    if operation == "read":
        return http.get(f"/api/v1/offers/{rng.choice(client.readable)}", headers=auth)
    word = "zq" + secrets.token_hex(5)  # a word no demo text contains
    if operation == "submit":
        document = dict(client.template, reference=f"LOAD-{uuid.uuid4().hex[:16]}")
        language = next(iter(document["title"]))
        document["title"] = {**document["title"], language: f"{document['title'][language]} {word}"}
        answer = http.post("/api/v1/offers", json=document, headers=auth)
        if answer.status_code == 201:
            client.created[answer.json()["id"]] = word
        return answer
    offer_id = rng.choice(client.offers)
    current = http.get(f"/api/v1/offers/{offer_id}", headers=auth)
    document = {k: v for k, v in current.json().items() if k in DOCUMENT_FIELDS}
    description = dict(document["description"])
    language = next(iter(description))
    description[language] = f"{description[language].split(' zq')[0]} {word}"
    document["description"] = description
    answer = http.put(f"/api/v1/offers/{offer_id}", json=document, headers=auth | {"If-Match": current.headers["etag"]})
    if answer.status_code == 200:
        client.updated[offer_id] = word
    return answer


def verify(
    base: str, admin_token: str, reviewers: list[str], clients: list[Client], timeout: float = 300
) -> dict[str, Any]:
    """Every acknowledged write: in the database, in search, in the ELM dataset and feed."""
    admin = {"Authorization": f"Bearer {admin_token}"}
    missing: dict[str, list[str]] = defaultdict(list)
    with httpx.Client(base_url=base, timeout=60) as http:
        # New offers, and material changes to approved ones, need reviewers' decisions before
        # citizens see them (until then search and ELM keep the approved version).
        for client in clients:
            for offer_id in {**client.created, **client.updated}:
                read = http.get(f"/api/v1/offers/{offer_id}", headers=admin)
                offer = read.json()
                for item in offer["eligibility"]:
                    for reviewer in reviewers if item["status"] == "in-review" else []:
                        http.post(
                            f"/api/v1/offers/{offer_id}/decisions",
                            json={"scheme": item["scheme"], "decision": "eligible", "reason": "load test"},
                            headers={"Authorization": f"Bearer {reviewer}", "If-Match": read.headers["etag"]},
                        )  # the second reviewer confirms on four-eyes schemes; elsewhere a harmless 409
        expected = {o: w for c in clients for o, w in {**c.created, **c.updated}.items()}
        owners = {o: c for c in clients for o in {**c.created, **c.updated}}
        deadline = time.monotonic() + timeout
        feed: dict[str, str] = {}
        while time.monotonic() < deadline:  # the outbox drains into search and the ELM feed
            backlog = http.get("/health").json()["search"].get("backlog")
            feed = {offer: json.dumps(item) for offer, item in latest_changes(http).items()}
            if backlog == 0 and all(word in feed.get(o, "") for o, word in expected.items()):
                break
            time.sleep(1)
        for offer_id, word in expected.items():
            auth = {"Authorization": f"Bearer {owners[offer_id].token}"}
            stored = http.get(f"/api/v1/offers/{offer_id}", headers=auth)
            if stored.status_code != 200 or word not in stored.text:
                missing["database"].append(offer_id)
            found = http.get("/api/v1/search", params={"q": word}).json()
            if offer_id not in {hit["id"] for hit in found.get("hits", [])}:
                missing["search"].append(offer_id)
            elm = http.get(f"/id/learning-opportunity/{offer_id}", headers={"Accept": "text/turtle"})
            if elm.status_code != 200 or word not in elm.text:
                missing["elm dataset"].append(offer_id)
            if word not in feed.get(offer_id, ""):
                missing["change feed"].append(offer_id)
    return {"writes_checked": len(expected), "missing": {k: v[:20] for k, v in missing.items()}}


def summarise(clients: list[Client], seconds: float) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    total = 0
    for operation in WEIGHTS:
        latencies = sorted(x for c in clients for x in c.latencies.get(operation, []))
        statuses: dict[int, int] = defaultdict(int)
        for c in clients:
            for status, count in c.statuses.get(operation, {}).items():
                statuses[status] += count
        total += len(latencies)
        operations[operation] = {
            "count": len(latencies),
            "per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if len(latencies) >= 100 else None,
            "statuses": dict(sorted(statuses.items())),
        }
    return {"requests": total, "requests_per_second": round(total / seconds, 1), "operations": operations}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep-log", type=Path, help="copy the server's log here")
    args = parser.parse_args()
    admin_token = "ila_" + secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="ila-load-") as work_dir:
        work = Path(work_dir)
        url = fresh_database(args.database, work, f"ila_load_{os.getpid()}")
        env = {
            "ILA_DATABASE_URL": url,
            "ILA_VAR_DIR": str(work / "var"),
            "ILA_BOOTSTRAP_ADMIN_TOKEN": admin_token,
            "ILA_FAILED_AUTH_LIMIT": "1000",
        }
        settings = Settings.from_env(env)
        from ila_register.demo.seed import seed_demo

        seed_demo(settings, show_progress=False)
        clients = prepare(settings, args.clients)
        words = _words()
        server = ServerProcess(env, work / "server.log", workers=args.workers)
        try:
            server.start()
            until = time.monotonic() + args.seconds
            started = time.perf_counter()
            threads = [
                threading.Thread(target=run_client, args=(c, server.url, until, words, n), daemon=True)
                for n, c in enumerate(clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            checks = verify(server.url, admin_token, reviewer_tokens(settings), clients)
        finally:
            server.stop()
            log = (work / "server.log").read_text(errors="replace")
            if args.keep_log:
                args.keep_log.write_text(log)
            drop_database(url)
    summary = summarise(clients, elapsed)
    server_errors = sum(
        count for o in summary["operations"].values() for status, count in o["statuses"].items() if status >= 500
    )
    locked = sum(c.locked for c in clients) + log.count("database is locked")
    result = {
        "command": " ".join(["python", "benchmarks/load.py", *sys.argv[1:]]),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "database": args.database,
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(elapsed, 1),
        **summary,
        "server_errors": server_errors,
        "database_locked_seen": locked,
        "tracebacks_in_server_log": log.count("Traceback"),
        **checks,
    }
    print(json.dumps(result, indent=2))
    ok = server_errors == 0 and not checks["missing"] and locked == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
