"""A process keeps the decisions of a bounded number of cases, each for exactly one question."""

from engine.repositories.recall import JournalRecall

TYPES = ("gateway_passed", "rule_evaluated")


def test_the_least_recently_read_case_is_dropped_first():
    recall = JournalRecall(size=2)
    recall.keep(1, TYPES, 0, ("a",))
    recall.keep(2, TYPES, 0, ("b",))
    recall.keep(1, TYPES, 0, ("a", "a2"))  # read again: now the most recent
    recall.keep(3, TYPES, 0, ("c",))
    assert recall.recall(2, TYPES, 0) == ()
    assert recall.recall(1, TYPES, 0) == ("a", "a2")
    assert recall.recall(3, TYPES, 0) == ("c",)


def test_a_recollection_answers_only_the_question_it_was_read_for():
    recall = JournalRecall()
    recall.keep(1, TYPES, 0, ("a",))
    assert recall.recall(1, ("rule_evaluated",), 0) == ()
    assert recall.recall(1, TYPES, 5) == ()  # a loan's next month reads after another event
    recall.keep(2, TYPES, 0, ())  # nothing read, nothing kept
    assert recall.recall(2, TYPES, 0) == ()
