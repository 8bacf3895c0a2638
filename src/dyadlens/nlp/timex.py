"""Temporal expression rules: find and resolve dates in one sentence.

Each rule is a regular expression plus a resolver. Resolvers read the
publication date (for "last month", "this spring", "yesterday") and the
narrative anchors found so far in the document (for "six years later", "the
following year"). Values are ISO prefixes that keep the precision the text
gives: a year, a month or a day, never an invented day.

Kinds of expression:

- ``point``: a date ("March 22, 2024", "in 2003", "late last summer");
- ``range``: ongoing activity from a start ("since 2021", "1979-1989"); its
  value is the start; ``during`` or ``within`` a range is ``in-range`` (a point
  somewhere inside it, so null for events);
- ``decade`` / ``span``: "the 1980s", "two decades": no usable value;
- ``dateline``: "NAIROBI, February 11 —" at the start of a report: the report's own date, which
  dates no event (:data:`DATELINE`).

dateparser was measured on the seeds and misses seasons, early/late,
possessives ("last month's") and narrative anchors, so the rules are our own;
spaCy DATE entities only widen the net for bare years.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from types import MappingProxyType

from dyadlens.nlp.regex_guard import first_character_guard

MONTHS: Mapping[str, int] = MappingProxyType(
    {
        **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
        **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
        "sept": 9,
    }
)

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_MOD = r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)"
_REL = r"(?P<rel>last|this|next|past|previous|coming)"
_SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"
_NUMBER_WORDS: Mapping[str, int] = MappingProxyType({
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
})
_NUMBER_ALTERNATIVES = r"\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
_NUMBER = r"(?P<n>" + _NUMBER_ALTERNATIVES + ")"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_WEEKDAYS: Mapping[str, int] = MappingProxyType({d.lower(): i for i, d in enumerate(calendar.day_name)})
#: Month of the season's start, and the month early/mid/late of it falls in (northern hemisphere).
_SEASON_MONTHS: Mapping[str, tuple[int, int, int]] = MappingProxyType(
    {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11), "fall": (9, 10, 11), "winter": (12, 1, 2)}
)
_MOD_INDEX: Mapping[str, int] = MappingProxyType(
    {"early": 0, "the beginning of": 0, "mid": 1, "the middle of": 1, "late": 2, "the end of": 2}
)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, iso: str | None) -> PartialDate | None:
        if not iso:
            return None
        match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", iso)
        if not match:
            return None
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def not_after(self, other: PartialDate) -> bool:
        """True when this date begins no later than ``other`` ends ("2024-05-27" vs "2024-06")."""
        mine = (self.year, self.month or 1, self.day or 1)
        theirs = (other.year, other.month or 12, other.day or 31)
        return mine <= theirs

    def truncate(self, precision: str) -> PartialDate:
        if precision == "year":
            return PartialDate(self.year)
        if precision == "month":
            return PartialDate(self.year, self.month)
        return self

    def add_months(self, months: int) -> PartialDate:
        index = self.year * 12 + (self.month or 1) - 1 + months
        return PartialDate(index // 12, index % 12 + 1)

    def add_days(self, days: int) -> PartialDate:
        if self.day is None or self.month is None:
            return self
        moved = date(self.year, self.month, self.day) + timedelta(days=days)
        return PartialDate(moved.year, moved.month, moved.day)


@dataclass(frozen=True, slots=True)
class TemporalExpression:
    sentence_index: int
    start: int  # document offsets of the expression
    end: int
    text: str
    value: str | None
    kind: str  # point | range | in-range | decade | span
    rule: str
    #: explicit expressions outrank vague ones when two are equally near a trigger
    specificity: int = 1
    #: explicit dates that later "N years later" expressions count from
    is_anchor: bool = False


@dataclass(frozen=True, slots=True)
class _Context:
    published: PartialDate | None
    anchor: PartialDate | None
    #: the latest anchor with a day: what "the following day" counts from when a coarser date
    #: ("in February", told as background) came after it
    day_anchor: PartialDate | None = None
    #: the latest anchor of the sentence itself ("fired on Tuesday, a day after ...")
    own_anchor: PartialDate | None = None
    #: the date of the story itself: what the lead's main clause told first ("this time")
    story: PartialDate | None = None


_Resolved = tuple[PartialDate | None, str, str]  # value, kind, rule
_Resolver = Callable[[re.Match[str], _Context], _Resolved | None]


def _month_of(match: re.Match[str]) -> int:
    return MONTHS[match.group("month").lower().rstrip(".")]


def _day_with_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    return PartialDate(int(m.group("year")), _month_of(m), day), "point", "explicit"


def _iso_day(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    value = PartialDate(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
    if not (1 <= (value.month or 0) <= 12 and 1 <= (value.day or 0) <= 31):
        return None
    return value, "point", "explicit"


def _year_for_month(month: int, ctx: _Context, rel: str | None) -> PartialDate | None:
    """The year of a month named without one: the latest such month up to the reference."""
    reference = ctx.published
    if reference is None or reference.month is None:
        return None
    if rel == "next" or rel == "coming":
        year = reference.year if month > reference.month else reference.year + 1
    elif rel in ("last", "past", "previous"):
        year = reference.year if month < reference.month else reference.year - 1
    else:
        year = reference.year if month <= reference.month else reference.year - 1
    return PartialDate(year, month)


def _day_no_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    day = int(m.group("day"))
    month_value = _year_for_month(_month_of(m), ctx, None)
    if month_value is None or not 1 <= day <= 31:
        return None
    return replace(month_value, day=day), "point", "relative"


def _month_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return PartialDate(int(m.group("year")), _month_of(m)), "point", "explicit"


def _month_alone(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    value = _year_for_month(_month_of(m), ctx, (m.groupdict().get("rel") or "").lower() or None)
    return (value, "point", "relative") if value else None


def _season(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    season = m.group("season").lower()
    mod = (m.group("mod") or m.groupdict().get("mod2") or "").lower()
    mod = re.sub(r"\s+", " ", mod)
    if m.groupdict().get("year"):
        year, rule = int(m.group("year")), "explicit"
    else:
        year_or_none = _season_year(season, (m.groupdict().get("rel") or "").lower(), ctx.published)
        if year_or_none is None:
            return None
        year, rule = year_or_none, "relative"
    if mod in _MOD_INDEX:
        month = _SEASON_MONTHS[season][_MOD_INDEX[mod]]
        if season == "winter" and month < 12:
            year += 1
        return PartialDate(year, month), "point", rule
    return PartialDate(year), "point", rule


def _season_year(season: str, rel: str | None, published: PartialDate | None) -> int | None:
    """Year of "last/this/next summer": last = the latest one already over; "during the
    summer" (no rel) = the latest one already begun."""
    if published is None or published.month is None:
        return published.year - (1 if rel in ("last", "past", "previous") else 0) if published else None
    months = _SEASON_MONTHS[season]
    end_month = months[-1]
    over_this_year = published.month > end_month and season != "winter"
    if rel in ("last", "past", "previous"):
        return published.year if over_this_year else published.year - 1
    if rel in ("next", "coming"):
        return published.year + 1 if over_this_year or published.month >= months[0] else published.year
    if not rel:
        return published.year if published.month >= months[0] else published.year - 1
    return published.year


#: "the end of 2023" is its last month, "the beginning of 2023" its first; early/mid/late stay vague.
_EDGE_MONTHS: Mapping[str, int] = MappingProxyType(
    {"the end of": 12, "the beginning of": 1, "the start of": 1, "the turn of": 1}
)


def _year_mod(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    month = _EDGE_MONTHS.get(re.sub(r"\s+", " ", m.group("mod").lower()))
    return PartialDate(int(m.group("year")), month), "point", "explicit"


def _year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return PartialDate(int(m.group("year"))), "point", "explicit"


def _range(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    first, last = int(m.group("year")), m.group("end")
    last_year = int(last) if len(last) == 4 else (first // 100) * 100 + int(last)
    if last_year <= first or last_year - first > 200:
        return None
    lead = (m.group("lead") or "").lower()
    kind = "in-range" if lead in ("during", "within", "throughout", "in", "over") else "range"
    return PartialDate(first), kind, "range"


def _since(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    year = int(m.group("year"))
    month = _month_of(m) if m.groupdict().get("month") else None
    return PartialDate(year, month), "range", "since"


def _decade(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return None, "decade", "decade"


def _span(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    return None, "span", "span"


def _relative_unit(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """last/this/next/past week|month|year, counted from the publication date."""
    reference = ctx.published
    if reference is None:
        return None
    rel, unit = m.group("rel").lower(), m.group("unit").lower()
    step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[rel]
    if m.groupdict().get("earlier"):
        step = 0
    if unit == "year":
        return PartialDate(reference.year + step), "point", "relative"
    if unit == "decade":
        return None, "span", "relative"
    if unit == "month":
        if reference.month is None:
            return None
        return reference.add_months(step), "point", "relative"
    if unit == "week":
        if reference.day is not None:
            return (
                reference.add_days(7 * step).truncate("month") if step else reference.truncate("month"),
                "point",
                "relative",
            )
        return (reference.truncate("month"), "point", "relative") if reference.month else None
    if unit == "day":
        return (reference.add_days(step), "point", "relative") if reference.day else None
    return None


def _ago(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    reference = ctx.published
    count = _count(m.group("n"))
    if reference is None or count is None:
        return None
    return _shift(reference, count, m.group("unit").lower(), -1), "point", "relative"


def _later(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    anchor = ctx.anchor
    count = _count(m.group("n"))
    if anchor is None or count is None:
        return None
    sign = -1 if m.group("dir").lower() in ("earlier", "before", "previously", "prior") else 1
    return _shift(anchor, count, m.group("unit").lower(), sign), "point", "anchored"


def _present(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    if ctx.published is None:
        return None
    if m.group(0).lower() == "yesterday":
        return (
            (ctx.published.add_days(-1), "point", "relative")
            if ctx.published.day
            else (ctx.published, "point", "relative")
        )
    return ctx.published.truncate("month"), "point", "present"


def _recent(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"recently", "a recent report": around publication (a cited date may refine it later)."""
    if ctx.published is None or ctx.published.month is None:
        return None
    return ctx.published.truncate("month"), "point", "recent"


def _weekday(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    reference = ctx.published
    if reference is None or reference.day is None or reference.month is None:
        return (reference.truncate("month"), "point", "relative") if reference and reference.month else None
    target = _WEEKDAYS[m.group("weekday").lower()]
    today = date(reference.year, reference.month, reference.day)
    back = (today.weekday() - target) % 7 or (7 if m.group("wrel") else 0)
    moved = today - timedelta(days=back)
    return PartialDate(moved.year, moved.month, moved.day), "point", "relative"


def _part_of_unit(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"by the end of the year", "at the start of last month": the unit itself, at its precision."""
    reference = ctx.published
    if reference is None:
        return None
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get((m.group("rel") or "").lower(), 0)
    if m.group("unit").lower() == "year":
        return (
            PartialDate(reference.year + step, _EDGE_MONTHS.get("the " + m.group("part").lower() + " of")),
            "point",
            "relative",
        )
    return (reference.add_months(step), "point", "relative") if reference.month else None


def _weekend(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"over the weekend" / "last weekend": the month of the latest Saturday before publication."""
    reference = ctx.published
    if reference is None or reference.month is None:
        return None
    if reference.day is None:
        return reference, "point", "relative"
    today = date(reference.year, reference.month, reference.day)
    saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    return PartialDate(saturday.year, saturday.month), "point", "relative"


def _fiscal_year(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"fiscal 2022", "FY2024", "FY24": the year the fiscal year is named after."""
    year = m.group("year")
    return PartialDate(int(year) if len(year) == 4 else 2000 + int(year)), "point", "explicit"


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word.lower())


def _shift(anchor: PartialDate, count: int, unit: str, sign: int) -> PartialDate | None:
    if unit == "year":
        return PartialDate(anchor.year + sign * count, anchor.month, anchor.day).truncate("year")
    if unit == "decade":
        return PartialDate(anchor.year + sign * 10 * count)
    if unit == "month":
        return anchor.add_months(sign * count) if anchor.month else PartialDate(anchor.year)
    if unit == "week":
        return anchor.add_days(sign * 7 * count).truncate("month") if anchor.day else anchor
    if unit == "day":
        return anchor.add_days(sign * count) if anchor.day else anchor
    return None


def _following_any(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    which = (m.group("which") or m.group("which2") or "").lower()
    unit = (m.group("unit") or m.group("unit2") or "").lower()
    anchor = _day_precise(ctx) if unit == "day" else ctx.anchor
    if anchor is None:
        return None
    if which in ("same", "that"):
        return anchor.truncate("year" if unit == "year" else "month" if unit == "month" else "day"), "point", "anchored"
    sign = -1 if which in ("previous", "preceding") else 1
    return _shift(anchor, 1, unit, sign), "point", "anchored"


def _month_alone_may(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    value = _year_for_month(5, ctx, None)
    return (value, "point", "relative") if value else None


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: _Resolver
    specificity: int = 2
    anchor: bool = False


def _rule(
    name: str, pattern: str, resolve: _Resolver, specificity: int = 2, anchor: bool = False, flags: int = 0
) -> _Rule:
    return _Rule(name, re.compile(first_character_guard(pattern, flags), flags), resolve, specificity, anchor)


_I = re.IGNORECASE
_NOT_NUM = r"(?<![\d$£€/.,#+-])"
_END_NUM = r"(?![\d/%]|,\d|\.\d)"
#: Numbers that name things, not years: "Resolution 1988", "No. 2001", "Flight 1920".
_NOT_NUMBERED = "".join(
    f"(?<!{re.escape(word)} )"
    for word in (
        "Resolution", "resolution", "No.", "no.", "Article", "article", "Section", "Flight", "flight", "Route",
        "page", "p.", "pp.", "Decree", "decree", "Order", "Law", "law",
    )
)
#: Ordered: earlier rules win where matches overlap.
RULES: tuple[_Rule, ...] = (
    _rule("iso-day", _NOT_NUM + r"(?P<year>1[6-9]\d\d|20\d\d)-(?P<mon>\d{2})-(?P<day>\d{2})\b", _iso_day, 4, True),
    _rule("month-day-year", _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", _day_with_year, 4, True),
    _rule(
        "day-month-year", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b", _day_with_year, 4, True
    ),
    _rule(
        "since",
        r"\b(?:since|from)\s+"
        r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\s+)?"
        + _YEAR
        + r"\b(?!\s*[-–—]\s*\d|\s+(?:to|until|till)\s+\d)",
        _since,
        3,
        True,
        _I,
    ),
    _rule(
        "range",
        r"(?:\b(?P<lead>during|within|throughout|in|over|from|between)\s+(?:the\s+)?)?"
        + _NOT_NUM
        + _YEAR
        + r"\s*(?:[-–—]|\s(?:to|until|till|and)\s)\s*(?P<end>\d{4}|\d{2})\b(?!s)",
        _range,
        3,
        False,
        _I,
    ),
    _rule("month-year", _MOD + r"?" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b", _month_year, 3, True),
    _rule(
        "season-year",
        r"\b(?:" + _MOD + r")?(?:the\s+)?" + _SEASON + r"\s+(?:of\s+)?" + _YEAR + r"\b",
        _season,
        3,
        True,
        _I,
    ),
    _rule(
        "relative-season",
        r"\b" + _MOD + r"?(?P<rel>last|this|next|past|previous|coming)\s+(?:(?P<mod2>early|mid|late)[\s-]+)?"
        + _SEASON
        + r"\b",
        _season,
        2,
        True,
        _I,
    ),
    _rule(
        "the-season",
        r"\b(?:throughout|during|over|in)\s+the\s+(?:(?P<mod>early|mid|late)[\s-]+)?"
        + _SEASON
        + r"\b(?!\s+(?:of\s+)?\d)",
        _season,
        2,
        False,
        _I,
    ),
    _rule(
        "year-mod",
        r"\b(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+" + _YEAR + r"\b",
        _year_mod,
        3,
        True,
        _I,
    ),
    _rule(
        "decade",
        r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:1[6-9]\d0|20\d0)s\b|\b(?:the\s+)?'\d0s\b",
        _decade,
        1,
        False,
        _I,
    ),
    _rule(
        "span",
        r"\b(?:the\s+(?:last|past)\s+|over\s+the\s+course\s+of\s+|for\s+)"
        + _NUMBER
        + r"\s+(?:decades?|years|centur(?:y|ies))\b",
        _span,
        1,
        False,
        _I,
    ),
    _rule("ago", r"\b" + _NUMBER + r"\s+" + _UNIT + r"\s+(?:ago|back)\b", _ago, 2, True, _I),
    _rule(
        "recent-span",
        r"\b(?:over|during|in|throughout|for|within)\s+the\s+(?:past|last|previous)\s+(?:(?:few|several|couple\s+of|"
        + _NUMBER_ALTERNATIVES
        + r")\s+)?(?:day|week|month|year|decade)s?\b",
        _span,
        1,
        False,
        _I,
    ),
    _rule("recent-years", r"\bin\s+recent\s+(?:days|weeks|months|years|decades)\b", _span, 1, False, _I),
    _rule("recent", r"\b(?:recent(?:ly)?|latest)\b", _recent, 0, False, _I),
    _rule(
        "relative-unit",
        r"\b(?:(?P<earlier>earlier|later)\s+)?" + _REL + r"\s+(?P<unit>week|month|year|decade)\b(?:'s|’s)?",
        _relative_unit,
        2,
        True,
        _I,
    ),
    _rule("day-month", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!,?\s*\d)", _day_no_year, 3, True),
    _rule("day-first", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b(?!,?\s*\d)", _day_no_year, 3, True),
    _rule(
        "month-alone",
        r"\b(?:(?P<mod>early|mid|late)[\s-]+)?(?:(?P<rel>last|this|next|past|coming)\s+)?"
        + _MONTH.replace("May|", "")
        + r"\b(?!\s+\d)",
        _month_alone,
        2,
        True,
    ),
    _rule(
        "may-alone",
        r"\b(?i:in|since|until|by|of|last|this|next|early|mid|late)\s+May\b(?!\s+\d)",
        _month_alone_may,
        2,
        True,
    ),
    _rule(
        "part-of-unit",
        r"\b(?:the\s+)?(?P<part>start|beginning|end|middle|turn)\s+of\s+"
        r"(?:the|this|(?P<rel>last|next|previous|coming))\s+(?P<unit>month|year)\b",
        _part_of_unit,
        2,
        True,
        _I,
    ),
    _rule("weekend", r"\b(?:(?:over|during|at|on)\s+the|(?P<rel>last|this|past))\s+weekend\b", _weekend, 2, True, _I),
    _rule(
        "fiscal-year", r"\b(?:fiscal(?:\s+year)?\s+|FY\s?)(?P<year>20\d\d|\d\d)\b(?![/-]\d)", _fiscal_year, 3, True, _I
    ),
    _rule(
        "weekday",
        r"\b(?:(?P<wrel>(?i:last))\s+)?(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
        _weekday,
        2,
        True,
    ),
    _rule(
        "present",
        r"\b(?:today|yesterday|nowadays|currently|at\s+present|presently|these\s+days|at\s+the\s+moment|for\s+now|now)\b"
        r"(?!\s+(?:that\b|[a-z]+ed\b|defunct|former|ex-))",
        _present,
        1,
        False,
        _I,
    ),
    _rule(
        "year",
        _NOT_NUMBERED
        + r"(?<![\d$£€/#+-])(?<!\d[.,])\b"
        + _YEAR
        + r"(?:s(?<!0s))?"
        + _END_NUM
        + r"(?!\s*(?:people|troops|soldiers|km|kilometres|kilometers|miles|dollars|tons|tonnes|men|fighters|words|"
        r"pages|votes|cases|metres|meters)\b)",
        _year,
        2,
        True,
    ),
    _rule(
        "later",
        r"\b"
        + _NUMBER
        + r"\s+"
        + _UNIT
        + r"\s+(?P<dir>later|afterwards|earlier|previously|(?:after|before|prior)\b(?!\s+[\w“\"]))"
        r"\b(?!\s+(?:the|a|an|his|her|its|their)\b)",
        _later,
        2,
        True,
        _I,
    ),
    _rule(
        "following",
        r"\b(?:the|that)\s+(?P<which>following|next|previous|preceding|same)\s+(?P<unit>day|week|month|year)\b"
        r"|\b(?P<which2>that)\s+(?P<unit2>year)\b",
        _following_any,
        2,
        True,
        _I,
    ),
)


def _dateline(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"NAIROBI, February 11 —": the day the report was filed, in the publication's year unless given."""
    day = int(m.group("day") or m.group("day2"))
    month = MONTHS[(m.group("month") or m.group("month2")).lower().rstrip(".")]
    if not 1 <= day <= 31:
        return None
    if m.group("year"):
        return PartialDate(int(m.group("year")), month, day), "dateline", "explicit"
    month_value = _year_for_month(month, ctx, None)
    return (replace(month_value, day=day), "dateline", "relative") if month_value else None


#: A dateline: a place in capitals (optionally ", Country") and a date at the very start of a
#: report's first line, set off by a dash: "NAIROBI, February 11 —", "KYIV, Ukraine, 3 March 2024 (Agency) -".
#: It dates the report, not the events the sentence tells; a weekday in the sentence resolves
#: against it. Passed as a first rule of :func:`resolve_sentence_expressions` (option ``datelines``).
DATELINE = _rule(
    "dateline",
    r"\A\s*[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,40})?,\s+(?:"
    + _MONTH
    + r"\s+"
    + _DAY
    + r"|"
    + _DAY.replace("?P<day>", "?P<day2>")
    + r"\s+"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + r")(?:,?\s+"
    + _YEAR
    + r")?(?:\s*\([^)]{1,40}\))?\s*[—–-]",
    _dateline,
    4,
)


def _anchor_itself(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"at that time", "during the meeting": the anchoring date itself."""
    return (ctx.anchor, "point", "discourse") if ctx.anchor else None


def _story_itself(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"this time", "on this occasion": the story's own occasion, set against an earlier one
    the text has just told ("In March, Moscow hosted a smaller meeting ... The United States did
    not send an envoy this time"), so the story's date, not the latest anchor."""
    return (ctx.story, "point", "discourse") if ctx.story else None


def _since_anchor(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"since then": ongoing activity from the anchoring date."""
    return (ctx.anchor, "range", "discourse") if ctx.anchor else None


def _anchor_unit(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"that day", "earlier that week", "later that month", "earlier in the day": the anchor at the
    unit's precision (a week has none of its own, so it keeps the month)."""
    unit = (m.group("unit") or m.group("unit2")).lower()
    if unit in ("week", "month"):
        return (ctx.anchor.truncate("month"), "point", "discourse") if ctx.anchor else None
    anchor = _day_precise(ctx)
    return (anchor.truncate("day"), "point", "discourse") if anchor else None


def _day_around_anchor(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"the day before", "the day after": one day from the anchoring date."""
    anchor = _day_precise(ctx)
    if anchor is None or anchor.day is None:
        return None
    sign = -1 if m.group("dir").lower() == "before" else 1
    return anchor.add_days(sign), "point", "discourse"


def _day_precise(ctx: _Context) -> PartialDate | None:
    """What a reference to a day counts from: the anchor when it has a day, else the latest anchor
    that has one ("talks on Tuesday ... resumed in February ... The following day" counts from Tuesday)."""
    if ctx.anchor is not None and ctx.anchor.day is None and ctx.day_anchor is not None:
        return ctx.day_anchor
    return ctx.anchor


def _interval_before(m: re.Match[str], ctx: _Context) -> _Resolved | None:
    """"fired a missile on Tuesday, a day after the allies began their drills": the event the
    after-phrase introduces lies that interval before the sentence's own date (after it for
    "before"); without a date of the sentence's own there is nothing to count from."""
    count = _count(m.group("n"))
    if ctx.own_anchor is None or count is None:
        return None
    sign = 1 if m.group("dir").lower() == "before" else -1
    return _shift(ctx.own_anchor, count, m.group("unit").lower(), sign), "point", "discourse"


def discourse_rules(occasion_nouns: Iterable[str]) -> tuple[_Rule, ...]:
    """Rules for references back into the text, resolved to the anchoring date (the latest
    date the narrative established before them): "since then", "at that time", "that day",
    "earlier that week", "the day after", and an occasion named with a definite determiner
    after a temporal preposition ("during the meeting", "after the talks", "on the sidelines of
    the summit"). ``occasion_nouns`` are the nouns of such occasions (lemmas; plurals match)."""
    nouns = "|".join(sorted((re.escape(n) for n in occasion_nouns), key=len, reverse=True))
    occasion = (
        r"\b(?:during|at|after|following|on\s+the\s+(?:sidelines|margins)\s+of)\s+(?:the|that|this|these|those)\s+"
        r"(?:[\w-]+\s+){0,2}?(?:" + nouns + r")(?:s|es)?\b(?!\s+(?:of|on|in)\s+\d)"
    )
    return (
        _rule("since-then", r"\b(?:ever\s+)?since\s+then\b", _since_anchor, 1, False, _I),
        _rule(
            "at-that-time",
            r"\b(?:at\s+(?:that|the)\s+(?:time|point|moment)|back\s+then|by\s+then)\b(?!\s+(?:of|when)\b)",
            _anchor_itself,
            1,
            False,
            _I,
        ),
        _rule(
            "that-unit",
            r"\b(?:(?:earlier|later)\s+)?that\s+(?P<unit>day|morning|afternoon|evening|night|week|month)\b"
            r"|\b(?:earlier|later)\s+in\s+the\s+(?P<unit2>day)\b",
            _anchor_unit,
            1,
            False,
            _I,
        ),
        _rule("day-around", r"\bthe\s+day\s+(?P<dir>before|after)\b", _day_around_anchor, 1, True, _I),
        _rule("this-time", r"\b(?:this\s+time|on\s+this\s+occasion)\b", _story_itself, 1, False, _I),
        _rule(
            "interval",
            r"\b" + _NUMBER + r"\s+" + _UNIT + r"\s+(?P<dir>after|before)\b(?=\s+[\w“\"])",
            _interval_before,
            1,
            False,
            _I,
        ),
        _rule("occasion", occasion, _anchor_itself, 1, False, _I),
    )


def resolve_sentence_expressions(
    text: str,
    offset: int,
    sentence_index: int,
    published: PartialDate | None,
    anchors: Sequence[TemporalExpression],
    extra_rules: Sequence[_Rule] = (),
    first_rules: Sequence[_Rule] = (),
    story: PartialDate | None = None,
) -> list[TemporalExpression]:
    """Every temporal expression in one sentence, resolved, in text order.

    ``anchors`` are the anchoring expressions of earlier sentences (the latest
    is the anchor; the latest with a day is what "the following day" counts
    from when the anchor has none); anchors found earlier in this sentence
    count too (anchored rules run last). ``first_rules`` (such as
    :data:`DATELINE`) run before :data:`RULES`, ``extra_rules`` (such as
    :func:`discourse_rules`) after them.
    """
    taken: list[tuple[int, int]] = [m.span() for m in _URL.finditer(text)]
    found: list[TemporalExpression] = []
    local_anchors = list(anchors)
    for rule in (*first_rules, *RULES, *extra_rules):
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            here = offset + start
            context = _Context(
                published,
                _last_anchor(local_anchors, here),
                day_anchor=_last_anchor([a for a in local_anchors if _has_day(a)], here),
                own_anchor=_last_anchor(
                    [a for a in local_anchors if a.sentence_index == sentence_index], offset + len(text)
                ),
                story=story,
            )
            resolved = rule.resolve(match, context)
            if resolved is None:
                continue
            value, kind, how = resolved
            taken.append((start, end))
            expression = TemporalExpression(
                sentence_index=sentence_index,
                start=offset + start,
                end=offset + end,
                text=match.group(0),
                value=value.iso() if value else None,
                kind=kind,
                rule=f"{how}:{rule.name}",
                specificity=rule.specificity,
                is_anchor=rule.anchor and value is not None and how != "present",
            )
            found.append(expression)
            if expression.is_anchor:
                local_anchors.append(expression)
    found.sort(key=lambda e: e.start)
    return found


_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+\.(?:com|org|net|gov|pk|ru|int)/\S*", re.IGNORECASE)


def _has_day(expression: TemporalExpression) -> bool:
    value = PartialDate.parse(expression.value)
    return value is not None and value.day is not None


def _last_anchor(anchors: Sequence[TemporalExpression], before: int) -> PartialDate | None:
    earlier = [a for a in anchors if a.start < before and a.value]
    if not earlier:
        return None
    return PartialDate.parse(max(earlier, key=lambda a: a.start).value)
