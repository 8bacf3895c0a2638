"""Search on both backends: stemmed words and both spellings of -ise/-ize, true totals beside a page,
facets counted over all the matches, filters with no words, and the rebuild of an old SQLite index."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.search import search_sentences
from dyadlens.cli import main
from dyadlens.errors import DyadlensError
from dyadlens.model import Document, DocumentRecords, Mention, Sentence
from dyadlens.resources import Resources
from dyadlens.store import HIGHLIGHT_END, HIGHLIGHT_START, open_store
from dyadlens.store.backend import other_spelling, with_spelling_variants
from dyadlens.store.migrations import MIGRATIONS

pytestmark = pytest.mark.fast

#: (sentence, outlet, published, actor mentioned first in it)
SENTENCES = [
    ("Moscow recognised the government in Kabul.", "Wire A", "2021-08-15", "russia"),
    ("Beijing has recognized the new authorities.", "Wire B", "2022-02-01", "china"),
    ("Tehran may recognise them later.", "Wire A", "2022-05-09", "iran"),
    ("The council imposed sanctions on the <b>group</b>.", "Wire B", "2023-01-10", "russia"),
    ("Washington will sanction the bank.", "Wire A", None, "usa"),
]

#: Sentences saying the same thing, to page through: 112 of them.
MANY = 112


def records(doc_id: str, text: str, outlet: str, published: str | None, actor: str) -> DocumentRecords:
    document = Document(id=doc_id, path=f"{doc_id}.txt", format="txt", text=text, outlet=outlet,
                        published=published, title=f"Title {doc_id}", content_hash=f"h-{doc_id}",
                        fingerprint=f"fp-{doc_id}")
    sentence = Sentence(f"{doc_id}-s0", doc_id, 0, 0, len(text), 0)
    name_end = text.index(" ")
    mention = Mention(f"{doc_id}-m0", doc_id, 0, name_end, 0, actor, "GPE", "alias")
    return DocumentRecords(document=document, sentences=[sentence], mentions=[mention])


def fill(store_url: str) -> None:
    with open_store(store_url) as store:
        for number, (text, outlet, published, actor) in enumerate(SENTENCES):
            store.write(records(f"d{number}", text, outlet, published, actor))
        for number in range(MANY):
            year = 2015 + number % 4
            store.write(records(f"talks-{number:03d}", f"Envoys held talks number {number} in Doha.",
                                f"Outlet {number % 3}", f"{year}-03-{1 + number % 28:02d}", "qatar"))


@pytest.fixture()
def ctx(store_url: str, model_free_resources: Resources) -> Iterator[AnalysisContext]:
    fill(store_url)
    store = open_store(store_url)
    yield AnalysisContext(store, model_free_resources.ontology, model_free_resources.kb)
    store.close()


def found(ctx: AnalysisContext, query: str, **filters: str) -> set[str]:
    return {r.doc_id for r in search_sentences(ctx, query, limit=500, **filters).results}


def test_either_spelling_and_any_form_finds_the_others(ctx: AnalysisContext) -> None:
    recognition = {"d0", "d1", "d2"}
    assert found(ctx, "recognised") == recognition
    assert found(ctx, "recognized") == recognition
    assert found(ctx, "recognise") == recognition
    assert found(ctx, "sanction") == {"d3", "d4"}
    assert found(ctx, "sanctions") == {"d3", "d4"}
    assert found(ctx, '"recognised the government"') == {"d0"}  # a phrase keeps its one spelling


def test_matches_are_highlighted_in_the_whole_sentence(ctx: AnalysisContext) -> None:
    [hit] = search_sentences(ctx, "group").results
    assert hit.evidence.text == SENTENCES[3][0]  # the stored text, markup included, escaped by the views
    assert [hit.evidence.text[a:b] for a, b in hit.matches] == ["group"]
    [hit] = search_sentences(ctx, "recognized", doc_id="d0").results
    assert [hit.evidence.text[a:b] for a, b in hit.matches] == ["recognised"]


def test_the_total_is_every_match_and_pages_follow_each_other(ctx: AnalysisContext) -> None:
    first = search_sentences(ctx, "talks", limit=50)
    assert (first.total, len(first.results)) == (MANY, 50)
    assert first.window is not None and first.window.shown == "1–50 of 112" and first.window.has_next
    last = search_sentences(ctx, "talks", limit=50, offset=100)
    assert len(last.results) == 12 and last.window is not None and not last.window.has_next
    pages = [search_sentences(ctx, "talks", limit=50, offset=o).results for o in (0, 50, 100)]
    assert len({r.doc_id for page in pages for r in page}) == MANY  # no row twice, none left out


def test_facets_count_all_matches_not_the_page(ctx: AnalysisContext) -> None:
    view = search_sentences(ctx, "talks", limit=5)
    assert view.facets is not None
    assert [(f.value, f.count) for f in view.facets.actor] == [("qatar", MANY)]
    assert sorted((f.value, f.count) for f in view.facets.outlet) == [("Outlet 0", 38), ("Outlet 1", 37),
                                                                      ("Outlet 2", 37)]
    assert [(f.value, f.count) for f in view.facets.year] == [("2015", 28), ("2016", 28), ("2017", 28),
                                                              ("2018", 28)]
    narrowed = search_sentences(ctx, "talks", outlet="Outlet 2", year="2016", limit=5)
    assert narrowed.total == sum(1 for n in range(MANY) if n % 3 == 2 and n % 4 == 1)


def test_filters_alone_list_the_sentences_they_admit(ctx: AnalysisContext) -> None:
    view = search_sentences(ctx, "", actor="russia", since="2021", until="2023-12")
    assert [r.doc_id for r in view.results] == ["d3", "d0"]  # newest first
    assert view.total == 2 and all(not r.matches for r in view.results)
    assert found(ctx, "", actor="russia", until="2022") == {"d0"}
    assert search_sentences(ctx, "", since="2024").total == 0
    with pytest.raises(DyadlensError, match="give words, or a filter"):
        search_sentences(ctx, "  ")


def test_an_undated_document_is_outside_any_period(ctx: AnalysisContext) -> None:
    assert found(ctx, "sanction") == {"d3", "d4"}
    assert found(ctx, "sanction", since="2000") == {"d3"}


def test_bad_syntax_is_searched_as_plain_words(ctx: AnalysisContext) -> None:
    assert found(ctx, 'recognized "') == {"d0", "d1", "d2"}
    assert search_sentences(ctx, "!!!").total == 0


def test_other_spelling() -> None:
    assert other_spelling("organisations") == "organizations"
    assert other_spelling("analyzed") == "analysed"
    assert other_spelling("rise") is None and other_spelling("talks") is None
    rewritten = with_spelling_variants('recognised -analysed "realised"')
    assert rewritten == '(recognised OR recognized) -analysed "realised"'


def test_cli_pages_and_exports_json(store_url: str) -> None:
    fill(store_url)
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", store_url, "search", "talks", "--limit", "10", "--offset", "110"])
    assert shown.exit_code == 0, shown.output
    assert "111–112 of 112 sentences" in shown.output
    as_json = runner.invoke(main, ["--db", store_url, "search", "recognized", "--json"])
    payload = json.loads(as_json.output)
    assert payload["total"] == 3 and {r["doc_id"] for r in payload["results"]} == {"d0", "d1", "d2"}
    alone = runner.invoke(main, ["--db", store_url, "search", "--actor", "russia", "--since", "2023"])
    assert alone.exit_code == 0 and "council imposed sanctions" in alone.output


def test_web_page_totals_facets_csv_and_escaping(store_url: str, model_free_resources: Resources) -> None:
    from dyadlens.web.app import WebApp
    from test_web_app import get

    fill(store_url)
    with open_store(store_url) as store:
        app = WebApp(store, model_free_resources.ontology, model_free_resources.kb)
        status, _, html = get(app, "/search?q=talks&page=5")  # 25 a page (web.views.SEARCH_PAGE)
        assert status.startswith("200") and "101–112 of 112" in html and "112 sentences found" in html
        assert "Outlet 0</a> (38)" in html or "Outlet 0 (38)" in html
        _, _, escaped = get(app, "/search?q=group")
        assert "&lt;b&gt;<mark>group</mark>&lt;/b&gt;" in escaped and "<b>group" not in escaped
        _, _, alone = get(app, "/search?actor=russia&since=2021")
        assert "2 sentences found" in alone and "recognised the government" in alone
        status, _, body = get(app, "/search.csv?q=talks&year=2015")
        assert status.startswith("200")
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == 25 and {r["published"][:4] for r in rows} == {"2015"}  # the first page of 28
        assert HIGHLIGHT_START not in body and HIGHLIGHT_END not in body


def test_an_old_sqlite_index_is_rebuilt_stemmed(tmp_path: object) -> None:
    from pathlib import Path

    from sqlalchemy import text

    from dyadlens.store import summaries

    path = Path(str(tmp_path)) / "old.db"
    fill(str(path))
    with open_store(path) as store, store.transaction() as conn:
        conn.execute(text("DROP TABLE sentence_search"))
        conn.execute(text("CREATE VIRTUAL TABLE sentence_search USING fts5(text, doc_id UNINDEXED, "
                          "tokenize = 'unicode61 remove_diacritics 2')"))
        conn.execute(text("INSERT INTO sentence_search(rowid, text, doc_id) VALUES (1, 'unstemmed', 'd0')"))
        # a store of 0008: the later steps undone, so that they run again after 0009
        summaries.drop_triggers(conn)
        for table in ("summary_dyads", "summary_actors", "summary_totals", "summary_months"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DELETE FROM schema_migrations WHERE position >= 9"))
    with open_store(path) as store:
        assert store.migrations() == [m.name for m in MIGRATIONS]
        assert {h.doc_id for h in store.search("sanction")} == {"d3", "d4"}
        assert store.integrity_check() == []
