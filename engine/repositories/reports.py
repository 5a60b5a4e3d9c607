"""Aggregates for the monthly report."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from engine.db import ApplicationRow, EventRow, LoanReviewRow, TaskRow
from engine.repositories.work import OPEN


class Reports:
    """Monthly aggregates; each row starts with the application's branch and account officer."""

    KEY = (ApplicationRow.branch, ApplicationRow.created_by)

    def __init__(self, session: Session):
        self.session = session

    def _rows(self, query: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.execute(query.group_by(*self.KEY))]

    def _tasks(self, *columns: Any) -> Any:
        return select(*self.KEY, *columns).select_from(TaskRow).join(
            ApplicationRow, TaskRow.application_id == ApplicationRow.id).where(
            ApplicationRow.kind == "application")

    def _events(self, type_: str, start: datetime, end: datetime, *columns: Any) -> Any:
        return select(*self.KEY, *columns).select_from(EventRow).join(
            ApplicationRow, EventRow.application_id == ApplicationRow.id).where(
            ApplicationRow.kind == "application", EventRow.type == type_,
            EventRow.at >= start, EventRow.at < end)

    def collected(self, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """Applications registered in [start, end): count and Rupiah asked."""
        row = ApplicationRow
        return self._rows(select(*self.KEY, func.count(), func.sum(row.amount)).where(
            row.kind == "application", row.created_at >= start, row.created_at < end))

    def completed(self, task: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """How many tasks of one kind were completed in [start, end)."""
        return self._rows(self._tasks(func.count()).where(
            TaskRow.task == task, TaskRow.status == "completed",
            TaskRow.completed_at >= start, TaskRow.completed_at < end))

    def opened(self, task: str, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
        """How many tasks of one kind were opened in [start, end)."""
        return self._rows(self._tasks(func.count()).where(
            TaskRow.task == task, TaskRow.created_at >= start, TaskRow.created_at < end))

    def passed(self, gateway: str, target: str, start: datetime,
               end: datetime) -> list[tuple[Any, ...]]:
        """Gateway passes towards `target` in [start, end): count and Rupiah approved."""
        payload = EventRow.payload
        return self._rows(self._events("gateway_passed", start, end, func.count(),
                                       func.sum(_approved_amount())).where(
            payload["element"].as_string() == gateway, payload["target"].as_string() == target))

    def outcomes(self, statuses: Iterable[str], start: datetime,
                 end: datetime) -> list[tuple[Any, ...]]:
        """Per status, the applications that ended with it in [start, end): count and Rupiah."""
        status = EventRow.payload["status"].as_string()
        columns = [func.sum(case((status == name, value), else_=0))
                   for name in statuses for value in (1, _approved_amount())]
        return self._rows(self._events("end_reached", start, end, *columns))

    def durations(self, stages: Iterable[str], start: datetime,
                  end: datetime) -> list[tuple[Any, ...]]:
        """Stage, opened and completed time of every staged task completed in [start, end)."""
        return [tuple(row) for row in self.session.execute(self._tasks(
            TaskRow.stage, TaskRow.created_at, TaskRow.completed_at).where(
            TaskRow.stage.in_(list(stages)), TaskRow.status == "completed",
            TaskRow.completed_at >= start, TaskRow.completed_at < end))]

    def breaches(self, start: datetime, end: datetime, now: datetime) -> list[tuple[Any, ...]]:
        """Tasks due in [start, end) that missed it: completed late, and still open past it."""
        late = (TaskRow.status == "completed") & (TaskRow.completed_at > TaskRow.due_at)
        still_open = TaskRow.status.in_(OPEN) & (TaskRow.due_at <= now)
        return self._rows(self._tasks(func.sum(case((late, 1), else_=0)),
                                      func.sum(case((still_open, 1), else_=0))).where(
            TaskRow.due_at >= start, TaskRow.due_at < end, or_(late, still_open)))

    def portfolio(self, last_day: str) -> list[tuple[Any, ...]]:
        """Per branch, officer and class: loans and outstanding at their latest review."""
        review = LoanReviewRow
        latest = select(review.loan_id, func.max(review.cycle).label("cycle")).where(
            review.review_date <= last_day).group_by(review.loan_id).subquery()
        key = (review.branch, review.account_officer, review.collectibility)
        query = select(*key, func.count(), func.sum(review.outstanding)).join(
            latest, (review.loan_id == latest.c.loan_id) & (review.cycle == latest.c.cycle)
        ).where(review.outstanding > 0).group_by(*key)
        return [tuple(row) for row in self.session.execute(query)]


def _approved_amount() -> Any:
    """The amount approved (the summary's `approved_amount`), else the amount asked."""
    approved = ApplicationRow.summary["approved_amount"].as_numeric(20, 0)
    return func.coalesce(approved, ApplicationRow.amount)
