"""Done when (issue 12): an event corrected through the CLI and another through the web UI, in real
headless Chromium, still hold after the corpus is ingested again, in ``timeline``, ``series`` and
the exports (``export-events`` and ``export``).

Runs the full pipeline on one article of the sample corpus, then ``dyadlens serve --write`` in a
subprocess. A screenshot of the corrected page goes to the test's temporary folder (or
``$DYADLENS_SCREENSHOTS``).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dyadlens.cli import main
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_until_up

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM} (CI installs it)"),
]
REPO = Path(__file__).resolve().parent.parent
ARTICLE = "2021-10-moscow-talks.txt"


def cli(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def one_article_corpus(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(REPO / "examples" / "corpus" / ARTICLE, folder / ARTICLE)
    sidecar = (REPO / "examples" / "corpus" / "meta.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "meta.jsonl").write_text("".join(f"{row}\n" for row in sidecar if ARTICLE in row), encoding="utf-8")
    return folder


def two_events_of_their_own(db: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two Russia-Taliban reports that no correction keyed on evidence could mistake for each other."""
    events = cli(db, "--json", "events", "--source", "Russia", "--target", "Taliban", "--limit", "500",
                 "--count", "reports")

    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        return (e["sentence"], e["source"], e["target"], e["code"])

    first = events[0]
    second = next(e for e in events if key(e) != key(first) and e["code"] != "036")
    return first, second


@contextmanager
def serving_for_writes(db: Path) -> Iterator[str]:
    """``dyadlens serve --write`` in a subprocess; yields the URL with the session token it printed."""
    port = _free_port()
    command = [sys.executable, "-c", "from dyadlens.cli import run; run()", "--db", str(db), "serve", "--write",
               "--port", str(port), "--analyst", "web analyst"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = next(word for word in line.split() if "?token=" in word)
        _wait_until_up(f"http://127.0.0.1:{port}/static/style.css", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def correct_in_the_browser(url: str, doc_id: str, event_id: str, shots: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            assert page.goto(url) is not None  # sets the session cookie, then the overview
            base = url.partition("/?")[0]
            page.goto(f"{base}/doc/{doc_id}?event={event_id}")
            form = page.locator(f'form.correct-form:has(input[name="event"][value="{event_id}"])').first
            form.locator("xpath=..").locator("summary").click()
            form.locator('input[name="code"]').fill("036")
            form.locator('input[name="date"]').fill("2019-05")
            form.locator('input[name="note"]').fill("an offer to meet, <b>not</b> a meeting")
            with page.expect_navigation():
                form.locator('button[value="recode"]').click()
            assert page.url.startswith(f"{base}/doc/{doc_id}")
            page.screenshot(path=str(shots / "corrected-document.png"), full_page=True)
        finally:
            browser.close()


def check_corrections_hold(db: Path, tmp: Path, rejected: str, recoded: str) -> None:
    listed = {e["id"]: e for e in cli(db, "--json", "events", "--limit", "500", "--count", "reports")}
    assert rejected not in listed
    assert (listed[recoded]["code"], listed[recoded]["date"]) == ("036", "2019-05")
    timeline = json.dumps(cli(db, "--json", "timeline", "Russia", "Taliban", "--count", "reports"))
    assert rejected not in timeline and recoded in timeline
    series = cli(db, "--json", "series", "Russia", "Taliban", "--by", "year", "--modality", "any",
                 "--count", "reports", "--ids")
    periods = {p["period"]: p["event_ids"] for p in series["points"]}
    assert recoded in periods["2019"]
    assert all(rejected not in ids for ids in periods.values())
    gdelt = tmp / "events.tsv"
    cli(db, "export-events", "--format", "gdelt", "--count", "reports", "-o", str(gdelt))
    exported = gdelt.read_text(encoding="utf-8")
    assert rejected not in exported
    [row] = [line.split("\t") for line in exported.splitlines() if recoded in line]
    assert "036" in row and "2019" in row
    table = tmp / "events.csv"
    cli(db, "export", "--table", "events", "--format", "csv", "-o", str(table))
    with table.open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rejected not in rows
    assert (rows[recoded]["code"], rows[recoded]["date"]) == ("036", "2019-05")


def test_corrections_from_the_cli_and_the_browser_survive_re_ingesting(tmp_path: Path) -> None:
    corpus = one_article_corpus(tmp_path / "corpus")
    db = tmp_path / "store.db"
    cli(db, "ingest", str(corpus), "--json")
    rejected, recoded = two_events_of_their_own(db)
    cli(db, "correct", rejected["id"], "--reject", "--note", "a report, not a new act", "--analyst", "cli analyst")
    shots = Path(os.environ.get("DYADLENS_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with serving_for_writes(db) as url:
        correct_in_the_browser(url, recoded["doc_id"], recoded["id"], shots)
    assert (shots / "corrected-document.png").stat().st_size > 0
    made = cli(db, "--json", "corrections")
    assert [(c["action"], c["analyst"]) for c in made] == [
        ("reject", "cli analyst"), ("recode", "web analyst"), ("redate", "web analyst")]
    assert made[1]["note"] == "an offer to meet, <b>not</b> a meeting"
    check_corrections_hold(db, tmp_path, rejected["id"], recoded["id"])

    article = corpus / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nA paragraph added by the editor.\n", encoding="utf-8")
    report = cli(db, "ingest", "--replace", str(corpus), "--json")
    assert report["stored"] == [article.stem]
    check_corrections_hold(db, tmp_path, rejected["id"], recoded["id"])
