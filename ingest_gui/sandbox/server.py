"""Start the sandbox in-process (a uvicorn server on a background thread) or in the foreground."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import uvicorn

from ingest_gui.sandbox.app import QUIET_DROPS, SandboxService, build_app

DEFAULT_TOKEN = "sandbox-token"
#: Calls per minute per endpoint, as in the Ingest API reference's example (``X-RateLimit-*``).
DEFAULT_RATE_LIMIT = 600

_START_TIMEOUT = 15.0
_STOP_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    project: str = "demo"
    datasource: str = "demo"
    token: str = dataclasses.field(default=DEFAULT_TOKEN, repr=False)
    #: Calls per minute per datasource and endpoint; ``None``: unlimited (tests, benchmarks).
    #: The default is the documented example's, so the sandbox paces like a real datasource.
    rate_limit: int | None = DEFAULT_RATE_LIMIT
    #: "A" or "B": the two documented write-answer shapes.
    answer_shape: str = "A"
    #: e.g. "500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3"
    faults: str | None = None
    #: Persist state here across restarts.
    state_file: Path | None = None
    #: Length of a rate-limit window in seconds (the service's is one minute; tests shorten it).
    rate_limit_window: float = 60.0


def _service(config: SandboxConfig, clock: Callable[[], float] | None) -> SandboxService:
    return SandboxService(
        project=config.project,
        datasource=config.datasource,
        token=config.token,
        rate_limit=config.rate_limit,
        rate_limit_window=config.rate_limit_window,
        answer_shape=config.answer_shape,
        faults=config.faults,
        state_file=config.state_file,
        clock=clock,
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it every answer waits ~40 ms on Nagle + delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if sys.platform != "win32":
            # Lets a restarted sandbox reuse its port right away (TIME_WAIT connections).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def _uvicorn_config(app: Any) -> uvicorn.Config:
    config = uvicorn.Config(
        app,
        log_config=None,  # leave the host program's logging alone
        log_level="warning",
        access_log=False,  # no per-request logging: it would dominate benchmark time
        lifespan="off",
        server_header=False,
        proxy_headers=False,  # nothing here reads the client's address: skip that layer
        timeout_graceful_shutdown=5,
    )
    logging.getLogger("uvicorn.error").addFilter(QUIET_DROPS)
    return config


class _BackgroundServer(uvicorn.Server):
    """uvicorn on a non-main thread (so no signal handlers) that says when it accepts."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()


class SandboxServer:
    """``with SandboxServer(SandboxConfig()) as server: server.base_url`` -> ``http://127.0.0.1:N/v1``.

    The client's base URL is ``server.base_url``; project/datasource/token come from ``config``.
    ``clock`` (default ``time.time``) is the server's notion of "now": rate-limit windows and the
    reception time of events. A bad fault spec or state file raises ``ValueError`` here.
    """

    def __init__(self, config: SandboxConfig | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, clock: Callable[[], float] | None = None) -> None:
        self._config = config or SandboxConfig()
        self._host = host
        self._port = port
        self._service = _service(self._config, clock)
        self._socket: socket.socket | None = None
        self._server: _BackgroundServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"SandboxServer({self.base_url!r}, running={self._thread is not None})"

    @property
    def config(self) -> SandboxConfig:
        """The configuration, with the live values of the settings changed since start."""
        service = self._service
        return dataclasses.replace(
            self._config,
            rate_limit=service.limiter.limit,
            rate_limit_window=service.limiter.window,
            answer_shape=service.answer_shape,
            faults=service.fault_spec,
        )

    @property
    def base_url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}/v1"

    @property
    def root_url(self) -> str:
        """Where ``/_sandbox/state`` lives: the base URL without ``/v1``."""
        return self.base_url.removesuffix("/v1")

    def start(self) -> Self:
        """Bind (port 0: a free port), serve on a daemon thread, return once accepting."""
        if self._thread is not None:
            return self
        sock = _bind(self._host, self._port)
        self._port = sock.getsockname()[1]
        server = _BackgroundServer(_uvicorn_config(build_app(self._service)))
        ready = server.ready

        def serve() -> None:
            try:
                server.run(sockets=[sock])
            finally:
                ready.set()

        thread = threading.Thread(target=serve, name=f"sandbox-{self._port}", daemon=True)
        thread.start()
        if not ready.wait(_START_TIMEOUT) or not server.started:
            server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            sock.close()
            raise RuntimeError(f"The sandbox could not start on {self.base_url}.")
        self._socket, self._server, self._thread = sock, server, thread
        return self

    def stop(self) -> None:
        """Stop serving (open connections are closed), join the thread, close the state file."""
        thread, server, sock = self._thread, self._server, self._socket
        self._thread = self._server = self._socket = None
        if thread is not None and server is not None:
            server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            if thread.is_alive():
                server.force_exit = True
                thread.join(_STOP_TIMEOUT)
        if sock is not None:
            sock.close()
        self._service.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # -- test and demo controls (also reachable over HTTP under /_sandbox) -------------------
    def state(self) -> dict[str, Any]:
        """Same body as ``GET /_sandbox/state``."""
        state: dict[str, Any] = json.loads(self._service.state_json())
        return state

    def reset(self) -> None:
        """Forget every contact, event and rate-limit counter."""
        self._service.reset()

    def set_faults(self, spec: str | None) -> None:
        """Replace the fault plan (``ValueError`` if unparseable); restarts its seeded sequence."""
        self._service.set_faults(spec)

    def set_rate_limit(self, calls_per_minute: int | None, *,
                       window_seconds: float | None = None) -> None:
        """Replace the limit (``None``: unlimited) with fresh windows.

        ``window_seconds`` shortens the window for tests; ``None`` means the configured length.
        """
        self._service.set_rate_limit(calls_per_minute, window_seconds)

    def set_answer_shape(self, shape: str) -> None:
        self._service.set_answer_shape(shape)


def _banner(config: SandboxConfig, base_url: str) -> str:
    limit = (f"{config.rate_limit} calls per minute per endpoint" if config.rate_limit
             else "none")
    state = str(config.state_file) if config.state_file else "in memory (lost when stopped)"
    return "\n".join([
        "Instasent Ingest API sandbox",
        f"  Base URL:     {base_url}",
        f"  Project:      {config.project}",
        f"  Datasource:   {config.datasource}",
        f"  Token:        {config.token}",
        f"  Answer shape: {config.answer_shape}",
        f"  Rate limit:   {limit}",
        f"  Faults:       {config.faults or 'none'}",
        f"  State:        {state}",
        f"  Inspect:      GET {base_url.removesuffix('/v1')}/_sandbox/state (same token)",
        "Press Ctrl-C to stop.",
    ])


def serve_forever(config: SandboxConfig, *, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Foreground server for ``ingest-gui sandbox``; prints base URL, ids and token first.

    A bad fault spec, state file or port ends the process with a one-line message (exit code 2).
    """
    try:
        service = _service(config, None)
    except ValueError as error:
        print(f"ingest-gui sandbox: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    try:
        sock = _bind(host, port)
    except OSError as error:
        service.close()
        print(f"ingest-gui sandbox: cannot listen on {host}:{port}: {error.strerror or error}.",
              file=sys.stderr)
        raise SystemExit(2) from None
    bound = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    print(_banner(config, f"http://{shown_host}:{bound}/v1"), flush=True)
    try:
        # In the main thread uvicorn handles Ctrl-C/SIGTERM itself and shuts down gracefully.
        uvicorn.Server(_uvicorn_config(build_app(service))).run(sockets=[sock])
    finally:
        sock.close()
        service.close()
