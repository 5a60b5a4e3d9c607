"""Officers' tasks: inbox, one task with its form, claim, release, complete."""

from api.context import actor, alur, requires
from api.parsing import Blueprint
from api.schemas import ApplicationResponse, TaskCompleteRequest, TaskPage, TaskQuery, TaskResponse
from engine.services import tasks as service

bp = Blueprint("tasks", __name__, description="User tasks and inboxes")


@bp.route("", methods=["GET"])
@requires()
@bp.arguments(TaskQuery, location="query", as_kwargs=True)
@bp.response(200, TaskPage)
def list_tasks(assigned, status, page, per_page, sort, role=None):
    """The caller's inbox: tasks of their roles, oldest first or (`sort=due_at`) soonest due."""
    return service.list_tasks(alur(), actor(), role, assigned, status, page, per_page, sort)


@bp.route("/<int:task_id>", methods=["GET"])
@requires()
@bp.response(200, TaskResponse)
def get_task(task_id: int):
    """One task with its form (JSON Schema) and prefilled data."""
    return service.get_task(alur(), actor(), task_id)


@bp.route("/<int:task_id>/claim", methods=["POST"])
@requires()
@bp.response(200, TaskResponse)
def claim_task(task_id: int):
    """Claim a task; 409 if another officer holds it."""
    return service.claim_task(alur(), actor(), task_id)


@bp.route("/<int:task_id>/release", methods=["POST"])
@requires()
@bp.response(200, TaskResponse)
def release_task(task_id: int):
    """Give a claimed task back to its role's inbox."""
    return service.release_task(alur(), actor(), task_id)


@bp.route("/<int:task_id>/complete", methods=["POST"])
@requires()
@bp.arguments(TaskCompleteRequest)
@bp.response(200, ApplicationResponse)
def complete_task(body, task_id: int):
    """Submit the task's form; 422 lists the errors per field."""
    return service.complete_task(alur(), actor(), task_id, body["data"])
