"""What every repository shares: pages of results, counts, how a lost race shows, and rows read
as plain values made into the session's objects."""

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, inspect, literal, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.exc import StaleDataError

MappedObject = TypeVar("MappedObject")


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


class JoinedObjects:
    """Rows of several mapped classes read as one plain row (a Core join of `columns`, in the
    order of `classes`, each the next one's many-to-one target), made into the session's objects
    by `as_read` and linked as the ORM would link them."""

    def __init__(self, *classes: type):
        self.parts = [(cls, [(attribute.key, attribute.columns[0])
                             for attribute in inspect(cls).column_attrs if not attribute.deferred])
                      for cls in classes]  # a read loads the deferred columns when used
        self.columns = [column for _, columns in self.parts for _, column in columns]
        self.links = [next(relation.key for relation in inspect(cls).relationships
                           if relation.mapper.class_ is target)
                      for cls, target in zip(classes, classes[1:], strict=False)]

    def read(self, session: Session, found: Sequence[Any]) -> Any:
        """The first class's object of the row, holding the others through its relationships."""
        values = iter(found)
        objects = [as_read(session, cls, {key: next(values) for key, _ in columns})
                   for cls, columns in self.parts]
        for link, holder, target in zip(self.links, objects, objects[1:], strict=False):
            set_committed_value(holder, link, target)
        return objects[0]


def held(session: Session, cls: type[MappedObject], row_id: int) -> MappedObject | None:
    """The object of this class and id the session holds, if any (no SQL)."""
    return session.identity_map.get(  # type: ignore[no-any-return]
        inspect(cls).identity_key_from_primary_key([row_id]))


def as_read(session: Session, cls: type[MappedObject], values: dict[str, Any]) -> MappedObject:
    """The session's object for a row read as plain values: the one it holds already, or one
    made of the values as if the ORM had loaded it (nothing to write; a column not given loads
    when it is used). Making it costs a fraction of an ORM load with its joined rows."""
    kept = held(session, cls, values["id"])
    if kept is not None:
        return kept
    row = inspect(cls).class_manager.new_instance()
    instance_state(row).dict.update(values)
    make_transient_to_detached(row)
    session.add(row)
    return row  # type: ignore[no-any-return]
