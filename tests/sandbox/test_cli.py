"""``ingest-gui sandbox`` as a real process: banner, serving, stopping, surviving a kill."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading

import httpx
import pytest

STARTUP_TIMEOUT = 30


class SandboxProcess:
    """``python -m ingest_gui sandbox ...`` with its output read on a daemon thread."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ingest_gui", "sandbox", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.banner: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for_base_url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=STARTUP_TIMEOUT)
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"no banner within {STARTUP_TIMEOUT} s: {self.banner}")
            if line is None:
                pytest.fail(f"the sandbox exited early: {self.stderr()}")
            self.banner.append(line)
            match = re.search(r"Base URL:\s+(http://\S+/v1)", line)
            if match:
                return match.group(1)

    def stop(self) -> int:
        if sys.platform == "win32":
            self.process.terminate()
        else:
            self.process.send_signal(signal.SIGINT)  # what Ctrl-C does
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)

    def stderr(self) -> str:
        assert self.process.stderr is not None
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url + "/project/demo/datasource/demo/stream",
                        headers={"Authorization": f"Bearer {token}"}, timeout=10, verify=False)


@pytest.mark.slow
def test_the_command_prints_its_url_and_ids_serves_and_stops_on_ctrl_c(tmp_path):
    sandbox = SandboxProcess("--token", "cli-token", "--answer-shape", "B",
                             "--rate-limit", "500", "--state", str(tmp_path / "s.sqlite"))
    try:
        base_url = sandbox.wait_for_base_url()
        with client(base_url, "cli-token") as http:
            info = http.get(base_url + "/project/demo/datasource/demo/stream")
            assert info.status_code == 200
            assert info.json()["datasource"]["defaultCountry"] == "ES"
            written = http.post("/contacts", json=[{"_user_id": "CLI"}])
            assert written.status_code == 202
            assert "entity" in written.json()  # --answer-shape B
            assert written.headers["X-RateLimit-Limit"] == "500"
            state = http.get(base_url.removesuffix("/v1") + "/_sandbox/state").json()
            assert set(state["contacts"]) == {"CLI"}
        while sandbox.lines.qsize():
            sandbox.banner.append(sandbox.lines.get() or "")
        text = "\n".join(sandbox.banner)
        for expected in ("Project:", "demo", "Datasource:", "Token:", "cli-token"):
            assert expected in text
        exit_code = sandbox.stop()
        assert exit_code == 0 or sys.platform == "win32"
        assert "Traceback" not in sandbox.stderr()
    finally:
        sandbox.close()


@pytest.mark.slow
def test_acknowledged_writes_survive_a_kill(tmp_path):
    state_file = tmp_path / "state.sqlite"
    first = SandboxProcess("--state", str(state_file))
    acknowledged: list[str] = []
    try:
        with client(first.wait_for_base_url(), "sandbox-token") as http:
            for batch in range(20):
                ids = [f"B{batch}-{index}" for index in range(100)]
                response = http.post("/contacts", json=[{"_user_id": uid} for uid in ids])
                assert response.status_code == 202
                acknowledged.extend(ids)
        first.kill()  # no graceful shutdown at all
    finally:
        first.close()

    second = SandboxProcess("--state", str(state_file))
    try:
        base_url = second.wait_for_base_url()
        with client(base_url, "sandbox-token") as http:
            contacts = http.get(base_url.removesuffix("/v1") + "/_sandbox/state").json()[
                "contacts"]
        assert set(contacts) == set(acknowledged)
        second.stop()
    finally:
        second.close()


@pytest.mark.parametrize(("args", "fragment"), [
    (["--faults", "explode=1"], "Unknown fault 'explode'"),
    (["--state", "{not-a-db}"], "not a sandbox state database"),
])
def test_bad_options_end_with_one_clear_line(tmp_path, args, fragment):
    if "{not-a-db}" in args:
        junk = tmp_path / "junk.txt"
        junk.write_text("hello " * 200)
        args = [str(junk) if arg == "{not-a-db}" else arg for arg in args]
    result = subprocess.run(
        [sys.executable, "-m", "ingest_gui", "sandbox", "--port", "0", *args],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_port_in_use_is_a_clear_error():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ingest_gui", "sandbox", "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("args", "limit"), [([], "600"), (["--rate-limit", "0"], None)])
def test_the_default_rate_limit_is_a_real_datasources_and_0_lifts_it(args, limit):
    sandbox = SandboxProcess(*args)
    try:
        base_url = sandbox.wait_for_base_url()
        with client(base_url, "sandbox-token") as http:
            read = http.get(base_url + "/project/demo/datasource/demo/stream")
            written = http.post("/contacts", json=[{"_user_id": "R"}])
            contact = http.get("/contacts/R")
        for answer in (read, written, contact):  # reads are limited and answered alike
            assert answer.is_success
            assert answer.headers.get("X-RateLimit-Limit") == limit
        while sandbox.lines.qsize():  # the banner's lines after the base URL
            sandbox.banner.append(sandbox.lines.get() or "")
        text = "\n".join(sandbox.banner)
        assert ("600 calls per minute per endpoint" in text) == (limit is not None)
        sandbox.stop()
    finally:
        sandbox.close()


def test_a_negative_rate_limit_is_refused_with_a_sentence():
    result = subprocess.run(
        [sys.executable, "-m", "ingest_gui", "sandbox", "--port", "0", "--rate-limit", "-5"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "--rate-limit takes a number of calls per minute" in result.stderr
    assert "Traceback" not in result.stderr
