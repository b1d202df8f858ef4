"""The sandbox's behaviour (:class:`SandboxService`) and its HTTP face (:func:`build_app`).

Everything a request changes is computed and applied under one ``threading.Lock`` so the
in-process controls (``state()``, ``reset()``, ...) called from a test thread see whole batches.
Per-item work is kept lean: the upload engine's benchmark runs against this server.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import json
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import msgspec
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest_gui.sandbox import demo
from ingest_gui.sandbox.faults import FaultInjector, FaultPlan
from ingest_gui.sandbox.ratelimit import RateLimiter
from ingest_gui.sandbox.store import Store
from ingest_gui.sandbox.validation import Errors, Rules, error_text, parse_datetime

MAX_ITEMS = 100
AUTOMATION_WINDOW_SECONDS = 3600.0
ANSWER_SHAPES = ("A", "B")

Headers = list[tuple[bytes, bytes]]
ItemOutcome = Errors | None  # None: accepted


def _zone(name: str) -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # no tz database on this machine (e.g. Windows without tzdata)
        return UTC


def _iso_now(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z"
    )


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (msgspec: several times faster than ``json`` on the echoing answers)."""
    return msgspec.json.encode(value)


class SandboxService:
    """The demo datasource's state and rules, independent of HTTP plumbing."""

    def __init__(self, *, project: str, datasource: str, token: str, rate_limit: int | None,
                 rate_limit_window: float, answer_shape: str, faults: str | None,
                 state_file: Path | None, clock: Callable[[], float] | None = None) -> None:
        self.project = project
        self.datasource = datasource
        self._token = token.encode()
        self.clock = clock or time.time
        self.lock = threading.Lock()
        self.rules = Rules(demo.ATTRIBUTES, demo.EVENTS, demo.EVENT_PARAMETERS,
                           _zone(demo.TIMEZONE))
        self.answer_shape = "A"
        self.set_answer_shape(answer_shape)
        self.fault_spec: str | None = None
        self.injector = FaultInjector(FaultPlan())
        self.set_faults(faults)
        self.default_window = rate_limit_window
        self.limiter = RateLimiter(rate_limit, rate_limit_window)
        self.store = Store(state_file)
        self.stream_id = demo.stream_id(project, datasource)

    def __repr__(self) -> str:  # never show the token
        return f"SandboxService(project={self.project!r}, datasource={self.datasource!r})"

    # -- settings ----------------------------------------------------------------------------
    def set_answer_shape(self, shape: str) -> None:
        if shape not in ANSWER_SHAPES:
            raise ValueError(f"The answer shape must be 'A' or 'B', not {shape!r}.")
        self.answer_shape = shape

    def set_faults(self, spec: str | None) -> None:
        self.injector = FaultInjector(FaultPlan.parse(spec))
        self.fault_spec = spec or None

    def set_rate_limit(self, calls_per_window: int | None, window: float | None = None) -> None:
        """``window=None``: the configured window length (one minute unless configured)."""
        self.limiter = RateLimiter(calls_per_window,
                                   self.default_window if window is None else window)

    def authorized(self, header: str | None) -> bool | None:
        """True: right token; False: wrong token; None: no bearer token at all."""
        if not header:
            return None
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return None
        return hmac.compare_digest(credentials.strip().encode(), self._token)

    # -- state -------------------------------------------------------------------------------
    def state_json(self) -> bytes:
        with self.lock:
            return _dumps({"contacts": self.store.contacts, "events": self.store.events})

    def reset(self) -> None:
        with self.lock:
            self.store.clear()
            self.limiter = RateLimiter(self.limiter.limit, self.limiter.window)

    def close(self) -> None:
        with self.lock:
            self.store.close()

    def count_call(self, status: int) -> None:
        with self.lock:
            counters = self.store.counters
            counters["callsTotal"] += 1
            counters["callsSuccess" if status < 400 else "callsFailures"] += 1

    def stream_metadata(self) -> dict[str, Any]:
        with self.lock:
            counters = dict(self.store.counters)
            counters["contacts"] = len(self.store.contacts)
            counters["events"] = len(self.store.events)
        return demo.stream_metadata(self.project, self.datasource, counters=counters,
                                    rate_limit=self.limiter.limit)

    def contact(self, user_id: str) -> bytes | None:
        with self.lock:
            contact = self.store.contacts.get(user_id)
            return None if contact is None else _dumps(contact)

    # -- writes ------------------------------------------------------------------------------
    def _upsert(self, user_id: str, attributes: dict[str, Any]) -> None:
        contacts = self.store.contacts
        contact = contacts.get(user_id)
        if contact is None:
            if None not in attributes.values():
                # A new contact without nulls to clear: copied whole, _user_id (as text) first.
                contact = contacts[user_id] = {"_user_id": user_id, **attributes}
                contact["_user_id"] = user_id
                return
            contact = contacts[user_id] = {"_user_id": user_id}
        for key, value in attributes.items():
            if key == "_user_id":
                continue
            if value is None:  # an explicit null clears the attribute
                contact.pop(key, None)
            else:
                contact[key] = value

    def _tally(self, outcomes: list[ItemOutcome], received: str) -> None:
        accepted = sum(1 for outcome in outcomes if outcome is None)
        counters = self.store.counters
        counters["processedEntitiesSuccess"] += accepted
        counters["processedEntitiesFailures"] += len(outcomes) - accepted
        counters[received] += accepted

    def write_contacts(self, items: list[Any], dry_run: bool) -> list[ItemOutcome]:
        check = self.rules.contact_errors
        outcomes: list[ItemOutcome] = [check(item) or None for item in items]
        if dry_run:
            return outcomes
        with self.lock:
            changed: set[str] = set()
            for item, outcome in zip(items, outcomes, strict=True):
                if outcome is None:
                    user_id = str(item["_user_id"])
                    self._upsert(user_id, item)
                    changed.add(user_id)
            self._tally(outcomes, "receivedContacts")
            self.store.persist(changed_contacts=changed)
        return outcomes

    def write_events(self, items: list[Any], dry_run: bool, now: float) -> list[ItemOutcome]:
        check = self.rules.event_errors
        outcomes: list[ItemOutcome] = [check(item) or None for item in items]
        if dry_run:
            return outcomes
        zone = self.rules.default_zone
        with self.lock:
            store = self.store
            changed: set[str] = set()
            stored: list[dict[str, Any]] = []
            for item, outcome in zip(items, outcomes, strict=True):
                if outcome is not None:
                    continue
                user_id = str(item["_user_id"])
                user_data = item.get("_user_data")
                if user_data is not None:
                    self._upsert(user_id, user_data)
                    changed.add(user_id)
                event_id = item["_event_id"]
                if user_id not in store.contacts or event_id in store.event_ids:
                    # Event-only item for an unknown contact: skipped silently.
                    # Repeated _event_id: accepted, not stored twice.
                    continue
                event_date = item.get("_event_date")
                if event_date is None:
                    event_date, automation = _iso_now(now), True
                else:
                    moment = parse_datetime(event_date, zone)
                    assert moment is not None  # validated above
                    automation = abs(moment.timestamp() - now) <= AUTOMATION_WINDOW_SECONDS
                event = {
                    "_user_id": user_id,
                    "_event_id": event_id,
                    "_event_type": item["_event_type"],
                    "_event_date": event_date,
                    "_event_parameters": item.get("_event_parameters") or {},
                    "automation": automation,
                }
                store.events.append(event)
                store.event_ids.add(event_id)
                stored.append(event)
            self._tally(outcomes, "receivedEvents")
            store.persist(changed_contacts=changed, new_events=stored)
        return outcomes

    def delete_contact(self, user_id: str) -> bool:
        with self.lock:
            if self.store.contacts.pop(user_id, None) is None:
                return False
            self.store.counters["processedEntitiesSuccess"] += 1
            self.store.persist(deleted_contacts=[user_id])
        return True

    # -- answers -----------------------------------------------------------------------------
    def answer(self, items: list[Any], outcomes: list[ItemOutcome], dry_run: bool,
               user_ids: Iterable[Any] | None = None) -> tuple[int, dict[str, Any]]:
        """The write answer in the current shape; 422 when every item failed, else 202."""
        failures = sum(1 for outcome in outcomes if outcome is not None)
        successes = len(outcomes) - failures
        status = 422 if successes == 0 else 202
        if self.answer_shape == "A":
            accepted: list[dict[str, Any]] = []
            errors: list[dict[str, Any]] = []
            for position, (item, outcome) in enumerate(zip(items, outcomes, strict=True)):
                if outcome is None:
                    accepted.append({"position": position, "item": item})
                else:
                    errors.append({"position": position, "item": item,
                                   "error": error_text(outcome)})
            return status, {
                "success": successes > 0,
                "dryRun": dry_run,
                "entitiesLimit": MAX_ITEMS,
                "entitiesSuccess": successes,
                "entitiesFailures": failures,
                "projectId": self.project,
                "datasourceId": self.datasource,
                "streamId": self.stream_id,
                "accepted": accepted,
                "errors": errors,
            }
        if user_ids is None:
            user_ids = (item.get("_user_id") if isinstance(item, dict) else None
                        for item in items)
        entries: list[dict[str, Any]] = []
        for user_id, outcome in zip(user_ids, outcomes, strict=True):
            if outcome is None:
                entries.append({"status": "success", "_user_id": user_id})
            else:
                entries.append({"status": "error", "_user_id": user_id, "errors": outcome})
        body: dict[str, Any] = {
            "entity": {"successful": successes, "failed": failures, "items": entries}
        }
        if dry_run:
            body["dryRun"] = True
        return status, body


# -- HTTP -----------------------------------------------------------------------------------

class _CutFlag:
    __slots__ = ("cut",)

    def __init__(self) -> None:
        self.cut = False


_CUT_KEY = "ingest_gui.sandbox.cut"
_cutting: contextvars.ContextVar[bool] = contextvars.ContextVar("sandbox_cutting", default=False)


class _QuietDroppedConnections(logging.Filter):
    """Hide uvicorn's complaint about the answer we cut on purpose (the ``drop`` fault)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _cutting.get()


QUIET_DROPS = _QuietDroppedConnections()


class _ConnectionCutter:
    """Raw ASGI wrapper: for a ``drop`` fault, send the status line and headers (with a
    ``content-length``) but never the body, so the server closes the connection mid-answer and
    the client sees an incomplete response after the batch was applied."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        flag = _CutFlag()
        scope[_CUT_KEY] = flag

        async def send_unless_cut(message: Message) -> None:
            if flag.cut and message["type"] == "http.response.body":
                return
            await send(message)

        await self.app(scope, receive, send_unless_cut)
        if flag.cut:
            # uvicorn logs "returned without completing response" in this same task context.
            _cutting.set(True)


def _json(status: int, body: Any, headers: Headers | None = None) -> Response:
    response = Response(_dumps(body), status, media_type="application/json")
    if headers:
        response.raw_headers.extend(headers)
    return response


def _message(status: int, text: str, headers: Headers | None = None) -> Response:
    return _json(status, {"message": text}, headers)


def _flag(request: Request, name: str) -> bool:
    """Bare query flags: ``?_dryRun`` or ``?_dryRun=1`` are on; ``=0``/``=false`` are off."""
    value = request.query_params.get(name)
    return value is not None and value.lower() not in ("0", "false", "no")


async def _read_batch(request: Request) -> list[Any] | Response:
    body = await request.body()
    try:
        # Strict like the service's own parser: no NaN/Infinity, no BOM, no lone surrogates,
        # UTF-8 only; integers past 64 bits become floats.
        items = msgspec.json.decode(body)
    except msgspec.DecodeError as error:
        return _message(400, f"The request body is not valid JSON ({error}).")
    if not isinstance(items, list):
        return _message(400, "The request body must be a JSON array of 1 to 100 items, "
                             "even for a single item.")
    if not items:
        return _message(400, "The request body is an empty array; send 1 to 100 items.")
    if len(items) > MAX_ITEMS:
        return _message(400, f"A batch holds at most {MAX_ITEMS} items; this one has "
                             f"{len(items)}.")
    return items


Handler = Callable[[SandboxService, Request, float], Awaitable[Response]]


def _endpoint(service: SandboxService, name: str, handler: Handler,
              *, write: bool) -> Callable[[Request], Awaitable[Response]]:
    """Auth, datasource, rate limit, faults and counters around one API endpoint."""

    async def endpoint(request: Request) -> Response:
        now = service.clock()
        path = request.path_params
        key = (path["project"], path["datasource"], name)
        limiter = service.limiter
        auth = service.authorized(request.headers.get("authorization"))
        if not auth:
            text = ("The API token is not valid for this datasource." if auth is False else
                    "Missing API token: send the header 'Authorization: Bearer <token>'.")
            return _message(401, text, limiter.peek(key, now))
        if path["project"] != service.project or path["datasource"] != service.datasource:
            return _message(404, f"Unknown project {path['project']!r} or datasource "
                                 f"{path['datasource']!r} for this token.",
                            limiter.peek(key, now))
        allowed, rate_headers = limiter.hit(key, now)
        if not allowed:
            service.count_call(429)
            return _empty(429, rate_headers)
        fault: str | None = None
        if write:
            fault, delay = service.injector.draw()
            if delay > 0:
                await asyncio.sleep(delay)
            if fault == "429":
                service.count_call(429)
                return _empty(429, [
                    *((k, v) for k, v in rate_headers if k == b"x-ratelimit-limit"),
                    (b"x-ratelimit-remaining", b"0"),
                    (b"x-ratelimit-reset", str(int(now) + 1).encode()),
                ])
            if fault in ("500", "503"):
                status = int(fault)
                service.count_call(status)
                return _message(status, "Simulated server failure (sandbox fault injection); "
                                        "the batch was not applied.", rate_headers)
        response = await handler(service, request, now)
        if rate_headers:
            response.raw_headers.extend(rate_headers)
        service.count_call(response.status_code)
        if fault == "drop":
            request.scope[_CUT_KEY].cut = True
        return response

    return endpoint


def _empty(status: int, headers: Headers) -> Response:
    response = Response(b"", status)
    response.raw_headers.extend(headers)
    return response


# -- API handlers --------------------------------------------------------------------------

async def _get_stream(service: SandboxService, request: Request, now: float) -> Response:
    return _json(200, service.stream_metadata())


async def _get_attributes(service: SandboxService, request: Request, now: float) -> Response:
    return _json(200, {"specs": demo.ATTRIBUTES})


async def _get_events(service: SandboxService, request: Request, now: float) -> Response:
    return _json(200, {"specs": demo.EVENTS})


async def _get_event_parameters(service: SandboxService, request: Request,
                                now: float) -> Response:
    event_type = request.path_params["event_type"]
    specs = demo.EVENT_PARAMETERS.get(event_type)
    if specs is None:
        return _message(404, f"Unknown event type {event_type!r} in this datasource.")
    return _json(200, {"specs": specs})


async def _post_contacts(service: SandboxService, request: Request, now: float) -> Response:
    items = await _read_batch(request)
    if isinstance(items, Response):
        return items
    dry_run = _flag(request, "_dryRun")
    outcomes = service.write_contacts(items, dry_run)
    status, body = service.answer(items, outcomes, dry_run)
    return _json(status, body)


async def _post_events(service: SandboxService, request: Request, now: float) -> Response:
    items = await _read_batch(request)
    if isinstance(items, Response):
        return items
    dry_run = _flag(request, "_dryRun")
    outcomes = service.write_events(items, dry_run, now)
    status, body = service.answer(items, outcomes, dry_run)
    return _json(status, body)


async def _get_contact(service: SandboxService, request: Request, now: float) -> Response:
    user_id = request.path_params["user_id"]
    body = service.contact(user_id)
    if body is None:
        return _message(404, f"No contact with _user_id {user_id!r} in this datasource.")
    return Response(body, 200, media_type="application/json")


async def _delete_contact(service: SandboxService, request: Request, now: float) -> Response:
    user_id = request.path_params["user_id"]
    if not service.delete_contact(user_id):
        return _message(404, f"No contact with _user_id {user_id!r} in this datasource.")
    status, body = service.answer([user_id], [None], False, user_ids=[user_id])
    return _json(status, body)


# -- /_sandbox controls --------------------------------------------------------------------

def _control(service: SandboxService,
             handler: Callable[[SandboxService, Request], Awaitable[Response]],
             ) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        auth = service.authorized(request.headers.get("authorization"))
        if not auth:
            return _message(401, "The sandbox controls need the same bearer token as the API.")
        return await handler(service, request)

    return endpoint


async def _get_state(service: SandboxService, request: Request) -> Response:
    return Response(service.state_json(), 200, media_type="application/json")


async def _post_reset(service: SandboxService, request: Request) -> Response:
    service.reset()
    return _json(200, {"reset": True})


async def _post_settings(service: SandboxService, request: Request) -> Response:
    """``{"faults": SPEC|null, "rateLimit": N|null, "answerShape": "A"|"B"}``, each optional."""
    try:
        settings = json.loads(await request.body() or b"{}")
        if not isinstance(settings, dict):
            raise ValueError("The settings must be a JSON object.")
        if "answerShape" in settings:
            service.set_answer_shape(settings["answerShape"])
        if "faults" in settings:
            service.set_faults(settings["faults"])
        if "rateLimit" in settings:
            limit = settings["rateLimit"]
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
                raise ValueError("rateLimit must be a whole number of calls per minute or null.")
            service.set_rate_limit(limit, settings.get("rateLimitWindow"))
    except ValueError as error:
        return _message(400, str(error))
    return _json(200, {
        "answerShape": service.answer_shape,
        "faults": service.fault_spec,
        "rateLimit": service.limiter.limit,
        "rateLimitWindow": service.limiter.window,
    })


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return _message(405, f"{request.method} is not allowed on {request.url.path}.")
    return _message(status, f"There is no endpoint at {request.url.path}.")


def build_app(service: SandboxService) -> ASGIApp:
    """The ASGI application serving ``service``."""
    base = "/v1/project/{project}/datasource/{datasource}/stream"

    def api(path: str, name: str, handler: Handler, method: str, *, write: bool = False
            ) -> Route:
        return Route(base + path, _endpoint(service, name, handler, write=write),
                     methods=[method], include_in_schema=False)

    routes = [
        api("", "stream", _get_stream, "GET"),
        api("/specs/attributes", "specs.attributes", _get_attributes, "GET"),
        api("/specs/events", "specs.events", _get_events, "GET"),
        api("/specs/event-parameters/{event_type}", "specs.event-parameters",
            _get_event_parameters, "GET"),
        api("/contacts", "contacts.post", _post_contacts, "POST", write=True),
        api("/events", "events.post", _post_events, "POST", write=True),
        api("/contacts/{user_id:path}", "contacts.get", _get_contact, "GET"),
        api("/contacts/{user_id:path}", "contacts.delete", _delete_contact, "DELETE",
            write=True),
        Route("/_sandbox/state", _control(service, _get_state), methods=["GET"]),
        Route("/_sandbox/reset", _control(service, _post_reset), methods=["POST"]),
        Route("/_sandbox/settings", _control(service, _post_settings), methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _not_found})
    return _ConnectionCutter(app)
