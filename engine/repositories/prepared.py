"""Hot statements on the driver's cursor: compiled once per dialect by SQLAlchemy, run without it.

A step of a case runs about five statements (read its task, finish it, open the next, journal,
write the case). Through a SQLAlchemy `Connection` each cost five times its own run on SQLite
(about 120 against 20 µs on the machine of 2026-12-05): parameters built from the compiled
statement, a cursor result with its metadata, row objects, events. `Prepared` keeps what does
not change per run: the SQL text for the dialect, the order of its parameters and their type
conversions (as SQLAlchemy's types do them: aware datetimes, JSON), the result columns'
conversions and a row type. A run converts the parameters, executes on the session's own DBAPI
connection, inside the session's transaction, and converts the rows. Driver errors come out as
SQLAlchemy's, as they would through Core (`lost_a_race` reads them); a lost connection is
invalidated as Core would.

Only statements whose every value is given fit here: one whose INSERT would fill a column's
default at run time is refused when it is first compiled.
"""

from collections import namedtuple
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

Convert = Callable[[Any], Any] | None
GIVEN = object()  # a parameter each run gives (a fixed one holds its value)


class _Compiled:
    """One statement's SQL for one dialect, with its parameters' and columns' conversions."""

    def __init__(self, statement: Any, dialect: Dialect, column_keys: Sequence[str] | None,
                 many: bool):
        compiled = statement.compile(dialect=dialect, column_keys=column_keys,
                                     for_executemany=many)
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError(f"Prepared needs every value given: {compiled.string}")
        self.sql = compiled.string
        if "POSTCOMPILE" in self.sql:
            raise ValueError(f"Prepared cannot expand a list of values: {self.sql}")
        self.positional = compiled.positional
        names = compiled.positiontup if compiled.positional else list(compiled.bind_names.values())
        self.params: list[tuple[str, str, Any, Convert]] = []  # (name, key, fixed, convert)
        for name in names:
            bind = compiled.binds[name]
            if bind.callable is not None:
                raise ValueError(f"Prepared needs fixed or given values: {self.sql}")
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self.params.append((compiled.escaped_bind_names.get(name, name), bind.key,
                                GIVEN if bind.required else bind.value, convert))
        columns = list(statement.exported_columns)  # a SELECT's columns, or what it RETURNS
        self.row_type = namedtuple("Row", [column.key for column in columns], rename=True)
        self.converts = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                         for column in columns]

    def parameters(self, values: dict[str, Any]) -> Any:
        converted = []
        for _, key, fixed, convert in self.params:
            value = values[key] if fixed is GIVEN else fixed
            converted.append(convert(value) if convert is not None else value)
        if self.positional:
            return converted
        return {name: value for (name, *_), value in zip(self.params, converted, strict=True)}

    def row(self, raw: Sequence[Any]) -> Any:
        return self.row_type._make(
            value if convert is None else convert(value)
            for convert, value in zip(self.converts, raw, strict=True))


class Prepared:
    """A Core statement run on the DBAPI cursor of a SQLAlchemy connection (see the module)."""

    def __init__(self, statement: Any, column_keys: Sequence[str] | None = None,
                 many: bool = False):
        """`column_keys`: the columns an INSERT is given (all, without it); `many`: it runs with
        many sets of values at once (`run_many`)."""
        self.statement, self.many = statement, many
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _Compiled(
                self.statement, dialect, self.column_keys, self.many)
        return compiled

    def rows(self, connection: Connection, values: dict[str, Any]) -> list[Any]:
        """The rows the statement returns, as named tuples of converted values."""
        compiled = self._for(connection.dialect)
        cursor = _run(connection, compiled, compiled.parameters(values))
        try:
            return [compiled.row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, connection: Connection, values: dict[str, Any]) -> Any:
        rows = self.rows(connection, values)
        return rows[0] if rows else None

    def scalar(self, connection: Connection, values: dict[str, Any]) -> Any:
        row = self.first(connection, values)
        return row[0] if row is not None else None

    def run(self, connection: Connection, values: dict[str, Any]) -> int:
        """Execute a statement that returns no rows; the number of rows it changed."""
        compiled = self._for(connection.dialect)
        cursor = _run(connection, compiled, compiled.parameters(values))
        count = cursor.rowcount
        cursor.close()
        return count

    def run_many(self, connection: Connection, many: Iterable[dict[str, Any]]) -> None:
        compiled = self._for(connection.dialect)
        _run(connection, compiled, [compiled.parameters(values) for values in many],
             many=True).close()


@cache
def inserting(statement: Any, names: tuple[str, ...]) -> Prepared:
    """An INSERT given exactly these columns (sorted), prepared once per set of names."""
    return Prepared(statement, names)


def _run(connection: Connection, compiled: _Compiled, parameters: Any, many: bool = False) -> Any:
    dialect = connection.dialect
    raw = connection.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        if many:
            cursor.executemany(compiled.sql, parameters)
        else:
            cursor.execute(compiled.sql, parameters)
    except dialect.loaded_dbapi.Error as error:
        cursor.close()
        lost = dialect.is_disconnect(error, raw, cursor)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(compiled.sql, parameters, error, dialect.loaded_dbapi.Error,
                                  connection_invalidated=lost, dialect=dialect) from error
    return cursor
