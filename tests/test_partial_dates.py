"""Partial dates: parsing, bounds, overlap and order, and the SQL predicate the store filters with."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadlens.model import Document, DocumentRecords, Event, Sentence, stable_id
from dyadlens.partial_dates import InvalidDateError, PartialDate, check_date, overlaps
from dyadlens.store import EventQuery, Store, open_store


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2024", "year", "2024-01-01", "2024-12-31"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),  # leap year
        ("2023-02", "month", "2023-02-01", "2023-02-28"),
        ("1900-02", "month", "1900-02-01", "1900-02-28"),  # not a leap year: divisible by 100
        ("2000-02", "month", "2000-02-01", "2000-02-29"),  # a leap year: divisible by 400
        ("2024-04", "month", "2024-04-01", "2024-04-30"),
        ("2024-12", "month", "2024-12-01", "2024-12-31"),
        ("2024-02-29", "day", "2024-02-29", "2024-02-29"),
        (" 2024-03 ", "month", "2024-03-01", "2024-03-31"),
    ],
)
def test_parse_gives_precision_and_bounds(text: str, precision: str, first: str, last: str) -> None:
    date = PartialDate.parse(text)
    assert date.precision == precision
    assert (date.first_day.isoformat(), date.last_day.isoformat()) == (first, last)
    assert str(date) == text.strip()


@pytest.mark.parametrize(
    "text", ["2023-02-29", "1900-02-29", "2024-04-31", "2024-13", "2024-00", "2024-01-00", "0000", "24", "2024-3",
             "2024/03", "March 2024", "2024-03-12T10:00", ""],
)
def test_invalid_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidDateError):
        PartialDate.parse(text)
    assert PartialDate.parse_or_none(text) is None


def test_values_from_data_files() -> None:
    assert PartialDate.parse_or_none(2021) == PartialDate(2021)
    assert PartialDate.parse_or_none(datetime.date(2021, 8, 15)) == PartialDate(2021, 8, 15)
    assert PartialDate.parse_or_none(None) is None and PartialDate.parse_or_none(True) is None
    with pytest.raises(InvalidDateError):
        PartialDate(2024, None, 3)


def test_order_is_the_iso_string_order() -> None:
    texts = ["2024-03", "2023", "2024", "2024-01-01", "2024-02-29", "2024-01", "2023-12-31"]
    assert [str(d) for d in sorted(PartialDate.parse(t) for t in texts)] == sorted(texts)
    assert PartialDate(2024) < PartialDate(2024, 1) < PartialDate(2024, 1, 1) < PartialDate(2024, 2)


@pytest.mark.parametrize(
    ("date", "since", "until", "inside"),
    [
        ("2024", "2024-06-15", None, True),  # a year overlaps any later start within it
        ("2024-02", None, "2024-02-01", True),  # month vs day: the month's first day is in range
        ("2024-02", "2024-02-29", None, True),  # the month's last day (leap year)
        ("2023-02", "2023-03-01", None, False),
        ("2024-02-29", "2024-03", None, False),
        ("2024-03-01", None, "2024-02", False),
        ("2024", "2025", None, False),
        ("2024-12-31", "2024-12", "2024-12", True),
        ("2024-06", "2024", "2024", True),
    ],
)
def test_overlap_mixes_precisions(date: str, since: str | None, until: str | None, inside: bool) -> None:
    bounds = (PartialDate.parse(since) if since else None, PartialDate.parse(until) if until else None)
    assert PartialDate.parse(date).overlaps(*bounds) is inside
    assert overlaps(date, since, until) is inside


def test_undated_values_are_outside_a_bounded_period_only() -> None:
    assert overlaps(None, None, None) and not overlaps(None, "2024", None) and not overlaps(None, None, "2024")


def test_check_date_names_the_option() -> None:
    assert check_date(" 2024-02-29 ", "--since") == "2024-02-29"
    with pytest.raises(InvalidDateError, match="--until: '2023-02-29' is not a date"):
        check_date("2023-02-29", "--until")


@pytest.mark.parametrize(("text", "value"), [("2024", 2024.5), ("2024-07", 2024 + 6.5 / 12)])
def test_year_fraction_puts_a_coarse_date_mid_period(text: str, value: float) -> None:
    assert PartialDate.parse(text).year_fraction() == pytest.approx(value)


# --- the SQL predicate, on a real store -----------------------------------------------------

#: Event dates of the stored documents (None: undated), and the document dates.
EVENT_DATES = [
    "2023", "2023-12", "2023-12-31", "2024", "2024-01", "2024-01-01", "2024-02", "2024-02-28", "2024-02-29",
    "2024-03", "2024-03-01", "2024-12-31", "2025", None,
]
DOCUMENT_DATES = [None, "2024-02-10", "2024"]


def _records(doc_index: int, published: str | None) -> DocumentRecords:
    doc_id = f"doc-{doc_index}"
    text = " ".join(f"Event {i} happened." for i in range(len(EVENT_DATES)))
    sentences, events = [], []
    for index, date in enumerate(EVENT_DATES):
        start = text.index(f"Event {index} ")
        end = start + len(f"Event {index} happened.")
        sentences.append(Sentence(stable_id(doc_id, index), doc_id, index, start, end, 0))
        events.append(Event(stable_id(doc_id, "e", index), doc_id, start, end, index, start, start + 5,
                            "a", "b", "010", "asserted", date=date))
    document = Document(doc_id, f"{doc_id}.txt", "txt", text, published=published,
                        content_hash=doc_id, fingerprint=doc_id)
    return DocumentRecords(document=document, sentences=sentences, events=events)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_store(tmp_path_factory.mktemp("dates") / "dates.db")
    for index, published in enumerate(DOCUMENT_DATES):
        opened.write(_records(index, published))
    yield opened
    opened.close()


def _expected(since: str | None, until: str | None, document_dates: bool) -> list[tuple[str, str | None]]:
    expected = []
    for index, published in enumerate(DOCUMENT_DATES):
        for date in EVENT_DATES:
            placed = date or published if document_dates else date
            if overlaps(placed, since, until):
                expected.append((f"doc-{index}", date))
    return sorted(expected, key=str)


_prefixes = st.dates(datetime.date(2022, 11, 1), datetime.date(2026, 2, 1)).flatmap(
    lambda d: st.sampled_from([str(d.year), f"{d.year}-{d.month:02d}", d.isoformat()])
)


@given(since=st.none() | _prefixes, until=st.none() | _prefixes, document_dates=st.booleans())
def test_sql_predicate_agrees_with_the_python_overlap(
    store: Store, since: str | None, until: str | None, document_dates: bool
) -> None:
    query = EventQuery(since=since, until=until, document_dates=document_dates)
    found = sorted(((e.doc_id, e.date) for e in store.events(query)), key=str)
    assert found == _expected(since, until, document_dates)


def test_placed_events_come_in_the_views_order(store: Store) -> None:
    placed = store.placed_events(EventQuery(doc_id="doc-1"))
    dates = [p.date for p in placed]
    assert dates.index("2024-02-10") == dates.index("2024-02") + 1  # the undated event, at its document's date
    assert dates == sorted(dates, key=lambda d: PartialDate.parse(d or "9999"))
    assert [p.date for p in store.placed_events(EventQuery(doc_id="doc-0"))][-1] is None  # no date at all: last


def test_the_store_refuses_a_bad_bound(store: Store) -> None:
    with pytest.raises(InvalidDateError):
        store.events(EventQuery(since="2024-02-30"))

