"""Driver errors become the register's own errors in one place (db/engine.py), on both databases."""

from __future__ import annotations

import uuid

import pytest

from ila_register.kernel.exceptions import DuplicateKey, NotFound
from ila_register.wiring import Services


def test_a_reference_to_a_provider_that_does_not_exist_is_not_found(runtime: Services) -> None:
    with pytest.raises(NotFound) as missing:
        runtime.tokens.issue("provider", provider_id=uuid.uuid4())
    assert not isinstance(missing.value, DuplicateKey)
    assert missing.value.detail == "The provider it refers to does not exist."
