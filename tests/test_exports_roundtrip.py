"""Every export read back by the tool an analyst would use: pandas (GDELT TSV, CSV, Parquet,
JSON Lines), networkx (GraphML for Gephi) and followthemoney (entities validated), on both backends.

The store is the analysis corpus plus one document, written last, that names the Taliban
without a CAMEO code (as the KB gives it: the export composes one), reports a recognition and
an accreditation, and has a publication time.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import networkx
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from followthemoney import model
from followthemoney.schema import ValidationData

from analysis_corpus import DocBuilder, build_store
from dyadlens.analysis.common import AnalysisContext
from dyadlens.cli import main
from dyadlens.exports.actor_codes import actor_code, group_code
from dyadlens.exports.ftm import write_ftm
from dyadlens.exports.gdelt import write_gdelt
from dyadlens.model import ActorRef, DocumentRecords
from dyadlens.resources import Resources
from dyadlens.store import open_store

EMBASSY_PUBLISHED = "2025-07-04T09:30:00Z"


def embassy() -> DocumentRecords:
    doc = DocBuilder("embassy-0704", [
        "Kazakhstan accepted the credentials of the Taliban's ambassador on 30 January 2024.",
        "Russia recognised the Taliban government in July 2025.",
    ], EMBASSY_PUBLISHED, "Steppe Wire", "Recognition")
    for index, words, actor in [(0, "Kazakhstan", "kazakhstan"), (0, "Taliban", "taliban"),
                                (1, "Russia", "russia"), (1, "Taliban", "taliban")]:
        doc.mention(index, words, actor)
    records = doc.records
    records.actors = [a for a in records.actors if a.id != "taliban"]
    records.actors.append(ActorRef("taliban", "Taliban", "armed_group", qid="Q42418"))  # no CAMEO code, as in the KB
    recognition = doc.event(1, "recognised", "russia", "taliban", "054", "asserted", "2025-07")
    doc.designation(0, "kazakhstan", "taliban", "ambassador_accredited", "2024-01-30")
    doc.designation(1, "russia", "taliban", "recognized", "2025-07", recognition)
    return records


@pytest.fixture()
def db(store_url: str) -> str:
    build_store(store_url)
    store = open_store(store_url)
    store.write(embassy())
    store.close()
    return store_url


@pytest.fixture()
def ctx(db: str, resources: Resources) -> Iterator[AnalysisContext]:
    store = open_store(db)
    yield AnalysisContext(store, resources.ontology, resources.kb)
    store.close()


def _cli(db: str, *args: str) -> None:
    result = CliRunner().invoke(main, ["--db", db, *args])
    assert result.exit_code == 0, result.output


def test_actor_codes_are_composed_from_the_kb(resources: Resources) -> None:
    assert actor_code(resources.kb, "taliban", None, "2003") == "AFGREBTAL"
    assert actor_code(resources.kb, "taliban", None, "2024-03-02") == "AFGGOVTAL"  # governs since 2021-08-15
    assert actor_code(resources.kb, "ttp", None, "2024") == "PAKREB"
    assert actor_code(resources.kb, "taliban", "AFGINS", "2024") == "AFGINS"  # a stored code wins
    assert actor_code(resources.kb, "unresolved:nobody", None, "2024") is None
    assert actor_code(resources.kb, "hamas", None, "2024") == "PSEREBHMS"
    assert actor_code(resources.kb, "who", None, "2024") == "IGOWHO"  # an IGO's sector opens the code
    assert actor_code(resources.kb, "icrc", None, "2024") == "NGOCRC"
    assert actor_code(resources.kb, "sco", None, "2024") == "IGO"  # no known group in the codebook
    assert group_code("who", "IGOWHO") == "WHO"
    assert group_code("taliban", "AFGINS") == "TAL" and group_code("islamic-state", "IMGMUSISI") == "ISI"
    assert group_code("ttp", "PAKREB") is None


def test_gdelt_fills_non_state_codes_groups_and_date_added(ctx: AnalysisContext) -> None:
    out = io.StringIO()
    write_gdelt(ctx, out)
    frame = pd.read_csv(io.StringIO(out.getvalue()), sep="\t", dtype=str, keep_default_na=False)
    taliban_sides = frame[frame["Actor2Name"] == "Taliban"]
    assert len(taliban_sides) >= 5
    assert (taliban_sides["Actor2Code"] != "").all() and set(taliban_sides["Actor2KnownGroupCode"]) == {"TAL"}
    accuse = frame[frame["EventCode"] == "112"].iloc[0]
    assert (accuse["Actor2Code"], accuse["Actor2Type1Code"], accuse["DATEADDED"]) == ("AFGGOVTAL", "GOV",
                                                                                     "20240312000000")
    listing = frame[frame["EventCode"] == "172"].iloc[0]
    assert listing["Actor2Code"] == "AFGREBTAL" and listing["SQLDATE"] == ""
    recognition = frame[frame["EventCode"] == "054"].iloc[0]
    assert (recognition["SQLDATE"], recognition["MonthYear"], recognition["DATEADDED"]) == ("", "202507",
                                                                                           "20250704093000")
    assert (frame["DATEADDED"] != "").all()  # every row has a date to fall back on


def _events_frame(db: str, fmt: str, tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / f"events.{fmt}"
    _cli(db, "export", "--table", "events", "--format", fmt, "-o", str(path))
    if fmt == "csv":
        return pd.read_csv(path, dtype={"code": str, "root": str}, keep_default_na=False)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)  # JSON types as written: codes and dates strings
    return pd.read_parquet(path)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_event_table_carries_names_evidence_and_dates(db: str, tmp_path: Path, fmt: str) -> None:
    frame = _events_frame(db, fmt, tmp_path)
    hosted = frame[frame["code"] == "043"].iloc[0]
    assert (hosted["source_name"], hosted["target_name"], hosted["published"]) == ("Kazakhstan", "Taliban",
                                                                                  "2024-05-06")
    assert hosted["evidence_text"].startswith('Kazakhstan hosted Taliban envoys <script>alert("owned")</script>')
    assert {"081", "071", "046", "025", "043", "054"} <= set(frame["code"])  # the leading zero kept
    assert str(hosted["date_day"])[:10] == "2024-05-05"
    recognition = frame[frame["code"] == "054"].iloc[0]
    assert recognition["date"] == "2025-07" and str(recognition["published_day"])[:10] == "2025-07-04"
    assert recognition["date_day"] in ("", None) or pd.isna(recognition["date_day"])  # a month is no day


def test_parquet_types_codes_as_strings_and_days_as_dates(db: str, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    _cli(db, "export", "--table", "events", "--format", "parquet", "-o", str(path))
    table = pq.read_table(path)
    assert table.schema.field("code").type == pa.string() and table.schema.field("date").type == pa.string()
    assert table.schema.field("date_day").type == pa.date32()
    rows = {row["code"]: row for row in table.to_pylist()}
    assert rows["043"]["date_day"] == datetime.date(2024, 5, 5) and rows["081"]["date_day"] is None
    assert rows["112"]["published_day"] == datetime.date(2024, 3, 12)


def test_graphml_for_gephi_reads_into_networkx(db: str, tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    _cli(db, "export-events", "--format", "graphml", "-o", str(path))
    graph = networkx.read_graphml(path)
    assert graph.nodes["taliban"]["label"] == "Taliban" and graph.nodes["kazakhstan"]["label"] == "Kazakhstan"
    edge = graph.edges["russia", "taliban"]
    assert edge["weight"] == float(edge["count"]) and edge["count"] >= 3
    assert (edge["start"], edge["end"]) == ("2003-01-01", "2025-07-31")
    assert (graph.nodes["kazakhstan"]["start"], graph.nodes["kazakhstan"]["end"]) == ("2024-05-05", "2024-05-05")


def test_ftm_recognition_and_accreditation_are_links_not_sanctions(ctx: AnalysisContext) -> None:
    out = io.StringIO()
    write_ftm(ctx, out)
    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in out.getvalue().splitlines()]
    for proxy in proxies:
        assert proxy.schema.validate(cast(ValidationData, proxy.to_dict())) is None
    ids = {p.id: p for p in proxies}
    sanctions = [p for p in proxies if p.schema.name == "Sanction"]
    assert sorted(p.get("status")[0] for p in sanctions) == ["delisted", "listed"]
    links = {p.get("status")[0]: p for p in proxies if p.schema.name == "UnknownLink"}
    assert set(links) == {"recognized", "ambassador accredited"}
    recognized = links["recognized"]
    assert ids[recognized.get("subject")[0]].get("name") == ["Russia"]
    assert ids[recognized.get("object")[0]].get("name") == ["Taliban"]
    assert recognized.get("role") == ["recognizes"] and recognized.get("date") == ["2025-07"]
    assert links["ambassador accredited"].get("summary")[0].startswith("Kazakhstan accepted the credentials")
