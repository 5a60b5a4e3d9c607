"""Errors the engine raises on purpose.

AlurError
├── NotFound (LookupError)
│   ├── ApplicationNotFound
│   ├── TaskNotFound
│   └── DefinitionNotFound
├── InvalidInput (ValueError)
│   ├── FormInvalid             carries an error list per field
│   ├── InvalidDefinition       carries every problem found in a deployment
│   ├── TooLarge
│   ├── IdempotencyKeyInvalid
│   └── IdempotencyKeyReused    the same key came with another request
├── NotAllowed (PermissionError)
│   ├── RoleRequired
│   ├── NotClaimant
│   ├── SeparationOfDuties
│   └── AuthorityExceeded
├── Unauthenticated
├── Conflict
│   ├── TaskNotOpen
│   ├── TaskClaimedByAnother
│   ├── ConcurrentUpdate
│   ├── RequestInProgress       the first request with this Idempotency-Key is still running
│   └── AnswerLost              it was carried out, but its answer was never recorded
├── ProcessFailed                the diagram could not go on (script, connector, decision)
│   ├── ScriptFailed
│   └── ConnectorFailed
└── UnknownSchema                the database is neither empty nor at a revision Alur knows
"""


class AlurError(Exception):
    """Base for every error the engine raises on purpose."""

    code = "alur-error"
    title = "Alur error"


class NotFound(AlurError, LookupError):
    code, title = "not-found", "Not found"


class ApplicationNotFound(NotFound):
    code, title = "application-not-found", "Application not found"


class TaskNotFound(NotFound):
    code, title = "task-not-found", "Task not found"


class DefinitionNotFound(NotFound):
    code, title = "definition-not-found", "Process definition not found"


class InvalidInput(AlurError, ValueError):
    code, title = "invalid-input", "Invalid input"


class FormInvalid(InvalidInput):
    """A submission does not satisfy its form; `errors` maps each field path to its messages."""

    code, title = "form-invalid", "The submitted form has errors"

    def __init__(self, errors: dict[str, list[str]], message: str | None = None):
        super().__init__(message or "Correct the fields listed in 'errors' and submit again.")
        self.errors = errors


class InvalidDefinition(InvalidInput):
    """Diagrams, tables or forms that cannot be deployed; `problems` lists every finding."""

    code, title = "invalid-definition", "The process definition is not valid"

    def __init__(self, problems: list[dict]):
        super().__init__(f"{len(problems)} problem(s) found; see 'problems'. Nothing was deployed.")
        self.problems = problems


class TooLarge(InvalidInput):
    code, title = "too-large", "The upload is too large"


class IdempotencyKeyInvalid(InvalidInput):
    code, title = "idempotency-key-invalid", "The Idempotency-Key header is not valid"


class IdempotencyKeyReused(InvalidInput):
    code, title = "idempotency-key-reused", "This Idempotency-Key was used for another request"


class Unauthenticated(AlurError):
    code, title = "unauthenticated", "Authentication required"


class NotAllowed(AlurError, PermissionError):
    code, title = "not-allowed", "Not allowed"


class RoleRequired(NotAllowed):
    code, title = "role-required", "Your roles do not allow this"


class NotClaimant(NotAllowed):
    code, title = "not-claimant", "Another officer holds this task"


class SeparationOfDuties(NotAllowed):
    code, title = "separation-of-duties", "Separation of duties forbids this"


class AuthorityExceeded(NotAllowed):
    code, title = "authority-exceeded", "Above your authority limit"


class Conflict(AlurError):
    code, title = "conflict", "Conflict"


class TaskNotOpen(Conflict):
    code, title = "task-not-open", "Task is no longer open"


class TaskClaimedByAnother(Conflict):
    code, title = "task-claimed", "Task is claimed by another officer"


class ConcurrentUpdate(Conflict):
    code, title = "concurrent-update", "The application changed while you worked on it"


class RequestInProgress(Conflict):
    code, title = "request-in-progress", "The first request with this key is still running"


class AnswerLost(Conflict):
    code, title = "idempotency-answer-lost", "Done before, but its answer was lost"


class ProcessFailed(AlurError):
    code, title = "process-failed", "The process could not continue"


class ScriptFailed(ProcessFailed):
    code, title = "script-failed", "A script or expression in the diagram failed"


class ConnectorFailed(ProcessFailed):
    code, title = "connector-failed", "An external system call failed"


class UnknownSchema(AlurError):
    """The database holds tables this version cannot migrate (too old, too new, or not Alur's)."""

    code, title = "unknown-schema", "The database schema is not one this Alur knows"
