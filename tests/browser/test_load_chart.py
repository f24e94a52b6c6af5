"""Real browser, phone and desktop size: the client page's load chart draws its session
bars tall enough to read. Streamlit fits a chart's title and legends into its height, so
a chart can be drawn with a plot 0 px high and still pass every spec-level test; only
the pixels show it."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from dashboard.charts import SESSION_COLOURS
from tests.browser.conftest import screenshot
from tests.browser.test_browser import log_in, wait_until_idle

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
LEGS = tuple(int(SESSION_COLOURS["legs"][i:i + 2], 16) for i in (1, 3, 5))


def _legs_pixels(png: bytes) -> int:
    """Pixels within a small distance of the legs colour (bar segments and the legend's square)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(LEGS)).sum(axis=2) <= 24).sum())


@pytest.mark.parametrize("size", list(SIZES))
def test_the_load_chart_bars_have_height_at_phone_and_desktop_size(server, page, size):
    page.set_viewport_size(SIZES[size])
    log_in(page, server)
    page.goto(f"{server}/client?client=c001")
    charts = page.locator("[data-testid=stVegaLiteChart]")
    charts.nth(3).wait_for()
    wait_until_idle(page)
    page.wait_for_timeout(1500)  # vega draws after the script run ends
    found = []
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        found.append(_legs_pixels(chart.screenshot()))
    screenshot(page, f"load-chart-{size}")
    # measured: about 2,300 px drawn; 196 (the legend's square) when the plot was squeezed to 0 px
    assert max(found) > 1500, found
