"""The PyInstaller app, built from the last commit alone, passes its own smoke test.

A missing hidden import, data file or Qt plugin only shows in the frozen app, so this builds it
(``packaging/build.sh``, several minutes) and runs ``IngestWizard --smoke-test`` offscreen. It
builds the last commit (``git archive HEAD``), so commit first: a resource or module that exists
here but was never committed fails the test instead of a marketer's first launch.

Selected with ``-m frozen`` so CI can run it as its own step.
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.helpers import load_bundle_metadata

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 40 * 60
SMOKE_TIMEOUT = 5 * 60
#: A regression guard, not a target: the Linux build is ~390 MB; QtWebEngine would add 200+.
SIZE_BUDGET_MB = 500
EXPECTED_CHECKS = (
    "wizard window", "wizard pages", "app icon", "translations", "heavy modules",
    "read workbook", "time zones",
    "phone metadata", "TLS certificates", "keyring backend", "plain-text keyring",
    "worker process", "sandbox start", "import contacts", "import events", "sandbox stop",
    "wizard close",
)
#: Qt libraries of modules the app does not use (see the spec's excludes).
UNWANTED_QT = re.compile(r"Qt6?(Qml|Quick|WebEngine|Multimedia|3D|Charts|Pdf|DataVisualization)")

pytestmark = [pytest.mark.slow, pytest.mark.frozen, pytest.mark.timeout(BUILD_TIMEOUT + 600)]


@dataclass(frozen=True)
class FrozenBuild:
    source: Path
    bundle: Path
    executable: Path
    seconds: float
    log: str

    @property
    def internal(self) -> Path:
        """Where PyInstaller put the libraries and data (sys._MEIPASS)."""
        if sys.platform == "darwin":
            return self.bundle / "Contents" / "Frameworks"
        return self.bundle / "_internal"


def export_committed_tree(destination: Path) -> None:
    """The files of the last commit (``git archive HEAD``): nothing untracked or uncommitted."""
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def _bundle_and_executable(dist: Path) -> tuple[Path, Path]:
    if sys.platform == "darwin":
        bundle = dist / "Instasent Ingest Wizard.app"
        return bundle, bundle / "Contents" / "MacOS" / "IngestWizard"
    bundle = dist / "IngestWizard"
    return bundle, bundle / ("IngestWizard.exe" if sys.platform == "win32" else "IngestWizard")


@pytest.fixture(scope="module")
def frozen_build(tmp_path_factory: pytest.TempPathFactory) -> FrozenBuild:
    source = tmp_path_factory.mktemp("clean-tree")
    export_committed_tree(source)
    env = dict(os.environ)
    env["PYTHON"] = sys.executable  # this environment's dependencies, this copy's code
    # A private PyInstaller cache: --clean empties it, and other builds may be running.
    env["PYINSTALLER_CONFIG_DIR"] = str(tmp_path_factory.mktemp("pyinstaller-cache"))
    started = time.monotonic()
    build = subprocess.run(["bash", str(source / "packaging" / "build.sh")], cwd=source, env=env,
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    seconds = time.monotonic() - started
    log = build.stdout + build.stderr
    assert build.returncode == 0, f"packaging/build.sh failed:\n{log[-6000:]}"
    bundle, executable = _bundle_and_executable(source / "packaging" / "dist")
    assert executable.is_file(), f"no {executable} after the build:\n{log[-3000:]}"
    return FrozenBuild(source, bundle, executable, seconds, log)


def test_frozen_app_passes_its_smoke_test(frozen_build: FrozenBuild, tmp_path: Path) -> None:
    report_file = tmp_path / "smoke.txt"
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["INGEST_GUI_HOME"] = str(tmp_path / "home")
    window_seconds = None
    started = time.monotonic()
    with subprocess.Popen(
            [str(frozen_build.executable), "--smoke-test", "--output", str(report_file)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8") as process:
        assert process.stdout is not None
        for line in process.stdout:  # one line as each check ends; pytest-timeout bounds it
            if window_seconds is None and line.startswith("ok   wizard window"):
                window_seconds = time.monotonic() - started
        code = process.wait(timeout=SMOKE_TIMEOUT)
    total_seconds = time.monotonic() - started

    report = report_file.read_text(encoding="utf-8")
    lines = report.splitlines()
    # The report file also holds the traceback of each failed check.
    assert code == 0, f"the frozen smoke test failed (exit {code}):\n{report}"
    assert "(frozen build," in lines[0]
    for check in EXPECTED_CHECKS:
        assert any(line.startswith(f"ok   {check}:") for line in lines), (
            f"no passing '{check}' line:\n{report}")
    assert not any(line.startswith("FAIL") for line in lines)
    assert lines[-1].startswith(f"smoke test passed: {len(EXPECTED_CHECKS)} checks")
    if sys.platform != "win32":  # the windowed Windows app may have no stdout to time
        assert window_seconds is not None
    # Shown with -s: the numbers the README quotes.
    shown = "?" if window_seconds is None else f"{window_seconds:.2f}"
    print(f"\nbuild {frozen_build.seconds:.0f} s; window shown {shown} s after launch; "
          f"smoke test {total_seconds:.1f} s\n{report}")


def test_bundle_holds_the_resources_and_leaves_out_what_the_app_does_not_use(
        frozen_build: FrozenBuild) -> None:
    resources = frozen_build.internal / "resources"
    for relative in ("icons/app.svg", "translations/ingest_gui_es.qm",
                     "samples/contacts-sample.csv", "samples/events-sample.csv"):
        assert (resources / relative).is_file(), f"{relative} is not in the bundle"
    assert not list(resources.rglob("*.ts")), "translation sources are bundled"

    files = [path for path in frozen_build.bundle.rglob("*")
             if path.is_file() and not path.is_symlink()]
    unwanted = sorted({path.name for path in files if UNWANTED_QT.search(path.name)})
    assert not unwanted, f"Qt libraries the app does not use were bundled: {unwanted}"
    assert not [path for path in files if "keyrings" in path.parts]

    # Pure-Python modules live in the PYZ archive; its table of contents names each one.
    pyz_toc = next((frozen_build.source / "packaging" / "build").rglob("PYZ-00.toc")).read_text()
    modules = set(re.findall(r"\('([\w.]+)',", pyz_toc))
    assert {"ingest_gui.ui.smoke", "keyring.backends.Windows", "keyring.backends.macOS",
            "uvicorn.protocols.http.h11_impl", "phonenumbers.data.region_ES"} <= modules
    leaked = sorted(name for name in modules
                    if name.startswith(("keyrings", "phonenumbers.geodata", "PySide6.QtQml")))
    assert not leaked, f"excluded modules were bundled: {leaked[:10]}"

    megabytes = sum(path.stat().st_size for path in files) / 1e6
    print(f"\nbundle: {megabytes:.0f} MB in {len(files)} files")
    assert megabytes < SIZE_BUDGET_MB, f"the bundle grew to {megabytes:.0f} MB"


def test_version_resource_is_generated_from_the_package_version(
        frozen_build: FrozenBuild) -> None:
    metadata = load_bundle_metadata()
    version = metadata.read_version(frozen_build.source)
    generated = next((frozen_build.source / "packaging" / "build").rglob("version_info.txt"))
    text = generated.read_text(encoding="utf-8")
    ast.parse(text, mode="eval")  # PyInstaller evaluates it as a Python expression
    assert f"StringStruct('ProductVersion', '{version}')" in text
    assert f"filevers={metadata.version_tuple(version)}" in text
    assert f"Built {frozen_build.bundle}" in frozen_build.log


_KEYCHAIN_SESSION = r'''
set -euo pipefail
printf '%s' "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s' "$SAVED_TOKEN" | secret-tool store --label="Instasent Ingest Wizard: Shop" \
    service "Instasent Ingest Wizard" username Shop
exec "$@"
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Secret Service is Linux's")
def test_frozen_command_line_reads_the_token_from_a_real_keychain(
        frozen_build: FrozenBuild, tmp_path: Path, app_home: Path) -> None:
    """The frozen app's keyring finds GNOME Keyring over Secret Service (its backend and
    secretstorage/jeepney are bundled): a token stored with libsecret's own tool is read by the
    frozen command line, which imports with it."""
    from ingest_gui.core import connections
    from ingest_gui.sandbox.server import SandboxConfig, SandboxServer
    from tests.import_helpers import CONTACT_HEADERS, CONTACT_MAP, contact_rows, write_csv
    from tests.reliability.keychain_support import (
        KEYRING_PASSWORD,
        keyring_environment,
        missing_tools,
        skip_reason,
    )
    from tests.reliability.secrets_support import TOKEN, secret_hits

    if missing_tools():
        pytest.skip(skip_reason())
    path = write_csv(tmp_path / "contacts.csv", CONTACT_HEADERS,
                     contact_rows(10, invalid_every=None))
    with SandboxServer(SandboxConfig(token=TOKEN, rate_limit=None)) as sandbox:
        connections.save_connection(connections.Connection("Shop", sandbox.base_url, "demo",
                                                           "demo"))
        environment = keyring_environment(tmp_path / "home", KEYRING_PASSWORD=KEYRING_PASSWORD,
                                          SAVED_TOKEN=TOKEN)
        process = subprocess.run(
            ["dbus-run-session", "--", "bash", "-c", _KEYCHAIN_SESSION, "keychain-session",
             str(frozen_build.executable), "import", str(path), "--kind", "contacts",
             "--connection", "Shop", *CONTACT_MAP, "--json"],
            cwd=tmp_path, env=environment, capture_output=True, text=True,
            timeout=SMOKE_TIMEOUT, check=False)
        assert process.returncode == 0, process.stdout + process.stderr
        assert len(sandbox.state()["contacts"]) == 10
    assert TOKEN not in process.stdout + process.stderr
    assert secret_hits(app_home, [TOKEN]) == []
