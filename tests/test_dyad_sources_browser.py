"""The dyad page's sources side by side in Chromium: folded, a plain link to their own page; opened, the
section loads that page's claims into itself, the same claims as the page's JSON twin, each claim opening on
its reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import test_web_browser as web_browser

pytestmark = web_browser.pytestmark
#: The browser tests' served hand-written corpus, Chromium, tab and screenshot folder.
server, browser, page, shots = web_browser.server, web_browser.browser, web_browser.page, web_browser.shots


def test_opening_the_sources_loads_their_claims(server: str, page: Any, shots: Path) -> None:
    with urlopen(f"{server}/api/dyad/russia/taliban/sources") as answer:
        claims = json.loads(answer.read())["claims"]
    page.goto(f"{server}/dyad/russia/taliban")
    section = page.locator("details#sources")
    assert section.get_attribute("open") is None and section.locator(".claim").count() == 0
    assert section.locator("a.sources-page").get_attribute("href") == "/dyad/russia/taliban/sources"
    section.locator("summary").click()
    page.wait_for_selector("details#sources[data-loaded] #claims .claim")
    shown = section.locator("#claims .claim h3").all_inner_texts()
    assert len(shown) == len(claims) > 0
    assert [text.split(":")[1].split()[0] for text in shown] == [c["base_code"] for c in claims]
    assert section.locator(".disagreement").first.inner_text().startswith("Sources disagree")
    first = section.locator("#claims details.claim").first
    assert not first.locator(".report-card").first.is_visible()
    first.locator("summary").click()
    assert first.locator(".report-card").first.is_visible()
    page.screenshot(path=str(shots / "dyad-sources-loaded.png"), full_page=False)
    assert page.problems == []
