"""Process owners deploy safely: validation finds every problem, versions pin applications."""

import io

import pytest

from engine.bootstrap import FORMS_DIR, WORKFLOW_DIR
from tests.conftest import POSTGRES_URL
from tests.diagrams import FORM, diagram, form_task, multipart, simple
from tests.support import start


def post(client, officer, files, path="/api/definitions"):
    data = {f"file{n}": (io.BytesIO(content), name) for n, (name, content) in enumerate(files)}
    return client.post(path, data=data, headers=officer.headers, content_type="multipart/form-data")


def messages(response):
    assert response.status_code == 422, response.json
    assert response.headers["Content-Type"] == "application/problem+json"
    return " | ".join(p["message"] for p in response.json["problems"])


def bundled():
    files = [(p.name, p.read_bytes()) for p in WORKFLOW_DIR.iterdir()
             if p.suffix in (".bpmn", ".dmn")]
    return files + [(p.name, p.read_bytes()) for p in FORMS_DIR.glob("*.json")]


def test_a_small_valid_process_deploys_and_redeploying_it_creates_nothing(client, officers):
    files = [("small.bpmn", simple()), ("review_application.schema.json", FORM)]
    first = post(client, officers["owner"], files)
    assert first.status_code == 201, first.json
    assert first.json["definitions"][0]["version"] == 1
    again = post(client, officers["owner"], files)
    assert again.status_code == 200 and again.json["created"] is False
    assert again.json["definitions"][0]["sha256"] == first.json["definitions"][0]["sha256"]


def test_unchanged_bundled_workflows_create_no_version(client, officers):
    response = post(client, officers["owner"], bundled())
    assert response.status_code == 200 and response.json["definitions"][0]["version"] == 1


def test_a_policy_change_is_one_dmn_file_and_running_applications_stay_pinned(client, officers):
    running = start(client, officers["ao"])
    dmn = (WORKFLOW_DIR / "credit_policy.dmn").read_bytes().replace(b"&gt; 5000", b"&gt; 4500")
    response = post(client, officers["owner"], [("credit_policy.dmn", dmn)])
    assert response.status_code == 201, response.json
    assert response.json["definitions"][0]["version"] == 2
    newer = start(client, officers["ao"])
    assert newer["definition"]["version"] == 2
    assert client.get(f"/api/applications/{running['id']}",
                      headers=officers["ao"].headers).json["definition"]["version"] == 1
    diff = client.get("/api/definitions/credit_application/diff?from=1&to=2",
                      headers=officers["owner"].headers).json
    assert diff["rules"] == {"added": [], "removed": [],
                             "changed": ["credit_policy:rule_dsr_above_limit"]}
    assert diff["elements"] == {"added": [], "removed": [], "changed": []}


def test_versions_can_be_listed_read_and_opened_in_a_modeler(client, officers):
    listing = client.get("/api/definitions", headers=officers["owner"].headers).json
    assert [(d["key"], d["version"], d["latest"]) for d in listing] == [
        ("credit_application", 1, True), ("loan_monitoring", 1, True)]
    meta = client.get("/api/definitions/credit_application/versions/1",
                      headers=officers["owner"].headers).json
    assert "credit_policy" in meta["decisions"] and "approve_credit" in meta["user_tasks"]
    xml = client.get("/api/definitions/credit_application/versions/1/bpmn",
                     headers=officers["owner"].headers)
    assert xml.mimetype == "application/xml" and b"BPMNDiagram" in xml.data
    missing = client.get("/api/definitions/credit_application/versions/9",
                         headers=officers["owner"].headers)
    assert missing.status_code == 404


def test_only_process_owners_deploy(client, officers):
    for name in ("ao", "auditor", "analyst"):
        assert post(client, officers[name], [("small.bpmn", simple())]).status_code == 403


GATEWAY = ('<bpmn:exclusiveGateway id="gw_choice" />'
           '<bpmn:userTask id="other" />')
BAD = {
    "a user task outside a role lane": (simple(lane="tellers"), "tellers"),
    "a form that does not exist": (simple(), "review_application.schema.json"),
    "a script that imports": (simple('<bpmn:scriptTask id="run_script"><bpmn:script>import os'
                                     "</bpmn:script></bpmn:scriptTask>"), "import"),
    "a dunder walk in a script": (simple('<bpmn:scriptTask id="run_script"><bpmn:script>'
                                         "x = ().__class__.__base__</bpmn:script>"
                                         "</bpmn:scriptTask>"), "__class__"),
    "an unquoted timer": (simple('<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition'
                                 ' id="t"><bpmn:timeDuration>P3D</bpmn:timeDuration>'
                                 "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"),
                          "must be a Python string"),
    "a timer that is not ISO 8601": (simple('<bpmn:intermediateCatchEvent id="wait">'
                                            '<bpmn:timerEventDefinition id="t"><bpmn:timeDuration>'
                                            '"three days"</bpmn:timeDuration>'
                                            "</bpmn:timerEventDefinition>"
                                            "</bpmn:intermediateCatchEvent>"), "ISO 8601"),
    "overlapping gateway conditions without default": (diagram(
        '<bpmn:startEvent id="start" />' + GATEWAY.replace('<bpmn:userTask id="other" />', "") +
        form_task() + form_task("second_review", "review_application.schema.json") +
        '<bpmn:endEvent id="end" />',
        [("f1", "start", "gw_choice"), ("f2", "gw_choice", "review_application"),
         ("f3", "gw_choice", "second_review"), ("f4", "review_application", "end"),
         ("f5", "second_review", "end")]).replace(
        b'sourceRef="gw_choice" targetRef="review_application" />',
        b'sourceRef="gw_choice" targetRef="review_application"><bpmn:conditionExpression>'
        b"amount &gt; 5</bpmn:conditionExpression></bpmn:sequenceFlow>").replace(
        b'sourceRef="gw_choice" targetRef="second_review" />',
        b'sourceRef="gw_choice" targetRef="second_review"><bpmn:conditionExpression>'
        b"amount &gt; 3</bpmn:conditionExpression></bpmn:sequenceFlow>"), "may be true together"),
    "an interrupting event subprocess": (simple(
        '<bpmn:subProcess id="on_cancel" triggeredByEvent="true"><bpmn:startEvent id="cancel" />'
        "</bpmn:subProcess>"), "Interrupting"),
    "a service task with no connector": (simple('<bpmn:serviceTask id="call_out" />'),
                                         "names no connector"),
    "a non-executable process map": (simple(executable="false"), "No executable process"),
    "a JUEL condition": (simple().replace(
        b'<bpmn:sequenceFlow id="flow_end" sourceRef="review_application" targetRef="end" />',
        b'<bpmn:sequenceFlow id="flow_end" sourceRef="review_application" targetRef="end">'
        b"<bpmn:conditionExpression>${ok}</bpmn:conditionExpression></bpmn:sequenceFlow>"),
        "JUEL"),
    "an unknown decision": (simple('<bpmn:businessRuleTask id="decide"><bpmn:extensionElements>'
                                   "<spiffworkflow:calledDecisionId>nowhere"
                                   "</spiffworkflow:calledDecisionId></bpmn:extensionElements>"
                                   "</bpmn:businessRuleTask>"), "nowhere"),
    "an element no start event reaches": (simple('<bpmn:task id="orphan" />'),
                                          "orphan cannot be reached"),
    "Camunda vocabulary Alur cannot honour": (simple('<bpmn:serviceTask id="call_out" '
                                                     'camunda:class="com.bank.Payout" />'),
                                              "camunda:class"),
}


@pytest.mark.parametrize("case", BAD)
def test_each_validation_rule_refuses_its_bad_diagram(client, officers, case):
    content, expected = BAD[case]
    files = [("small.bpmn", content)]
    if case != "a form that does not exist":
        files.append(("review_application.schema.json", FORM))
    assert expected in messages(post(client, officers["owner"], files))


DMN_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><definitions '
            'xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">')


def table(decision: str, policy: str, cells: list[str], extra: str = "") -> bytes:
    rules = "".join(f'<rule id="rule_{n}"><inputEntry id="in_{n}"><text>{c}</text></inputEntry>'
                    f'<outputEntry id="out_{n}"><text>"r{n}"</text></outputEntry></rule>'
                    for n, c in enumerate(cells))
    return (DMN_HEAD + f'<decision id="{decision}" name="x"><decisionTable id="t" '
            f'hitPolicy="{policy}"><input id="i" label="a"><inputExpression id="e" '
            'typeRef="integer"><text>amount</text></inputExpression></input>'
            f'<output id="o" name="tier" typeRef="string" />{rules}</decisionTable></decision>'
            f"{extra}</definitions>").encode()


DMN_BAD = {
    "overlapping UNIQUE rules": (table("tiers", "UNIQUE", ["&lt;= 100", "&lt;= 1000"]),
                                 "rule_0 and rule_1"),
    "a FEEL range": (table("tiers", "FIRST", ["[1..5]"]), "FEEL"),
    "a hit policy Spiff ignores": (table("tiers", "PRIORITY", ["&gt; 1"]), "PRIORITY"),
    "two decisions in one file": (table("tiers", "FIRST", ["&gt; 1"], '<decision id="more" />'),
                                  "exactly one decision"),
}


@pytest.mark.parametrize("case", DMN_BAD)
def test_each_dmn_rule_refuses_its_bad_table(client, officers, case):
    content, expected = DMN_BAD[case]
    assert expected in messages(post(client, officers["owner"], [("tiers.dmn", content)]))


def test_every_problem_is_reported_at_once(client, officers):
    bad = simple('<bpmn:serviceTask id="call_out" /><bpmn:scriptTask id="s"><bpmn:script>import os'
                 "</bpmn:script></bpmn:scriptTask>", lane="tellers")
    problems = post(client, officers["owner"], [("small.bpmn", bad)]).json["problems"]
    assert len(problems) >= 4
    assert {p["element"] for p in problems} >= {"call_out", "s", "review_application"}
    assert all(p["line"] for p in problems if p["element"])


@pytest.mark.parametrize("attack", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    b"<lolz>&lol2;</lolz>",
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://example.com/evil.dtd"><d/>',
])
def test_xml_bombs_and_external_entities_are_refused(client, officers, attack):
    response = post(client, officers["owner"], [("evil.bpmn", attack)])
    assert "DOCTYPE" in messages(response)
    assert b"root:" not in response.data


def test_an_oversized_upload_is_413(client, officers):
    body, content_type = multipart([("big.bpmn", b" " * (3 * 1024 * 1024))])
    response = client.post("/api/definitions", data=body, headers=officers["owner"].headers,
                           content_type=content_type)
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"


CAMUNDA_DIAGRAM = simple().replace(
    b'<bpmn:userTask id="review_application" name="Review"><bpmn:extensionElements>'
    b'<spiffworkflow:properties><spiffworkflow:property name="formJsonSchemaFilename" '
    b'value="review_application.schema.json" /></spiffworkflow:properties>'
    b"</bpmn:extensionElements></bpmn:userTask>",
    b'<bpmn:userTask id="review_application" name="Review" camunda:candidateGroups="surveyor" '
    b'camunda:formKey="review_application" />').replace(
    b'isExecutable="true"', b'isExecutable="true" camunda:historyTimeToLive="180"').replace(
    b'name="account_officer"', b'name="Back office"')


def camunda_deploy(client, officer, files, changed_only="true"):
    """The request exactly as Camunda Modeler 5 sends it: form fields first, then the files."""
    data = {"deployment-name": "credit-policy-nov", "deployment-source": "Camunda Modeler",
            "deploy-changed-only": changed_only}
    data |= {name: (io.BytesIO(content), name) for name, content in files}
    import base64

    token = officer.headers["Authorization"].split()[1]
    basic = base64.b64encode(f"demo:{token}".encode()).decode()
    return client.post("/engine-rest/deployment/create", data=data,
                       headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
                       content_type="multipart/form-data")


def test_camunda_modeler_deploys_and_its_vocabulary_runs_as_alur(client, officers):
    assert client.get("/engine-rest/deployment?maxResults=0",
                      headers=officers["owner"].headers).status_code == 200
    files = [("review.bpmn", CAMUNDA_DIAGRAM), ("review_application.schema.json", FORM)]
    response = camunda_deploy(client, officers["owner"], files)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["name"] == "credit-policy-nov" and body["deploymentTime"]
    (definition,) = body["deployedProcessDefinitions"].values()
    assert definition["key"] == "small_process" and definition["version"] == 1
    assert any("historyTimeToLive" in w for w in body["alur"]["warnings"])
    again = camunda_deploy(client, officers["owner"], files)
    assert again.json["deployedProcessDefinitions"] is None


def test_camunda_modeler_gets_a_parse_exception_it_can_show(client, officers):
    bad = CAMUNDA_DIAGRAM.replace(b'camunda:formKey="review_application"',
                                  b'camunda:assignee="budi"')
    response = camunda_deploy(client, officers["owner"], [("review.bpmn", bad)])
    assert response.status_code == 400
    assert response.json["type"] == "ParseException"
    assert "camunda:assignee" in response.json["message"]
    assert response.json["details"]["review.bpmn"]["errors"][0]["mainElementId"] == \
        "review_application"


@pytest.mark.slow
@pytest.mark.skipif(POSTGRES_URL is not None, reason="the feature check runs its scenarios on "
                    "SQLite whatever the store (engine/services/feature_check.py): the SQLite "
                    "pass runs exactly this")
def test_verify_features_refuses_a_version_that_breaks_a_scenario(client, officers):
    """A DSR limit of 45 % breaks the scenario that expects 50 % to be escalated, not declined
    (the credit policy's scenarios run; without `features`, every scenario would)."""
    dmn = (WORKFLOW_DIR / "credit_policy.dmn").read_bytes().replace(b"&gt; 5000", b"&gt; 4500")
    response = client.post("/api/definitions?verify=features&features=credit_policy",
                           data={"f": (io.BytesIO(dmn), "credit_policy.dmn")},
                           headers=officers["owner"].headers, content_type="multipart/form-data")
    assert "5000-escalate" in messages(response)
    listing = client.get("/api/definitions", headers=officers["owner"].headers).json
    assert [(d["key"], d["version"]) for d in listing] == [("credit_application", 1),
                                                           ("loan_monitoring", 1)]


def test_verify_features_names_only_known_features(client, officers):
    dmn = (WORKFLOW_DIR / "credit_policy.dmn").read_bytes()
    response = client.post("/api/definitions?verify=features&features=credit_polcy",
                           data={"f": (io.BytesIO(dmn), "credit_policy.dmn")},
                           headers=officers["owner"].headers, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "credit_policy" in str(response.json["errors"]["features"])  # the known ones listed


def camunda_flavoured_credit_process() -> bytes:
    """The bundled process as drawn in Camunda Modeler: role, form and decision the Camunda way."""
    xml = (WORKFLOW_DIR / "credit_application.bpmn").read_bytes()
    xml = xml.replace(b'<bpmn:definitions ', b'<bpmn:definitions '
                      b'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" ', 1)
    xml = xml.replace(b'name="surveyor"', b'name="Field team"')
    xml = xml.replace(b'<bpmn:userTask id="survey_applicant" name="Survey applicant">',
                      b'<bpmn:userTask id="survey_applicant" name="Survey applicant" '
                      b'camunda:candidateGroups="surveyor" camunda:formKey="survey_applicant">')
    xml = xml.replace(b'<spiffworkflow:property name="formJsonSchemaFilename" '
                      b'value="survey_applicant.schema.json" />', b"")
    xml = xml.replace(b"<spiffworkflow:calledDecisionId>prescreen</spiffworkflow:calledDecisionId>",
                      b"")
    return xml.replace(b'<bpmn:businessRuleTask id="prescreen_application"',
                       b'<bpmn:businessRuleTask camunda:decisionRef="prescreen" '
                       b'id="prescreen_application"')


def test_a_camunda_drawn_version_runs_with_alur_roles_forms_and_decisions(client, officers):
    from tests.support import DOCUMENTS, done

    files = [("credit_application.bpmn", camunda_flavoured_credit_process())]
    response = camunda_deploy(client, officers["owner"], files)
    assert response.status_code == 200, response.json
    app = start(client, officers["ao"])
    assert app["definition"]["version"] == 2
    after = done(client, officers["ao"], app["id"], "collect_documents", DOCUMENTS)
    assert any(d.get("decision") == "prescreen" for d in after["decisions"])
    inbox = client.get("/api/tasks", headers=officers["surveyor"].headers).json["items"]
    (task,) = [t for t in inbox if t["application_id"] == app["id"]]
    assert (task["task"], task["role"]) == ("survey_applicant", "surveyor")
    form = client.get(f"/api/tasks/{task['id']}", headers=officers["surveyor"].headers).json
    assert "verified_income" in form["form"]["properties"]
