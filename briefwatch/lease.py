"""One pass at a time over a store: a lease row, taken in one statement, renewed while the pass
runs, let go of when it ends.

`briefwatch run` (Prefect's embedded API, no server) and the scheduled `monitor` deployment may
both start a pass over one store; a pass that overlapped another would fetch the same pages and
fold the same claims twice over. The database decides who runs: the lease is one row per name,
and a taker either inserts it (the primary key lets one in) or takes over a row whose expiry
has passed (an UPDATE only one taker can match). It works the same on SQLite and PostgreSQL.
The holder renews it every `RENEW` seconds; a pass killed with SIGKILL renews nothing, so its
lease is free `SECONDS` after its last renewal, and at once for a taker on the same machine,
which sees that the holder's process is gone (the owner names its host and process id).
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, or_, update

from briefwatch.clock import as_utc, utcnow
from briefwatch.errors import StoreError
from briefwatch.models import Lease
from briefwatch.store import Store

PASS = "pass"  # the lease of a pass over the store (`briefwatch.pipeline.drive_pass`)
SECONDS = 120.0  # a lease not renewed for this long is free
RENEW = 30.0  # how often its holder renews it

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Held:
    """Why a lease was not taken: another owner holds it, since then, until then."""

    name: str
    owner: str
    taken_at: datetime
    expires_at: datetime

    def __str__(self) -> str:
        return (
            f"a pass is already running over this store (held by {self.owner} since "
            f"{self.taken_at:%H:%M:%S} UTC, its lease runs to {self.expires_at:%H:%M:%S} UTC)"
        )


def pass_lease(only: Sequence[str] = ()) -> str:
    """The lease of a pass over all sources (`PASS`), or over only the sources named: passes
    over different sets of sources (`run --source`) may run side by side, the store's unique
    keys keep what they share stored once."""
    if not only:
        return PASS
    names = ",".join(sorted(set(only)))
    return f"{PASS}:{hashlib.sha256(names.encode()).hexdigest()[:16]}"


def owner_name() -> str:
    """This process, as a lease names its holder: host, process id, and a random part (two
    passes of one process are two owners)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def take(store: Store, name: str, owner: str, seconds: float = SECONDS) -> Lease | Held:
    """Take the lease ``name`` for ``seconds``: the lease, or who holds it."""
    now = utcnow()
    row = {
        "name": name,
        "owner": owner,
        "taken_at": now,
        "expires_at": now + timedelta(seconds=seconds),
    }
    with store.session() as session:
        if store.insert_one(session, Lease, row) is not None:
            return Lease(**row)
        held = session.get(Lease, name)
        # A holder whose process is gone is replaced by name: only one taker can match it.
        gone = held.owner if held is not None and _gone(held.owner) else owner
        over = session.exec(
            update(Lease)
            .where(
                col(Lease.name) == name,
                or_(col(Lease.expires_at) < now, col(Lease.owner).in_({owner, gone})),
            )
            .values(owner=owner, taken_at=now, expires_at=row["expires_at"])
            # The row read above is not brought up to date in Python (SQLite hands back naive
            # times, which do not compare with ours); it is read again below.
            .execution_options(synchronize_session=False)
        )
        if over.rowcount == 1:
            return Lease(**row)
        session.expire_all()
        held = session.get(Lease, name)
    return _held(held, name)


def _gone(owner: str) -> bool:
    """Whether ``owner`` (`owner_name`) was a process of this machine that no longer runs (a
    pass killed with SIGKILL). Another machine's process, or a name of another form: not known,
    so not gone (its lease expires instead). A new process that got the same id reads as alive:
    the safe way round."""
    host, _, rest = owner.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def renew(store: Store, name: str, owner: str, seconds: float = SECONDS) -> bool:
    """Push the lease's expiry ``seconds`` ahead; whether ``owner`` still held it."""
    with store.session() as session:
        done = session.exec(
            update(Lease)
            .where(col(Lease.name) == name, col(Lease.owner) == owner)
            .values(expires_at=utcnow() + timedelta(seconds=seconds))
        )
        return done.rowcount == 1


def release(store: Store, name: str, owner: str) -> None:
    """Let go of the lease (only ``owner``'s: one that expired and was taken over stays)."""
    with store.session() as session:
        row = session.get(Lease, name)
        if row is not None and row.owner == owner:
            session.delete(row)


def holder(store: Store, name: str) -> Held | None:
    """Who holds the lease now, or ``None`` when it is free (absent or expired)."""
    with store.session() as session:
        row = session.get(Lease, name)
    if row is None or (as_utc(row.expires_at) or utcnow()) <= utcnow() or _gone(row.owner):
        return None
    return _held(row, name)


def _held(row: Lease | None, name: str) -> Held:
    now = utcnow()
    if row is None:  # let go of between our two statements: held a moment ago, by someone
        return Held(name, "another pass", now, now)
    return Held(name, row.owner, as_utc(row.taken_at) or now, as_utc(row.expires_at) or now)


@contextmanager
def holding(store: Store, name: str = PASS) -> Iterator[Lease | Held]:
    """The lease for the block, renewed on a thread while it runs, let go of after it; or who
    holds it (then the block should do nothing)."""
    owner = owner_name()
    taken = take(store, name, owner)
    if isinstance(taken, Held):
        yield taken
        return
    stop = threading.Event()

    def keep() -> None:
        while not stop.wait(RENEW):
            try:
                renew(store, name, owner)
            except (SQLAlchemyError, StoreError) as exc:
                # SQLite's write lock held past its busy timeout (a long write of the pass
                # itself), a connection dropped: the lease has SECONDS - RENEW left, so this
                # tick is tried again at the next one; a thread that died here renewed nothing
                # more and let a second pass in beside this one.
                log.warning("lease %r not renewed (%s); trying again in %.0f s",
                            name, str(exc).splitlines()[0][:200], RENEW)  # fmt: skip

    thread = threading.Thread(target=keep, name="briefwatch-lease", daemon=True)
    thread.start()
    try:
        yield taken
    finally:
        stop.set()
        thread.join()
        release(store, name, owner)
