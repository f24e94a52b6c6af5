"""Viewers for tests that call the data functions directly (every one takes a viewer)."""

from __future__ import annotations

from pipelines.access import COMMAND_LINE, Viewer

OWNER = COMMAND_LINE  # what the CLI acts as without --as: an owner, logged as "cli"


def acting(trainer_id: str) -> Viewer:
    """An owner-scope viewer recorded as `trainer_id` in audit rows and created_by."""
    return Viewer(trainer_id, trainer_id, True)


def trainer(trainer_id: str) -> Viewer:
    """A trainer (not an owner): sees only their own clients."""
    return Viewer(trainer_id, trainer_id, False)


def scoped(trainer_id: str | None) -> Viewer:
    """The viewer of a trainer scope: None is the owner (every client)."""
    return OWNER if trainer_id is None else trainer(trainer_id)
