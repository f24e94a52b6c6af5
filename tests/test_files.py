"""The one atomic write: all or nothing, no temporary file left behind."""

from __future__ import annotations

import pytest

from pipelines.files import write_atomic


def test_write_atomic_replaces_the_target_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "roster.csv"
    out.write_bytes(b"old")
    assert write_atomic(out, b"new") == out
    assert out.read_bytes() == b"new"
    assert [path.name for path in tmp_path.iterdir() if path.name != "legday.duckdb"] == ["roster.csv"]


def test_a_failed_write_keeps_the_old_file_and_cleans_up(tmp_path):
    out = tmp_path / "roster.csv"
    out.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(out, "text, not bytes")
    assert out.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir() if path.name != "legday.duckdb"] == ["roster.csv"]
