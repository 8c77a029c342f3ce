"""What the study service's method groups share: one session per read, one transaction per
change, over the study's engine.

A request of the workbench makes a dozen reads (the transcript, its codings, the codebook,
the member's read rule, ...). Through :meth:`StudyService.shared_reads` they share one session,
and the lookups every read repeats (which transcripts the member may read, the code paths) are
made once in it (:func:`memo`). Any change ends what was shared: a transaction committed through
the study's engine, by this view, another service object on it (the workbench's own) or the
anonymisation layer's sessions, is seen by the view's next read, which starts afresh."""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Self, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

MEMO = "thematica.memo"  # the key of a shared session's lookups in ``Session.info``
KEPT = "thematica.kept"  # and of the rows it has loaded, held for as long as it is shared
T = TypeVar("T")


_COMMITS: weakref.WeakKeyDictionary[Engine, list[int]] = weakref.WeakKeyDictionary()
_WATCH = threading.Lock()


def commits(engine: Engine) -> list[int]:
    """A count (in a one-item list) of the transactions committed through ``engine`` in this
    process, by any session or connection. Threads may race on it: a count that moved, by one
    or more, is all a reader asks of it."""
    with _WATCH:
        found = _COMMITS.get(engine)
        if found is None:
            counter = _COMMITS[engine] = [0]

            def committed(_connection: object) -> None:
                counter[0] += 1

            event.listen(engine, "commit", committed)
            found = counter
        return found


class SharedReads:
    """One session for a run of reads, opened at the first, with a memo of lookups; a change
    ends both (:meth:`end`), so nothing read before a change is reused after it. A transaction
    committed through the engine since the last read (:func:`commits`) ends them too."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._session: Session | None = None
        self._commits = commits(engine)
        self._seen = self._commits[0]

    def session(self) -> Session:
        if self._commits[0] != self._seen:
            self.end()  # something was committed since the last read: start afresh
        if self._session is None:
            session = Session(self._engine, expire_on_commit=False, info={MEMO: {}, KEPT: []})
            # The identity map holds rows weakly: the study's row, fetched by several reads
            # with ``session.get``, was fetched again by each. Held here, it is fetched once.
            event.listen(session, "loaded_as_persistent", _keep)
            self._session = session
        return self._session

    def end(self) -> None:
        """Forget what was read: the memo, the loaded rows and the open read transaction. The
        session stays usable (a read that called a change goes on with it)."""
        self._seen = self._commits[0]
        if self._session is not None:
            self._session.rollback()  # ends the transaction and expires every loaded row
            self._session.info[MEMO] = {}
            self._session.info[KEPT] = []

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def _keep(session: Session, instance: object) -> None:
    session.info[KEPT].append(instance)


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, made once per shared session (:class:`SharedReads`) for ``key``; made
    every time in a session of its own, which may be changing what it reads."""
    found: dict[Hashable, Any] | None = session.info.get(MEMO)
    if found is None:
        return compute()
    if key not in found:
        found[key] = compute()
    value: T = found[key]
    return value


class Sessions:
    _engine: Engine
    _shared: SharedReads | None = None

    @contextmanager
    def shared_reads(self) -> Iterator[Self]:
        """The study, for a run of reads that share one session and its lookups (a request of
        the workbench): the answer is a view of this service whose reads open one session, at
        the first, and make each lookup every read repeats (which transcripts a member may
        read, the codebook's paths, ...) once in it. A change through the view runs in its own
        transaction and ends what was shared, so the reads after it see it. Closing the view
        (at the end of the block) closes its session; the study stays open."""
        view = copy.copy(self)
        view._shared = SharedReads(self._engine)
        try:
            yield view
        finally:
            view._shared.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        shared = self._shared
        if shared is not None:
            try:
                yield shared.session()
            except BaseException:
                shared.end()  # a failed read leaves nothing behind for the next one
                raise
            return
        with Session(self._engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        shared = self._shared
        if shared is not None:
            shared.end()
        try:
            with Session(self._engine, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            if shared is not None:
                shared.end()  # reads after the change see it
