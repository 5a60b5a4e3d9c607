"""One use case, one transaction: repositories over a session that commits all or nothing."""

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import ConcurrentUpdate
from engine.repositories.base import lost_a_race
from engine.repositories.cases import Applications, Definitions, Events, LoanReviews
from engine.repositories.idempotency import IdempotencyKeys, current_request
from engine.repositories.people import AccessLog, Users
from engine.repositories.recall import JournalRecall
from engine.repositories.reports import Reports
from engine.repositories.work import Incidents, Messages, Tasks


class UnitOfWork:
    """`with uow:` opens a session; `commit()` writes everything or, on a race, nothing.

    Inside a request with an `Idempotency-Key`, the first commit carries the key's row and stays
    open until the request's answer is written (IdempotentRequest); a later unit of work in the
    same request first settles it, so it never waits on its own request's write lock.
    """

    def __init__(self, session_factory: sessionmaker[Session], recall: JournalRecall | None = None):
        self.session_factory = session_factory
        self.recall = recall

    def __enter__(self) -> "UnitOfWork":
        request = current_request.get()
        if request is not None:
            request.settle()
        self.session = self.session_factory()
        self.definitions = Definitions(self.session)
        self.events = Events(self.session, self.recall)
        self.applications = Applications(self.session, self.events)
        self.tasks = Tasks(self.session)
        self.users = Users(self.session)
        self.access = AccessLog(self.session)
        self.incidents = Incidents(self.session)
        self.messages = Messages(self.session)
        self.loan_reviews = LoanReviews(self.session)
        self.reports = Reports(self.session)
        self.idempotency = IdempotencyKeys(self.session)
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        request = current_request.get()
        if request is not None and request.held is self.session:
            if error is None:
                return  # the request's answer commits this transaction with the key's row
            request.settle()  # the use case committed before it failed: keep that, as ever
        self.session.close()  # rolls back what was not committed (no objects to expire first)
        if lost_a_race(error):
            raise ConcurrentUpdate(
                "Someone else changed this application at the same moment; reload and retry."
            ) from None

    def commit(self) -> None:
        self.events.write()
        request = current_request.get()
        if request is not None and not request.acted:
            request.hold(self.session, self.session_factory)
        else:
            self.session.commit()

    def ping(self) -> None:
        """Raise if the database does not answer."""
        self.session.execute(text("SELECT 1"))

    def flush(self) -> None:
        self.events.write()
        self.session.flush()
