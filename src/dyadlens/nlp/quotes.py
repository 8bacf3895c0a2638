"""Quotations and their speakers.

Quote marks are paired line by line by the direction their context gives
them (a mark after a space opens, a mark before a space or punctuation
closes; the glyph decides only when the context does not), so a stray or
wrongly curled mark cannot shift every later pair and a document with an odd
number of marks keeps its other quotes. A quote left open at the end of its
line runs to the line end; the next line's quote, which opens with its own
mark by the multi-paragraph convention, keeps the same speaker when nothing
else attributes it; a quote paragraph left open takes the attribution found
further down its chain of reopened paragraphs ("..., he added." at the end),
or the speaker of the paragraph just before it. Quotes nested inside another
quote belong to the outer one.

Speakers come from the parse: the subject of a speech verb near the quote
("X said", "said X", "X, who declared"), "according to X", "in his words"
(the last person named), a quote in the sentence after an attributed one, a
role noun ("the ambassador") resolved to the last person named with those
words or, by title alone ("Iran's foreign minister", "the foreign minister"
after a sentence about Iran), to the actor whose office holder on the date
fits ``data/office_titles.yaml``; a pronoun to the antecedent the actor stage
linked it to (``DocState.coref``), else to the last person named, "they"
and "its officials" to a group; "the ministry" to the state its sentence
names; a colon after a clause ("The minister was blunt: “...”") to that
clause's subject. Reported speech ("X said that
...", "X warned of ...", "X accuses Y of ...", "X's claim that ...",
"according to X, ...", "..., as revealed in a news agency report", "X urged Y
to ...", "X described Y as ...") is an indirect quote whose span is the
reported clause, without a concessive aside (", although ...") or a second
speech act ("... and said ...", its own quote). Scare quotes, names and titles are
not quotes; interview answers count only when the transcript labels them
("Name: ..." or "A: ..." after an "interview with X" lead).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dyadlens.errors import DataFileError
from dyadlens.model import Mention, Quote, Sentence, is_resolved, stable_id
from dyadlens.nlp.dates import timeline_of
from dyadlens.nlp.lexicon import Lexicon
from dyadlens.nlp.offsets import entities, subtree_span, token_span, tokens_span
from dyadlens.nlp.quote_marks import QuotedSpan, trim_end
from dyadlens.nlp.span_index import SpanIndex

if TYPE_CHECKING:
    from dyadlens.kb.knowledge_base import KnowledgeBase
    from dyadlens.resources import Resources
    from dyadlens.state import DocState

# -- speakers and attribution ------------------------------------------------

#: Words before a quoted name or label ("known as “X”", "so-called “X”", "(“X”)"): not a quotation.
_NAMING_CUES = re.compile(
    r"(?:\b(?:as|so-called|called|dubbed|termed|labell?ed|named|the\s+term|the\s+word)|\()\s*$", re.IGNORECASE
)
_PRONOUN_SPEAKERS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_NAME_DEPS = frozenset({"compound", "flat", "amod", "poss", "nmod", "det", "case", "punct", "nummod", "prep", "pobj"})
_CITATION = re.compile(r"\b(?:published|retrieved|accessed)\s+(?:on\s+)?\w+|https?://|www\.", re.IGNORECASE)
_LABEL = re.compile(r"\s*(?P<label>[A-Z][\w.'’ -]{0,40}?)\s*:\s+(?=\S)")
_INTERVIEW_LEAD = re.compile(r"\binterview(?:ed)?\s+(?:with|by)\b|\bspoke\s+(?:to|with)\b|\btold\b", re.IGNORECASE)


#: Where a speaker's title ends, looking back from the name: quote marks,
#: clause punctuation, or a speech verb.
_TITLE_BREAK = re.compile(r"[\"“”«»„‘’;:,(]|\b(?:said|says|told|added|according to)\b")

@dataclass(frozen=True, slots=True)
class Speaker:
    """Who speaks: the name to show, the actor they act for, the span naming them."""

    name: str
    actor: str | None
    role: str | None
    start: int | None
    end: int | None
    person_id: str | None = None  # KB person, whose office is looked up on the statement's date
    office: frozenset[str] = frozenset()  # KB role names, when the text names the speaker by title only


@dataclass(frozen=True, slots=True)
class _Attribution:
    """A speaker found for a quotation, by which cue, and whether the quote is in the cue's reach."""

    speaker: Speaker
    cue: str
    in_scope: bool
    verb: tuple[Any, Sentence] | None = None  # the speech verb and its sentence, for the statement's date


@dataclass(frozen=True, slots=True)
class _PersonSeen:
    """A person named outside quotation marks, with the words around the name."""

    start: int
    end: int
    name: str
    context: frozenset[str]
    person_id: str | None
    actor: str | None


class _People:
    """The people seen in a document, in text order, with the look-ups the speaker rules make."""

    def __init__(self, people: list[_PersonSeen]) -> None:
        self.all = people
        self._starts = [p.start for p in people]
        self._first_at: dict[int, _PersonSeen] = {}
        self._by_surname: dict[str, list[_PersonSeen]] = defaultdict(list)
        self._by_context: dict[str, list[int]] = defaultdict(list)
        for k, person in enumerate(people):
            self._first_at.setdefault(person.start, person)
            words = person.name.split()
            if words:
                self._by_surname[words[-1].lower()].append(person)
            for word in person.context:
                self._by_context[word].append(k)

    def first_at(self, offsets: Iterable[int]) -> _PersonSeen | None:
        """The first person (in text order) whose name starts at one of ``offsets``."""
        start = min((o for o in offsets if o in self._first_at), default=None)
        return None if start is None else self._first_at[start]

    def last_before(self, offset: int) -> _PersonSeen | None:
        k = bisect.bisect_left(self._starts, offset)
        return self.all[k - 1] if k else None

    def named_at(self, offset: int) -> _PersonSeen | None:
        """The person seen whose name starts at ``offset`` (the last one, as :meth:`last_before` picks)."""
        person = self.last_before(offset + 1)
        return person if person is not None and person.start == offset else None

    def with_surname(self, surname: str) -> list[_PersonSeen]:
        """People whose name ends with ``surname``, in any case, in text order."""
        return self._by_surname.get(surname.lower(), [])

    def last_with_context(self, words: set[str], before: int) -> _PersonSeen | None:
        """The last person named before ``before`` with all of ``words`` around the name."""
        stop = bisect.bisect_left(self._starts, before)
        if not words:
            return self.all[stop - 1] if stop else None
        postings = min((self._by_context.get(w, []) for w in words), key=len)
        for j in range(bisect.bisect_left(postings, stop) - 1, -1, -1):
            if words <= self.all[postings[j]].context:
                return self.all[postings[j]]
        return None


OFFICE_TITLES_FILE = Path(__file__).parent / "data" / "office_titles.yaml"


@dataclass(frozen=True, slots=True)
class OfficeTitles:
    """Titles that name an office ("foreign minister") and the KB role names that hold it."""

    titles: Mapping[tuple[str, ...], frozenset[str]]
    blockers: frozenset[str]

    def roles_in(self, words: list[str]) -> frozenset[str]:
        """The KB role names of the longest title among ``words`` (lower case), if no blocker."""
        if self.blockers & set(words):
            return frozenset()
        best: tuple[str, ...] = ()
        for title in self.titles:
            if len(title) > len(best) and any(tuple(words[i : i + len(title)]) == title for i in range(len(words))):
                best = title
        return self.titles.get(best, frozenset())


def load_office_titles(path: Path = OFFICE_TITLES_FILE) -> OfficeTitles:
    """Read an office-title file; problems raise :class:`DataFileError` naming it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError(str(path), [f"cannot read: {error}"]) from error
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("titles"), dict)
        or not isinstance(raw.get("blockers"), list)
    ):
        raise DataFileError(
            str(path), ["expected a mapping with 'titles' (title -> role names) and 'blockers' (a list)"]
        )
    bad = [str(t) for t, roles in raw["titles"].items() if not isinstance(roles, list) or not roles]
    if bad:
        raise DataFileError(str(path), [f"titles.{t}: must list at least one role name" for t in bad])
    return OfficeTitles(
        titles={
            tuple(str(t).lower().split()): frozenset(str(r).lower() for r in roles)
            for t, roles in raw["titles"].items()
        },
        blockers=frozenset(str(b).lower() for b in raw["blockers"]),
    )


class QuoteExtractor:
    """Direct and reported quotations with their speakers (component ``quotes``)."""

    name = "quotes"
    version = "2"  # 2: a pronoun speaker ("He said") follows the actor stage's coreference links first

    def __init__(self, resources: Resources, office_titles_file: Path = OFFICE_TITLES_FILE) -> None:
        self._resources = resources
        self._offices = load_office_titles(office_titles_file)

    def __call__(self, state: DocState) -> None:
        reader = _QuoteReader(state, self._resources.kb, self._offices, self._resources.lexicon)
        direct = reader.labelled_answers() + reader.direct_quotes()
        state.quotes.extend(_without_overlaps(direct + reader.indirect_quotes(direct)))


def _without_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Each quote that overlaps none kept before it, in text order.

    The kept spans never overlap one another, so sorted by (start, end) their
    ends ascend too: the last kept span starting before a quote's end is the
    only one that can reach into it.
    """
    kept: list[Quote] = []
    taken: list[tuple[int, int]] = []
    for quote in quotes:
        before_end = bisect.bisect_left(taken, (quote.end,))
        if before_end == 0 or taken[before_end - 1][1] <= quote.start:
            kept.append(quote)
            bisect.insort(taken, (quote.start, quote.end))
    return sorted(kept, key=lambda q: q.start)


class _QuoteReader:
    """Everything the quote rules need about one document, computed once."""

    def __init__(self, state: DocState, kb: KnowledgeBase, offices: OfficeTitles, lexicon: Lexicon) -> None:
        self.state = state
        self.kb = kb
        self.offices = offices
        self.speech = lexicon.speech
        self.office_words = lexicon.offices
        self.text = state.text
        self.date = state.document.published
        self.sentences = sorted(
            (s for s in state.analysed_sentences() if state.sentence_span(s.index) is not None), key=lambda s: s.start
        )
        self._sentence_index = SpanIndex(self.sentences)
        #: Sentences never overlap, so their ends ascend with their starts.
        self._sentence_ends = [s.end for s in self.sentences]
        self._last_in_paragraph = {s.paragraph: s for s in self.sentences}
        self.spans = [q for q in state.quote_spans if self._sentence_at(q.start) is not None]
        self._quote_index = SpanIndex(self.spans)
        self.mentions = sorted(state.mentions, key=lambda m: m.start)
        self._mention_index = SpanIndex(self.mentions)
        self._coref = SpanIndex(state.coref)
        self._groups = self._group_mentions()
        self._group_starts = [m.start for m in self._groups]
        self.focus = Counter(m.actor_id for m in state.mentions if m.actor_id)
        self.people = self._people_seen()
        self._people = _People(self.people)
        self.timeline = timeline_of(state)

    # -- direct quotations ------------------------------------------------------

    def direct_quotes(self) -> list[Quote]:
        quotes: list[Quote] = []
        previous: tuple[Speaker, Sentence] | None = None
        for k, span in enumerate(self.spans):
            host = self._sentence_at(span.start)
            if host is None or self._is_citation(host) or not self._is_quotation(span):
                continue
            found = self._attribution(span)
            words = len(_WORDS.findall(self.text[span.start : span.end]))
            if found is None and words > 3:
                found = self._paragraph_chain_attribution(k)
            if found is None and words > 3 and previous is not None and self._continues(previous[1], host):
                found = _Attribution(previous[0], "continuation", True)
            if found is None and words > 3 and self._opens_line(span):
                found = self._previous_paragraph_speaker(host)
            if found is None or (words <= 3 and not found.in_scope):
                continue
            speaker = self._on_statement_date(found.speaker, found.verb)
            quotes.append(self._quote(span.start, span.end, host, "direct", speaker, found.cue))
            previous = (found.speaker, self._sentence_at(span.end - 1) or host)
        return quotes

    def _is_quotation(self, span: QuotedSpan) -> bool:
        """Not a scare quote, a name or a title."""
        words = _WORDS.findall(self.text[span.start : span.end])
        if len(words) <= 1:
            return False
        before = self.text[max(0, span.open_mark - 20) : span.open_mark]
        if len(words) <= 4 and _NAMING_CUES.search(before):
            return False
        return not _is_title(words)

    def _opens_line(self, span: QuotedSpan) -> bool:
        """Only white space between the line start and the mark (read backwards: a line can be the whole text)."""
        i = span.open_mark - 1
        while i >= 0 and self.text[i] != "\n":
            if not self.text[i].isspace():
                return False
            i -= 1
        return True

    def _paragraph_chain_attribution(self, k: int) -> _Attribution | None:
        """A quote paragraph left open ("We have ... years.) whose quotation goes on in the next
        paragraph, reopened with its own mark: the attribution found further down the chain."""
        span = self.spans[k]
        for following in self.spans[k + 1 : k + 6]:
            if span.close_mark is not None or self.text[span.line_end : following.open_mark].strip():
                return None
            found = self._attribution(following)
            if found is not None:
                return replace(found, cue="continuation")
            span = following
        return None

    def _previous_paragraph_speaker(self, host: Sentence) -> _Attribution | None:
        """A quote opening a paragraph right after one whose speaker reports speech
        ("X said the sides had agreed ...", then a quoted paragraph): that speaker."""
        last = self._last_in_paragraph.get(host.paragraph - 1)
        if last is None:
            return None
        for token in self.state.sentence_span(last.index):
            if (
                token.pos_ == "VERB"
                and token.lemma_.lower() in self.speech.reporting_verbs
                and not self._inside_quote(token.idx)
            ):
                speaker = self._speaker_of_verb(token, last)
                if speaker is not None:
                    return _Attribution(speaker, "continuation", True)
        return None

    def _continues(self, earlier: Sentence, host: Sentence) -> bool:
        """A quote right after another one, in the same or the next paragraph."""
        return 0 <= host.paragraph - earlier.paragraph <= 1 and 0 <= host.index - earlier.index <= 2

    def _attribution(self, span: QuotedSpan) -> _Attribution | None:
        """The nearest speech cue outside quotes in the sentences the quote touches."""
        candidates: list[tuple[int, _Attribution]] = []
        for sentence in self._sentences_overlapping(span.open_mark, span.close_mark or span.end):
            doc = self.state.sentence_span(sentence.index)
            for token in doc:
                position = token.idx
                if self._inside_quote(position):
                    continue
                found = self._cue(token, sentence, span)
                if found is not None:
                    distance = min(abs(position - span.open_mark), abs(position - (span.close_mark or span.end)))
                    candidates.append((distance, found))
        if candidates:
            return min(candidates, key=lambda c: c[0])[1]
        return self._colon_attribution(span)

    def _colon_attribution(self, span: QuotedSpan) -> _Attribution | None:
        """"The minister was blunt: “...”": the subject of the clause the colon ends."""
        colon = _last_non_space(self.text, span.open_mark)
        if colon < 0 or self.text[colon] != ":":
            return None
        sentence = self._sentence_at(colon)
        if sentence is None:
            return None
        doc = self.state.sentence_span(sentence.index)
        verbs = [
            t
            for t in doc
            if t.pos_ in ("VERB", "AUX")
            and t.idx < colon
            and not self._inside_quote(t.idx)
        ]
        verb = min(verbs, key=lambda t: len(list(t.ancestors)), default=None)
        if verb is None:
            return None
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is None or subject.lower_ in _RELATIVE_PRONOUNS:
            return None
        speaker = self._speaker_from(subject, sentence, verb.idx)
        return _Attribution(speaker, "colon", True) if speaker is not None else None

    def _cue(self, token: Any, sentence: Sentence, span: QuotedSpan) -> _Attribution | None:
        if token.lower_ == "according" and token.i + 1 < token.sent.end and token.doc[token.i + 1].lower_ == "to":
            target = _object_of(token.doc[token.i + 1])
            speaker = self._speaker_from(target, sentence) if target is not None else None
            return _Attribution(speaker, "according to", True) if speaker else None
        if token.lower_ == "words" and any(c.lower_ in _PRONOUN_SPEAKERS for c in token.children):
            speaker = self._last_person_before(token.idx)
            return _Attribution(speaker, "in their words", True) if speaker else None
        if token.pos_ != "VERB" or token.lemma_.lower() not in self.speech.attribution_verbs:
            return None
        speaker = self._speaker_of_verb(token, sentence)
        if speaker is None:
            return None
        return _Attribution(speaker, token.lemma_.lower(), self._in_scope(token, span), (token, sentence))

    def _in_scope(self, verb: Any, span: QuotedSpan) -> bool:
        left, right = subtree_span(verb)
        return left <= span.start and span.end <= right + 1

    # -- reported speech ----------------------------------------------------------

    def indirect_quotes(self, direct: list[Quote]) -> list[Quote]:
        """Reported speech whose content holds no direct quotation of its own."""
        found_with_cues: list[tuple[Quote, int]] = []
        direct_index = SpanIndex(direct)
        for sentence in self.sentences:
            if self._is_citation(sentence):
                continue
            for token in self.state.sentence_span(sentence.index):
                if self._inside_quote(token.idx):
                    continue
                found = self._reported(token, sentence)
                if found is None:
                    continue
                (start, end), speaker, cue = found
                if end - start < 8 or direct_index.overlaps_any(start, end):
                    continue
                speaker = self._on_statement_date(speaker, (token, sentence))
                found_with_cues.append((self._quote(start, end, sentence, "indirect", speaker, cue), token.idx))
        return _outermost(found_with_cues)

    def _reported(self, token: Any, sentence: Sentence) -> tuple[tuple[int, int], Speaker, str] | None:
        lemma = token.lemma_.lower()
        if token.lower_ == "according" and token.i + 1 < token.sent.end and token.doc[token.i + 1].lower_ == "to":
            return self._according_to(token, sentence)
        if token.pos_ == "NOUN" and lemma in self.speech.speech_nouns:
            clause = next((c for c in token.children if c.dep_ in ("acl", "ccomp", "relcl") and _has_that(c)), None)
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            if clause is None or owner is None:
                return None
            speaker = self._speaker_from(owner, sentence)
            span = self._clause_span(clause)
            return (span, speaker, lemma) if speaker and span else None
        if token.pos_ == "VERB" and lemma in self.speech.describing_verbs:
            span = self._description(token)
            speaker = self._speaker_of_verb(token, sentence) if span else None
            if span and speaker:
                return span, speaker, lemma
        if token.pos_ == "VERB" and lemma in self.speech.appeal_verbs:
            span = self._appeal_content(token)
            speaker = self._speaker_of_verb(token, sentence) if span else None
            return (span, speaker, lemma) if span and speaker else None
        if token.pos_ != "VERB" or lemma not in self.speech.reporting_verbs:
            return None
        if token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
            return self._as_reported(token, sentence)
        content = self._content_of(token)
        speaker = self._speaker_of_verb(token, sentence) if content else None
        return (content, speaker, lemma) if content and speaker else None

    def _content_of(self, verb: Any) -> tuple[int, int] | None:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            return self._clause_span(clause)
        clause = self._that_clause_on_audience(verb)
        if clause is not None:
            return self._clause_span(clause)
        if verb.dep_ == "parataxis":
            return self._clause_before_attribution(verb)
        if verb.lemma_.lower() not in self.speech.of_content_verbs:
            return None
        direct_object = next((c for c in verb.children if c.dep_ == "dobj"), None)
        holders = [verb, *verb.children]
        of = next(
            (c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > verb.i), None
        )
        obj = _object_of(of) if of is not None else None
        if obj is None:
            return None
        first = direct_object.left_edge if direct_object is not None and direct_object.i < obj.i else obj.left_edge
        last = _right_edge_without_asides(obj)
        for clause in verb.children:
            if (
                clause.dep_ == "advcl"
                and clause.i > obj.i
                and any(m.lower_ in ("if", "unless") for m in clause.children)
            ):
                last = clause.right_edge
        return self._token_span(first, last)

    def _description(self, verb: Any) -> tuple[int, int] | None:
        """"described Y as a partner", "hailed the step as courageous", "called them a violation":
        the object and what the speaker calls it."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None:
            return None
        as_phrase = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i), None)
        as_phrase = as_phrase or next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        complement = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > obj.i), None)
        last = as_phrase or complement
        if last is None:
            return None
        return self._token_span(obj.left_edge, _right_edge_without_asides(last))

    def _appeal_content(self, verb: Any) -> tuple[int, int] | None:
        """"urged Y to do Z", "called on Y to do Z": the addressee and the action asked of it."""
        addressee = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if addressee is None:
            on = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")), None)
            addressee = _object_of(on) if on is not None else None
        action = next(
            (c for c in verb.children if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)), None
        )
        if addressee is None or action is None or action.i < addressee.i:
            return None
        return self._token_span(addressee.left_edge, _right_edge_without_asides(action))

    def _that_clause_on_audience(self, verb: Any) -> Any | None:
        """"told a briefing that X ...", "argued after the attack that X ...": a that-clause the
        parse hangs on the audience or on a prepositional phrase; the clause."""
        holders = [
            c
            for c in verb.children
            if c.dep_ == "dobj" and verb.lemma_.lower() in self.speech.audience_verbs
        ]
        holders += [o for c in verb.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
        holders += [c for c in verb.children if c.dep_ == "npadvmod" and c.i > verb.i]  # "said the next day that"
        for holder in holders:
            clause = next((c for c in holder.children if c.dep_ == "relcl" and c.left_edge.lower_ == "that"), None)
            if clause is None:
                continue
            complement = clause.left_edge.dep_ == "mark" or (
                clause.left_edge.dep_ in ("dobj", "nsubj") and holder.dep_ == "dobj"
                and any(c.dep_ in _SUBJECTS and c.i != clause.left_edge.i for c in clause.children)
            )
            if complement:
                return clause
        return None

    def _clause_before_attribution(self, verb: Any) -> tuple[int, int] | None:
        """"X fired a missile on Tuesday, the army said, a day after ...": the parser hangs the
        attribution on the sentence as a parataxis, so the reported clause is the largest clause
        that ends right before it, from its subject on (not a dateline before the subject)."""
        attribution_start = verb.left_edge.i
        last = attribution_start - 1
        doc = verb.doc
        while last >= verb.sent.start and doc[last].is_punct:
            last -= 1
        if last < verb.sent.start:
            return None
        clause = doc[last]
        while clause.head.i != clause.i and clause.head.right_edge.i < attribution_start:
            clause = clause.head
        if clause.pos_ not in ("VERB", "AUX"):
            return None
        subjects = [c for c in clause.children if c.dep_ in _SUBJECTS and c.i < clause.i]
        first = max(subjects, key=lambda c: c.i).left_edge if subjects else clause.left_edge
        return self._token_span(first, doc[last])

    def _according_to(self, token: Any, sentence: Sentence) -> tuple[tuple[int, int], Speaker, str] | None:
        """"According to X, <clause>": the clause without the attribution."""
        target = _object_of(token.doc[token.i + 1])
        speaker = self._speaker_from(target, sentence) if target is not None else None
        if speaker is None:
            return None
        attribution = range(token.i, (target.right_edge.i if target is not None else token.i) + 1)
        span = self._main_clause_without(token.sent, attribution)
        return (span, speaker, "according to") if span else None

    def _as_reported(self, verb: Any, sentence: Sentence) -> tuple[tuple[int, int], Speaker, str] | None:
        """"..., as revealed in an agency report" / "as reported by X": the main clause."""
        source = None
        for prep in verb.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in ("in", "by"):
                source = _object_of(prep) or source
        speaker = self._speaker_from(source, sentence) if source is not None else None
        if speaker is None:
            return None
        attribution = range(verb.left_edge.i, verb.right_edge.i + 1)
        span = self._main_clause_without(verb.sent, attribution)
        return (span, speaker, verb.lemma_.lower()) if span else None

    def _main_clause_without(self, doc: Any, attribution: range) -> tuple[int, int] | None:
        """The main clause from its subject on, without an attribution at its start or end."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return None
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS or c.dep_ == "expl"), None)
        first = subject.left_edge if subject is not None and subject.i not in attribution else root
        before = [t for t in doc if first.i <= t.i < attribution.start]
        after = [t for t in doc if t.i >= max(first.i, attribution.stop)]
        if not before:
            tokens = after
        elif not any(t.is_alpha for t in after):
            tokens = before
        else:
            tokens = before + after
        return self._token_span(tokens[0], tokens[-1]) if tokens else None

    def _clause_span(self, clause: Any) -> tuple[int, int] | None:
        """A reported clause without its "that" and without a trailing ", highlighting ..." gloss."""
        tokens = [
            t
            for t in clause.subtree
            if not (
                t.dep_ in ("mark", "dobj")
                and t.head.i == clause.i
                and t.lower_ in ("that", "whether")
                and t.i == clause.left_edge.i
            )
        ]
        for child in clause.children:
            comma = child.left_edge.i - 1
            after_comma = child.i > clause.i and comma >= child.sent.start and child.doc[comma].text == ","
            if child.dep_ == "advcl" and after_comma and (child.tag_ == "VBG" or _concessive(child)):
                tokens = [t for t in tokens if t.i < comma]
            elif child.dep_ == "conj" and child.i > clause.i and _new_speech_act(child, self.speech.attribution_verbs):
                cut = _conjunction_start(child)
                tokens = [t for t in tokens if t.i < cut]
        return self._token_span(tokens[0], tokens[-1]) if tokens else None

    def _token_span(self, first: Any, last: Any) -> tuple[int, int]:
        doc = first.doc
        while last.i > first.i and (last.is_punct or last.is_space) and last.text not in (")", "]"):
            last = doc[last.i - 1]
        while first.i < last.i and (first.is_punct or first.is_space) and first.text not in ("(", "["):
            first = doc[first.i + 1]
        return tokens_span(first, last)

    # -- interviews ---------------------------------------------------------------

    def labelled_answers(self) -> list[Quote]:
        """Lines marked "Name: ..." or "A: ..." in an interview transcript."""
        quotes: list[Quote] = []
        interviewee = self._interviewee()
        for first, end in self._paragraphs():
            match = _LABEL.match(self.text, first.start, end)
            if match is None:
                continue
            label = match.group("label").strip()
            if label.lower() in self.speech.question_labels:
                continue
            answers = label.lower() in self.speech.answer_labels
            speaker = interviewee if answers else self._person_named(label, first.start)
            if speaker is None:
                continue
            start = match.end()
            quotes.append(
                self._quote(start, trim_end(self.text, start, end), first, "direct", speaker, "interview answer")
            )
        return quotes

    def _paragraphs(self) -> list[tuple[Sentence, int]]:
        """Sentences that open a line, with the end of that line's text."""
        lines: list[tuple[Sentence, int]] = []
        for sentence in self.sentences:
            if sentence.start == 0 or self.text[sentence.start - 1] == "\n":
                line_end = self.text.find("\n", sentence.start)
                lines.append((sentence, len(self.text) if line_end < 0 else line_end))
        return lines

    def _interviewee(self) -> Speaker | None:
        """The person an "interview with X" / "X told" lead names, if any."""
        for sentence in self.sentences[:6]:
            sentence_text = self.text[sentence.start : sentence.end]
            cue = _INTERVIEW_LEAD.search(sentence_text)
            if cue is None:
                continue
            after = [p for p in self.people if sentence.start <= p.start < sentence.end]
            if after:
                return self._person_speaker(after[0])
        return None

    def _person_named(self, label: str, before: int) -> Speaker | None:
        words = label.split()
        if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            return None
        known = self._people.with_surname(words[-1])
        if known:
            return self._person_speaker(known[0])
        return Speaker(label, None, None, before, before + len(label)) if len(words) >= 2 else None

    # -- speakers -------------------------------------------------------------------

    def _speaker_of_verb(self, verb: Any, sentence: Sentence) -> Speaker | None:
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        subject = min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None  # not a dateline's "NAIROBI"
        if subject is None:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            subject = _object_of(agent) if agent is not None else None
        if subject is None:
            return self._inherited_speaker(verb, sentence)
        if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            subject = verb.head
        limit = verb.idx if subject.i < verb.i else None
        return self._speaker_from(subject, sentence, limit)

    def _inherited_speaker(self, verb: Any, sentence: Sentence) -> Speaker | None:
        """A participle with no subject: "X praised ..., claiming ..."; "X's report alleging ..."."""
        head = verb.head
        if head.i == verb.i:
            return None
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            limit = verb.idx if head.i < verb.i else None
            return self._speaker_from(owner or head, sentence, limit)
        if verb.dep_ in ("advcl", "xcomp", "conj") and head.pos_ in ("VERB", "AUX"):
            speaking = next(
                (a for a in verb.ancestors if a.lemma_.lower() in self.speech.attribution_verbs and a.pos_ == "VERB"),
                None,
            )
            return self._speaker_of_verb(speaking or head, sentence)
        return None

    def _speaker_from(self, token: Any, sentence: Sentence, limit: int | None = None) -> Speaker | None:
        """The speaker a phrase names; ``limit`` ends the phrase before the speech verb."""
        if token.lower_ in _PLURAL_PRONOUNS:
            return self._plural_speaker(token, sentence)
        if token.lower_ in _PRONOUN_SPEAKERS:
            return self._pronoun_person(token.idx)
        if token.lemma_.lower() in self.speech.report_nouns:
            return self._report_source(token, sentence, limit)
        if token.dep_ == "appos" and token.head.pos_ == "PROPN":
            token = token.head
        start, end = self._noun_phrase(token)
        person = self._person_among(_naming_tokens(token))
        if person is not None:
            return self._person_speaker(person, (start, end))
        is_role = token.lemma_.lower() in self.office_words.speaker_role_nouns
        is_body = is_role or token.lemma_.lower() in self.office_words.institution_nouns
        if is_role:
            named = self._person_with_role(token, start, end) or self._office_holder(
                token, sentence, start, end, limit
            )
            if named is not None:
                return named
        actor = self._actor_in(*self._offsets(token, limit))
        if actor is None and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in token.children):
            actor = self._last_group_before(token.idx)
        if actor is None and is_body and not self._names_a_person(token):
            actor = self._recent_state(sentence)
        if actor is None and not any(t.pos_ == "PROPN" for t in token.doc[token.left_edge.i : token.i + 1]):
            return None
        name = _plain(self.text[start:end]) if is_body else self._display_name(start, end, actor)
        return Speaker(name, actor, None, start, end)

    def _report_source(self, report: Any, sentence: Sentence, limit: int | None = None) -> Speaker | None:
        """"a Reuters report", "a report by X", "the ministry's statement": who issued it."""
        for child in report.children:
            if child.dep_ == "prep" and child.lower_ == "by" and _object_of(child) is not None:
                return self._speaker_from(_object_of(child), sentence)
        for child in report.children:
            if child.dep_ in ("poss", "compound") and (
                child.pos_ == "PROPN" or self._actor_in(*self._offsets(child))
            ):
                return self._speaker_from(child, sentence)
        actor = self._actor_in(*self._offsets(report, limit))
        if actor is None:
            return None
        start, end = self._noun_phrase(report)
        return Speaker(self.text[start:end], actor, None, start, end)

    def _noun_phrase(self, token: Any) -> tuple[int, int]:
        """The name part of a noun phrase: the head and its naming modifiers ("Russian Defence
        Minister", "Russia's Foreign Minister"), without articles, plain adjectives or clauses."""
        first = token
        for child in token.lefts:
            if _names(child):
                first = child.left_edge if child.left_edge.i < first.i else first
                break
        last = token
        for child in token.rights:
            if child.dep_ in ("flat", "compound") and child.i == last.i + 1:
                last = child
        while first.i < last.i and (first.is_punct or first.dep_ == "det"):
            first = token.doc[first.i + 1]
        return tokens_span(first, last)

    def _display_name(self, start: int, end: int, actor: str | None) -> str:
        words = self.text[start:end]
        if is_resolved(actor):
            entity = self.kb.get(actor)
            mention_only = self._mention_index.covers(start, end)
            if entity is not None and mention_only:
                return entity.name
        return _plain(words)

    def _offsets(self, token: Any, limit: int | None = None) -> tuple[int, int]:
        start, end = subtree_span(token)
        return start, min(end, limit) if limit is not None else end

    def _actor_in(self, start: int, end: int) -> str | None:
        """The actor mentioned in a span; several: the one the document names most."""
        actors = {m.actor_id for m in self._mention_index.starting_in(start, end + 1) if m.end <= end and m.actor_id}
        if not actors:
            return None
        return max(sorted(actors), key=lambda a: self.focus[a])

    # -- people -------------------------------------------------------------------

    def _people_seen(self) -> list[_PersonSeen]:
        seen: list[_PersonSeen] = []
        for sentence in self.sentences:
            doc = self.state.sentence_span(sentence.index)
            for ent in entities(doc):
                start = ent.start_char
                if ent.label_ != "PERSON" or self._inside_quote(start) or self._names_an_actor(start, ent.end_char):
                    continue
                seen.append(self._person_seen(doc, ent))
        for mention in self.mentions:
            if mention.person and not self._inside_quote(mention.start):
                entity = self.kb.get(mention.person)
                name = entity.name if entity else self.text[mention.start : mention.end]
                seen.append(
                    _PersonSeen(mention.start, mention.end, name, frozenset(), mention.person, mention.actor_id)
                )
        return sorted(seen, key=lambda p: p.start)

    def _names_an_actor(self, start: int, end: int) -> bool:
        """A name the parser took for a person's ("Mali secure the border") that the actor stage
        resolved to a state or group, with no person behind it: not a person a "he" can stand for."""
        covering = [m for m in self._mention_index.containing(start) if m.end >= end]
        return any(is_resolved(m.actor_id) and not m.person for m in covering) and not any(
            m.person for m in covering
        )

    def _person_seen(self, doc: Any, ent: Any) -> _PersonSeen:
        name = re.sub(r"(?:'s|’s|'|’)$", "", ent.text)
        window = doc.doc[max(doc.start, ent.start - 6) : min(doc.end, ent.end + 6)]
        context = frozenset(t.lower_ for t in window if t.is_alpha)
        start = ent.start_char
        mention = next((m for m in self._mention_index.containing(start) if m.person), None)
        return _PersonSeen(
            start,
            start + len(name),
            name,
            context,
            mention.person if mention else None,
            mention.actor_id if mention else None,
        )

    def _person_among(self, tokens: list[Any]) -> _PersonSeen | None:
        return self._people.first_at(t.idx for t in tokens)

    def _full_name(self, person: _PersonSeen) -> _PersonSeen:
        """"Okafor" after "Grace Okafor": the fuller name seen in the document."""
        if len(person.name.split()) != 1:
            return person
        surname = person.name.split()[-1]
        namesakes = self._people.with_surname(surname)
        longer = [p for p in namesakes if len(p.name) > len(person.name) and p.name.split()[-1] == surname]
        return longer[0] if longer else person

    def _person_speaker(self, person: _PersonSeen, span: tuple[int, int] | None = None) -> Speaker:
        full = self._full_name(person)
        person_id = person.person_id or full.person_id
        actor = self.kb.acting_for(person_id, self.date) if person_id else None
        role = self._kb_role(person_id) if person_id else None
        entity = self.kb.get(person_id) if person_id else None
        name = entity.name if entity is not None else full.name
        start, end = span if span else (person.start, person.end)
        known = [a for a in (actor, person.actor, full.actor) if is_resolved(a)]
        return Speaker(name, known[0] if known else self._actor_near(person), role, start, end, person_id)

    def _actor_near(self, person: _PersonSeen) -> str | None:
        """"Chile's Interior Minister Ana Ruiz": the actor named in the title before the name.

        The title is what directly precedes the name: the window stops at a quote
        mark, a clause break or a speech verb, so in "“… the Pacific Front …,” said
        Ana Ruiz" the actor named inside the quotation is not taken for hers.
        """
        sentence = self._sentence_at(person.start)
        if sentence is None:
            return None
        window_start = max(sentence.start, person.start - 60)
        breaks = list(_TITLE_BREAK.finditer(self.text, window_start, person.start))
        if breaks:
            window_start = breaks[-1].end()
        return self._actor_in(window_start, person.start)

    def _on_statement_date(self, speaker: Speaker, verb: tuple[Any, Sentence] | None) -> Speaker:
        """A KB person's actor and office on the date the text gives the statement
        ("In 2009, Ruiz, then ambassador to Peru, warned ..."), not the document's date."""
        if speaker.person_id is None or verb is None:
            return speaker
        token, sentence = verb
        dated = self.timeline.date_for(sentence.index, token.i, "asserted")
        if dated.start is None or dated.value is None:
            return speaker
        if speaker.office and speaker.actor:
            holder = self._holder(speaker.actor, speaker.office, dated.value)
            if holder is None:
                return replace(speaker, role=None, person_id=None)
            entity, role = holder
            return replace(speaker, role=f"{role}: {entity.name}", person_id=entity.id)
        actor = self.kb.acting_for(speaker.person_id, dated.value) or speaker.actor
        return replace(speaker, actor=actor, role=self._kb_role(speaker.person_id, dated.value) or speaker.role)

    def _kb_role(self, person_id: str, date: str | None = None) -> str | None:
        entity = self.kb.get(person_id)
        if entity is None:
            return None
        roles = [r for r in entity.roles if r.period.overlaps(date or self.date) and r.role]
        return roles[-1].role if roles else None

    def _person_with_role(self, token: Any, start: int, end: int) -> Speaker | None:
        """"the envoy", "The Russian ambassador": the last person named with those words."""
        words = {t.lower_ for t in token.doc[token.left_edge.i : token.i + 1] if t.is_alpha and t.dep_ != "det"}
        person = self._people.last_with_context(words, start)
        return self._person_speaker(person, (start, end)) if person is not None else None

    def _office_holder(self, token: Any, sentence: Sentence, start: int, end: int, limit: int | None) -> Speaker | None:
        """"Iran's foreign minister", "the foreign minister" (after a sentence about Iran): the actor
        whose KB office holder on the document's date fits the title. The name stays as the text
        writes it (annotators copy the title when the text names no one); the holder is kept as
        ``person_id`` and in the role ("Minister of Foreign Affairs: <name>")."""
        words = [t.lower_ for t in token.doc[token.left_edge.i : token.i + 1] if not t.is_punct and t.dep_ != "det"]
        words += [t.lower_ for t in token.rights if t.dep_ in ("prep", "pobj", "compound") and t.i == token.i + 1]
        roles = self.offices.roles_in(words)
        if not roles:
            return None
        phrase_actor = self._actor_in(*self._offsets(token, limit))
        candidates = [phrase_actor] if phrase_actor else self._recent_actors(sentence)
        for actor in candidates:
            holder = self._holder(actor, roles)
            if holder is not None:
                entity, role = holder
                return Speaker(
                    _plain(self.text[start:end]), actor, f"{role}: {entity.name}", start, end, entity.id, roles
                )
        return None

    def _recent_actors(self, sentence: Sentence) -> list[str]:
        """Actors named in this sentence before the phrase and in the one before it, latest first."""
        previous = self._last_sentence_ending_by(sentence.start)
        first = previous.start if previous else sentence.start
        seen = [m.actor_id for m in self._mention_index.starting_in(first, sentence.end) if m.actor_id and not m.person]
        return list(dict.fromkeys(reversed(seen)))

    def _names_a_person(self, token: Any) -> bool:
        """"the ambassador" (one person, resolved by name or not at all) but not "officials"."""
        return token.lemma_.lower() in self.office_words.speaker_role_nouns and token.tag_ != "NNS"

    def _plural_speaker(self, token: Any, sentence: Sentence) -> Speaker | None:
        """"they": the speaker of a speech verb earlier in the sentence ("Its officials said ...,
        and they deny ..."), else the group or state named last."""
        verb = token.head
        for other in token.doc[token.sent.start : token.i]:
            if other.pos_ == "VERB" and other.lemma_.lower() in self.speech.attribution_verbs and other.i != verb.i:
                subject = next(
                    (c for c in other.children if c.dep_ in _SUBJECTS and c.lower_ not in _PLURAL_PRONOUNS), None
                )
                if subject is not None:
                    return self._speaker_from(subject, sentence, other.idx)
        actor = self._last_group_before(token.idx)
        if actor is None:
            return None
        entity = self.kb.get(actor)
        return Speaker(
            entity.name if entity else actor,
            actor,
            None,
            *token_span(token),
        )

    def _last_group_before(self, offset: int) -> str | None:
        """The actor (not a person) a pronoun at ``offset`` refers to: the one the actor stage
        resolved it to, else the subject of the sentence before ("Hamas held talks in Cairo.
        Its officials ..."), else the one named last."""
        linked = next((c.actor_id for c in self._coref.containing(offset) if c.person is None), None)
        if linked is not None:
            return linked
        subject = self._previous_subject_actor(offset)
        if subject is not None:
            return subject
        k = bisect.bisect_left(self._group_starts, offset)
        return self._groups[k - 1].actor_id if k else None

    def _group_mentions(self) -> list[Mention]:
        """The mentions a "they" or "its" can stand for: a resolved actor, no person, outside quotes."""
        return [
            m
            for m in self.mentions
            if is_resolved(m.actor_id)
            and not m.person
            and not self._inside_quote(m.start)
        ]

    def _previous_subject_actor(self, offset: int) -> str | None:
        sentence = self._last_sentence_ending_by(offset)
        if sentence is None:
            return None
        doc = self.state.sentence_span(sentence.index)
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None) if root is not None else None
        if subject is None:
            return None
        start, end = self._offsets(subject)
        actor = self._actor_in(start, end)
        return actor if is_resolved(actor) else None

    def _recent_state(self, sentence: Sentence) -> str | None:
        """"X will ..., the ministry said": the first state named in the sentence (the reported
        clause's subject, as a rule); else the last one named in the sentence before."""
        in_sentence = self._mention_index.starting_in(sentence.start, sentence.end)
        own = [m.actor_id for m in in_sentence if m.actor_id and not m.person]
        earlier = [a for a in reversed(self._recent_actors(sentence)) if a not in own]
        for actor in [*own, *earlier]:
            entity = self.kb.get(actor)
            if entity is not None and entity.type in ("state", "government"):
                return actor
        return None

    def _holder(self, actor: str, roles: frozenset[str], when: str | None = None) -> tuple[Any, str] | None:
        for entity in self.kb.entities():
            if entity.type != "person":
                continue
            for role in entity.roles:
                if role.actor == actor and role.role.lower() in roles and role.period.overlaps(when or self.date):
                    return entity, role.role
        return None

    def _last_person_before(self, offset: int) -> Speaker | None:
        person = self._people.last_before(offset)
        return self._person_speaker(person) if person is not None else None

    def _pronoun_person(self, offset: int) -> Speaker | None:
        """"he said": the person the actor stage resolved the pronoun to (by salience in the
        sentence before), seen where its antecedent is named; else the last person named."""
        link = next((c for c in self._coref.containing(offset) if c.person), None)
        person = self._people.named_at(link.antecedent_start) if link is not None else None
        if link is None or person is None or person.person_id != link.person:
            return self._last_person_before(offset)
        return self._person_speaker(person)

    # -- records and small helpers ------------------------------------------------

    def _quote(self, start: int, end: int, sentence: Sentence, kind: str, speaker: Speaker, cue: str) -> Quote:
        doc_id = self.state.document.id
        return Quote(
            id=stable_id(doc_id, start, end, QuoteExtractor.version, kind),
            doc_id=doc_id,
            start=start,
            end=end,
            sentence_index=sentence.index,
            kind=kind,
            speaker=speaker.name,
            speaker_actor=speaker.actor,
            speaker_role=speaker.role,
            speaker_start=speaker.start,
            speaker_end=speaker.end,
            cue=cue,
        )

    def _sentence_at(self, offset: int) -> Sentence | None:
        found = self._sentence_index.containing(offset)
        return found[0] if found else None

    def _sentences_overlapping(self, start: int, end: int) -> list[Sentence]:
        """The sentences with ``s.start <= end and start < s.end``."""
        return self._sentence_index.overlapping(start, end + 1)

    def _last_sentence_ending_by(self, offset: int) -> Sentence | None:
        k = bisect.bisect_right(self._sentence_ends, offset)
        return self.sentences[k - 1] if k else None

    def _inside_quote(self, offset: int) -> bool:
        return self._quote_index.contains(offset)

    def _is_citation(self, sentence: Sentence) -> bool:
        return sentence.kind == "footnote" or bool(_CITATION.search(self.text[sentence.start : sentence.end]))


_WORDS = re.compile(r"\w+(?:[-'’]\w+)*")


def _outermost(quotes: list[tuple[Quote, int]]) -> list[Quote]:
    """The reported quotes whose speech cue (its offset given with each) lies in no other one's
    span: "Both sides described the talks as useful, the ministry said" is the ministry's quote."""
    index = SpanIndex([q for q, _ in quotes])
    return [q for q, cue in quotes if not any(o is not q for o in index.containing(cue))]


def _last_non_space(text: str, before: int) -> int:
    """The offset of the last character before ``before`` that is not white space; -1 if none."""
    i = before - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i


def _object_of(preposition: Any) -> Any | None:
    return next((c for c in preposition.children if c.dep_ in ("pobj", "pcomp")), None)


def _right_edge_without_asides(token: Any) -> Any:
    """The last token of a phrase, leaving out a trailing "though ..." clause of the author's."""
    asides = [
        c for c in token.subtree if c.dep_ == "advcl" and not any(m.lower_ in ("if", "unless") for m in c.children)
    ]
    cut = min((a.left_edge.i for a in asides if a.i > token.i), default=None)
    last = token.right_edge
    return token.doc[cut - 1] if cut is not None and cut - 1 >= token.i else last


def _names(modifier: Any) -> bool:
    """A left modifier that is part of a name or title, not "a recent" or "the"."""
    if modifier.dep_ == "amod":
        return bool(modifier.text[:1].isupper())
    return modifier.dep_ in _NAME_DEPS and modifier.dep_ != "det"


def _naming_tokens(token: Any) -> list[Any]:
    """The tokens of a phrase that can name its referent: not a possessor ("Putin's envoy"), not a clause."""
    excluded: set[int] = set()
    for child in token.children:
        if child.dep_ in ("poss", "relcl", "acl", "ccomp", "advcl"):
            excluded.update(t.i for t in child.subtree)
    return [t for t in token.subtree if t.i not in excluded]


def _plain(words: str) -> str:
    """A name as shown: no leading article, no possessive ending."""
    words = re.sub(r"^(?:the|a|an)\s+", "", words.strip(), flags=re.IGNORECASE)
    return re.sub(r"(?:'s|’s|'|’)$", "", words)


def _concessive(clause: Any) -> bool:
    """", although ...": an aside that the reported clause does not include."""
    return any(c.dep_ == "mark" and c.lower_ in ("although", "though", "whereas") for c in clause.children)


def _new_speech_act(verb: Any, speech_verbs: frozenset[str]) -> bool:
    """"... and said that ...", "... and called them ...": a second speech act by the same speaker."""
    own_subject = any(c.dep_ in _SUBJECTS for c in verb.children)
    reports = any(c.dep_ in ("ccomp", "oprd") for c in verb.children) or verb.lemma_.lower() in ("call", "describe")
    return verb.pos_ == "VERB" and verb.lemma_.lower() in speech_verbs and reports and not own_subject


def _conjunction_start(conjunct: Any) -> int:
    """Where a conjunct begins, with its "and" and the comma before it."""
    first: int = conjunct.left_edge.i
    doc = conjunct.doc
    while first > conjunct.sent.start and (doc[first - 1].dep_ == "cc" or doc[first - 1].is_punct):
        first -= 1
    return first


def _has_that(clause: Any) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _is_title(words: list[str]) -> bool:
    """Headline case: most words capitalised (an article or report title, a name)."""
    if len(words) < 2:
        return False
    small = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "at", "as", "from"}
    content = [w for w in words if w.lower() not in small]
    capitalised = [w for w in content if w[:1].isupper()]
    return bool(content) and len(capitalised) / len(content) >= 0.75
