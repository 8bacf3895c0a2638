"""Designation status facts: who lists, delists or recognises whom, and when.

Two sources, read after events and quotes:

- coded events that change a status: 172 (a terrorist designation) gives
  ``listed``; 081 (ease administrative sanctions) gives ``delisted`` when
  asserted, ``delisting_promised`` when promised, ``delisting_proposed`` when
  proposed or under (dated) consideration: a proposal is not a delisting;
  054 (recognition) gives ``recognized``, or ``recognition_withheld`` when
  negated or still under dated consideration;
- statements of current status in the parse, with the patterns of
  ``data/designation_patterns.yaml``: "X is designated as terrorists by Y",
  "X, still outlawed by Y", "X remains on Y's list of terrorist organizations",
  "similarly designated Z" (Y again), "no longer banned by Y" (delisted), "Y
  added X to its terrorist list", "a court in Y suspended the ban on X"
  (ban_suspended), "Y recognised X", an
  ambassador's credentials accepted or presented (``ambassador_accredited``),
  recognition held back ("Y's recognition of X is conditional on ...",
  "Y has stopped short of recognition": ``recognition_withheld``).
  Where a pattern and a coded event read the same trigger, the pattern wins;
  an unresolved designating body ("Kenya's High Court") acts for its state.

One row per (designator, designee, status) per document: the first that the
text gives, preferring a dated one and body text over a headline. Each row
keeps its evidence sentence, the event it came from, and its claimant (None =
the author; else the speaker whose quotation or report holds it).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.model import (
    DESIGNATION_STATUSES,
    MODALITIES,
    Designation,
    Event,
    Sentence,
    is_resolved,
    is_unresolved,
    stable_id,
)
from dyadlens.nlp.dates import timeline_of
from dyadlens.nlp.lexicon import Lexicon
from dyadlens.nlp.offsets import subtree_span, tokens_span
from dyadlens.nlp.span_index import SpanIndex

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.resources import Resources
    from dyadlens.state import DocState

PATTERNS_FILE = Path(__file__).parent / "data" / "designation_patterns.yaml"
_REQUIRED_KEYS = (
    "events", "trigger_statuses", "proposal_cues", "promise_cues", "unfinished_cues", "passive_listing", "list_nouns",
    "qualifiers", "no_longer", "similar_markers", "designee_not_types", "accreditation", "recognition",
    "reversal_cues", "list_entry", "ban_changes", "recognition_statuses", "removal_verbs",
)
_UNDATED_STATES = frozenset({"listed", "recognized"})


@dataclass(frozen=True, slots=True)
class DesignationPatterns:
    """The validated contents of a designation pattern file."""

    events: Mapping[str, Mapping[str, str]]
    trigger_statuses: Mapping[str, Mapping[str, str]]
    proposal_cues: frozenset[str]
    promise_cues: frozenset[str]
    unfinished_cues: frozenset[str]
    passive_listing: Mapping[str, bool]
    list_nouns: frozenset[str]
    qualifiers: tuple[str, ...]
    no_longer: tuple[str, ...]
    similar_markers: frozenset[str]
    designee_not_types: frozenset[str]
    accreditation_verbs: frozenset[str]
    accreditation_nouns: frozenset[str]
    recognition_words: frozenset[str]
    withheld_cues: frozenset[str]
    reversal_cues: frozenset[str]
    list_entry_verbs: frozenset[str]
    ban_verbs: Mapping[str, str]
    ban_nouns: frozenset[str]
    recognizing_verbs: frozenset[str]
    recognized_of_nouns: frozenset[str]
    presenting_verbs: frozenset[str]
    removal_verbs: frozenset[str]


def load_designation_patterns(path: Path = PATTERNS_FILE) -> DesignationPatterns:
    """Read and check a pattern file; problems raise :class:`DataFileError` naming it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(str(path), [f"cannot read: {error}"]) from error
    problems = _problems(raw)
    if problems:
        raise DataFileError(str(path), problems)
    return DesignationPatterns(
        events={str(k): {m: str(s or "") for m, s in v.items()} for k, v in raw["events"].items()},
        trigger_statuses={str(k): dict(v) for k, v in raw["trigger_statuses"].items()},
        proposal_cues=frozenset(raw["proposal_cues"]),
        promise_cues=frozenset(raw["promise_cues"]),
        unfinished_cues=frozenset(raw["unfinished_cues"]),
        passive_listing={str(k): bool(v) for k, v in raw["passive_listing"].items()},
        list_nouns=frozenset(raw["list_nouns"]),
        qualifiers=tuple(raw["qualifiers"]),
        no_longer=tuple(raw["no_longer"]),
        similar_markers=frozenset(raw["similar_markers"]),
        designee_not_types=frozenset(raw["designee_not_types"]),
        accreditation_verbs=frozenset(raw["accreditation"]["verbs"]),
        accreditation_nouns=frozenset(raw["accreditation"]["nouns"]),
        recognition_words=frozenset(raw["recognition"]["words"]),
        withheld_cues=frozenset(raw["recognition"]["withheld_cues"]),
        reversal_cues=frozenset(raw["reversal_cues"]),
        list_entry_verbs=frozenset(raw["list_entry"]),
        ban_verbs={str(k): str(v) for k, v in raw["ban_changes"]["verbs"].items()},
        ban_nouns=frozenset(raw["ban_changes"]["ban_nouns"]),
        recognizing_verbs=frozenset(raw["recognition_statuses"]["verbs"]),
        recognized_of_nouns=frozenset(raw["recognition_statuses"]["of_nouns"]),
        presenting_verbs=frozenset(raw["accreditation"].get("presenting_verbs", ())),
        removal_verbs=frozenset(raw["removal_verbs"]),
    )


def _problems(raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return ["top level must be a mapping"]
    problems = [f"missing key {key!r}" for key in _REQUIRED_KEYS if key not in raw]
    for code, by_modality in (raw.get("events") or {}).items():
        if not isinstance(by_modality, dict):
            problems.append(f"events.{code}: must map modalities to statuses")
            continue
        for modality, status in by_modality.items():
            if modality not in MODALITIES:
                problems.append(f"events.{code}: unknown modality {modality!r}")
            bare = str(status or "").removeprefix("dated:")
            if bare and bare not in DESIGNATION_STATUSES:
                problems.append(f"events.{code}.{modality}: unknown status {bare!r}")
    for lemma, status in ((raw.get("ban_changes") or {}).get("verbs") or {}).items():
        if status not in DESIGNATION_STATUSES:
            problems.append(f"ban_changes.verbs.{lemma}: unknown status {status!r}")
    for code, by_lemma in (raw.get("trigger_statuses") or {}).items():
        for lemma, status in (by_lemma or {}).items():
            if status not in DESIGNATION_STATUSES:
                problems.append(f"trigger_statuses.{code}.{lemma}: unknown status {status!r}")
    return problems


@dataclass(frozen=True, slots=True)
class _Found:
    sentence: Sentence
    designator: str
    designee: str
    status: str
    date: str | None
    event_id: str | None
    claimant: str | None
    rule: str
    offset: int  # where the trigger sits, for text order


class DesignationExtractor:
    """Dated designation statuses per (designator, designee) (component ``designations``)."""

    name = "designations"
    version = "1"

    def __init__(self, resources: Resources, patterns_file: Path = PATTERNS_FILE) -> None:
        self._resources = resources
        self._patterns = load_designation_patterns(patterns_file)

    def __call__(self, state: DocState) -> None:
        reader = _DesignationReader(state, self._resources.kb, self._patterns, self._resources.lexicon)
        found = [*reader.from_events(), *reader.from_statements()]
        state.designations.extend(reader.records(_one_per_status(found)))


def _one_per_status(found: list[_Found]) -> list[_Found]:
    """The first row of each (designator, designee, status), a dated one if any.

    Where a status pattern and a coded event read the same trigger, the
    pattern's reading wins (it reads the status statement itself).
    """
    events = {f.offset: f.event_id for f in found if f.event_id is not None}
    by_pattern = {f.offset for f in found if f.event_id is None}
    found = [
        replace(f, event_id=events.get(f.offset)) if f.event_id is None else f
        for f in found
        if f.event_id is None or f.offset not in by_pattern
    ]
    chosen: dict[tuple[str, str, str], _Found] = {}
    for item in sorted(found, key=lambda f: f.offset):
        key = (item.designator, item.designee, item.status)
        if key not in chosen or _better_evidence(item, chosen[key]):
            chosen[key] = item
    return sorted(chosen.values(), key=lambda f: f.offset)


def _better_evidence(item: _Found, kept: _Found) -> bool:
    """A dated row beats an undated one; body text beats a headline (which dates nothing itself)."""
    if kept.date is None and item.date is not None:
        return True
    return kept.sentence.kind == "heading" and item.sentence.kind != "heading" and item.date is not None


class _DesignationReader:
    def __init__(self, state: DocState, kb: KnowledgeBase, patterns: DesignationPatterns, lexicon: Lexicon) -> None:
        self.state = state
        self.kb = kb
        self.patterns = patterns
        self.envoy_nouns = lexicon.offices.envoy_nouns
        self.modals = lexicon.modality.modal_aux
        self.sentences = {s.index: s for s in state.sentences}
        self.timeline = timeline_of(state)
        self.mentions = SpanIndex(state.mentions)
        self.quotes = SpanIndex(state.quotes)
        self.recognitions = _recognitions_by_source(state.events)
        self.parentheses = _Parentheses(state.text)

    # -- from events --------------------------------------------------------------

    def from_events(self) -> Iterator[_Found]:
        for event in self.state.events:
            status = self._status_of_event(event)
            sentence = self.sentences.get(event.sentence_index)
            if not status or sentence is None or not event.source or not event.target:
                continue
            designator = self._resolved_designator(event.source, event)
            if not self._plausible(designator, event.target, status):
                continue
            date = event.date if status not in _UNDATED_STATES or event.date_start is not None else None
            if status == "listed" and date is None:
                date = self._origin_date(sentence, [])
            claimant = event.claimant or self._claimant_at(event.trigger_start)
            rule = f"event:{event.code}:{event.modality}"
            yield _Found(
                sentence, designator, event.target, status, date, event.id, claimant, rule, event.trigger_start
            )

    def _resolved_designator(self, source: str, event: Event) -> str:
        """An unresolved body ("Kenya's High Court") acts for the state that owns it."""
        if not is_unresolved(source):
            return source
        trigger = self._trigger_token(event)
        subject = (
            next((c for c in trigger.children if c.dep_ in ("nsubj", "agent")), None) if trigger is not None else None
        )
        owner = (
            next((c for c in subject.children if c.dep_ in ("poss", "amod", "compound")), None)
            if subject is not None
            else None
        )
        actor = self._actor_of(owner) if owner is not None else None
        entity = self.kb.get(actor) if actor else None
        return actor if actor and entity is not None and entity.type in ("state", "government") else source

    def _status_of_event(self, event: Event) -> str | None:
        for prefix in sorted(self.patterns.events, key=len, reverse=True):
            if event.code.startswith(prefix):
                return self._status_for(prefix, event)
        return None

    def _status_for(self, prefix: str, event: Event) -> str | None:
        status = self.patterns.events[prefix].get(event.modality, "")
        if status.startswith("dated:"):
            status = status.removeprefix("dated:") if event.date else ""
        trigger = self._trigger_lemma(event) or ""
        overrides = self.patterns.trigger_statuses.get(prefix, {})
        if event.modality == "asserted" and trigger in overrides:
            return overrides[trigger]
        if status == "listed" and self._reversed(event):
            return "delisted"
        if status in ("delisting_promised", "delisting_proposed"):
            return self._proposal_or_promise(event, status)
        if status == "delisted" and (
            self._trigger_context(event) & (self.patterns.unfinished_cues | self.patterns.proposal_cues)
            or self._governing_cue(event) == "delisting_proposed"
        ):
            return "delisting_proposed"
        return status or None

    def _reversed(self, event: Event) -> bool:
        """"revoked the designation of X": a listing word governed by a verb that undoes it."""
        token = self._trigger_token(event)
        if token is None or token.pos_ == "VERB":
            return False
        return any(g.lemma_.lower() in self.patterns.reversal_cues for g in _governors(token))

    def _proposal_or_promise(self, event: Event, default: str) -> str:
        """A planned delisting is a promise unless the words near it, or else the nearest verb
        whose clause it is part of ("proposed that X be taken off the list"), make it a proposal."""
        words = self._trigger_context(event)
        if words & self.patterns.proposal_cues:
            return "delisting_proposed"
        if words & self.patterns.promise_cues:
            return "delisting_promised"
        return self._governing_cue(event) or default

    def _governing_cue(self, event: Event) -> str | None:
        """The status the nearest proposal or promise verb governing the trigger's clause gives:
        "the ministries proposed that X be removed" (proposed), "Moscow pledged it would drop X" (promised)."""
        token = self._trigger_token(event)
        for verb in _clause_governors(token) if token is not None else []:
            lemma = verb.lemma_.lower()
            if lemma in self.patterns.proposal_cues:
                return "delisting_proposed"
            if lemma in self.patterns.promise_cues:
                return "delisting_promised"
        return None

    def _trigger_lemma(self, event: Event) -> str | None:
        token = self._trigger_token(event)
        return token.lemma_.lower() if token is not None else None

    def _trigger_context(self, event: Event) -> set[str]:
        token = self._trigger_token(event)
        if token is None:
            return set()
        near = [token, *token.children, *_governors(token)]
        return {t.lemma_.lower() for t in near} | {t.lower_ for t in near}

    def _trigger_token(self, event: Event) -> Any | None:
        sentence = self.sentences.get(event.sentence_index)
        doc = self.state.sentence_span(event.sentence_index)
        if sentence is None or doc is None:
            return None
        for token in doc:
            if token.idx == event.trigger_start:
                return token
        return None

    # -- from statements of status ---------------------------------------------------

    def from_statements(self) -> Iterator[_Found]:
        trigger_lemmas = self._statement_lemmas()
        for sentence in self.state.analysed_sentences():
            doc = self.state.sentence_span(sentence.index)
            if doc is None:
                continue
            found: list[_Found] = []
            for token in doc:
                if token.pos_ not in ("VERB", "AUX") and token.lemma_.lower() not in trigger_lemmas:
                    continue  # none of the statements below starts on it
                items = self._passive_listings(token, sentence, found) or self._ban_change(token, sentence) or [
                    item
                    for item in (
                        self._on_list(token, sentence)
                        or self._added_to_list(token, sentence)
                        or self._proposed_removal(token, sentence)
                        or self._accreditation(token, sentence)
                        or self._credentials_presented(token, sentence)
                        or self._recognition_withheld(token, sentence, doc)
                        or self._recognized(token, sentence),
                    )
                    if item is not None
                ]
                found.extend(items)
            yield from found

    def _statement_lemmas(self) -> frozenset[str]:
        """The lemmas on which a statement of status can start besides any verb (``_on_list`` reads
        every verb): a word with none of them is passed over without asking each reader."""
        p = self.patterns
        return frozenset().union(
            p.passive_listing, p.ban_verbs, p.list_entry_verbs, p.proposal_cues, p.accreditation_verbs,
            p.presenting_verbs, p.recognition_words, p.recognizing_verbs,
        )

    def _passive_listings(self, verb: Any, sentence: Sentence, earlier: list[_Found]) -> list[_Found]:
        """"X is banned by Y", "X (designated as terrorists by Y)", "similarly designated Z";
        one row per designator ("by Y, Z and W")."""
        lemma = verb.lemma_.lower()
        if lemma not in self.patterns.passive_listing or verb.tag_ != "VBN" or self._is_hypothetical(verb):
            return []
        similar = bool(earlier) and any(c.lower_ in self.patterns.similar_markers for c in verb.children)
        if self.patterns.passive_listing[lemma] and not similar and not self._qualified(verb):
            return []
        designee = self._designee_of_passive(verb, sentence)
        designators = self._agents_of(verb)
        if not designators and similar:
            designators = [earlier[-1].designator]
        if designee is None or not designators:
            return []
        status = "delisted" if self._no_longer(verb, sentence) else "listed"
        if self._negated(verb) and status == "listed":
            return []
        rule = f"pattern:passive-{lemma}"
        rows = (self._statement(sentence, verb, designator, designee, status, rule) for designator in designators)
        return [row for row in rows if row is not None]

    def _added_to_list(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"Y added X to its list of terrorist organisations" (a listing with the verb's date)."""
        if verb.lemma_.lower() not in self.patterns.list_entry_verbs or verb.pos_ != "VERB":
            return None
        if self._negated(verb) or self._is_hypothetical(verb):
            return None
        to = next((c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ in ("to", "on", "onto")), None)
        noun = _object_of(to) if to is not None else None
        if noun is None or noun.lemma_.lower() not in self.patterns.list_nouns or not self._qualified(noun):
            return None
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        designee = self._actor_of(obj) if obj is not None else None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        designator = self._actor_in_phrase(subject) if subject is not None else self._agent_of(verb)
        owner = next(
            (c for c in noun.children if c.dep_ in ("poss", "compound", "amod") and self._actor_of(c)), None
        )
        if designator is None and owner is not None:
            designator = self._actor_of(owner)
        if designee is None or designator is None:
            return None
        return self._dated_statement(sentence, verb, designator, designee, "listed", "pattern:added-to-list")

    def _proposed_removal(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"The ministries proposed that X be taken off the list": a proposal, dated by its own
        expression or by the report that carries it ("In May, an agency reported that ...")."""
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.patterns.proposal_cues or self._negated(verb):
            return None
        removal = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("ccomp", "xcomp") and c.lemma_.lower() in self.patterns.removal_verbs
            ),
            None,
        )
        if removal is None or not self._off_a_list(removal):
            return None
        moved = next((c for c in removal.children if c.dep_ in ("nsubjpass", "dobj")), None)
        designee = self._actor_of(moved) if moved is not None else None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        designator = self._actor_in_phrase(subject) if subject is not None else None
        if designator is None or is_unresolved(designator):
            designator = self._state_in_sentence(sentence, designee)
        if designee is None or designator is None:
            return None
        found = self._statement(sentence, verb, designator, designee, "delisting_proposed", "pattern:proposed-removal")
        if found is None or verb.dep_ != "ccomp":
            return found
        report = self.timeline.date_for(sentence.index, verb.head.i, "asserted")
        own = self.timeline.date_for(sentence.index, verb.i, "asserted")
        return replace(found, date=report.value) if own.start is None and report.start is not None else found

    def _off_a_list(self, removal: Any) -> bool:
        if removal.lemma_.lower() == "delist":
            return True
        return any(
            c.dep_ == "prep"
            and c.lower_ in ("from", "off")
            and (obj := _object_of(c)) is not None
            and obj.lemma_.lower() in self.patterns.list_nouns
            for c in removal.children
        )

    def _state_in_sentence(self, sentence: Sentence, besides: str | None) -> str | None:
        """"the foreign and justice ministries ... proposed to President N": the state the sentence
        names (a person's mention counts for the actor they act for)."""
        for mention in self.mentions.starting_in(sentence.start, sentence.end):
            if mention.actor_id and mention.actor_id != besides:
                entity = self.kb.get(mention.actor_id)
                if entity is not None and entity.type in ("state", "government"):
                    return mention.actor_id
        return None

    def _ban_change(self, verb: Any, sentence: Sentence) -> list[_Found]:
        """"A court in Y suspended the ban on X", "Y lifted its ban on X"; and, when the sentence
        dates the ban itself ("the ban, in force since 2009"), that listing."""
        status = self.patterns.ban_verbs.get(verb.lemma_.lower())
        if status is None or verb.pos_ != "VERB" or self._negated(verb) or self._is_hypothetical(verb):
            return []
        ban = next(
            (
                c
                for c in verb.children
                if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in self.patterns.ban_nouns
            ),
            None,
        )
        if ban is None:
            return []
        target = next(
            (_object_of(c) for c in ban.children if c.dep_ == "prep" and c.lower_ in ("on", "of", "against")), None
        )
        designee = self._actor_of(target) if target is not None else None
        owner = next((c for c in ban.children if c.dep_ == "poss"), None)
        designator = self._actor_of(owner) if owner is not None else None
        if designator is None or is_unresolved(designator):
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            designator = (self._actor_in_phrase(subject) if subject is not None else None) or designator
        if designee is None or designator is None:
            return []
        change = self._dated_statement(
            sentence, verb, designator, designee, status, f"pattern:ban-{verb.lemma_.lower()}"
        )
        if change is None:
            return []
        origin = self._origin_date(sentence, [ban, target])
        if origin is None:
            return [change]
        listed = replace(change, status="listed", date=origin, rule="pattern:ban-origin", offset=change.offset - 1)
        return [listed, change]

    def _origin_date(self, sentence: Sentence, extra: list[Any]) -> str | None:
        """The date a clause on a ban noun (or on the banned group) gives the ban: "a designation
        imposed in 2009", "the ban, in force since 2009" (a range gives its start)."""
        doc = self.state.sentence_span(sentence.index)
        if doc is None:
            return None
        holders = [t for t in doc if t.lemma_.lower() in self.patterns.ban_nouns] + [t for t in extra if t is not None]
        for holder in holders:
            for clause in holder.children:
                if clause.dep_ not in ("relcl", "acl", "appos"):
                    continue
                words = {t.lemma_.lower() for t in clause.subtree}
                if (
                    holder in extra
                    and holder.lemma_.lower() not in self.patterns.ban_nouns
                    and not words & (self.patterns.ban_nouns | {"force", "impose"})
                ):
                    continue
                first, last = subtree_span(clause)
                for expression in self.timeline.expressions(sentence.index):
                    if (
                        first <= expression.start
                        and expression.end <= last
                        and expression.value
                        and expression.kind in ("point", "range")
                    ):
                        return expression.value
        return None

    def _recognized(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"Y recognised X" / "Y recognised the independence of X", asserted and not withheld."""
        if verb.lemma_.lower() not in self.patterns.recognizing_verbs or verb.pos_ != "VERB":
            return None
        if self._negated(verb) or self._is_hypothetical(verb) or verb.tag_ not in ("VBD", "VBN", "VBZ"):
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            return None
        if obj.lemma_.lower() in self.patterns.recognized_of_nouns:
            of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = _object_of(of) if of is not None else None
            designee = self._actor_of(inner) if inner is not None else self._actor_of(obj)
        else:
            designee = self._actor_of(obj)
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        designator = self._actor_in_phrase(subject) if subject is not None else self._agent_of(verb)
        if designee is None or designator is None:
            return None
        return self._statement(sentence, verb, designator, designee, "recognized", "pattern:recognized")

    def _credentials_presented(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"Y's ambassador presented his credentials to X" (X accredits Y's envoy)."""
        if verb.lemma_.lower() not in self.patterns.presenting_verbs or verb.pos_ != "VERB":
            return None
        if self._negated(verb) or self._is_hypothetical(verb):
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None or obj.lemma_.lower() not in self.patterns.accreditation_nouns:
            return None
        to = next((c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"), None)
        receiver = _object_of(to) if to is not None else None
        designator = self._actor_in_phrase(receiver) if receiver is not None else None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        designee = self._actor_in_phrase(subject) if subject is not None else None
        if designee is None or designator is None or designee == designator:
            return None
        return self._statement(
            sentence, verb, designator, designee, "ambassador_accredited", "pattern:credentials-presented"
        )

    def _on_list(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"X remains on Y's list of terrorist organizations"."""
        if verb.pos_ not in ("VERB", "AUX") or self._is_hypothetical(verb):
            return None
        on = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"), None)
        noun = next((c for c in on.children if c.dep_ == "pobj"), None) if on is not None else None
        if noun is None or noun.lemma_.lower() not in self.patterns.list_nouns or not self._qualified(noun):
            return None
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        designee = self._actor_of(subject) if subject is not None else None
        owner = next(
            (c for c in noun.children if c.dep_ in ("poss", "compound", "amod") and self._actor_of(c)), None
        )
        designator = self._actor_of(owner) if owner is not None else None
        if designee is None or designator is None:
            return None
        status = "delisted" if self._no_longer(verb, sentence) else "listed"
        if self._negated(verb) and status == "listed":
            return None
        return self._statement(sentence, verb, designator, designee, status, "pattern:on-list")

    def _accreditation(self, verb: Any, sentence: Sentence) -> _Found | None:
        """"X accepted the credentials of Y's ambassador" / "Y's ambassador was accredited by X"."""
        if verb.lemma_.lower() not in self.patterns.accreditation_verbs or verb.pos_ != "VERB":
            return None
        if self._negated(verb) or self._is_hypothetical(verb):
            return None
        words = {t.lemma_.lower() for t in verb.subtree}
        if not (
            self.envoy_nouns & words
            and ({"credential", "credentials"} & words or verb.lemma_.lower() == "accredit")
        ):
            return None
        envoy = next((t for t in verb.subtree if t.lemma_.lower() in self.envoy_nouns), None)
        owner = (
            next(
                (c for c in envoy.children if c.dep_ in ("poss", "compound", "amod") and self._actor_of(c)),
                None,
            )
            if envoy
            else None
        )
        designee = self._actor_of(owner) if owner is not None else None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        designator = self._actor_of(subject) if subject is not None else self._agent_of(verb)
        if designee is None or designator is None or designee == designator:
            return None
        return self._statement(sentence, verb, designator, designee, "ambassador_accredited", "pattern:accreditation")

    def _recognition_withheld(self, word: Any, sentence: Sentence, doc: Any) -> _Found | None:
        """"Y's recognition ... is conditional on ...", "Y is in no hurry to recognise X"."""
        if word.lemma_.lower() not in self.patterns.recognition_words or self._is_hypothetical(word):
            return None
        cues = {t.lemma_.lower() for t in doc} | {t.lower_ for t in doc}
        if not (cues & self.patterns.withheld_cues or self._negated(word)):
            return None
        owner = next((c for c in word.children if c.dep_ in ("poss", "nsubj")), None)
        designator = self._actor_of(owner) if owner is not None else self._withholder(word)
        target = next((c for c in word.children if c.dep_ == "dobj"), None)
        of = next((c for c in word.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        target = target or (next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None)
        designee = self._actor_of(target) if target is not None else None
        if designator is not None and designee is None:
            designee = self._last_recognition_target(designator, sentence) or self._other_party(designator, sentence)
        if designator is None or designee is None:
            return None
        return self._statement(
            sentence, word, designator, designee, "recognition_withheld", "pattern:recognition-withheld"
        )

    def _dated_statement(
        self, sentence: Sentence, verb: Any, designator: str, designee: str, status: str, rule: str
    ) -> _Found | None:
        """A reported change: dated by its own expression, else undated (never the publication date)."""
        found = self._statement(sentence, verb, designator, designee, status, rule)
        if found is None or found.date is None:
            return found
        dated = self.timeline.date_for(sentence.index, verb.i, "asserted")
        return found if dated.start is not None else replace(found, date=None)

    def _withholder(self, word: Any) -> str | None:
        """"Y has stopped short of recognition": the subject of the nearest clause above the word
        that names an actor; else whoever the text quotes saying it ("he said that recognition ...")."""
        for ancestor in word.ancestors:
            subject = next((c for c in ancestor.children if c.dep_ == "nsubj" and c.i != word.i), None)
            actor = self._actor_in_phrase(subject) if subject is not None else None
            if is_resolved(actor):
                return actor
        quote = next((q for q in self.quotes.containing(word.idx) if q.speaker_actor), None)
        return quote.speaker_actor if quote is not None else None

    def _other_party(self, designator: str, sentence: Sentence) -> str | None:
        """The one non-state actor the sentence names besides the designator ("a Taliban envoy")."""
        others = {
            m.actor_id for m in self.mentions.starting_in(sentence.start, sentence.end)
            if is_resolved(m.actor_id) and m.actor_id != designator
        }
        groups = [
            a
            for a in sorted(others)
            if (entity := self.kb.get(a)) is not None and entity.type not in self.patterns.designee_not_types
        ]
        return groups[0] if len(groups) == 1 else None

    def _last_recognition_target(self, designator: str, sentence: Sentence) -> str | None:
        starts, targets = self.recognitions.get(designator, ([], []))
        k = bisect.bisect_right(starts, sentence.start)
        return targets[k - 1] if k else None

    def _statement(
        self, sentence: Sentence, verb: Any, designator: str, designee: str, status: str, rule: str
    ) -> _Found | None:
        if not self._plausible(designator, designee, status):
            return None
        dated = self.timeline.date_for(sentence.index, verb.i, "asserted")
        date = dated.value if dated.start is not None and not dated.rule.startswith(("present", "recent")) else None
        if status not in _UNDATED_STATES and date is None:
            date = self.timeline.statement_date(sentence.index, verb.i).value
        offset = verb.idx
        return _Found(sentence, designator, designee, status, date, None, self._claimant_at(offset), rule, offset)

    # -- parse helpers -----------------------------------------------------------------

    def _designee_of_passive(self, verb: Any, sentence: Sentence) -> str | None:
        opening = verb.left_edge
        if opening.text == "(" and opening.i > opening.sent.start:
            return self._actor_of(verb.doc[opening.i - 1])
        if verb.dep_ in ("acl", "amod", "relcl", "appos"):
            target = verb.head
            if verb.dep_ == "relcl" or target.pos_ in ("NOUN", "PROPN", "PRON"):
                return self._actor_of(target) or self._implied(sentence)
        subject = next((c for c in verb.children if c.dep_ in ("nsubjpass", "nsubj")), None)
        if subject is None:
            return None
        if subject.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
            subject = verb.head
        if subject.pos_ == "PRON":
            return self._implied(sentence) or self._actor_of(subject)
        return self._actor_of(subject)

    def _agent_of(self, verb: Any) -> str | None:
        agents = self._agents_of(verb)
        return agents[0] if agents else None

    def _agents_of(self, verb: Any) -> list[str]:
        """"by Y" (or "banned in Y") on the verb, or on its "as terrorists" complement, with
        its conjuncts ("by Y, Z and W")."""
        holders = [verb, *(o for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for o in c.children)]
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ in ("by", "in")):
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if obj is None:
                        continue
                    actor = self._actor_of(obj)
                    if actor is not None:
                        conjuncts = (self._actor_of(c) for c in obj.conjuncts)
                        return list(dict.fromkeys([actor, *(a for a in conjuncts if a is not None)]))
        return []

    def _actor_of(self, token: Any) -> str | None:
        """The actor a mention at this token (or its name phrase) stands for; a resolved one
        first ("Kenya's High Court": Kenya when the court itself is unknown)."""
        start, end = tokens_span(token.left_edge, token)
        inside = [m.actor_id for m in self.mentions.overlapping(start, end) if m.actor_id]
        resolved = [a for a in inside if not is_unresolved(a)]
        chosen = resolved or inside
        return chosen[-1] if chosen else None

    def _actor_in_phrase(self, token: Any) -> str | None:
        """The actor a phrase stands for: its own mention, else a resolved actor anywhere in it
        ("a court in Y", "Y's ambassador")."""
        own = self._actor_of(token)
        if is_resolved(own):
            return own
        start, end = subtree_span(token)
        inside = [m.actor_id for m in self.mentions.starting_in(start, end + 1) if m.actor_id and m.end <= end]
        resolved = [a for a in inside if not is_unresolved(a)]
        return resolved[0] if resolved else own

    def _implied(self, sentence: Sentence) -> str | None:
        """"They're designated ..." after a sentence about a group: that group."""
        previous = self.sentences.get(sentence.index - 1)
        if previous is None:
            return None
        actors = [m.actor_id for m in self.mentions.starting_in(previous.start, previous.end) if m.actor_id]
        for actor in reversed(actors):
            entity = self.kb.get(actor)
            if entity is not None and entity.type not in self.patterns.designee_not_types:
                return actor
        return None

    def _qualified(self, token: Any) -> bool:
        words = (
            " ".join(t.lower_ for t in token.subtree)
            + " "
            + " ".join(t.lower_ for t in token.head.subtree if t.i > token.i)
        )
        return any(q in words for q in self.patterns.qualifiers)

    def _no_longer(self, verb: Any, sentence: Sentence) -> bool:
        at = verb.idx
        window = self.state.text[max(sentence.start, at - 25) : at].lower()
        return any(phrase in window for phrase in self.patterns.no_longer)

    def _negated(self, verb: Any) -> bool:
        heads = [verb, *[c for c in verb.children if c.dep_ in ("auxpass", "aux")]]
        return any(c.dep_ == "neg" for h in heads for c in h.children) or any(c.dep_ == "neg" for c in verb.children)

    def _is_hypothetical(self, verb: Any) -> bool:
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        return any(a.lower_ in self.modals for a in auxes)

    def _plausible(self, designator: str, designee: str, status: str) -> bool:
        if designator == designee or is_unresolved(designator):
            return False
        if status.startswith(("recogni", "ambassador")):
            return True
        entity = self.kb.get(designee)
        return entity is None or entity.type not in self.patterns.designee_not_types

    def _claimant_at(self, offset: int) -> str | None:
        """The speaker of a quotation or report that holds this offset (not in an aside of the author's)."""
        for quote in self.quotes.containing(offset):
            if not self.parentheses.open_between(quote.start, offset):
                return quote.speaker_actor or quote.speaker
        return None

    # -- records -------------------------------------------------------------------------

    def records(self, found: list[_Found]) -> list[Designation]:
        doc_id = self.state.document.id
        return [
            Designation(
                id=stable_id(
                    doc_id,
                    f.sentence.start,
                    f.sentence.end,
                    DesignationExtractor.version,
                    f.designator,
                    f.designee,
                    f.status,
                ),
                doc_id=doc_id,
                start=f.sentence.start,
                end=f.sentence.end,
                designator=f.designator,
                designee=f.designee,
                status=f.status,
                date=f.date,
                event_id=f.event_id,
                claimant=f.claimant,
                rule=f.rule,
            )
            for f in found
        ]


def _governors(token: Any, steps: int = 3) -> list[Any]:
    """The words a trigger is the complement of ("moved closer to removing", "proposed delisting"),
    not the heads of other clauses or coordinated verbs."""
    found: list[Any] = []
    node = token
    while (
        len(found) < steps
        and node.head.i != node.i
        and node.dep_ in ("xcomp", "pcomp", "pobj", "prep", "acl", "dobj", "advmod", "amod", "compound")
    ):
        node = node.head
        found.append(node)
    return found


#: the dependencies that make a clause the complement or adverbial of the verb above it
_CLAUSE_LINKS = frozenset({"ccomp", "xcomp", "advcl"})


def _clause_governors(token: Any, steps: int = 4) -> list[Any]:
    """The verbs whose clause the trigger's clause is part of, nearest first, following
    complement and adverbial clause links up the tree: in "the ministries proposed that X be
    taken off the list", "proposed" for "taken". A trigger that is a noun or a non-finite
    complement ("proposed delisting") starts from the clause its own governors reach."""
    found: list[Any] = []
    node = (_governors(token) or [token])[-1]
    while len(found) < steps and node.head.i != node.i and node.dep_ in _CLAUSE_LINKS:
        node = node.head
        if node.pos_ in ("VERB", "AUX", "NOUN"):
            found.append(node)
    return found


def _object_of(preposition: Any) -> Any | None:
    return next((c for c in preposition.children if c.dep_ in ("pobj", "pcomp")), None)


class _Parentheses:
    """Where a text opens and closes parentheses, to count them between two offsets
    without copying what lies between (a quotation can run to the end of a long line)."""

    def __init__(self, text: str) -> None:
        self._opening = [m.start() for m in re.finditer(r"\(", text)]
        self._closing = [m.start() for m in re.finditer(r"\)", text)]

    def open_between(self, start: int, offset: int) -> bool:
        """More "(" than ")" in ``text[start:offset]``: the offset is in an aside."""
        return _count_in(self._opening, start, offset) > _count_in(self._closing, start, offset)


def _count_in(positions: list[int], start: int, end: int) -> int:
    return max(0, bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start))


def _recognitions_by_source(events: Iterable[Event]) -> dict[str, tuple[list[int], list[str | None]]]:
    """The sentence starts and targets of each source's recognition events (CAMEO 054), in text order."""
    found: dict[str, tuple[list[int], list[str | None]]] = {}
    for event in events:
        if event.code.startswith("054") and event.source is not None:
            starts, targets = found.setdefault(event.source, ([], []))
            starts.append(event.start)
            targets.append(event.target)
    return found
