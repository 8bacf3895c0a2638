"""Designation status over time, from documents written through the real pipeline into a store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dyadlens.analysis.status import status_on, status_tracks
from dyadlens.cli import main
from dyadlens.model import RawInput
from dyadlens.pipeline import build_pipeline
from dyadlens.resources import Resources
from dyadlens.store import open_store

ARTICLES = [
    ("a", "2010-05-02", "In 2005, Uzbekistan designated the IMU a terrorist organization.", "The Daily Ledger"),
    (
        "b", "2023-06-29", "The IMU, which is still outlawed by Tashkent, opened a new office in the mountains.",
        "Harbour Review",
    ),
    (
        "c",
        "2024-06-14",
        "Uzbekistan is reportedly weighing the removal of the IMU from its register of terrorist groups.",
        "Policy Brief",
    ),
    (
        "d", "2024-10-20", "Uzbekistan’s promised delisting of the IMU as a terrorist group could take a year.",
        "Harbour Review",
    ),
    (
        "e", "2021-08-30", "“We see no reason to hurry,” said Uzbek Foreign Minister Abdulaziz Kamilov.",
        "Harbour Review",
    ),
]


@pytest.fixture(scope="module")
def store_path(resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("status") / "status.db"
    pipeline = build_pipeline(resources)
    store = open_store(path)
    try:
        for doc_id, published, text, outlet in ARTICLES:
            meta = {"published": published, "outlet": outlet}
            raw = RawInput(doc_id=doc_id, path=f"{doc_id}.txt", format="txt", data=text.encode(), meta=meta)
            store.write(pipeline(raw))
    finally:
        store.close()
    return path


def test_the_listing_track_keeps_the_state_and_its_pending_steps(store_path: Path) -> None:
    store = open_store(store_path)
    try:
        (listing,) = status_tracks(store, "uzbekistan", "imu")
    finally:
        store.close()
    assert listing.track == "listing"
    assert [(s.status, s.role, (s.start or "")[:7], s.until) for s in listing.steps] == [
        ("listed", "state", "2005", None),
        ("delisting_proposed", "pending", "2024-06", None),
        ("delisting_promised", "pending", "2024-10", None),
    ]
    listed = listing.steps[0]
    assert [r.sentence for r in listed.reports] == [ARTICLES[0][2]]
    assert [(o.outlet, o.observed) for o in listed.observations] == [("Harbour Review", "2023-06-29")]
    assert listing.steps[2].outlets == ["Harbour Review"]


@pytest.mark.parametrize(
    ("as_of", "state", "pending"),
    [
        ("2004", None, []),
        ("2015-01-01", "listed", []),
        ("2024-07", "listed", ["delisting_proposed"]),
        ("2025", "listed", ["delisting_proposed", "delisting_promised"]),
    ],
)
def test_status_on_a_date_is_the_state_in_force_and_the_open_proposals(
    store_path: Path, as_of: str, state: str | None, pending: list[str]
) -> None:
    store = open_store(store_path)
    try:
        (on,) = status_on(status_tracks(store, "uzbekistan", "imu"), as_of)
    finally:
        store.close()
    assert (on.state.status if on.state else None) == state
    assert [p.status for p in on.pending] == pending


def test_status_command_resolves_names_and_shows_sentences(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(store_path), "status", "Uzbekistan", "IMU"])
    assert result.exit_code == 0, result.output
    assert "delisting_promised" in result.output and "terrorist listing" in result.output
    assert "In 2005, Uzbekistan designated the IMU" in result.output


def test_status_command_rejects_a_bad_date(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(store_path), "status", "Uzbekistan", "IMU", "--as-of", "soon"])
    assert result.exit_code != 0
    assert "YYYY" in result.output


def test_quotes_command_filters_by_actor(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(store_path), "--json", "quotes", "--actor", "Uzbekistan"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert (row["speaker"], row["text"], row["outlet"]) == (
        "Abdulaziz Kamilov",
        "We see no reason to hurry,",
        "Harbour Review",
    )
    by_okafor = CliRunner().invoke(main, ["--db", str(store_path), "--json", "quotes", "--speaker", "Okafor"])
    assert by_okafor.output.strip() == "[]"


def test_latest_status_per_pair_is_the_state_in_force(store_path: Path) -> None:
    from dyadlens.analysis.status import latest_statuses

    store = open_store(store_path)
    try:
        now = latest_statuses(store, designee="imu")
        then = latest_statuses(store, designee="imu", as_of="2004")
    finally:
        store.close()
    assert [(s.designator, s.status) for s in now] == [("uzbekistan", "listed")]
    assert then == []
