"""schemathesis against the app's own OpenAPI schema, in-process: no input gives a 5xx.

Reads run over the analysed test database; the write endpoint is fuzzed too, behind a token
the fuzzer does not have (it must answer 401/422, never 500). Few examples per operation, so
the whole run stays well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_corpus import corpus_db

from corroborate.web import create_app


@pytest.fixture(scope="module")
def api_schema() -> schemathesis.BaseSchema:
    # schemathesis' ASGI client sends Host: testserver, a name configured like any other
    app = create_app(corpus_db(), token="fuzz-token-not-given", allowed_hosts=["testserver"])
    return schemathesis.openapi.from_asgi("/openapi.json", app)


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


def test_api_never_answers_5xx(api_schema: schemathesis.BaseSchema) -> None:
    # schemathesis' own pytest plugin does not run under pytest 9 yet, so each operation's
    # strategy is driven by Hypothesis directly.
    labels = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        run()
    assert "POST /api/v1/ingest" in labels and len(labels) >= 12
