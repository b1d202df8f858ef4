"""Issue 19, item 3: the frozen app carries its platform's pieces.

The spec is executed as PyInstaller would run it for each target platform (``sys.platform``
forced), with the build steps (Analysis, EXE, ...) recorded instead of run, and the lists it
hands to the Analysis are checked:

- the keychain backend of the platform, with every dependency keyring declares for it
  (read from keyring's own metadata, markers evaluated for that platform);
- nothing the keychain needs is excluded, plain-text keyrings are;
- the Qt modules the app imports are kept, PyInstaller's Qt hooks collect the plugin types the
  app needs with them (platforms, styles, image formats, icon engines), and the spec's own
  filters keep every platform's plugins (qwindows, qcocoa, qxcb, qwayland, qsvg, qico);
- on the machine running the test, the installed PySide6 has that platform's plugins (this
  runs on Linux in CI, and on Windows and macOS in the release workflow before the build).
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

from tests.packaging.helpers import ROOT

SPEC = ROOT / "packaging" / "ingest_gui.spec"
PLATFORMS = ("win32", "darwin", "linux")

#: The keychain backend keyring must find on each platform (ingest_gui.ui.smoke checks the
#: frozen app finds the same), with what the spec must list for it to load.
KEYCHAIN = {
    "win32": ["keyring.backends.Windows", "win32ctypes.pywin32.win32cred",
              "win32ctypes.pywin32.pywintypes", "win32ctypes.core", "win32ctypes.core.ctypes"],
    "darwin": ["keyring.backends.macOS", "keyring.backends.macOS.api"],
    "linux": ["keyring.backends.SecretService", "secretstorage", "jeepney",
              "jeepney.io.blocking"],
}
#: Packages whose submodules the spec must collect (imported by name at run time).
COLLECTED = {"win32": {"win32ctypes.core.ctypes", "win32ctypes.core.cffi"}}
#: Distribution name -> import name, for keyring's platform dependencies.
IMPORT_NAMES = {"pywin32-ctypes": "win32ctypes", "secretstorage": "secretstorage",
                "jeepney": "jeepney"}
#: Qt plugins each platform's window needs, as paths inside PySide6's plugins folder.
PLATFORM_PLUGINS = {
    "win32": ["platforms/qwindows.dll", "styles/qmodernwindowsstyle.dll",
              "imageformats/qsvg.dll", "imageformats/qico.dll", "iconengines/qsvgicon.dll"],
    "darwin": ["platforms/libqcocoa.dylib", "styles/libqmacstyle.dylib",
               "imageformats/libqsvg.dylib", "imageformats/libqicns.dylib",
               "iconengines/libqsvgicon.dylib"],
    "linux": ["platforms/libqxcb.so", "platforms/libqwayland.so", "imageformats/libqsvg.so",
              "imageformats/libqico.so", "iconengines/libqsvgicon.so"],
}
#: Plugin types the app needs: a window system, the platform's style, the SVG window icon.
NEEDED_PLUGIN_TYPES = {"platforms", "styles", "imageformats", "iconengines"}


@dataclass
class Analysis:
    """Stands in for PyInstaller's Analysis: keeps its arguments, holds sample plugin files."""

    scripts_: list[str]
    kwargs: dict[str, Any]
    binaries: list[tuple[str, str, str]] = field(default_factory=list)
    datas: list[tuple[str, str, str]] = field(default_factory=list)
    pure: list[Any] = field(default_factory=list)
    scripts: list[Any] = field(default_factory=list)


@dataclass
class SpecRun:
    platform: str
    analysis: Analysis
    collected: set[str]
    exe: dict[str, Any]
    bundled: bool

    @property
    def hiddenimports(self) -> list[str]:
        return list(self.analysis.kwargs["hiddenimports"])

    @property
    def excludes(self) -> list[str]:
        return list(self.analysis.kwargs["excludes"])


def _plugin_entry(platform: str, plugin: str) -> tuple[str, str, str]:
    folder = "PySide6" if platform == "win32" else "PySide6/Qt"
    return (f"{folder}/plugins/{plugin}", f"/site-packages/{folder}/plugins/{plugin}", "BINARY")


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> SpecRun:
    import PyInstaller.utils.hooks as hooks
    from PyInstaller.config import CONF

    collected: set[str] = set()

    def collect_submodules(package: str, *args: Any, **kwargs: Any) -> list[str]:
        # The packages of other platforms are not installed here: record the request.
        collected.add(package)
        return []

    analyses: list[Analysis] = []
    built: dict[str, Any] = {"exe": {}, "bundled": False}

    def analysis(scripts: list[str], **kwargs: Any) -> Analysis:
        result = Analysis(scripts, kwargs)
        # What PyInstaller's Qt hooks would collect on that platform, and libraries the
        # spec's filters are meant to drop.
        result.binaries = [_plugin_entry(platform, plugin)
                           for plugin in PLATFORM_PLUGINS[platform]]
        result.binaries.append(("pyarrow/libarrow_flight.so.2000", "/x", "BINARY"))
        result.datas = [("resources/translations/ingest_gui_es.ts", "/x", "DATA"),
                        ("resources/translations/ingest_gui_es.qm", "/x", "DATA")]
        analyses.append(result)
        return result

    def exe(*args: Any, **kwargs: Any) -> str:
        built["exe"] = kwargs
        return "exe"

    def bundle(*args: Any, **kwargs: Any) -> None:
        built["bundled"] = True

    monkeypatch.setattr(hooks, "collect_submodules", collect_submodules)
    monkeypatch.setitem(CONF, "workpath", str(tmp_path))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "platform", platform)
    namespace: dict[str, Any] = {
        "__name__": "__main__", "SPECPATH": str(SPEC.parent), "Analysis": analysis,
        "PYZ": lambda *args, **kwargs: "pyz", "EXE": exe,
        "COLLECT": lambda *args, **kwargs: "coll", "BUNDLE": bundle,
    }
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.modules.pop("bundle_metadata", None)
    (analysis_run,) = analyses
    return SpecRun(platform, analysis_run, collected, built["exe"], built["bundled"])


@pytest.fixture(params=PLATFORMS)
def spec_run(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
             tmp_path: Path) -> SpecRun:
    return run_spec(request.param, monkeypatch, tmp_path)


def _covered(module: str, listed: list[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in listed)


def test_each_platform_lists_its_keychain_backend_and_its_dependencies(spec_run: SpecRun):
    hidden = spec_run.hiddenimports
    missing = [module for module in KEYCHAIN[spec_run.platform] if module not in hidden]
    assert not missing, f"{spec_run.platform}: the spec does not list {missing}"
    assert COLLECTED.get(spec_run.platform, set()) <= spec_run.collected
    assert "keyring.backends.chainer" in hidden
    # Every dependency keyring declares for this platform (pywin32-ctypes on Windows,
    # SecretStorage and jeepney on Linux) is listed.
    environment = {"sys_platform": spec_run.platform, "platform_system": {
        "win32": "Windows", "darwin": "Darwin", "linux": "Linux"}[spec_run.platform]}
    for text in importlib.metadata.requires("keyring") or []:
        requirement = Requirement(text)
        marker: Marker | None = requirement.marker
        if marker is None or "sys_platform" not in str(marker) or "extra" in str(marker):
            continue
        if marker.evaluate(environment):
            name = IMPORT_NAMES[requirement.name.lower()]
            assert any(module == name or module.startswith(name + ".") for module in hidden), (
                f"{spec_run.platform}: keyring needs {requirement.name}")
    # ... and another platform's backend pieces are not dragged in where they cannot load.
    for other, modules in KEYCHAIN.items():
        if other != spec_run.platform:
            assert not any(m.startswith(("win32ctypes", "secretstorage", "jeepney"))
                           and m in hidden for m in modules)
    # keyring finds backends through entry points: its metadata must be in the bundle.
    assert any("keyring" in str(source) and "dist-info" in str(source)
               for source, _target in spec_run.analysis.kwargs["datas"])


def test_nothing_the_keychain_needs_is_excluded(spec_run: SpecRun):
    excludes = spec_run.excludes
    for module in (*KEYCHAIN[spec_run.platform], "keyring", "cryptography"):
        assert not _covered(module, excludes), f"{module} is excluded"
    assert "keyrings.alt" in excludes  # plain-text password files: never


def test_the_listed_keyring_modules_exist_in_the_installed_keyring(spec_run: SpecRun):
    """A renamed backend module would otherwise only fail in the frozen app."""
    for module in spec_run.hiddenimports:
        if module.startswith("keyring."):
            assert importlib.util.find_spec(module) is not None, module


def _qt_modules_the_app_imports() -> set[str]:
    found = set()
    for source in (ROOT / "ingest_gui").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [])
            found.update(name.split(".")[1] for name in names
                         if name.startswith("PySide6.Qt"))
    return found


def test_the_qt_modules_the_app_uses_are_kept_with_their_plugin_types(spec_run: SpecRun):
    from PyInstaller.utils.hooks.qt._modules_info import QT_MODULES_INFO

    used = _qt_modules_the_app_imports() | {"QtSvg"}  # QtSvg: listed for the SVG icon
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    for module in used:
        assert f"PySide6.{module}" not in spec_run.excludes, module
    assert "PySide6.QtSvg" in spec_run.hiddenimports
    plugin_types = {plugin for info in QT_MODULES_INFO if info.module in used
                    for plugin in info.plugins}
    assert plugin_types >= NEEDED_PLUGIN_TYPES


def test_the_specs_filters_keep_every_platform_plugin(spec_run: SpecRun):
    kept = {entry[0] for entry in spec_run.analysis.binaries}
    for plugin in PLATFORM_PLUGINS[spec_run.platform]:
        assert _plugin_entry(spec_run.platform, plugin)[0] in kept, plugin
    assert not any("arrow_flight" in name for name in kept)  # the filter does run
    assert [entry[0] for entry in spec_run.analysis.datas] == [
        "resources/translations/ingest_gui_es.qm"]


def test_each_platform_gets_its_icon_and_window_kind(spec_run: SpecRun):
    icon = Path(spec_run.exe["icon"])
    assert icon.exists()
    assert icon.suffix == (".icns" if spec_run.platform == "darwin" else ".ico")
    assert spec_run.exe["console"] is (spec_run.platform == "linux")
    assert spec_run.bundled is (spec_run.platform == "darwin")
    assert (spec_run.exe["version"] is not None) is (spec_run.platform == "win32")


def _current_platform() -> str:
    return next(name for name in PLATFORMS if sys.platform.startswith(name))


def test_the_installed_pyside6_has_this_platforms_plugins():
    """Runs for real on each platform that runs the suite: Linux in CI, Windows and macOS in
    the release workflow, right before their build."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    assert plugins.is_dir(), plugins
    assert Path(PySide6.__file__).parent in plugins.parents
    missing = [plugin for plugin in PLATFORM_PLUGINS[_current_platform()]
               if not (plugins / plugin).exists()]
    assert not missing, f"PySide6 {PySide6.__version__} lacks {missing} in {plugins}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's keychain backend")
def test_the_linux_keychain_dependencies_are_installed_here():
    for module in KEYCHAIN["linux"]:
        assert importlib.util.find_spec(module) is not None, module
    assert re.match(r"\d+", importlib.metadata.version("SecretStorage"))
