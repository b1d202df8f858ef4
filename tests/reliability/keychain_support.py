"""A real Secret Service keychain for tests: GNOME Keyring in its own D-Bus session, under a
fake home so nothing touches the user's own keyrings."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

TOOLS = ("dbus-run-session", "gnome-keyring-daemon", "secret-tool")
#: Where each tool comes from on Debian (``.ci/run`` installs them).
DEBIAN_PACKAGES = "dbus-daemon (or dbus on older releases), gnome-keyring, libsecret-tools"
#: The login keyring's password in every test keyring.
KEYRING_PASSWORD = "keyring-password-for-tests"


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if importlib.util.find_spec("secretstorage") is None:
        missing.append("the secretstorage Python package")
    return missing


def skip_reason() -> str:
    return (f"no real Secret Service keychain to test against: {', '.join(missing_tools())} "
            f"not found (Debian packages: {DEBIAN_PACKAGES})")


def keyring_environment(fake_home: Path, **extra: str) -> dict[str, str]:
    """This process's environment for a child in its own D-Bus session, with the keyring
    daemon's files under ``fake_home``."""
    runtime = fake_home / "run"
    runtime.mkdir(parents=True, mode=0o700, exist_ok=True)
    environment = {
        name: value for name, value in os.environ.items()
        # No display: a locked keyring's unlock prompt must fail, not wait for a person.
        # No bus or keyring choice from outside: dbus-run-session and keyring pick their own.
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                        "PYTHON_KEYRING_BACKEND", "GNOME_KEYRING_CONTROL")
    }
    environment.update({
        "HOME": str(fake_home),
        "XDG_DATA_HOME": str(fake_home / "data"),  # the keyring daemon's keyrings/
        "XDG_CONFIG_HOME": str(fake_home / "config"),
        "XDG_CACHE_HOME": str(fake_home / "cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    })
    return environment
