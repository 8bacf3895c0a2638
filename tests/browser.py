"""What the tests that drive real headless Chromium share: the demo store, a served store, a tab that records
page errors, and screenshots.

The server and Chromium's flags come from ``test_web_browser`` (the first browser tests); this module adds
the demo store (the example corpus and, where the checkout has it, the shared seeds), which the page-height
test and the workbench walk both read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import REPO, SHARED
from dyadlens.cli import main
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _serving

#: The corpora of the demo store: the examples and the shared seeds (when the checkout has them).
DEMO_CORPORA = [REPO / "examples" / "corpus", SHARED / "corpus" / "seeds"]

#: The viewport the page heights are measured at: four of its screens is the limit.
VIEWPORT = {"width": 1280, "height": 800}

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM} (CI installs it)"),
]


def build_demo_store(path: Path) -> Path:
    """``dyadlens ingest`` of the demo corpora into a new store at ``path``."""
    corpora = [str(c) for c in DEMO_CORPORA if c.exists()]
    result = CliRunner().invoke(main, ["--db", str(path), "--quiet", "ingest", *corpora])
    assert result.exit_code == 0, result.output
    return path


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """``dyadlens serve`` on ``db``; yields its base URL."""
    with _serving(db) as base:
        yield base


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def open_tab(browser: Any, **options: Any) -> Any:
    """A tab in a new context whose page errors, console errors and dialogs land in ``tab.problems``."""
    context = browser.new_context(viewport=VIEWPORT, **options)
    tab = context.new_page()
    tab.problems = []
    tab.on("pageerror", lambda error: tab.problems.append(f"page error: {error}"))
    tab.on("console", lambda message: message.type == "error" and tab.problems.append(f"console: {message.text}"))
    tab.on("dialog", lambda dialog: (tab.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return tab


def screenshots_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """``$DYADLENS_SCREENSHOTS/name`` when set (CI keeps it), else a temporary folder."""
    root = os.environ.get("DYADLENS_SCREENSHOTS")
    folder = Path(root) / name if root else tmp_path_factory.mktemp(name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_height(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollHeight"))
