"""ila-register: run and operate the Individual Learning Account register.

Serve the API and the catalogue, load the demo, migrate the database, rebuild or reconcile the
search index, apply time-driven transitions, prune the outbox, export the ELM dataset, import
offers, manage tokens.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import typing
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ila_register import __version__
from ila_register.db.outbox import count_unapplied, prune
from ila_register.elm.services import gzip_stream
from ila_register.kernel.exceptions import RegisterError
from ila_register.kernel.redact import install as install_redaction
from ila_register.kernel.redact import redact
from ila_register.platform.progress import Progress
from ila_register.settings import Settings
from ila_register.vocab.lists import VocabError
from ila_register.wiring import Services

PROBLEMS_SHOWN = 20  # on the terminal; the API pages through all of them


def _services(settings: Settings) -> Services:
    return Services.build(settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from ila_register.kernel.redact import logging_config

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
        # The register reads X-Forwarded-For itself, from ILA_TRUSTED_PROXIES only (platform/clients.py);
        # uvicorn's own rewriting would believe any local client.
        proxy_headers=False,
        log_config=logging_config(LOGGING_CONFIG),  # no token-like value in any log line
        http="ila_register.platform.protocol:TimedH11Protocol",  # uvicorn's h11, with a deadline for request heads
    )
    return 0


def cmd_demo(_args: argparse.Namespace, settings: Settings) -> int:
    from ila_register.demo.seed import seed_demo

    print(seed_demo(settings))
    return 0


def cmd_migrate(_args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    services.close()
    print("database schema is up to date")
    return 0


def cmd_reindex(_args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    try:
        services.index.prepare()
        progress = Progress("reindex", services.sync.offers_to_index())
        count = services.sync.rebuild(progress)
        progress.finish()
    finally:
        services.close()
    print(f"{count} offers indexed in the {services.index.name} search index")
    return 0


def cmd_reconcile(args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    try:
        services.index.prepare()
        report = services.sync.reconcile(repair=not args.check)
    finally:
        services.close()
    print(
        f"{report.database_documents} searchable offers, {report.index_documents} indexed: "
        f"{report.missing} missing, {report.stale} stale, {report.extra} extra "
        f"(shards {','.join(report.mismatched_shards) or 'none'}); {report.repaired} repaired, "
        f"{report.pending} pending in the outbox"
    )
    return 1 if args.check and report.differences else 0


def cmd_expire(_args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    try:
        report = services.eligibility.expire(actor="ila-register expire")
        services.sync.drain()
    finally:
        services.close()
    print(
        f"{report.expired} eligibilities expired; {report.suspended_or_restored} suspended or back in review "
        "(provider status or quality labels)"
    )
    return 0


def cmd_prune_outbox(_args: argparse.Namespace, settings: Settings) -> int:
    services = _services(settings)
    retention = timedelta(seconds=settings.database.outbox_retention_seconds)
    try:
        deleted = prune(services.db, services.clock, retention)
        with services.db.read() as session:
            pending = count_unapplied(session)
    finally:
        services.close()
    print(
        f"{deleted} outbox events deleted (applied by every consumer more than {retention} ago); "
        f"{pending} still pending for a consumer"
    )
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``-o -`` writes standard output (the summary then goes to standard error). The output is
    opened first and the first chunk flushed at once, so a place that cannot be written fails
    before the dataset is read, not after."""
    to_stdout = args.output == "-"
    try:
        out: typing.BinaryIO = sys.stdout.buffer if to_stdout else open(args.output, "wb")  # noqa: SIM115
    except OSError as error:
        return _fail(f"cannot write {args.output}: {error.strerror or error}")
    services = _services(settings)
    try:
        services.elm.publisher.drain()
        progress = Progress(f"export {args.format}", services.elm.published_count())
        published = services.elm.dataset(args.format, progress)
        chunks = gzip_stream(published.chunks) if args.gzip else published.chunks
        try:
            for number, chunk in enumerate(chunks):
                out.write(chunk)
                if number == 0:
                    out.flush()
            out.flush()
        except OSError as error:
            return _fail(f"cannot write {args.output}: {error.strerror or error}")
        progress.finish()
    finally:
        services.close()
        if not to_stdout:
            with contextlib.suppress(OSError):  # its write error was reported above
                out.close()
    where = "standard output" if to_stdout else args.output
    print(
        f"{progress.done} learning opportunities written to {where} ({published.media_type})",
        file=sys.stderr if to_stdout else sys.stdout,
    )
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when every record was applied, 1 when records were rejected or the job failed, 2 when
    the command cannot start (no such file, no such provider, a file the register refuses)."""
    import shutil

    from ila_register.platform.auth import Principal

    source = Path(args.file)
    fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xml": "xml"}.get(source.suffix.lower())
    if (unusable := _unusable_source(source)) is not None:
        return _fail(unusable)
    if fmt is None:
        return _fail("name the file .jsonl, .csv or .xml")
    try:
        provider_id = uuid.UUID(args.provider)
    except ValueError:
        return _fail(f"{args.provider!r} is not a provider id (a UUID, as GET /api/v1/providers shows)")
    principal = Principal(role="admin", token_id="cli")  # noqa: S106 - a label for the history, not a secret
    services = _services(settings)
    try:
        service = services.imports
        try:
            service.provider_for(principal, provider_id)
            job_id, path = service.new_upload()
            try:
                shutil.copyfile(source, path)
            except OSError as error:
                path.unlink(missing_ok=True)
                return _fail(f"cannot read {args.file}: {error.strerror or error}")
            job = service.accept(principal, provider_id, job_id, path, fmt, mode=args.mode, dry_run=args.dry_run)
        except RegisterError as error:
            return _fail(error.detail)
        progress = Progress(f"import {source.name}", job.records_total)
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
        if job.withdrawn:
            references = service.withdrawals(job.id, limit=PROBLEMS_SHOWN + 1)
            verb = "would withdraw" if job.dry_run else "withdrawn"
            more = " ..." if len(references) > PROBLEMS_SHOWN else ""
            print(f"  {verb}: {', '.join(references[:PROBLEMS_SHOWN])}{more}")
        if job.error:
            print(f"  {job.error}")
        # Search and the ELM dataset catch up from the outbox in the service's background workers.
    finally:
        services.close()
    return 0 if job.status == "succeeded" and job.rejected == 0 else 1


def _unusable_source(source: Path) -> str | None:
    """Why ``import`` cannot read ``source`` as a file, or ``None``."""
    if source.is_dir():
        return f"{source} is a directory; name a .jsonl, .csv or .xml file"
    if not source.is_file():
        return f"no such file: {source}"
    return None


def _expiry(text: str) -> datetime:
    """``--expires``: an ISO 8601 instant; its offset is kept, a time without one is UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        example = "2027-01-01T00:00:00+01:00"
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date/time, e.g. {example}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def cmd_tokens(args: argparse.Namespace, settings: Settings) -> int:
    from ila_register.platform.auth import fingerprint

    services = _services(settings)
    try:
        if args.tokens_command == "create":
            issued = services.tokens.issue(
                args.role,
                provider_id=uuid.UUID(args.provider) if args.provider else None,
                label=args.label or "",
                expires_at=args.expires,
                person=args.person,
            )
            if args.quiet:
                print(issued.token)
            else:
                print(
                    f"token id:    {issued.id}\nrole:        {issued.role}\nfingerprint: {issued.fingerprint}\n"
                    f"token:       {issued.token}\n"
                    "(the token is shown only once; it is stored hashed; `tokens list` shows its fingerprint)"
                )
        elif args.tokens_command == "revoke":
            revoked = services.tokens.revoke(args.token)
            print(f"revoked {revoked.id} (fingerprint {fingerprint(revoked.token_hash)})")
        else:
            now = services.clock()
            for token in services.tokens.list_tokens():
                state = (
                    "revoked"
                    if token.revoked_at
                    else "expired"
                    if token.expires_at is not None and token.expires_at <= now
                    else "active"
                )
                provider = str(token.provider_id) if token.provider_id else "-"
                person = token.person or "-"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                print(
                    f"{token.id}  {token.role:8}  {provider:36}  {state:7}  {person:20}  "
                    f"{fingerprint(token.token_hash)}  {token.created_at:%Y-%m-%d %H:%M}  {used:16}  {token.label}"
                )
    finally:
        services.close()
    return 0


def _uuid(text: str) -> str:
    """An id argument, checked when the command line is read (the commands take it as text)."""
    try:
        uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an id (a UUID such as {uuid.UUID(int=0)}): {text!r}") from None
    return text


def _token_reference(text: str) -> str:
    """A token id or a token itself (``ila_…``); anything else is refused when the command line is read."""
    from ila_register.platform.auth import TOKEN_PREFIX

    if text.strip().startswith(TOKEN_PREFIX):
        return text  # a secret: never repeated (``_fail`` redacts it anyway)
    try:
        return _uuid(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"neither a token id (a UUID such as {uuid.UUID(int=0)}) nor a token ({TOKEN_PREFIX}…): {text!r}"
        ) from None


class _Parser(argparse.ArgumentParser):
    """A command line that cannot be read is one line on stderr and exit status 2, like every other error."""

    def error(self, message: str) -> typing.NoReturn:
        sys.exit(_fail(f"{message} (see {self.prog} --help)"))  # _fail names the program


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ila-register", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    reconcile = commands.add_parser(
        "reconcile", help="compare the search index with the database and repair differences (also periodic)"
    )
    reconcile.add_argument("--check", action="store_true", help="only report; exit 1 if anything differs")
    reconcile.set_defaults(handler=cmd_reconcile)
    commands.add_parser(
        "expire", help="apply time-driven transitions now (also runs hourly in the server)"
    ).set_defaults(handler=cmd_expire)
    commands.add_parser(
        "prune-outbox",
        help="delete outbox events every consumer applied longer than ILA_OUTBOX_RETENTION_SECONDS ago (also hourly)",
    ).set_defaults(handler=cmd_prune_outbox)
    export = commands.add_parser("export", help="write the published ELM dataset to a file, with progress")
    export.add_argument("--format", choices=["ttl", "nt", "jsonld", "rdfxml", "xml"], default="ttl")
    export.add_argument("-o", "--output", required=True, help="the file to write (- for standard output)")
    export.add_argument("--gzip", action="store_true", help="compress the output")
    export.set_defaults(handler=cmd_export)
    importer = commands.add_parser("import", help="import offers from a JSON Lines, CSV or LOQ XML file")
    importer.add_argument("file")
    importer.add_argument("--provider", required=True, type=_uuid, help="the provider id the offers belong to")
    importer.add_argument("--dry-run", action="store_true", help="validate everything, write nothing")
    importer.add_argument("--mode", choices=["upsert", "replace"], default="upsert")
    importer.set_defaults(handler=cmd_import)
    tokens = commands.add_parser("tokens", help="manage API tokens")
    token_commands = tokens.add_subparsers(dest="tokens_command", required=True)
    create = token_commands.add_parser("create", help="issue a token (printed once)")
    create.add_argument("--role", required=True, choices=["admin", "reviewer", "provider"])
    create.add_argument("--provider", type=_uuid, help="provider id (required for --role provider)")
    create.add_argument("--label", help="what the token is for")
    create.add_argument(
        "--person",
        help="who holds the token (e.g. a staff id); a person's tokens count as one reviewer for four eyes",
    )
    create.add_argument("--expires", type=_expiry, help="expiry date/time (ISO 8601; with its offset, or else UTC)")
    create.add_argument("--quiet", action="store_true", help="print only the token (for scripts)")
    revoke = token_commands.add_parser("revoke", help="revoke a token by its id, or by the token itself")
    revoke.add_argument(
        "token", type=_token_reference, help="the token id (as `tokens list` shows it) or the leaked token itself"
    )
    token_commands.add_parser("list", help="list tokens (never their secrets)")
    tokens.set_defaults(handler=cmd_tokens)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run one command; every error it can explain is one line on stderr and exit status 2."""
    install_redaction()
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args, Settings.from_env())
    except VocabError as error:
        code = _fail(f"configuration data is broken: {error}")
    except RegisterError as error:  # the register's own errors (kernel/exceptions.py), as an API client reads them
        code = _fail(error.detail)
    except OSError as error:  # a file that is missing or unreadable, a directory that cannot be written
        code = _fail(f"{error.strerror or error}: {error.filename}" if error.filename else str(error))
    except ValueError as error:
        code = _fail(str(error))
    sys.exit(code)


def _fail(message: str) -> int:
    """One line on standard error and exit status 2: the command could not do what it was asked."""
    # One line, whatever the message holds, and never a token (a secret pasted where an id belonged).
    print(f"ila-register: {redact(' '.join(message.split()))}", file=sys.stderr)
    return 2
