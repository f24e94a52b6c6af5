"""Reminders for quiet clients: who is listed, the message, share links, QR, email over SMTP."""

from __future__ import annotations

import datetime as dt
import socket
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from pipelines import db, load_state, reminders
from pipelines.settings import Settings
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import OWNER, acting, trainer


def _checkin(con, client_id, day):
    con.execute(
        "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, soreness_glutes, "
        "soreness_calves, sleep_hours, sleep_quality, energy, stress, mood) values (?, ?, 1, 1, 1, 1, 8, 4, 4, 4, 4)",
        [client_id, day],
    )
    load_state.refresh(con, [client_id])


def test_quiet_clients_are_those_without_a_checkin_for_n_days_in_the_viewers_scope(two_trainers):
    _checkin(two_trainers, "c1", AS_OF - dt.timedelta(days=5))
    _checkin(two_trainers, "c2", AS_OF - dt.timedelta(days=1))  # c3 never checked in
    db.set_as_of(two_trainers, AS_OF)
    everyone = reminders.quiet_clients(two_trainers, OWNER, 3)
    assert list(everyone["client_id"]) == ["c3", "c1"]  # never first, then the longest quiet
    assert list(reminders.quiet_clients(two_trainers, trainer("sam"), 3)["client_id"]) == ["c3"]
    assert list(reminders.quiet_clients(two_trainers, OWNER, 1)["client_id"]) == ["c3", "c1", "c2"]


def test_the_message_and_share_links_carry_the_link_whole():
    link = "https://legday.example.org/?t=abc-_DEF123"
    text = reminders.message("Ana Álvarez", link)
    assert text.startswith("Hi Ana,") and text.endswith(link)
    share = reminders.share_links(text)
    assert share["sms"].startswith("sms:?&body=") and unquote(share["sms"].split("body=", 1)[1]) == text
    assert share["whatsapp"].startswith("https://wa.me/?text=")
    assert unquote(share["whatsapp"].split("text=", 1)[1]) == text
    assert reminders.qr_png(link).startswith(b"\x89PNG")


@pytest.mark.parametrize("bad", ["", "ana", "ana@", "@x.org", "a b@x.org", "ana@x", "x" * 250 + "@x.org"])
def test_a_bad_email_is_refused_and_nothing_is_stored(two_trainers, bad):
    with pytest.raises(reminders.ReminderError, match="not an email address"):
        reminders.save_email(two_trainers, OWNER, "c1", bad)
    assert two_trainers.execute("select count(*) from client_contacts").fetchone()[0] == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_an_email_reminder_reaches_a_real_smtp_server(two_trainers, smtp_server):
    controller, inbox = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="sam@legday.test",
                        smtp_starttls=False)
    address = reminders.save_email(two_trainers, OWNER, "c2", " bo@example.org ")
    text = reminders.message("Bo Berg", "https://legday.example.org/?t=abc")
    reminders.send_email(settings, address, text)
    reminders.record_sent(two_trainers, acting("sam"), "c2")
    [mail] = inbox.messages
    assert mail["To"] == "bo@example.org" and mail["From"] == "sam@legday.test"
    assert mail.get_payload(decode=True).decode().strip() == text
    assert two_trainers.execute("select actor, subject from audit_log where action = 'reminder.email'").fetchall() == [
        ("sam", "c2")]


def test_without_smtp_settings_or_with_a_dead_server_the_error_says_so():
    with pytest.raises(reminders.ReminderError, match="LEGDAY_SMTP_HOST"):
        reminders.send_email(Settings(), "bo@example.org", "hi")
    dead = Settings(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_from="x@legday.test", smtp_starttls=False)
    with pytest.raises(reminders.ReminderError, match="mail server did not take"):
        reminders.send_email(dead, "bo@example.org", "hi")
