"""What every explorer shares: facets counted in SQL, the true total, sorting, one page of rows, CSV.

An explorer lists the rows of one SQL ``FROM`` (documents, quotes joined to
their documents, ...) under one ``WHERE``: the filters chosen, each a facet's
value or a condition of its own. The page of rows is one ``LIMIT``/``OFFSET``
statement, the total one ``COUNT``, each facet one ``GROUP BY`` under the same
condition (so choosing a value narrows the other facets' counts). The events
explorer (:mod:`dyadlens.analysis.explorer`) uses the same pieces over its own
query; :func:`explore_table` puts them together for the simpler tables.

Bounded (the default, :data:`COUNT_BOUND`): the total and the facets are read
together, at most ``bound + 1`` matching rows in the order shown (only the
facets' values, :func:`read_in_order`), counted in Python. When no more than
``bound`` rows match, that is the exact total and the exact counts (the same as
the ``COUNT`` and ``GROUP BY`` statements, which ``bound=None`` runs); when more
match, the total is ``bound`` with ``total_is_lower_bound`` set ("more than
10,000"), and the facets count the first ``bound`` rows in the order shown.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, FromClause, Select, String, func, select, tuple_

from dyadlens.analysis.common import AnalysisContext, Evidence, Window, check_window
from dyadlens.errors import DyadlensError
from dyadlens.exports.csv_safety import neutralise
from dyadlens.store import schema

#: Rows per explorer page: 25 rows with their sentences stay within about four screens.
EXPLORER_PAGE = 25
#: Values listed per facet (the most frequent first).
FACET_VALUES = 12
#: Matching rows an explorer reads at most for its total and facets (see the module).
COUNT_BOUND = 10_000

RowT = TypeVar("RowT")
S, DOCS = schema.sentences, schema.documents


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet: the query parameter it sets and its values with their counts under the current filters."""

    name: str
    label: str
    values: list[FacetValue]


def make_facet(name: str, label: str, counts: Sequence[tuple[str, int]], chosen: Iterable[str | None],
               names: Mapping[str, str] | None = None) -> Facet:
    """A facet from its ``(value, count)`` pairs; ``names`` labels values (an actor id by its name)."""
    picked = set(chosen)
    return Facet(name, label, [FacetValue(v, (names or {}).get(v, v), n, v in picked) for v, n in counts])


def count_rows(ctx: AnalysisContext, source: FromClause, where: Sequence[ColumnElement[bool]]) -> int:
    """How many rows of ``source`` meet ``where``: the true total behind a page."""
    rows = ctx.store.read(select(func.count()).select_from(source).where(*where))
    return int(rows[0][0] or 0)


def grouped(ctx: AnalysisContext, source: FromClause, column: ColumnElement[Any],
            where: Sequence[ColumnElement[bool]], limit: int | None = FACET_VALUES) -> list[tuple[str, int]]:
    """``(value, rows)`` of one column under ``where``, most frequent first; missing values left out."""
    counted = func.count().label("n")
    statement: Select[Any] = (
        select(column.label("value"), counted).select_from(source).where(*where, column.is_not(None))
        .group_by(column).order_by(counted.desc(), column).limit(limit)
    )
    return [(str(row.value), int(row.n)) for row in ctx.store.read(statement)]


@dataclass(frozen=True, slots=True)
class Tallied:
    """The total and per-column value counts of the rows an explorer matches, read bounded."""

    total: int
    beyond: bool  # more than ``total`` rows match; ``counts`` are those of the first ``total``
    counts: dict[str, Counter[str]]

    def top(self, name: str, limit: int | None = FACET_VALUES) -> list[tuple[str, int]]:
        """``(value, rows)`` of one column, most frequent first, ties by value (as :func:`grouped`)."""
        return sorted(self.counts[name].items(), key=lambda item: (-item[1], item[0]))[:limit]


def tallied_rows(rows: Sequence[Any], names: Sequence[str], bound: int) -> Tallied:
    """:class:`Tallied` of up to ``bound + 1`` rows whose columns are ``names`` (more than ``bound``: beyond)."""
    counted = rows[:bound]
    counts = {name: Counter(str(row[i]) for row in counted if row[i] is not None) for i, name in enumerate(names)}
    return Tallied(len(counted), len(rows) > bound, counts)


def check_sort(sort: str, sorts: Iterable[str]) -> str:
    """``sort`` when it names one of ``sorts`` (a leading ``-`` reverses), else a clear error."""
    known = tuple(sorts)
    if sort.removeprefix("-") not in known:
        raise DyadlensError(f"sort must be one of {', '.join(known)} (a leading - reverses), not {sort!r}")
    return sort


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV with a header line, text that a spreadsheet would run as a formula neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return out.getvalue()


def one_line(text: str) -> str:
    """Text on one line, its runs of whitespace made single spaces (a sentence in a CSV cell)."""
    return " ".join(text.split())


# --- an explorer over one table ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FacetColumn:
    """A facet of a table explorer: the query parameter, its label, the SQL value it counts and filters
    on; ``actor``: the values are actor ids, labelled by name and given by name or id."""

    name: str
    label: str
    column: ColumnElement[Any]
    actor: bool = False


@dataclass(frozen=True, slots=True)
class TableExplorer:
    """What one explorer lists: its rows (``source`` under ``base``, one per ``key``), facets and sort
    orders (the key's columns; a leading ``-`` reverses the first, the others break ties)."""

    key: ColumnElement[Any]
    source: FromClause
    facets: tuple[FacetColumn, ...]
    sorts: Mapping[str, Sequence[ColumnElement[Any]]]
    columns: Sequence[ColumnElement[Any]]
    base: Sequence[ColumnElement[bool]] = ()

    @property
    def parameters(self) -> tuple[str, ...]:
        """The facet parameters: the filters a URL may carry besides the explorer's own."""
        return tuple(f.name for f in self.facets)


@dataclass(slots=True)
class Listing(Generic[RowT]):
    """One page of an explorer: the filters and sort it answers, the facets, the rows and the window."""

    filters: dict[str, str | None]
    sort: str
    facets: list[Facet]
    rows: list[RowT]
    window: Window
    total_is_lower_bound: bool = False  # more rows than ``window.total`` match; the facets count the first ones


@dataclass(slots=True)
class TablePage:
    """The SQL rows of one page, with what :class:`Listing` needs besides the rows."""

    filters: dict[str, str | None]
    sort: str
    facets: list[Facet]
    rows: list[Any]
    window: Window
    total_is_lower_bound: bool = False

    def listing(self, rows: list[RowT]) -> Listing[RowT]:
        return Listing(self.filters, self.sort, self.facets, rows, self.window, self.total_is_lower_bound)


def chosen_filters(ctx: AnalysisContext, explorer: TableExplorer,
                   asked: Mapping[str, str | None]) -> dict[str, str | None]:
    """The facet values asked for, an actor facet's value resolved to its id (a name or alias will do)."""
    chosen: dict[str, str | None] = {}
    for facet in explorer.facets:
        value = (asked.get(facet.name) or "").strip() or None
        chosen[facet.name] = ctx.resolve_actor(value) if value and facet.actor else value
    return chosen


def explore_table(ctx: AnalysisContext, explorer: TableExplorer, asked: Mapping[str, str | None], sort: str, *,
                  extra: Sequence[ColumnElement[bool]] = (), limit: int | None = EXPLORER_PAGE, offset: int = 0,
                  with_facets: bool = True, bound: int | None = COUNT_BOUND,
                  unindexed: Sequence[str] = ()) -> TablePage:
    """One page of ``explorer``'s rows under the facet values ``asked`` and ``extra`` conditions, sorted
    by ``sort``, with the total and (unless ``with_facets`` is False: a download) the facets: exact up to
    ``bound`` matching rows, past it bounded (see the module; ``None``: exact whatever the number). The
    facets named in ``unindexed`` are matched through an expression no index serves (the caller knows that
    reading in the order shown meets the rows sooner than their index would)."""
    check_window(limit, offset)
    check_sort(sort, explorer.sorts)
    chosen = chosen_filters(ctx, explorer, asked)

    def matched(f: FacetColumn) -> ColumnElement[bool]:
        return func.coalesce(f.column, "") == chosen[f.name] if f.name in unindexed else f.column == chosen[f.name]

    where = [*explorer.base, *extra, *(matched(f) for f in explorer.facets if chosen.get(f.name))]
    first, *rest = explorer.sorts[sort.removeprefix("-")]
    key = SortKey(first, sort.startswith("-"), rest)
    if bound is None:
        rows = read_in_order(ctx, explorer.source, explorer.columns, where, key, limit, offset)
        facets = _facets(ctx, explorer, chosen, where) if with_facets else []
        return TablePage(dict(chosen), sort, facets, rows, Window(offset, limit, count_rows(ctx, explorer.source,
                                                                                            where)))
    shown = explorer.facets if with_facets else ()
    columns = [explorer.key.label("key"), *(f.column.label(f.name) for f in shown)]
    first_rows = read_in_order(ctx, explorer.source, columns, where, key, bound + 1, 0)
    tallied = tallied_rows(first_rows, ["key", *(f.name for f in shown)], bound)
    if limit is not None and offset + limit <= bound:  # the page is among the rows just read: fetched by key
        keys = [row.key for row in first_rows[offset:offset + limit]]
        found = ctx.store.read(select(*explorer.columns, explorer.key.label("key")).select_from(explorer.source)
                               .where(*where, explorer.key.in_(keys)))
        rows = sorted(found, key=lambda row: keys.index(row.key))  # 25 keys
    else:
        rows = read_in_order(ctx, explorer.source, explorer.columns, where, key, limit, offset)
    facets = _named_facets(ctx, explorer, chosen, [(f, tallied.top(f.name)) for f in shown])
    return TablePage(dict(chosen), sort, facets, rows, Window(offset, limit, tallied.total), tallied.beyond)


@dataclass(frozen=True, slots=True)
class SortKey:
    """How an explorer sorts: its first column (``descending`` or not; missing values last either way) and
    the columns that break ties."""

    first: ColumnElement[Any]
    descending: bool
    rest: Sequence[ColumnElement[Any]]


def read_in_order(ctx: AnalysisContext, source: FromClause, columns: Sequence[ColumnElement[Any]],
                  where: Sequence[ColumnElement[bool]], key: SortKey, limit: int | None, offset: int) -> list[Any]:
    """``limit`` rows from ``offset`` in ``key``'s order. A text first column is read as two plain orders,
    the rows that have a value (``>= ''``: a range its index reads in order, either way) and then, when the
    page reaches past them, those without: ``NULLS LAST`` on an ascending column makes SQLite (and a
    descending one PostgreSQL) sort every matching row before the first is shown."""
    first = key.first.desc() if key.descending else key.first.asc()
    found = select(*columns).select_from(source)
    if not isinstance(key.first.type, String):
        statement = found.where(*where).order_by(first.nulls_last(), *key.rest)
        return list(ctx.store.read(statement.limit(limit).offset(offset or None)))
    present = [*where, key.first >= ""]
    rows = list(ctx.store.read(found.where(*present).order_by(first, *key.rest).limit(limit).offset(offset or None)))
    if limit is not None and len(rows) == limit:
        return rows
    before = offset + len(rows) if rows or not offset else count_rows(ctx, source, present)
    missing = (found.where(*where, key.first.is_(None)).order_by(*key.rest)
               .limit(None if limit is None else limit - len(rows)).offset(max(0, offset - before) or None))
    return rows + list(ctx.store.read(missing))


def _facets(ctx: AnalysisContext, explorer: TableExplorer, chosen: Mapping[str, str | None],
            where: Sequence[ColumnElement[bool]]) -> list[Facet]:
    counted = [(f, grouped(ctx, explorer.source, f.column, where)) for f in explorer.facets]
    return _named_facets(ctx, explorer, chosen, counted)


def _named_facets(ctx: AnalysisContext, explorer: TableExplorer, chosen: Mapping[str, str | None],
                  counted: list[tuple[FacetColumn, list[tuple[str, int]]]]) -> list[Facet]:
    actors = [value for f, counts in counted if f.actor for value, _ in counts]
    ctx.load_names(actors)

    def names(f: FacetColumn, counts: list[tuple[str, int]]) -> dict[str, str] | None:
        return {v: ctx.actor_name(v) or v for v, _ in counts} if f.actor else None

    return [make_facet(f.name, f.label, counts, [chosen.get(f.name)], names(f, counts)) for f, counts in counted]


def sentences_at(ctx: AnalysisContext, key: str, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Evidence]:
    """The sentences of a page's rows, in one statement: ``{(doc_id, value): Evidence}`` for the pairs of a
    document and a sentence's ``key`` (``index``, or ``start`` for records that span their sentence); the
    documents alone narrow the search first, through their index (no planner uses the pairs for it)."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    column = S.c[key]
    words = func.substr(DOCS.c.text, S.c.start + 1, S.c.end - S.c.start)
    statement = (select(S.c.doc_id, column.label("key"), S.c.start, S.c.end, S.c.index, words.label("words"))
                 .join(DOCS, DOCS.c.id == S.c.doc_id)
                 .where(S.c.doc_id.in_({doc_id for doc_id, _ in wanted}), tuple_(S.c.doc_id, column).in_(wanted)))
    return {(r.doc_id, int(r.key)): Evidence(r.doc_id, r.start, r.end, r.words or "", r.index)
            for r in ctx.store.read(statement)}


def distinct_values(column: ColumnElement[str], name: str) -> Any:
    """The distinct values of an indexed column, as a CTE with one column, ``value``, found by one index
    seek per value (a loose index scan: the next value is the least one above the last), where
    ``SELECT DISTINCT`` would read every row: 600 actors named 3.6 million times cost 600 seeks."""
    table = column.table
    values = select(func.min(column).label("value")).select_from(table).cte(name, recursive=True)
    following = select(func.min(column)).select_from(table).where(column > values.c.value).scalar_subquery()
    return values.union_all(select(following).where(values.c.value.is_not(None)))


def in_originals(doc_id: ColumnElement[str]) -> ColumnElement[bool]:
    """The record's document repeats no earlier one. Written as ``NOT IN`` the (few) duplicates, listed
    by the ``duplicate_of`` index (``>= ''``: every id, as a range the index answers; SQLite's planner
    reads ``IS NOT NULL`` by scanning the table), rather than as a join reading ``duplicate_of`` from
    each document's row: on SQLite a document's columns after its text cost a walk through the text."""
    return doc_id.not_in(select(DOCS.c.id).where(DOCS.c.duplicate_of >= ""))
