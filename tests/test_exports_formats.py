"""GDELT-style TSV, GraphML and FollowTheMoney exports round-trip through their readers."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pandas as pd
import pytest
from click.testing import CliRunner
from followthemoney import model
from followthemoney.schema import ValidationData

from analysis_corpus import build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.analysis.network import actor_network
from dyadlens.cli import main
from dyadlens.exports.ftm import write_ftm
from dyadlens.exports.gdelt import EVIDENCE_COLUMNS, gdelt_columns, write_gdelt
from dyadlens.exports.graphml import NAMESPACE, write_graphml
from dyadlens.resources import Resources
from dyadlens.store import open_store

G = f"{{{NAMESPACE}}}"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("exports") / "corpus.db")


@pytest.fixture()
def ctx(store_path: Path, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(store_path)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _gdelt_frame(ctx: AnalysisContext, **filters: object) -> pd.DataFrame:
    out = io.StringIO()
    write_gdelt(ctx, out, **filters)  # type: ignore[arg-type]
    return pd.read_csv(io.StringIO(out.getvalue()), sep="\t", dtype=str, keep_default_na=False)


def test_gdelt_columns_are_gdelt_order_then_evidence(ctx: AnalysisContext) -> None:
    frame = _gdelt_frame(ctx)
    assert len(gdelt_columns()) == 61
    assert list(frame.columns) == gdelt_columns() + list(EVIDENCE_COLUMNS)
    assert list(frame.columns[:5]) == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert frame.columns[60] == "SOURCEURL"
    assert len(frame) == 8 and frame["GLOBALEVENTID"].is_unique


def test_gdelt_rows_are_filled_from_the_records(ctx: AnalysisContext) -> None:
    frame = _gdelt_frame(ctx)
    accuse = frame[frame["EventCode"] == "112"].iloc[0]
    assert (accuse["SQLDATE"], accuse["MonthYear"], accuse["Year"], accuse["date_precision"]) == (
        "20240302",
        "202403",
        "2024",
        "day",
    )
    assert (accuse["Actor1Code"], accuse["Actor1Name"], accuse["Actor1CountryCode"]) == ("PAK", "Pakistan", "PAK")
    assert (accuse["EventBaseCode"], accuse["EventRootCode"], accuse["QuadClass"], accuse["GoldsteinScale"]) == (
        "112",
        "11",
        "3",
        "-2.0",
    )
    assert accuse["evidence_text"] == "Pakistan accused the Taliban of sheltering TTP fighters on 2 March 2024."
    assert accuse["SOURCEURL"] == "https://example.org/ledger-0312"
    text = ctx.require_document(accuse["doc_id"]).text
    assert text[int(accuse["sentence_start"]) : int(accuse["sentence_end"])] == accuse["evidence_text"]
    delisting = frame[(frame["EventCode"] == "081") & (frame["modality"] == "asserted")].iloc[0]
    assert (delisting["SQLDATE"], delisting["MonthYear"], delisting["date_precision"]) == ("", "202403", "month")
    assert frame[frame["EventCode"] == "025"].iloc[0]["date_precision"] == "none"


def test_gdelt_keeps_markup_and_tabs_inside_quoted_cells(ctx: AnalysisContext) -> None:
    frame = _gdelt_frame(ctx, modalities=("asserted",))
    hosted = frame[frame["EventCode"] == "043"].iloc[0]
    assert '<script>alert("owned")</script>' in hosted["evidence_text"]
    assert set(frame["modality"]) == {"asserted"}


def test_graphml_parses_and_has_weighted_edges(ctx: AnalysisContext, tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    assert write_graphml(actor_network(ctx), path) == 3
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}
    edges = {}
    for edge in root.iter(f"{G}edge"):
        data = {keys[d.get("key")]: d.text for d in edge.iter(f"{G}data")}
        edges[(edge.get("source"), edge.get("target"))] = data
    assert edges[("russia", "taliban")]["count"] == "3"
    assert float(edges[("pakistan", "taliban")]["mean_goldstein"] or "nan") == -2.0
    assert {n.get("id") for n in root.iter(f"{G}node")} == {"russia", "taliban", "pakistan", "kazakhstan"}
    graph = root.find(f"{G}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"


def test_ftm_entities_reread_and_validate(ctx: AnalysisContext) -> None:
    out = io.StringIO()
    count = write_ftm(ctx, out)
    lines = out.getvalue().splitlines()
    assert count == len(lines)
    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    for proxy in proxies:
        assert proxy.schema.validate(cast(ValidationData, proxy.to_dict())) is None
    by_schema: dict[str, list] = {}
    for proxy in proxies:
        by_schema.setdefault(proxy.schema.name, []).append(proxy)
    assert len(by_schema["Event"]) == 8 and len(by_schema["Article"]) == 3
    ids = {p.id: p for p in proxies}
    hosted = next(p for p in by_schema["Event"] if "cameo:043" in p.get("keywords"))
    assert ids[hosted.get("organizer")[0]].get("name") == ["Kazakhstan"]
    assert ids[hosted.get("organizer")[0]].schema.name == "PublicBody"
    assert {ids[i].get("name")[0] for i in hosted.get("involved")} == {"Kazakhstan", "Taliban"}
    assert ids[hosted.get("proof")[0]].schema.name == "Article"
    assert hosted.get("date") == ["2024-05-05"]
    sanctions = sorted(by_schema["Sanction"], key=lambda p: p.get("date"))
    assert [(p.get("status"), p.get("date"), p.get("authority")) for p in sanctions] == [
        (["listed"], ["2003"], ["Russia"]), (["delisted"], ["2024-03"], ["Russia"])
    ]
    assert ids[sanctions[0].get("entity")[0]].get("name") == ["Taliban"]
    taliban = next(p for p in proxies if p.get("name") == ["Taliban"])
    assert taliban.schema.name == "Organization" and "Islamic Emirate of Afghanistan" in taliban.get("alias")


@pytest.mark.parametrize("fmt", ["gdelt", "graphml", "ftm"])
def test_export_events_command_writes_each_format(store_path: Path, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["--db", str(store_path), "export-events", "--format", fmt, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.stat().st_size > 200


def test_graphml_reads_into_networkx(ctx: AnalysisContext, tmp_path: Path) -> None:
    networkx = pytest.importorskip("networkx")
    path = tmp_path / "net.graphml"
    write_graphml(actor_network(ctx), path)
    graph = networkx.read_graphml(path)
    assert graph.is_directed()
    assert graph.edges["russia", "taliban"]["count"] == 3
    assert graph.nodes["kazakhstan"]["name"] == "Kazakhstan"
