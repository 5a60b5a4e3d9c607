"""Each answer lists the decisions the store holds, though a process reads only the new part of
the journal of a case it answered for before (engine/repositories/recall.py): a case moved by
another process, a step that never committed and an event changed in the store are all seen;
the audit report reads the whole journal."""

from sqlalchemy import update

from api import create_app
from engine.db import EventRow
from engine.services.views import DECISION_EVENTS, decision_view
from tests.support import (
    DOCUMENTS,
    VALID_SURVEY,
    done,
    get,
    lost_at_commit,
    open_task,
    recommend,
    start,
)


def stored(alur, case_id):
    """The case's decisions as the store holds them, read in full."""
    with alur.uow() as uow:
        return [decision_view(e) for e in uow.events.for_application(case_id, DECISION_EVENTS)]


def forge(alur, case_id, decision):
    """Change a decision event in the store, as an intruder would (verify reports it)."""
    with alur.uow() as uow:
        uow.session.execute(update(EventRow).where(
            EventRow.application_id == case_id, EventRow.seq == decision["seq"]).values(
            payload={**decision, "element": "forged"}, hash="f" * 64))
        uow.session.commit()


def test_an_answer_lists_the_decisions_another_process_made(app, alur, database_url, clock,
                                                            officers):
    other = create_app({"TESTING": True, "DATABASE_URL": database_url, "CLOCK": clock})
    try:
        here, there = app.test_client(), other.test_client()
        case = start(here, officers["ao"])
        collected = done(here, officers["ao"], case["id"], "collect_documents", DOCUMENTS)
        surveyed = done(there, officers["surveyor"], case["id"], "survey_applicant",
                        VALID_SURVEY)
        analysed = done(here, officers["analyst"], case["id"], "analyse_credit",
                        recommend(80_000_000))
    finally:
        other.extensions["alur"].close()
    assert collected["decisions"] and len(surveyed["decisions"]) > len(collected["decisions"])
    assert analysed["decisions"][:len(surveyed["decisions"])] == surveyed["decisions"]
    assert analysed["decisions"] == stored(alur, case["id"])
    assert len(analysed["decisions"]) > len(surveyed["decisions"])


def test_decisions_of_a_step_that_did_not_commit_are_never_answered(client, alur, clock,
                                                                    officers, monkeypatch):
    case = start(client, officers["ao"])
    task_id = open_task(client, officers["ao"], case["id"], "collect_documents")
    refused = lost_at_commit(client, officers["ao"], task_id, DOCUMENTS, monkeypatch)
    assert refused.status_code == 409

    clock.advance(minutes=5)  # the same decisions again, at another time: other hashes
    again = client.post(f"/api/tasks/{task_id}/complete", json={"data": DOCUMENTS},
                        headers=officers["ao"].headers)
    assert again.status_code == 200, again.json
    assert again.json["decisions"] == stored(alur, case["id"])
    made = again.json["decisions"][len(case["decisions"]):]
    assert made and {d["at"] for d in made} == {clock.now().isoformat()}


def test_a_decision_changed_in_the_store_shows_in_the_next_answer(client, alur, officers):
    case = start(client, officers["ao"])
    collected = done(client, officers["ao"], case["id"], "collect_documents", DOCUMENTS)
    forge(alur, case["id"], collected["decisions"][-1])
    answered = get(client, officers["ao"], case["id"])["decisions"]
    assert answered == stored(alur, case["id"])
    assert answered[-1]["element"] == "forged"


def test_the_audit_report_reads_every_decision_from_the_store(client, alur, officers):
    case = start(client, officers["ao"])
    collected = done(client, officers["ao"], case["id"], "collect_documents", DOCUMENTS)
    first = collected["decisions"][0]  # before the last one, which a recollection is checked by
    forge(alur, case["id"], first)
    report = client.get(f"/api/applications/{case['id']}/audit",
                        headers=officers["auditor"].headers).json
    assert report["decisions"] == stored(alur, case["id"])
    assert report["decisions"][0]["element"] == "forged"
    assert report["verification"]["result"] == "broken"
