"""No secret that looks like an API token reaches a terminal or a log line.

The register's tokens start with ``ila_`` (``lib.auth.TOKEN_PREFIX``); anything of that shape in
an error message, a log message or a traceback is replaced by ``ila_…`` before it is written,
whatever put it there (a mistyped command line, a token pasted into a URL, an exception text).
"""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_LIKE = re.compile(r"ila_[A-Za-z0-9_\-]{6,}")
REDACTED = "ila_…"


def redact(text: str) -> str:
    """``text`` with every token-like value replaced by ``ila_…``."""
    return TOKEN_LIKE.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """A logging filter (for handlers) that redacts token-like values in the message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TOKEN_LIKE.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def logging_config(base: dict[str, Any]) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dictionary (e.g. uvicorn's) whose handlers all redact tokens,
    and which sends the register's own log records through them too."""
    config: dict[str, Any] = {**base, "filters": {**base.get("filters", {}), "redact-tokens": {"()": RedactTokens}}}
    config["handlers"] = {
        name: {**handler, "filters": [*handler.get("filters", []), "redact-tokens"]}
        for name, handler in base.get("handlers", {}).items()
    }
    loggers = dict(base.get("loggers", {}))
    if "default" in config["handlers"]:
        loggers.setdefault("ila_register", {"handlers": ["default"], "level": "INFO", "propagate": False})
    config["loggers"] = loggers
    return config


def install() -> None:
    """Redact on the handler Python falls back on when nothing is configured (command-line tools)."""
    handler = logging.lastResort
    if handler is not None and not any(isinstance(f, RedactTokens) for f in handler.filters):
        handler.addFilter(RedactTokens())
