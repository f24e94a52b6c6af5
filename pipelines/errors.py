"""One base for every refusal legday explains in words.

A `LegdayError`'s message is written for a trainer: the CLI prints it as one line and
exits with its `exit_code` (pipelines/commands/common.py), the dashboard shows it in an
error box instead of a traceback (dashboard/app.py). Each module's own error class
derives from it, keeping the built-in base its callers already catch (ValueError, ...).
"""

from __future__ import annotations

EXIT_REFUSED = 1  # bad input or a refused action: nothing was changed
EXIT_USAGE = 2  # the command line itself is wrong


class LegdayError(Exception):
    exit_code = EXIT_REFUSED
