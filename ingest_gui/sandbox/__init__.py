"""The Ingest API as a real local HTTP server (starlette + uvicorn).

It is the wizard's "try it" mode and the tests' independent model of the service: it never
imports ``ingest_gui.core``.
"""
