"""The sandbox keeps its stored data out of full garbage collections (it may share the GUI's
process, where a long collection freezes the window)."""

from __future__ import annotations

import gc

import httpx

from ingest_gui.sandbox.server import SandboxServer


def test_stored_contacts_end_up_frozen_out_of_collections(sandbox: SandboxServer) -> None:
    gc.unfreeze()
    base = f"{sandbox.base_url}/project/demo/datasource/demo/stream/contacts"
    headers = {"Authorization": f"Bearer {sandbox.config.token}"}
    with httpx.Client(headers=headers, timeout=30) as client:
        for batch in range(70):
            items = [{"_user_id": f"U{batch}-{n}"} for n in range(10)]
            assert client.post(base, json=items).status_code == 202
    assert gc.get_freeze_count() > 0
    # Frozen, yet still freed by reference counting when the state is reset.
    assert len(sandbox.state()["contacts"]) == 700
    sandbox.reset()
    assert sandbox.state()["contacts"] == {}
