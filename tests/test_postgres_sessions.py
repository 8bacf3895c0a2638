"""What a PostgreSQL store's connections are given (dyadlens.store.postgres, docs/team-store.md "Server
settings"): the planner settings dyadlens sets where nobody else did, and the search index written by COPY."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from dyadlens.model import Document, DocumentRecords, Sentence
from dyadlens.store import open_store
from dyadlens.store.postgres import SESSION_SETTINGS


@pytest.fixture()
def pg_url(postgres_server: Any) -> str:
    return str(postgres_server.fresh_database())


def setting(store: Any, name: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.execute(text("SELECT current_setting(:name)"), {"name": name}).scalar_one())


@pytest.mark.parametrize("read_only", [False, True])
def test_every_connection_gets_the_session_settings(pg_url: str, read_only: bool) -> None:
    open_store(pg_url).close()  # created and migrated
    with open_store(pg_url, read_only=read_only) as store:
        assert SESSION_SETTINGS["jit"] == "off"
        for name, value in SESSION_SETTINGS.items():
            assert setting(store, name) == value
        store.engine.dispose()  # a new connection gets them as well
        assert setting(store, "jit") == "off"


def test_a_setting_chosen_in_the_url_is_kept(pg_url: str) -> None:
    with open_store(f"{pg_url}&options=-c%20jit%3Don", read_only=False) as store:
        assert setting(store, "jit") == "on"


def test_a_setting_of_the_database_is_kept(pg_url: str) -> None:
    database = pg_url.split("/")[3].split("?")[0]
    with open_store(pg_url) as store, store.engine.connect() as conn:
        conn.execute(text(f"ALTER DATABASE {database} SET jit = on"))
        conn.commit()
    with open_store(pg_url, read_only=True) as store:
        assert setting(store, "jit") == "on"


def test_sentences_copied_into_the_search_index_are_found(pg_url: str) -> None:
    body = "Norway hosted envoys from Sudan.\tTabs, \\backslashes\\ and <tags> survive COPY."
    document = Document(id="d1", path="d1.txt", format="txt", text=body)
    ends = [body.index(".") + 1, len(body)]
    sentences = [Sentence("s0", "d1", 0, 0, ends[0], 0), Sentence("s1", "d1", 1, ends[0] + 1, ends[1], 0)]
    with open_store(pg_url) as store:
        store.write(DocumentRecords(document=document, sentences=sentences))
        [hosted] = store.search("hosting")
        [tabs] = store.search("backslashes")
        with store.engine.connect() as conn:
            stored = conn.execute(text('SELECT text FROM sentence_search ORDER BY "row"')).scalars().all()
    assert hosted.text == "Norway hosted envoys from Sudan."
    assert stored[1] == "Tabs, \\backslashes\\ and <tags> survive COPY."
    assert tabs.doc_id == "d1"
