"""Reminders: clients without a check-in for a while, each with a ready message to share."""

import streamlit as st

from dashboard import layout, links, session
from dashboard.formatting import days_ago, plain
from pipelines import db, metrics, reminders, tokens
from pipelines.settings import get_settings

SHOWN = 50

viewer = session.viewer()
settings = get_settings()
with session.database() as con:
    today = db.as_of(con)
    usual = int(metrics.thresholds(con).set_index("name").loc["missed_checkin_days", "value"])

st.title("Reminders")
st.caption("Clients who went quiet, each with a message to send.")
layout.docs("docs/plans-and-links.md", "reminders and check-in links")
days = st.number_input("Without a check-in for at least (days)", 1, 60, usual)
with session.database() as con:
    quiet = reminders.quiet_clients(con, viewer, int(days))

base = links.base_url()
links.warn_if_local(base)
if quiet.empty:
    st.success(f"Every client checked in within the last {days} days.")
    st.stop()

st.markdown(f"**{len(quiet)} client{'s' if len(quiet) != 1 else ''}** without a check-in for {days} days or more."
            + (f" The {SHOWN} quiet longest are shown." if len(quiet) > SHOWN else ""))
st.caption("Preparing a reminder makes a fresh check-in link; the client's older link stops working.")
prepared = st.session_state.setdefault("reminders", {})

for number, row in enumerate(quiet.head(SHOWN).itertuples()):
    with st.container(border=True, key=f"reminder-{number}"):
        st.markdown(f"**{plain(row.name)}** · last check-in {days_ago(row.last_checkin, today)}")
        if row.client_id not in prepared:
            if st.button("Prepare reminder", key=f"prepare-{number}"):
                with session.database() as con:
                    link = tokens.create_link(con, viewer, row.client_id, days=settings.link_days, base_url=base)
                prepared[row.client_id] = {"link": link, "text": reminders.message(row.name, link)}
                st.rerun()
            continue
        text, link = prepared[row.client_id]["text"], prepared[row.client_id]["link"]
        st.code(text, language=None, wrap_lines=True)
        share = reminders.share_links(text)
        buttons = st.columns([1, 1, 2])
        buttons[0].link_button("SMS", share["sms"], icon=":material/sms:")
        buttons[1].link_button("WhatsApp", share["whatsapp"], icon=":material/chat:")
        with buttons[2].popover("QR code", icon=":material/qr_code_2:"):
            st.image(reminders.qr_png(link), caption="Scan with the client's phone camera", width=220)
        if not reminders.smtp_ready(settings):
            st.caption("To email reminders from here, set LEGDAY_SMTP_HOST and LEGDAY_SMTP_FROM (README.md, Settings).")
            continue
        with st.form(f"email-{number}", border=False):
            address = st.text_input("Email", value=row.email if isinstance(row.email, str) else "",
                                    key=f"email-{number}-address")
            if st.form_submit_button("Send email", icon=":material/mail:"):
                try:
                    with session.database() as con:
                        address = reminders.save_email(con, viewer, row.client_id, address)
                    reminders.send_email(settings, address, text)
                    with session.database() as con:
                        reminders.record_sent(con, viewer, row.client_id)
                except reminders.ReminderError as error:
                    st.error(str(error).capitalize() + ".")
                else:
                    st.success(f"Sent to {address}.")
