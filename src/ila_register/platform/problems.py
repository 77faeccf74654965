"""RFC 9457 problem details: the one map from exceptions to ``application/problem+json``.

Every error a client can see goes through here, so each has a stable ``type`` (a path under
``/problems/`` where the register documents it), a short fixed ``title`` and the specifics in
``detail``. Unexpected exceptions are logged with their traceback and answered with a 500 that
reveals nothing of the internals.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from litestar import Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from ila_register.kernel import exceptions as exc
from ila_register.platform.limits import TooManyRequests
from ila_register.platform.timeouts import RequestStalled

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemType:
    """A documented kind of problem: its slug (under /problems/), status and title."""

    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"


PROBLEM_TYPES: dict[str, ProblemType] = {
    p.slug: p
    for p in (
        ProblemType(
            "invalid-document",
            422,
            "Invalid document",
            "The document breaks the contract. `errors` lists every problem with a JSON pointer.",
        ),
        ProblemType(
            "invalid-parameters",
            422,
            "Invalid request parameters",
            "A query, path or header parameter has a value the operation does not accept.",
        ),
        ProblemType(
            "malformed-body",
            400,
            "Malformed request body",
            "The body could not be parsed (for example invalid JSON or encoding).",
        ),
        ProblemType(
            "unsupported-media-type",
            415,
            "Unsupported media type",
            "The body was sent with a Content-Type the operation does not accept.",
        ),
        ProblemType(
            "body-too-large",
            413,
            "Request body too large",
            "The body exceeds the size limit of the operation.",
        ),
        ProblemType(
            "not-authenticated",
            401,
            "Not authenticated",
            "No valid bearer token was presented, or it was revoked or expired.",
        ),
        ProblemType("forbidden", 403, "Forbidden", "Your role may not perform this operation."),
        ProblemType("not-found", 404, "Not found", "No such resource is visible to you."),
        ProblemType("gone", 410, "Gone", "The resource was withdrawn; its identifier stays reserved."),
        ProblemType("method-not-allowed", 405, "Method not allowed", "The resource does not support this HTTP method."),
        ProblemType("conflict", 409, "Conflict", "The request conflicts with the current state."),
        ProblemType(
            "invalid-transition",
            409,
            "Transition not allowed",
            "The workflow does not allow this decision from the current state.",
        ),
        ProblemType(
            "precondition-required",
            428,
            "Precondition required",
            "Send If-Match with the ETag you last read, so that no update is lost.",
        ),
        ProblemType(
            "precondition-failed",
            412,
            "Precondition failed",
            "The resource changed since you read it; fetch it again and retry.",
        ),
        ProblemType("too-many-requests", 429, "Too many requests", "Slow down and retry later."),
        ProblemType(
            "request-timeout",
            408,
            "Request timeout",
            "The client stopped sending its request (head or body); nothing was stored. Send it again.",
        ),
        ProblemType(
            "service-unavailable",
            503,
            "Service unavailable",
            "A backing service is unreachable; the request can be retried.",
        ),
        ProblemType(
            "internal-error",
            500,
            "Internal error",
            "The register failed unexpectedly; the incident was logged.",
        ),
    )
}

# Order matters: the first matching class wins, so subclasses come before their bases.
_DOMAIN_TO_PROBLEM: tuple[tuple[type[exc.RegisterError], str], ...] = (
    (exc.InvalidDocument, "invalid-document"),
    (exc.InvalidParameters, "invalid-parameters"),
    (exc.MalformedDocument, "malformed-body"),
    (exc.UnsupportedMediaType, "unsupported-media-type"),
    (exc.NotFound, "not-found"),
    (exc.Gone, "gone"),
    (exc.InvalidTransition, "invalid-transition"),
    (exc.Conflict, "conflict"),
    (exc.PreconditionRequired, "precondition-required"),
    (exc.PreconditionFailed, "precondition-failed"),
    (exc.NotAuthenticated, "not-authenticated"),
    (exc.PermissionDenied, "forbidden"),
    (exc.ServiceUnavailable, "service-unavailable"),
    (TooManyRequests, "too-many-requests"),  # also too many failed authentications
    (RequestStalled, "request-timeout"),
)

_HTTP_STATUS_TO_PROBLEM = {p.status: p.slug for p in PROBLEM_TYPES.values()} | {
    400: "malformed-body",
    422: "invalid-parameters",
}


# A problem's detail may quote what the client sent (a path, a value): never more than this of it,
# so an answer does not grow with the input (a 20 kB path was echoed whole in a 404).
MAX_DETAIL = 500


def bounded(detail: str) -> str:
    return detail if len(detail) <= MAX_DETAIL else detail[: MAX_DETAIL - 1] + "…"


def to_problem(
    slug: str,
    detail: str,
    *,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    status: int | None = None,
) -> ProblemDetailsException:
    """The problem details exception for a documented problem type."""
    problem = PROBLEM_TYPES[slug]
    return ProblemDetailsException(
        detail=bounded(detail),
        status_code=status or problem.status,
        type_=problem.uri,
        title=problem.title,
        extra=dict(extra) if extra else None,
        headers=dict(headers) if headers else None,
    )


def problem_response(slug: str, detail: str, *, extra: Mapping[str, Any] | None = None) -> Response[Any]:
    """A problem+json response built outside exception handling (e.g. in middleware)."""
    problem = PROBLEM_TYPES[slug]
    body = {"type": problem.uri, "title": problem.title, "status": problem.status, "detail": bounded(detail)}
    body.update(extra or {})
    return Response(body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE)


def _from_register_error(error: exc.RegisterError) -> ProblemDetailsException:
    slug = next(s for cls, s in _DOMAIN_TO_PROBLEM if isinstance(error, cls))
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if isinstance(error, exc.InvalidDocument):
        extra["errors"] = [{"pointer": p.pointer, "detail": p.detail} for p in error.problems]
    if isinstance(error, exc.InvalidParameters):
        extra["errors"] = [
            {"parameter": name, "in": error.location, "detail": detail} for name, detail in error.problems
        ]
    if isinstance(error, exc.NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="ila-register"'
    if isinstance(error, exc.ServiceUnavailable):
        headers["Retry-After"] = "5"
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, RequestStalled):
        headers["Connection"] = "close"  # the rest of the body is not awaited
    return to_problem(slug, error.detail, extra=extra, headers=headers)


def _from_http_exception(error: HTTPException) -> ProblemDetailsException:
    if isinstance(error, ProblemDetailsException):
        return error
    if isinstance(error, ValidationException):
        errors = [
            {
                "parameter": _parameter(str(e.get("key", "")), _location(e.get("source"))),
                "in": _location(e.get("source")),
                "detail": str(e.get("message", "")),
            }
            for e in (error.extra if isinstance(error.extra, list) else [])
            if isinstance(e, Mapping)
        ]
        if any(e["in"] == "body" for e in errors):  # the framework found no body to decode
            return to_problem("malformed-body", "The request has no body; send the document as JSON.")
        names = ", ".join(e["parameter"] for e in errors if e["parameter"]) or "a parameter"
        return to_problem("invalid-parameters", f"Invalid value for {names}.", extra={"errors": errors})
    slug = _HTTP_STATUS_TO_PROBLEM.get(error.status_code)
    if isinstance(error, NotFoundException):
        slug = "not-found"
    elif isinstance(error, MethodNotAllowedException):
        slug = "method-not-allowed"
    elif isinstance(error, NotAuthorizedException):
        slug = "not-authenticated"
    elif isinstance(error, PermissionDeniedException):
        slug = "forbidden"
    if slug is None or (error.status_code >= HTTP_500_INTERNAL_SERVER_ERROR and error.status_code != 503):
        return _from_unexpected(error)
    return to_problem(slug, str(error.detail), headers=error.headers, status=error.status_code)


def _location(source: object) -> str:
    """Where a parameter is, as OpenAPI names it ("query", "path", "header", "cookie", "body"):
    the framework hands its ``ParamType`` enum, whose text would be "ParamType.QUERY"; an error it
    could not place is about the query, the only parameters a client may send without a route."""
    if isinstance(source, Enum):
        return str(source.value)
    return str(source or "query")


def _parameter(key: str, location: str) -> str:
    # The framework names a header by its Python field (idempotency_key); HTTP names it
    # Idempotency-Key (header names are case-insensitive, the separator is not).
    return key.replace("_", "-") if location == "header" else key


def _from_unexpected(error: Exception) -> ProblemDetailsException:
    logger.error("unhandled error", exc_info=error)
    return to_problem("internal-error", "The register could not complete this request.")


def problem_details_plugin() -> ProblemDetailsPlugin:
    """The plugin holding the app's one map from exceptions to problems."""
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                exc.RegisterError: _from_register_error,
                HTTPException: _from_http_exception,
                Exception: _from_unexpected,
            }
        )
    )
