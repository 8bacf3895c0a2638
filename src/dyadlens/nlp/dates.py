"""Temporal expressions and event dates for one document.

:class:`DocumentTimeline` scans every analysed sentence once, finds its
temporal expressions with the rules in :mod:`dyadlens.nlp.timex` and resolves
them to ISO prefix dates against the publication date and the narrative anchors
of the text ("In 2003 ... Six years later" gives 2009).
:meth:`DocumentTimeline.date_for` then applies the "Dates" convention of the
annotation guidelines to one event trigger:

- an expression that governs the trigger in the parse gives the date: a point
  gives its value, a range of ongoing activity gives its start ("since 2021",
  "(1979-1989)"), a point event inside a range or a decade gives null;
- an adjacent narrower point refines the governing one ("earlier this year,
  in March" gives the month);
- otherwise a present-tense action takes the publication date at its own
  precision, and so do an actor's standing commitment or existing plan
  ("promised to send", "plans by X to use"), and a prospect under a perfect
  ("has moved closer to lifting"); a modal or present statement reported
  from a speech act or inside a quotation, a backshifted obligation
  ("added that X had to ..."), an act joined to an undated speech, and a
  single past act reported by an undated speech take the statement's date;
  everything else (undated past events, repeated acts, the author's own
  hypotheticals, forecasts and prescriptions) takes null. The publication
  date is never a default.

Through discourse (:class:`TimelineOptions`, each switchable from pipeline.toml): references
back into the text ("since then", "during the meeting") take the anchoring date, the date a
sentence's main clause carries; a news report's undated lead acts are recent news; undated past
acts and speeches that continue a recent story take the story's date; a dated reporting clause
dates the act it reports; a title-block event takes the same event's date in the lead, else the
publication date (docs/discourse.md, "Dates through discourse").

Seasons: a season alone has year precision ("last summer" -> 2022); with
early/mid/late it gets the month in the northern hemisphere ("late last summer"
-> 2022-08), as the seed gold does.

The ``timeline`` stage (:class:`TimelineStage`) builds the timeline once per
document into ``DocState.timeline``; the event coder, the quote reader and the
designation reader date what they find with that one (:func:`timeline_of`).
It reads only the text, the sentences, the parse and the paired quote marks
(``DocState.quote_spans``), which no later stage changes.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from dyadlens import partial_dates
from dyadlens.model import Sentence
from dyadlens.nlp.lexicon import Lexicon
from dyadlens.nlp.sentences import is_bullet_item
from dyadlens.nlp.span_index import SpanIndex
from dyadlens.nlp.timex import (
    DATELINE,
    PartialDate,
    TemporalExpression,
    discourse_rules,
    resolve_sentence_expressions,
)

if TYPE_CHECKING:
    from dyadlens.state import DocState

#: A line of a reference list: "..., Some Agency, published on 3 March 2021. https://..."
_CITATION = re.compile(r"\b(?:published|retrieved|accessed)\s+(?:on\s+)?\w+|https?://", re.IGNORECASE)
#: How far after "a recent report" its citation may sit (characters).
_CITATION_REACH = 1500
#: Dependency labels that start a new clause or coordinate a separate event;
#: a date below one of them does not date a trigger above it.
_CLAUSE_EDGES = frozenset({"conj", "ccomp", "advcl", "relcl", "parataxis", "csubj", "acl", "appos"})
_HYPOTHETICAL_MODALITIES = frozenset({"possible", "recommended", "planned"})
#: What may separate a date from the narrower date that refines it ("this year, in March").
_ADJACENT_GAP = re.compile(r"\s*[,(–—-]?\s*(?:in|on|during)?\s*", re.IGNORECASE)
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_PAST_TAGS = frozenset({"VBD"})
#: Document kinds (metadata) that are news reports; a document of no stated kind is one when it
#: opens with a title block and its publication date has day precision.
NEWS_KINDS = frozenset({"news"})
#: How old (days before publication) a date may be and still be the news story's own.
EPISODE_DAYS = 7
#: How many paragraphs an undated sentence may follow the story's latest dated sentence.
EPISODE_PARAGRAPHS = 3
#: Modalities of an act the text tells as having happened (or not).
_TOLD_MODALITIES = frozenset({"asserted", "negated", "alleged"})
#: Parts of speech of a word that can name the same event in a headline and in the lead.
_EVENT_POS = frozenset({"VERB", "NOUN"})
#: How many first letters two words of one family share ("recognition", "recognise").
_SHARED_STEM = 6


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """The discourse mechanisms of the timeline, each switchable from pipeline.toml for ablation.

    - ``discourse_anchors``: references back into the text ("since then", "at that time", "that day",
      "the day after", "during the meeting") take the anchoring date, and the date a sentence's main
      clause carries is the anchor handed on to the next sentences;
    - ``lead_events_published``: in a news report, a past or present perfect act of the lead
      paragraph with no date of its own happened at publication (the story's own date when the lead
      gave one);
    - ``current_episode``: in a news report, an undated past act, or a past speech, that follows the
      story's latest dated sentence closely takes that date while it is recent (within
      ``EPISODE_DAYS`` of publication);
    - ``reporting_clause_dates``: a past act reported by a dated speech ("X said late Thursday that
      ...") takes the speech's date;
    - ``headline_dates``: an event of the title block (title, standfirst, summary bullets before the
      first body sentence) takes the date of the same event in the lead, else the lead's own date,
      else the publication date (headline tense: a present or past headline tells recent news);
    - ``datelines``: "NAIROBI, February 11 —" dates the report, not the events of its sentence, so
      "on Tuesday" in that sentence dates them;
    - ``plan_statement_dates``: a plan or prospect dates by when it was stated, not by when it is to
      happen ("agreed to meet again next month, the ministry said on Wednesday" is Wednesday's), and a
      dated reporting clause dates a plan reported in the past tense.
    """

    discourse_anchors: bool = True
    lead_events_published: bool = True
    current_episode: bool = True
    reporting_clause_dates: bool = True
    headline_dates: bool = True
    datelines: bool = True
    plan_statement_dates: bool = True


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened: an ISO prefix date (or None) and where it came from."""

    value: str | None
    start: int | None
    end: int | None
    rule: str


class DocumentTimeline:
    """The temporal expressions of one document, resolved, and the event-date convention."""

    def __init__(self, state: DocState, lexicon: Lexicon, options: TimelineOptions | None = None) -> None:
        self._state = state
        self._cues = _Cues(lexicon)
        self._options = options or TimelineOptions()
        self._published = PartialDate.parse(state.document.published)
        self._sentences: dict[int, Sentence] = {s.index: s for s in state.sentences}
        self._quotes = SpanIndex(state.quote_spans)
        self._expressions: dict[int, list[TemporalExpression]] = {}
        self._discourse_rules = (
            discourse_rules(lexicon.dates.occasion_nouns | lexicon.events.gathering_nouns)
            if self._options.discourse_anchors
            else ()
        )
        self._story = _Story(state, self._published)
        self._scan()

    # -- public API -----------------------------------------------------------

    def expressions(self, sentence_index: int | None = None) -> list[TemporalExpression]:
        """The resolved expressions of one sentence, or of the whole document in order."""
        if sentence_index is not None:
            return list(self._expressions.get(sentence_index, ()))
        return [e for i in sorted(self._expressions) for e in self._expressions[i]]

    @property
    def published(self) -> str | None:
        return self._published.iso() if self._published else None

    def date_for(self, sentence_index: int, trigger_token_i: int | None, modality: str) -> EventDate:
        """The date of an event whose trigger is token ``trigger_token_i`` of the document's parse
        (the sentence's main verb when that token is not in the sentence)."""
        sentence = self._sentences.get(sentence_index)
        doc = self._state.sentence_span(sentence_index) if sentence is not None else None
        if doc is None or sentence is None:
            return EventDate(None, None, None, "unparsed")
        trigger = _token_or_main_verb(doc, trigger_token_i)
        governing = self._governing_expression(sentence, doc, trigger)
        if governing is not None and modality in _HYPOTHETICAL_MODALITIES and self._is_future(governing):
            governing = None  # "agreed to meet next month": when the plan is for, not when it was made
        issuer = self._cues.document_subject(trigger)
        if governing is None and issuer is not None:
            governing = self._governing_expression(sentence, doc, issuer)
        if governing is not None:
            return _date_from_expression(governing)
        if self._options.headline_dates and self._story.in_title_block(sentence):
            headline = self._headline_date(trigger, modality)
            if headline is not None:
                return headline
        return self._undated(sentence, trigger, modality)

    def statement_date(self, sentence_index: int, trigger_token_i: int | None = None) -> EventDate:
        """The date of a statement of status (its main verb's, or the given trigger's): its own
        dated expression, else the publication date."""
        sentence = self._sentences.get(sentence_index)
        if sentence is None:
            return EventDate(None, None, None, "unknown-sentence")
        doc = self._state.sentence_span(sentence_index)
        if doc is not None:
            governing = self._governing_expression(sentence, doc, _token_or_main_verb(doc, trigger_token_i))
            if governing is not None and governing.kind == "point":
                return _date_from_expression(governing)
        return self._publication_date("published")

    def _is_future(self, expression: TemporalExpression) -> bool:
        """Whether a date lies wholly after publication (only with ``plan_statement_dates``)."""
        value = partial_dates.PartialDate.parse_or_none(expression.value)
        published = partial_dates.PartialDate.parse_or_none(self.published)
        if not self._options.plan_statement_dates or value is None or published is None:
            return False
        return value.first_day > published.last_day

    # -- scanning -------------------------------------------------------------

    def _scan(self) -> None:
        """Resolve each sentence's expressions against the anchors of the sentences before it.

        Of those anchors only the latest can be chosen (every one lies before the
        sentence), so only the latest is handed on: a document-long list would be
        searched once per sentence.
        """
        latest: list[TemporalExpression] = []
        day_anchor: list[TemporalExpression] = []
        story: PartialDate | None = None  # the lead's first main-clause date: "this time"
        first_rules = (DATELINE,) if self._options.datelines else ()
        for sentence in sorted(self._state.analysed_sentences(), key=lambda s: s.start):
            found = resolve_sentence_expressions(
                text=self._state.sentence_text(sentence),
                offset=sentence.start,
                sentence_index=sentence.index,
                published=self._published,
                anchors=[*day_anchor, *latest],
                extra_rules=self._discourse_rules,
                first_rules=first_rules,
                story=story,
            )
            self._expressions[sentence.index] = found
            main = self._main_clause_date(sentence)
            if main is not None:
                self._story.add_dated(sentence, main)
                if story is None and self._story.in_lead(sentence):
                    story = PartialDate.parse(main.value)
            if not self._options.discourse_anchors:
                latest = [e for e in found if e.is_anchor and e.value][-1:] or latest
                continue
            if main is not None:
                latest = [main]
            elif not self._reported_after_its_content(sentence):
                latest = [e for e in found if e.is_anchor and e.value][-1:] or latest
            day_anchor = [e for e in latest if _has_day(e)] or day_anchor
        self._refine_recent_from_citations()

    def _main_clause_date(self, sentence: Sentence) -> TemporalExpression | None:
        """The date that governs the sentence's main verb: the date the narrative has reached
        ("Russia hosted the delegation on Wednesday, two months after ... on 15 August" has
        reached Wednesday, not 15 August)."""
        span = self._state.sentence_span(sentence.index)
        if span is None or not self._expressions.get(sentence.index):
            return None
        main_verb = _main_verb(span)
        if self._options.discourse_anchors and self._reported_after_its_content(sentence):
            main_verb = _content_before(main_verb)
        governing = self._governing_expression(sentence, span, main_verb)
        if governing is None or governing.value is None:
            return None
        if _is_interval(governing):
            # "a day after the drills began" dates the drills; the sentence stands at the date counted from
            return next((e for e in reversed(self._expressions[sentence.index]) if e.is_anchor and e.value), None)
        return governing if governing.is_anchor or governing.kind == "range" or _is_discourse(governing) else None

    def _reported_after_its_content(self, sentence: Sentence) -> bool:
        """"Both sides agreed to meet again, the ministry said on Wednesday": a reporting clause
        after the content it reports. The sentence tells the content; the speech's date is when it
        was reported, not a date the story reached, so it is handed on only through the content."""
        span = self._state.sentence_span(sentence.index)
        if span is None:
            return False
        root = _main_verb(span)
        return self._cues.is_speech(root) and _content_before(root) is not root

    def _refine_recent_from_citations(self) -> None:
        """"A recent agency report.1" in a brief with inline footnotes: date it by the citation that follows."""
        citations = self._citation_dates()
        starts = [c.start for c in citations]
        for expressions in self._expressions.values():
            for k, expression in enumerate(expressions):
                if not expression.rule.startswith("recent:"):
                    continue
                first_after = bisect.bisect_right(starts, expression.end)
                cited = citations[first_after] if first_after < len(citations) else None
                if cited is not None and cited.start - expression.end <= _CITATION_REACH:
                    expressions[k] = replace(expression, value=cited.value, rule="recent:cited")

    def _citation_dates(self) -> list[TemporalExpression]:
        found = []
        for sentence in self._state.analysed_sentences():
            text = self._state.sentence_text(sentence)
            if sentence.kind != "footnote" and not _CITATION.search(text):
                continue
            for expression in self._expressions.get(sentence.index, ()):
                value = PartialDate.parse(expression.value)
                if (
                    expression.kind == "point"
                    and value
                    and value.month
                    and (self._published is None or value.not_after(self._published))
                ):
                    found.append(expression)
        return sorted(found, key=lambda e: e.start)

    # -- choosing the expression that dates a trigger --------------------------

    def _governing_expression(self, sentence: Sentence, doc: Any, trigger: Any) -> TemporalExpression | None:
        best: tuple[tuple[bool, int, bool, int], TemporalExpression] | None = None
        for expression in self._expressions.get(sentence.index, ()):
            if expression.kind == "dateline":
                continue  # the report's date, not an event's
            head = _expression_head(doc, expression)
            if head is None:
                continue
            distance = self._cues.governing_distance(trigger, head)
            if distance is None:
                continue
            rank = (_is_discourse(expression), distance, expression.kind != "point", -expression.specificity)
            if best is None or rank < best[0]:
                best = (rank, expression)
        return self._refined(sentence, best[1]) if best else None

    def _refined(self, sentence: Sentence, chosen: TemporalExpression) -> TemporalExpression:
        """"Earlier this year, in March": a point set off right next to the chosen one that
        narrows it (its value extends the chosen value) dates the same event more precisely."""
        if chosen.kind != "point" or not chosen.value:
            return chosen
        text = self._state.text
        for other in self._expressions.get(sentence.index, ()):
            if other.kind != "point" or not other.value or not other.value.startswith(chosen.value + "-"):
                continue
            first, second = sorted((chosen, other), key=lambda e: e.start)
            if _ADJACENT_GAP.fullmatch(text[first.end : second.start]):
                return other
        return chosen

    def _undated(self, sentence: Sentence, trigger: Any, modality: str) -> EventDate:
        """No expression governs the trigger: tense, modality and reporting decide."""
        tense = self._cues.tense(trigger)
        reported = self._is_reported(sentence, trigger)
        if tense == "past":
            if self._cues.is_undated_speech(trigger):
                return self._statement_context(sentence, "speech-recent", past_speech=True)
            if modality in _HYPOTHETICAL_MODALITIES and self._options.plan_statement_dates:
                reported_plan = self._reporting_speech_date(sentence, trigger)
                if reported_plan is not None:
                    return reported_plan  # "agreed to meet again, the ministry said on Wednesday"
            if modality == "planned" and self._cues.commitment_head(trigger):
                return self._publication_date("standing-commitment")
            if modality in _HYPOTHETICAL_MODALITIES and reported:
                return self._statement_context(sentence, "statement-backshifted", past_speech=True)
            dated_speech = self._dated_reporting_clause(sentence, trigger)
            if dated_speech is not None:
                return dated_speech
            if self._reported_by_undated_speech(sentence, trigger):
                return self._statement_context(sentence, "reported-recent", past_speech=True)
            return self._news_date(sentence, trigger, tense, modality) or EventDate(None, None, None, "past-undated")
        if tense == "perfect":
            if _since_clause(trigger):
                return self._publication_date("since-event")
            if modality == "negated":
                return self._publication_date("not-yet")  # "has not recognised": a state as of publication
            if modality in _HYPOTHETICAL_MODALITIES and _finite_verb(trigger) is not trigger:
                return self._publication_date("prospect")  # "has moved closer to lifting": a prospect as of publication
            dated_speech = self._dated_reporting_clause(sentence, trigger)
            undated = EventDate(None, None, None, "perfect-undated")
            return dated_speech or self._news_date(sentence, trigger, tense, modality) or undated
        if tense == "modal" or modality in _HYPOTHETICAL_MODALITIES:
            if reported:
                return self._statement_context(sentence, "statement", past_speech=self._past_speech(trigger))
            if modality == "planned" and self._cues.is_promise_noun(trigger):
                return self._publication_date("promise")
            return EventDate(None, None, None, "hypothetical")
        if reported:
            return self._statement_context(sentence, "statement", past_speech=self._past_speech(trigger))
        return self._publication_date("present")

    # -- dates through discourse --------------------------------------------------

    def _headline_date(self, trigger: Any, modality: str) -> EventDate | None:
        """A title-block event: the same event's date in the lead, else the publication date (a
        headline in the present or the past tells recent news); a headline's plan or prospect
        ("X to visit Y") keeps the ordinary convention."""
        if self._cues.tense(trigger) == "modal" or modality in _HYPOTHETICAL_MODALITIES:
            return None
        for sentence in self._story.lead_sentences():
            span = self._state.sentence_span(sentence.index)
            for token in span if span is not None else ():
                if not _same_event_word(token, trigger):
                    continue
                governing = self._governing_expression(sentence, span, token)
                if governing is not None and governing.kind == "point" and governing.value:
                    return EventDate(governing.value, governing.start, governing.end, "headline-lead")
        story = self._story.lead_date()
        if story is not None:
            return replace(story, rule="headline-story")
        return self._publication_date("headline")

    def _news_date(self, sentence: Sentence, trigger: Any, tense: str, modality: str) -> EventDate | None:
        """The news convention for an act told in the past or present perfect with no date of its
        own: in the lead, the story's date (publication, or the lead's own date); later, a
        simple past act that continues the story's latest dated sentence takes its date. Past
        perfects and repeated acts are background and stay undated."""
        if not self._story.is_news or modality not in _TOLD_MODALITIES:
            return None
        if self._cues.is_past_perfect(trigger) or self._cues.is_iterative(trigger):
            return None
        episode = self._story.episode(sentence) if self._options.current_episode else None
        if self._options.lead_events_published and self._story.in_lead(sentence):
            if episode is not None:
                return episode
            # a lead that has moved back to an older date is telling background
            return None if self._story.has_dated_before(sentence) else self._publication_date("lead")
        return episode if tense == "past" else None

    def _dated_reporting_clause(self, sentence: Sentence, trigger: Any) -> EventDate | None:
        """"The ministry said late Thursday that its forces had left the town": an act reported
        by a dated speech and with no date of its own takes the speech's date."""
        if not self._options.reporting_clause_dates or self._cues.is_iterative(trigger):
            return None
        return self._reporting_speech_date(sentence, trigger)

    def _reporting_speech_date(self, sentence: Sentence, trigger: Any) -> EventDate | None:
        """The explicit date of the nearest dated speech that reports the trigger."""
        for speech in self._cues.speech_ancestors(trigger):
            governing = self._governing_expression(sentence, trigger.sent, speech)
            if governing is None:
                continue  # "described the talks ..., the ministry said on Wednesday": the outer speech dates it
            if governing.kind != "point" or not governing.value or not governing.is_anchor:
                return None  # "the latest report alleging ...": a vague time is no date for the act reported
            return EventDate(governing.value, governing.start, governing.end, "reporting-clause")
        return None

    def _past_speech(self, trigger: Any) -> bool:
        speech = self._cues.speech_ancestor(trigger)
        return speech is not None and self._cues.tense(speech) == "past"

    def _speech_time(self, sentence: Sentence, rule: str, past_speech: bool) -> EventDate:
        """When an undated statement was made: a past speech in a news story was made on the
        story's date when the story is recent; otherwise the publication date."""
        episode = self._story.episode(sentence) if past_speech and self._options.current_episode else None
        if episode is not None and self._story.is_news:
            return replace(episode, rule=rule + "-episode")
        return self._publication_date(rule)

    def _reported_by_undated_speech(self, sentence: Sentence, trigger: Any) -> bool:
        """"The ministry confirmed that it had accepted ...": a past act reported by an undated
        past speech act is news of that speech's time; a repeated act ("had repeatedly asked")
        has no single date."""
        speech = self._cues.speech_ancestor(trigger)
        verb = _finite_verb(trigger) or trigger
        return (
            speech is not None
            and not any(c.lower_ in self._cues.words.iterative_adverbs for c in (*verb.children, *trigger.children))
            and speech.lemma_.lower() in self._cues.reporting_verbs
            and self._cues.tense(speech) == "past"
            and self._governing_expression(sentence, trigger.sent, speech) is None
        )

    def _is_reported(self, sentence: Sentence, trigger: Any) -> bool:
        """Content of a speech act, a quotation, or a report ("reportedly")."""
        if self._cues.speech_ancestor(trigger) is not None or self._inside_quote(sentence):
            return True
        verb = _finite_verb(trigger) or trigger
        return any(c.lower_ in self._cues.words.report_adverbs for c in (*verb.children, *trigger.children))

    def _statement_context(self, sentence: Sentence, rule: str, past_speech: bool = False) -> EventDate:
        """A reported statement's date: for a quotation that continues one attributed just before
        ("... the minister said on 4 May. “We will not wait ...”"), that speech act's date;
        else when the speech was made (:meth:`_speech_time`)."""
        if not self._inside_quote(sentence):
            return self._speech_time(sentence, rule, past_speech)
        for previous in self._preceding_in_paragraph(sentence, limit=2):
            doc = self._state.sentence_span(previous.index)
            if doc is None or not any(self._cues.is_speech(t) for t in doc):
                continue
            points = [e for e in self._expressions.get(previous.index, ()) if e.kind == "point" and e.value]
            if points:
                return EventDate(points[-1].value, points[-1].start, points[-1].end, rule + "-dated")
        return self._speech_time(sentence, rule, past_speech)

    def _preceding_in_paragraph(self, sentence: Sentence, limit: int) -> Iterator[Sentence]:
        for count, index in enumerate(range(sentence.index - 1, -1, -1)):
            previous = self._sentences.get(index)
            if previous is None or previous.paragraph != sentence.paragraph or count >= limit:
                return
            yield previous

    def _inside_quote(self, sentence: Sentence) -> bool:
        """Whether a quotation covers more than half the sentence.

        Of the quotations that open before the sentence, the one reaching
        furthest overlaps it most; the others open inside it.
        """
        length = max(1, sentence.end - sentence.start)
        reach = self._quotes.reach_before(sentence.start + 1)
        if reach is not None and min(reach, sentence.end) - sentence.start > length / 2:
            return True
        inside = self._quotes.starting_in(sentence.start + 1, sentence.end)
        return any(min(span.end, sentence.end) - span.start > length / 2 for span in inside)

    def _publication_date(self, rule: str) -> EventDate:
        if self._published is None:
            return EventDate(None, None, None, rule + "-no-publication-date")
        return EventDate(self._published.iso(), None, None, rule)


class _Story:
    """Where a document's news story is: its title block, its lead paragraph, and the dates its
    sentences' main clauses have reached (for the current episode)."""

    def __init__(self, state: DocState, published: PartialDate | None) -> None:
        analysed = sorted(state.analysed_sentences(), key=lambda s: s.start)
        first_body = next((s for s in analysed if s.kind == "body" and not is_bullet_item(state.text, s.start)), None)
        self._title_end = first_body.start if first_body is not None else None
        self._lead = [s for s in analysed if first_body is not None and s.paragraph == first_body.paragraph]
        self._published = partial_dates.PartialDate.parse_or_none(published.iso() if published else None)
        document = state.document
        dated_to_the_day = published is not None and bool(published.day)
        has_title = first_body is not None and any(s.start < first_body.start for s in analysed)
        self.is_news = document.kind in NEWS_KINDS if document.kind else dated_to_the_day and has_title
        self._dated: list[tuple[int, int, TemporalExpression]] = []  # (sentence start, paragraph, date)

    def in_title_block(self, sentence: Sentence) -> bool:
        """The title, a standfirst line and summary bullets: what comes before the lead."""
        return self._title_end is not None and sentence.start < self._title_end

    def in_lead(self, sentence: Sentence) -> bool:
        return bool(self._lead) and sentence.paragraph == self._lead[0].paragraph and sentence.kind == "body"

    def lead_sentences(self) -> list[Sentence]:
        return list(self._lead)

    def add_dated(self, sentence: Sentence, main: TemporalExpression) -> None:
        self._dated.append((sentence.start, sentence.paragraph, main))

    def has_dated_before(self, sentence: Sentence) -> bool:
        return bisect.bisect_left(self._dated, sentence.start, key=lambda d: d[0]) > 0

    def episode(self, sentence: Sentence) -> EventDate | None:
        """The date the story had reached before ``sentence`` when it is close and recent."""
        position = bisect.bisect_left(self._dated, sentence.start, key=lambda d: d[0])
        if position == 0:
            return None
        _, paragraph, latest = self._dated[position - 1]
        if sentence.paragraph - paragraph > EPISODE_PARAGRAPHS:
            return None
        if _reaches_the_present(latest):
            # "has met them regularly since 2017": background told, the story resumes at its own date
            resumed = self.lead_date()
            return replace(resumed, rule="episode-resumed") if resumed else None
        if not self._is_recent(latest):
            return None
        return EventDate(latest.value, latest.start, latest.end, "episode")

    def lead_date(self) -> EventDate | None:
        """The day the lead's main clauses reached first, when it is recent: the story's own date
        (a month, as in "last month", is too coarse to date a headline or a resumed story by)."""
        for start, _, expression in self._dated:
            if self._lead and start >= self._lead[0].start and self._is_recent(expression) and _has_day(expression):
                return EventDate(expression.value, expression.start, expression.end, "lead")
            if self._lead and start >= self._lead[0].start:
                return None
        return None

    def _is_recent(self, expression: TemporalExpression) -> bool:
        value = partial_dates.PartialDate.parse_or_none(expression.value)
        if value is None or self._published is None or expression.kind != "point":
            return False
        window_start = self._published.first_day - datetime.timedelta(days=EPISODE_DAYS)
        return value.first_day <= self._published.last_day and value.last_day >= window_start


def _is_interval(expression: TemporalExpression) -> bool:
    return expression.rule.endswith(":interval")


def _reaches_the_present(expression: TemporalExpression) -> bool:
    """An open range ("since 2019", "since then"): ongoing activity up to publication."""
    return expression.kind == "range" and expression.rule.split(":")[-1] in ("since", "since-then")


class TimelineStage:
    """Builds the document's timeline once, for every coder that dates what it finds (component ``timeline``)."""

    name = "timeline"
    version = "2"

    def __init__(self, lexicon: Lexicon, **options: bool) -> None:
        """``options``: the fields of :class:`TimelineOptions` (an unknown name is a TypeError)."""
        self._lexicon = lexicon
        self._options = TimelineOptions(**options)

    def __call__(self, state: DocState) -> None:
        state.timeline = DocumentTimeline(state, self._lexicon, self._options)


def timeline_of(state: DocState) -> DocumentTimeline:
    """The timeline the ``timeline`` stage built; a component run by hand without it fails clearly."""
    if state.timeline is None:
        raise RuntimeError("no timeline in the document state: run the 'timeline' stage (dyadlens.timeline.v1) first")
    return state.timeline


# -- helpers over the parse ---------------------------------------------------


def _date_from_expression(expression: TemporalExpression) -> EventDate:
    if expression.kind == "point":
        return EventDate(expression.value, expression.start, expression.end, expression.rule)
    if expression.kind == "range":
        return EventDate(expression.value, expression.start, expression.end, "range-start")
    return EventDate(None, expression.start, expression.end, "in-" + expression.kind)


def _has_day(expression: TemporalExpression) -> bool:
    value = PartialDate.parse(expression.value)
    return value is not None and value.day is not None


def _content_before(verb: Any) -> Any:
    """The reported clause that comes before its speech verb ("X agreed ..., the ministry said"),
    else the verb itself."""
    return next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), verb)


def _is_discourse(expression: TemporalExpression) -> bool:
    """A reference back into the text ("at that time"): chosen only when no date of the sentence's
    own governs the trigger."""
    return expression.rule.startswith("discourse:")


def _same_event_word(token: Any, trigger: Any) -> bool:
    """Whether ``token`` can name the event ``trigger`` names: the same lemma, or one family
    ("recognition" and "recognised")."""
    if token.pos_ not in _EVENT_POS or trigger.pos_ not in _EVENT_POS:
        return False
    mine, theirs = token.lemma_.lower(), trigger.lemma_.lower()
    if mine == theirs:
        return True
    return len(mine) >= _SHARED_STEM and mine[:_SHARED_STEM] == theirs[:_SHARED_STEM]


def _token_or_main_verb(sentence: Any, token_i: int | None) -> Any:
    """Token ``token_i`` of the document when it is in ``sentence`` (a span), else its main verb."""
    if token_i is not None and sentence.start <= token_i < sentence.end:
        return sentence.doc[token_i]
    return _main_verb(sentence)


def _main_verb(doc: Any) -> Any:
    for token in doc:
        if token.dep_ == "ROOT":
            return token
    return doc[0]


def _expression_head(doc: Any, expression: TemporalExpression) -> Any | None:
    """The content token of the expression nearest the root ("2021" in "since 2021")."""
    start, end = expression.start, expression.end
    tokens = [t for t in doc if t.idx < end and t.idx + len(t.text) > start and t.pos_ not in ("ADP", "DET")]
    if not tokens:
        return None
    return min(tokens, key=lambda t: len(list(t.ancestors)))


def _finite_verb(trigger: Any) -> Any | None:
    """The nearest verb at or above the trigger that carries tense: a finite verb or one
    with a tensed auxiliary; infinitives and bare participles take their head's tense."""
    node = trigger
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX"):
            auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass") and c.tag_ != "TO"]
            if node.tag_ in _PRESENT_TAGS | _PAST_TAGS or auxes:
                return node
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def _since_clause(trigger: Any) -> bool:
    """"Since the president resigned, X has praised ...": ongoing from an event up to publication."""
    verb = _finite_verb(trigger) or trigger
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children) for c in verb.children
    )


def _has_reported_content(verb: Any) -> bool:
    return any(c.dep_ == "ccomp" for c in verb.children)


class _Cues:
    """The parse tests of the date convention that read the lexicon's word lists."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.words = lexicon.dates
        self.modal_aux = lexicon.modality.modal_aux
        self.reporting_verbs = lexicon.speech.reporting_verbs
        speech = lexicon.speech
        self.speech_words = speech.attribution_verbs | speech.speech_nouns | speech.dated_speech_words

    def governing_distance(self, trigger: Any, head: Any) -> int | None:
        """Edges between trigger and date head, or None when the date belongs to another event.

        Climbing from the trigger: a date on the main verb dates its complements,
        but not across a relative clause ("the deal, which proved ..."), and a
        modal or past clause under a non-speech verb keeps its own time ("it's
        natural that ties would be discussed"). Descending to the date: only
        through edges that stay in the clause, a temporal clause ("when ... in
        2001"), or a clause directly on a noun trigger ("talks that began in 2017").
        """
        climb = self.climb(trigger)
        down = 0
        node = head
        path: list[Any] = []
        while node.i not in climb:
            path.append(node)
            if node.head.i == node.i:
                return None
            node, down = node.head, down + 1
        meeting = node
        for i, child in enumerate(reversed(path)):
            if child.dep_ in _CLAUSE_EDGES and not self.may_descend(child, i == 0 and meeting.i == trigger.i):
                return None
        return climb[meeting.i] + down

    def climb(self, trigger: Any) -> dict[int, int]:
        """Token index -> steps for the trigger and the ancestors whose dates it may take."""
        reachable = {trigger.i: 0}
        tense = self.tense(trigger)
        node, steps = trigger, 0
        while node.head.i != node.i:
            parent = node.head
            if not self.may_climb(node, parent, tense):
                break
            node, steps = parent, steps + 1
            reachable[node.i] = steps
        return reachable

    def may_climb(self, child: Any, parent: Any, tense: str) -> bool:
        """Whether a trigger in ``child`` may take a date attached at ``parent``."""
        if child.left_edge.text in ("(", "[") and child.left_edge.i < child.i:
            return False  # a parenthetical aside keeps its own time
        if child.dep_ == "relcl":
            return not any(c.tag_ in ("WDT", "WP", "WP$") for c in child.children)
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            # "X met Y last year but has stopped short of ...": a conjunct with its own subject
            # or auxiliary is a separate event with its own time
            return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in child.children)
        if child.dep_ in ("ccomp", "advcl", "parataxis", "csubj"):
            if any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WDT" for c in child.children):
                return False  # ", which proved ...": a comment with its own time
            if self.is_speech(parent):
                return tense in ("modal", "present")
            return tense == "past"
        return True

    def may_descend(self, child: Any, from_noun_trigger: bool) -> bool:
        if from_noun_trigger and child.dep_ in ("relcl", "acl"):
            return True
        if child.dep_ == "advcl":
            return any(c.dep_ in ("mark", "advmod") and c.lower_ in self.words.temporal_marks for c in child.children)
        return False

    def tense(self, trigger: Any) -> str:
        """past | perfect | modal | present for the finite verb that governs the trigger."""
        verb = _finite_verb(trigger)
        if verb is None:
            return "present"
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in self.modal_aux or a.tag_ == "MD" for a in auxes):
            return "modal"
        if any(a.lemma_ == "have" for a in auxes) and verb.tag_ == "VBN":
            return "past" if any(a.tag_ == "VBD" for a in auxes if a.lemma_ == "have") else "perfect"
        if any(a.tag_ in _PAST_TAGS for a in auxes) or verb.tag_ in _PAST_TAGS:
            return "past"
        return "present"

    def is_speech(self, token: Any) -> bool:
        """A verb or noun of speech, or "X's view is that ..." (a copula whose subject is one)."""
        if token.lemma_.lower() in self.speech_words:
            return True
        if token.lemma_ == "be":
            return any(c.dep_ == "nsubj" and c.lemma_.lower() in self.words.stance_nouns for c in token.children)
        return False

    def is_past_perfect(self, trigger: Any) -> bool:
        """"had accepted": an act before the narrative's time, background to it."""
        verb = _finite_verb(trigger)
        if verb is None or verb.tag_ != "VBN":
            return False
        return any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ == "VBD" for c in verb.children)

    def is_iterative(self, trigger: Any) -> bool:
        """"had repeatedly asked": a repeated act has no single date."""
        verb = _finite_verb(trigger) or trigger
        return any(c.lower_ in self.words.iterative_adverbs for c in (*verb.children, *trigger.children))

    def speech_ancestor(self, trigger: Any) -> Any | None:
        return next(self.speech_ancestors(trigger), None)

    def speech_ancestors(self, trigger: Any) -> Iterator[Any]:
        """The speech verbs and nouns above the trigger, nearest first."""
        return (ancestor for ancestor in trigger.ancestors if self.is_speech(ancestor))

    def document_subject(self, trigger: Any) -> Any | None:
        """"The statement that emerged from last month's meeting called on ...": a statement or
        report that acts speaks when it was issued, so its own date dates the act."""
        subject = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and trigger.dep_ == "acl":
            subject = trigger.head
        return subject if subject is not None and subject.lemma_.lower() in self.words.document_nouns else None

    def is_undated_speech(self, trigger: Any) -> bool:
        """A reporting verb with reported content, or an act joined to one by the same speaker
        ("welcomed the remarks and said that ..."): one recent speech occasion."""
        if trigger.lemma_.lower() in self.reporting_verbs and _has_reported_content(trigger):
            return True
        partners = [c for c in trigger.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
        return any(
            p.lemma_.lower() in self.reporting_verbs
            and _has_reported_content(p)
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in p.children)
            for p in partners
        )

    def commitment_head(self, trigger: Any) -> bool:
        """"X promised to send ...": the complement of a commitment the actor made; undated, the
        commitment stands as of publication."""
        head = trigger.head if trigger.dep_ == "xcomp" else None
        return head is not None and head.lemma_.lower() in self.words.commitment_words

    def is_promise_noun(self, trigger: Any) -> bool:
        """"promised delisting", "the pledge to ...", "plans by X to build ...": a commitment or
        plan that already exists, even when the sentence around it is hypothetical."""
        words = [trigger, *trigger.children, *list(trigger.ancestors)[:2]]
        return any(
            w.lemma_.lower() in self.words.commitment_words
            or (w.pos_ == "NOUN" and w.lemma_.lower() in self.words.plan_nouns)
            for w in words
        )
