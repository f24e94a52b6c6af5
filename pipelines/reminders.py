"""Nudges for clients who went quiet: who, the message, share links, a QR code, email.

A reminder carries a fresh check-in link: only the SHA-256 of the client's current
link is stored, so it cannot be shown again. Making the reminder therefore revokes
the older link (one live link per client, docs/plans-and-links.md).
"""

from __future__ import annotations

import io
import re
import smtplib
from email.message import EmailMessage
from urllib.parse import quote

import duckdb
import pandas as pd
import segno

from pipelines import access, audit
from pipelines.access import Viewer
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.settings import Settings

EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class ReminderError(LegdayError, ValueError):
    """A reminder that cannot be sent, with a message naming the problem."""


def quiet_clients(con: duckdb.DuckDBPyConnection, viewer: Viewer, days: int) -> pd.DataFrame:
    """The viewer's active clients without a check-in for `days` days or more (or never),
    longest quiet first, with their stored email."""
    scope = viewer.scope
    return con.execute(
        """
        select roster.client_id, roster.name, roster.last_checkin, roster.days_since_checkin,
               client_contacts.email
        from roster
        left join client_contacts using (client_id)
        where ($scope is null or roster.trainer_id = $scope)
          and (roster.last_checkin is null or roster.days_since_checkin >= $days)
        order by roster.last_checkin nulls first, roster.name, roster.client_id
        """,
        {"scope": scope, "days": days},
    ).df()


def message(name: str, link: str) -> str:
    first = (name or "").split()[0] if (name or "").split() else "there"
    return f"Hi {first}, a quick check-in today? It takes a minute and helps me plan your next session: {link}"


def share_links(text: str) -> dict[str, str]:
    """One-tap share addresses for a message: the phone's SMS app and WhatsApp."""
    return {"sms": f"sms:?&body={quote(text)}", "whatsapp": f"https://wa.me/?text={quote(text)}"}


def qr_png(link: str) -> bytes:
    """A QR code of the link, as PNG bytes (scan it with the client's phone camera)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def save_email(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str, email: str) -> str:
    access.require_client(con, viewer, client_id, ReminderError)
    access.require_trainer(viewer)
    email = (email or "").strip()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise ReminderError(f"{email!r} is not an email address")
    with transaction(con):
        con.execute(
            "insert or replace into client_contacts (client_id, email, updated_at) values (?, ?, current_timestamp)",
            [client_id, email],
        )
        audit.record(con, viewer.trainer_id, "contact.email", client_id)  # never the address itself
    return email


def smtp_ready(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_from)


def send_email(settings: Settings, to: str, text: str) -> None:
    """Send the reminder through LEGDAY_SMTP_* (no database held meanwhile)."""
    if not smtp_ready(settings):
        raise ReminderError("email is not set up: set LEGDAY_SMTP_HOST and LEGDAY_SMTP_FROM")
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = to
    mail["Subject"] = "Your daily check-in"
    mail.set_content(text)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as server:
            if settings.smtp_starttls:
                server.starttls()
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            server.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        raise ReminderError(f"the mail server did not take the email: {error}") from None


def record_sent(con: duckdb.DuckDBPyConnection, viewer: Viewer, client_id: str) -> None:
    """The audit log keeps who emailed which client a reminder (not the address or text)."""
    access.require_client(con, viewer, client_id, ReminderError)
    with transaction(con):
        audit.record(con, viewer.trainer_id, "reminder.email", client_id)
