"""A crowd arriving at once: 100 page loads (login and check-in links mixed) against the real
server over Streamlit's own websocket protocol, each must end on a real page."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from pipelines import db, tokens
from tests.browser.conftest import ROOT, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOADS = 100
CLIENTS = LOADS // 2


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """A demo database with one live check-in link per client, and a server over it."""
    folder = tmp_path_factory.mktemp("crowd")
    path = folder / "legday.duckdb"
    env = {**os.environ, "LEGDAY_DB_PATH": str(path), "LEGDAY_AS_OF": "2026-11-20"}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--clients", str(CLIENTS), "--days", "30"],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    con = db.connect(path)
    try:
        names = dict(con.execute("select client_id, name from clients where active").fetchall())
        links = {client_id: tokens.create_link(con, client_id, days=1, base_url="http://x", created_by=None)
                 for client_id in names}
    finally:
        con.close()
    with serve(path, folder) as url:
        yield url, {urlsplit(link).query: names[client_id] for client_id, link in links.items()}


async def load(url: str, query: str) -> dict:
    """One first page load as the browser does it: open the stream, ask for a run with the
    address's query string, read until the run ends. Returns the headings and any exception."""
    seen = {"headings": [], "exceptions": [], "status": None}
    request = BackMsg()
    request.rerun_script.query_string = query
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None,
                                  ping_interval=None) as socket:
        await socket.send(request.SerializeToString())
        while seen["status"] is None:
            message = ForwardMsg.FromString(await socket.recv())
            if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "heading":
                    seen["headings"].append(element.heading.body)
                elif element.WhichOneof("type") == "exception":
                    seen["exceptions"].append(element.exception.message)
            elif message.WhichOneof("type") == "script_finished":
                seen["status"] = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
    return seen


async def arrive_together(url: str, queries: list[str]) -> list[dict]:
    return await asyncio.gather(*(asyncio.wait_for(load(url, query), 240) for query in queries))


def test_a_hundred_simultaneous_loads_each_get_a_page(crowd):
    url, links = crowd
    queries = [query for link in links for query in (link, "")]  # check-in links and logins, interleaved
    assert len(queries) == LOADS
    started = dt.datetime.now()
    results = asyncio.run(arrive_together(url, queries))
    print(f"{LOADS} loads in {(dt.datetime.now() - started).total_seconds():.1f} s")
    failures = []
    for query, seen in zip(queries, results, strict=True):
        wanted = f"Hi {links[query].split()[0]} — daily check-in" if query else "legday"
        if seen["exceptions"] or seen["status"] != "FINISHED_SUCCESSFULLY" or wanted not in seen["headings"]:
            failures.append((query[:12], seen))
    assert not failures, f"{len(failures)} of {LOADS} loads did not get their page: {failures[:3]}"
