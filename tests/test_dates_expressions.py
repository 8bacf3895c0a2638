"""Temporal expression rules, without the parser: text in, resolved values out."""

from __future__ import annotations

import pytest

from dyadlens.nlp.timex import PartialDate, TemporalExpression, resolve_sentence_expressions


def resolve(
    text: str,
    published: str | None = "2023-06-29",
    anchors: list[TemporalExpression] | None = None,
    offset: int = 0,
) -> list[TemporalExpression]:
    return resolve_sentence_expressions(text, offset, 0, PartialDate.parse(published), anchors or [])


def only(text: str, published: str | None = "2023-06-29") -> TemporalExpression:
    found = resolve(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("The blast on March 22, 2024, shook the city.", "2024-03-22", "point"),
        ("Talks resumed on 5 October 2019 in Doha.", "2019-10-05", "point"),
        ("The pact was signed in 2003 by both sides.", "2003", "point"),
        ("Troops left in May 2000 after the talks.", "2000-05", "point"),
        ("The guerrillas fought a long war (1979-1989) in the hills.", "1979", "range"),
        ("Attacks have grown since 2021 along the border.", "2021", "range"),
        ("The envoy travelled there in mid-2023 to meet them.", "2023", "point"),
        ("They met in the summer of 2021 for the first time.", "2021", "point"),
        ("They set up a trade deal late last summer, officials said.", "2022-08", "point"),
        ("Last summer's talks were the first of their kind.", "2022", "point"),
        ("The envoys talked at the margins of last month's summit.", "2023-05", "point"),
        ("A delegation will attend the forum this year.", "2023", "point"),
        ("The rebels first appeared two years ago in the valley.", "2021", "point"),
        ("Border guards clashed with smugglers last week.", "2023-06", "point"),
        ("The militia was born of the 1980s resistance movement.", None, "decade"),
        ("The envoy spoke on June 23 about the plan.", "2023-06-23", "point"),
        ("The envoy spoke on July 30 about the plan.", "2022-07-30", "point"),
        ("Their leader promised reforms last September.", "2022-09", "point"),
        ("The agency arrived early this spring with aid.", "2023-03", "point"),
        ("Trade rose during the 1996-2001 period of rule.", "1996", "in-range"),
    ],
)
def test_single_expression_is_resolved_with_its_precision(text: str, value: str | None, kind: str) -> None:
    expression = only(text)
    assert (expression.value, expression.kind) == (value, kind)
    assert text[expression.start : expression.end] == expression.text


def test_yesterday_needs_a_day_precise_publication_date() -> None:
    assert only("Officials confirmed the visit yesterday.", "2024-03-01").value == "2024-02-29"
    assert only("Officials confirmed the visit yesterday.", "2024-03").value == "2024-03"


def test_relative_expressions_need_a_publication_date() -> None:
    assert resolve("The ministers met last month in the capital.", None) == []


def test_narrative_anchor_counts_from_the_last_explicit_date() -> None:
    first = resolve("In 1998, the council banned the movement.", "2020-01")
    later = resolve("Six years later, the ban was challenged in court.", "2020-01", anchors=first, offset=100)
    following = resolve("The following year, it was lifted.", "2020-01", anchors=first + later, offset=200)
    assert [e.value for e in later] == ["2004"]
    assert later[0].rule.startswith("anchored")
    assert [e.value for e in following] == ["2005"]


def test_anchor_earlier_in_the_same_sentence_counts() -> None:
    found = resolve("The group was banned in 2010 and two years later it was unbanned.", "2020-01")
    assert [e.value for e in found] == ["2010", "2012"]


@pytest.mark.parametrize(
    "text",
    [
        "The fund spent $2003 on a printer.",
        "See https://example.org/2021/05/report for details.",
        "Some 2000 troops crossed the border.",
        "Call +92-51-9204423 for details.",
        "Maybe the talks may fail.",
        "Sanctions under Resolution 1988 still apply.",
    ],
)
def test_numbers_that_are_not_dates_are_ignored(text: str) -> None:
    assert [e for e in resolve(text) if e.value] == []


def test_now_before_a_participle_is_not_a_date() -> None:
    assert resolve("They engaged the now departed government.") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The ministers met on Tuesday in Geneva.", "2024-03-12"),
        ("Last Thursday the border closed.", "2024-03-07"),
        ("Talks collapsed last week.", "2024-03"),
        ("Earlier this month, rebels seized the town.", "2024-03"),
        ("The pact was signed two decades ago.", "2004"),
        ("The deal will be signed by the end of the year.", "2024-12"),
        ("The group was taken off the list at the end of 2023.", "2023-12"),
        ("At the start of last month the talks began.", "2024-02"),
        ("Over the weekend the rebels attacked a depot.", "2024-03"),
        ("In fiscal 2022, aid fell sharply.", "2022"),
        ("Exports fell in FY23 as the currency weakened.", "2023"),
    ],
)
def test_wire_style_relative_dates(text: str, value: str) -> None:
    # 2024-03-14 was a Thursday
    assert [e.value for e in resolve(text, "2024-03-14")] == [value]


def test_a_decade_has_no_point_value() -> None:
    assert [(e.value, e.kind) for e in resolve("The group emerged in the 1990s.", "2024-03-14")] == [(None, "decade")]


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        ("The consulate stayed open throughout the summer.", "2021-10-21", "2021"),
        ("The consulate stayed open during the summer.", "2021-04-02", "2020"),
        ("The convoys ran during the winter.", "2022-01-10", "2021"),
        ("The rebels regrouped in the late summer.", "2021-10-21", "2021-08"),
        ("The rebels regrouped during the summer of 2019.", "2021-10-21", "2019"),
    ],
)
def test_a_bare_season_is_the_latest_one_already_begun(text: str, published: str, value: str) -> None:
    assert [e.value for e in resolve(text, published)] == [value]
