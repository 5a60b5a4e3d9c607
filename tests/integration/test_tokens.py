"""Tokens are stored only as hashes, can be revoked and rotated, from the CLI as by the service."""

import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, event, text

from api.cli import main
from engine.bootstrap import bootstrap
from engine.errors import InvalidInput, Unauthenticated
from engine.services.users import authenticate, create_user, revoke_user, rotate_token
from engine.token_cache import TokenCache


def cli(database_url, monkeypatch, *args: str):
    monkeypatch.setenv("ALUR_DATABASE_URL", database_url)
    return CliRunner().invoke(main, list(args))


def test_only_the_hash_of_a_token_is_stored(alur, database_url):
    token = create_user(alur, "rina", ["approver"], 1_000_000)
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM users WHERE name = 'rina'")).mappings().all()
    engine.dispose()
    stored = " ".join(str(value) for value in rows[0].values())
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_a_revoked_token_is_401_and_rotating_gives_a_new_working_one(client, alur):
    old = create_user(alur, "budi", ["account_officer"])
    assert client.get("/api/tasks", headers={"Authorization": f"Bearer {old}"}).status_code == 200
    revoke_user(alur, "budi")
    assert client.get("/api/tasks", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    new = rotate_token(alur, "budi")
    assert new != old
    assert client.get("/api/tasks", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert client.get("/api/tasks", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_revoking_or_rotating_an_unknown_user_says_so(alur):
    for act in (revoke_user, rotate_token):
        with pytest.raises(InvalidInput, match="no user 'nobody'"):
            act(alur, "nobody")


def test_alur_users_revoke_and_rotate(database_url, monkeypatch):
    created = cli(database_url, monkeypatch, "users", "create", "sari", "--role", "surveyor")
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]

    revoked = cli(database_url, monkeypatch, "users", "revoke", "sari")
    assert revoked.exit_code == 0 and "Revoked sari" in revoked.output
    with bootstrap(database_url) as alur, pytest.raises(Unauthenticated):
        authenticate(alur, token)

    rotated = cli(database_url, monkeypatch, "users", "rotate", "sari")
    assert rotated.exit_code == 0, rotated.output
    fresh = rotated.output.strip().splitlines()[-1]
    with bootstrap(database_url) as alur:
        assert authenticate(alur, fresh).roles == {"surveyor"}
        with pytest.raises(Unauthenticated):
            authenticate(alur, token)

    unknown = cli(database_url, monkeypatch, "users", "revoke", "nobody")
    assert unknown.exit_code != 0 and "nobody" in unknown.output


def test_a_revocation_by_another_alur_of_this_process_takes_effect_at_once(client, alur,
                                                                          database_url):
    token = create_user(alur, "dewi", ["account_officer"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).status_code == 200  # remembered now
    with bootstrap(database_url) as other:  # as `alur users revoke` run in this process would
        revoke_user(other, "dewi")
    assert client.get("/api/me", headers=headers).status_code == 401


def test_a_known_token_is_looked_up_once_within_the_cache_seconds(app, client, alur):
    assert app.config["TOKEN_CACHE_SECONDS"] == alur.tokens.seconds == 5
    token = create_user(alur, "eka", ["account_officer"])
    queries = []
    engine = alur.session_factory.kw["bind"]

    def count(conn, cursor, statement, *args):
        queries.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json[
                "name"] == "eka"
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum("FROM users" in statement for statement in queries) == 1


def revoke_behind_the_services_back(alur, name):
    """As `alur users revoke` in another process does: this process is not told."""
    with alur.uow() as uow:
        uow.users.by_name(name).active = False
        uow.commit()


def test_a_revocation_by_another_process_is_seen_within_the_cache_seconds(database_url):
    now = [0.0]
    with bootstrap(database_url) as alur:
        alur.create_schema()
        alur.tokens = TokenCache(5, clock=lambda: now[0])
        token = create_user(alur, "fajar", ["surveyor"])
        assert authenticate(alur, token).name == "fajar"
        revoke_behind_the_services_back(alur, "fajar")
        now[0] = 4.9
        assert authenticate(alur, token).name == "fajar"  # the bound: at most 5 s
        now[0] = 5.0
        with pytest.raises(Unauthenticated):
            authenticate(alur, token)


def test_a_cache_of_zero_seconds_asks_the_database_every_time(database_url):
    with bootstrap(database_url, token_cache_seconds=0) as alur:
        alur.create_schema()
        token = create_user(alur, "gita", ["surveyor"])
        assert authenticate(alur, token).name == "gita"
        revoke_behind_the_services_back(alur, "gita")
        with pytest.raises(Unauthenticated):
            authenticate(alur, token)
