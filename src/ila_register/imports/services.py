"""Bulk import jobs: accept a file, then apply it record by record in the background.

Each record is stored whole or not at all (a batch is one transaction; if it fails, its records
are retried one transaction each). Progress is committed with each batch, so a job interrupted
by a crash resumes after the last committed record; re-applying a record is harmless because
offers are upserted by the provider's reference and unchanged content writes nothing.

Fairness: a worker gives each job a turn of about ``SLICE_SECONDS`` and then the next turn to
the provider it served least recently, so one provider's long file cannot hold back the others;
a paused job keeps its lease and its open reader, and resumes where it stopped.

Replace mode withdraws only what is absent from a file that was read to its end and understood:
a file without records, one that broke off, one with a record that could not be read at all (its
reference is unknown: a line cut off, not JSON, an unclosed CSV quote), or one with more than
``max_rejected_share`` of its records rejected (understood, but invalid) withdraws nothing, and a
rejected record keeps its live offer. A dry run goes through the same steps and reports the same
counts, the references it would withdraw and whether it would fail; it only writes nothing.
"""

from __future__ import annotations

import errno
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import msgspec
from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ila_register.db.engine import Database
from ila_register.db.models import ImportJob, ImportProblem, ImportSeen, ImportWithdrawal, ProviderRecord
from ila_register.imports.csv_format import count_csv_records, read_csv
from ila_register.imports.domain import Job, JobProblem
from ila_register.imports.jsonl import count_records, read_jsonl
from ila_register.imports.loq_xml import LoqReader, check_safe
from ila_register.imports.records import FileProblem, SourceRecord
from ila_register.kernel.clock import Clock
from ila_register.kernel.documents import DocumentDecoder
from ila_register.kernel.exceptions import (
    Conflict,
    InvalidDocument,
    InvalidParameters,
    MalformedDocument,
    NotFound,
    PermissionDenied,
    ProviderSuspended,
    RegisterError,
    ServiceUnavailable,
)
from ila_register.kernel.text import clean
from ila_register.offers.domain import OfferContent
from ila_register.offers.schemas import OfferCreate
from ila_register.offers.services import OfferService
from ila_register.offers.validation import OfferValidator
from ila_register.platform.auth import Principal

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "xml")
BATCH = 250
ANALYSE_EVERY = 20_000  # records; see Database.refresh_statistics
MAX_PROBLEMS_PER_JOB = 10_000  # errors kept per job (the counts stay exact beyond)
MAX_NOTES_PER_JOB = 1_000  # notes ("ignored: …") repeat from record to record
MAX_WITHDRAWALS_SHOWN = 1_000  # references listed per job (the count stays exact beyond)
SLICE_SECONDS = 2.0  # a job's turn on a worker before another provider's job gets one
MAX_OPEN_READERS = 8  # paused jobs whose reader a worker keeps open (others re-read up to their checkpoint)
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
NO_RECORDS = {
    "jsonl": "the file holds no records (one offer document per line; blank lines are not records)",
    "csv": "the file holds no records, only a header",
    "xml": "the file holds no learning opportunities (Courses/learningOpportunityReferences/learningOpportunity)",
}


class LeaseLost(Exception):
    """The worker stalled past its lease and another worker resumed the job."""


class _Refused(Exception):
    """The job read its whole file but must not finish as asked (a replace that would withdraw blindly)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(slots=True)
class _Reading:
    """A job's records as this worker reads them, kept open between the job's turns."""

    records: Iterator[SourceRecord]
    position: int  # the last record handed out and applied (the job's records_done)
    analyse_at: int
    pending: SourceRecord | None = None  # read at the end of a turn, applied at the next
    broken_off: SourceRecord | None = None  # the record after which the reader could not go on
    last_turn: int = 0

    def take(self) -> SourceRecord | None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            return pending
        record = next(self.records, None)
        if record is not None and record.broken_off:
            self.broken_off = record
        return record

    def close(self) -> None:
        close = getattr(self.records, "close", None)
        if close is not None:
            close()


@dataclass(slots=True)
class _Outcome:
    reference: str | None
    problems: list[tuple[str, str]]
    notes: list[str]
    content: OfferContent | None = None
    # Not even an offer document could be read, so its reference is unknown (not merely invalid).
    unreadable: bool = False


class ImportService:
    """Accepts providers' offer files and applies them record by record in the background."""

    def __init__(
        self,
        db: Database,
        offers: OfferService,
        validator: OfferValidator,
        loq: LoqReader,
        storage: Path,
        clock: Clock,
        max_bytes: int,
        *,
        lease: timedelta = timedelta(seconds=60),
        max_records: int = 200_000,
        max_rejected_share: float = 0.1,
    ) -> None:
        self.db = db
        self.offers = offers
        self.validator = validator
        self.loq = loq
        self.storage = storage
        self.clock = clock
        self.max_bytes = max_bytes
        self.lease = lease
        self.max_records = max_records
        self.max_rejected_share = max_rejected_share
        self.decoder = DocumentDecoder(OfferCreate, OfferCreate.register_fields, check=validator.problems_in)
        self.owner = str(uuid.uuid4())
        self._readings: dict[uuid.UUID, _Reading] = {}
        self._served: dict[uuid.UUID, int] = {}  # provider -> the turn it last had on this worker
        self._turns = itertools.count(1)
        self._turn_number = 0

    # -- accepting a file ----------------------------------------------------------------------

    def provider_for(self, principal: Principal, provider_id: uuid.UUID | None) -> uuid.UUID:
        """The provider an upload's offers belong to: the caller's own, or the one an admin names."""
        owner = principal.acting_for(provider_id)
        if principal.role == "provider" and owner is not None:
            return owner
        if principal.role == "admin":
            if provider_id is None:
                raise InvalidParameters(
                    [("provider_id", "an administrator names the provider the offers belong to (?provider_id=…)")]
                )
            with self.db.read() as session:
                if session.get(ProviderRecord, provider_id) is None:
                    raise NotFound(f"No provider {provider_id}.")
            return provider_id
        raise PermissionDenied("Providers import their own offers; administrators name the provider (provider_id).")

    def new_upload(self) -> tuple[uuid.UUID, Path]:
        """Where to store an upload (the caller streams it there)."""
        try:
            self.storage.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if full := self.no_space(error):
                raise full from error
            raise
        job_id = uuid.uuid4()
        return job_id, self.storage / f"{job_id}.upload"

    @staticmethod
    def no_space(error: OSError) -> ServiceUnavailable | None:
        """A full disk under the import storage is temporary for the client: a 503, not a 500."""
        if error.errno not in NO_SPACE:
            return None
        return ServiceUnavailable(
            "The register has no space left to store the file, so nothing was imported; please retry later. "
            "Operators: free disk space in the import directory (ILA_IMPORT_DIR)."
        )

    def accept(
        self,
        principal: Principal,
        provider_id: uuid.UUID,
        job_id: uuid.UUID,
        path: Path,
        fmt: str,
        *,
        mode: str,
        dry_run: bool,
    ) -> Job:
        """Check the stored file and queue the job; nothing is applied yet.

        Refused (and the file removed): an empty file, one without records or with more than
        ``max_records``, unsafe or foreign XML, a CSV without its header. Nothing stays behind
        when the job cannot be stored either (a read-only database).
        """
        try:
            total = self._check(path, fmt)
            return _job_of(self._queue(principal, provider_id, job_id, path, fmt, total, mode=mode, dry_run=dry_run))
        except FileProblem as problem:
            path.unlink(missing_ok=True)
            raise InvalidDocument([], f"The file cannot be imported: {problem.detail}.") from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def _check(self, path: Path, fmt: str) -> int:
        if path.stat().st_size == 0:
            raise FileProblem("the file is empty")
        counters: dict[str, Callable[[Path], int]] = {
            "xml": check_safe,
            "jsonl": count_records,
            "csv": count_csv_records,
        }
        total = counters[fmt](path)
        if total == 0:
            raise FileProblem(NO_RECORDS[fmt])
        if total > self.max_records:
            raise FileProblem(
                f"it holds {total} records, and one import takes at most {self.max_records} "
                "(ILA_IMPORT_MAX_RECORDS): split it into several files"
            )
        return total

    def _queue(
        self,
        principal: Principal,
        provider_id: uuid.UUID,
        job_id: uuid.UUID,
        path: Path,
        fmt: str,
        total: int,
        *,
        mode: str,
        dry_run: bool,
    ) -> ImportJob:
        now = self.clock()
        with self.db.write() as session:
            job = ImportJob(
                id=job_id,
                provider_id=provider_id,
                actor=principal.actor,
                format=fmt,
                mode=mode,
                dry_run=dry_run,
                status="queued",
                path=str(path),
                size_bytes=path.stat().st_size,
                records_total=total,
                records_done=0,
                created=0,
                updated=0,
                unchanged=0,
                withdrawn=0,
                rejected=0,
                created_at=now,
            )
            session.add(job)
        return job

    # -- reading jobs ---------------------------------------------------------------------------

    def get(self, principal: Principal, job_id: uuid.UUID) -> Job:
        """An import job, for its provider or an administrator (404 to anyone else)."""
        principal.require("provider", "admin")
        with self.db.read() as session:
            job = session.get(ImportJob, job_id)
        if job is None or not principal.sees(job.provider_id):
            raise NotFound(f"No import {job_id}.")
        return _job_of(job)

    def problems(self, job_id: uuid.UUID, *, offset: int = 0, limit: int = 1000) -> list[JobProblem]:
        """A page of the problems found in an import's records, in record order."""
        with self.db.read() as session:
            rows = session.scalars(
                select(ImportProblem)
                .where(ImportProblem.job_id == job_id)
                .order_by(ImportProblem.record, ImportProblem.id)
                .offset(offset)
                .limit(limit)
            )
            return [JobProblem(r.record, r.location, r.reference, r.pointer, r.detail, r.severity) for r in rows]

    def list_jobs(self, principal: Principal, limit: int = 50) -> list[Job]:
        """The latest imports, newest first: a provider's own, or everyone's for an admin."""
        query = select(ImportJob).order_by(ImportJob.created_at.desc()).limit(limit)
        if principal.role not in ("provider", "admin"):
            raise PermissionDenied("Imports belong to providers and administrators.")
        if (own := principal.acting_for(None)) is not None:
            query = query.where(ImportJob.provider_id == own)
        with self.db.read() as session:
            return [_job_of(j) for j in session.scalars(query)]

    # -- running jobs ---------------------------------------------------------------------------

    def run_once(self) -> int:
        """Give one job a turn (about ``SLICE_SECONDS``); returns 1 if a job had one.

        The turn goes to the oldest runnable job of the provider this worker served least
        recently, so a provider's long file shares the worker with everyone else's.
        """
        job_id = self._claim()
        if job_id is None:
            return 0
        with self.db.read() as session:
            job = session.get(ImportJob, job_id)
        if job is not None:
            self._turn(job, None, SLICE_SECONDS)
        return 1

    def _runnable(self, now: Any) -> Any:
        """Queued, abandoned (lease lapsed), or paused by this worker between two of its turns."""
        paused_here = (ImportJob.lease_owner == self.owner) & ImportJob.id.in_(list(self._readings))
        return or_(
            ImportJob.status == "queued",
            (ImportJob.status == "running") & or_(ImportJob.lease_until < now, paused_here),
        )

    def _claim(self) -> uuid.UUID | None:
        now = self.clock()
        with self.db.read() as session:
            waiting = session.execute(
                select(ImportJob.provider_id, func.min(ImportJob.created_at))
                .where(self._runnable(now))
                .group_by(ImportJob.provider_id)
            ).all()
        for provider_id, _oldest in sorted(waiting, key=lambda row: (self._served.get(row[0], 0), row[1])):
            with self.db.read() as session:
                candidate = session.scalar(
                    select(ImportJob.id)
                    .where(self._runnable(now), ImportJob.provider_id == provider_id)
                    .order_by(ImportJob.created_at, ImportJob.id)
                    .limit(1)
                )
            if candidate is not None and self._take(candidate):
                return candidate
        return None

    def _take(self, job_id: uuid.UUID) -> bool:
        """Make this worker the job's runner: if queued, abandoned (lease lapsed) or already ours."""
        now = self.clock()
        with self.db.write() as session:
            taken = session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id, self._runnable(now))
                .values(
                    status="running",
                    lease_owner=self.owner,
                    lease_until=now + self.lease,
                    started_at=func.coalesce(ImportJob.started_at, now),
                )
            )
        if not cast("CursorResult[Any]", taken).rowcount:
            self._close_reading(job_id)
            return False
        return True

    def run(self, job_id: uuid.UUID, progress: Callable[[int], None] | None = None) -> Job:
        """Apply a job's file from where it stopped to its end; the job ends succeeded or failed, with counts."""
        with self.db.read() as session:
            job = session.get(ImportJob, job_id)
        if job is None:
            raise NotFound(f"No import {job_id}.")
        if not self._take(job_id):
            raise Conflict(f"Import {job_id} is running elsewhere or has finished.")
        self._turn(job, progress, None)
        with self.db.read() as session:
            finished = session.get(ImportJob, job_id)
            assert finished is not None  # noqa: S101 - just read above
            return _job_of(finished)

    def _turn(self, job: ImportJob, progress: Callable[[int], None] | None, seconds: float | None) -> None:
        """Apply the job's records for ``seconds`` (or to the end); finish it when its file is done."""
        self._turn_number = next(self._turns)
        self._served[job.provider_id] = self._turn_number
        try:
            if not self._apply(job, progress, seconds):
                return  # paused: the job keeps its lease and its reader for its next turn
            self._complete(job)
        except LeaseLost:
            logger.warning("import %s: taken over by another worker; this one stops", job.id)
            self._close_reading(job.id)
        except _Refused as refused:
            self._finish(job.id, "failed", refused.detail)
        except FileProblem as problem:
            self._finish(job.id, "failed", self._account(job, problem.detail))
        except RegisterError as error:
            self._finish(job.id, "failed", self._account(job, error.detail))
        except Exception as error:  # an account of what was applied matters more than the traceback here
            logger.exception("import %s failed", job.id)
            self._finish(job.id, "failed", self._account(job, f"unexpected error: {error}"))
        except BaseException:
            self._close_reading(job.id)  # a crash: the job resumes elsewhere once its lease lapses
            raise
        else:
            self._finish(job.id, "succeeded", None)

    @staticmethod
    def _account(job: ImportJob, reason: str) -> str:
        """Why the job stopped, and exactly how far it got (the counts say what those records did)."""
        if job.records_done == 0:
            return f"{reason}. Nothing was applied."
        if job.dry_run:
            return (
                f"{reason}. Records 1-{job.records_done} were checked (see the counts), the rest were not; "
                "a dry run writes nothing."
            )
        return (
            f"{reason}. Records 1-{job.records_done} were applied (see the counts); the rest were not. "
            "Import the file again to apply them: records already applied come out unchanged."
        )

    def _records(self, job: ImportJob) -> Iterator[SourceRecord]:
        path = Path(job.path)
        if job.format == "xml":
            yield from self.loq.read(path)
            return
        with path.open("rb") as stream:
            reader = read_jsonl if job.format == "jsonl" else read_csv
            yield from reader(stream)

    def _reading(self, job: ImportJob) -> _Reading:
        """The job's open reader if this worker paused it where the job stands, else a new one at that point."""
        done = job.records_done
        reading = self._readings.pop(job.id, None)
        if reading is not None and reading.position != done:
            reading.close()  # someone else applied records meanwhile: read afresh
            reading = None
        if reading is None:  # records up to the checkpoint are skipped as they are read
            first_analysis = done + min(max(done, 1_000), ANALYSE_EVERY)
            reading = _Reading(self._records(job), position=done, analyse_at=first_analysis)
        self._readings[job.id] = reading
        return reading

    def _close_reading(self, job_id: uuid.UUID) -> None:
        reading = self._readings.pop(job_id, None)
        if reading is not None:
            reading.close()

    def _keep_reading(self, job_id: uuid.UUID, reading: _Reading) -> None:
        reading.last_turn = self._turn_number
        self._readings[job_id] = reading
        while len(self._readings) > MAX_OPEN_READERS:  # close the one paused longest, and let it go
            oldest = min(self._readings, key=lambda key: self._readings[key].last_turn)
            self._close_reading(oldest)
            with self.db.write() as session:  # its lease lapses now: any worker resumes it from its checkpoint
                session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == oldest, ImportJob.lease_owner == self.owner)
                    .values(lease_until=self.clock() - timedelta(seconds=1))
                )

    def _apply(self, job: ImportJob, progress: Callable[[int], None] | None, seconds: float | None) -> bool:
        """Apply records from the job's checkpoint; True at the end of the file, False when the turn is over."""
        reading = self._reading(job)
        ends = None if seconds is None else time.monotonic() + seconds
        done = started = job.records_done
        batch: list[SourceRecord] = []
        while (record := reading.take()) is not None:
            if record.number <= done:
                continue  # applied before the interruption
            if not batch and done > started and ends is not None and time.monotonic() >= ends:
                reading.pending = record  # the turn is over: this record starts the next one
                self._keep_reading(job.id, reading)
                return False
            batch.append(record)
            if len(batch) >= BATCH:
                done = reading.position = self._batch(job, batch)
                batch = []
                if progress:
                    progress(done)
                if done >= reading.analyse_at and not job.dry_run:  # at 1k, 2k, 4k ... then every 20k records
                    self.db.refresh_statistics("offers", "offer_sessions", "offer_eligibility")
                    reading.analyse_at = done + min(done, ANALYSE_EVERY)
        if batch:
            done = reading.position = self._batch(job, batch)
            if progress:
                progress(done)
        self._keep_reading(job.id, reading)
        return True

    def _complete(self, job: ImportJob) -> None:
        """The file is read: refuse to finish a job that read nothing or must not withdraw; withdraw."""
        reading = self._readings.get(job.id)
        with self.db.read() as session:
            counted = session.get(ImportJob, job.id)
        assert counted is not None  # noqa: S101 - this worker holds its lease
        if counted.records_done == 0:
            raise _Refused(f"{NO_RECORDS.get(job.format, 'the file holds no records')}. Nothing was applied.")
        if job.mode != "replace":
            if counted.rejected >= counted.records_done:
                done = counted.records_done
                every = "its one record was" if done == 1 else f"all {done} records were"
                raise _Refused(f"Nothing was applied: {every} rejected (see the problems); fix them and import again.")
            return
        applied = "would have been applied (a dry run writes nothing)" if job.dry_run else "were applied"
        if reading is not None and reading.broken_off is not None:
            broken = reading.broken_off
            why = f": {broken.problems[0][1]}" if broken.problems else ""
            raise _Refused(
                f"Nothing was withdrawn: the file was not read to its end (record {broken.number}, "
                f"{broken.location}, could not be read{why}), so what it holds after that is unknown. "
                f"The records before it {applied} (see the counts); fix the file and import it again."
            )
        if counted.unreadable:
            others = f" and {counted.unreadable - 1} more" if counted.unreadable > 1 else ""
            raise _Refused(
                f"Nothing was withdrawn: {counted.first_unreadable or 'a record could not be read'}{others}. "
                "A record that cannot be read has no known reference, so the file was not read whole and "
                "understood (a file cut off part-way, or an unclosed quote, looks like this) and no offer "
                "can be taken for absent. The other records were applied (see the counts); fix the file "
                "and import it again."
            )
        share = counted.rejected / counted.records_done
        if share > self.max_rejected_share:
            raise _Refused(
                f"Nothing was withdrawn: {counted.rejected} of {counted.records_done} records ({share:.0%}) "
                f"were rejected, more than the {self.max_rejected_share:.0%} a replace import allows "
                f"(ILA_IMPORT_REPLACE_MAX_REJECTED_SHARE). The other records {applied} (see the counts); "
                "fix the rejected ones and import the file again."
            )
        self._withdraw_missing(job)

    def _outcome(self, record: SourceRecord) -> _Outcome:
        """Decode and validate one record; the reader's own findings come first, then the validator's."""
        outcome = _Outcome(reference=None, problems=list(record.problems), notes=list(record.notes))
        if record.raw is not None:
            try:
                document = msgspec.json.decode(record.raw)
            except msgspec.DecodeError as error:
                outcome.problems.append(("", f"not valid JSON: {error}"))
                outcome.unreadable = True
                return outcome
        else:
            document = record.document
        if isinstance(document, dict):
            reference = document.get("reference")
            outcome.reference = str(reference)[:100] if reference else None
        else:  # not read at all (the reader said why), or JSON that is no offer document
            outcome.unreadable = True
            if document is None:
                return outcome
            kind = type(document).__name__
            outcome.problems.append(("", f"not an offer document: a JSON object is needed, not {kind}"))
            return outcome
        found: list[tuple[str, str]] = []
        try:
            create = msgspec.convert(document, OfferCreate) if record.raw is None else self.decoder.decode(record.raw)
            outcome.content = self.validator.validate(create)
        except msgspec.ValidationError as error:
            found = [(p.pointer, p.detail) for p in self.decoder.problems_of(document, error)]
        except InvalidDocument as invalid:
            found = [(p.pointer, p.detail) for p in invalid.problems]
        except MalformedDocument as malformed:  # a key twice in one object
            found = [("", malformed.detail)]
        # A field the reader already explained (CSV "'abc' is not a number", LOQ "no hours") is not
        # reported again in the validator's words.
        explained = [pointer for pointer, _detail in outcome.problems if pointer]
        outcome.problems += [
            (pointer, detail)
            for pointer, detail in found
            if not any(pointer == e or pointer.startswith(e + "/") for e in explained)
        ]
        if outcome.problems:
            outcome.content = None
        return outcome

    def _batch(self, job: ImportJob, records: list[SourceRecord]) -> int:
        """Apply one batch; its progress and problems are committed with the offers it wrote."""
        outcomes = [self._outcome(r) for r in records]
        latest: dict[str, int] = {}  # the same reference twice in a file: the later record wins
        for record, outcome in zip(records, outcomes, strict=True):
            if outcome.content is not None:
                latest[outcome.content.reference] = record.number
        contents = [
            (r, o.content)
            for r, o in zip(records, outcomes, strict=True)
            if o.content is not None and latest[o.content.reference] == r.number
        ]
        applied: dict[int, str] = {}

        def record_progress(session: Session, results: list[str]) -> None:
            applied.update({r.number: result for (r, _c), result in zip(contents, results, strict=True)})
            self._record_progress(session, job, records, outcomes, applied)

        try:
            results = self.offers.upsert_many(
                job.provider_id,
                [c for _r, c in contents],
                actor=job.actor,
                dry_run=job.dry_run,
                on_commit=None if job.dry_run else record_progress,
            )
        except ProviderSuspended:
            raise  # none of the provider's records can be stored: the job stops and says why
        except RegisterError:
            applied.clear()
            for record, content in contents:  # one transaction per record: each whole or not at all
                try:
                    applied[record.number] = self.offers.upsert_many(
                        job.provider_id, [content], actor=job.actor, dry_run=job.dry_run
                    )[0]
                except RegisterError as single:
                    outcomes[records.index(record)].problems.append(("", f"could not be stored: {single.detail}"))
            with self.db.write() as session:
                self._record_progress(session, job, records, outcomes, applied)
        else:
            if job.dry_run:  # it read in a read-only transaction: its progress is written in one of its own
                with self.db.write() as session:
                    record_progress(session, results)
        job.records_done = records[-1].number
        return job.records_done

    def _record_progress(
        self,
        session: Session,
        job: ImportJob,
        records: list[SourceRecord],
        outcomes: list[_Outcome],
        applied: dict[int, str],
    ) -> None:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        problems: list[ImportProblem] = []
        references: set[str] = set()
        unreadable = [(r, o) for r, o in zip(records, outcomes, strict=True) if o.unreadable]
        first_unreadable = None
        if unreadable:
            record, outcome = unreadable[0]
            why = outcome.problems[0][1] if outcome.problems else "it could not be read"
            first_unreadable = f"{record.location} could not be read ({why})"
        for record, outcome in zip(records, outcomes, strict=True):
            result = applied.get(record.number)
            if result is None and outcome.content is not None and not outcome.problems:
                result = "unchanged"  # superseded by a later record with the same reference
            counts[result or "rejected"] += 1
            if result is not None and outcome.content is not None:
                references.add(outcome.content.reference)
            elif outcome.reference and clean(outcome.reference):
                references.add(clean(outcome.reference))  # rejected, but present: its live offer stays
            findings = [(pointer, detail, "error") for pointer, detail in outcome.problems]
            findings += [("", note, "note") for note in outcome.notes]
            problems += [
                ImportProblem(
                    job_id=job.id,
                    record=record.number,
                    location=record.location,
                    reference=outcome.reference,
                    pointer=pointer,
                    detail=detail,
                    severity=severity,
                )
                for pointer, detail, severity in findings
            ]
        for severity, cap in (("error", MAX_PROBLEMS_PER_JOB), ("note", MAX_NOTES_PER_JOB)):
            stored = (
                session.scalar(
                    select(func.count()).where(ImportProblem.job_id == job.id, ImportProblem.severity == severity)
                )
                or 0
            )
            found = [p for p in problems if p.severity == severity]
            kept = found[: max(0, cap - stored)]
            session.add_all(kept)
            if severity == "note" and stored < cap and len(found) > len(kept):  # the counts say what errors did
                first = found[len(kept)]
                session.add(
                    ImportProblem(
                        job_id=job.id,
                        record=first.record,
                        location=first.location,
                        reference=first.reference,
                        pointer="",
                        detail=f"notes: the import keeps {cap} notes; those from this record on are not listed",
                        severity="note",
                    )
                )
        if job.mode == "replace" and references:
            existing = set(
                session.scalars(
                    select(ImportSeen.reference).where(
                        ImportSeen.job_id == job.id, ImportSeen.reference.in_(references)
                    )
                )
            )
            session.add_all(ImportSeen(job_id=job.id, reference=r) for r in references - existing)
        progressed = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.lease_owner == self.owner)
            .values(
                records_done=records[-1].number,
                created=ImportJob.created + counts["created"],
                updated=ImportJob.updated + counts["updated"],
                unchanged=ImportJob.unchanged + counts["unchanged"],
                rejected=ImportJob.rejected + counts["rejected"],
                unreadable=ImportJob.unreadable + len(unreadable),
                first_unreadable=func.coalesce(ImportJob.first_unreadable, first_unreadable),
                lease_until=self.clock() + self.lease,
            )
        )
        if not cast("CursorResult[Any]", progressed).rowcount:
            raise LeaseLost(job.id)  # another worker took the job over: roll this batch back, stop

    def _withdraw_missing(self, job: ImportJob) -> None:
        """Withdraw the live offers the file lacks, naming each; a dry run names and counts them only.

        Each batch of withdrawals is committed with the job's count and the references withdrawn,
        so the count is exact after a crash too (a resumed job withdraws the rest).
        """

        def keep(_session: Session) -> Any:
            return select(ImportSeen.reference).where(ImportSeen.job_id == job.id)

        def record(session: Session, references: list[str]) -> None:
            session.add_all(ImportWithdrawal(job_id=job.id, reference=r) for r in references)
            session.execute(
                update(ImportJob).where(ImportJob.id == job.id).values(withdrawn=ImportJob.withdrawn + len(references))
            )

        if job.dry_run:
            missing = self.offers.missing_references(job.provider_id, keep)
            with self.db.write() as session:  # from scratch: a dry run resumed after a crash counts once
                session.execute(delete(ImportWithdrawal).where(ImportWithdrawal.job_id == job.id))
                session.execute(update(ImportJob).where(ImportJob.id == job.id).values(withdrawn=0))
                record(session, missing)
            return
        reason = f"Withdrawn by import job {job.id} (mode replace): its reference was absent from the file."
        while self.offers.withdraw_missing(job.provider_id, keep, actor=job.actor, reason=reason, on_commit=record):
            pass

    def withdrawals(self, job_id: uuid.UUID, limit: int = MAX_WITHDRAWALS_SHOWN) -> list[str]:
        """The references a replace import withdrew (a dry run: would withdraw), in order."""
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(ImportWithdrawal.reference)
                    .where(ImportWithdrawal.job_id == job_id)
                    .order_by(ImportWithdrawal.reference)
                    .limit(limit)
                )
            )

    def _finish(self, job_id: uuid.UUID, status: str, error: str | None) -> None:
        self._close_reading(job_id)
        with self.db.write() as session:
            session.execute(
                update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(status=status, error=error, finished_at=self.clock(), lease_owner=None, lease_until=None)
            )
            session.execute(delete(ImportSeen).where(ImportSeen.job_id == job_id))
            job = session.get(ImportJob, job_id)
            if job is not None:
                if status == "succeeded" and job.records_total is None:
                    job.records_total = job.records_done
                Path(job.path).unlink(missing_ok=True)


def _job_of(record: ImportJob) -> Job:
    """What the service answers of a job's row: each field of ``Job`` from the column of its name."""
    return Job(**{f.name: getattr(record, f.name) for f in fields(Job)})
