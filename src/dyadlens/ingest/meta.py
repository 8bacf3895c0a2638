"""Metadata read from an article's own text: byline, dated header line, title.

These are the weakest sources of metadata; readers use them only for fields
that neither a sidecar/JSON record nor the format itself (HTML meta) supplies.

Dates keep the precision the text gives them: "29 Jun 2023" is
``"2023-06-29"``, "June 2023" is ``"2023-06"`` and a bare year is ``"2023"``;
a day is never invented.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import yaml

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

#: Date forms, most precise first. Each must match a whole date expression.
_DATE_FORMS = (
    re.compile(rf"{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?", re.I),
    re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I),
    re.compile(rf"{_YEAR}-(?P<mnum>[01]\d)", re.I),
    re.compile(rf"{_MONTH},?\s+{_YEAR}", re.I),
    re.compile(rf"{_YEAR}", re.I),
)

_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<body>.*?\n)?---[ \t]*(?:\n|$)", re.S)
#: Front-matter keys that carry a Document field, by field.
_FRONT_MATTER_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "title": ("title",),
    "author": ("author", "authors", "byline"),
    "outlet": ("outlet", "source", "publisher", "site"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "pubdate"),
})

#: How many lines at the top of a text are searched for a byline or a dated header.
HEADER_LINES = 15

_NAME = r"(?P<name>[A-Z][\w'’-]+\.?(?:\s+(?:[A-Z][\w'’-]*\.?|de|van|von|al|bin|ul|el|da)){0,5})"
_BYLINE = re.compile(
    rf"^\s*(?i:by)\s+{_NAME}\s*(?:(?:\b(?i:on)\b|\||,|·|-|–|—|/)\s*(?P<rest>.*))?$"
)
_BARE_BY = re.compile(r"^\s*by\s*:?\s*$", re.I)
_PERSON_LINE = re.compile(rf"^\s*{_NAME}\s*$")
_HEADER_DATE = re.compile(
    r"^\s*(?:(?:published|posted|updated|date|dated)\s*(?:on)?\s*:?\s*)?(?P<date>.{4,40}?)\s*$", re.I
)
_MAX_TITLE_WORDS = 30


#: The longest value of each document field; a longer one is cut there, with a warning.
FIELD_LIMITS: Mapping[str, int] = MappingProxyType({
    "title": 300,
    "author": 200,
    "outlet": 200,
    "url": 2048,
    "kind": 40,
    "published": 64,
})
#: Extra metadata (the other fields of a sidecar row or JSON record), as JSON characters per field.
MAX_EXTRA_FIELD_CHARS = 2_000


def bounded_field(name: str, value: str) -> tuple[str, str | None]:
    """``value`` cut to the limit of field ``name``, and a warning when it was cut."""
    limit = FIELD_LIMITS[name]
    if len(value) <= limit:
        return value, None
    return value[: limit - 1].rstrip() + "…", f"{name} over {limit} characters ({len(value)}); cut"


@dataclass(frozen=True, slots=True)
class TextMeta:
    """What the top of a text says about itself; ``None`` where it says nothing."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None  # byline | header


def parse_date(value: str) -> str | None:
    """An ISO prefix date for a whole date expression, at the precision it has.

    >>> parse_date("29 Jun 2023"), parse_date("June 2023"), parse_date("2024")
    ('2023-06-29', '2023-06', '2024')
    """
    text = value.strip().strip(",.;")
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            return _iso_from_match(match)
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = parts["year"]
    month = _month_number(parts)
    if month is None:
        return year
    if not 1 <= month <= 12:
        return None
    day = parts.get("day")
    if day is None:
        return f"{year}-{month:02d}"
    if not 1 <= int(day) <= calendar.monthrange(int(year), month)[1]:
        return None  # "31 June", "30 February": no such day
    return f"{year}-{month:02d}-{int(day):02d}"


def _month_number(parts: dict[str, str | None]) -> int | None:
    if parts.get("mnum"):
        return int(parts["mnum"] or 0)
    name = (parts.get("month") or "").lower()
    if not name:
        return None
    return next(i for i, full in enumerate(_MONTHS, start=1) if full.startswith(name[:3]))


def find_date(text: str) -> str | None:
    """The first date expression anywhere in ``text`` (for byline tails like "14 Feb 2022 3 Comments")."""
    for form in _DATE_FORMS[:-1]:
        match = form.search(text)
        if match:
            return _iso_from_match(match)
    return None


def read_text_meta(text: str) -> TextMeta:
    """Title (first line), author and date (byline or dated header line) from the top of ``text``."""
    body = text[front_matter_end(text) or 0 :]
    lines = [line.strip() for line in body.splitlines()[: HEADER_LINES * 3] if line.strip()][:HEADER_LINES]
    author, byline_date = _byline(lines)
    published, source = (byline_date, "byline") if byline_date else (_header_date(lines), "header")
    return TextMeta(
        title=_title(lines),
        author=author,
        published=published,
        published_source=source if published else None,
    )


def _title(lines: list[str]) -> str | None:
    """The first line, when it reads as a title: short, not a sentence, more text below it."""
    if len(lines) < 2:
        return None
    first = lines[0].lstrip("#").strip()
    if len(first.split()) > _MAX_TITLE_WORDS or first.endswith(".") or _BYLINE.match(first):
        return None
    return first or None


def _byline(lines: list[str]) -> tuple[str | None, str | None]:
    """Author and date of a "By NAME on DATE" / "By NAME | DATE" line, or a "By" line over a name line."""
    for i, line in enumerate(lines):
        match = _BYLINE.match(line)
        if match:
            rest = match.group("rest") or ""
            return _clean_name(match.group("name")), find_date(rest)
        if _BARE_BY.match(line) and i + 1 < len(lines):
            person = _PERSON_LINE.match(lines[i + 1])
            if person:
                return _clean_name(person.group("name")), None
    return None, None


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" .,")


def _header_date(lines: list[str]) -> str | None:
    """The date of a header line that is only a date ("June 14, 2024", "Published: 3 May 2021")."""
    for line in lines[1:]:
        match = _HEADER_DATE.match(line)
        if not match:
            continue
        value = parse_date(match.group("date"))
        if value and len(value) > 4:
            return value
    return None


def front_matter_end(text: str) -> int | None:
    """End offset of a YAML front-matter block (a mapping between ``---`` lines) opening a text, if any."""
    found = _front_matter(text)
    return found.end if found else None


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Document fields read from a front-matter block, and why any were left out."""

    fields: dict[str, str]
    warnings: tuple[str, ...] = ()


def read_front_matter(text: str) -> FrontMatter:
    """Document fields from a markdown text's YAML front matter; no fields when it has none."""
    found = _front_matter(text)
    if not found:
        return FrontMatter({})
    warnings = [found.problem] if found.problem else []
    fields: dict[str, str] = {}
    for name, keys in _FRONT_MATTER_KEYS.items():
        value, problem = _front_matter_value(found.data, keys)
        if problem:
            warnings.append(problem)
        if value:
            fields[name] = value
    if "published" in fields:
        raw_date = fields.pop("published")
        date = parse_date(raw_date) or find_date(raw_date)
        if date:
            fields["published"] = date
        else:
            warnings.append(f"front matter date {_shown(raw_date)} is not a valid date; ignored")
    return FrontMatter(fields, tuple(warnings))


#: Front matter longer than this is not read for metadata (the block is still kept out of the analysis).
MAX_FRONT_MATTER_CHARS = 16_384


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases and without timestamps.

    Aliases are refused because a few hundred bytes of nested aliases expand
    to gigabytes once a value is turned into text. Timestamps stay strings so
    that an impossible date ("2024-13-01") is judged by :func:`parse_date`
    instead of raising inside the YAML constructor.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(problem="YAML aliases are not accepted")
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class _Block:
    data: dict[Any, Any]
    end: int
    problem: str | None = None


def _front_matter(text: str) -> _Block | None:
    """The parsed front matter and where it ends; a block that is not a YAML mapping is not front matter.

    A block refused for its size or its content (aliases, nesting, huge
    numbers) still ends where it ends, with no data and the reason.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    body = match.group("body") or ""
    if len(body) > MAX_FRONT_MATTER_CHARS:
        return _Block({}, match.end(), f"front matter over {MAX_FRONT_MATTER_CHARS} characters; not read")
    try:
        data: Any = yaml.load(body, Loader=_FrontMatterLoader)  # safe: _FrontMatterLoader is a SafeLoader subclass
    except yaml.composer.ComposerError as error:
        return _Block({}, match.end(), f"front matter not read: {error.problem}")
    except yaml.YAMLError:
        return None
    except (RecursionError, ValueError) as error:  # nesting past the stack; an integer over 4,300 digits
        return _Block({}, match.end(), f"front matter not read: {type(error).__name__}")
    return _Block(data, match.end()) if isinstance(data, dict) else None


#: The YAML and JSON values that read as one piece of text.
SCALAR_TYPES = (str, int, float, bool)


def _front_matter_value(data: dict[Any, Any], keys: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The first of ``keys`` with a value, as text; a list of scalars is joined, anything else refused."""
    for key in keys:
        value = data.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, list) and all(isinstance(v, SCALAR_TYPES) for v in value):
            return ", ".join(str(v) for v in value), None
        if isinstance(value, SCALAR_TYPES):
            return str(value).strip(), None
        return None, f"front matter field {key!r} is not text ({type(value).__name__}); ignored"
    return None, None


def _shown(value: str, limit: int = 60) -> str:
    """``value`` quoted for a message, cut at ``limit`` characters."""
    return repr(value if len(value) <= limit else value[:limit] + "…")
