"""EncodedItems: the one wire encoding of write items, and what the engine needs beside it."""

from __future__ import annotations

import json

import pytest

from ingest_gui.api.items import EncodedItems, encode_items


def test_encoding_is_compact_utf8_and_keeps_user_ids() -> None:
    encoded = EncodedItems.of([{"_user_id": "José", "n": 1}, {"_user_id": 7}, {"x": None}])
    assert encoded.body == '[{"_user_id":"José","n":1},{"_user_id":7},{"x":null}]'.encode()
    assert encoded.user_ids == ("José", "7", None)
    assert len(encoded) == 3
    assert encoded.decoded() == [{"_user_id": "José", "n": 1}, {"_user_id": 7}, {"x": None}]


def test_not_a_number_is_refused_rather_than_sent() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        encode_items([{"_user_id": "u", "amount": float("nan")}])


def test_repr_names_no_personal_data() -> None:
    encoded = EncodedItems.of([{"_user_id": "ana@example.com"}])
    assert "ana" not in repr(encoded)
    assert repr(encoded) == f"EncodedItems(1 items, {len(encoded.body)} bytes)"


def test_the_client_sends_encoded_bodies_byte_for_byte() -> None:
    import httpx

    from ingest_gui.api.client import IngestClient

    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(202, json={"accepted": [{"position": 0,
                                                       "item": {"_user_id": "u1"}}],
                                         "errors": []})

    encoded = EncodedItems(b'[{"_user_id":"u1","amount":0.10}]', ("u1",))
    with IngestClient("https://api.example.test/v1", "p", "d", "secret-token",
                      transport=httpx.MockTransport(handler)) as client:
        result = client.post_contacts(encoded)
    assert seen == [encoded.body]
    assert result.accepted_count == 1
    assert json.loads(seen[0])[0]["_user_id"] == "u1"


def test_an_echo_naming_another_user_is_a_format_error() -> None:
    import httpx

    from ingest_gui.api.client import IngestClient
    from ingest_gui.api.errors import ResponseFormatError

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, json={"accepted": [{"position": 0,
                                                       "item": {"_user_id": "someone"}}],
                                         "errors": []})

    with IngestClient("https://api.example.test/v1", "p", "d", "secret-token",
                      transport=httpx.MockTransport(handler)) as client, \
            pytest.raises(ResponseFormatError):
        client.post_contacts(EncodedItems(b'[{"_user_id":"u1"}]', ("u1",)))
