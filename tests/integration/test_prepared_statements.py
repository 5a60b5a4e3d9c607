"""The hot path's statements on the driver's cursor answer as SQLAlchemy's Core would, on both
stores: the same values (aware datetimes, JSON), the same errors, nothing left to defaults; rows
read as plain values become the session's objects as the ORM would load them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from benchmarks.workload import WORKLOAD
from engine.db import ApplicationRow, DefinitionRow, TaskRow
from engine.repositories.base import lost_a_race
from engine.repositories.cases import _EVENTS, EVENTS, NEW_EVENTS
from engine.repositories.prepared import Prepared
from engine.repositories.work import FINISH
from engine.services import cases, tasks
from engine.services.deployments import deploy_upload
from engine.services.users import authenticate, create_user


@pytest.fixture
def case(alur):
    """A three-task case with one task done: events with datetimes and JSON payloads."""
    deploy_upload(alur, {p.name: p.read_bytes() for p in WORKLOAD.iterdir()}, "owner")
    actor = authenticate(alur, create_user(alur, "eka", ["account_officer"]))
    state = cases.start_case(alur, "three_tasks", {"reference": "R-1"}, actor)
    tasks.complete_task(alur, actor, state["open_tasks"][0]["id"], {"count": 7, "note": "é ✓"})
    return state["id"]


def test_rows_read_on_the_cursor_equal_rows_read_through_core(alur, case):
    with alur.uow() as uow:
        connection = uow.session.connection()
        prepared = EVENTS.rows(connection, {"case": case, "after": 0})
        core = list(connection.execute(_EVENTS, {"case": case, "after": 0}))
    assert len(prepared) >= 3
    assert [tuple(row) for row in prepared] == [tuple(row) for row in core]
    assert all(row.at.tzinfo is UTC for row in prepared)
    assert "é ✓" in str([row.payload for row in prepared])


def test_a_datetime_goes_in_as_utc_and_comes_back_aware(alur, case):
    later = datetime(2026, 11, 23, 16, 30, tzinfo=timezone(timedelta(hours=7)))  # WIB
    with alur.uow() as uow:
        connection = uow.session.connection()
        seq = EVENTS.rows(connection, {"case": case, "after": 0})[-1].seq + 1
        NEW_EVENTS.run_many(connection, [{
            "application_id": case, "seq": seq, "type": "note", "actor": "eka", "role": None,
            "at": later, "payload": {"n": 1}, "prev_hash": "0" * 64, "hash": "1" * 64}])
        row = EVENTS.rows(connection, {"case": case, "after": seq - 1})[0]
    assert row.at == later and row.at.tzinfo is UTC and row.at.hour == 9
    assert row.payload == {"n": 1}


def test_a_duplicate_comes_out_as_sqlalchemys_error_and_reads_as_a_lost_race(alur, case):
    with alur.uow() as uow:
        connection = uow.session.connection()
        first = EVENTS.rows(connection, {"case": case, "after": 0})[0]
        with pytest.raises(IntegrityError) as raised:
            NEW_EVENTS.run_many(connection, [first._asdict() | {"type": "again"}])
    assert lost_a_race(raised.value)


def test_an_update_counts_the_rows_it_changed(alur, case):
    with alur.uow() as uow:
        connection = uow.session.connection()
        (task,) = uow.tasks.open_for(case)
        moment = {"actor": "eka", "at": datetime.now(UTC)}
        assert FINISH.run(connection, {"task_id": task.id} | moment) == 1
        assert FINISH.run(connection, {"task_id": task.id} | moment) == 0  # not open any more


def test_an_insert_that_would_leave_a_column_to_its_default_is_refused(alur):
    partial = Prepared(insert(ApplicationRow.__table__), ["status", "stage"])
    with alur.uow() as uow, pytest.raises(ValueError, match="every value given"):
        partial.run(uow.session.connection(), {"status": "x", "stage": "y"})


def _loaded_by_the_orm(alur, cls, row_id):
    with alur.uow() as uow:
        row = uow.session.get(cls, row_id)
        return {attribute.key: getattr(row, attribute.key)
                for attribute in inspect(cls).column_attrs}


def test_a_task_read_as_a_plain_row_is_the_object_the_orm_would_load(alur, case):
    with alur.uow() as uow:
        (brief,) = uow.tasks.open_for(case)
        task = uow.tasks.get(brief.id)
        assert uow.tasks.get(brief.id) is task  # one object per row in a transaction
        assert uow.applications.get(case) is task.application
        assert task.application.definition is uow.definitions.latest("three_tasks")
        read = {cls: {attribute.key: getattr(row, attribute.key)  # deferred columns load here
                      for attribute in inspect(cls).column_attrs}
                for cls, row in ((TaskRow, task), (ApplicationRow, task.application),
                                 (DefinitionRow, task.application.definition))}
        assert "three_tasks" in read[DefinitionRow]["spec_json"]
        assert not uow.session.dirty and not uow.session.new  # nothing to write
    assert read[TaskRow] == _loaded_by_the_orm(alur, TaskRow, brief.id)
    assert read[ApplicationRow] == _loaded_by_the_orm(alur, ApplicationRow, case)
    assert read[DefinitionRow] == _loaded_by_the_orm(alur, DefinitionRow,
                                                     read[DefinitionRow]["id"])


def test_a_task_read_as_a_plain_row_writes_what_is_changed_on_it(alur, case):
    with alur.uow() as uow:
        (brief,) = uow.tasks.open_for(case)
        task = uow.tasks.get(brief.id)
        task.title = "Checked again"
        uow.commit()
    assert _loaded_by_the_orm(alur, TaskRow, brief.id)["title"] == "Checked again"


def test_a_case_writes_a_json_field_changed_in_place_and_skips_nothing_else(alur, case):
    with alur.uow() as uow:
        row = uow.applications.get(case)
        noted = {"notes": ["first"]}
        uow.applications.store(row, summary=noted, stage="survey")
        noted["notes"].append("second")  # the document the session holds changes too
        uow.applications.store(row, summary=noted, stage="survey")
        uow.commit()
    stored = _loaded_by_the_orm(alur, ApplicationRow, case)
    assert stored["summary"] == {"notes": ["first", "second"]}
    assert stored["stage"] == "survey" and stored["version"] == row.version
