"""Private check-in links for clients.

A link carries a 256-bit random token; the database keeps only its SHA-256, so a
copy of the database file cannot be turned back into working links. Each client
has at most one live link: creating a new one revokes the older ones. Expiry is
compared with the real clock in UTC (not the as-of date, which only moves the
calendar of the data).

Guessing is rate-limited: failed look-ups are recorded per source (the browser's
address) and, after a few free ones, each source waits 2 s, 4 s, ... up to 5 min
before its next look-up is even checked. A second, higher limit counts every
source together, against guessing spread over many addresses. A correct token
never resets the count, so one real link cannot buy more guesses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
import secrets
from urllib.parse import urlsplit

import duckdb

from pipelines import access, audit, clock
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.errors import LegdayError

MAX_LINK_DAYS = 365
# Where links point when LEGDAY_BASE_URL is unset and no request tells (the CLI).
LOCAL_BASE_URL = "http://localhost:8501"
LOCAL_WARNING = (
    "this link starts with {base}, which only this computer can open: phones cannot. "
    "Set LEGDAY_BASE_URL to the address phones use"
)
INVALID_LINK = "this link is no longer valid — ask your trainer for a new one"

# Free failed look-ups in the window, per source and over all sources, before backoff.
FREE_FAILURES_PER_SOURCE = 5
FREE_FAILURES_OVERALL = 500
MAX_BACKOFF_SECONDS = 300
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
MAX_SOURCE_LENGTH = 100


class LinkError(LegdayError, ValueError):
    """A link that cannot be created, with a message naming the problem."""


class InvalidToken(LegdayError):
    """Unknown, expired or revoked token, or an inactive client: one message for all."""

    def __init__(self) -> None:
        super().__init__(INVALID_LINK)


class TooManyAttempts(InvalidToken):
    """Too many failed look-ups: the token was not even checked."""

    def __init__(self, wait_seconds: int) -> None:
        Exception.__init__(self, f"too many invalid links were tried; try again in {wait_seconds} s")
        self.wait_seconds = wait_seconds


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke(con: duckdb.DuckDBPyConnection, client_id: str, now: dt.datetime) -> int:
    return len(
        con.execute(
            "update client_tokens set revoked_at = ? "
            "where client_id = ? and revoked_at is null returning token_hash",
            [now, client_id],
        ).fetchall()
    )


def create_link(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, *, days: int, base_url: str) -> str:
    """A fresh check-in link valid for `days` days; the client's older links stop working."""
    access.require_client(con, viewer, client_id, LinkError)
    access.require_trainer(viewer)
    if not 1 <= days <= MAX_LINK_DAYS:
        raise LinkError(f"a link lasts between 1 and {MAX_LINK_DAYS} days (got {days})")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction(con):
        if not con.execute("select active from clients where client_id = ?", [client_id]).fetchone()[0]:
            raise LinkError(f"client {client_id!r} is inactive; reactivate them before sending a link")
        _revoke(con, client_id, now)
        con.execute(
            "insert into client_tokens (token_hash, client_id, created_by, created_at, expires_at) "
            "values (?, ?, ?, ?, ?)",
            [token_hash(token), client_id, viewer.trainer_id, now, now + dt.timedelta(days=days)],
        )
        audit.record(con, viewer.trainer_id, "link.create", client_id)
    return f"{base_url.rstrip('/')}/?t={token}"


def link_base(configured: str | None, page_url: str | None = None, prefix: str = "") -> str:
    """The address links start with: LEGDAY_BASE_URL when set, else the scheme and host
    the dashboard was reached at (plus Streamlit's base path), else LOCAL_BASE_URL."""
    if configured and configured.strip():
        return configured.strip().rstrip("/")
    parts = urlsplit(page_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        path = "/" + prefix.strip("/") if prefix.strip("/") else ""
        return f"{parts.scheme}://{parts.netloc}{path}"
    return LOCAL_BASE_URL


def is_local_address(url: str) -> bool:
    """True when only this computer can open the address (localhost, loopback, 0.0.0.0)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _backoff_left(failures: int, free: int, last: dt.datetime | None, now: dt.datetime) -> int:
    if failures < free or last is None:
        return 0
    backoff = min(2 ** (failures - free + 1), MAX_BACKOFF_SECONDS)
    return max(0, math.ceil(backoff - (now - last).total_seconds()))


def attempt_wait_seconds(con: duckdb.DuckDBPyConnection, source: str, now: dt.datetime | None = None) -> int:
    """Seconds until a look-up from `source` is checked again (0 = now)."""
    now = now or clock.now()
    mine, my_last, everyone, last = con.execute(
        "select count(*) filter (where source = $source), max(attempted_at) filter (where source = $source), "
        "count(*), max(attempted_at) "
        "from token_attempts where attempted_at > $since",
        {"source": source, "since": now - ATTEMPT_WINDOW},
    ).fetchone()
    return max(
        _backoff_left(mine, FREE_FAILURES_PER_SOURCE, my_last, now),
        _backoff_left(everyone, FREE_FAILURES_OVERALL, last, now),
    )


def request_source(ip_address: str | None, forwarded_for: str | None, *, trust_proxy: bool) -> str:
    """The source a look-up counts against. Without a trusted proxy (LEGDAY_TRUST_PROXY) it is
    the socket's address; a request carrying X-Forwarded-For then counts as one shared source,
    "forwarded", because Streamlit's server already replaces a loopback peer's address with
    that header's value, so the header could otherwise pick a fresh source for every guess.
    Behind a trusted proxy it is the address the proxy saw (the header's last entry)."""
    forwarded = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    if forwarded:
        return forwarded[-1] if trust_proxy else "forwarded"
    return ip_address or "unknown"


def resolve_token(con: duckdb.DuckDBPyConnection, token: str, *, source: str = "unknown") -> str:
    """The client id a live token belongs to (its viewer is access.link_viewer of it); records its use.

    Raises InvalidToken (the failure is recorded against `source`), or
    TooManyAttempts without looking when `source` or everyone failed too often.
    """
    source = (source or "unknown")[:MAX_SOURCE_LENGTH]
    now = clock.now()
    wait = attempt_wait_seconds(con, source, now)
    if wait:
        raise TooManyAttempts(wait)
    well_formed = isinstance(token, str) and 20 <= len(token) <= 100
    with transaction(con):
        found = well_formed and con.execute(
            "update client_tokens set last_used_at = $now "
            "where token_hash = $hash and revoked_at is null and expires_at > $now "
            "and client_id in (select client_id from clients where active) "
            "returning client_id",
            {"now": now, "hash": token_hash(token)},
        ).fetchone()
        if not found:
            con.execute("delete from token_attempts where attempted_at <= ?", [now - ATTEMPT_WINDOW])
            con.execute("insert into token_attempts (source, attempted_at) values (?, ?)", [source, now])
    if not found:
        raise InvalidToken()
    return found[0]


def revoke_links(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> int:
    """Stop every link of the client; returns how many were live."""
    access.require_client(con, viewer, client_id, LinkError)
    with transaction(con):
        revoked = _revoke(con, client_id, clock.now())
        audit.record(con, viewer.trainer_id, "link.revoke", client_id)
    return revoked


def link_status(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> dict | None:
    """The client's newest link: created_at, expires_at, revoked, expired, live, last_used (UTC)."""
    access.require_client(con, viewer, client_id, LinkError)
    row = con.execute(
        "select created_at, expires_at, revoked_at, last_used_at from client_tokens "
        "where client_id = ? order by created_at desc limit 1",
        [client_id],
    ).fetchone()
    if row is None:
        return None
    created_at, expires_at, revoked_at, last_used_at = row
    expired = expires_at <= clock.now()
    return {
        "created_at": created_at,
        "expires_at": expires_at,
        "revoked": revoked_at is not None,
        "revoked_at": revoked_at,
        "expired": expired,
        "live": revoked_at is None and not expired,
        "last_used": last_used_at,
    }
