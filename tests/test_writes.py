"""Writes take turns: sessions of the dashboard, the CLI and a client deletion at once.

Real DuckDB files in tmp_path, the dashboard's real write path (`session.database()`)
in threads, and `legday` in child processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard import session
from pipelines import db, privacy, tokens, turns
from pipelines.checkin_form import submit_checkin
from pipelines.settings import get_settings
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import OWNER, acting
from tests.helpers.writers import Writers, files_holding, form, seed, stored_everything

ROOT = Path(__file__).resolve().parent.parent
PHONES = [f"phone{i}" for i in range(12)]


def legday(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, env=os.environ.copy(),
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def patient(monkeypatch):
    """The default wait (30 s): long enough that nobody should give up in these tests."""
    monkeypatch.delenv("LEGDAY_LOCK_TIMEOUT_SECONDS")
    get_settings.cache_clear()
    assert get_settings().lock_timeout_seconds == 30


@pytest.mark.slow
def test_deleting_clients_while_others_write_loses_nothing_and_leaves_no_trace(tmp_path, patient):
    """Victim A is deleted from the dashboard (the Clients page's call), victim B by
    `legday client delete` in another process, while an import, plan saves and 12 phones
    write: every acknowledged write is there after a reopen, and neither victim's text
    is in any file."""
    path = get_settings().db_path
    victims = {"victim-a": "ERASE-ME-A-5d41402a", "victim-b": "ERASE-ME-B-7d793037"}
    seed(path, PHONES, victims)
    assert files_holding(tmp_path, victims["victim-a"]) and files_holding(tmp_path, victims["victim-b"])
    with Writers(tmp_path, PHONES) as writers:
        time.sleep(1.0)
        with session.database() as con:
            counts = privacy.delete_client(con, acting("sam"), "victim-a")
        cli = legday("client", "delete", "victim-b", "--yes")
        time.sleep(1.0)
    assert counts["check_ins"] == 14 and counts["plans"] == 1 and counts["status_overrides"] == 1
    assert cli.returncode == 0, cli.stderr
    done = writers.done
    print(f"\nacknowledged while deleting: {len(done.imported)} imported rows, {len(done.plan_saves)} plan saves, "
          f"{sum(map(len, done.checkins.values()))} phone check-ins")
    assert done.failures == []
    assert done.imported and done.plan_saves and all(done.checkins.values())
    assert stored_everything(path, done) == {"imported": 0, "plan saves": 0, "check-ins": 0}
    for secret in victims.values():
        assert files_holding(tmp_path, secret) == []
    con = db.connect(path)
    assert con.execute("select count(*) from clients where client_id like 'victim%'").fetchone()[0] == 0
    assert privacy.pending_erasures(con) == []
    con.close()


@pytest.mark.slow
def test_backup_and_ingest_get_in_while_twelve_phones_write(tmp_path, patient):
    """The CLI claims the door; the dashboard finishes the use in hand and lets go."""
    path = get_settings().db_path
    seed(path, PHONES, {})
    data = tmp_path / "week.csv"
    data.write_text("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
                    "sleep_hours,sleep_quality,energy,stress,mood\n"
                    + "".join(f"imp0,2025-{m:02d}-{d:02d},1,1,1,1,7,3,3,3,3\n" for m in range(1, 13) for d in range(1, 29)))
    with Writers(tmp_path, PHONES) as writers:
        time.sleep(1.0)
        started = time.monotonic()
        backup = legday("backup")
        ingest = legday("ingest", str(data))
        cli_seconds = time.monotonic() - started
        time.sleep(0.5)
    assert backup.returncode == 0, backup.stderr
    assert ingest.returncode == 0, ingest.stderr
    assert "336 accepted" in ingest.stdout
    print(f"\nbackup + ingest beside 12 phones, an import and plan saves: {cli_seconds:.1f} s; "
          f"{sum(map(len, writers.done.checkins.values()))} check-ins acknowledged; "
          f"waits: {(backup.stderr + ingest.stderr).strip() or 'none reported'}")
    assert writers.done.failures == []
    assert stored_everything(path, writers.done) == {"imported": 0, "plan saves": 0, "check-ins": 0}


def test_eighty_opens_of_one_link_at_once_all_get_in(two_trainers, patient):
    """80 sessions open the same link at once (each look-up writes the link's use) and
    10 of them save the same day's row: one at a time through the queue, so no
    'Conflict on tuple deletion' and nobody turned away."""
    token = tokens.create_link(two_trainers, acting("sam"), "c2", days=7, base_url="http://x").split("t=")[1]
    two_trainers.close()
    failures: list[str] = []

    def open_link(number: int) -> None:
        try:
            with session.database() as con:
                client = tokens.resolve_token(con, token, source="10.0.0.1")
                if number % 8 == 0:
                    submit_checkin(con, OWNER, client, form(AS_OF, f"same row {number}"), today=AS_OF)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=open_link, args=(number,)) for number in range(80)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    con = db.connect()
    assert con.execute("select count(*) from check_ins where client_id = 'c2'").fetchone()[0] == 1
    assert con.execute("select count(*) from check_in_history where client_id = 'c2'").fetchone()[0] == 9
    con.close()


def test_a_command_waits_for_the_dashboard_use_in_hand_and_says_so(two_trainers):
    """A dashboard use goes on for 1.5 s after `legday backup` claimed the door: the
    backup waits for it, then gets in and reports the wait."""
    two_trainers.close()
    inside = threading.Event()

    def long_use() -> None:
        with session.database() as con:
            inside.set()
            while not turns.door_claimed(get_settings().db_path):
                time.sleep(0.01)
            time.sleep(1.5)
            con.execute("select 1")

    user = threading.Thread(target=long_use)
    user.start()
    inside.wait()
    result = legday("backup")
    user.join()
    assert result.returncode == 0, result.stderr
    assert "legday: waited" in result.stderr and "for the dashboard to finish with" in result.stderr
    assert "backup written" in result.stdout


def test_a_dashboard_use_gives_up_at_a_held_door_with_busy(two_trainers, monkeypatch):
    monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "0.3")
    get_settings.cache_clear()
    two_trainers.close()
    claim = turns.claim(get_settings().db_path, turns.Wait(1))
    try:
        with pytest.raises(db.DatabaseBusy, match=f"process {os.getpid()}"), session.database():
            pass
    finally:
        claim.release()
    with session.database() as con:  # free again
        assert con.execute("select count(*) from clients").fetchone()[0] == 3


def test_a_checkin_that_cannot_get_in_keeps_the_answers_and_says_not_saved(demo_db, monkeypatch):
    """A command holds the database past the page's wait: the phone says "Not saved yet",
    the form keeps every answer, and pressing Send again stores them once it is free."""
    from tests.helpers.dashboard_fixtures import LEG_DAY_ANSWERS, answer_checkin, app_as, send

    monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "0.5")
    get_settings.cache_clear()
    con = db.connect()
    client_id = con.execute("select client_id from clients order by client_id limit 1").fetchone()[0]
    con.execute("delete from check_ins where client_id = ? and checkin_date = ?", [client_id, AS_OF])
    token = tokens.create_link(con, acting("sam"), client_id, days=7, base_url="http://x").split("t=", 1)[1]
    con.close()
    at = answer_checkin(app_as(None, t=token).run(),
                        LEG_DAY_ANSWERS | {"sleep_hours": 6.0, "notes": "tight calves after the stairs"})
    claim = turns.claim(get_settings().db_path, turns.Wait(1))
    try:
        send(at)
    finally:
        claim.release()
    assert not at.exception
    assert [w.value.startswith("**Not saved yet**") for w in at.warning] == [True]
    assert at.text_area(key="answer_notes").value == "tight calves after the stairs"
    assert at.number_input(key="answer_sleep_hours").value == 6.0
    assert at.pills(key="answer_session_rpe").value == 7
    send(at)
    assert not at.exception and any("Thank you" in t.value for t in at.title)
    con = db.connect()
    assert con.execute("select notes, sleep_hours from check_ins where client_id = ? and checkin_date = ?",
                       [client_id, AS_OF]).fetchone() == ("tight calves after the stairs", 6.0)
    con.close()


def test_the_queue_serves_uses_in_the_order_they_came():
    """A session that just finished cannot jump the queue (threading.Lock lets it)."""
    queue = turns.FairLock()
    served: list[int] = []
    queue.acquire()

    def wait_in_line(number: int) -> None:
        assert queue.acquire(timeout=10)
        served.append(number)
        queue.release()

    threads = []
    for number in range(5):
        threads.append(threading.Thread(target=wait_in_line, args=(number,)))
        threads[-1].start()
        while len(queue._waiters) < number + 1:  # in line before the next one comes
            time.sleep(0.001)
    queue.release()
    for thread in threads:
        thread.join()
    assert served == [0, 1, 2, 3, 4]
    queue.acquire()
    gave_up = threading.Thread(target=lambda: served.append(queue.acquire(timeout=0.1)))
    gave_up.start()
    gave_up.join()
    queue.release()
    assert served[-1] is False and queue.acquire(timeout=0.1)  # a waiter that gave up left the line
