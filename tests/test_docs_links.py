"""Docs point at files that exist: markdown links, and repository paths named in any text.

Covers README.md, docs/*.md and every comment, docstring and help text of the code, the
SQL and the tests (a page or CLI message that names a docs page is checked here too). A name in capitals is
a placeholder (`data/mappings/NAME.json`), not a file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT_FILES = [
    *MARKDOWN,
    ROOT / "Makefile",
    ROOT / "pyproject.toml",
    *(
        path
        for folder in ("pipelines", "dashboard", "sql", "tests", "bench", ".ci")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".sql", ".md", ""} and path.is_file()
    ),
]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# A path from the repository root: a top-level folder, then name parts, then an extension.
TOP = "docs|sql|pipelines|dashboard|tests|bench|data|\\.ci|\\.streamlit"
REPO_PATH = re.compile(rf"(?<![\w/.<-])((?:{TOP})/[\w./-]*\w\.(?:md|py|sql|csv|jsonl?|toml))\b")
PLACEHOLDER = re.compile(r"/[A-Z_]+\.\w+$")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", MARKDOWN, ids=_rel)
def test_markdown_links_reach_a_file(page):
    missing = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor on the same page
        if not (page.parent / target.split("#")[0]).exists():
            missing.append(target)
    assert not missing, f"{_rel(page)} links to files that do not exist: {missing}"


@pytest.mark.parametrize("source", TEXT_FILES, ids=_rel)
def test_named_repository_paths_exist(source):
    text = source.read_text(encoding="utf-8")
    named = {path for path in REPO_PATH.findall(text) if not PLACEHOLDER.search(path)}
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"{_rel(source)} names files that do not exist: {missing}"


def test_the_checker_sees_a_broken_path():
    """The pattern finds the paths the docs use, so a renamed file cannot slip through."""
    sample = "see docs/design.md and `sql/views/roster.sql`; (tests/helpers/clock.py)"
    assert REPO_PATH.findall(sample) == [
        "docs/design.md", "sql/views/roster.sql", "tests/helpers/clock.py",
    ]
    assert LINK.findall("[the design](design.md#flags) and [web](https://x.y)") == [
        "design.md#flags", "https://x.y",
    ]


# A section named after a docs path: docs/design.md, "The check-in record" (a page's help,
# the README) or `docs/reliability.md`, "Erasure": a heading there must start with it.
SECTION = re.compile(r"(docs/[\w-]+\.md)`?,? \\?\"([^\"\\]+)\\?\"")


def _headings(doc: Path) -> set[str]:
    return {line.lstrip("#").strip().casefold() for line in doc.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")}


def _is_section(doc: Path, section: str) -> bool:
    """A heading of the document starts with the name (a heading may add "(issue 15)");
    a name wrapped over comment lines counts as one line."""
    name = re.sub(r"\s*\n\s*(?:--|#)?\s*", " ", section).strip().casefold()
    return any(heading.startswith(name) for heading in _headings(doc))


@pytest.mark.parametrize("source", TEXT_FILES, ids=_rel)
def test_named_sections_exist(source):
    named = SECTION.findall(source.read_text(encoding="utf-8"))
    missing = [f"{path} \"{section}\"" for path, section in named
               if (ROOT / path).is_file() and not _is_section(ROOT / path, section)]
    assert not missing, f"{_rel(source)} names sections that are not headings there: {missing}"


def test_the_checker_sees_a_section():
    sample = 'columns: docs/design.md, \\"The check-in record\\"; see `docs/reliability.md`, "Erasure"'
    assert SECTION.findall(sample) == [("docs/design.md", "The check-in record"), ("docs/reliability.md", "Erasure")]
    assert _is_section(ROOT / "docs" / "design.md", "The check-in record")
    assert _is_section(ROOT / "docs" / "ingestion.md", "The canonical record and\n-- leniency")
    assert not _is_section(ROOT / "docs" / "design.md", "The check-out record")
