"""Names spaCy's NER finds that the KB does not know: kept as unresolved actors.

An analyst lists them (``dyadlens actors --unresolved``) and adds the
frequent ones to a KB file. Junk is filtered first: a leading "the", a
trailing possessive and footnote marks are trimmed; pronouns, contractions
("n't"), numbers, dates, web addresses and names without a capital letter
are dropped. Headlines in Title Case or capitals are skipped: every word is
capitalised there, and NER takes ordinary words for names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from dyadlens.model import slug, unresolved_id
from dyadlens.nlp.offsets import entities

KEPT_LABELS: Mapping[str, str] = MappingProxyType(
    {"ORG": "organization", "PERSON": "person", "GPE": "place", "NORP": "group"}
)
_LEADING = re.compile(r"^(?:[^\w\s]+\s*|[\u2070-\u209f\u00b2\u00b3\u00b9]+\s*)*(?:(?:the|The|THE)\s+)?")
_TRAILING = re.compile(r"(?:['\u2019]s?|[^\w)]|[\u2070-\u209f\u00b2\u00b3\u00b9])+$")


@dataclass(frozen=True, slots=True)
class UnresolvedName:
    start: int  # sentence offsets of the trimmed name
    end: int
    name: str
    label: str
    actor_type: str

    @property
    def actor_id(self) -> str:
        return unresolved_id(self.name)


def unresolved_names(doc: Any, text: str, date_words: frozenset[str]) -> list[UnresolvedName]:
    """NER entities of the kept labels, trimmed, with the junk dropped: offsets into ``text``,
    the text of ``doc`` (a sentence's span of the document's parse)."""
    if is_headline_case(text):
        return []
    names = []
    base = doc.start_char
    for ent in entities(doc):
        if ent.label_ not in KEPT_LABELS:
            continue
        trimmed = trim(text, ent.start_char - base, ent.end_char - base, date_words)
        if trimmed is None:
            continue
        start, end = trimmed
        names.append(UnresolvedName(start, end, text[start:end], ent.label_, KEPT_LABELS[ent.label_]))
    return names


def trim(text: str, start: int, end: int, date_words: frozenset[str]) -> tuple[int, int] | None:
    """The name inside [start, end) without "the", possessives and marks; None when it is junk."""
    value = text[start:end]
    leading = _LEADING.match(value)
    if leading:
        start += leading.end()
        value = value[leading.end() :]
    trailing = _TRAILING.search(value)
    if trailing:
        end -= len(value) - trailing.start()
        value = value[: trailing.start()]
    return (start, end) if not is_junk(value, date_words) else None


def is_headline_case(text: str, share: float = 0.85, min_words: int = 4) -> bool:
    """Most words start with a capital ("Why Small Ports Matter For Regional Trade ...")."""
    words: list[str] = [w for w in re.findall(r"[^\W\d_]+", text) if w.casefold() not in STOP_WORDS or w[:1].isupper()]
    if len(words) < min_words:
        return False
    return sum(w[:1].isupper() for w in words) / len(words) >= share


def is_junk(name: str, date_words: frozenset[str]) -> bool:
    words = name.split()
    if len(name) < 2 or not any(c.isupper() for c in name) or not slug(name):
        return True
    if name.casefold() in STOP_WORDS or "n't" in name.casefold() or "@" in name or "www" in name.casefold():
        return True
    return all(w.casefold().strip(".,") in date_words or any(c.isdigit() for c in w) for w in words)
