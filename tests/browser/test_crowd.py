"""A crowd arriving at once: 100 page loads (login and check-in links mixed) against the real
server over Streamlit's own websocket protocol, each must end on a real page."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from pipelines import db, tokens
from tests.browser.conftest import ROOT, serve
from tests.helpers.viewers import OWNER

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
        links = {client_id: tokens.create_link(con, OWNER, client_id, days=1, base_url="http://x")
                 for client_id in names}
    finally:
        con.close()
    with serve(path, folder) as url:
        yield url, {urlsplit(link).query: names[client_id] for client_id, link in links.items()}, path


async def load(url: str, query: str, headers: dict | None = None) -> dict:
    """One first page load as the browser does it: open the stream, ask for a run with the
    address's query string, read until the run ends. Returns the headings, alerts and any
    exception."""
    seen = {"headings": [], "alerts": [], "exceptions": [], "status": None}
    request = BackMsg()
    request.rerun_script.query_string = query
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None, additional_headers=headers,
                                  ping_interval=None) as socket:
        await socket.send(request.SerializeToString())
        while seen["status"] is None:
            message = ForwardMsg.FromString(await socket.recv())
            if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "heading":
                    seen["headings"].append(element.heading.body)
                elif element.WhichOneof("type") == "alert":
                    seen["alerts"].append(element.alert.body)
                elif element.WhichOneof("type") == "exception":
                    seen["exceptions"].append(element.exception.message)
            elif message.WhichOneof("type") == "script_finished":
                seen["status"] = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
    return seen


async def arrive_together(url: str, queries: list[str]) -> list[dict]:
    return await asyncio.gather(*(asyncio.wait_for(load(url, query), 240) for query in queries))


def run(coroutine):
    """asyncio.run on a thread of its own: Playwright's sync API may own this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_hundred_simultaneous_loads_each_get_a_page(crowd):
    url, links, _ = crowd
    queries = [query for link in links for query in (link, "")]  # check-in links and logins, interleaved
    assert len(queries) == LOADS
    started = dt.datetime.now()
    results = run(arrive_together(url, queries))
    print(f"{LOADS} loads in {(dt.datetime.now() - started).total_seconds():.1f} s")
    failures = []
    for query, seen in zip(queries, results, strict=True):
        wanted = f"Hi {links[query].split()[0]} — daily check-in" if query else "legday"
        if seen["exceptions"] or seen["status"] != "FINISHED_SUCCESSFULLY" or wanted not in seen["headings"]:
            failures.append((query[:12], seen))
    assert not failures, f"{len(failures)} of {LOADS} loads did not get their page: {failures[:3]}"


def test_a_forwarded_for_header_does_not_pick_the_guessing_source(crowd):
    """Streamlit's server replaces a loopback peer's address with X-Forwarded-For, so a
    guesser on the same machine could claim a fresh address for every guess. Without
    LEGDAY_TRUST_PROXY every such look-up counts under one source, "forwarded"."""
    url, _, path = crowd
    for n in range(8):  # one after another, as a script would
        seen = run(load(url, f"t=guess-{n:02d}-" + "g" * 30, {"X-Forwarded-For": f"10.9.0.{n}"}))
        assert not seen["exceptions"] and seen["alerts"], seen
    con = db.connect(path, read_only=True)
    try:
        sources = dict(con.execute("select source, count(*) from token_attempts group by source").fetchall())
    finally:
        con.close()
    # Held-back look-ups are not recorded: 5 free failures, more only if a wait ran out meanwhile.
    assert list(sources) == ["forwarded"] and 5 <= sources["forwarded"] <= 8, sources
