"""Actor and person pages (issue #14, part A): persons listed, resolved case-insensitively and by
surname, a person's quotes and events in role, candidates for an ambiguous name, mentions in context,
and, in Chromium, pages of the demo store no taller than four screens until the user asks for more."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from analysis_corpus import DocBuilder, corpus
from dyadlens.analysis.actors import AmbiguousActorError, actor_table, resolve_actor
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.profile import MENTIONS_PAGE, actor_profile
from dyadlens.cli import main
from dyadlens.model import ActorRef, DocumentRecords, Mention, Person, stable_id
from dyadlens.resources import Resources
from dyadlens.store import Store, open_store
from dyadlens.web.app import WebApp
from test_web_app import get

VELMORA = "unresolved:velmora-foundation"
ORLOV = "unresolved:pavel-orlov"


def _person_mention(doc: DocBuilder, index: int, words: str, actor_id: str, person: str) -> None:
    doc.mention(index, words, actor_id)
    doc.records.mentions[-1] = dataclasses.replace(doc.records.mentions[-1], person=person)


def _velmora_mentions(doc: DocBuilder, count: int) -> None:
    doc.records.actors.append(ActorRef(VELMORA, "Velmora Foundation", "unknown", resolved=False))
    for index in range(3, 3 + count):
        start, end = doc.span(index, "Velmora Foundation")
        doc.records.mentions.append(Mention(stable_id(doc.doc_id, start, end, "m"), doc.doc_id, start, end, index,
                                            VELMORA, "ORG", "unresolved"))


def kabulov_talks() -> DocumentRecords:
    velmora = [f"The Velmora Foundation <b>report {n}</b> named no donors." for n in range(12)]
    doc = DocBuilder("kabulov-talks", [
        "Zamir Kabulov said Moscow would host the Taliban in October.",
        '"We talk to everyone," Kabulov said.',
        "Deputy minister Pavel Orlov accused the Taliban of delays.",
        *velmora,
    ], "2021-10-21", "Steppe Wire", "Kabulov on the talks")
    _person_mention(doc, 0, "Zamir Kabulov", "russia", "zamir-kabulov")
    doc.mention(0, "Taliban", "taliban")
    _person_mention(doc, 1, "Kabulov", "russia", "zamir-kabulov")
    _person_mention(doc, 2, "Pavel Orlov", "russia", ORLOV)
    doc.mention(2, "Taliban", "taliban")
    doc.event(0, "host", "russia", "taliban", "042", "planned", "2021-10")
    doc.event(2, "accused", "russia", "taliban", "112", "asserted", "2021-10-20")
    doc.quote(1, "We talk to everyone,", "Zamir Kabulov", "russia")
    start, end = doc.span(2, "Pavel Orlov")
    doc.records.persons.append(Person(stable_id(doc.doc_id, start, "p"), doc.doc_id, start, end, 2, "Pavel Orlov",
                                      "russia", "deputy minister"))
    _velmora_mentions(doc, len(velmora))
    return doc.records


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    for records in [*corpus(), kabulov_talks()]:
        opened.write(records)
    yield opened
    opened.close()


@pytest.fixture()
def ctx(store: Store, resources: Resources) -> AnalysisContext:
    return AnalysisContext(store, resources.ontology, resources.kb)


@pytest.mark.parametrize(("typed", "actor_id"), [
    ("kabulov", "zamir-kabulov"), ("KABULOV", "zamir-kabulov"), ("lavrov", "sergey-lavrov"), ("isis-k", "iskp"),
    ("Taliban", "taliban"), (ORLOV, ORLOV), ("velmora foundation", VELMORA),
])
def test_names_resolve_case_insensitively(ctx: AnalysisContext, typed: str, actor_id: str) -> None:
    assert resolve_actor(ctx.store, ctx.kb, typed) == actor_id


def test_an_ambiguous_name_carries_its_candidates(ctx: AnalysisContext) -> None:
    with pytest.raises(AmbiguousActorError) as raised:
        resolve_actor(ctx.store, ctx.kb, "clinton")
    assert raised.value.candidates == ["bill-clinton", "hillary-clinton"]


def test_persons_are_listed_as_actors_of_type_person(ctx: AnalysisContext) -> None:
    rows = {row.id: row for row in actor_table(ctx.store, actor_type="person", kb=ctx.kb)}
    assert set(rows) == {"zamir-kabulov", ORLOV}
    assert (rows["zamir-kabulov"].name, rows["zamir-kabulov"].mentions, rows["zamir-kabulov"].resolved) == (
        "Zamir Kabulov", 2, True)
    assert (rows[ORLOV].name, rows[ORLOV].resolved) == ("Pavel Orlov", False)


def test_a_person_profile_has_quotes_events_in_role_and_affiliations(ctx: AnalysisContext) -> None:
    profile = actor_profile(ctx, "zamir-kabulov")
    assert profile.person is not None and profile.summary is not None
    assert [q.text for q in profile.person.quotes] == ["We talk to everyone,"]
    assert [(e.role, e.acting_for, e.event.code) for e in profile.person.events] == [("source", "russia", "042")]
    corpus_side = [a for a in profile.person.affiliations if a.source == "corpus"]
    assert [(a.actor, a.first, a.mentions) for a in corpus_side] == [("russia", "2021-10-21", 2)]
    assert any(a.source == "kb" and a.actor == "russia" for a in profile.person.affiliations)
    assert (profile.summary.kind, profile.summary.events, profile.summary.quotes_by, profile.summary.mentions) == (
        "person", 1, 1, 2)


def test_a_person_found_through_a_title_has_a_page(ctx: AnalysisContext) -> None:
    profile = actor_profile(ctx, ORLOV)
    assert profile.person is not None and (profile.name, profile.resolved) == ("Pavel Orlov", False)
    assert [(e.role, e.event.code) for e in profile.person.events] == [("source", "112")]


def test_an_unresolved_name_shows_its_mentions_in_their_sentences_paged(ctx: AnalysisContext) -> None:
    first = actor_profile(ctx, VELMORA)
    second = actor_profile(ctx, VELMORA, mentions_offset=MENTIONS_PAGE)
    assert first.mentions_window is not None and first.mentions_window.total == 12
    assert len(first.mentions) == MENTIONS_PAGE and len(second.mentions) == 12 - MENTIONS_PAGE
    mention = first.mentions[0]
    expected = ("The ", "Velmora Foundation", " <b>report 0</b> named no donors.")
    assert (mention.before, mention.text, mention.after) == expected


@pytest.fixture()
def app(store: Store, resources: Resources) -> WebApp:
    return WebApp(store, resources.ontology, resources.kb)


def test_person_page_on_the_web_by_surname(app: WebApp) -> None:
    status, _, html = get(app, "/actor/kabulov")
    assert status == "200 OK"
    assert "We talk to everyone," in html and "Events in a role" in html and "source for" in html
    payload = json.loads(get(app, "/api/actor/Kabulov")[2])
    assert payload["id"] == "zamir-kabulov" and payload["person"]["quotes_total"] == 1


def test_an_ambiguous_name_lists_candidates_instead_of_a_404(app: WebApp) -> None:
    status, _, html = get(app, "/actor/clinton")
    assert status == "200 OK"
    assert 'href="/actor/bill-clinton"' in html and 'href="/actor/hillary-clinton"' in html


def test_mentions_in_context_are_highlighted_escaped_and_paged(app: WebApp) -> None:
    html = get(app, f"/actor/{VELMORA}")[2]
    assert "<mark>Velmora Foundation</mark> &lt;b&gt;report 0&lt;/b&gt;" in html and "<b>report" not in html
    assert "mentions=2#mentions" in html
    second = get(app, f"/actor/{VELMORA}?mentions=2")[2]
    assert "report 11" in second and "report 0&lt;" not in second


def test_office_holders_are_folded_away(app: WebApp) -> None:
    html = get(app, "/actor/russia")[2]
    assert re.search(r'<details class="office-holders"><summary>Roles and office holders', html)
    assert html.index('id="summary"') < html.index("<h2>Timeline</h2>") < html.index("office-holders")


def test_cli_lists_persons_and_profiles_lower_case_names(store: Store, store_url: str) -> None:
    persons = CliRunner().invoke(main, ["--db", store_url, "actors", "--type", "person"])
    assert persons.exit_code == 0, persons.output
    assert "zamir-kabulov" in persons.output and "Pavel Orlov" in persons.output
    profile = CliRunner().invoke(main, ["--db", store_url, "profile", "isis-k"])
    assert profile.exit_code == 0 and "[iskp]" in profile.output


# -- the demo store in Chromium ---------------------------------------------------------------------------

SCREEN = 900
DEMO_PAGES = ["/actor/taliban", "/actor/russia", "/actor/zamir-kabulov", "/actor/kabulov",
              "/actor/unresolved:pavel-sorokin"]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Iterator[str]:
    from test_web_browser import _serving

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    corpus_dirs = [str(examples_dir), str(examples_dir.parent / "discourse")]
    subprocess.run([sys.executable, "-c", "from dyadlens.cli import run; run()", "--db", str(db), "ingest",
                    *corpus_dirs], check=True, capture_output=True)
    with _serving(db) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("path", DEMO_PAGES)
def test_demo_actor_pages_fit_four_screens(demo_server: str, path: str, tmp_path: Path) -> None:
    from test_web_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page: Any = browser.new_page(viewport={"width": 1280, "height": SCREEN})
        page.goto(demo_server + path)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(tmp_path / "actor.png"), full_page=True)
        summary = page.locator("#summary").inner_text()
        browser.close()
    assert height <= 4 * SCREEN, f"{path} is {height}px tall"
    assert "mentions" in summary
