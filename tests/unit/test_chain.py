"""The text each event's hash covers is a fixed form an auditor can rebuild outside Alur: sorted
keys, no whitespace, UTF-8 (not \\u escapes), the moment in UTC with microseconds."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from engine.chain import GENESIS, canonical, link

WIB = timezone(timedelta(hours=7))


def test_the_hashed_text_is_sorted_compact_utf8_json_with_the_time_in_utc():
    text = canonical(7, 2, "task_completed", "rina", "account_officer",
                     datetime(2026, 11, 23, 16, 30, tzinfo=WIB),
                     {"nama": "Siti Ñurhaliza", "b": [1, 2.5], "a": None})
    assert text == (
        '{"actor":"rina","application_id":7,"at":"2026-11-23T09:30:00.000000+00:00",'
        '"payload":{"a":null,"b":[1,2.5],"nama":"Siti Ñurhaliza"},"role":"account_officer",'
        '"seq":2,"type":"task_completed"}')


def test_each_hash_covers_the_previous_one_and_the_text():
    text = canonical(1, 1, "application_started", "rina", None,
                     datetime(2026, 11, 23, 2, 0, tzinfo=UTC), {})
    first = link(GENESIS, text)
    assert first == hashlib.sha256((GENESIS + text).encode("utf-8")).hexdigest()
    assert link(first, text) != first
