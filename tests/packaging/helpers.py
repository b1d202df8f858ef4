"""Import the packaging scripts (packaging/ is not a package) for the tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_packaging_module(name: str) -> ModuleType:
    """``packaging/<name>.py`` as a module (the folder is not on sys.path)."""
    spec = importlib.util.spec_from_file_location(
        f"_packaging_{name}", ROOT / "packaging" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_bundle_metadata() -> ModuleType:
    return load_packaging_module("bundle_metadata")
