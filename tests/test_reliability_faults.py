"""Faults: SIGKILL at random points, a database held by another process, a full disk.

Every killed run is followed by a reopen that must find all of the interrupted
write or none of it, and everything committed before it intact (rows lost: 0).
A child prints marks as it goes; a kill "landed mid-write" when the child had
entered its write transaction and the reopened database shows it rolled back.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines import db, people, privacy
from pipelines.cli import app
from pipelines.ingest import ingest_file
from tests.helpers.load_state_check import is_fresh
from tests.helpers.viewers import OWNER, acting

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261120
KILLS = {"ingest": 9, "plan save": 8, "demo": 8, "delete": 20}  # 25 in the first test, 20 deleting
MIN_MID_WRITE = {"ingest": 2, "plan save": 2, "demo": 2}
MIN_MID_WRITE_TOTAL = 10
INGEST_CLIENTS, INGEST_DAYS = 200, 600
DEMO_CLIENTS, DEMO_DAYS = 1000, 120
DEMO_SIZE = [str(DEMO_CLIENTS), str(DEMO_DAYS)]
PLAN_ITEMS = 30

CHILDREN = {
    "ingest": """
import sys
from pathlib import Path
from pipelines import db
from pipelines.access import COMMAND_LINE
from pipelines.ingest import ingest_file
con = db.connect(sys.argv[1])
print("ready", flush=True)
ingest_file(con, COMMAND_LINE, Path(sys.argv[2]), file_name=Path(sys.argv[2]).name,
            progress=lambda stage, *_: print(stage, flush=True))
print("finished", flush=True)
""",
    "plan save": """
import sys
from pipelines import db, plans
from pipelines.access import Viewer
con = db.connect(sys.argv[1])
items = [{"title": f"step {i}", "timing": "today"} for i in range(int(sys.argv[3]))]
print("ready", flush=True)
for k in range(int(sys.argv[2]), 10**6):
    print(f"saving {k}", flush=True)
    plans.save_plan(con, Viewer("t", "t", True), f"k{k % 20}", items=items, next_intensity="light",
                    next_focus=None, notes=f"save {k}")
    print(f"saved {k}", flush=True)
""",
    "delete": """
import sys
from pipelines import db, privacy
from pipelines.access import Viewer
con = db.connect(sys.argv[1])
print("ready", flush=True)
print("deleting", flush=True)
privacy.delete_client(con, Viewer("t", "t", True), sys.argv[2])
print("finished", flush=True)
""",
    "demo": """
import sys
from pipelines import db, demo
con = db.connect(sys.argv[1])
print("ready", flush=True)
demo.build_demo(con, clients=int(sys.argv[3]), days=int(sys.argv[4]), seed=int(sys.argv[2]), replace=True,
                progress=lambda done, total, what: print("writing", flush=True))
print("finished", flush=True)
""",
}


@dataclass
class Tally:
    kills: int = 0
    mid_write: int = 0
    finished_before_kill: int = 0
    rows_lost: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Run:
    marks: list[str]
    killed: bool
    seconds: float  # from the child's `ready` to its end


def run_child(workload: str, args: list[str], delay: float | None) -> Run:
    """Start a child and SIGKILL it `delay` s after it is ready (None: let it finish)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILDREN[workload], *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=os.environ.copy(),
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    ready = time.monotonic()
    killed = False
    if delay is not None:
        time.sleep(delay)
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
    child.wait()
    run = Run(child.stdout.read().split(), killed, time.monotonic() - ready)
    if not killed:
        assert child.returncode == 0, child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    return run


def fingerprint(con, table: str) -> tuple[int, int]:
    return con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t").fetchone()  # noqa: S608


def kill_loop(workload: str, duration: float, attempt: Callable[[float], tuple[bool, bool]]) -> Tally:
    """Kill the workload at seeded random points until KILLS[workload] kills landed."""
    rng = random.Random(f"{SEED}-{workload}")
    tally = Tally()
    for _ in range(KILLS[workload] * 3):
        if tally.kills == KILLS[workload]:
            break
        killed, mid_write = attempt(rng.uniform(0.0, duration * 1.2))
        tally.kills += killed
        tally.mid_write += mid_write
        tally.finished_before_kill += not killed
    assert tally.kills == KILLS[workload]
    return tally


def write_checkin_file(path: Path, first_day_back: int) -> int:
    duckdb.execute(
        f"""
        copy (
            select 'k' || (i % {INGEST_CLIENTS}) as client_id,
                date '2026-11-20' - ({first_day_back} + i // {INGEST_CLIENTS})::int as checkin_date,
                i % 11 as soreness_quads, 1 as soreness_hamstrings, 2 as soreness_glutes,
                3 as soreness_calves, 7.5 as sleep_hours, 3 as sleep_quality, 3 as energy,
                3 as stress, 3 as mood, 'legs' as session_type, 45 as session_minutes,
                i % 10 as session_rpe
            from range({INGEST_CLIENTS * INGEST_DAYS}) as numbers(i)
        ) to '{path}' (header)
        """  # noqa: S608 - test constants
    )
    return INGEST_CLIENTS * INGEST_DAYS


def trainer_with_clients(path: Path, clients: int) -> None:
    con = db.connect(path)
    people.add_trainer(con, OWNER, "t", "Trainer", "trainer-pass-1")
    people.import_clients(con, OWNER, "client_id,name,trainer_id,since\n" + "".join(f"k{i},K {i},t,\n" for i in range(clients)))
    con.close()


# SIGKILL ------------------------------------------------------------------------------------------


def kill_ingest(tmp_path: Path) -> Tally:
    path = tmp_path / "ingest.duckdb"
    trainer_with_clients(path, INGEST_CLIENTS)
    files = [tmp_path / f"week{number}.csv" for number in range(KILLS["ingest"] + 2)]
    sizes = [write_checkin_file(file, number * INGEST_DAYS) for number, file in enumerate(files)]
    committed = {"files": 0, "rows": 0}
    duration = run_child("ingest", [str(path), str(files[0])], None).seconds
    committed.update(files=1, rows=sizes[0])

    def attempt(delay: float) -> tuple[bool, bool]:
        number = committed["files"]
        run = run_child("ingest", [str(path), str(files[number])], delay)
        con = db.connect(path)
        rows = con.execute("select count(*) from check_ins").fetchone()[0]
        runs = con.execute("select count(*) from ingest_runs").fetchone()[0]
        consistent = is_fresh(con)
        con.close()
        assert consistent
        assert (rows, runs) in [(committed["rows"], number), (committed["rows"] + sizes[number], number + 1)]
        rolled_back = runs == number
        if not rolled_back:
            committed.update(files=number + 1, rows=rows)
        return run.killed, run.killed and "validating" in run.marks and rolled_back

    tally = kill_loop("ingest", duration, attempt)
    con = db.connect(path)
    tally.rows_lost = committed["rows"] - con.execute("select count(*) from check_ins").fetchone()[0]
    con.close()
    return tally


def kill_plan_saves(tmp_path: Path) -> Tally:
    path = tmp_path / "plans.duckdb"
    trainer_with_clients(path, 20)
    saved: set[int] = set()
    next_save = {"k": 0}

    def attempt(delay: float) -> tuple[bool, bool]:
        run = run_child("plan save", [str(path), str(next_save["k"]), str(PLAN_ITEMS)], delay)
        pairs = list(zip(run.marks[::2], run.marks[1::2], strict=False))  # ("saving", "7"), ("saved", "7"), ...
        done = {int(k) for mark, k in pairs if mark == "saved"}
        started = [int(k) for mark, k in pairs if mark == "saving"]
        saved.update(done)
        con = db.connect(path)
        stored = dict(con.execute(
            "select cast(substr(notes, 6) as integer), count(plan_items.position) "
            "from plans left join plan_items using (plan_id) group by all"
        ).fetchall())
        con.close()
        assert set(stored.values()) <= {PLAN_ITEMS}  # every stored save has all its items
        assert saved <= set(stored)  # nothing confirmed was lost
        interrupted = started[-1] if started and started[-1] not in done else None
        assert set(stored) - saved <= {interrupted}  # only the interrupted save may have committed
        if interrupted in stored:
            saved.add(interrupted)
        next_save["k"] = (started[-1] + 1) if started else next_save["k"]
        return run.killed, interrupted is not None and interrupted not in stored

    tally = kill_loop("plan save", 0.4, attempt)
    con = db.connect(path)
    tally.rows_lost = len(saved) - con.execute("select count(*) from plans").fetchone()[0]
    con.close()
    return tally


def kill_demo(tmp_path: Path) -> Tally:
    path = tmp_path / "demo.duckdb"
    duration = run_child("demo", [str(path), "1", *DEMO_SIZE], None).seconds
    seed = {"current": 1}

    def state(con) -> dict:
        run = con.execute("select file_sha256, rows_total from ingest_runs where source = 'demo'").fetchall()
        return {
            "runs": run,
            "check_ins": fingerprint(con, "check_ins"),
            "clients": fingerprint(con, "clients"),
            "plans": fingerprint(con, "plans"),
            "plan_items": fingerprint(con, "plan_items"),
        }

    con = db.connect(path)
    before = state(con)
    con.close()

    def attempt(delay: float) -> tuple[bool, bool]:
        nonlocal before
        new_seed = seed["current"] + 1
        run = run_child("demo", [str(path), str(new_seed), *DEMO_SIZE], delay)
        con = db.connect(path)
        after = state(con)
        consistent = is_fresh(con)
        orphans = con.execute(
            "select count(*) from check_ins where client_id not in (select client_id from clients) "
            "or run_id <> (select max(run_id) from ingest_runs where source = 'demo')"
        ).fetchone()[0]
        con.close()
        assert consistent and orphans == 0
        assert len(after["runs"]) == 1 and after["runs"][0][1] == after["check_ins"][0]
        assert after["clients"][0] == DEMO_CLIENTS and after["plans"][0] > 0
        rolled_back = after == before
        if not rolled_back:
            assert after["runs"][0][0] != before["runs"][0][0]  # the complete new demo, not a mix
            seed["current"] = new_seed
            before = after
        return run.killed, run.killed and "writing" in run.marks and rolled_back

    return kill_loop("demo", duration, attempt)


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_half_a_write(tmp_path):
    tallies = {
        "ingest": kill_ingest(tmp_path),
        "plan save": kill_plan_saves(tmp_path),
        "demo": kill_demo(tmp_path),
    }
    summary = {name: (t.kills, t.mid_write, t.finished_before_kill, t.rows_lost) for name, t in tallies.items()}
    print(f"\nkills, landed mid-write, finished before the kill, rows lost: {summary}")
    assert sum(t.kills for t in tallies.values()) == 25
    assert all(t.rows_lost == 0 for t in tallies.values())
    for name, tally in tallies.items():
        assert tally.mid_write >= MIN_MID_WRITE[name], summary
    assert sum(t.mid_write for t in tallies.values()) >= MIN_MID_WRITE_TOTAL, summary


DELETE_SECRET = "Erase-me-3f9c: her knee after the fall"


def kill_deletes(tmp_path: Path, template: Path) -> tuple[Tally, dict[str, int]]:
    """Delete one client from a copy of the demo, killed at a random point each time."""
    path = tmp_path / "delete" / "legday.duckdb"
    con = db.connect(template)
    victim = con.execute("select client_id from clients order by client_id limit 1").fetchone()[0]
    con.execute("update check_ins set notes = ? where client_id = ?", [DELETE_SECRET, victim])
    con.execute("checkpoint")
    others = fingerprint_others(con, victim)
    con.close()
    outcomes = {"nothing deleted": 0, "deleted, erasure cut short": 0, "deleted and erased": 0}

    def fresh_copy() -> None:
        shutil.rmtree(path.parent, ignore_errors=True)
        path.parent.mkdir()
        shutil.copyfile(template, path)

    fresh_copy()
    duration = run_child("delete", [str(path), victim], None).seconds

    def attempt(delay: float) -> tuple[bool, bool]:
        fresh_copy()
        run = run_child("delete", [str(path), victim], delay)
        probe = duckdb.connect(str(path), read_only=True)  # as the kill left it: no legday open yet
        left = probe.execute("select count(*) from clients where client_id = ?", [victim]).fetchone()[0]
        pending = privacy.pending_erasures(probe)
        probe.close()
        con = db.connect(path)  # opens, and finishes an erasure cut short
        assert fingerprint_others(con, victim) == others  # nobody else's rows touched
        rows = con.execute("select count(*) from check_ins where client_id = ?", [victim]).fetchone()[0]
        assert (left, rows > 0) in [(1, True), (0, False)]  # all of the client or none
        if left:
            privacy.delete_client(con, acting("t"), victim)  # and it can be repeated
        assert privacy.pending_erasures(con) == []
        con.close()
        assert [file.name for file in path.parent.iterdir() if DELETE_SECRET.encode() in file.read_bytes()] == []
        outcome = "nothing deleted" if left else "deleted, erasure cut short" if pending else "deleted and erased"
        outcomes[outcome] += run.killed
        return run.killed, run.killed and "deleting" in run.marks and outcome != "deleted and erased"

    return kill_loop("delete", duration, attempt), outcomes


def fingerprint_others(con, victim: str) -> dict[str, tuple[int, int]]:
    return {
        table: con.execute(
            f"select count(*), coalesce(sum(hash(t)), 0) from {table} as t where client_id <> ?", [victim]  # noqa: S608
        ).fetchone()
        for table in ("check_ins", "plans", "client_day_load", "clients")
    }


@pytest.mark.slow
def test_sigkill_during_a_client_delete_leaves_a_database_that_opens(tmp_path, demo_file):
    """20 kills at seeded random points of `delete_client` (delete, rewrite, checkpoints,
    filler): every time the database opens, holds all of the client or none, nobody
    else's rows changed, the delete can be repeated, and the text is in no file after."""
    template = tmp_path / "template.duckdb"
    shutil.copyfile(demo_file, template)
    tally, outcomes = kill_deletes(tmp_path, template)
    print(f"\ndelete kills: {tally.kills}, mid-delete: {tally.mid_write}, outcomes: {outcomes}")
    assert tally.kills == KILLS["delete"]
    assert outcomes["deleted, erasure cut short"] >= 5, outcomes  # the erasure takes most of the time


# A database held by another process --------------------------------------------------------------

HOLDER = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(60)"


@pytest.fixture
def held_database(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "0.5")
    from pipelines.settings import get_settings

    get_settings.cache_clear()
    path = get_settings().db_path
    con = db.connect(path)
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.add_client(con, OWNER, "c2", "Bo", "sam")
    before = {name: fingerprint(con, name) for name in ("check_ins", "ingest_runs", "quarantine")}
    con.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    yield path, holder.pid, before
    holder.kill()
    holder.wait()
    holder.stdout.close()
    con = db.connect(path)
    after = {name: fingerprint(con, name) for name in ("check_ins", "ingest_runs", "quarantine")}
    con.close()
    assert after == before  # nothing half-written while the file was held


def test_cli_ingest_on_a_held_database_retries_then_says_so_in_one_line(held_database, tmp_path):
    path, pid, _ = held_database
    data = tmp_path / "week.csv"
    data.write_text(
        "client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
        "sleep_hours,sleep_quality,energy,stress,mood\nc2,2026-11-19,1,1,1,1,7,3,3,3,3\n"
    )
    result = CliRunner().invoke(app, ["ingest", str(data)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"legday: {path} is in use by another process (process {pid}); gave up after 0.5 s. "
        "Try again when it has finished."
    ]


def test_dashboard_on_a_held_database_shows_a_message_not_a_traceback(held_database, caplog):
    """The visitor reads plain words; the path and the holder's process id go to the log."""
    from tests.helpers.dashboard_fixtures import app_as
    from tests.test_reliability_access import SAM

    path, pid, _ = held_database
    at = app_as(SAM).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["The database is busy with another task right now. Wait a minute and try again."]
    assert f"{path} is in use by another process (process {pid})" in caplog.text


# A full disk --------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs (root only); skipped where it cannot be made."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("making a size-limited tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(mount: Path, leave_bytes: int) -> None:
    stats = os.statvfs(mount)
    free = stats.f_bavail * stats.f_frsize
    (mount / "filler").write_bytes(b"\0" * max(0, free - leave_bytes))


def test_ingest_on_a_full_disk_fails_cleanly_and_the_database_reopens_intact(small_disk, tmp_path, monkeypatch):
    from tests.helpers.reliability_fixtures import seed

    path = small_disk / "legday.duckdb"
    monkeypatch.setenv("LEGDAY_DB_PATH", str(path))
    from pipelines.settings import get_settings

    get_settings.cache_clear()
    con = db.connect(path)
    seed(con)
    con.execute("checkpoint")
    before = {name: fingerprint(con, name) for name in ("check_ins", "ingest_runs", "quarantine", "client_day_load")}
    con.close()
    rows = "".join(f"c2,2026-{m:02d}-{d:02d},1,1,1,1,7,3,3,3,3,{'n' * 1500}\n" for m in range(1, 11) for d in range(1, 29))
    data = tmp_path / "big.csv"
    data.write_text("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
                    "sleep_hours,sleep_quality,energy,stress,mood,notes\n" + rows)
    fill(small_disk, 200_000)

    result = CliRunner().invoke(app, ["ingest", str(data)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("legday: database error, nothing was written:"), result.output
    assert "No space left on device" in lines[0]

    con = db.connect(path)
    after = {name: fingerprint(con, name) for name in before}
    con.close()
    assert after == before
    (small_disk / "filler").unlink()
    con = db.connect(path)  # with room again, the same file goes in whole
    assert ingest_file(con, OWNER, data, file_name="big.csv").accepted == 280
    con.close()


def test_exports_on_a_full_disk_fail_cleanly_and_leave_no_file(small_disk, tmp_path, demo_db):
    out_dir = small_disk / "exports"
    out_dir.mkdir()
    fill(small_disk, 0)
    runner = CliRunner()
    result = runner.invoke(app, ["export", "checkins", "--out", str(out_dir / "checkins.csv")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result.output
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients").fetchone()[0]
    with pytest.raises(OSError, match="No space left on device"):
        privacy.write_client_export(con, OWNER, client_id, out_dir / "client.zip")
    con.close()
    assert list(out_dir.iterdir()) == []  # no partial export, no temporary file


# A damaged file -----------------------------------------------------------------------------------


# DuckDB files start with three 4 KiB headers, then fixed-size blocks.
HEADER_BYTES = 3 * 4096


def _check_ins_block_offset(path: Path) -> int:
    """Where a block holding check_ins data starts, so the damage hits live data."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        block_size = con.execute("select block_size from pragma_database_size()").fetchone()[0]
        block_id = con.execute(
            "select min(block_id) from pragma_storage_info('check_ins') where block_id >= 0"
        ).fetchone()[0]
    finally:
        con.close()
    return HEADER_BYTES + block_id * block_size


def damage(path: Path, how: str) -> None:
    size = path.stat().st_size
    if how.startswith("truncated"):
        with path.open("r+b") as out:
            out.truncate(int(size * int(how.split()[-1].rstrip("%")) / 100))
        return
    offset = _check_ins_block_offset(path)  # a block of check-ins overwritten
    with path.open("r+b") as out:
        out.seek(offset + 64)
        out.write(random.Random(SEED).randbytes(4096))


@pytest.mark.parametrize("how", ["truncated to 5%", "truncated to 40%", "truncated to 80%", "truncated to 97%", "overwritten"])
def test_a_damaged_file_gives_one_line_with_the_last_backup(demo_db, how):
    from pipelines import backup

    con = db.connect(demo_db)
    saved = backup.backup(con)
    con.execute("checkpoint")
    con.close()
    damage(demo_db, how)
    expected = "cannot be opened as a legday database"
    result = CliRunner().invoke(app, ["roster"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and f"The last backup is {saved}." in lines[0], result.output

    from tests.helpers.dashboard_fixtures import OWNER, app_as

    at = app_as(OWNER).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The database cannot be opened: it looks damaged. Whoever runs legday can restore the last backup "
        "(`legday restore`)."
    ]  # no server path; the log has the whole line


def test_the_report_shows_the_counts_these_tests_assert():
    report = (ROOT / "docs" / "reliability.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in report.splitlines() if line.startswith("| ")}
    work = {"ingest": "`ingest_file`", "plan save": "`plans.save_plan`", "demo": "`build_demo"}
    for name, label in work.items():
        line = next(line for first, line in rows.items() if first.startswith(label))
        assert f"| {KILLS[name]} | {MIN_MID_WRITE[name]} |" in line and line.rstrip().endswith("| 0 |"), line
    assert f"| **{sum(KILLS[name] for name in work)}** | **{MIN_MID_WRITE_TOTAL}** |" in rows["**total**"]
