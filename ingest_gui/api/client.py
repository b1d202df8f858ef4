"""``IngestClient``: one ``httpx.Client`` for every Ingest API endpoint.

Every call either returns what the API documents or raises an
:class:`~ingest_gui.api.errors.IngestError` whose text a person can act on. The token lives only
inside :class:`BearerAuth` and is scrubbed from anything the service echoes back; httpx's own
exceptions are never chained onto ours (their text is ours to write).
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from ingest_gui import __version__
from ingest_gui.api.errors import (
    AuthError,
    BadRequestError,
    IngestError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    TransportError,
)
from ingest_gui.api.items import EncodedItems
from ingest_gui.api.parsing import (
    clip,
    decode_json,
    decode_write_answer,
    is_write_answer,
    parse_rate_limit,
    parse_spec_list,
    parse_write_answer,
    service_message,
    try_decode_json,
    unwrap_contact,
)
from ingest_gui.api.results import ContactRead, ItemResult, RateLimit, WriteResult
from ingest_gui.api.specs import (
    AttributeSpec,
    DatasourceSpecs,
    EventParameterSpec,
    EventSpec,
    StreamInfo,
)

# Re-exported: callers import the address helpers from here too.
from ingest_gui.api.urls import DEFAULT_BASE_URL as DEFAULT_BASE_URL
from ingest_gui.api.urls import is_loopback_host as is_loopback_host
from ingest_gui.api.urls import normalize_base_url as normalize_base_url
from ingest_gui.texts import fill, translate

MAX_BATCH_ITEMS = 100
USER_AGENT = f"InstasentIngestWizard/{__version__}"
#: Largest answer body read; documented answers are a few KiB per batch.
DEFAULT_MAX_ANSWER_BYTES = 16 * 1024 * 1024
#: However slowly it trickles in, an answer must be complete within this many seconds.
DEFAULT_ANSWER_DEADLINE = 120.0
#: Connecting should be quick; the read timeout is what the caller chooses.
DEFAULT_CONNECT_TIMEOUT = 10.0

logger = logging.getLogger(__name__)


class BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer <token>``; its ``repr`` never shows the token."""

    def __init__(self, token: str) -> None:
        self._header_value = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header_value
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token='***')"


def _segment(value: str, what: str) -> str:
    """One URL path segment, percent-encoded; ``.`` and ``..`` would be collapsed by httpx."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"The {what} must be a non-empty string.")
    if set(value) == {"."}:
        return value.replace(".", "%2E")
    return urllib.parse.quote(value, safe="")


def _check_token(token: str) -> str:
    if not isinstance(token, str) or not token.strip():
        raise AuthError(translate("ApiClient",
            "No API token was given. Paste the datasource's API token first."))
    token = token.strip()
    if any(not "\x21" <= char <= "\x7e" for char in token):
        raise AuthError(translate("ApiClient",
            "The API token contains characters a token cannot have (spaces, line breaks or "
            "accented letters). Copy it again from the Instasent dashboard."))
    return token


def _route(path: str) -> str:
    """``path`` for a log line: no query, and no user id (contacts are personal data)."""
    path = path.split("?", 1)[0]
    prefix = "/stream/contacts/"
    return prefix + "{userId}" if path.startswith(prefix) else path


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    rate_limit: RateLimit


class IngestClient:
    """Talks to ``{base_url}/project/{project}/datasource/{datasource}``.

    Thread-safe: one instance is shared by the upload engine's worker threads.
    The token is held privately and never appears in ``repr()``, logs or exception text.

    Args:
        base_url: e.g. ``https://api.instasent.com/v1`` or the sandbox's ``http://127.0.0.1:N/v1``.
        timeout: seconds (or a full ``httpx.Timeout``); connecting gets at most 10 s of it.
        max_connections: pool size; at least the number of threads sharing the client.
        transport: for tests (``httpx.MockTransport``); TLS verification is otherwise always on.
        max_answer_bytes: larger answers raise :class:`ResponseFormatError`.
        answer_deadline: seconds an answer may take to arrive in full (guards against a slow drip
            that never trips the per-read timeout).
        clock / wall_clock: injectable monotonic and Unix clocks.
    """

    def __init__(
        self,
        base_url: str,
        project: str,
        datasource: str,
        token: str,
        *,
        timeout: httpx.Timeout | float = 30.0,
        max_connections: int = 8,
        transport: httpx.BaseTransport | None = None,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        answer_deadline: float = DEFAULT_ANSWER_DEADLINE,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self._base_url = normalize_base_url(base_url)
        self._project = project
        self._datasource = datasource
        self._root = (
            f"{self._base_url}/project/{_segment(project, 'project')}"
            f"/datasource/{_segment(datasource, 'datasource')}"
        )
        self._token = _check_token(token)
        self._host = urllib.parse.urlsplit(self._base_url).hostname or ""
        self._max_answer_bytes = max_answer_bytes
        self._answer_deadline = answer_deadline
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._last_rate_limit = RateLimit()
        if isinstance(timeout, httpx.Timeout):
            self._timeout = timeout
        else:
            self._timeout = httpx.Timeout(timeout, connect=min(timeout, DEFAULT_CONNECT_TIMEOUT))
        try:
            self._http = self._build_http(transport, max_connections)
            # Writes are the hot path (one per batch): their URL is parsed once, their headers
            # merged once; each request then costs no more than httpx's own work.
            self._write_headers = httpx.Headers(self._http.headers)
            self._write_headers["Content-Type"] = "application/json"
            self._write_urls: dict[str, httpx.URL] = {}
            self._extensions = {"timeout": self._timeout.as_dict()}
        except OSError as error:  # ssl.SSLError included
            # httpx reads SSL_CERT_FILE / SSL_CERT_DIR while building its TLS context.
            where = os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR") or ""
            reason = error.strerror or str(error)
            message = (translate("ApiClient",
                "The certificates for secure connections could not be loaded from {where} "
                "(set by SSL_CERT_FILE/SSL_CERT_DIR): {reason}. Fix or remove that setting.")
                if where else translate("ApiClient",
                "The certificates for secure connections could not be loaded: {reason}. Fix "
                "or remove that setting."))
            raise IngestError(fill(message, where=where, reason=reason)) from None

    def _build_http(
        self, transport: httpx.BaseTransport | None, max_connections: int
    ) -> httpx.Client:
        return httpx.Client(
            auth=BearerAuth(self._token),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=self._timeout,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            transport=transport,
            verify=self._tls_context(),
            follow_redirects=False,
            # Proxy settings from the environment serve real networks; never for loopback.
            trust_env=not is_loopback_host(self._host),
        )

    def _tls_context(self) -> ssl.SSLContext | bool:
        """Verified TLS with the system's certificates; for a plain-http (loopback-only) base
        URL, a context that verifies against no certificate at all.

        Loading the certificate store takes tens of milliseconds (it showed as a stall when the
        wizard connects to the local sandbox), and a client whose every request goes to
        ``http://127.0.0.1`` never uses it: redirects are not followed. The empty context still
        requires a valid certificate and host name, so it could not reach any TLS server.
        """
        if urllib.parse.urlsplit(self._base_url).scheme == "https":
            return True
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    def __repr__(self) -> str:
        return (
            f"IngestClient(base_url={self._base_url!r}, project={self._project!r}, "
            f"datasource={self._datasource!r})"
        )

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def timeout(self) -> httpx.Timeout:
        return self._timeout

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def project(self) -> str:
        return self._project

    @property
    def datasource(self) -> str:
        return self._datasource

    @property
    def datasource_key(self) -> str:
        """``base_url|project|datasource``: identifies the target in the journal (no token)."""
        return f"{self._base_url}|{self._project}|{self._datasource}"

    @property
    def last_rate_limit(self) -> RateLimit:
        """The ``X-RateLimit-*`` values of the most recent answer."""
        with self._lock:
            return self._last_rate_limit

    # -- reads -----------------------------------------------------------------------------
    def stream_info(self) -> StreamInfo:
        body = self._get_json("/stream", translate("ApiClient", "the stream request"))
        if not isinstance(body, Mapping):
            raise ResponseFormatError(translate("ApiClient",
                "The Instasent API's stream information is not an object."))
        try:
            return StreamInfo.from_json(body)
        except (TypeError, ValueError, OverflowError, RecursionError):
            pass
        raise ResponseFormatError(translate("ApiClient",
            "The Instasent API's stream information could not be read."))

    def attribute_specs(self) -> tuple[AttributeSpec, ...]:
        body = self._get_json("/stream/specs/attributes",
                              translate("ApiClient", "the attribute list request"))
        return parse_spec_list(body, AttributeSpec.from_json, "uid",
                               translate("ApiClient", "contact attributes"))

    def event_specs(self) -> tuple[EventSpec, ...]:
        body = self._get_json("/stream/specs/events",
                              translate("ApiClient", "the event type list request"))
        return parse_spec_list(body, EventSpec.from_json, "uid",
                               translate("ApiClient", "event types"))

    def event_parameter_specs(self, event_type: str) -> tuple[EventParameterSpec, ...]:
        path = f"/stream/specs/event-parameters/{_segment(event_type, 'event type')}"
        body = self._get_json(
            path, fill(translate("ApiClient", "the parameter list request for event '{event}'"),
                       event=event_type),
            not_found=fill(translate(
                "ApiClient", "The datasource has no event type '{event}' (404), or the token is "
                "not valid for this datasource."), event=event_type),
        )
        return parse_spec_list(
            body, EventParameterSpec.from_json, "parameter",
            fill(translate("ApiClient", "parameters of event '{event}'"), event=event_type))

    def fetch_specs(self) -> DatasourceSpecs:
        """Stream info + all three spec endpoints (parameters for every event type)."""
        info = self.stream_info()
        attributes = self.attribute_specs()
        events = self.event_specs()
        parameters = {event.uid: self.event_parameter_specs(event.uid) for event in events}
        return DatasourceSpecs(
            attributes=attributes,
            events=events,
            event_parameters=parameters,
            default_country=info.default_country,
            timezone=info.timezone,
        )

    def get_contact(self, user_id: str) -> Mapping[str, Any] | None:
        """The datasource's contact, or ``None`` when it does not exist."""
        return self.read_contact(user_id).record

    def read_contact(self, user_id: str) -> ContactRead:
        """The datasource's contact (``record`` None when it does not exist) and the answer's
        ``X-RateLimit-*`` headers, for callers that pace many reads (preview, undo snapshots)."""
        answer = self._exchange("GET", f"/stream/contacts/{_segment(user_id, 'user id')}")
        if answer.status == 404:
            return ContactRead(None, answer.rate_limit)
        self._raise_for_status(answer)
        record = unwrap_contact(decode_json(answer.body,
                                            translate("ApiClient", "the contact request")))
        return ContactRead(record, answer.rate_limit)

    # -- writes ----------------------------------------------------------------------------
    def post_contacts(
        self, items: Sequence[Mapping[str, Any]] | EncodedItems, *, dry_run: bool = False,
        sync: bool = False,
    ) -> WriteResult:
        """Up to 100 contacts: dicts, or a batch already encoded by the upload plan."""
        return self._write("/stream/contacts", items, dry_run=dry_run, sync=sync)

    def post_events(
        self, items: Sequence[Mapping[str, Any]] | EncodedItems, *, dry_run: bool = False,
        sync: bool = False,
    ) -> WriteResult:
        """Up to 100 events: dicts, or a batch already encoded by the upload plan."""
        return self._write("/stream/events", items, dry_run=dry_run, sync=sync)

    def delete_contact(self, user_id: str) -> WriteResult:
        """One item: accepted, or rejected with the service's message."""
        answer = self._exchange("DELETE", f"/stream/contacts/{_segment(user_id, 'user id')}")
        body = try_decode_json(answer.body)
        if answer.status == 404:
            message = service_message(body, self._redact)
            reason = (
                fill(translate("ApiClient",
                    "No contact with this user id exists in the datasource ({message})."),
                        message=message)
                if message
                else translate("ApiClient",
                               "No contact with this user id exists in the datasource.")
            )
            return WriteResult(404, (ItemResult(0, False, {"": (reason,)}),), False,
                               answer.rate_limit)
        if answer.status == 422 or (200 <= answer.status < 300 and is_write_answer(body)):
            return parse_write_answer(
                body, (user_id,), status=answer.status, rate_limit=answer.rate_limit,
                redact=self._redact,
            )
        self._raise_for_status(answer)
        # A 2xx without a write answer (e.g. 204 No Content): the status itself says done.
        return WriteResult(answer.status, (ItemResult(0, True),), False, answer.rate_limit)

    # -- internals -------------------------------------------------------------------------
    def _write(
        self, path: str, items: Sequence[Mapping[str, Any]] | EncodedItems, *, dry_run: bool,
        sync: bool,
    ) -> WriteResult:
        if not 1 <= len(items) <= MAX_BATCH_ITEMS:
            raise ValueError(
                f"A batch holds 1 to {MAX_BATCH_ITEMS} items; this one has {len(items)}."
            )
        encoded = items if isinstance(items, EncodedItems) else EncodedItems.of(items)
        flags = [name for name, wanted in (("_dryRun", dry_run), ("_sync", sync)) if wanted]
        if flags:
            path += "?" + "&".join(flags)
        answer = self._exchange("POST", path, content=encoded.body)
        if answer.status == 422 or 200 <= answer.status < 300:
            # A 422 needs no readable body: its status alone says every item failed.
            body = (try_decode_json(answer.body) if answer.status == 422
                    else decode_write_answer(answer.body))
            return parse_write_answer(
                body, encoded.user_ids, status=answer.status, rate_limit=answer.rate_limit,
                requested_dry_run=dry_run, redact=self._redact,
            )
        raise self._error_for(answer)

    def _get_json(self, path: str, what: str, *, not_found: str | None = None) -> Any:
        answer = self._exchange("GET", path)
        self._raise_for_status(answer, not_found=not_found)
        return decode_json(answer.body, what)

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token in text else text

    def _remember(self, rate_limit: RateLimit) -> None:
        with self._lock:
            self._last_rate_limit = rate_limit

    def _request(self, method: str, path: str, content: bytes | None) -> httpx.Request:
        if content is None:
            return self._http.build_request(method, self._root + path)
        # A JSON body: one of the few write paths (with or without flags), never a user id.
        url = self._write_urls.get(path)
        if url is None:
            url = self._write_urls[path] = httpx.URL(self._root + path)
        return httpx.Request(method, url, headers=self._write_headers, content=content,
                             extensions=self._extensions)

    def _exchange(self, method: str, path: str, *, content: bytes | None = None) -> _Answer:
        """Send one request and read its whole (capped) answer; every failure is ours."""
        started = self._clock()
        failure: IngestError | None = None
        try:
            response = self._http.send(self._request(method, path, content), stream=True)
            try:
                rate_limit = parse_rate_limit(response.headers, self._wall_clock())
                self._remember(rate_limit)
                body = self._read_body(response, started)
                logger.debug(
                    "%s %s -> %d (%d bytes, %.0f ms)", method, _route(path),
                    response.status_code, len(body), (self._clock() - started) * 1000,
                )
                return _Answer(response.status_code, body, rate_limit)
            finally:
                response.close()
        except httpx.TimeoutException:
            failure = TransportError(fill(translate("ApiClient",
                "The Instasent API at {host} did not answer in time. Check the internet "
                "connection; the request can be sent again."), host=self._host))
        except httpx.RemoteProtocolError:
            failure = TransportError(fill(translate("ApiClient",
                "The connection to {host} was cut before the answer was complete; the "
                "request can be sent again."), host=self._host))
        except httpx.DecodingError:
            failure = ResponseFormatError(fill(translate("ApiClient",
                "The answer from {host} could not be decompressed."), host=self._host))
        except httpx.ConnectError as error:
            failure = TransportError(fill(translate("ApiClient",
                "Could not connect to the Instasent API at {host} ({detail}). Check the "
                "internet connection and the base URL."),
                    host=self._host, detail=self._describe(error)))
        except httpx.HTTPError as error:
            failure = TransportError(fill(translate("ApiClient",
                "The connection to the Instasent API at {host} failed ({detail})."),
                    host=self._host, detail=self._describe(error)))
        # Raised outside the ``except`` blocks so no httpx exception is chained onto ours.
        logger.debug("%s %s failed: %s", method, _route(path), failure)
        raise failure

    def _describe(self, error: Exception) -> str:
        text = clip(self._redact(str(error)), 200)
        return f"{type(error).__name__}: {text}" if text else type(error).__name__

    def _read_body(self, response: httpx.Response, started: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_answer_bytes:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_answer_bytes:
                raise self._too_large()
            if self._clock() - started > self._answer_deadline:
                raise TransportError(fill(translate("ApiClient",
                    "The answer from {host} arrived too slowly (still incomplete after "
                    "{seconds} seconds); the request can be sent again."),
                        host=self._host, seconds=f"{self._answer_deadline:.0f}"))
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> ResponseFormatError:
        return ResponseFormatError(fill(translate("ApiClient",
            "The answer from {host} was larger than {size} MiB, far beyond what the API "
            "sends; it was not read."),
                host=self._host, size=self._max_answer_bytes // (1024 * 1024)))

    def _raise_for_status(self, answer: _Answer, *, not_found: str | None = None) -> None:
        """Return for a 2xx; otherwise raise the error the status means."""
        if not 200 <= answer.status < 300:
            raise self._error_for(answer, not_found=not_found)

    def _error_for(self, answer: _Answer, *, not_found: str | None = None) -> IngestError:
        """The exception an unsuccessful answer means (``not_found``: the 404 sentence)."""
        status = answer.status
        body = try_decode_json(answer.body)
        message = service_message(body, self._redact)
        said = fill(translate("ApiClient", " The service said: {message}"),
            message=message) if message else ""
        rate_limit = answer.rate_limit
        error: IngestError
        if status == 401:
            error = AuthError(translate("ApiClient",
                "The API token was refused (401). Check the token in the connection settings: "
                "it may be mistyped, revoked, or belong to another datasource.") + said,
                status=status, rate_limit=rate_limit,
            )
        elif status == 403:
            error = AuthError(translate("ApiClient",
                "The API token is not allowed to do this (403): it lacks the ingest permission "
                "for this datasource. Use a datasource token or a token with ingest scopes.")
                + said,
                status=status, rate_limit=rate_limit,
            )
        elif status == 404:
            error = NotFoundError(
                (not_found or fill(translate("ApiClient",
                    "The Instasent API does not know project '{project}' with datasource "
                    "'{datasource}' (404), or the token is not valid for it. Check the project "
                    "and datasource ids."),
                        project=self._project, datasource=self._datasource)) + said,
                status=status, rate_limit=rate_limit,
            )
        elif status == 429:
            error = RateLimitedError(
                translate("ApiClient", "The Instasent API's rate limit was reached (429).")
                + self._wait_hint(rate_limit),
                reset_at=rate_limit.reset_at, retry_after=rate_limit.retry_after,
                rate_limit=rate_limit,
            )
        elif status >= 500:
            error = ServerError(fill(translate("ApiClient",
                "The Instasent API had a problem on its side (HTTP {status}). Trying again in "
                "a moment usually works."), status=str(status)) + said,
                status=status, rate_limit=rate_limit,
            )
        elif 400 <= status < 500:
            error = BadRequestError(fill(translate("ApiClient",
                "The Instasent API refused the request as invalid (HTTP {status})."),
                    status=str(status)) + said,
                status=status, rate_limit=rate_limit,
            )
        else:
            error = ResponseFormatError(fill(translate("ApiClient",
                "The Instasent API answered with an unexpected HTTP status {status}. Check "
                "that the base URL points at the Ingest API."), status=str(status)),
                status=status, rate_limit=rate_limit,
            )
        return error

    def _wait_hint(self, rate_limit: RateLimit) -> str:
        if rate_limit.retry_after is not None:
            wait = rate_limit.retry_after
        elif rate_limit.reset_at is not None:
            wait = max(0.0, rate_limit.reset_at - self._wall_clock())
        else:
            return translate("ApiClient", " Wait a minute before sending more.")
        return fill(translate("ApiClient", " Sending can resume in about {seconds} s."),
            seconds=max(1, round(wait)))
