"""The one exception hierarchy of the register.

Domain and persistence code raise these; ``lib.problems`` turns each into an RFC 9457 answer.
Nothing here imports Litestar.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with a submitted document, located by a JSON pointer (RFC 6901)."""

    pointer: str
    detail: str


class RegisterError(Exception):
    """Base of every error the register reports to a client."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidDocument(RegisterError):
    """A document breaks the contract; ``problems`` lists every problem, not only the first."""

    def __init__(self, problems: list[FieldProblem], detail: str | None = None) -> None:
        count = len(problems)
        super().__init__(detail or f"The document has {count} problem{'s' if count != 1 else ''}.")
        self.problems = problems


class InvalidParameters(RegisterError):
    """Query or path parameters the operation cannot accept; ``problems`` maps each name to why.

    ``location`` says where the parameters are, as OpenAPI's ``in`` does: query, path, header,
    or body (a form field)."""

    def __init__(self, problems: list[tuple[str, str]], *, location: str = "query") -> None:
        names = ", ".join(dict.fromkeys(name for name, _ in problems))
        super().__init__(f"Invalid value for {names}.")
        self.problems = problems
        self.location = location


class MalformedDocument(RegisterError):
    """The body is not parseable at all (not JSON, wrong encoding)."""


class UnsupportedMediaType(RegisterError):
    """The body was sent with a media type the operation does not accept."""


class NotFound(RegisterError):
    """The resource does not exist, or the caller may not know that it does."""


class Gone(RegisterError):
    """The resource existed and was withdrawn; its identifier stays reserved."""


class Conflict(RegisterError):
    """The request conflicts with the current state (duplicate reference, request in progress)."""


class DuplicateKey(Conflict):
    """A unique key already exists; raised only by the persistence layer's translation."""


class PreconditionRequired(RegisterError):
    """The operation needs a conditional header (``If-Match``) to prevent lost updates."""


class PreconditionFailed(RegisterError):
    """The conditional header no longer matches: someone else changed the resource."""


class NotAuthenticated(RegisterError):
    """No valid credentials were presented."""


class PermissionDenied(RegisterError):
    """The caller is known but its role may not perform this operation."""


class ProviderSuspended(PermissionDenied):
    """The provider is suspended, so none of its offers may change (a bulk import stops at once)."""


class InvalidTransition(Conflict):
    """A workflow transition that the current state does not allow."""


class ServiceUnavailable(RegisterError):
    """A backing service (database, search engine) cannot be reached right now."""
