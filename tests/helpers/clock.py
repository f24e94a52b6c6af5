"""The fixed as-of date every test runs on (conftest.py sets LEGDAY_AS_OF to it)."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2026, 11, 20)
