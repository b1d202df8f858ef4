"""Builders for client tests over ``httpx.MockTransport``."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from ingest_gui.api.client import IngestClient

#: Recognisable, and shaped like a real token, so any leak is easy to spot.
TOKEN = "tok-LEAKCHECK-7f3a9c2e51d04b"
BASE_URL = "https://api.example.test/v1"
ROOT_PATH = "/v1/project/proj/datasource/ds"

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a queue (or one fixed answer) and records."""

    def __init__(self, *answers: httpx.Response | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)


def make_client(handler: Handler, **options: Any) -> IngestClient:
    return IngestClient(
        BASE_URL, "proj", "ds", TOKEN, transport=httpx.MockTransport(handler), **options
    )


def answer(status: int = 202, body: Any = None, *, headers: dict[str, str] | None = None,
           raw: bytes | None = None) -> httpx.Response:
    if raw is not None:
        return httpx.Response(status, content=raw, headers=headers)
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def chunked(chunks: Iterator[bytes], status: int = 202) -> httpx.Response:
    """An answer whose body arrives piece by piece, with no Content-Length."""
    return httpx.Response(status, content=chunks)


def shape_a(accepted: list[int], errors: dict[int, Any], *, dry_run: bool = False,
            items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    def item(position: int) -> Any:
        return items[position] if items is not None else {}

    return {
        "success": True,
        "dryRun": dry_run,
        "entitiesLimit": 100,
        "entitiesSuccess": len(accepted),
        "entitiesFailures": len(errors),
        "accepted": [{"position": p, "item": item(p)} for p in accepted],
        "errors": [{"position": p, "item": item(p), "error": e} for p, e in errors.items()],
    }


def shape_b(statuses: list[Any]) -> dict[str, Any]:
    """``statuses``: True (success) or a dict of field errors."""
    items = [
        {"status": "success"} if status is True else {"status": "error", "errors": status}
        for status in statuses
    ]
    return {"entity": {"successful": sum(s is True for s in statuses),
                       "failed": sum(s is not True for s in statuses), "items": items}}


def exception_texts(error: BaseException) -> str:
    """Everything a person or a log could see of an exception, its chain included."""
    texts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(vars(current)) if hasattr(current, "__dict__")
                  else ""]
        current = current.__cause__ or current.__context__
    texts += traceback.format_exception(error)
    return "\n".join(texts)
