"""legday processes take turns at the database file.

DuckDB lets one process open a file for writing and turns the others away; it does not
queue them. So the dashboard and the `legday` commands queue on two lock files next to
the database (flock: the kernel lets go of them when a process ends or dies):

- `<db>.turn`: held by the process that has the database open, with its process id
  written in it (named when someone gives up waiting);
- `<db>.door`: a command holds it from the moment it wants the database until it is
  done, and a dashboard process from the moment it wants to open the file until it has
  it open. The dashboard passes the door before every use of the database, so once
  someone waits, a dashboard holding the file finishes the use in hand, lets go of the
  file and waits at the door: the one waiting gets in after at most that one use.

Other programs (the duckdb shell) know nothing of these files; DuckDB's own lock and
`db.connect`'s retry handle them.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import clock, db
from pipelines.db import DatabaseBusy, busy_error, patiently
from pipelines.settings import Settings


@dataclass(frozen=True)
class Wait:
    """How long someone is willing to wait, and until when."""

    seconds: float
    started: float = field(default_factory=clock.monotonic)

    def left(self) -> float:
        return max(0.0, self.started + self.seconds - clock.monotonic())

    def waited(self) -> float:
        return clock.monotonic() - self.started


def _open(path: Path, suffix: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path.with_name(path.name + suffix), os.O_RDWR | os.O_CREAT, 0o600)


def _holder(path: Path) -> str | None:
    fd = _open(path, ".turn")
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip() or None
    finally:
        os.close(fd)


def _lock(path: Path, suffix: str, mode: int, wait: Wait) -> int:
    """An open lock file locked in `mode`; DatabaseBusy naming the holder once `wait` is over."""
    fd = _open(path, suffix)
    try:
        patiently(lambda: fcntl.flock(fd, mode | fcntl.LOCK_NB),
                  retry_on=lambda error: isinstance(error, BlockingIOError), seconds=wait.left())
    except BlockingIOError as error:
        os.close(fd)
        raise busy_error(path, wait.seconds, _holder(path)) from error
    return fd


def pass_door(path: Path, wait: Wait) -> None:
    """Wait while a command holds the door (the dashboard, before each use)."""
    os.close(_lock(path, ".door", fcntl.LOCK_SH, wait))


def door_claimed(path: Path) -> bool:
    """Whether a command is waiting for the file or using it."""
    fd = _open(path, ".door")
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def take_turn(path: Path, wait: Wait) -> int:
    """Hold the turn (close the returned descriptor to give it back)."""
    fd = _lock(path, ".turn", fcntl.LOCK_EX, wait)
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


@dataclass
class Claim:
    """A command's hold on the door and the turn, and how long it waited for them."""

    door: int
    turn: int
    waited: float

    def release(self) -> None:
        os.close(self.turn)
        os.close(self.door)


def claim(path: Path, wait: Wait) -> Claim:
    """For a command: take the door (the dashboard stops starting uses), then the turn."""
    door = _lock(path, ".door", fcntl.LOCK_EX, wait)
    try:
        turn = take_turn(path, wait)
    except BaseException:
        os.close(door)
        raise
    return Claim(door, turn, wait.waited())


@dataclass
class _Open:
    path: Path
    turn: int
    con: duckdb.DuckDBPyConnection

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            os.close(self.turn)


class FairLock:
    """A lock handed to waiters in the order they came (threading.Lock lets a thread that
    just released it take it again, so a busy session could starve another one)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float | None = None) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            mine = threading.Event()
            self._waiters.append(mine)
        if mine.wait(timeout):
            return True
        with self._mutex:
            if mine.is_set():  # handed over while giving up
                return True
            self._waiters.remove(mine)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # straight to the next in line; still held
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *_) -> None:
        self.release()


# How long the dashboard keeps the file open after its last use: opening it costs far
# more than a query (150-230 ms against a few ms), and a crowd arrives spread out. A
# command that claims the door waits at most this long for an idle dashboard.
IDLE_SECONDS = 0.5


class Shared:
    """One process's way to the database for many threads (the dashboard's sessions).

    One use at a time, in the order they came: no two sessions' transactions ever
    overlap, so they cannot conflict over a row. The file stays open while uses follow
    each other and is let go after IDLE_SECONDS without one, or after the use in hand once
    another process (a command, another dashboard) claims the door. Every wait (the door, the queue, the turn, DuckDB's own lock) ends after
    `lock_timeout_seconds` with DatabaseBusy.
    """

    def __init__(self) -> None:
        self._queue = FairLock()
        self._open: _Open | None = None
        self._last_use = 0.0
        self._closer: threading.Timer | None = None
        self._inside = threading.local()

    @contextmanager
    def use(self, settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the database, carrying today's as-of date; closed after the block."""
        if getattr(self._inside, "depth", 0):  # a use inside a use, in the same thread
            yield from self._cursor(settings)
            return
        path = Path(settings.db_path)
        wait = Wait(settings.lock_timeout_seconds)
        pass_door(path, wait)
        if not self._queue.acquire(timeout=wait.left()):
            raise DatabaseBusy(
                f"the dashboard is busy saving other changes to {path}; gave up after "
                f"{wait.seconds:g} s. Try again."
            )
        self._inside.depth = 1
        try:
            self._open_for(path, settings, wait)
            yield from self._cursor(settings)
        finally:
            self._inside.depth = 0
            self._last_use = clock.monotonic()
            if self._open is not None and door_claimed(self._open.path):
                self._let_go()  # another process (a command, or a dashboard) waits for the file
            elif self._open is not None and (self._closer is None or not self._closer.is_alive()):
                self._close_later(IDLE_SECONDS)
            self._queue.release()

    def _close_later(self, seconds: float) -> None:
        # not a daemon: the interpreter waits for it at exit rather than killing it inside
        # DuckDB's close (which aborts the process)
        self._closer = threading.Timer(seconds, self._close_if_idle)
        self._closer.start()

    def _close_if_idle(self) -> None:
        with self._queue:
            if self._open is None:
                return
            idle = clock.monotonic() - self._last_use
            if idle >= IDLE_SECONDS or door_claimed(self._open.path):
                self._let_go()
            else:
                self._close_later(IDLE_SECONDS - idle)

    def _open_for(self, path: Path, settings: Settings, wait: Wait) -> None:
        if self._open is not None and (self._open.path != path or door_claimed(path)):
            self._let_go()
        if self._open is None:
            # claimed like a command's: a process holding the file lets go after its use in
            # hand; the door is free again once the file is open, for the next in line
            held = claim(path, wait)
            try:
                con = db.connect(path, settings=settings, timeout=wait.left())
            except BaseException:
                held.release()
                raise
            os.close(held.door)
            self._open = _Open(path, held.turn, con)

    def _cursor(self, settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._open.con.cursor()
        try:
            db.set_as_of(cursor, settings.today())
            yield cursor
        finally:
            cursor.close()

    def _let_go(self) -> None:
        held, self._open = self._open, None
        held.close()
