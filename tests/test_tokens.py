"""Private check-in links: hash-only storage, expiry, revocation, one live link per client."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines import clock, db, people, tokens
from pipelines.cli import app
from pipelines.settings import get_settings
from pipelines.tokens import InvalidToken, LinkError
from tests.helpers.viewers import OWNER, acting

runner = CliRunner()


def _link(con, client_id="c1", days=30):
    url = tokens.create_link(con, acting("olga"), client_id, days=days, base_url="https://legday.test/")
    return url, url.split("?t=", 1)[1]


def test_link_carries_a_256_bit_token_stored_only_as_its_hash(two_trainers):
    url, token = _link(two_trainers)
    assert url.startswith("https://legday.test/?t=") and len(token) == 43
    stored = two_trainers.execute("select token_hash, client_id, created_by from client_tokens").fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "c1", "olga")]
    path = Path(get_settings().db_path)
    two_trainers.execute("checkpoint")
    two_trainers.close()
    files = [path, *path.parent.glob(path.name + ".wal")]
    contents = b"".join(file.read_bytes() for file in files)
    assert token.encode() not in contents
    assert stored[0][0].encode() in contents  # the scan does see what is stored


def test_token_resolves_to_its_own_client_and_records_use(two_trainers):
    _, first = _link(two_trainers, "c1")
    _, second = _link(two_trainers, "c2")
    assert tokens.resolve_token(two_trainers, first) == "c1"
    assert tokens.resolve_token(two_trainers, second) == "c2"
    status = tokens.link_status(two_trainers, OWNER, "c1")
    assert status["live"] and status["last_used"] is not None and not status["revoked"]
    assert status["expires_at"] - status["created_at"] == dt.timedelta(days=30)


def test_a_new_link_revokes_the_old_one(two_trainers):
    _, old = _link(two_trainers)
    _, new = _link(two_trainers)
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, old)
    assert tokens.resolve_token(two_trainers, new) == "c1"
    live = two_trainers.execute("select count(*) from client_tokens where revoked_at is null").fetchone()[0]
    assert live == 1


def test_expired_link_is_refused(two_trainers):
    _, token = _link(two_trainers, days=1)
    two_trainers.execute("update client_tokens set expires_at = ?", [clock.now() - dt.timedelta(seconds=1)])
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, token)
    status = tokens.link_status(two_trainers, OWNER, "c1")
    assert status["expired"] and not status["live"] and not status["revoked"]


def test_revoked_link_and_inactive_client_are_refused(two_trainers):
    _, token = _link(two_trainers, "c1")
    assert tokens.revoke_links(two_trainers, acting("olga"), "c1") == 1
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, token)
    assert tokens.link_status(two_trainers, OWNER, "c1")["revoked"]

    _, other = _link(two_trainers, "c2")
    people.set_client_active(two_trainers, OWNER, "c2", False)
    with pytest.raises(InvalidToken):
        tokens.resolve_token(two_trainers, other)


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "x" * 500, None, 42])
def test_unknown_or_malformed_tokens_get_one_generic_message(two_trainers, token):
    _link(two_trainers)
    with pytest.raises(InvalidToken) as raised:
        tokens.resolve_token(two_trainers, token)
    assert str(raised.value) == tokens.INVALID_LINK


def test_links_are_refused_for_unknown_or_inactive_clients_and_odd_lifetimes(two_trainers):
    with pytest.raises(LinkError, match="unknown client"):
        _link(two_trainers, "zz")
    with pytest.raises(LinkError, match="between 1 and 365 days"):
        _link(two_trainers, days=0)
    people.set_client_active(two_trainers, OWNER, "c3", False)
    with pytest.raises(LinkError, match="inactive"):
        _link(two_trainers, "c3")
    assert tokens.link_status(two_trainers, OWNER, "c3") is None


def test_cli_link_and_revoke(two_trainers):
    two_trainers.close()
    made = runner.invoke(app, ["client", "link", "c2", "--days", "3", "--base-url", "https://x.test/"])
    assert made.exit_code == 0, made.output
    url = made.output.strip()
    assert url.startswith("https://x.test/?t=")
    assert "phones cannot" not in made.stderr
    default = runner.invoke(app, ["client", "link", "c1"])  # LEGDAY_BASE_URL unset
    assert default.stdout.strip().startswith(tokens.LOCAL_BASE_URL + "/?t=")
    assert "phones cannot" in default.stderr and "LEGDAY_BASE_URL" in default.stderr

    con = db.connect()
    assert tokens.resolve_token(con, url.split("?t=")[1]) == "c2"
    assert tokens.link_status(con, OWNER, "c2")["expires_at"] - tokens.link_status(con, OWNER, "c2")["created_at"] == dt.timedelta(days=3)
    con.close()
    revoked = runner.invoke(app, ["client", "revoke", "c2"])
    assert revoked.exit_code == 0 and "1 live link" in revoked.output
    assert runner.invoke(app, ["client", "link", "nobody"]).exit_code == 1
    con = db.connect()
    with pytest.raises(InvalidToken):
        tokens.resolve_token(con, url.split("?t=")[1])
    con.close()


@pytest.mark.parametrize(("configured", "page_url", "prefix", "expected"), [
    ("https://legday.example.org/", "http://10.0.0.5:8501/clients", "", "https://legday.example.org"),
    (None, "http://192.168.1.20:8501/clients", "", "http://192.168.1.20:8501"),
    ("", "https://gym.example/legday/clients?x=1", "legday", "https://gym.example/legday"),
    (None, None, "", tokens.LOCAL_BASE_URL),
    (None, "not a url", "", tokens.LOCAL_BASE_URL),
])
def test_links_start_with_the_setting_else_the_address_the_dashboard_was_reached_at(configured, page_url, prefix, expected):
    assert tokens.link_base(configured, page_url, prefix) == expected


@pytest.mark.parametrize(("url", "local"), [
    ("http://localhost:8501", True), ("http://127.0.0.1:8501", True), ("http://[::1]:8501", True),
    ("http://0.0.0.0:8501", True), ("http://app.localhost", True),
    ("http://192.168.1.20:8501", False), ("https://legday.example.org", False),
])
def test_local_addresses_are_recognised(url, local):
    assert tokens.is_local_address(url) is local
@pytest.mark.parametrize(
    ("ip_address", "forwarded_for", "trust_proxy", "source"),
    [
        ("10.0.0.5", None, False, "10.0.0.5"),  # the socket's address
        (None, None, False, "unknown"),  # localhost: Streamlit gives no address
        ("10.0.0.5", "1.2.3.4", False, "forwarded"),  # an untrusted header never picks the source
        ("1.2.3.4", "1.2.3.4", False, "forwarded"),  # ... even when the server already applied it
        ("7.7.7.7", "9.9.9.9, 1.2.3.4", False, "forwarded"),
        ("10.0.0.1", "9.9.9.9, 1.2.3.4", True, "1.2.3.4"),  # behind a trusted proxy: the address it saw
        ("10.0.0.1", " , ", True, "10.0.0.1"),  # an empty header is no header
        ("10.0.0.1", None, True, "10.0.0.1"),
    ],
)
def test_the_source_of_a_look_up_is_the_socket_unless_a_proxy_is_trusted(ip_address, forwarded_for, trust_proxy, source):
    assert tokens.request_source(ip_address, forwarded_for, trust_proxy=trust_proxy) == source
