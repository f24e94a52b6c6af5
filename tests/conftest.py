"""Shared fixtures: every test gets its own DuckDB file under tmp_path."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipelines import db, people
from pipelines.demo import build_demo
from pipelines.settings import get_settings
from tests.helpers.clock import AS_OF
from tests.helpers.viewers import OWNER


@pytest.fixture(autouse=True)
def legday_env(tmp_path, monkeypatch):
    """Point settings at a fresh database and a fixed as-of date."""
    monkeypatch.setenv("LEGDAY_DB_PATH", str(tmp_path / "legday.duckdb"))
    monkeypatch.setenv("LEGDAY_AS_OF", AS_OF.isoformat())
    monkeypatch.setenv("LEGDAY_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "2")
    monkeypatch.delenv("LEGDAY_TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def con():
    connection = db.connect()
    yield connection
    connection.close()


@pytest.fixture
def two_trainers(con):
    """Owner `olga` with client `c1`, trainer `sam` with clients `c2` and `c3`."""
    people.add_trainer(con, OWNER, "olga", "Olga Owner", "owner-pass-1", owner=True)
    people.add_trainer(con, OWNER, "sam", "Sam Trainer", "trainer-pass-1")
    people.add_client(con, OWNER, "c1", "Ana Álvarez", "olga")
    people.add_client(con, OWNER, "c2", "Bo Berg", "sam")
    people.add_client(con, OWNER, "c3", "Cy Chen", "sam", dt.date(2026, 6, 1))
    return con


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    db.set_as_of(con, AS_OF)
    build_demo(con, clients=12, days=60, seed=11, end=AS_OF)
    con.close()
    return path


@pytest.fixture
def demo_db(demo_file, tmp_path) -> Path:
    target = tmp_path / "legday.duckdb"
    shutil.copyfile(demo_file, target)
    return target
