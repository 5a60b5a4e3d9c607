"""The engine adapter: runs the bundled diagram, survives serialization, records decisions."""

import json
from datetime import UTC, datetime

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.bootstrap import WORKFLOW_DIR
from engine.clock import FixedClock
from engine.connectors import Connectors
from engine.errors import InvalidDefinition, TaskNotOpen
from engine.services.demo import DEMO_APPLICATION, DEMO_INPUTS
from engine.workflow import WorkflowEngine, parse_definition
from engine.workflow.scripting import ScriptEngine
from engine.workflow.serialization import state_of


@pytest.fixture(scope="module")
def definition():
    sources = {path.name: path.read_bytes() for path in WORKFLOW_DIR.iterdir()
               if path.suffix in (".bpmn", ".dmn")}
    return parse_definition("credit_application", sources)


@pytest.fixture
def engine(definition):
    engine = WorkflowEngine(Connectors.simulated(), FixedClock(datetime(2026, 11, 23, tzinfo=UTC)))
    engine.remember(definition)
    return engine


def started(engine, definition):
    data = {**DEMO_APPLICATION, "application_number": "APP-2026-000001",
            "application_date": "2026-11-23"}
    instance = engine.start(definition.sha256, data)
    return instance, instance.run()


def test_the_same_files_always_give_the_same_version_hash(definition):
    sources = {path.name: path.read_bytes() for path in WORKFLOW_DIR.iterdir()
               if path.suffix in (".bpmn", ".dmn")}
    assert parse_definition("credit_application", sources).sha256 == definition.sha256


def test_workflow_survives_a_serialization_round_trip(engine, definition):
    instance, _ = started(engine, definition)
    restored = engine.load(definition.sha256, instance.dumps())
    assert restored.dumps() == instance.dumps()
    assert [t.task for t in restored.ready_tasks()] == ["collect_documents"]


def test_start_computes_the_installment_and_records_the_product_rule(engine, definition):
    instance, events = started(engine, definition)
    assert [type_ for type_, _ in events] == ["rule_evaluated", "rule_evaluated", "script_ran"]
    assert events[0][1]["decision"] == "holiday_calendar"
    rule = events[1][1]
    assert rule["decision"] == "product_terms"
    assert rule["outputs"]["annual_rate_bp"] == 950
    assert instance.data["installment"] == 4_528_915  # 350 M at 9.5 % over 120 months, rounded up


def test_the_journal_takes_the_matched_rule_from_the_engine_s_own_evaluation(
        engine, definition, monkeypatch):
    """Each decision table is evaluated once per business rule task, recorded or not."""
    from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

    evaluated, decide = [], DMNEngine.decide
    monkeypatch.setattr(DMNEngine, "decide",
                        lambda self, task: evaluated.append(task.id) or decide(self, task))
    _, events = started(engine, definition)
    rules = [payload for type_, payload in events if type_ == "rule_evaluated"]
    assert len(evaluated) == len(rules) == 2
    assert all(rule["rule"] is not None and rule["rule"]["row"] >= 1 for rule in rules)


def test_an_instance_not_recording_runs_the_same_and_journals_only_its_calls(engine, definition):
    """The bare engine the benchmark measures: the same steps, none of Alur's decision journal."""
    recorded, _ = started(engine, definition)
    bare = engine.start(definition.sha256, {**DEMO_APPLICATION,
                                            "application_number": "APP-2026-000001",
                                            "application_date": "2026-11-23"})
    bare.recording = False
    assert bare.run() == []
    assert bare.data == recorded.data
    task = bare.ready_tasks()[0]
    events = bare.complete(task.spiff_id, DEMO_INPUTS[task.task])
    assert [type_ for type_, _ in events] == ["connector_called"]


def test_a_restored_instance_runs_scripts_in_the_sandbox_again(engine, definition):
    instance, _ = started(engine, definition)
    state = json.loads(instance.dumps())
    restored = engine.load(definition.sha256, json.dumps(state))
    task = restored.ready_tasks()[0]
    events = restored.complete(task.spiff_id, {"ktp": True, "kk": True, "income_proof": True,
                                               "npwp": True, "collateral_papers": True,
                                               "notes": None})
    types = [type_ for type_, _ in events]
    assert types[:3] == ["gateway_passed", "connector_called", "rule_evaluated"]
    assert events[1][1]["operation"] == "slik/check"


def test_completing_a_task_that_is_not_waiting_is_refused(engine, definition):
    instance, _ = started(engine, definition)
    with pytest.raises(TaskNotOpen):
        instance.complete("00000000-0000-0000-0000-000000000000", {})


def test_a_diagram_referring_to_a_missing_decision_is_refused():
    bpmn = (WORKFLOW_DIR / "credit_application.bpmn").read_bytes()
    with pytest.raises(InvalidDefinition) as raised:
        parse_definition("credit_application", {"credit_application.bpmn": bpmn})
    assert "No DMN" in raised.value.problems[0]["message"]


def test_xml_entities_are_not_expanded():
    evil = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s" name="&x;"/></bpmn:process>
</bpmn:definitions>"""
    try:
        definition = parse_definition("p", {"p.bpmn": evil})
    except InvalidDefinition as refused:
        assert "root:" not in str(refused)
    else:
        assert "root:" not in json.dumps(definition.meta) + definition.spec_json


def test_a_save_converts_done_tasks_once_and_again_when_one_changes(engine, definition):
    instance, _ = started(engine, definition)
    instance.complete(instance.ready_tasks()[0].spiff_id, DEMO_INPUTS["collect_documents"])
    first = json.loads(instance.dumps())
    done = next(task for task in instance._workflow.tasks.values()
                if task.state == TaskState.COMPLETED and task.parent is not None)
    done.set_data(note="added after it was done")  # SpiffWorkflow's API, in place
    again = json.loads(instance.dumps())
    changed = again["tasks"][str(done.id)]["delta"]["updates"]
    assert changed["note"] == "added after it was done"
    assert again == json.loads(json.dumps(state_of(instance._workflow)))  # children too
    assert again != first


def test_workflow_data_saves_as_spiffworkflows_own_conversion_writes_it(engine, definition):
    instance, _ = started(engine, definition)
    workflow = instance._workflow
    workflow.data.update(plain={"a": [1, 2.5, None, "é"]}, when=datetime(2026, 11, 23, tzinfo=UTC))
    assert json.loads(instance.dumps())["data"]["when"]["typename"] == "datetime"
    assert instance.dumps() == json.dumps(state_of(workflow), separators=(",", ":"))
    workflow.data["odd"] = {"helper": len}  # only the registry's own walk drops a nested callable
    assert instance.dumps() == json.dumps(state_of(workflow), separators=(",", ":"))
    assert json.loads(instance.dumps())["data"]["odd"] == {}


def test_a_decision_cells_syntax_is_checked_as_python_parses_it_each_time():
    clock = FixedClock(datetime(2026, 11, 23, tzinfo=UTC))
    scripts = ScriptEngine(Connectors.simulated(), [], clock)
    for _ in range(2):  # the second time from what the first found
        with pytest.raises(SyntaxError):
            scripts.validate("> 5_000_000")  # a DMN cell with its operator: `v` goes in front
        scripts.validate("v > 5_000_000")
        scripts.validate('"multiguna"')
