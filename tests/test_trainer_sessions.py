"""Logins that survive a reload: hash-only storage, inactivity timeout, revocation."""

from __future__ import annotations

import datetime as dt
import hashlib

from pipelines import clock, trainer_sessions
from pipelines.access import Viewer

HOUR = dt.timedelta(hours=1)


def test_a_session_id_is_stored_only_as_its_hash_and_resumes_the_trainer(two_trainers):
    session_id = trainer_sessions.start(two_trainers, "olga")
    stored = two_trainers.execute("select session_hash, trainer_id from trainer_sessions").fetchall()
    assert stored == [(hashlib.sha256(session_id.encode()).hexdigest(), "olga")]
    assert session_id not in str(two_trainers.execute("select * from trainer_sessions").fetchall())
    viewer = trainer_sessions.resume(two_trainers, session_id, HOUR)
    assert viewer == Viewer("olga", *two_trainers.execute(
        "select name, is_owner from trainers where trainer_id = 'olga'").fetchone())


def test_unknown_malformed_and_missing_ids_resume_nobody(two_trainers):
    trainer_sessions.start(two_trainers, "olga")
    for session_id in (None, "", "short", "x" * 43, "y" * 500):
        assert trainer_sessions.resume(two_trainers, session_id, HOUR) is None


def test_a_session_idle_past_the_timeout_is_over_and_activity_keeps_it_alive(two_trainers):
    session_id = trainer_sessions.start(two_trainers, "olga")
    idle = clock.now() - 2 * HOUR
    two_trainers.execute("update trainer_sessions set last_active_at = ?", [idle])
    assert trainer_sessions.resume(two_trainers, session_id, HOUR) is None
    trainer_sessions.touch(two_trainers, session_id)
    assert trainer_sessions.resume(two_trainers, session_id, HOUR) is not None


def test_resuming_records_activity_at_most_once_a_minute(two_trainers):
    session_id = trainer_sessions.start(two_trainers, "olga")
    earlier = clock.now() - dt.timedelta(minutes=30)
    two_trainers.execute("update trainer_sessions set last_active_at = ?", [earlier])
    trainer_sessions.resume(two_trainers, session_id, HOUR)
    touched = two_trainers.execute("select last_active_at from trainer_sessions").fetchone()[0]
    assert touched > earlier + dt.timedelta(minutes=29)
    trainer_sessions.resume(two_trainers, session_id, HOUR)
    assert two_trainers.execute("select last_active_at from trainer_sessions").fetchone()[0] == touched


def test_log_out_revokes_and_a_deactivated_trainer_cannot_resume(two_trainers):
    mine, theirs = trainer_sessions.start(two_trainers, "olga"), trainer_sessions.start(two_trainers, "olga")
    trainer_sessions.revoke(two_trainers, mine)
    assert trainer_sessions.resume(two_trainers, mine, HOUR) is None
    assert trainer_sessions.resume(two_trainers, theirs, HOUR) is not None
    two_trainers.execute("update trainers set active = false where trainer_id = 'olga'")
    assert trainer_sessions.resume(two_trainers, theirs, HOUR) is None
