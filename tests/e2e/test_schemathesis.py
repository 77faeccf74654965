"""Property-based: every documented operation, as every role, with generated input.

No answer may be a 5xx, and every answer must match what /schema documents for the operation
(status codes, media types, bodies). Operations run one after another on one app instance.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar.testing import TestClient
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ila_register.wiring import Services
from support import Api

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")
EXAMPLES_PER_OPERATION = 10


def test_every_operation_as_every_role(client: TestClient, runtime: Services) -> None:
    _explore(client, runtime, examples=EXAMPLES_PER_OPERATION)


@pytest.mark.slow
def test_every_operation_as_every_role_at_length(client: TestClient, runtime: Services) -> None:
    _explore(client, runtime, examples=150)


def _explore(client: TestClient, runtime: Services, *, examples: int) -> None:
    api = Api(client)
    _provider_id, provider = api.register_provider()
    api.submit(provider)
    roles = {
        "provider": provider,
        "reviewer": runtime.tokens.issue("reviewer").token,
        "admin": api.admin["Authorization"].removeprefix("Bearer "),
    }
    runtime.auth_limiter.limit = 1_000_000  # generated cases fail authentication on purpose
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", client.app)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            for token in roles.values():
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                assert response.status_code < 500, (response.status_code, response.text[:500])
                # Schema-valid is not always valid: codes must be in the register's lists, KBO
                # numbers must check out, sessions must end after they start (documented 422s).
                case.validate_response(response, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:
            failures[operation.label] = f"{type(error).__name__}: {str(error)[:1500]}"
    assert operations >= 30
    assert not failures, "\n\n".join(f"{label}\n{detail}" for label, detail in failures.items())
