"""An alternative event coder from outside the package, for the registry tests.

It codes a sentence that names two actors and holds one of a few verbs, with
the first actor named as the source and the next one as the target. It is
deliberately simple: what it shows is that a component registered from
another module runs through ``ingest --workers 2`` and ``eval``.
"""

from __future__ import annotations

import re
from typing import Any

from dyadlens import registry
from dyadlens.model import Event, stable_id
from dyadlens.state import DocState

#: Verb stems and the CAMEO codes they give.
KEYWORDS = {"met": "040", "condemn": "111", "accus": "112", "threaten": "130", "sign": "057", "prais": "051"}
_WORD = re.compile(r"\b(" + "|".join(KEYWORDS) + r")\w*", re.I)


class KeywordEventCoder:
    name = "events"
    version = "keyword-1"

    def __call__(self, state: DocState) -> None:
        for sentence in state.analysed_sentences():
            actors = _distinct_actors(state, sentence)
            found = _WORD.search(state.sentence_text(sentence))
            if len(actors) < 2 or found is None:
                continue
            start = sentence.start + found.start()
            state.events.append(
                Event(
                    id=stable_id(state.document.id, sentence.start, self.version),
                    doc_id=state.document.id,
                    start=sentence.start,
                    end=sentence.end,
                    sentence_index=sentence.index,
                    trigger_start=start,
                    trigger_end=sentence.start + found.end(),
                    source=actors[0],
                    target=actors[1],
                    code=KEYWORDS[found.group(1).lower()],
                    modality="asserted",
                    entry=f"keyword:{found.group(1).lower()}",
                )
            )


def _distinct_actors(state: DocState, sentence: Any) -> list[str]:
    seen: list[str] = []
    for mention in state.mentions_in(sentence):
        if mention.actor_id and mention.actor_id not in seen:
            seen.append(mention.actor_id)
    return seen


@registry.component("tests.events.keywords.v1", requires=("sentences", "mentions"), assigns=("events",))
def keyword_event_coder(resources: Any, **options: Any) -> KeywordEventCoder:
    return KeywordEventCoder(**options)
