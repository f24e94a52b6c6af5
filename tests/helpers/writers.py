"""Sessions that write at the same time, through the dashboard's real write path.

Each writer loops in a thread doing what a dashboard page does (an import, a plan
save, a phone check-in), each write in its own `session.database()` use, and records
only what it was told was saved; `stored_everything` checks it all after a reopen.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import session
from pipelines import db, overrides, people, plans
from pipelines.checkin_form import CheckInForm, submit_checkin
from pipelines.ingest import ingest_file
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import OWNER, acting

HEADER = ("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
          "sleep_hours,sleep_quality,energy,stress,mood,notes\n")
IMPORT_CLIENTS = [f"imp{i}" for i in range(5)]


@dataclass
class Acknowledged:
    imported: set[tuple[str, dt.date]] = field(default_factory=set)
    plan_saves: set[int] = field(default_factory=set)
    checkins: dict[str, set[dt.date]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def seed(path: Path, phones: list[str], victims: dict[str, str]) -> None:
    """A trainer, the import clients, one client whose plan is saved, the phones, and
    victims whose check-ins, plan and override all carry their unique text."""
    con = db.connect(path)
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    for client in [*IMPORT_CLIENTS, "planned", *phones, *victims]:
        people.add_client(con, OWNER, client, f"Client {client}", "sam")
    for client, secret in victims.items():
        for day in range(1, 15):
            submit_checkin(con, OWNER, client, form(AS_OF - dt.timedelta(days=day), f"{secret} day {day}"), today=AS_OF)
        plans.save_plan(con, acting("sam"), client, items=[{"title": f"{secret} plan", "timing": "today"}],
                        next_intensity="light", next_focus=None, notes=secret)
        overrides.set_override(con, acting("sam"), client, "rest", f"{secret} reason")
    con.execute("checkpoint")
    con.close()


def form(day: dt.date, notes: str | None = None) -> CheckInForm:
    return CheckInForm.model_validate(
        {"checkin_date": day, "soreness_quads": 3, "soreness_hamstrings": 2, "soreness_glutes": 1,
         "soreness_calves": 0, "sleep_hours": 7.5, "sleep_quality": 3, "energy": 4, "stress": 3, "mood": 4,
         "notes": notes},
        context={"today": AS_OF},
    )


class Writers:
    """Writer threads running until `stop()`."""

    def __init__(self, folder: Path, phones: list[str]) -> None:
        self.folder = folder
        self.done = Acknowledged(checkins={phone: set() for phone in phones})
        self._stop = threading.Event()
        self._lock = threading.Lock()
        loops = [self._import, self._save_plans] + [self._phone(phone) for phone in phones]
        self.threads = [threading.Thread(target=self._run, args=(loop,)) for loop in loops]

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join()

    def _run(self, loop: Callable[[int], None]) -> None:
        for k in range(10**6):
            if self._stop.is_set():
                return
            try:
                loop(k)
            except Exception as error:  # noqa: BLE001 - every failure is reported by the test
                with self._lock:
                    self.done.failures.append(f"{type(error).__name__}: {error}")

    def _import(self, k: int) -> None:
        day = AS_OF - dt.timedelta(days=k + 1)
        file = self.folder / f"import-{k}.csv"
        file.write_text(HEADER + "".join(f"{client},{day},1,1,1,1,7,3,3,3,3,import {k}\n" for client in IMPORT_CLIENTS))
        with session.database() as con:
            result = ingest_file(con, OWNER, file, file_name=file.name)
        assert result.accepted == len(IMPORT_CLIENTS), result
        with self._lock:
            self.done.imported.update((client, day) for client in IMPORT_CLIENTS)

    def _save_plans(self, k: int) -> None:
        with session.database() as con:
            plans.save_plan(con, acting("sam"), "planned", items=[{"title": f"step {k}", "timing": "today"}],
                            next_intensity="light", next_focus=None, notes=f"save {k}")
        with self._lock:
            self.done.plan_saves.add(k)

    def _phone(self, phone: str) -> Callable[[int], None]:
        def check_in(k: int) -> None:
            day = AS_OF - dt.timedelta(days=k % 300)
            with session.database() as con:
                submit_checkin(con, OWNER, phone, form(day, f"{phone} {k}"), today=AS_OF)
            with self._lock:
                self.done.checkins[phone].add(day)

        return check_in


def stored_everything(path: Path, done: Acknowledged) -> dict[str, int]:
    """What was acknowledged but is missing after a reopen, by kind (all 0 when nothing was lost)."""
    con = db.connect(path)
    try:
        imported = set(con.execute(
            "select client_id, checkin_date from check_ins where client_id in (select unnest(?))", [IMPORT_CLIENTS]
        ).fetchall())
        saves = {int(notes.removeprefix("save ")) for (notes,) in con.execute(
            "select notes from plans where client_id = 'planned'").fetchall()}
        checkins = {phone: {day for (day,) in con.execute(
            "select checkin_date from check_ins where client_id = ?", [phone]).fetchall()} for phone in done.checkins}
    finally:
        con.close()
    return {
        "imported": len(done.imported - imported),
        "plan saves": len(done.plan_saves - saves),
        "check-ins": sum(len(days - checkins[phone]) for phone, days in done.checkins.items()),
    }


def files_holding(folder: Path, text: str) -> list[str]:
    """Every file under folder (database, WAL, leftovers) whose bytes hold text."""
    return sorted(str(file.relative_to(folder)) for file in folder.rglob("*")
                  if file.is_file() and text.encode() in file.read_bytes())
