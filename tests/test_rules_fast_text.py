"""The stages before the parser, run as the default pipeline runs them but stopped at
``sentences``: the reader, the cleaner and the sentence splitter need no model."""

from __future__ import annotations

import pytest

from dyadlens.model import DocumentRecords, RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources

pytestmark = pytest.mark.fast


def read_upto_sentences(resources: Resources, text: str, fmt: str = "txt", **meta: str) -> DocumentRecords:
    raw = RawInput(doc_id="t", path=f"t.{fmt}", format=fmt, data=text.encode("utf-8"), meta=dict(meta))
    return build_pipeline(resources, upto="sentences")(raw)


def sentence_texts(records: DocumentRecords) -> list[str]:
    return [records.document.text[s.start : s.end] for s in records.sentences]


def test_abbreviations_and_initials_do_not_end_a_sentence(model_free_resources: Resources) -> None:
    text = "Gen. Ortiz met U.S. envoys in St. Lucia on Monday. Talks went on. They ended at 5 p.m. sharp."
    records = read_upto_sentences(model_free_resources, text)
    assert sentence_texts(records) == [
        "Gen. Ortiz met U.S. envoys in St. Lucia on Monday.",
        "Talks went on.",
        "They ended at 5 p.m. sharp.",
    ]


def test_a_closing_quote_stays_with_its_sentence_and_paragraphs_are_counted(model_free_resources: Resources) -> None:
    text = "The minister said “we are ready.” Nobody answered.\n\nA second paragraph starts here."
    records = read_upto_sentences(model_free_resources, text)
    assert sentence_texts(records) == ["The minister said “we are ready.”", "Nobody answered.",
                                       "A second paragraph starts here."]
    assert [s.paragraph for s in records.sentences] == [0, 0, 1]


def test_site_furniture_is_a_region_and_its_sentence_is_not_analysed(model_free_resources: Resources) -> None:
    body = "The river commission agreed on new water quotas for the dry season after a week of talks."
    other = body.replace("a week", "a month")
    records = read_upto_sentences(model_free_resources, f"{body}\n\nShare this article\n\n{other}")
    [region] = records.regions
    assert (records.document.text[region.start : region.end], region.kind, region.excluded) == (
        "Share this article", "furniture", True)
    assert [(s.kind, s.analysed) for s in records.sentences] == [("body", True), ("furniture", False), ("body", True)]


def test_markdown_headings_are_sentences_of_their_own(model_free_resources: Resources) -> None:
    text = "# Border talks resume\n\nDelegates met in the morning. They met again at night.\n"
    records = read_upto_sentences(model_free_resources, text, fmt="md", published="2024-05-10")
    assert sentence_texts(records)[0] == "Border talks resume"
    assert records.sentences[0].kind == "heading"
    assert records.document.published == "2024-05-10"
