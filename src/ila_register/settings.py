"""Typed settings read from ``ILA_*`` environment variables.

This is the only module that reads ``os.environ``; everything else receives a ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import msgspec

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class DatabaseSettings(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    echo: bool = False
    # Outbox events every consumer has applied are deleted this long after the last one did.
    outbox_retention_seconds: float = 7 * 86400.0


class SearchSettings(msgspec.Struct, frozen=True, kw_only=True):
    meili_url: str | None = None
    meili_key: str | None = None
    meili_index: str = "offers"
    embedded_path: Path
    # How often the outbox worker looks for changes written by other instances.
    sync_interval_seconds: float = 0.5
    # How often the index is compared with the database and repaired (0: only on demand).
    reconcile_interval_seconds: float = 3600.0
    client_concurrency: int = 4  # searches of one client at once, then 429
    expensive_concurrency: int = 1  # expensive searches at once per server process (all clients); others wait


class HttpSettings(msgspec.Struct, frozen=True, kw_only=True):
    base_uri: str = "http://127.0.0.1:8000"
    max_body_bytes: int = 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    # Proxies (IPs or CIDR networks) whose X-Forwarded-For is believed; nobody's by default.
    trusted_proxies: tuple[str, ...] = ()
    # The dashboard's cookies are Secure unless turned off (plain-http development on another host
    # than localhost: browsers keep Secure cookies from http://localhost and http://127.0.0.1).
    cookie_secure: bool = True
    # A request's head must arrive within this many seconds, and each part of its body within
    # ``read_timeout_seconds`` of the previous one; beyond, 408 and the connection is closed.
    header_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0


class ImportSettings(msgspec.Struct, frozen=True, kw_only=True):
    max_bytes: int = 200 * 1024 * 1024
    storage: Path
    lease_seconds: float = 60.0  # a job whose worker stopped renewing for this long is resumed elsewhere
    max_records: int = 200_000  # records in one file; more is refused at upload
    # A replace import withdraws nothing when more than this share of its records is rejected.
    replace_max_rejected_share: float = 0.1
    read_timeout_seconds: float = 30.0  # an upload that sends nothing for this long is cut off


CC0 = "http://publications.europa.eu/resource/authority/licence/CC0"


class PublicationSettings(msgspec.Struct, frozen=True, kw_only=True):
    qdr_notify_url: str | None = None
    qdr_api_key: str | None = None
    qdr_debounce_seconds: float = 10.0
    # Rendered datasets, one file per format and dataset version.
    cache_dir: Path = Path("var/elm-cache")
    dataset_limit: int = 10  # full (non-304) dataset downloads per client ...
    dataset_window: float = 60.0  # ... within this many seconds, then 429 (0: no limit)
    feed_client_concurrency: int = 2  # change feed pages one client reads at once, then 429
    feed_cache_bytes: int = 64 * 1024 * 1024  # rendered change feed pages kept in memory
    # The licence the published data is under, as the catalogue states it (dct:license): CC0, the
    # EU's recommendation for public-sector data, from its licence authority table.
    licence: str = CC0
    stream_page_size: int = 100  # events per page of the event stream (/elm/stream); fixed once harvested


class AuthSettings(msgspec.Struct, frozen=True, kw_only=True):
    bootstrap_admin_token: str | None = None
    failed_auth_limit: int = 20  # failed authentications per client ...
    failed_auth_window: float = 60.0  # ... within this many seconds, then 429
    session_lifetime_seconds: float = 8 * 3600.0  # a dashboard sign-in lasts a working day


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database: DatabaseSettings
    search: SearchSettings
    http: HttpSettings
    auth: AuthSettings
    publication: PublicationSettings = PublicationSettings()
    imports: ImportSettings = ImportSettings(storage=Path("var/imports"))
    vocab_dir: Path = PROJECT_ROOT / "vocab"
    elm_mappings_dir: Path = PROJECT_ROOT / "elm_mappings"
    # Background workers (outbox sync, schedules) run inside the server process unless disabled,
    # e.g. for a CLI command or a test that drives them by hand.
    run_workers: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, workdir: Path | None = None) -> Settings:
        """Build settings from ``ILA_*`` variables; unset ones take documented defaults."""
        env = os.environ if env is None else env
        var_dir = Path(env.get("ILA_VAR_DIR", str((workdir or Path.cwd()) / "var")))
        return cls(
            database=DatabaseSettings(
                url=env.get("ILA_DATABASE_URL") or f"sqlite:///{var_dir / 'ila-register.sqlite3'}",
                echo=_flag(env.get("ILA_DATABASE_ECHO")),
                outbox_retention_seconds=float(env.get("ILA_OUTBOX_RETENTION_SECONDS", str(7 * 86400))),
            ),
            search=SearchSettings(
                meili_url=env.get("ILA_MEILI_URL") or None,
                meili_key=env.get("ILA_MEILI_KEY") or None,
                meili_index=env.get("ILA_MEILI_INDEX", "offers"),
                embedded_path=Path(env.get("ILA_SEARCH_PATH", str(var_dir / "search-index"))),
                reconcile_interval_seconds=float(env.get("ILA_SEARCH_RECONCILE_SECONDS", "3600")),
                client_concurrency=int(env.get("ILA_SEARCH_CLIENT_CONCURRENCY", "4")),
                expensive_concurrency=int(env.get("ILA_SEARCH_EXPENSIVE_CONCURRENCY", "1")),
            ),
            http=HttpSettings(
                base_uri=env.get("ILA_BASE_URI", "http://127.0.0.1:8000").rstrip("/"),
                max_body_bytes=int(env.get("ILA_MAX_BODY_BYTES", str(1024 * 1024))),
                cors_origins=tuple(o for o in env.get("ILA_CORS_ORIGINS", "").split(",") if o),
                trusted_proxies=tuple(p.strip() for p in env.get("ILA_TRUSTED_PROXIES", "").split(",") if p.strip()),
                cookie_secure=_flag(env.get("ILA_COOKIE_SECURE", "1")),
                header_timeout_seconds=float(env.get("ILA_HTTP_HEADER_TIMEOUT_SECONDS", "10")),
                read_timeout_seconds=float(env.get("ILA_HTTP_READ_TIMEOUT_SECONDS", "30")),
            ),
            auth=AuthSettings(
                bootstrap_admin_token=env.get("ILA_BOOTSTRAP_ADMIN_TOKEN") or None,
                failed_auth_limit=int(env.get("ILA_FAILED_AUTH_LIMIT", "20")),
                failed_auth_window=float(env.get("ILA_FAILED_AUTH_WINDOW_SECONDS", "60")),
                session_lifetime_seconds=float(env.get("ILA_SESSION_LIFETIME_SECONDS", str(8 * 3600))),
            ),
            imports=ImportSettings(
                max_bytes=int(env.get("ILA_IMPORT_MAX_BYTES", str(200 * 1024 * 1024))),
                storage=Path(env.get("ILA_IMPORT_DIR", str(var_dir / "imports"))),
                lease_seconds=float(env.get("ILA_IMPORT_LEASE_SECONDS", "60")),
                max_records=int(env.get("ILA_IMPORT_MAX_RECORDS", "200000")),
                replace_max_rejected_share=float(env.get("ILA_IMPORT_REPLACE_MAX_REJECTED_SHARE", "0.1")),
                read_timeout_seconds=float(env.get("ILA_IMPORT_READ_TIMEOUT_SECONDS", "30")),
            ),
            publication=PublicationSettings(
                qdr_notify_url=env.get("ILA_QDR_NOTIFY_URL") or None,
                qdr_api_key=env.get("ILA_QDR_API_KEY") or None,
                qdr_debounce_seconds=float(env.get("ILA_QDR_DEBOUNCE_SECONDS", "10")),
                cache_dir=Path(env.get("ILA_ELM_CACHE_DIR", str(var_dir / "elm-cache"))),
                dataset_limit=int(env.get("ILA_ELM_DATASET_LIMIT", "10")),
                dataset_window=float(env.get("ILA_ELM_DATASET_WINDOW_SECONDS", "60")),
                feed_client_concurrency=int(env.get("ILA_ELM_FEED_CLIENT_CONCURRENCY", "2")),
                feed_cache_bytes=int(float(env.get("ILA_ELM_FEED_CACHE_MB", "64")) * 1024 * 1024),
                licence=env.get("ILA_ELM_LICENCE") or CC0,
                stream_page_size=int(env.get("ILA_ELM_STREAM_PAGE_SIZE", "100")),
            ),
            vocab_dir=Path(env.get("ILA_VOCAB_DIR", str(PROJECT_ROOT / "vocab"))),
            elm_mappings_dir=Path(env.get("ILA_ELM_MAPPINGS_DIR", str(PROJECT_ROOT / "elm_mappings"))),
        )


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings.from_env()
