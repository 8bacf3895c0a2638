"""The PostgreSQL team store (docs/team-store.md), on a throwaway cluster (tests/postgres_server.py):
stemmed search, migrations recorded and re-applied, a read-only role for ``serve``, and two ingest
processes writing into one store at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from dyadlens.cli import main
from dyadlens.errors import StoreError
from dyadlens.model import Document, DocumentRecords, Sentence
from dyadlens.resources import Resources
from dyadlens.store import open_store, summaries
from dyadlens.store.migrations import MIGRATIONS
from dyadlens.web.app import WebApp
from test_store_records import make_records
from test_web_app import get

READER_ROLE = """
CREATE ROLE dyadlens_reader LOGIN;
GRANT CONNECT ON DATABASE {database} TO dyadlens_reader;
GRANT USAGE ON SCHEMA public TO dyadlens_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dyadlens_reader;
"""


@pytest.fixture()
def pg_url(postgres_server: Any) -> str:
    return str(postgres_server.fresh_database())


def database_of(url: str) -> str:
    return url.split("/")[3].split("?")[0]


def test_search_finds_other_forms_of_a_word(pg_url: str) -> None:
    with open_store(pg_url) as store:
        records = make_records()
        store.write(records)
        sentence_with_listed = [h.text for h in store.search("lists")]
        assert sentence_with_listed == ["The council listed the Eastern Brigade as a terrorist group"]
        [hit] = store.search("hosting")
        assert hit.highlighted() == "Norway [hosted] envoys from Sudan in Oslo on 3 March 2023."
        assert store.search("Norway -Sudan") == []  # web-search syntax: a minus excludes


def test_search_stems_recognised_to_recognise(pg_url: str) -> None:
    text_ = "Moscow will recognise the government in Kabul."
    document = Document(id="d1", path="d1.txt", format="txt", text=text_)
    with open_store(pg_url) as store:
        store.write(one_sentence(document))
        assert [h.doc_id for h in store.search("recognised")] == ["d1"]
        assert [h.doc_id for h in store.search("recognition")] == []  # a different stem


def one_sentence(document: Document) -> DocumentRecords:
    sentence = Sentence("s1", document.id, 0, 0, len(document.text), 0, "body", True)
    return DocumentRecords(document=document, sentences=[sentence])


def test_a_store_that_lost_its_last_steps_gets_them_again(pg_url: str) -> None:
    """The migrations' own DDL runs on PostgreSQL: 0006 adds its columns back, 0007 its tables, 0010 and
    0011 the summaries and their triggers (which read the columns 0006 adds, so they go first)."""
    with open_store(pg_url) as store, store.transaction() as conn:
        summaries.drop_triggers(conn)
        conn.execute(text("DROP TABLE summary_dyads, summary_actors, summary_totals, summary_months"))
        conn.execute(text("ALTER TABLE events DROP COLUMN standing"))
        conn.execute(text("ALTER TABLE designations DROP COLUMN standing"))
        conn.execute(text("DROP TABLE feed_items, feeds"))
        conn.execute(text("DELETE FROM schema_migrations WHERE position >= 6"))
    with open_store(pg_url) as store:
        assert store.migrations() == [m.name for m in MIGRATIONS]
        store.write(make_records())
        assert store.stats()["observations"] == 0
        assert store.integrity_check() == []


def test_a_database_sorting_by_language_is_refused(postgres_server: Any) -> None:
    """Partial dates compare as strings: an ICU (or glibc) language collation would ignore the '-'."""
    postgres_server.sql("postgres", "CREATE DATABASE by_language TEMPLATE template0 LOCALE 'C.UTF-8' "
                        "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'")
    with pytest.raises(StoreError, match="code point"):
        open_store(postgres_server.url("by_language"))


def test_a_read_only_role_serves_but_cannot_write(pg_url: str, postgres_server: Any, resources: Resources) -> None:
    with open_store(pg_url) as store:
        store.write(make_records())
    database = database_of(pg_url)
    postgres_server.sql(database, *[s for s in READER_ROLE.format(database=database).split(";") if s.strip()])
    reader_url = postgres_server.url(database, user="dyadlens_reader")

    result = CliRunner().invoke(main, ["--db", reader_url, "docs", "--json"])
    assert result.exit_code == 0, result.output
    assert '"oslo-talks"' in result.output
    with open_store(reader_url, read_only=True) as reader:
        assert reader.search("hosted")
        with pytest.raises(StoreError, match="read-only transaction"):
            reader.write(make_records("other", fingerprint="fp-other"))
    with open_store(pg_url) as writer:
        with pytest.raises(StoreError, match="permission denied"):  # the role itself may not write
            open_store(reader_url).write(make_records("other", fingerprint="fp-other"))
        assert writer.document_ids() == ["oslo-talks"]
    with open_store(reader_url, read_only=True) as reader:
        app = WebApp(reader, resources.ontology, resources.kb)
        for page in ("/", "/doc/oslo-talks", "/search?q=hosting", "/actor/norway"):
            status, _, body = get(app, page)
            assert status == "200 OK", (page, body[:300])
        assert "<mark>hosted</mark>" in get(app, "/search?q=hosting")[2]


def test_one_writer_at_a_time_holds_the_store_lock_until_it_commits(pg_url: str) -> None:
    impatient = pg_url + "&options=-c%20lock_timeout%3D300"  # a second writer gives up after 0.3 s
    with open_store(pg_url) as store, open_store(impatient) as other:
        with store.transaction() as conn:
            held = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                     "AND pid = pg_backend_pid() AND granted")).scalar()
            assert held == 1
            with pytest.raises(StoreError, match="lock timeout"):
                other.write(make_records())
            assert other.document_ids() == []  # readers never wait
        other.write(make_records())  # the lock went with the transaction
        assert store.document_ids() == ["oslo-talks"]


def counts(url: str) -> dict[str, Any]:
    with open_store(url) as store:
        stats = store.stats()
        with store.reader() as conn:
            seqs = list(conn.scalars(text("SELECT seq FROM documents ORDER BY seq")))
            clusters = conn.execute(text("SELECT count(*), sum(reports) FROM clusters")).one()
    return {"documents": stats["documents"], "events": stats["events"], "reports": stats["reports"],
            "duplicates": stats["duplicates"], "clusters": tuple(clusters), "seqs": len(seqs),
            "distinct": len(set(seqs))}


@pytest.mark.slow
def test_two_ingest_processes_into_one_store_equal_one(
    postgres_server: Any, examples_dir: Path, seeds_dir: Path
) -> None:
    single, shared = postgres_server.fresh_database(), postgres_server.fresh_database()
    inputs = [str(examples_dir), str(seeds_dir)]

    def ingest(url: str) -> subprocess.Popen[str]:
        command = [str(Path(sys.executable).parent / "dyadlens"), "--db", url, "-q", "ingest", *inputs]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def finish(*processes: subprocess.Popen[str]) -> None:
        for process in processes:
            output, _ = process.communicate(timeout=600)
            assert process.returncode == 0, output

    finish(ingest(single))
    finish(ingest(shared), ingest(shared))  # at once, over the same inputs
    one, two = counts(single), counts(shared)
    assert one == two
    assert two["seqs"] == two["distinct"] == two["documents"] > 0
    with open_store(shared) as store:
        assert store.integrity_check() == []
