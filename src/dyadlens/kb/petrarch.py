"""Import PETRARCH/TABARI ``.actors`` and ``.agents`` dictionaries.

Actor dictionaries list one actor per entry::

    UNITED_STATES  [USA]          # a name with its code; "_" joins words
    +USA                          # a synonym of the entry above
    ZIMBABWE
        [RHO <790606]             # a code valid before a date
        [ZBW]                     # the code otherwise
    SAM_GAMGEE [HOB]
        [HOBGOV 20121109-20130119]   # valid between two dates
        [HOBELI >20130119]           # valid from a date

Comments run from ``#`` to the end of the line, and ``<!-- ... -->`` blocks
may span lines. Dates are ``YYMMDD`` or ``YYYYMMDD`` (two-digit years below
30 are read as 20xx). A trailing ``_`` (an exact-word marker in TABARI) is
dropped; TABARI's stem matching is not reproduced: names match whole words.

Agent dictionaries list role nouns with an optional plural in braces and a
code that attaches to the actor's code (``[~GOV]`` after it, ``[NGO~]``
before it); ``!SET! = A, B`` lines define substitution sets used as
``CONGRESS!PERSON!``.

Each imported actor becomes a KB entity with id ``petrarch:<slug>``, its code
as ``cameo`` (the unrestricted code, else the most recent dated one) and its
date-restricted codes in ``codes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dyadlens.errors import DataFileError
from dyadlens.kb.agents import AgentTerm, acts_as_for_code
from dyadlens.kb.entities import DatedCode
from dyadlens.kb.periods import Period

ACTORS_LABEL = "PETRARCH actors dictionary"
AGENTS_LABEL = "PETRARCH agents dictionary"
_HTML_COMMENT = re.compile(r"<!.*?-->", re.DOTALL)
_CODE_BLOCK = re.compile(r"\[([^\]]*)\]")
_RESTRICTION = re.compile(
    r"^(?P<code>[^\s<>]+)\s*(?:(?P<op>[<>])\s*(?P<date>\d{6,8})|(?P<a>\d{6,8})\s*-\s*(?P<b>\d{6,8}))?$"
)
_SMALL_WORDS = frozenset({"OF", "THE", "AND", "FOR", "IN", "ON", "DE", "DU", "LA", "AL", "EL"})
_SUBSTITUTION = re.compile(r"^!(\w+)!\s*=\s*(.+)$")


def detect_dictionary_kind(path: Path) -> str:
    """``actors``, ``agents`` or ``yaml``: by the name's extensions, else by the content."""
    parts = [p.lower() for p in path.name.split(".")[1:]]
    if "actors" in parts:
        return "actors"
    if "agents" in parts:
        return "agents"
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return "yaml"
    text = _read(path, "KB file")
    lines = [ln for ln in _strip_comments(text).splitlines() if ln.strip()]
    if lines and all(not ln.lstrip().startswith("- ") for ln in lines) and any(_CODE_BLOCK.search(ln) for ln in lines):
        return "agents" if any("~" in ln for ln in lines) else "actors"
    return "yaml"


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read {label}: {exc}"]) from exc


def _strip_comments(text: str) -> str:
    """Drop ``<!-- -->`` blocks (keeping line breaks, so line numbers hold) and ``#`` comments."""
    without_blocks = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return "\n".join(line.split("#", 1)[0].rstrip() for line in without_blocks.splitlines())


@dataclass(slots=True)
class _ActorDraft:
    name: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[DatedCode] = field(default_factory=list)


def import_actors(path: Path) -> list[dict[str, Any]]:
    """Parsed KB entry values for every actor in the dictionary; raises DataFileError."""
    drafts, problems = _parse_actor_lines(_strip_comments(_read(path, ACTORS_LABEL)))
    problems.extend(f"line {d.line}: actor {d.name!r} has no code" for d in drafts if not d.codes)
    if problems:
        raise DataFileError(str(path), [f"{ACTORS_LABEL}, {p}" for p in problems])
    return [_draft_values(d) for d in drafts]


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines, stripped, with their line numbers (from 1)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped:
            yield number, stripped


def _parse_actor_lines(text: str) -> tuple[list[_ActorDraft], list[str]]:
    drafts: list[_ActorDraft] = []
    problems: list[str] = []
    for number, stripped in _content_lines(text):
        if stripped.count("[") != stripped.count("]"):
            problems.append(f"line {number}: unbalanced [ ] in {stripped!r}")
            continue
        if stripped.startswith(("+", "[")) and not drafts:
            problems.append(f"line {number}: {stripped!r} comes before any actor name")
            continue
        if stripped.startswith("+"):
            drafts[-1].synonyms.extend(_written_forms(stripped[1:].split("[")[0]))
            _add_codes(drafts[-1], stripped, number, problems)
        elif stripped.startswith("["):
            _add_codes(drafts[-1], stripped, number, problems)
        else:
            forms = _written_forms(stripped.split("[")[0])
            drafts.append(_ActorDraft(forms[0], number, synonyms=forms[1:]))
            _add_codes(drafts[-1], stripped, number, problems)
    return drafts, problems


def _add_codes(draft: _ActorDraft, line: str, number: int, problems: list[str]) -> None:
    for block in _CODE_BLOCK.findall(line):
        parsed = parse_code_block(block)
        if parsed is None:
            problems.append(f"line {number}: cannot read code block [{block}]")
        else:
            draft.codes.append(parsed)


def parse_code_block(block: str) -> DatedCode | None:
    """``CODE``, ``CODE <DATE``, ``CODE >DATE`` or ``CODE DATE-DATE`` as a dated code."""
    match = _RESTRICTION.match(block.strip())
    if not match:
        return None
    code = match["code"]
    if match["op"]:
        day = petrarch_date(match["date"])
        if day is None:
            return None
        if match["op"] == "<":
            return DatedCode(code, Period(None, (day - timedelta(days=1)).isoformat()))
        return DatedCode(code, Period(day.isoformat(), None))
    if match["a"]:
        first, last = petrarch_date(match["a"]), petrarch_date(match["b"])
        if first is None or last is None or first > last:
            return None
        return DatedCode(code, Period(first.isoformat(), last.isoformat()))
    return DatedCode(code)


def petrarch_date(text: str) -> date | None:
    """``YYMMDD`` or ``YYYYMMDD`` as a date, None when it is not a calendar date."""
    if len(text) == 6:
        year = int(text[:2])
        text = f"{2000 + year if year < 30 else 1900 + year}{text[2:]}"
    if len(text) != 8:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def display_name(raw: str) -> str:
    """``UNITED_STATES`` -> ``United States``; acronyms (``IMF``, ``U.S.``, ``USSR``) keep their capitals."""
    words = raw.strip().strip("_").replace("_", " ").split()
    if len(words) == 1 and _looks_like_acronym(words[0]):
        return words[0]
    return " ".join(_display_word(w, first=i == 0) for i, w in enumerate(words))


def _looks_like_acronym(word: str) -> bool:
    vowels = sum(c in "AEIOU" for c in word.upper())
    return "." in word or len(word) <= 3 or (len(word) == 4 and vowels <= 1)


def _display_word(word: str, first: bool) -> str:
    if word.upper() in _SMALL_WORDS:
        return word.capitalize() if first else word.lower()
    if "." in word:
        return word
    return "-".join(part.capitalize() for part in word.split("-"))


def _written_forms(raw: str) -> list[str]:
    """The display name, plus the all-capitals form of a short one-word name ("NATO", "IRAN")."""
    name = display_name(raw)
    forms = [name]
    if " " not in name and len(name) <= 4 and name != name.upper():
        forms.append(name.upper())
    return forms


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "actor"


def _draft_values(draft: _ActorDraft) -> dict[str, Any]:
    plain = [c.code for c in draft.codes if c.period == Period()]
    dated = sorted((c for c in draft.codes if c.period != Period()), key=lambda c: c.period.first_day())
    cameo = plain[0] if plain else dated[-1].code
    return {
        "id": f"petrarch:{_slug(draft.name)}",
        "name": draft.name,
        "type": _type_for_code(cameo),
        "cameo": cameo,
        "aliases": tuple(dict.fromkeys(s for s in draft.synonyms if s and s != draft.name)),
        "codes": tuple(dated),
        "note": f"imported from a PETRARCH actors dictionary (line {draft.line})",
    }


def _type_for_code(code: str) -> str:
    upper = code.upper()
    if upper.startswith("IGO"):
        return "igo"
    if upper.startswith(("NGO", "NGM")):
        return "ngo"
    if len(upper) == 3 and upper.isalpha():
        return "state"
    if upper[3:6] == "GOV":
        return "government"
    return "organization"


def import_agents(path: Path) -> list[AgentTerm]:
    """Agent terms from a PETRARCH agents dictionary; raises DataFileError."""
    text = _strip_comments(_read(path, AGENTS_LABEL))
    sets: dict[str, list[str]] = {}
    agents: list[AgentTerm] = []
    problems: list[str] = []
    for number, stripped in _content_lines(text):
        substitution = _SUBSTITUTION.match(stripped)
        if substitution:
            sets[substitution[1]] = [w.strip() for w in substitution[2].split(",") if w.strip()]
            continue
        agent = _parse_agent_line(stripped, sets)
        if agent is None:
            problems.append(f"line {number}: cannot read agent entry {stripped!r}")
        else:
            agents.append(agent)
    if problems:
        raise DataFileError(str(path), [f"{AGENTS_LABEL}, {p}" for p in problems])
    return agents


def _parse_agent_line(line: str, sets: dict[str, list[str]]) -> AgentTerm | None:
    match = re.match(r"^([^{\[]+?)\s*(?:\{([^}]*)\})?\s*\[\s*([^\]]+?)\s*\]\s*$", line)
    if not match or "~" not in match[3]:
        return None
    phrase, plural, code = match[1], match[2], match[3]
    terms: list[str] = []
    for singular in _expand_sets(phrase, sets):
        terms.append(_agent_term(singular))
        if plural is None:
            terms.append(_plural(_agent_term(singular)))
    if plural:
        terms.extend(_agent_term(p) for p in plural.split(","))
    bare = code.replace("~", "").strip()
    prefix = code.strip().endswith("~")
    return AgentTerm(tuple(dict.fromkeys(t for t in terms if t)), bare, acts_as_for_code(bare), prefix)


def _expand_sets(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    marker = re.search(r"!(\w+)!", phrase)
    if not marker or marker[1] not in sets:
        return [phrase]
    expanded = [phrase[: marker.start()] + word + phrase[marker.end() :] for word in sets[marker[1]]]
    return [p for e in expanded for p in _expand_sets(e, sets)]


def _agent_term(raw: str) -> str:
    return raw.strip().strip("_").replace("_", " ").lower()


def _plural(term: str) -> str:
    """English plural of the last word: officials, authorities, ministries, congressmen."""
    head, _, last = term.rpartition(" ")
    if last.endswith(("men", "people")):
        return term
    if last.endswith("man"):
        last = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()
