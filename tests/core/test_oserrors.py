"""A system file error told as a sentence: what happened to which file and what to do."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from ingest_gui.core.oserrors import describe_failure, describe_os_error

PATH = Path("/Users/ana/Exports/clientes.xlsx")


def windows_error(winerror: int) -> OSError:
    error = OSError(errno.EACCES, "The process cannot access the file", str(PATH))
    error.winerror = winerror  # type: ignore[attr-defined]  # (set by Windows itself)
    return error


@pytest.mark.parametrize(("error", "writing", "expected"), [
    (FileNotFoundError(errno.ENOENT, "No such file or directory", str(PATH)), False,
     '"clientes.xlsx" was not found.'),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", str(PATH)), True,
     'The folder "/Users/ana/Exports" does not exist'),
    (PermissionError(errno.EACCES, "Permission denied", str(PATH)), False,
     'This app is not allowed to open "clientes.xlsx".'),
    (PermissionError(errno.EACCES, "Permission denied", str(PATH)), True,
     'This app is not allowed to save "clientes.xlsx" in "/Users/ana/Exports".'),
    (OSError(errno.ENOSPC, "No space left on device", str(PATH)), True,
     'There is not enough space on the disk to save "clientes.xlsx".'),
    (OSError(errno.EBUSY, "Device or resource busy", str(PATH)), True,
     '"clientes.xlsx" is in use by another program'),
    (windows_error(32), True, '"clientes.xlsx" is in use by another program'),
    (OSError(errno.ENAMETOOLONG, "File name too long", str(PATH)), True,
     'The name or the folder path of "clientes.xlsx" is too long.'),
    (OSError(errno.EROFS, "Read-only file system", str(PATH)), True,
     'The folder "/Users/ana/Exports" cannot be written to (the disk is read-only).'),
    (IsADirectoryError(errno.EISDIR, "Is a directory", str(PATH)), False,
     '"clientes.xlsx" is a folder, not a file.'),
    (OSError(errno.EIO, "Input/output error", str(PATH)), False,
     '"clientes.xlsx" could not be read (system error 5).'),
    (OSError(errno.EIO, "Input/output error", str(PATH)), True,
     '"clientes.xlsx" could not be saved in "/Users/ana/Exports" (system error 5).'),
])
def test_each_kind_of_failure_is_a_sentence_without_the_system_text(error, writing, expected):
    sentence = describe_os_error(error, writing=writing)
    assert sentence.startswith(expected)
    assert "Errno" not in sentence
    assert error.strerror not in sentence
    assert sentence.endswith(".")


def test_the_given_path_names_the_file_when_the_error_does_not():
    sentence = describe_os_error(PermissionError(errno.EACCES, "Permission denied"),
                                 path=PATH, writing=True)
    assert '"clientes.xlsx"' in sentence


def test_a_core_message_wrapping_a_system_error_is_told_from_that_error():
    try:
        try:
            raise PermissionError(errno.EACCES, "Permission denied", str(PATH))
        except OSError as error:
            raise ValueError(f"The template cannot be read ({error}).") from None
    except ValueError as wrapped:
        sentence = describe_failure(wrapped, path=PATH)
    assert sentence.startswith('This app is not allowed to open "clientes.xlsx"')
    assert describe_failure(ValueError("Not a template.")) == "Not a template."
