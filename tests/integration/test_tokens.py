"""Tokens are stored only as hashes, can be revoked and rotated, from the CLI as by the service."""

import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from api.cli import main
from engine.bootstrap import bootstrap
from engine.errors import InvalidInput, Unauthenticated
from engine.services.users import authenticate, create_user, revoke_user, rotate_token


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
