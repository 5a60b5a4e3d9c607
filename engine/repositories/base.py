"""What every repository shares: pages of results, counts, and how a lost race shows."""

from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


class Page:
    """A slice of a list with the total count."""

    def __init__(self, items: list[Any], total: int, page: int, per_page: int):
        self.items, self.total, self.page, self.per_page = items, total, page, per_page


def paged(session: Session, query: Any, page: int, per_page: int) -> Page:
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, count_of(session, query), page, per_page)


def paged_in_two_parts(session: Session, first: Any, then: Any, page: int, per_page: int) -> Page:
    """One page over `first` followed by `then`: each part reads its own index in order
    (undated tasks after dated ones, with no sort of every row)."""
    start, first_total = (page - 1) * per_page, count_of(session, first)
    items = list(session.scalars(first.limit(per_page).offset(start)))
    rest = per_page - len(items)
    if rest:
        items += session.scalars(then.limit(rest).offset(max(0, start - first_total)))
    return Page(items, first_total + count_of(session, then), page, per_page)


def count_of(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def one_of(column: Any, values: tuple[Any, ...]) -> Any:
    """`column IN (...)` with one bind per value. SQLAlchemy renders an expanding IN (a list in
    one bind) again on every run, which on the hot path cost more than the query itself."""
    return column.in_([literal(value, column.type) for value in values])


def lost_a_race(error: BaseException | None) -> bool:
    """A version check, a unique sequence number or a lock said another writer came first."""
    if isinstance(error, StaleDataError | IntegrityError):
        return True
    return isinstance(error, OperationalError) and "locked" in str(error).lower()
