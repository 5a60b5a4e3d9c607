"""Move running applications to another version of their process, all in one transaction."""

from typing import Any

from engine.bootstrap import Alur
from engine.services.definitions import ensure_loaded
from engine.services.progress import advance, cancel_open_tasks
from engine.services.users import Actor


def migrate_applications(alur: Alur, actor: Actor, key: str, from_version: int,
                         to_version: int, renamed: dict[str, str], dry_run: bool) -> dict[str, Any]:
    """Report which running applications can move (their waiting tasks exist in the target, after
    renaming) and, unless `dry_run`, move every movable one, each move an audit event."""
    with alur.uow() as uow:
        source = uow.definitions.version(key, from_version)
        target = uow.definitions.version(key, to_version)
        ensure_loaded(alur, source)
        ensure_loaded(alur, target)
        report = []
        for application in uow.applications.running_on(source.id):
            instance = alur.workflows.load(source.sha256, application.state_json)
            reasons = instance.blocking_tasks(alur.workflows, target.sha256, renamed)
            report.append({"application_id": application.id, "number": application.number,
                           "waiting": [t.task for t in instance.ready_tasks()],
                           "movable": not reasons, "reasons": reasons})
            if reasons or dry_run:
                continue
            now = alur.clock.now()
            uow.events.append(application, "definition_migrated", actor.name, now,
                              {"from": source.sha256, "to": target.sha256,
                               "from_version": from_version, "to_version": to_version,
                               "renamed": renamed}, role="process_owner")
            cancel_open_tasks(uow, application, now)
            events = instance.migrate(alur.workflows, target.sha256, renamed)
            application.definition = target
            advance(alur, uow, application, instance, events, now)
        if not dry_run:
            uow.commit()
    movable = sum(1 for r in report if r["movable"])
    return {"key": key, "from_version": from_version, "to_version": to_version,
            "dry_run": dry_run, "movable": movable, "blocked": len(report) - movable,
            "moved": 0 if dry_run else movable, "applications": report}
