"""No token-like value reaches a log line: messages, their arguments and tracebacks are redacted."""

from __future__ import annotations

import io
import logging
import logging.config

from uvicorn.config import LOGGING_CONFIG

from ila_register.kernel.redact import RedactTokens, logging_config, redact

SECRET = "ila_Obdngts5m-Xq3_0123456789abcdefABCDEF"


def _fail() -> None:
    raise ValueError(f"bad token {SECRET}")


def test_token_like_values_are_replaced() -> None:
    assert redact(f"GET /health?t={SECRET} 200") == "GET /health?t=ila_… 200"
    assert redact("ila_ alone, ila_x and an id 0b3c") == "ila_ alone, ila_x and an id 0b3c"


def test_the_filter_redacts_arguments_and_tracebacks() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactTokens())
    logger = logging.getLogger("test-redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("refused %s", SECRET)
        try:
            _fail()
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "Obdngts5m" not in out.getvalue()
    assert "refused ila_…" in out.getvalue()
    assert "ValueError: bad token ila_…" in out.getvalue()


def test_the_servers_logging_configuration_redacts_on_every_handler() -> None:
    config = logging_config(LOGGING_CONFIG)
    assert all("redact-tokens" in handler["filters"] for handler in config["handlers"].values())
    assert config["loggers"]["ila_register"]["handlers"] == ["default"]
    assert LOGGING_CONFIG["handlers"]["default"].get("filters") is None  # uvicorn's own left as it was
