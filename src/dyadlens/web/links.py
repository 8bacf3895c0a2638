"""How templates link things: to server pages (web) or to anchors in one file (report).

The same macros render events, quotes and claims in the web UI and in the
standalone report; only the link scheme differs.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from dyadlens.analysis.common import Evidence
from dyadlens.model import stable_id


def evidence_anchor(evidence: Evidence) -> str:
    """A stable, HTML-id-safe anchor name for one evidence span."""
    return "evd-" + stable_id(evidence.doc_id, evidence.start, evidence.end)


def _segment(value: str) -> str:
    return quote(value, safe="")


class WebLinks:
    """Links between the pages of ``dyadlens serve``."""

    standalone = False

    def actor(self, actor_id: str | None) -> str | None:
        return f"/actor/{_segment(actor_id)}" if actor_id else None

    def dyad(self, a: str | None, b: str | None) -> str | None:
        return f"/dyad/{_segment(a)}/{_segment(b)}" if a and b else None

    def document(self, doc_id: str, event_id: str | None = None, sentence: int | None = None) -> str:
        url = f"/doc/{_segment(doc_id)}"
        if event_id:
            return f"{url}?{urlencode({'event': event_id})}#ev-{event_id}"
        if sentence is not None:
            return f"{url}?{urlencode({'sentence': sentence})}#s-{sentence}"
        return url

    def evidence(self, evidence: Evidence, event_id: str | None = None) -> str:
        return self.document(evidence.doc_id, event_id=event_id, sentence=evidence.sentence_index)

    def search(self, **params: str) -> str:
        return "/search?" + urlencode({k: v for k, v in params.items() if v})


class ReportLinks:
    """Links inside one self-contained report file: everything is an anchor."""

    standalone = True

    def actor(self, actor_id: str | None) -> str | None:
        return None

    def dyad(self, a: str | None, b: str | None) -> str | None:
        return None

    def document(self, doc_id: str, event_id: str | None = None, sentence: int | None = None) -> str:
        return "#doc-" + stable_id(doc_id)

    def evidence(self, evidence: Evidence, event_id: str | None = None) -> str:
        return "#" + evidence_anchor(evidence)

    def search(self, **params: str) -> str:
        return "#"
