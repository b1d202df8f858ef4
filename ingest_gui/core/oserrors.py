"""A sentence for a file the system would not read or write, instead of its error string.

``str(OSError)`` reads ``[Errno 2] No such file or directory: '/Users/ana/x.xlsx'``: English,
technical, and the same for every language. :func:`describe_os_error` says what happened and what
to do in the user's language (translated through :mod:`ingest_gui.texts`)::

    try:
        write_error_log(path, table, messages)
    except OSError as error:
        show(describe_os_error(error, path=path, writing=True))

The kind of failure comes from the exception's class and ``errno`` (and Windows' ``winerror``
for a file another program holds open), never from its text.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ingest_gui.texts import fill, translate

# Windows: the file is open in another program (sharing and lock violations).
_WINDOWS_IN_USE = frozenset({32, 33})
# Windows: the file name or the path is too long.
_WINDOWS_TOO_LONG = frozenset({206})
_IN_USE = frozenset({errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)})
_NO_SPACE = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def describe_os_error(error: OSError, *, path: Path | str | None = None,
                      writing: bool = False) -> str:
    """A sentence naming the file, saying why it could not be read (or, with ``writing``,
    saved) and what to do. ``path`` defaults to the one the error names."""
    target = Path(path) if path is not None else (
        Path(str(error.filename)) if error.filename else None)
    name = target.name if target is not None and target.name else (
        str(target) if target is not None else "")
    folder = str(target.parent) if target is not None else ""
    code = error.errno
    winerror = getattr(error, "winerror", None)
    if winerror in _WINDOWS_IN_USE or code in _IN_USE:
        return fill(translate(
            "OSErrors", '"{file}" is in use by another program (Excel, perhaps). Close it there '
            "and try again."), file=name)
    if winerror in _WINDOWS_TOO_LONG or code == errno.ENAMETOOLONG:
        return fill(translate(
            "OSErrors", 'The name or the folder path of "{file}" is too long. Choose a shorter '
            "name, or a folder nearer the top of the disk."), file=name)
    if code in _NO_SPACE:
        return fill(translate(
            "OSErrors", 'There is not enough space on the disk to save "{file}". Free some space '
            "or choose another disk, then try again."), file=name)
    if code == errno.EROFS:
        return fill(translate(
            "OSErrors", 'The folder "{folder}" cannot be written to (the disk is read-only). '
            "Choose another folder."), folder=folder)
    if isinstance(error, PermissionError):
        if writing:
            return fill(translate(
                "OSErrors", 'This app is not allowed to save "{file}" in "{folder}". Choose '
                "another folder, such as your Documents folder."), file=name, folder=folder)
        return fill(translate(
            "OSErrors", 'This app is not allowed to open "{file}". Check the file\'s '
            "permissions, or copy it to your Documents folder and try again."), file=name)
    if isinstance(error, IsADirectoryError):
        return fill(translate("OSErrors", '"{file}" is a folder, not a file.'), file=name)
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        if writing:
            return fill(translate(
                "OSErrors", 'The folder "{folder}" does not exist (any more). Choose another '
                "folder."), folder=folder)
        return fill(translate(
            "OSErrors", '"{file}" was not found. It may have been moved, renamed or deleted.'),
            file=name)
    number = str(code if code is not None else winerror if winerror is not None else "?")
    if writing:
        return fill(translate(
            "OSErrors", '"{file}" could not be saved in "{folder}" (system error {number}). '
            "Try another folder or name."), file=name, folder=folder, number=number)
    return fill(translate(
        "OSErrors", '"{file}" could not be read (system error {number}). Check that the disk or '
        "network folder is available, then try again."), file=name, number=number)


def describe_failure(error: BaseException, *, path: Path | str | None = None,
                     writing: bool = False) -> str:
    """The sentence for ``error``: :func:`describe_os_error` for an ``OSError``, or for an error
    raised while handling one (a core message that wrapped the system's text); else its own
    message, which the core writes as a sentence."""
    for candidate in (error, error.__cause__, error.__context__):
        if isinstance(candidate, OSError):
            return describe_os_error(candidate, path=path, writing=writing)
    return str(error)


__all__ = ["describe_failure", "describe_os_error"]
