"""Plain-httpx helpers for talking to the sandbox over real loopback HTTP.

These tests deliberately avoid ``ingest_gui.api.client``: the sandbox is checked on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ingest_gui.sandbox.server import DEFAULT_TOKEN, SandboxServer

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


class Api:
    """Thin wrapper: paths are relative to the demo datasource's ``/stream``."""

    def __init__(self, server: SandboxServer, token: str = DEFAULT_TOKEN) -> None:
        config = server.config
        self.server = server
        self.stream = f"/project/{config.project}/datasource/{config.datasource}/stream"
        # verify=False: plain-HTTP loopback only, and it skips loading the CA bundle (~0.2 s).
        self.http = httpx.Client(base_url=server.base_url, verify=False,
                                 headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def get(self, path: str = "", **kwargs: Any) -> httpx.Response:
        return self.http.get(self.stream + path, **kwargs)

    def post(self, path: str, body: Any, **params: Any) -> httpx.Response:
        return self.http.post(self.stream + path, json=body, params=params)

    def contacts(self, items: list[Any], **params: Any) -> httpx.Response:
        return self.post("/contacts", items, **params)

    def events(self, items: list[Any], **params: Any) -> httpx.Response:
        return self.post("/events", items, **params)

    def delete(self, user_id: str) -> httpx.Response:
        return self.http.delete(f"{self.stream}/contacts/{user_id}")

    def state(self) -> dict[str, Any]:
        response = self.http.get(self.server.root_url + "/_sandbox/state")
        assert response.status_code == 200, response.text
        state: dict[str, Any] = response.json()
        return state

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


class FakeClock:
    """An injectable "now" for the server (rate-limit windows, event reception time)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def errors_of(answer: dict[str, Any]) -> dict[int, str]:
    """Shape A: position -> error text."""
    return {entry["position"]: entry["error"] for entry in answer["errors"]}
