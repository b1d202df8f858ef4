"""Start the sandbox in-process (a uvicorn server on a background thread) or in the foreground.

SKELETON — types and signatures are the contract; bodies are being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

DEFAULT_TOKEN = "sandbox-token"


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    project: str = "demo"
    datasource: str = "demo"
    token: str = DEFAULT_TOKEN
    #: Calls per minute per datasource and endpoint; ``None``: unlimited.
    rate_limit: int | None = None
    #: "A" or "B": the two documented write-answer shapes.
    answer_shape: str = "A"
    #: e.g. "500=0.05,503=0.02,429=0.05,drop=0.02,latency=0-50ms,seed=3"
    faults: str | None = None
    #: Persist state here across restarts.
    state_file: Path | None = None


class SandboxServer:
    """``with SandboxServer(SandboxConfig()) as server: server.base_url`` -> ``http://127.0.0.1:N/v1``.

    The client's base URL is ``server.base_url``; project/datasource/token come from ``config``.
    """

    def __init__(self, config: SandboxConfig | None = None, *, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        raise NotImplementedError

    @property
    def config(self) -> SandboxConfig:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def start(self) -> Self:
        """Bind (port 0: a free port), serve on a daemon thread, return once accepting."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # -- test and demo controls (also reachable over HTTP under /_sandbox) -------------------
    def state(self) -> dict[str, Any]:
        """Same body as ``GET /_sandbox/state``."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget every contact, event and rate-limit counter."""
        raise NotImplementedError

    def set_faults(self, spec: str | None) -> None:
        raise NotImplementedError

    def set_rate_limit(self, calls_per_minute: int | None) -> None:
        raise NotImplementedError

    def set_answer_shape(self, shape: str) -> None:
        raise NotImplementedError


def serve_forever(config: SandboxConfig, *, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Foreground server for ``ingest-gui sandbox``; prints base URL, ids and token first."""
    raise NotImplementedError
