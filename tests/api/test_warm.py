"""`plgkg serve` builds the search index and the school list as it starts (issue 14): the first
visitor does not wait for them. Tests build them when they ask (warm is off by default)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from plgkg_api.app import create_app
from plgkg_api.settings import Settings


def remembered(app, key: tuple) -> bool:
    service = app.state.service
    return service.results.get(("memo", key), service.data_version()) is not None


def test_a_warm_service_builds_the_search_index_and_school_list_before_anyone_asks() -> None:
    app = create_app(Settings(warm=True))
    with TestClient(app):
        deadline = time.monotonic() + 60
        while not remembered(app, ("search-index",)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert remembered(app, ("search-index",))


def test_a_cold_service_builds_nothing_until_asked() -> None:
    app = create_app(Settings())
    with TestClient(app) as client:
        time.sleep(0.5)
        assert not remembered(app, ("search-index",))
        assert client.get("/api/search", params={"q": "teamteaching"}).status_code == 200
        assert remembered(app, ("search-index",))
