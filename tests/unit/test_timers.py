"""SpiffWorkflow's timers follow Alur's clock: nothing fires early; moving the clock fires it."""

from datetime import UTC, datetime, timedelta

from engine.clock import FixedClock
from engine.connectors import Connectors
from engine.workflow import WorkflowEngine, parse_definition
from tests.diagrams import diagram, form_task

BOUNDARY = ('<bpmn:boundaryEvent id="survey_overdue" attachedToRef="review_application" '
            'cancelActivity="false"><bpmn:timerEventDefinition id="overdue_timer">'
            '<bpmn:timeDuration>"P3D"</bpmn:timeDuration></bpmn:timerEventDefinition>'
            "</bpmn:boundaryEvent>")


def engine_with_timer(clock):
    body = ('<bpmn:startEvent id="start" />' + form_task() + BOUNDARY +
            form_task("escalate_survey", "review_application.schema.json") +
            '<bpmn:endEvent id="end" /><bpmn:endEvent id="escalated" />')
    flows = [("f1", "start", "review_application"), ("f2", "review_application", "end"),
             ("f3", "survey_overdue", "escalate_survey"), ("f4", "escalate_survey", "escalated")]
    definition = parse_definition("small_process", {"small.bpmn": diagram(body, flows)})
    engine = WorkflowEngine(Connectors.simulated(), clock)
    engine.remember(definition)
    return engine, definition.sha256


def test_a_timer_is_due_three_days_after_the_clock_started_it_and_fires_only_then():
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    engine, sha = engine_with_timer(clock)
    instance = engine.start(sha, {})
    instance.run()
    assert instance.next_timer() == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    clock.advance(days=2)
    instance.fire_timers()
    assert [t.task for t in instance.ready_tasks()] == ["review_application"]
    clock.advance(days=1, seconds=1)
    restored = engine.load(sha, instance.dumps())
    restored.fire_timers()
    assert sorted(t.task for t in restored.ready_tasks()) == ["escalate_survey",
                                                               "review_application"]
    assert restored.next_timer() is None


def test_the_due_time_comes_from_the_clock_not_the_wall():
    clock = FixedClock(datetime(2031, 1, 1, tzinfo=UTC))
    engine, sha = engine_with_timer(clock)
    instance = engine.start(sha, {})
    instance.run()
    assert instance.next_timer() - clock.now() == timedelta(days=3)
