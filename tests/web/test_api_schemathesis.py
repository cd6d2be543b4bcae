"""The API tested as an attacker would (issue 18, item 5): schemathesis reads the OpenAPI document
the app serves and sends every operation property-based requests — odd path parameters, query
values out of range, bodies of the wrong shape — with an administrator's token that writes. No
answer may be a server error, and every answer is one the document declares, in the declared
shape (the JSON error included).

Bounded to run in well under a minute on two cores: a few examples per operation, derandomized
(the same cases every run, so a failure reproduces), no deadline and no example database. Half
the cases (by the generated slug's length) call project alpha, so they reach the handlers past
the project's 404.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.tokens import Tokens
from floorwalker.plugins.meetings import records as meetings

from .conftest import MONTH, make_company

EXAMPLES = 8  # an operation and a mode; the whole run stays under a minute
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
BOUNDED = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                   phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    fw = make_company(tmp_path_factory.mktemp("schemathesis"))
    meetings.plan_month(fw, fw.projects.get("alpha"), MONTH, "supervisor1")
    app = create_app(fw, config={"api_rate": 1_000_000})
    return app, Tokens(fw).create("root", "schemathesis", "setup", write=True)[1]


def test_no_server_error_and_every_answer_as_documented(served):
    """Valid and invalid requests of every operation (schemathesis' positive and negative
    modes): each failing operation is reported with its first failing case."""
    app, token = served
    schema = schemathesis.openapi.from_asgi(f"{PREFIX}/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @BOUNDED
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                project = (case.path_parameters or {}).get("project")
                if project is not None and len(project) % 2:
                    case.path_parameters["project"] = "alpha"
                case.call_and_validate(headers=headers, checks=CHECKS)
            try:
                run()
            except (AssertionError, BaseExceptionGroup) as failure:  # gather every operation's, fail once
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("method, url, body, field", [
    ("GET", "/projects/alpha/agents?month=0000-01", None, "month"),  # the day before year 1
    ("GET", "/projects/alpha/agents/1001/months/9999-12", None, "month"),  # the month after 9999-12
    ("GET", "/projects/alpha/scores/9999-12", None, "month"),
    ("GET", "/projects/alpha/events?month=0000-12", None, "month"),
    ("POST", "/projects/alpha/complaints/complaints", {"channel": "phone", "subject": "x",
                                                       "received": "0001-01-01 00:00"}, "received"),
    ("POST", "/projects/alpha/agents", {"number": "9001", "name": "王芳", "hired": "2026-02-30"}, "hired"),
])
def test_the_edges_found_answer_422_naming_the_field(served, method, url, body, field):
    """What the property-based run once found answering 500 (a month the calendar cannot step past,
    a complaint received in year 1), and an error naming the form's word instead of the body's key."""
    from starlette.testclient import TestClient
    app, token = served
    caller = TestClient(app, headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"})
    r = caller.request(method, PREFIX + url, json=body)
    assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text
