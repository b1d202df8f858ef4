"""The token never shows: not in reprs, not in logs, not in any error, even when echoed back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ingest_gui.api.client import BearerAuth, IngestClient
from ingest_gui.api.errors import IngestError
from tests.api.helpers import (
    BASE_URL,
    TOKEN,
    Recorder,
    answer,
    chunked,
    exception_texts,
    make_client,
)

ITEMS = [{"_user_id": "U1"}, {"_user_id": "U2"}]


def _raises(error: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


def _echo_then_fail(request: httpx.Request) -> httpx.Response:
    # A service (or proxy) that repeats the whole Authorization header in its error text.
    return answer(401, {"message": f"bad header {request.headers['authorization']}"})


def _drop_mid_answer(request: httpx.Request) -> httpx.Response:
    def body() -> Any:
        yield b"{"
        raise httpx.RemoteProtocolError(f"peer closed; token was {TOKEN}")

    return chunked(body())


def _attempt(action: Callable[[], Any]) -> tuple[Any, IngestError | None]:
    try:
        return action(), None
    except IngestError as error:
        return None, error


FAILURES: dict[str, Callable[[httpx.Request], httpx.Response] | httpx.Response] = {
    "400 echoing token": answer(400, {"message": f"Bad token {TOKEN}"}),
    "401 echoing header": _echo_then_fail,
    "403 echoing token": answer(403, {"error": f"{TOKEN} lacks scope"}),
    "404 echoing token": answer(404, {"errors": {"token": [TOKEN]}}),
    "429": answer(429, headers={"Retry-After": "3"}),
    "500 echoing token": answer(500, {"message": TOKEN}),
    "503 html": answer(503, raw=f"<html>{TOKEN}</html>".encode()),
    "302": answer(302, headers={"Location": f"https://evil.example/?t={TOKEN}"}),
    "non-JSON 202": answer(202, raw=f"token={TOKEN}".encode()),
    "wrong shape": answer(202, {"accepted": [{"position": 9, "item": TOKEN}]}),
    "connect error": _raises(httpx.ConnectError(f"cannot connect with {TOKEN}")),
    "read timeout": _raises(httpx.ReadTimeout(f"timeout {TOKEN}")),
    "protocol error": _raises(httpx.RemoteProtocolError(f"broken {TOKEN}")),
    "generic network": _raises(httpx.NetworkError(f"network {TOKEN}")),
    "dropped mid-answer": _drop_mid_answer,
}


@pytest.mark.parametrize("case", list(FAILURES))
@pytest.mark.parametrize("call", ["stream_info", "post_contacts", "delete_contact", "get_contact",
                                  "fetch_specs"])
def test_no_error_text_contains_the_token(case, call, caplog):
    caplog.set_level(logging.DEBUG)
    handler = FAILURES[case]
    client = make_client(Recorder(handler))
    actions = {
        "stream_info": lambda: client.stream_info(),
        "post_contacts": lambda: client.post_contacts(ITEMS),
        "delete_contact": lambda: client.delete_contact("U1"),
        "get_contact": lambda: client.get_contact("U1"),
        "fetch_specs": lambda: client.fetch_specs(),
    }
    outcome, error = _attempt(actions[call])
    client.close()
    # Some calls turn an answer into a result (404 on delete): no token there either. (A contact
    # read by get_contact is the service's data, returned as served.)
    if call != "get_contact":
        assert TOKEN not in repr(outcome)
    if error is not None:
        assert TOKEN not in exception_texts(error)
    assert TOKEN not in caplog.text
    assert all(TOKEN not in str(record.args) for record in caplog.records)


def test_item_messages_never_repeat_the_token():
    body = {"accepted": [{"position": 0}],
            "errors": [{"position": 1, "error": {f"field {TOKEN}": [f"value {TOKEN}"]}}]}
    with make_client(Recorder(answer(202, body))) as client:
        result = client.post_contacts(ITEMS)
    assert TOKEN not in repr(result)
    assert result.items[1].messages() == ["field ***: value ***"]


def test_reprs_hide_the_token():
    with IngestClient(BASE_URL, "p", "d", TOKEN) as client:
        assert TOKEN not in repr(client)
        assert TOKEN not in str(client)
    assert TOKEN not in repr(BearerAuth(TOKEN))


def test_the_token_is_sent_only_in_the_authorization_header():
    recorder = Recorder(answer(202, {"accepted": [{"position": 0}, {"position": 1}]}))
    with make_client(recorder) as client:
        client.post_contacts(ITEMS, dry_run=True)
    request = recorder.last
    assert TOKEN not in str(request.url)
    assert TOKEN.encode() not in request.content
    assert TOKEN not in repr(request.headers)  # httpx masks Authorization in its repr
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_the_token_is_not_sent_to_a_redirect_target():
    recorder = Recorder(answer(307, headers={"Location": "https://elsewhere.example/v1/stream"}))
    with make_client(recorder) as client, pytest.raises(IngestError):
        client.stream_info()
    assert [str(request.url.host) for request in recorder.requests] == ["api.example.test"]
