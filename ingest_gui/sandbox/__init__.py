"""The Ingest API as a real local HTTP server (starlette + uvicorn).

It is the wizard's "try it" mode and the tests' independent model of the service: it never
imports ``ingest_gui.core``.

- :mod:`.server`: ``SandboxConfig``, ``SandboxServer`` (in-process, daemon thread, free port),
  ``serve_forever`` (``ingest-gui sandbox``).
- :mod:`.app`: the behaviour (``SandboxService``) and the routes.
- :mod:`.demo`: the demo datasource's specs and ``GET /stream`` metadata.
- :mod:`.validation`: per-item checks against the specs.
- :mod:`.faults`, :mod:`.ratelimit`, :mod:`.store`: fault injection, rate limits, state file.

Controls outside the API (same bearer token, never rate limited or faulted):
``GET /_sandbox/state``, ``POST /_sandbox/reset``, ``POST /_sandbox/settings`` with
``{"faults": SPEC|null, "rateLimit": N|null, "rateLimitWindow": SECONDS, "answerShape": "A"|"B"}``.
"""
