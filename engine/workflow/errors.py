"""SpiffWorkflow's exceptions turned into Alur's."""

from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.errors import AlurError, ProcessFailed


class translated_errors:
    """Context manager turning SpiffWorkflow's exceptions into Alur's."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or isinstance(error, AlurError):
            return False
        cause = getattr(error, "exception", None) or error.__cause__
        if isinstance(cause, AlurError):
            raise cause from None
        if isinstance(error, SpiffWorkflowException):
            raise ProcessFailed(str(error).splitlines()[0]) from None
        return False
