"""Every task of an instance in SpiffWorkflow's own order, walked without its general iterator.

`BpmnWorkflow.get_tasks()` with no filter returns every task depth first, a subprocess's tasks
before the children of the task that runs it. Its iterator serves any filter at any depth: for
each task it checks the filter and keeps its depth by walking up the parents, in Python. Alur
asks for the whole tree once per move of an instance (`Instance._in_state`), so this walk gives
the same list the plain way.
"""

from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

# SpiffWorkflow's iterator stops descending 1,000 levels deep. A tree with fewer tasks than
# this cannot be that deep; a larger one (a process looping for long) takes SpiffWorkflow's walk.
PLAIN_WALK_TASKS = 900


def every_task(workflow: BpmnWorkflow) -> list[Any]:
    """`workflow.get_tasks()`: every task, in the same order."""
    subprocesses = workflow.subprocesses
    size = len(workflow.tasks) + sum(len(sub.tasks) for sub in subprocesses.values())
    if size >= PLAIN_WALK_TASKS:
        return workflow.get_tasks()
    found: list[Any] = []
    stack = [workflow.task_tree]
    while stack:
        task = stack.pop()
        found.append(task)
        subprocess = subprocesses.get(task.id) if subprocesses else None
        if subprocess is not None:
            stack.extend(reversed([subprocess.task_tree, *task.children]))
        elif task._children:
            stack.extend(reversed(task.children))
    return found
