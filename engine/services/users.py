"""Users and tokens: create officers, authenticate bearer tokens, keep demo users."""

import hashlib
import secrets
from dataclasses import dataclass

from engine.bootstrap import Alur
from engine.errors import InvalidInput, RoleRequired, Unauthenticated
from engine.roles import ROLES
from engine.token_cache import TokenCache

DEMO_AUTHORITY_LIMIT = 2_000_000_000  # the demo approver may sit on the credit committee
DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class Actor:
    """Who is calling: name, roles, personal authority limit (BWMK) in Rupiah and branch."""

    name: str
    roles: frozenset[str]
    authority_limit: int | None = None
    branch: str = DEFAULT_BRANCH

    def require(self, *roles: str) -> None:
        """Raise RoleRequired unless the actor holds one of `roles`."""
        if not self.roles.intersection(roles):
            raise RoleRequired(f"This needs one of the roles {', '.join(roles)}; "
                               f"you hold {', '.join(sorted(self.roles)) or 'none'}.")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(alur: Alur, name: str, roles: list[str], authority_limit: int | None = None,
                demo: bool = False, branch: str = DEFAULT_BRANCH) -> str:
    """Create a user and return its new token (shown once; only its hash is stored)."""
    _check_user(name, roles, authority_limit, branch)
    token = secrets.token_urlsafe(32)
    with alur.uow() as uow:
        if uow.users.by_name(name) is not None:
            raise InvalidInput(f"A user named {name!r} exists already.")
        uow.users.add(name=name, roles=sorted(set(roles)), authority_limit=authority_limit,
                      branch=branch, token_hash=hash_token(token), active=True, demo=demo,
                      created_at=alur.clock.now())
        uow.commit()
    return token


def _check_user(name: str, roles: list[str], authority_limit: int | None, branch: str) -> None:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise InvalidInput(f"Unknown or missing roles {unknown}; choose from {', '.join(ROLES)}.")
    if not name or len(name) > 100:
        raise InvalidInput("A user name has 1 to 100 characters.")
    if not branch or len(branch) > 50:
        raise InvalidInput("A branch code has 1 to 50 characters.")
    if authority_limit is not None and authority_limit < 0:
        raise InvalidInput("An authority limit is a positive Rupiah amount.")


def authenticate(alur: Alur, token: str | None) -> Actor:
    """The actor a bearer token belongs to (remembered for `alur.tokens.seconds`).

    Raises:
        Unauthenticated: the token is missing, unknown or revoked.
    """
    if not token:
        raise Unauthenticated("Send 'Authorization: Bearer <token>'.")
    token_hash = hash_token(token)
    actor = alur.tokens.get(token_hash, lambda: _actor_holding(alur, token_hash))
    if actor is None:
        raise Unauthenticated("This token is unknown or revoked.")
    return actor


def _actor_holding(alur: Alur, token_hash: str) -> Actor | None:
    with alur.uow() as uow:
        user = uow.users.by_token_hash(token_hash)
    if user is None:
        return None
    return Actor(user.name, frozenset(user.roles), user.authority_limit, user.branch)


def revoke_user(alur: Alur, name: str) -> None:
    """Deactivate a user: its token answers 401 from now on (the user and its history stay)."""
    with alur.uow() as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise InvalidInput(f"There is no user {name!r}.")
        user.active = False
        uow.commit()
    TokenCache.forget_everywhere()


def rotate_token(alur: Alur, name: str) -> str:
    """Give a user a new token and return it; the old one answers 401 from now on.

    Rotating a revoked user's token makes the user active again.
    """
    token = secrets.token_urlsafe(32)
    with alur.uow() as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise InvalidInput(f"There is no user {name!r}.")
        user.token_hash, user.active = hash_token(token), True
        uow.commit()
    TokenCache.forget_everywhere()  # this process refuses the old token from now on
    return token


def describe(actor: Actor) -> dict[str, object]:
    """What a signed-in client may know of itself: name, roles, authority limit and branch."""
    return {"name": actor.name, "roles": sorted(actor.roles),
            "authority_limit": actor.authority_limit, "branch": actor.branch}


def actor_named(alur: Alur, name: str) -> Actor:
    """The actor of an existing user, for the CLI and the demo (no token needed)."""
    with alur.uow() as uow:
        user = uow.users.by_name(name)
        if user is None:
            raise InvalidInput(f"There is no user {name!r}.")
        return Actor(user.name, frozenset(user.roles), user.authority_limit, user.branch)


def issue_demo_tokens(alur: Alur) -> list[tuple[str, str, str]]:
    """Create or re-key one demo user per role; return (name, role, token) for each."""
    issued = []
    with alur.uow() as uow:
        for role in ROLES:
            name = f"demo_{role}"
            token = secrets.token_urlsafe(32)
            user = uow.users.by_name(name)
            limit = DEMO_AUTHORITY_LIMIT if role == "approver" else None
            if user is None:
                uow.users.add(name=name, roles=[role], authority_limit=limit, demo=True,
                              active=True, token_hash=hash_token(token),
                              created_at=alur.clock.now())
            else:
                user.token_hash = hash_token(token)
            issued.append((name, role, token))
        uow.commit()
    TokenCache.forget_everywhere()  # the demo users' previous tokens
    return issued
