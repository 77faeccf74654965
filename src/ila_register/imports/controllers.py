"""HTTP endpoints for bulk imports: upload (streamed to disk), follow a job, the CSV template."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath, QueryParameter
from multipart import (  # type: ignore[import-untyped]  # the package ships no type information
    MultipartError,
    MultipartSegment,
    ParserLimitReached,
    PushMultipartParser,
    parse_options_header,
)

from ila_register import api_examples
from ila_register.imports.csv_format import template
from ila_register.imports.deps import DEPENDENCIES
from ila_register.imports.domain import Job
from ila_register.imports.schemas import Counts, Import, ImportProblemItem
from ila_register.imports.services import ImportService
from ila_register.kernel.exceptions import InvalidParameters, MalformedDocument, UnsupportedMediaType
from ila_register.platform.auth import Principal
from ila_register.platform.http import principal_of
from ila_register.platform.openapi import AUTHENTICATED, MAX_POSITION, problems
from ila_register.platform.problems import problem_response
from ila_register.platform.timeouts import set_read_timeout
from ila_register.platform.workers import ChangeSignal
from ila_register.settings import ImportSettings

MEDIA_TYPES = {
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "text/csv": "csv",
    "application/csv": "csv",
    "application/xml": "xml",
    "text/xml": "xml",
}
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xml": "xml"}
# The application-wide limit is for documents; an import has its own (ILA_IMPORT_MAX_BYTES).
NO_FRAMEWORK_LIMIT = 2**62
MAX_PARTS = 16
MAX_PART_HEADER_BYTES = 8192


_LOQ_XML_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/">
  <!-- learningOpportunityReferences, learningAchievementSpecificationReferences ... as in the
       Commission's LOQ samples; see the README's import section for what is mapped -->
</Courses>"""


@dataclass
class UploadOperation(Operation):
    """The upload reads its body as a stream, so its request body is documented here by hand."""

    def __post_init__(self) -> None:
        jsonl = "\n".join(
            msgspec.json.encode(api_examples.load(name)).decode()
            for name in ("offer-training.json", "offer-guidance.json")
        )
        file_schema = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]
        self.request_body = RequestBody(
            required=True,
            description="The file, as the body with its media type or as the multipart field `file` "
            "(named .jsonl, .csv or .xml). Up to ILA_IMPORT_MAX_BYTES (default 200 MB).",
            content={
                "application/x-ndjson": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, examples=[jsonl]),
                ),
                "text/csv": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, examples=[template()])),
                "application/xml": OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, examples=[_LOQ_XML_EXAMPLE])
                ),
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        properties={"file": file_schema},
                        required=["file"],
                        examples=[{"file": "offers.jsonl"}],
                    )
                ),
            },
        )


def _job(job: Job, items: list[Any], offset: int, limit: int, withdrawn: list[str] | None = None) -> Import:
    return Import(
        id=job.id,
        provider_id=job.provider_id,
        status=job.status,  # type: ignore[arg-type]
        format=job.format,
        mode=job.mode,
        dry_run=job.dry_run,
        records_done=job.records_done,
        records_total=job.records_total,
        counts=Counts(
            created=job.created,
            updated=job.updated,
            unchanged=job.unchanged,
            withdrawn=job.withdrawn,
            rejected=job.rejected,
        ),
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        problems=[
            ImportProblemItem(
                type="/problems/invalid-document" if p.severity == "error" else "/problems/note",
                record=p.record,
                location=p.location,
                reference=p.reference,
                pointer=p.pointer,
                detail=p.detail,
                severity=p.severity,
            )
            for p in items
        ],
        problems_next=offset + limit if len(items) == limit else None,
        withdrawn_references=withdrawn,
    )


async def _save(chunks: AsyncIterator[bytes], path: Path, limit: int) -> int:
    size = 0
    async with await anyio.open_file(path, "wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            await out.write(chunk)
    return size


class _TooLarge(Exception):
    pass


async def _multipart_file(chunks: AsyncIterator[bytes], boundary: str) -> AsyncIterator[tuple[str, bytes]]:
    """The parts of a multipart body as (name and filename, chunk) pairs, streamed; b"" starts a part."""
    with PushMultipartParser(boundary, max_header_size=MAX_PART_HEADER_BYTES, max_segment_count=MAX_PARTS) as parser:
        current = ""
        async for chunk in chunks:
            for event in parser.parse(chunk):
                if isinstance(event, MultipartSegment):
                    current = f"{event.name}\n{event.filename or ''}\n{event.content_type or ''}"
                    yield current, b""
                elif event:
                    yield current, event
        for event in parser.parse(b""):
            if isinstance(event, bytes) and event:
                yield current, event


class ImportController(Controller):
    """Providers' bulk uploads of offers and the progress of each import."""

    path = "/api/v1/imports"
    tags = ["Imports"]
    dependencies = DEPENDENCIES

    @post(
        status_code=202,
        request_max_body_size=NO_FRAMEWORK_LIMIT,
        operation_class=UploadOperation,
        responses=problems(*AUTHENTICATED, 400, 403, 404, 408, 413, 415, 422, 503),
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        imports: NamedDependency[ImportService],
        import_settings: NamedDependency[ImportSettings],
        changes: NamedDependency[ChangeSignal],
        mode: Annotated[
            Literal["upsert", "replace"],
            QueryParameter(description="`replace` also withdraws your offers that the file no longer contains"),
        ] = "upsert",
        dry_run: Annotated[
            bool,
            QueryParameter(description="Validate everything, write nothing; the job says what the real run would do"),
        ] = False,
        provider_id: Annotated[
            uuid.UUID | None, QueryParameter(description="Administrators: the provider the offers belong to (required)")
        ] = None,
    ) -> Response[Any]:
        """Import offers in bulk: JSON Lines, CSV or ELM LOQ XML, as the body or a multipart `file` field.

        Answers 202 with the job; follow it at `GET /api/v1/imports/{id}`. Offers are upserted by
        your own `reference` (the same file twice changes nothing); each record is applied whole or
        not at all; every rejected record is listed with its line (or XML path) and JSON pointer.
        A file that is empty, holds no records or more than ILA_IMPORT_MAX_RECORDS, or is not LOQ
        XML is refused at once (422); an upload that stalls is cut off (408). `mode=replace` withdraws
        only what a file read whole and understood leaves out: a record that cannot be read at all
        (a line cut off, an unclosed CSV quote) or too many rejected records make the job fail with
        nothing withdrawn; the job names the references it withdrew (a dry run: would withdraw).
        """
        principal: Principal = await anyio.to_thread.run_sync(principal_of, request)
        owner = await anyio.to_thread.run_sync(imports.provider_for, principal, provider_id)
        media_type, options = parse_options_header(request.headers.get("content-type") or "")
        if media_type != "multipart/form-data" and media_type not in MEDIA_TYPES:
            raise UnsupportedMediaType(
                "Send application/x-ndjson, text/csv, application/xml or multipart/form-data, "
                f"not {media_type or 'nothing'}."
            )
        job_id, path = imports.new_upload()
        # A stalled upload is cut off (408) by the one mechanism for every body, with the imports' timeout.
        set_read_timeout(request, import_settings.read_timeout_seconds)
        try:
            if media_type == "multipart/form-data":
                fmt = await self._save_multipart(request.stream(), options.get("boundary", ""), path, imports.max_bytes)
            else:
                fmt = MEDIA_TYPES[media_type]
                await _save(request.stream(), path, imports.max_bytes)
        except _TooLarge:
            path.unlink(missing_ok=True)
            return problem_response("body-too-large", f"The file is larger than {imports.max_bytes} bytes.")
        except OSError as error:
            path.unlink(missing_ok=True)
            if full := imports.no_space(error):
                raise full from None
            raise
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        job = await anyio.to_thread.run_sync(
            lambda: imports.accept(principal, owner, job_id, path, fmt, mode=mode, dry_run=dry_run)
        )
        changes.notify()
        return Response(_job(job, [], 0, 1000), status_code=202, headers={"Location": f"/api/v1/imports/{job.id}"})

    @staticmethod
    async def _save_multipart(chunks: AsyncIterator[bytes], boundary: str, path: Path, limit: int) -> str:
        if not boundary:
            raise MalformedDocument("The multipart body has no boundary.")
        fmt: str | None = None
        found = False
        size = 0
        try:
            async with await anyio.open_file(path, "wb") as out:
                async for part, chunk in _multipart_file(chunks, boundary):
                    name, filename, content_type = part.split("\n")
                    if name != "file":
                        continue
                    found = True
                    if fmt is None:
                        fmt = MEDIA_TYPES.get(content_type) or EXTENSIONS.get(Path(filename).suffix.lower())
                    size += len(chunk)
                    if size > limit:
                        raise _TooLarge
                    if chunk:
                        await out.write(chunk)
        except ParserLimitReached as error:
            raise MalformedDocument(
                f"The multipart body goes beyond what an import takes ({error}): at most {MAX_PARTS} parts, "
                f"each with headers of at most {MAX_PART_HEADER_BYTES} bytes. Send the file as the field `file`."
            ) from None
        except MultipartError as error:
            raise MalformedDocument(f"The multipart body is malformed: {error}.") from None
        if not found:
            raise InvalidParameters([("file", "send the file in a form field named `file`")], location="body")
        if fmt is None:
            raise UnsupportedMediaType("Name the file .jsonl, .csv or .xml, or give the part a Content-Type.")
        return fmt

    @get("/template.csv", media_type="text/csv")
    async def csv_template(self) -> Response[str]:
        """The CSV layout: the header and one example row (`;`-separated, as Belgian spreadsheets write)."""
        return Response(
            template(),
            media_type="text/csv",  # Litestar adds the charset
            headers={"Content-Disposition": 'attachment; filename="ila-register-offers.csv"'},
        )

    @get(sync_to_thread=True, responses=problems(*AUTHENTICATED, 403))
    def jobs(self, principal: NamedDependency[Principal], imports: NamedDependency[ImportService]) -> list[Import]:
        """Your imports, newest first (administrators see all)."""
        return [_job(j, [], 0, 1000) for j in imports.list_jobs(principal)]

    @get("/{job_id:uuid}", sync_to_thread=True, responses=problems(*AUTHENTICATED, 403, 404, 422))
    def job(
        self,
        job_id: FromPath[uuid.UUID],
        principal: NamedDependency[Principal],
        imports: NamedDependency[ImportService],
        problems_offset: Annotated[int, QueryParameter(ge=0, le=MAX_POSITION)] = 0,
        problems_limit: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1000,
    ) -> Import:
        """An import's state, progress, counts and the problems of its records (page with problems_offset).

        A replace import also names the references it withdrew (a dry run: would withdraw).
        """
        job = imports.get(principal, job_id)
        return _job(
            job,
            imports.problems(job_id, offset=problems_offset, limit=problems_limit),
            problems_offset,
            problems_limit,
            imports.withdrawals(job_id) if job.mode == "replace" else None,
        )
