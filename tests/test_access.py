"""Login, backoff, and the trainer/owner scope of data functions."""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelines import access, clock, db, people
from pipelines.auth import hash_password
from tests.helpers.clock import freeze

GUESSES = 20


def test_login_accepts_the_right_password_and_one_generic_failure(two_trainers):
    ok = access.login(two_trainers, "sam", "trainer-pass-1")
    assert ok.viewer == access.Viewer("sam", "Sam Trainer", False)
    assert access.login(two_trainers, "sam", "wrong").viewer is None
    assert access.login(two_trainers, "nobody", "trainer-pass-1").viewer is None


def test_repeated_failures_slow_down_and_success_resets(two_trainers, monkeypatch):
    for _ in range(access.FREE_FAILURES):
        assert access.login(two_trainers, "sam", "wrong").wait_seconds == 0
    blocked = access.login(two_trainers, "sam", "trainer-pass-1")
    assert blocked.viewer is None and blocked.wait_seconds > 0
    freeze(monkeypatch, clock.now() + dt.timedelta(seconds=blocked.wait_seconds + 1))
    assert access.login(two_trainers, "sam", "trainer-pass-1").viewer is not None
    assert access.login_wait_seconds(two_trainers, "sam") == 0


def test_backoff_grows_and_is_capped(two_trainers):
    now = clock.now()
    two_trainers.executemany(
        "insert into login_attempts (trainer_id, logged_at, ok) values ('sam', ?, false)",
        [[now - dt.timedelta(seconds=1)] for _ in range(20)],
    )
    assert access.login_wait_seconds(two_trainers, "sam") == access.MAX_BACKOFF_SECONDS - 1


def test_login_rehashes_an_outdated_hash(two_trainers):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash("trainer-pass-1")
    two_trainers.execute("update trainers set password_hash = ? where trainer_id = 'sam'", [weak])
    assert access.login(two_trainers, "sam", "trainer-pass-1").viewer is not None
    stored = two_trainers.execute("select password_hash from trainers where trainer_id = 'sam'").fetchone()[0]
    assert stored != weak and stored.startswith("$argon2id$")


def test_inactive_trainer_cannot_log_in(two_trainers):
    two_trainers.execute("update trainers set active = false where trainer_id = 'sam'")
    assert access.login(two_trainers, "sam", "trainer-pass-1").viewer is None


def test_trainer_sees_only_own_clients_owner_sees_all(two_trainers):
    sam = access.Viewer("sam", "Sam", False)
    olga = access.Viewer("olga", "Olga", True)
    assert access.visible_client_ids(two_trainers, sam) == {"c2", "c3"}
    assert access.visible_client_ids(two_trainers, olga) == {"c1", "c2", "c3"}
    assert access.require_client(two_trainers, olga, "c2") == "c2"
    for guess in ["c1", "c4", "", None, "c1' or '1'='1"]:
        with pytest.raises(access.AccessDenied):
            access.require_client(two_trainers, sam, guess)
    assert set(people.client_list(two_trainers, sam)["client_id"]) == {"c2", "c3"}
    assert [t for t, _ in people.trainers(two_trainers, sam)] == ["sam"]


def test_hash_password_refuses_short_passwords():
    with pytest.raises(ValueError, match="at least 8"):
        hash_password("short")


def test_twenty_logins_at_once_get_at_most_the_free_password_checks(two_trainers, monkeypatch):
    """The claim of a try and the decision to check are one step: 20 simultaneous guesses
    for one name, each on its own connection, get at most FREE_FAILURES password checks.
    The clock stands still, so "at once" holds on a loaded machine too (the first backoff is
    2 s, which a slow run would otherwise outlast and rightly let a fourth try through)."""
    freeze(monkeypatch, clock.now())
    checks = []
    real_verify = access.verify_password
    monkeypatch.setattr(access, "verify_password", lambda *args: checks.append(1) or real_verify(*args))
    start = threading.Barrier(GUESSES)

    def guess(_) -> access.LoginResult:
        con = db.connect()
        try:
            start.wait()
            return access.login(con, "sam", "wrong-guess")
        finally:
            con.close()

    with ThreadPoolExecutor(GUESSES) as pool:
        results = list(pool.map(guess, range(GUESSES)))
    assert len(checks) <= access.FREE_FAILURES
    assert all(result.viewer is None for result in results)
    assert sum(result.wait_seconds > 0 for result in results) >= GUESSES - access.FREE_FAILURES


def test_known_and_unknown_names_take_the_same_time(two_trainers):
    """A wrong password for a real trainer and any password for an unknown (or inactive)
    name each cost one argon2 check: medians within 2x of each other."""
    two_trainers.execute("update trainers set active = false where trainer_id = 'olga'")

    def median_seconds(trainer_id: str) -> float:
        times = []
        for _ in range(5):
            two_trainers.execute("delete from login_attempts")  # stay under the backoff
            started = time.perf_counter()
            assert access.login(two_trainers, trainer_id, "wrong-password").viewer is None
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    known, unknown, inactive = (median_seconds(name) for name in ("sam", "nobody", "olga"))
    assert max(known, unknown, inactive) < 2 * min(known, unknown, inactive), (known, unknown, inactive)
