"""The browser sweep's second half (see test_browser_sweep.py): a file of its own, so that it runs beside the first."""

from __future__ import annotations

import pytest

from .sweep import run_sweep
from .test_browser_sweep import SECOND_HALF


@pytest.mark.browser
@pytest.mark.sweep
@pytest.mark.timeout(1800)
@pytest.mark.django_db(transaction=True)
def test_every_page_as_the_second_half_of_the_personas(live_server, committed_demo, browser, artifacts_dir):
    run_sweep(live_server, browser, artifacts_dir, SECOND_HALF, "sweep-b.json")
