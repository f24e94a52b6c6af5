"""CLI commands (filled in by its issue)."""


def register(app) -> None:
    """No commands yet."""
