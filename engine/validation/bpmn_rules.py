"""Rules on a BPMN process that SpiffWorkflow would accept but Alur must refuse or check."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from engine.roles import ROLES
from engine.validation import exclusivity
from engine.validation.expressions import compiles, timer
from engine.validation.problems import Problem, problem

B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
S = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"


@dataclass
class Context:
    """What a diagram may refer to: forms, decisions and connector systems that exist."""

    forms: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)
    systems: set[str] = field(default_factory=set)


def properties(node: Any) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in node.findall(f"{B}extensionElements/"
                                                                f"{S}properties/{S}property")}


def executable_processes(filename: str, root: Any) -> tuple[list[Any], list[Problem]]:
    processes = root.findall(f"{B}process")
    runnable = [p for p in processes if p.get("isExecutable") == "true"]
    if runnable:
        return runnable, []
    names = ", ".join(p.get("id") or "?" for p in processes) or "none"
    return [], [problem(filename, None, f"No executable process (processes: {names}). Alur runs "
                                        "only processes marked isExecutable=\"true\".")]


def check_process(filename: str, process: Any, context: Context) -> list[Problem]:
    """Every problem of one executable process."""
    found: list[Problem] = []
    lanes = {ref.text: lane.get("name") for lane in process.iter(f"{B}lane")
             for ref in lane.findall(f"{B}flowNodeRef")}
    for check in (_user_tasks, _code, _gateways, _refusals, _decisions, _reachability):
        found += check(filename, process, context, lanes)
    return found


def _user_tasks(filename, process, context, lanes) -> Iterable[Problem]:
    for task in process.iter(f"{B}userTask"):
        props = properties(task)
        role = props.get("role") or lanes.get(task.get("id"))
        if role not in ROLES:
            yield problem(filename, task, f"User task {task.get('id')} must sit in a lane (or "
                                          f"have candidate group) named after a role; "
                                          f"{role!r} is not one of {', '.join(ROLES)}.")
        form = props.get("formJsonSchemaFilename")
        if not form:
            yield problem(filename, task, f"User task {task.get('id')} names no form "
                                          "(spiffworkflow property formJsonSchemaFilename).")
        elif form not in context.forms:
            yield problem(filename, task, f"User task {task.get('id')} refers to form {form}, "
                                          "which is neither uploaded nor deployed.")


def _code(filename, process, context, lanes) -> Iterable[Problem]:
    for script in process.iter(f"{B}script", f"{S}preScript", f"{S}postScript"):
        yield from compiles(filename, script.getparent(), script.text, "exec", "The script")
    for tag in ("conditionExpression", "loopCardinality", "completionCondition"):
        for node in process.iter(f"{B}{tag}"):
            yield from compiles(filename, node.getparent(), node.text, "eval", f"The {tag}")
    for param in process.iter(f"{S}parameter"):
        owner = param.getparent().getparent().getparent().getparent()
        yield from compiles(filename, owner, param.get("value"), "eval",
                            f"The service parameter {param.get('id')}")
    for kind in ("timeDuration", "timeDate", "timeCycle"):
        for node in process.iter(f"{B}{kind}"):
            yield from timer(filename, node.getparent().getparent(), node.text, kind)


def _gateways(filename, process, context, lanes) -> Iterable[Problem]:
    leaving: dict[str, list[Any]] = {}
    for flow in process.iter(f"{B}sequenceFlow"):
        leaving.setdefault(flow.get("sourceRef"), []).append(flow)
    for gateway in process.iter(f"{B}exclusiveGateway"):
        outgoing = leaving.get(gateway.get("id"), [])
        if len(outgoing) < 2:
            continue
        default = gateway.get("default")
        conditions = {f.get("id"): f.findtext(f"{B}conditionExpression") for f in outgoing}
        bare = [i for i, c in conditions.items() if c is None and i != default]
        if bare:
            yield problem(filename, gateway, f"Gateway {gateway.get('id')}: flows {bare} have no "
                                             "condition and are not the default flow.")
        if default and conditions.get(default) is not None:
            yield problem(filename, gateway, f"Gateway {gateway.get('id')}: the default flow "
                                             f"{default} must not have a condition.")
        if not default and not exclusivity.exclusive([c for c in conditions.values() if c]):
            yield problem(filename, gateway, f"Gateway {gateway.get('id')}: the conditions may be "
                                             "true together and there is no default flow; "
                                             "SpiffWorkflow would take the topmost true flow in "
                                             "the drawing. Make them exclusive or add a default.")


def _refusals(filename, process, context, lanes) -> Iterable[Problem]:
    for sub in process.iter(f"{B}subProcess"):
        if sub.get("triggeredByEvent") == "true" and any(
                s.get("isInterrupting", "true") != "false" for s in sub.findall(f"{B}startEvent")):
            yield problem(filename, sub, "Interrupting event subprocesses do not interrupt in "
                                         "SpiffWorkflow 3.2; use a non-interrupting one or a "
                                         "boundary event.")
    for task in process.iter(f"{B}serviceTask"):
        operator = task.find(f"{B}extensionElements/{S}serviceTaskOperator")
        if operator is None:
            yield problem(filename, task, f"Service task {task.get('id')} names no connector "
                                          "operation (spiffworkflow:serviceTaskOperator); it "
                                          "would wait forever.")
        elif operator.get("id", "").partition("/")[0] not in context.systems:
            yield problem(filename, task, f"Service task {task.get('id')} calls "
                                          f"{operator.get('id')!r}; configured systems: "
                                          f"{', '.join(sorted(context.systems))}.")


def _decisions(filename, process, context, lanes) -> Iterable[Problem]:
    for task in process.iter(f"{B}businessRuleTask"):
        ref = task.findtext(f"{B}extensionElements/{S}calledDecisionId")
        if not ref:
            yield problem(filename, task, f"Business rule task {task.get('id')} names no "
                                          "decision (spiffworkflow:calledDecisionId).")
        elif ref.strip() not in context.decisions:
            yield problem(filename, task, f"Business rule task {task.get('id')} calls decision "
                                          f"{ref.strip()!r}, which is neither uploaded nor "
                                          "deployed.")


FLOW_NODES = ("task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask",
              "sendTask", "receiveTask", "callActivity", "subProcess", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "eventBasedGateway", "endEvent",
              "intermediateCatchEvent", "intermediateThrowEvent")


def _reachability(filename, process, context, lanes) -> Iterable[Problem]:
    """Top-level elements no start event leads to would be silently left out by SpiffWorkflow."""
    nodes = {n.get("id"): n for n in process if isinstance(n.tag, str)
             and n.tag in {f"{B}{t}" for t in FLOW_NODES} and n.get("triggeredByEvent") != "true"}
    successors: dict[str, list[str]] = {}
    for flow in process.findall(f"{B}sequenceFlow"):
        successors.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    for boundary in process.findall(f"{B}boundaryEvent"):
        successors.setdefault(boundary.get("attachedToRef"), []).append(boundary.get("id"))
    seen: set[str] = set()
    todo = [s.get("id") for s in process.findall(f"{B}startEvent")]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += successors.get(current, [])
    for node_id, node in nodes.items():
        if node_id not in seen and node.find(f"{B}linkEventDefinition") is None:
            yield problem(filename, node, f"{node_id} cannot be reached from a start event; "
                                          "SpiffWorkflow would silently leave it out.")
