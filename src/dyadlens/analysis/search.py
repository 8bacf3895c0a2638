"""Full-text search over sentences, filtered by actor, period and document, with facets.

Everything is one SQL statement over the same set of sentences: the store's
stemmed index gives the matching rows (:meth:`Backend.matches`), joined to the
sentences and their documents and filtered there (``actor``: the sentence
mentions that actor, or a person under that id; ``since``/``until``: the
document's publication date overlaps the period, undated documents are out
once a period is given; ``doc_id``: one document). The true total, the facets
(actor, outlet, year, with counts) and the page shown are each an aggregate or
a slice of that set. With no words, the filters alone choose the sentences
(every analysed sentence they admit, newest document first).
"""

from __future__ import annotations

import csv
import io
import re
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
) -> SearchView:
    """One page of the sentences matching ``query`` and the filters, their true total and facets."""
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
        total = int(conn.scalar(select(func.count()).select_from(found.subquery())) or 0)
        facets = _facets(ctx, conn, found)
        sentence_text = func.substr(D.c.text, S.c.start + 1, S.c.end - S.c.start).label("text")
        page = list(conn.execute(_ordered(found, sort).add_columns(sentence_text).limit(limit).offset(offset)))
        snippets = ctx.store.backend.snippets(conn, query, [row.row for row in page]) if query else {}
        mentioned = _mentioned(conn, [row.id for row in page])
    ctx.load_names(a for actors in mentioned.values() for a in actors)
    results = [_result(ctx, row, snippets.get(row.row, ""), mentioned.get(row.id, [])) for row in page]
    return SearchView(query=query, actor=actor, since=filters.since, until=filters.until, doc_id=doc_id,
                      results=results, total=total, window=Window(offset, limit, total), facets=facets, sort=sort,
                      outlet=outlet, year=filters.year)


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
    columns = (S.c.row, S.c.id, S.c.doc_id, S.c.index, S.c.start, S.c.end, D.c.seq, D.c.title, D.c.outlet,
               D.c.published, D.c.duplicate_of)
    joined = S.join(D, D.c.id == S.c.doc_id)
    if query:
        hits = ctx.store.backend.matches(conn, query)
        statement = select(*columns, hits.c.score).select_from(joined.join(hits, hits.c.row == S.c.row))
    else:
        statement = select(*columns, literal(0.0).label("score")).select_from(joined)
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


def _ordered(found: Select[Any], sort: str) -> Select[Any]:
    if sort == "relevance":
        return found.order_by(found.selected_columns.score.desc(), S.c.row)
    if sort == "oldest":
        return found.order_by(D.c.published.asc().nulls_last(), D.c.seq, S.c.index)
    return found.order_by(D.c.published.desc().nulls_last(), D.c.seq.desc(), S.c.index)


def _facets(ctx: AnalysisContext, conn: Connection, found: Select[Any]) -> SearchFacets:
    hits = found.subquery()
    year = func.substr(hits.c.published, 1, 4)
    actors = (select(M.c.actor_id, func.count(func.distinct(hits.c.row)).label("n"))
              .select_from(hits.join(M, and_(M.c.doc_id == hits.c.doc_id, M.c.sentence_index == hits.c.index)))
              .where(M.c.actor_id.is_not(None)).group_by(M.c.actor_id))
    outlets = select(hits.c.outlet, func.count().label("n")).where(hits.c.outlet.is_not(None)).group_by(hits.c.outlet)
    years = select(year.label("year"), func.count().label("n")).where(hits.c.published.is_not(None)).group_by(year)
    actor_counts = _top(conn, actors)
    ctx.load_names(value for value, _ in actor_counts)
    return SearchFacets(
        actor=[FacetValue(value, ctx.actor_name(value) or value, n) for value, n in actor_counts],
        outlet=[FacetValue(value, value, n) for value, n in _top(conn, outlets)],
        year=sorted((FacetValue(value, value, n) for value, n in _top(conn, years)), key=lambda f: f.value),
    )


def _top(conn: Connection, counted: Select[Any]) -> list[tuple[str, int]]:
    """The ``FACET_SIZE`` most frequent values of a (value, count) aggregate, ties by value."""
    value, n = counted.selected_columns
    return [(str(v), int(c)) for v, c in conn.execute(counted.order_by(n.desc(), value).limit(FACET_SIZE))]


def _mentioned(conn: Connection, sentence_ids: list[str]) -> dict[str, list[str]]:
    """The actors mentioned in each sentence (by sentence id), sorted."""
    if not sentence_ids:
        return {}
    found = (select(S.c.id, M.c.actor_id).distinct().select_from(S.join(M, _in_sentence()))
             .where(S.c.id.in_(sentence_ids), M.c.actor_id.is_not(None)))
    mentioned: dict[str, list[str]] = {}
    for row in conn.execute(found.order_by(S.c.id, M.c.actor_id)):
        mentioned.setdefault(row.id, []).append(row.actor_id)
    return mentioned


def _result(ctx: AnalysisContext, row: Any, snippet: str, mentioned: list[str]) -> SearchResult:
    evidence = Evidence(row.doc_id, row.start, row.end, row.text, row.index)
    return SearchResult(
        doc_id=row.doc_id,
        doc_title=row.title,
        outlet=row.outlet,
        published=row.published,
        evidence=evidence,
        actors=mentioned,
        actor_names=[ctx.actor_name(a) or a for a in mentioned],
        score=round(float(row.score), 3),
        matches=matched_spans(row.text, snippet),
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
