"""Making a file or folder that cannot be written, like a workbook open in Excel on Windows.

As a normal user, read-only permissions do it. As root (CI containers), permissions do not
apply, so the file or folder is made immutable with ``chattr +i`` instead (ext4, xfs, btrfs).
Either way the result is checked by trying to write; where neither works, the caller is told why
so the test can skip saying so.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _writable(path: Path) -> bool:
    probe = path / ".probe" if path.is_dir() else path
    try:
        if path.is_dir():
            probe.write_bytes(b"")
            probe.unlink()
        else:
            with probe.open("ab"):
                pass
    except OSError:
        return False
    return True


class CannotProtect(Exception):
    """This machine cannot make a file unwritable for the current user."""


@contextmanager
def unwritable(path: Path) -> Iterator[Path]:
    """``path`` (a file or a folder) cannot be written inside the block; restored after."""
    immutable = _ROOT and shutil.which("chattr") is not None
    before = stat.S_IMODE(path.stat().st_mode)
    if immutable:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise CannotProtect(f"chattr +i failed: {done.stderr.strip()}")
    else:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        if _writable(path):
            raise CannotProtect(
                "running as root without chattr support, so nothing can be made read-only")
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(before)
