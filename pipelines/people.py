"""Trainers and clients: the only write paths for them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

import duckdb

from pipelines import access, audit, clock
from pipelines.access import Viewer
from pipelines.auth import hash_password
from pipelines.db import transaction
from pipelines.errors import LegdayError


class PeopleError(LegdayError, ValueError):
    """Refused trainer or client input, with a message naming the problem."""


def clean_text(value: str, field: str, max_length: int) -> str:
    """NFC-normalise, strip, and refuse control characters or empty values."""
    text = unicodedata.normalize("NFC", value or "").strip()
    if not text:
        raise PeopleError(f"{field} must not be empty")
    if len(text) > max_length:
        raise PeopleError(f"{field} is longer than {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise PeopleError(f"{field} contains control characters")
    return text


def clean_id(value: str, field: str) -> str:
    text = clean_text(value, field, 64)
    if any(ch.isspace() for ch in text):
        raise PeopleError(f"{field} {text!r} must not contain spaces")
    # Invisible characters (zero-width, bidi overrides) would let two ids look the same.
    if any(unicodedata.category(ch) == "Cf" for ch in text):
        raise PeopleError(f"{field} {text!r} must not contain invisible characters")
    return text


def add_trainer(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, trainer_id: str, name: str, password: str, *, owner: bool = False
) -> str:
    """A new login (owners only; the CLI without --as is an owner, so the first one can be added)."""
    access.require_owner(viewer)
    trainer_id = clean_id(trainer_id, "trainer id")
    name = clean_text(name, "name", 200)
    password_hash = hash_password(password)
    with transaction(con):
        if con.execute("select 1 from trainers where trainer_id = ?", [trainer_id]).fetchone():
            raise PeopleError(f"trainer {trainer_id!r} already exists")
        con.execute(
            "insert into trainers (trainer_id, name, password_hash, is_owner) values (?, ?, ?, ?)",
            [trainer_id, name, password_hash, owner],
        )
        audit.record(con, viewer.trainer_id, "trainer.add", trainer_id)
    return trainer_id


@dataclass(frozen=True)
class ClientRow:
    client_id: str
    name: str
    trainer_id: str
    since: dt.date | None = None


def _check_trainer(con: duckdb.DuckDBPyConnection, trainer_id: str) -> None:
    if not con.execute("select 1 from trainers where trainer_id = ?", [trainer_id]).fetchone():
        raise PeopleError(f"unknown trainer {trainer_id!r}; add it with `legday trainer add`")


def _upsert_clients(con: duckdb.DuckDBPyConnection, rows: list[ClientRow]) -> tuple[int, int]:
    existing = {
        row[0]
        for row in con.execute(
            "select client_id from clients where list_contains(?, client_id)",
            [[row.client_id for row in rows]],
        ).fetchall()
    }
    con.executemany(
        "insert into clients (client_id, name, trainer_id, since) values (?, ?, ?, ?) "
        "on conflict (client_id) do update set name = excluded.name, "
        "trainer_id = excluded.trainer_id, since = excluded.since, active = true",
        [[row.client_id, row.name, row.trainer_id, row.since] for row in rows],
    )
    updated = sum(row.client_id in existing for row in rows)
    return len(rows) - updated, updated


def add_client(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    client_id: str,
    name: str,
    trainer_id: str,
    since: dt.date | None = None,
) -> str:
    """A new client of `trainer_id` (a trainer adds clients of their own only)."""
    access.trainer_filter(viewer, trainer_id)
    row = ClientRow(clean_id(client_id, "client id"), clean_text(name, "name", 200), trainer_id, since)
    with transaction(con):
        _check_trainer(con, trainer_id)
        if con.execute("select 1 from clients where client_id = ?", [row.client_id]).fetchone():
            raise PeopleError(f"client {row.client_id!r} already exists")
        _upsert_clients(con, [row])
        audit.record(con, viewer.trainer_id, "client.add", row.client_id)  # never the name
    return row.client_id


def parse_client_csv(text: str) -> list[ClientRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = {"client_id", "name", "trainer_id"} - set(header)
    if missing:
        raise PeopleError(f"missing column(s): {', '.join(sorted(missing))}")
    reader.fieldnames = header
    rows, seen = [], {}
    for line, record in enumerate(reader, start=1):
        try:
            since_text = (record.get("since") or "").strip()
            since = dt.date.fromisoformat(since_text) if since_text else None
            row = ClientRow(
                clean_id(record["client_id"] or "", "client_id"),
                clean_text(record["name"] or "", "name", 200),
                clean_id(record["trainer_id"] or "", "trainer_id"),
                since,
            )
        except ValueError as error:
            raise PeopleError(f"line {line}: {error}") from None
        if row.client_id in seen:
            raise PeopleError(f"line {line}: client_id {row.client_id!r} repeats line {seen[row.client_id]}")
        seen[row.client_id] = line
        rows.append(row)
    return rows


def import_clients(con: duckdb.DuckDBPyConnection, viewer: Viewer, text: str) -> tuple[int, int]:
    """Upsert clients from CSV text (owners only: a row may move a client to another
    trainer); all rows or none. Returns (added, updated)."""
    access.require_owner(viewer)
    rows = parse_client_csv(text)
    with transaction(con):
        known = {r[0] for r in con.execute("select trainer_id from trainers").fetchall()}
        for line, row in enumerate(rows, start=1):
            if row.trainer_id not in known:
                raise PeopleError(f"line {line}: unknown trainer {row.trainer_id!r}")
        added, updated = _upsert_clients(con, rows) if rows else (0, 0)
        audit.record(con, viewer.trainer_id, "client.import", f"{added} added, {updated} updated")
    return added, updated


def set_client_active(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, active: bool) -> None:
    access.require_client(con, viewer, client_id, PeopleError)
    access.require_trainer(viewer)
    with transaction(con):
        found = con.execute(
            "update clients set active = ? where client_id = ? returning client_id", [active, client_id]
        ).fetchone()
        if not found:
            raise PeopleError(f"unknown client {client_id!r}")
        audit.record(con, viewer.trainer_id, "client.activate" if active else "client.deactivate", client_id)


def assign_trainer(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, trainer_id: str) -> None:
    """Move a client to another trainer (owners only)."""
    access.require_owner(viewer)
    access.require_client(con, viewer, client_id, PeopleError)
    with transaction(con):
        _check_trainer(con, trainer_id)
        found = con.execute(
            "update clients set trainer_id = ? where client_id = ? returning client_id",
            [trainer_id, client_id],
        ).fetchone()
        if not found:
            raise PeopleError(f"unknown client {client_id!r}")
        audit.record(con, viewer.trainer_id, "client.assign", f"{client_id} to {trainer_id}")


def trainers(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[tuple[str, str]]:
    """(trainer_id, name) pairs the viewer may assign clients to or filter by."""
    return con.execute(
        "select trainer_id, name from trainers where active and (? is null or trainer_id = ?) order by name",
        [viewer.scope, viewer.scope],
    ).fetchall()


def client_list(con: duckdb.DuckDBPyConnection, viewer: Viewer):
    """The viewer's clients with their trainer and link state, for the admin page."""
    return con.execute(
        """
        select
            clients.client_id,
            clients.name,
            trainers.name as trainer,
            clients.trainer_id,
            clients.since,
            clients.active,
            links.expires_at as link_expires,
            (select max(checkin_date) from check_ins where check_ins.client_id = clients.client_id) as last_checkin
        from clients
        join trainers using (trainer_id)
        left join (
            select client_id, max(expires_at) as expires_at
            from client_tokens
            where revoked_at is null and expires_at > ?
            group by client_id
        ) as links using (client_id)
        where ? is null or clients.trainer_id = ?
        order by clients.active desc, clients.name
        """,
        [clock.now(), viewer.scope, viewer.scope],
    ).df()
