"""Full-text search over sentences, filtered by actor, period and document, with facets.

Everything is read from one SQL statement's set of sentences: the store's
stemmed index gives the matching rows (:meth:`Backend.matches`), joined to the
sentences and their documents and filtered there (``actor``: the sentence
mentions that actor, or a person under that id; ``since``/``until``: the
document's publication date overlaps the period, undated documents are out
once a period is given; ``doc_id``: one document). The set's rows (their
document's head and the score, no text) are read once; the total, the facets
(actor, outlet, year, with counts: one more statement for the actors mentioned)
and the page shown (its words cut from the text in SQL) come from them. With no
words, the filters alone choose the sentences (every analysed sentence they
admit, newest document first).

The set is bounded (:data:`MATCH_BOUND`): a search reads the matching sentences
most recently stored first (FTS5 and PostgreSQL both give them by row, newest
first, without reading the rest) and stops at ``bound + 1``. When no more than
``bound`` match, the total, the facets and the pages are exact. When more match
(two common words over 15 million sentences), the view says so: ``total`` is the
bound, ``total_is_lower_bound`` is set, and the facets, the ranking and the pages
are those of the ``bound`` most recently stored matches, as the page states.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, literal, or_, select

from dyadlens.analysis.common import PAGE_SIZE, AnalysisContext, Evidence, Window
from dyadlens.errors import DyadlensError
from dyadlens.exports.csv_safety import neutralise
from dyadlens.partial_dates import check_date, overlaps_sql, parse_bound
from dyadlens.store import HIGHLIGHT_END, HIGHLIGHT_START, schema

#: How many values each facet lists (the most frequent first).
FACET_SIZE = 10

#: At most this many matching sentences are counted, faceted and ranked (see the module).
MATCH_BOUND = 10_000

#: The orders a search may be sorted in; ``relevance`` needs words.
SORTS = ("relevance", "newest", "oldest")

S, D, M = schema.sentences, schema.documents, schema.mentions


@dataclass(frozen=True, slots=True)
class SearchResult:
    doc_id: str
    doc_title: str | None
    outlet: str | None
    published: str | None
    evidence: Evidence
    actors: list[str]  # ids of the actors mentioned in the sentence
    actor_names: list[str]  # their names, in the same order
    score: float  # the index's relevance, higher is better (0 when searching by filters alone)
    matches: list[tuple[int, int]]  # spans of the matched words, relative to the sentence
    duplicate_of: str | None = None  # the document repeats this earlier one (its hits repeat too)


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int  # matching sentences with this value


@dataclass(frozen=True, slots=True)
class SearchFacets:
    actor: list[FacetValue]
    outlet: list[FacetValue]
    year: list[FacetValue]


@dataclass(frozen=True, slots=True)
class SearchView:
    query: str
    actor: str | None
    since: str | None
    until: str | None
    doc_id: str | None
    results: list[SearchResult]
    total: int = 0  # every matching sentence, not only those shown
    window: Window | None = None
    facets: SearchFacets | None = None
    sort: str = "relevance"
    outlet: str | None = None
    year: str | None = None
    total_is_lower_bound: bool = False  # more than ``total`` match; facets and pages are over ``total`` of them
    bound: int | None = None  # the most matches counted (None: every match)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search asks for besides its words."""

    actor: str | None = None
    since: str | None = None
    until: str | None = None
    doc_id: str | None = None
    outlet: str | None = None
    year: str | None = None

    def given(self) -> bool:
        return any(value is not None for value in (self.actor, self.since, self.until, self.doc_id, self.outlet,
                                                     self.year))


def search_sentences(
    ctx: AnalysisContext,
    query: str,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    doc_id: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    sort: str | None = None,
    outlet: str | None = None,
    year: str | None = None,
    bound: int | None = MATCH_BOUND,
) -> SearchView:
    """One page of the sentences matching ``query`` and the filters, their total and facets: exact up to
    ``bound`` matches, past it over the ``bound`` most recently stored (``None``: every match, exact)."""
    query = query.strip()
    filters = SearchFilters(actor, check_date(since, "since"), check_date(until, "until"), doc_id, outlet,
                            _check_year(year))
    if not query and not filters.given():
        raise DyadlensError("empty search query: give words, or a filter (actor, period, document, outlet, year)")
    sort = _check_sort(sort or ("relevance" if query else "newest"), query)
    if doc_id is not None:
        ctx.require_document(doc_id)
    with ctx.store.reader() as conn:
        found = _matching(ctx, conn, query, filters)
        read = list(conn.execute(found if bound is None else _most_recent(found).limit(bound + 1)))
        beyond = bound is not None and len(read) > bound
        hits = read[:bound] if beyond else read
        page = _ordered(hits, sort)[offset:offset + limit]
        mentioned = _mentioned(conn, [row.row for row in page])
        actors = _actor_counts(conn, found, hits)
        texts = _texts(conn, [row.row for row in page])
        snippets = ctx.store.backend.snippets(conn, query, [row.row for row in page]) if query else {}
    facets = _facets(ctx, hits, actors)
    ctx.load_names(a for row in page for a in mentioned.get(row.row, []))
    results = [_result(ctx, row, texts.get(row.row, ""), snippets.get(row.row, ""), mentioned.get(row.row, []))
               for row in page]
    total = len(hits)
    return SearchView(query=query, actor=actor, since=filters.since, until=filters.until, doc_id=doc_id,
                      results=results, total=total, window=Window(offset, limit, total), facets=facets, sort=sort,
                      outlet=outlet, year=filters.year, total_is_lower_bound=beyond, bound=bound)


def _most_recent(found: Select[Any]) -> Select[Any]:
    """The matches most recently stored first: the order the index gives them in without reading the rest."""
    return found.order_by(found.selected_columns.row.desc())


def _check_year(year: str | None) -> str | None:
    if year is not None and not re.fullmatch(r"\d{4}", year.strip()):
        raise DyadlensError(f"year must be four digits, not {year!r}")
    return year.strip() if year is not None else None


def _check_sort(sort: str, query: str) -> str:
    if sort not in SORTS:
        raise DyadlensError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if sort == "relevance" and not query:
        return "newest"
    return sort


def _matching(ctx: AnalysisContext, conn: Connection, query: str, filters: SearchFilters) -> Select[Any]:
    """The matching sentences: row, id, where they lie, their document's head and the score."""
    columns = (S.c.id, S.c.doc_id, S.c.index, S.c.start, S.c.end, D.c.seq, D.c.title, D.c.outlet,
               D.c.published, D.c.duplicate_of)
    joined = S.join(D, D.c.id == S.c.doc_id)
    if query:  # the row as the index gives it, so that ordering by it reads the index in its own order
        hits = ctx.store.backend.matches(conn, query)
        statement = select(hits.c.row, *columns, hits.c.score).select_from(joined.join(hits, hits.c.row == S.c.row))
    else:
        statement = select(S.c.row, *columns, literal(0.0).label("score")).select_from(joined)
    return statement.where(S.c.analysed.is_(True), *_conditions(filters))


def _conditions(filters: SearchFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.doc_id is not None:
        conditions.append(S.c.doc_id == filters.doc_id)
    if filters.outlet is not None:
        conditions.append(D.c.outlet == filters.outlet)
    if filters.year is not None:
        conditions.append(func.substr(D.c.published, 1, 4) == filters.year)
    if filters.since is not None or filters.until is not None:
        conditions.append(overlaps_sql(D.c.published, parse_bound(filters.since), parse_bound(filters.until)))
    if filters.actor is not None:
        named = or_(M.c.actor_id == filters.actor, M.c.person == filters.actor)
        conditions.append(exists().where(_in_sentence(), named))
    return conditions


def _in_sentence() -> Any:
    """A mention is in the sentence ``S`` (its stored sentence: ``ix_mentions_doc_sentence``, since 0009)."""
    return and_(M.c.doc_id == S.c.doc_id, M.c.sentence_index == S.c.index)


def _ordered(hits: list[Any], sort: str) -> list[Any]:
    """The hits in the order asked: relevance (then row), or by publication date (undated last), then
    the document's place in the store and the sentence's in the document; as SQL ordered them (text in
    code-point order, which both backends use)."""
    if sort == "relevance":
        return sorted(hits, key=lambda r: (-r.score, r.row))
    if sort == "oldest":
        return sorted(hits, key=lambda r: (r.published is None, r.published or "", r.seq, r.index))
    newest = sorted(hits, key=lambda r: r.index)  # stable sorts, the least significant key first
    newest.sort(key=lambda r: r.seq, reverse=True)
    newest.sort(key=lambda r: r.published or "", reverse=True)
    newest.sort(key=lambda r: r.published is None)
    return newest


def _facets(ctx: AnalysisContext, hits: list[Any], actors: Counter[str]) -> SearchFacets:
    """The most frequent actors (``actors``: sentences mentioning them), outlets and years of the hits."""
    actor_counts = _top(actors)
    outlets = _top(Counter(r.outlet for r in hits if r.outlet is not None))
    years = _top(Counter(str(r.published)[:4] for r in hits if r.published is not None))
    ctx.load_names(value for value, _ in actor_counts)
    return SearchFacets(
        actor=[FacetValue(value, ctx.actor_name(value) or value, n) for value, n in actor_counts],
        outlet=[FacetValue(value, value, n) for value, n in outlets],
        year=sorted((FacetValue(value, value, n) for value, n in years), key=lambda f: f.value),
    )


def _top(counted: Counter[str]) -> list[tuple[str, int]]:
    """The ``FACET_SIZE`` most frequent values, ties by value."""
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]


def _texts(conn: Connection, rows: list[int]) -> dict[int, str]:
    """The words of the sentences of these rows, cut from their documents' text in SQL."""
    if not rows:
        return {}
    words = func.substr(D.c.text, S.c.start + 1, S.c.end - S.c.start)
    found = select(S.c.row, words).select_from(S.join(D, D.c.id == S.c.doc_id)).where(S.c.row.in_(rows))
    return {int(row): text or "" for row, text in conn.execute(found)}


def _actor_counts(conn: Connection, found: Select[Any], hits: list[Any]) -> Counter[str]:
    """How many of the hits mention each actor, counted in SQL: the hits are the matches from the oldest hit's
    row on (they are the most recently stored ones), read again as such rather than listed (10,000 rows)."""
    if not hits:
        return Counter()
    within = found.where(found.selected_columns.row >= min(row.row for row in hits)).subquery()
    counted = (select(M.c.actor_id, func.count(func.distinct(within.c.row)))
               .select_from(within.join(M, and_(M.c.doc_id == within.c.doc_id, M.c.sentence_index == within.c.index)))
               .where(M.c.actor_id.is_not(None)).group_by(M.c.actor_id))
    return Counter({str(actor): int(n) for actor, n in conn.execute(counted)})


def _mentioned(conn: Connection, rows: list[int]) -> dict[int, list[str]]:
    """The actors mentioned in each sentence (by row), sorted."""
    if not rows:
        return {}
    found = (select(S.c.row, M.c.actor_id).distinct().select_from(S.join(M, _in_sentence()))
             .where(S.c.row.in_(rows), M.c.actor_id.is_not(None)))
    mentioned: dict[int, list[str]] = {}
    for row in conn.execute(found.order_by(S.c.row, M.c.actor_id)):
        mentioned.setdefault(int(row.row), []).append(row.actor_id)
    return mentioned


def _result(ctx: AnalysisContext, row: Any, text: str, snippet: str, mentioned: list[str]) -> SearchResult:
    evidence = Evidence(row.doc_id, row.start, row.end, text, row.index)
    return SearchResult(
        doc_id=row.doc_id,
        doc_title=row.title,
        outlet=row.outlet,
        published=row.published,
        evidence=evidence,
        actors=mentioned,
        actor_names=[ctx.actor_name(a) or a for a in mentioned],
        score=round(float(row.score), 3),
        matches=matched_spans(text, snippet),
        duplicate_of=row.duplicate_of,
    )


def matched_spans(text: str, snippet: str) -> list[tuple[int, int]]:
    """Where the words the index marked in its snippet occur in the whole sentence."""
    words = set(re.findall(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_END}", snippet))
    spans = {
        (m.start(), m.end())
        for word in words if word.strip()
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE)
    }
    return sorted(spans)


#: The columns of ``/search.csv``, in order.
CSV_COLUMNS = ("doc_id", "title", "outlet", "published", "sentence_index", "start", "end", "actors", "score",
               "sentence")


def search_csv(view: SearchView) -> str:
    """The results shown, as CSV with a header line: the sentence on one line, formula-like text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in view.results:
        values = (r.doc_id, r.doc_title or "", r.outlet or "", r.published or "", r.evidence.sentence_index,
                  r.evidence.start, r.evidence.end, "; ".join(r.actor_names), r.score,
                  " ".join(r.evidence.text.split()))
        writer.writerow([neutralise(value) for value in values])
    return out.getvalue()
