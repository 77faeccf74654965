"""Signing in to the pages behind a sign-in: one mechanism, one door per audience.

A ``Door`` says who may come in (the roles), where (the path its cookies are limited to) and
with which words. Everything else is the same for every door (``platform/sessions.py``): the
sign-in form carries a CSRF value the register signed (in its field and in a cookie), a valid
token opens a server-side session whose random id is the only thing the cookie holds (HttpOnly,
SameSite=Strict, Secure unless ILA_COOKIE_SECURE=0, expiring with the session), each request
re-checks the session and the token behind it, and signing out deletes the session.

What a person signs in with is ``credential_principal``: an API token for now. A personal
sign-in token (issued by an invitation) or the government's e-ID/FAS would take its place there,
and open the same sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response
from litestar.response import Redirect

from ila_register.kernel.exceptions import NotAuthenticated, PermissionDenied
from ila_register.platform.auth import Principal, Role
from ila_register.platform.clients import client_address
from ila_register.platform.http import principal_of
from ila_register.platform.ratelimit import FailedAuthLimiter, TooManyFailures
from ila_register.platform.sessions import SessionService
from ila_register.web.i18n import Translator
from ila_register.web.rendering import Web

SIGN_IN_CSRF_COOKIE = "ila_sign_in"  # the sign-in form's CSRF value, signed by the register (platform/keys.py)


@dataclass(frozen=True, slots=True)
class Door:
    """Who signs in where: the pages under ``path``, for ``roles``, in a cookie of their own."""

    path: str  # "/dashboard": the pages, the cookies' path, /sign-in and /sign-out under it
    landing: str  # where a signed-in person goes
    cookie: str  # the session cookie's name (a session id, never the token)
    roles: tuple[Role, ...]
    title_key: str  # messages.toml: the sign-in page's heading
    intro_key: str  # messages.toml: what to sign in with

    @property
    def sign_in_path(self) -> str:
        return f"{self.path}/sign-in"


DASHBOARD_DOOR = Door(
    path="/dashboard",
    landing="/dashboard",
    cookie="ila_dashboard",
    roles=("reviewer", "admin"),
    title_key="dashboard_title",
    intro_key="sign_in_intro",
)
PROVIDER_DOOR = Door(
    path="/provider",
    landing="/provider/offers",
    cookie="ila_provider",
    roles=("provider",),
    title_key="provider_sign_in_title",
    intro_key="provider_sign_in_intro",
)


def credential_principal(request: Request[Any, Any, Any], credential: str) -> Principal:
    """Who the credential typed into a sign-in form stands for: an API token, for now (the seam for
    personal sign-in tokens and e-ID). Failures count against the client's address like the API's."""
    return principal_of(request, f"Bearer {credential}")


def session_principal(
    request: Request[Any, Any, Any], door: Door, sessions: SessionService, auth_limiter: FailedAuthLimiter
) -> tuple[Principal, str | None]:
    """The person behind the request, by session cookie or bearer token, and the session's CSRF token.

    An unknown or ended session counts as a failed authentication, like a wrong token; a role the
    door does not let in is ``PermissionDenied``.
    """
    if request.headers.get("authorization"):
        return principal_of(request).require(*door.roles), None
    session_id = request.cookies.get(door.cookie)
    if not session_id:
        raise NotAuthenticated(f"Sign in at {door.sign_in_path}.")
    try:
        active = sessions.resolve(session_id)
    except NotAuthenticated:
        auth_limiter.failed(client_address(request))
        raise
    return active.principal.require(*door.roles), active.csrf_token


def to_sign_in(request: Request[Any, Any, Any], door: Door, t: Translator) -> Response[Any]:
    """Anonymous (or ended) visitors are sent to the door's sign-in page; a dead cookie is cleared."""
    response: Response[Any] = Redirect(f"{door.sign_in_path}?lang={t.language}", status_code=303)
    if door.cookie in request.cookies:
        response.delete_cookie(door.cookie, path=door.path)
    return response


def sign_in_page(
    door: Door,
    sessions: SessionService,
    cookie_secure: bool,
    t: Translator,
    web: Web,
    language_url: Callable[[str], str],
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response[str]:
    """The sign-in form with a fresh CSRF token the register signed, in its field and in a cookie."""
    csrf = sessions.sign_in_form_token()
    response = web.pages.render(
        "sign_in.html",
        t,
        page_title=t("sign_in"),
        language_url=language_url,
        status_code=status_code,
        error=error,
        csrf=csrf,
        heading=t(door.title_key),
        intro=t(door.intro_key),
        action=door.sign_in_path,
    )
    set_cookie(response, cookie_secure, SIGN_IN_CSRF_COOKIE, csrf, path=door.sign_in_path)
    return response


def sign_in(
    request: Request[Any, Any, Any],
    door: Door,
    sessions: SessionService,
    cookie_secure: bool,
    t: Translator,
    web: Web,
    language_url: Callable[[str], str],
    data: dict[str, str],
) -> Response[Any]:
    """Check the sign-in form (origin, CSRF value, credential, role) and open a session."""
    same_origin(request)

    def again(status_code: int, error: str) -> Response[Any]:
        return sign_in_page(door, sessions, cookie_secure, t, web, language_url, status_code=status_code, error=error)

    if not sessions.sign_in_form_holds(data.get("csrf"), request.cookies.get(SIGN_IN_CSRF_COOKIE)):
        return again(403, t("sign_in_expired"))
    credential = (data.get("token") or "").strip()
    try:
        credential_principal(request, credential).require(*door.roles)
    except TooManyFailures as refused:
        return again(429, t("sign_in_rate_limited", seconds=refused.retry_after))
    except NotAuthenticated:
        return again(401, t("sign_in_failed"))
    except PermissionDenied:
        return again(403, t("sign_in_role"))
    opened = sessions.open(credential)
    response: Response[Any] = Redirect(f"{door.landing}?lang={t.language}", status_code=303)
    max_age = max(1, int((opened.expires_at - sessions.clock()).total_seconds()))
    set_cookie(response, cookie_secure, door.cookie, opened.id, path=door.path, max_age=max_age)
    response.delete_cookie(SIGN_IN_CSRF_COOKIE, path=door.sign_in_path)
    return response


def sign_out(
    request: Request[Any, Any, Any], door: Door, sessions: SessionService, t: Translator, data: dict[str, str]
) -> Response[Any]:
    """End the session (its CSRF value sent back) and clear its cookie."""
    same_origin(request)
    session_id = request.cookies.get(door.cookie)
    if session_id:
        try:
            active = sessions.resolve(session_id)
        except NotAuthenticated:
            active = None  # already over: nothing to protect, only the cookie to clear
        if active is not None:
            if not active.csrf_matches(data.get("csrf")):
                raise PermissionDenied("This form can only be sent from the register's own pages.")
            sessions.close(session_id)
    response: Response[Any] = Redirect(f"/?lang={t.language}", status_code=303)
    response.delete_cookie(door.cookie, path=door.path)
    return response


def set_cookie(
    response: Response[Any], secure: bool, name: str, value: str, *, path: str, max_age: int | None = None
) -> None:
    """A cookie for the browser only: no script reads it, no other site sends it, https unless turned off."""
    response.set_cookie(name, value, path=path, httponly=True, samesite="strict", secure=secure, max_age=max_age)


def same_origin(request: Request[Any, Any, Any]) -> None:
    """Forms behind a sign-in are only accepted from the register's own pages."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.url.netloc:
        raise PermissionDenied("This form can only be sent from the register's own pages.")
