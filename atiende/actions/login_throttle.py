"""Growing delays after failed logins, shared by every app process through the database.

Three counters, so that guessing is slow without handing an attacker a way to keep a real
agent out: the account from one address (the guesser's own slope), the address alone (one
machine trying many accounts; a whole center behind one NAT gets more room), and the account
from anywhere (guessing from many addresses) with a short ceiling, so the agent himself
waits seconds, not hours, while someone else is guessing his password.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from atiende.actions.work import Work
from atiende.db.models import LoginThrottle
from atiende.db.types import utcnow
from atiende.domain.errors import DomainError

# Failures older than this are forgotten.
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    prefix: str
    free: int  # failures allowed before any delay
    ceiling: timedelta  # the longest delay this counter imposes


ACCOUNT_FROM_ADDRESS = Rule("account+address", 5, timedelta(minutes=5))
ADDRESS = Rule("address", 20, timedelta(minutes=15))
ACCOUNT = Rule("account", 10, timedelta(seconds=30))


class TooManyAttempts(DomainError):
    status = 429


def _keys(username: str, address: str) -> list[tuple[Rule, str]]:
    account = username.strip().lower()[:120]
    return [
        (ACCOUNT_FROM_ADDRESS, f"{ACCOUNT_FROM_ADDRESS.prefix}:{account}|{address}"),
        (ADDRESS, f"{ADDRESS.prefix}:{address}"),
        (ACCOUNT, f"{ACCOUNT.prefix}:{account}"),
    ]


def delay(rule: Rule, failures: int) -> timedelta:
    """None until the free attempts are used, then 1 s, 2 s, 4 s … up to the ceiling."""
    over = failures - rule.free
    if over < 0:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(over, 30)), rule.ceiling)


async def check(w: Work, username: str, address: str) -> None:
    """Refuses (429, with the seconds to wait) while any counter is blocked."""
    now = utcnow()
    keys = [key for _, key in _keys(username, address)]
    rows = await w.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    blocked = [r.blocked_until for r in rows if r.blocked_until and r.blocked_until > now]
    if blocked:
        wait = math.ceil((max(blocked) - now).total_seconds())
        raise TooManyAttempts(
            "too_many_attempts",
            f"Demasiados intentos fallidos. Espere {wait} s antes de volver a intentarlo.",
            {"retry_after": wait},
            params={"seconds": wait},
        )


async def record_failure(w: Work, username: str, address: str) -> None:
    now = utcnow()
    for rule, key in _keys(username, address):
        row = await _locked(w, key, now)
        if _forgotten(row.last_failure_at, now):
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        wait = delay(rule, row.failures)
        row.blocked_until = now + wait if wait else None
    await w.session.flush()


async def _locked(w: Work, key: str, now: datetime) -> LoginThrottle:
    row = await w.session.get(LoginThrottle, key, with_for_update=True)
    if row is not None:
        return row
    try:
        async with w.session.begin_nested():
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            w.session.add(row)
        return row
    except IntegrityError:
        # Another process's failure created it first: count on its row.
        found = await w.session.get(
            LoginThrottle, key, with_for_update=True, populate_existing=True
        )
        assert found is not None
        return found


async def record_success(w: Work, username: str, address: str) -> None:
    """The right password clears what is about this account from this address only:
    an attacker who owns one account cannot wash his address's record with it."""
    key = _keys(username, address)[0][1]
    await w.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


async def forget_stale(w: Work) -> None:
    await w.session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < utcnow() - WINDOW)
    )


def _forgotten(last: datetime, now: datetime) -> bool:
    return now - last > WINDOW
