"""The lexicon: the word lists and CAMEO code groups the coding rules read.

The lists live in ``nlp/data/lexicon.yaml``, one section per theme (speech,
offices, modality, dates, events, actors); the top of that file says what
each list is for and which module reads it. :func:`load_lexicon` checks a
file against the dataclasses below (every section and list present, nothing
unknown, lists of lower-case single words or of CAMEO codes, no duplicates)
and raises :class:`~dyadlens.errors.DataFileError` naming the file and every
problem. Components take the lexicon from ``Resources.lexicon``, read once
per process, and hand the section they need to their helpers; nothing reads
the file at import time.

The kind of a list is the text of its annotation (``Words``, ``Codes``,
``CodeTable``, ``WordMap``, ``ModalityMap``; annotations stay text under
``from __future__ import annotations``): the loader picks its check by it.
Fields with ``init=False`` are derived from the lists, not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.model import MODALITIES

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
#: libyaml's safe loader when PyYAML was built with it, else the pure one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CAMEO_CODE = re.compile(r"\d{2,4}")

Words = frozenset[str]
Codes = frozenset[str]
#: A word and the words that go with it (a coreference noun -> fragments of the KB roles it fits).
WordMap = Mapping[str, tuple[str, ...]]
#: A CAMEO root -> the modalities its code already expresses.
ModalityMap = Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class CodeTable:
    """The CAMEO code of a stance ("threatened to", "refused to") on an action, by the action's code."""

    codes: Mapping[str, str]
    default: str

    def code_for(self, action_code: str) -> str:
        """The code listed for the action code's longest prefix (three digits, then two), else the default."""
        for width in (3, 2):
            if action_code[:width] in self.codes:
                return self.codes[action_code[:width]]
        return self.default


@dataclass(frozen=True, slots=True)
class SpeechWords:
    attribution_verbs: Words
    non_reporting_verbs: Words
    demand_verbs: Words
    describing_verbs: Words
    appeal_verbs: Words
    audience_verbs: Words
    of_content_verbs: Words
    speech_nouns: Words
    dated_speech_words: Words
    report_nouns: Words
    question_labels: Words
    answer_labels: Words
    reporting_context_words: Words
    #: attribution verbs that report content ("said that ..."): all but the non-reporting ones; the
    #: events' claimant and the date of reported content come from these
    reporting_verbs: Words = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reporting_verbs", self.attribution_verbs - self.non_reporting_verbs)


@dataclass(frozen=True, slots=True)
class OfficeWords:
    speaker_role_nouns: Words
    institution_nouns: Words
    state_organs: Words
    local_forces: Words
    envoy_nouns: Words
    new_ruler_nouns: Words
    group_nouns: Words
    person_nouns: WordMap


@dataclass(frozen=True, slots=True)
class ModalityWords:
    possible_aux: Words
    planned_aux: Words
    recommended_aux: Words
    conditional_marks: Words
    negative_determiners: Words
    negating_governors: Words
    possible_governors: Words
    planned_governors: Words
    recommended_governors: Words
    alleged_governors: Words
    preventing_governors: Words
    forecast_governors: Words
    #: every modal auxiliary: a verb under one has modal tense, a status statement under one is hypothetical
    modal_aux: Words = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "modal_aux", self.possible_aux | self.planned_aux | self.recommended_aux)


@dataclass(frozen=True, slots=True)
class DateWords:
    document_nouns: Words
    stance_nouns: Words
    temporal_marks: Words
    iterative_adverbs: Words
    report_adverbs: Words
    commitment_words: Words
    plan_nouns: Words
    occasion_nouns: Words


@dataclass(frozen=True, slots=True)
class EventWords:
    threat_verbs: Words
    refusal_verbs: Words
    threat_codes: CodeTable
    refusal_codes: CodeTable
    intrinsic_modalities: ModalityMap
    hostile_roots: Codes
    force_roots: Codes
    aerial_roots: Codes
    evaluative_roots: Codes
    demand_aux: Words
    aerial_heads: Words
    past_markers: Words
    leading_verbs: Words
    relationship_nouns: Words
    state_verbs: Words
    gathering_nouns: Words
    gathering_verbs: Words
    hosting_verbs: Words
    collective_nouns: Words
    collective_determiners: Words
    control_prep_verbs: Words
    control_preps: Words
    example_preps: Words
    place_preps: Words
    author_preps: Words
    transparent_preps: Words
    participant_preps: Words
    represented_preps: Words
    participation_verbs: WordMap
    venue_preps: Words
    meeting_verbs: WordMap
    invitation_nouns: Words
    mediation_verbs: WordMap
    gathering_determiners: Words
    anaphoric_event_nouns: WordMap
    anaphoric_determiners: Words
    mutual_event_nouns: Words
    event_maker_verbs: Words
    event_noun_verbs: WordMap
    #: verbs that make their infinitive complement a threat or a refusal
    stance_verbs: Words = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stance_verbs", self.threat_verbs | self.refusal_verbs)


@dataclass(frozen=True, slots=True)
class ActorWords:
    place_prepositions: Words
    agent_prepositions: Words
    place_glosses: Words
    geographic_nouns: Words
    distinguishing_modifiers: Words
    expletive_heads: Words
    date_words: Words
    #: plural anaphors that name a set of actors ("the two countries"): noun -> member kinds
    plural_set_nouns: WordMap
    #: how many members a set word names ("both", "pair": 2), the count as key
    set_size_words: WordMap
    #: "the bloc": a role noun -> the KB types of the actor named earlier that it refers back to
    role_nouns: WordMap
    #: "his country": a noun that, after "his"/"her", is the state of the person named before
    own_state_nouns: Words


@dataclass(frozen=True, slots=True)
class StandingWords:
    """Cues of a standing fact: a relation or status said to hold, not a new act (nlp/standing.py)."""

    continuative_adverbs: Words
    continuative_verbs: Words
    until_preps: Words
    present_nouns: Words
    status_codes: Codes
    relation_codes: Codes


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech: SpeechWords
    offices: OfficeWords
    modality: ModalityWords
    dates: DateWords
    events: EventWords
    actors: ActorWords
    standing: StandingWords


def list_names(section: type[Any]) -> tuple[str, ...]:
    """The lists a section reads from the file (not the derived ones)."""
    return tuple(f.name for f in fields(section) if f.init)


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    """Read and check a lexicon file; every problem found is named in one :class:`DataFileError`."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:
        raise DataFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), [f"not valid YAML: {exc}"]) from exc
    if not isinstance(raw, dict):
        raise DataFileError(str(path), ["expected a mapping of sections (speech, offices, ...)"])
    problems: list[str] = []
    sections = {f.name: _section(str(f.type), raw.get(f.name), f.name, problems) for f in fields(Lexicon)}
    problems += [f"unknown section {name!r}" for name in raw if name not in sections]
    if problems:
        raise DataFileError(str(path), problems)
    return Lexicon(**sections)


def _section(section_type: str, raw: Any, name: str, problems: list[str]) -> Any:
    cls = _SECTIONS[section_type]
    present = isinstance(raw, dict)
    if raw is None:
        problems.append(f"missing section {name!r}")
    elif not present:
        problems.append(f"{name}: expected a mapping of lists, got {_shown(raw)}")
    raw = raw if present else {}
    values = {}
    for list_field in (f for f in fields(cls) if f.init):
        where = f"{name}.{list_field.name}"
        if present and list_field.name not in raw:
            problems.append(f"{where}: missing")
        values[list_field.name] = _READERS[str(list_field.type)](raw.get(list_field.name), where, problems)
    problems += [f"{name}: unknown list {key!r}" for key in raw if key not in values]
    return cls(**values)


def _words(value: Any, where: str, problems: list[str]) -> Words:
    return frozenset(_items(value, where, problems, _word_problem))


def _codes(value: Any, where: str, problems: list[str]) -> Codes:
    return frozenset(_items(value, where, problems, _code_problem))


def _code_table(value: Any, where: str, problems: list[str]) -> CodeTable:
    table = _mapping(value, where, problems)
    codes: dict[str, str] = {}
    for key, code in table.items():
        problem = _code_problem(code) or (None if key == "default" else _code_problem(key))
        if problem is not None:
            problems.append(f"{where}.{key}: {problem}")
        else:
            codes[str(key)] = str(code)
    if value is not None and "default" not in table:
        problems.append(f"{where}: needs a 'default' code")
    default = codes.pop("default", "")
    return CodeTable(codes, default)


def _word_map(value: Any, where: str, problems: list[str]) -> WordMap:
    found: dict[str, tuple[str, ...]] = {}
    for key, words in _mapping(value, where, problems).items():
        problem = _word_problem(key)
        if problem is not None:
            problems.append(f"{where}: key {problem}")
            continue
        found[key] = tuple(_items(words, f"{where}.{key}", problems, _word_problem))
    return found


def _modality_map(value: Any, where: str, problems: list[str]) -> ModalityMap:
    found: dict[str, frozenset[str]] = {}
    for key, modalities in _mapping(value, where, problems).items():
        problem = _code_problem(key)
        if problem is not None:
            problems.append(f"{where}: key {problem}")
            continue
        found[key] = frozenset(_items(modalities, f"{where}.{key}", problems, _modality_problem))
    return found


def _mapping(value: Any, where: str, problems: list[str]) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping, got {_shown(value)}")
        return {}
    return value


def _items(value: Any, where: str, problems: list[str], check: Callable[[Any], str | None]) -> list[str]:
    """The items of a list that pass ``check``; the others, and repeats, are problems."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list, got {_shown(value)}")
        return []
    items: list[str] = []
    for number, item in enumerate(value, start=1):
        problem = check(item)
        if problem is not None:
            problems.append(f"{where}: item {number} {problem}")
        elif item in items:
            problems.append(f"{where}: {item!r} is listed twice")
        else:
            items.append(item)
    return items


def _word_problem(item: Any) -> str | None:
    if not isinstance(item, str):
        return f"is not a word: {_shown(item)} (quote yes/no/on/off, which YAML reads as true/false)"
    if not item or item != item.lower() or any(c.isspace() for c in item):
        return f"{item!r} must be one lower-case word"
    return None


def _code_problem(item: Any) -> str | None:
    if not isinstance(item, str):
        return f"is not a CAMEO code: {_shown(item)} (quote codes: YAML reads 04 as the number 4)"
    return None if _CAMEO_CODE.fullmatch(item) else f"{item!r} is not a CAMEO code (two to four digits)"


def _modality_problem(item: Any) -> str | None:
    return None if item in MODALITIES else f"{_shown(item)} is not a modality ({', '.join(MODALITIES)})"


def _shown(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


_SECTIONS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (SpeechWords, OfficeWords, ModalityWords, DateWords, EventWords, ActorWords, StandingWords)
}
_READERS: dict[str, Callable[[Any, str, list[str]], Any]] = {
    "Words": _words,
    "Codes": _codes,
    "CodeTable": _code_table,
    "WordMap": _word_map,
    "ModalityMap": _modality_map,
}
