"""The identity step's candidate search bounded by date (``store_sync._dates_met``) against the unbounded
search it replaces, on both backends: the bound selects exactly the members ``date_score`` can pair a
report with, and a store's clusters come out the same with and without it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, select, true

from analysis_corpus import DocBuilder
from dyadlens.identity.compatibility import dates_overlap
from dyadlens.model import DocumentRecords
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.runner import ingest
from dyadlens.store import open_store, schema

store_sync = importlib.import_module("dyadlens.identity.store_sync")  # after the store, which imports it

#: Member dates of one dyad and code: undated, every precision, ends of months and years.
DATES = [None, "2023", "2023-12", "2023-12-31", "2024", "2024-01", "2024-01-01", "2024-02", "2024-02-29",
         "2024-03", "2024-03-02", "2024-03-20", "2025", "2025-03-02"]
#: Report dates asked about: the same, plus one that is no date (it meets undated members only).
ASKED = [*DATES, "2024-3", "not a date"]


def _document(number: int, date: str | None) -> DocumentRecords:
    words = " ".join(f"{number:02d}w{letter}" for letter in "abc")  # wording of its own: no chains of undated reports
    doc = DocBuilder(f"bound-{number:02d}", [f"Russia listed the Taliban over {words}."],
                     "2025-06-01", f"Outlet {number % 3}", f"Report {number}")
    doc.mention(0, "Russia", "russia")
    doc.mention(0, "Taliban", "taliban")
    doc.event(0, "listed", "russia", "taliban", "172", "asserted", date)
    return doc.records


@pytest.fixture()
def dated_store(store_url: str) -> Iterator[str]:
    """One Russia-Taliban listing report a document, at each of the dates, twice over."""
    store = open_store(store_url)
    try:
        for number, date in enumerate(DATES * 2):
            store.write(_document(number, date))
    finally:
        store.close()
    yield store_url


def _meets(report_date: str | None, member_date: str | None) -> bool:
    """What ``identity.core.date_score`` lets through: an undated side, or overlapping dates."""
    return report_date is None or member_date is None or dates_overlap(report_date, member_date)


def _matching_dates(url: str, bound: ColumnElement[bool]) -> list[str | None]:
    e = schema.events
    with open_store(url) as store, store.reader() as conn:
        return sorted(conn.scalars(select(e.c.date).where(bound)), key=lambda d: d or "")


@pytest.mark.parametrize("asked", [{date} for date in ASKED] + [{"2023", "2024-03-02"}, {"2024-02", "not a date"}])
def test_the_bound_selects_exactly_the_members_the_dates_can_meet(dated_store: str, asked: set[str | None]) -> None:
    found = _matching_dates(dated_store, store_sync._dates_met(asked))
    expected = sorted((d for d in DATES * 2 if any(_meets(a, d) for a in asked)), key=lambda d: d or "")
    assert found == expected
    assert (len(found) < len(DATES) * 2) == (None not in asked)


def _clusters(url: str) -> tuple[list[tuple[str, str | None]], list[tuple[object, ...]]]:
    e, c = schema.events, schema.clusters
    with open_store(url) as store, store.reader() as conn:
        members = list(conn.execute(select(e.c.id, e.c.cluster).order_by(e.c.id)).tuples())
        rows = list(conn.execute(select(c).order_by(c.c.id)).tuples())
    return members, rows


def _rebuilt(url: str, monkeypatch: pytest.MonkeyPatch, bounded: bool) -> tuple[object, int]:
    """The clusters after ``clusters --rebuild``, and how many stored clusters the searches returned."""
    searched = 0
    search = store_sync._candidates

    def counted(sync: object, reports: list[object]) -> set[str]:
        nonlocal searched
        found: set[str] = search(sync, reports)
        searched += len(found)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(store_sync, "_candidates", counted)
        if not bounded:  # the search as it was: every member of the dyad and root, whatever its date
            patch.setattr(store_sync, "_dates_met", lambda _dates: true())
        with open_store(url) as store, store.transaction() as conn:
            store_sync.rebuild_clusters(conn)
    return _clusters(url), searched


def test_bounded_and_unbounded_searches_give_the_same_clusters(dated_store: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    written = _clusters(dated_store)
    bounded, bounded_searched = _rebuilt(dated_store, monkeypatch, bounded=True)
    unbounded, unbounded_searched = _rebuilt(dated_store, monkeypatch, bounded=False)
    assert bounded == unbounded == written
    assert len({cluster for _, cluster in written[0]}) > 3  # the dates keep several events apart
    assert bounded_searched < unbounded_searched


def test_an_ingested_corpus_gets_the_same_clusters_without_the_bound(store_url: str, examples_dir: Path,
                                                                     resources: Resources,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_url) as store:
        ingest([examples_dir], store, build_pipeline(resources))
    written = _clusters(store_url)
    unbounded, _ = _rebuilt(store_url, monkeypatch, bounded=False)
    assert unbounded == written
    assert len(written[1]) > 10
