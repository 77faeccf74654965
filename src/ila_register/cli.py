"""The ``ila-register`` command: serve, demo, migrate, reindex, expire, export, import, tokens."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ila_register.elm.services import gzip_stream
from ila_register.lib.progress import Progress
from ila_register.runtime import Runtime
from ila_register.settings import Settings
from ila_register.vocab.lists import VocabError

PROBLEMS_SHOWN = 20  # on the terminal; the API pages through all of them


def _runtime(settings: Settings) -> Runtime:
    return Runtime.build(settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if args.demo:
        from ila_register.demo.seed import seed_demo

        print(seed_demo(settings))
    uvicorn.run(
        "ila_register.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        proxy_headers=True,
    )
    return 0


def cmd_demo(_args: argparse.Namespace, settings: Settings) -> int:
    from ila_register.demo.seed import seed_demo

    print(seed_demo(settings))
    return 0


def cmd_migrate(_args: argparse.Namespace, settings: Settings) -> int:
    runtime = _runtime(settings)
    runtime.close()
    print("database schema is up to date")
    return 0


def cmd_reindex(_args: argparse.Namespace, settings: Settings) -> int:
    runtime = _runtime(settings)
    try:
        runtime.index.prepare()
        progress = Progress("reindex")
        count = runtime.sync.rebuild(progress)
        progress.finish()
    finally:
        runtime.close()
    print(f"{count} offers indexed in the {runtime.index.name} search index")
    return 0


def cmd_expire(_args: argparse.Namespace, settings: Settings) -> int:
    runtime = _runtime(settings)
    try:
        report = runtime.eligibility.expire(actor="ila-register expire")
        runtime.sync.drain()
    finally:
        runtime.close()
    print(
        f"{report.expired} eligibilities expired; {report.suspended_or_restored} suspended or back in review "
        "(provider status or quality labels)"
    )
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    runtime = _runtime(settings)
    try:
        runtime.elm.publisher.drain()
        progress = Progress(f"export {args.format}")
        published = runtime.elm.dataset(args.format, progress)
        chunks = gzip_stream(published.chunks) if args.gzip else published.chunks
        with open(args.output, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        progress.finish()
    finally:
        runtime.close()
    print(f"{progress.done} learning opportunities written to {args.output} ({published.media_type})")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    import shutil

    from ila_register.lib.auth import Principal

    runtime = _runtime(settings)
    try:
        service = runtime.imports
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xml": "xml"}.get(Path(args.file).suffix.lower())
        if fmt is None:
            print("ila-register: name the file .jsonl, .csv or .xml", file=sys.stderr)
            return 2
        job_id, path = service.new_upload()
        shutil.copyfile(args.file, path)
        principal = Principal(role="admin", token_id="cli")  # noqa: S106 - a label for the history, not a secret
        job = service.accept(
            principal, uuid.UUID(args.provider), job_id, path, fmt, mode=args.mode, dry_run=args.dry_run
        )
        progress = Progress(f"import {Path(args.file).name}", job.records_total)
        job = service.run(job.id, progress)
        progress.finish()
        print(
            f"{job.status}: {job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
            f"{job.withdrawn} withdrawn, {job.rejected} rejected{' (dry run: nothing written)' if job.dry_run else ''}"
        )
        shown = service.problems(job.id, limit=PROBLEMS_SHOWN + 1)
        for problem in shown[:PROBLEMS_SHOWN]:
            where = "note" if problem.severity == "note" else problem.pointer or "/"
            print(f"  record {problem.record} ({problem.location}) {where}: {problem.detail}")
        if len(shown) > PROBLEMS_SHOWN:
            print(f"  ... every problem: GET /api/v1/imports/{job.id}")
        if job.error:
            print(f"  {job.error}")
        # Search and the ELM dataset catch up from the outbox in the service's background workers.
    finally:
        runtime.close()
    return 0 if job.status == "succeeded" else 1


def cmd_tokens(args: argparse.Namespace, settings: Settings) -> int:
    runtime = _runtime(settings)
    try:
        if args.tokens_command == "create":
            expires = datetime.fromisoformat(args.expires).replace(tzinfo=UTC) if args.expires else None
            issued = runtime.tokens.issue(
                args.role,
                provider_id=uuid.UUID(args.provider) if args.provider else None,
                label=args.label or "",
                expires_at=expires,
                person=args.person,
            )
            if args.quiet:
                print(issued.token)
            else:
                print(
                    f"token id: {issued.id}\nrole:     {issued.role}\ntoken:    {issued.token}\n"
                    "(the token is shown only once; it is stored hashed)"
                )
        elif args.tokens_command == "revoke":
            runtime.tokens.revoke(uuid.UUID(args.token_id))
            print(f"revoked {args.token_id}")
        else:
            for token in runtime.tokens.list_tokens():
                state = "revoked" if token.revoked_at else "active"
                print(f"{token.id}  {token.role:8}  {token.provider_id or '-':36}  {state:7}  {token.label}")
    finally:
        runtime.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ila-register", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="load the demo data first (if not loaded yet)")
    serve.set_defaults(handler=cmd_serve)
    commands.add_parser("demo", help="load the deterministic demo data").set_defaults(handler=cmd_demo)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=cmd_migrate)
    commands.add_parser("reindex", help="rebuild the search index from the database").set_defaults(handler=cmd_reindex)
    commands.add_parser(
        "expire", help="apply time-driven transitions now (also runs hourly in the server)"
    ).set_defaults(handler=cmd_expire)
    export = commands.add_parser("export", help="write the published ELM dataset to a file, with progress")
    export.add_argument("--format", choices=["ttl", "nt", "jsonld", "rdfxml", "xml"], default="ttl")
    export.add_argument("-o", "--output", required=True, help="the file to write")
    export.add_argument("--gzip", action="store_true", help="compress the output")
    export.set_defaults(handler=cmd_export)
    importer = commands.add_parser("import", help="import offers from a JSON Lines, CSV or LOQ XML file")
    importer.add_argument("file")
    importer.add_argument("--provider", required=True, help="the provider id the offers belong to")
    importer.add_argument("--dry-run", action="store_true", help="validate everything, write nothing")
    importer.add_argument("--mode", choices=["upsert", "replace"], default="upsert")
    importer.set_defaults(handler=cmd_import)
    tokens = commands.add_parser("tokens", help="manage API tokens")
    token_commands = tokens.add_subparsers(dest="tokens_command", required=True)
    create = token_commands.add_parser("create", help="issue a token (printed once)")
    create.add_argument("--role", required=True, choices=["admin", "reviewer", "provider"])
    create.add_argument("--provider", help="provider id (required for --role provider)")
    create.add_argument("--label", help="what the token is for")
    create.add_argument(
        "--person",
        help="who holds the token (e.g. a staff id); a person's tokens count as one reviewer for four eyes",
    )
    create.add_argument("--expires", help="expiry date/time (ISO 8601, UTC)")
    create.add_argument("--quiet", action="store_true", help="print only the token (for scripts)")
    revoke = token_commands.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("token_id")
    token_commands.add_parser("list", help="list tokens (never their secrets)")
    tokens.set_defaults(handler=cmd_tokens)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args, Settings.from_env())
    except VocabError as error:
        print(f"ila-register: configuration data is broken: {error}", file=sys.stderr)
        code = 2
    except ValueError as error:
        print(f"ila-register: {error}", file=sys.stderr)
        code = 2
    sys.exit(code)
