"""Modality of a coded event: asserted, negated, possible, planned, recommended, alleged.

The cue is looked for on the trigger and then on the words that govern it in
the dependency parse (the verb a nominal trigger is the object of, the verb
whose complement the trigger heads, ...), nearest first, so that in "Chile
is said to be weighing the lifting of X's ban" the cue of *lifting* is
*weighing* (possible), while in "they have reportedly teamed up with X" it
is *reportedly* (alleged). The definitions follow GUIDELINES.md:

- negated: not/never/n't/no on the predicate, or a governing deny/refuse/fail/"stop short of" ...;
  a negated preventing verb asserts the event ("never stopped X from meeting Y")
- possible: could/might/may/would/can, consider/contemplate, possible/potential, "moved closer to",
  a conditional or a question, an author's forecast ("one can expect that X will")
- planned: will/shall, plan/intend/promise/propose/ready to, "pledged unbanning"
- recommended: should/must/ought/need to/have to, "it is crucial/imperative/time to"
- alleged: the content of an accusation, allegation or claim ("bogus reports alleging that")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dyadlens.nlp.lexicon import ModalityWords

#: Dependency labels through which a governing word still qualifies the trigger.
CLIMB_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "relcl", "attr",
     "nsubj", "nsubjpass", "csubj", "csubjpass", "oprd", "appos", "compound", "amod", "conj"}
)
MAX_CLIMB = 6

#: A possible or planned hedge is kept unless a prescription or an allegation governs it in
#: the same clause chain ("ought to weigh rebuilding": recommended).
HEDGES = frozenset({"possible", "planned"})
OVERRIDING = frozenset({"recommended", "alleged"})
REPORTED_CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})


@dataclass(frozen=True, slots=True)
class ModalityCue:
    modality: str
    cue: str | None  # the word that decided it (None: asserted by default)
    cue_i: int | None  # its token index in the document's parse


ASSERTED = ModalityCue("asserted", None, None)


def governing_chain(trigger: Any) -> list[Any]:
    """The trigger, then the words that govern it, nearest first (at most MAX_CLIMB up)."""
    chain = [trigger]
    token = trigger
    while token.dep_ in CLIMB_DEPS and token.head.i != token.i and len(chain) <= MAX_CLIMB:
        token = token.head
        chain.append(token)
    return chain


def _obligation(token: Any, below: Any) -> bool:
    """"X has to / had to V": an obligation on the infinitive below."""
    if token.lemma_.lower() != "have" or below.dep_ != "xcomp":
        return False
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in below.children)


class ModalityRules:
    """The modality cues of the lexicon's ``modality`` section, applied to a trigger."""

    def __init__(self, words: ModalityWords) -> None:
        self.words = words
        #: lexical cues in the order they are tried
        self._lexical = (
            ("negated", words.negating_governors),
            ("alleged", words.alleged_governors),
            ("recommended", words.recommended_governors),
            ("possible", words.possible_governors),
            ("planned", words.planned_governors),
        )

    def event_modality(
        self, trigger: Any, intrinsic: frozenset[str] = frozenset(), presupposed: bool = False
    ) -> ModalityCue:
        """The modality of the event whose trigger token is ``trigger`` (a spaCy token).

        ``intrinsic``: modalities the event's code already expresses, ignored when their cue sits
        on the trigger itself. An accusation that is called "fake" is still made (the dispute is
        about its content); "potential cooperation" explored is an expressed intent (root 03).
        ``presupposed``: the trigger is a possessed nominal ("Brazil's outreach to X"), whose
        event the sentence takes for granted: only cues on the trigger itself count.
        """
        sentence = trigger.sent
        if sentence.text.rstrip().rstrip("\u201d\"'").endswith("?"):
            return ModalityCue("possible", "?", sentence.end - 1)
        chain = governing_chain(trigger)[:1] if presupposed else governing_chain(trigger)
        hedge: ModalityCue | None = None
        for depth, token in enumerate(chain):
            if hedge is not None and chain[depth - 1].dep_ in REPORTED_CLAUSE_DEPS:
                break
            if depth > 0 and _obligation(token, chain[depth - 1]):
                return ModalityCue("recommended", f"{token.text} to", token.i)
            prevention = self._prevention(token) if depth > 0 else None
            if prevention is not None:
                return hedge or prevention
            cue = self._cue_on(token, is_trigger=depth == 0, above=chain[depth + 1 :])
            if cue is None or (depth == 0 and cue.modality in intrinsic):
                continue
            if cue.modality not in HEDGES:
                return cue if hedge is None or cue.modality in OVERRIDING else hedge
            hedge = hedge or cue
        return hedge or ASSERTED

    def _prevention(self, token: Any) -> ModalityCue | None:
        """"never stopped X from meeting Y", "does not prevent contacts": the double negation
        asserts the event."""
        if token.lemma_.lower() not in self.words.preventing_governors or token.pos_ not in ("VERB", "AUX"):
            return None
        negation = next((c for c in token.children if self._is_negation(c)), None)
        return None if negation is None else ModalityCue("asserted", f"{negation.text} {token.text}", token.i)

    def _cue_on(self, token: Any, is_trigger: bool, above: list[Any]) -> ModalityCue | None:
        children = list(token.children)
        negation = next((c for c in children if self._is_negation(c)), None)
        aux = [c for c in children if c.dep_ in ("aux", "auxpass") or c.tag_ == "MD"]
        recommended = next((a for a in aux if a.lower_ in self.words.recommended_aux), None)
        if recommended is not None:
            return ModalityCue("recommended", recommended.text, recommended.i)
        if negation is not None:
            return ModalityCue("negated", negation.text, negation.i)
        condition = next((c for c in children if c.dep_ == "mark" and c.lower_ in self.words.conditional_marks), None)
        if condition is not None:
            return ModalityCue("possible", condition.text, condition.i)
        modal = self._modal_aux(aux, above)
        if modal is not None:
            return modal
        if not is_trigger:
            lexical = self._lexical_cue(token) or self._prescription(children)
            if lexical is not None:
                return lexical
        return self._modifier_cue(children)

    def _prescription(self, children: list[Any]) -> ModalityCue | None:
        """"it makes sense to", "is crucial", "is an imperative": the predicate prescribes."""
        for child in children:
            if child.dep_ in ("dobj", "attr", "acomp") and child.lemma_.lower() in self.words.recommended_governors:
                return ModalityCue("recommended", child.text, child.i)
        return None

    def _is_negation(self, child: Any) -> bool:
        if child.dep_ == "neg":
            return True
        return child.dep_ == "det" and child.lower_ in self.words.negative_determiners

    def _modal_aux(self, aux: list[Any], above: list[Any]) -> ModalityCue | None:
        for word in aux:
            if word.lower_ in self.words.possible_aux:
                return ModalityCue("possible", word.text, word.i)
            if word.lower_ in self.words.planned_aux:
                forecast = any(t.lemma_.lower() in self.words.forecast_governors for t in above)
                return ModalityCue("possible" if forecast else "planned", word.text, word.i)
            if word.lemma_.lower() == "need" and word.tag_ == "MD":
                return ModalityCue("recommended", word.text, word.i)
        return None

    def _lexical_cue(self, token: Any) -> ModalityCue | None:
        lemma = token.lemma_.lower()
        for modality, words in self._lexical:
            if lemma in words or token.lower_ in words:
                return ModalityCue(modality, token.text, token.i)
        return None

    def _modifier_cue(self, children: list[Any]) -> ModalityCue | None:
        """Adverbs, adjectives and markers on a word: "potential cooperation", "pledged unbanning", "if"."""
        for child in children:
            if child.dep_ not in ("advmod", "amod", "mark", "npadvmod", "acomp"):
                continue
            cue = self._lexical_cue(child)
            if cue is not None and cue.modality != "negated":
                return cue
        return None
