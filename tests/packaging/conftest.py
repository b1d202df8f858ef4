"""Packaging tests: the ``frozen`` marker selects the PyInstaller build (a separate CI step)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so --strict-markers accepts it until pyproject.toml lists it.
    config.addinivalue_line(
        "markers", "frozen: builds the PyInstaller app and runs its smoke test (minutes)")
