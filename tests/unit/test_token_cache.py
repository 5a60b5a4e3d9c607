"""The per-process memory of whose a token is: short, bounded, and forgotten on revocation."""

from engine import token_cache
from engine.token_cache import TokenCache


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counting(value):
    calls = []

    def load():
        calls.append(1)
        return value

    return load, calls


def test_a_known_token_is_remembered_until_its_seconds_are_up():
    ticks = Ticks()
    cache = TokenCache(5, clock=ticks)
    load, calls = counting("rina")
    assert [cache.get("h", load) for _ in range(3)] == ["rina"] * 3
    assert len(calls) == 1
    ticks.now += 5
    assert cache.get("h", load) == "rina"
    assert len(calls) == 2


def test_a_refused_token_is_never_remembered():
    cache = TokenCache(5, clock=Ticks())
    load, calls = counting(None)
    assert cache.get("h", load) is None and cache.get("h", load) is None
    assert len(calls) == 2


def test_zero_seconds_asks_every_time():
    cache = TokenCache(0, clock=Ticks())
    load, calls = counting("rina")
    cache.get("h", load), cache.get("h", load)
    assert len(calls) == 2


def test_forgetting_reaches_every_cache_of_the_process():
    first, second = TokenCache(60, clock=Ticks()), TokenCache(60, clock=Ticks())
    load, calls = counting("rina")
    first.get("h", load), second.get("h", load)
    TokenCache.forget_everywhere()
    first.get("h", load), second.get("h", load)
    assert len(calls) == 4


def test_an_answer_loaded_while_a_revocation_commits_is_not_remembered():
    cache = TokenCache(60, clock=Ticks())

    def load_then_revoked():
        TokenCache.forget_everywhere()  # the revocation commits while the user row is read
        return "rina"

    assert cache.get("h", load_then_revoked) == "rina"
    load, calls = counting(None)
    assert cache.get("h", load) is None and len(calls) == 1


def test_a_full_cache_starts_afresh(monkeypatch):
    monkeypatch.setattr(token_cache, "MAX_ENTRIES", 2)
    cache = TokenCache(60, clock=Ticks())
    for key in ("a", "b", "c"):
        cache.get(key, lambda: "x")
    assert len(cache._entries) == 1
