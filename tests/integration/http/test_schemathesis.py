"""Schemathesis over the OpenAPI schema: no 5xx, and every error in the contract's JSON shape.

Cases fit the schema or deliberately break it; each is sent twice, as vendor staff (a csm key) and
as a customer (a widget token), so both sides of every access check are exercised: over 1,000
requests in all. (Hypothesis is driven directly: schemathesis' lazy pytest fixture loader does not
run under pytest 9.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

EXAMPLES_PER_OPERATION = 40  # per operation and mode (valid and invalid data)


@pytest.mark.slow
def test_no_server_errors_in_over_a_thousand_cases(http_app: tuple[Any, Any], api_key: Callable[..., dict[str, str]],
                                                   widget: Callable[..., dict[str, str]]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", http_app[0])
    credentials = [api_key("csm"), widget("globex", 3600)]
    sent: list[int] = []

    operations = [(result.ok(), mode) for result in schema.get_all_operations()  # type: ignore[union-attr]
                  for mode in GenerationMode]
    for operation, mode in operations:

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            for headers in credentials:
                response = case.call(headers=headers)
                sent.append(response.status_code)
                assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
                if response.status_code >= 400:
                    error = response.json()["error"]
                    assert set(error) == {"code", "message"} and error["message"]

        try:
            check()
        except Unsatisfiable:  # nothing to break in an operation without inputs (/healthz, invalid mode)
            assert mode is GenerationMode.NEGATIVE
    assert len(sent) >= 1000, f"only {len(sent)} requests were generated"
    print(f"schemathesis: {len(sent)} requests, statuses {sorted(set(sent))}")
