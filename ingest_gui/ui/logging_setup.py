"""The app's log: a rotating file in the user log directory, with every known secret redacted.

Secrets (API tokens) are registered with :func:`register_secret` as soon as the user types or
loads them. Once :func:`setup_logging` ran, a log-record factory replaces them in every record's
message as it is created (so no handler, ours or another's, sees them), and
:class:`SecretRedactor` on our handlers also cleans traceback and stack text.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest_gui import paths

LOG_FILE_NAME = "ingest-gui.log"
REDACTED = "[REDACTED]"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5
#: Shorter strings would redact ordinary words; real tokens are far longer.
_MIN_SECRET_LENGTH = 6

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_installed: list[logging.Handler] = []


def register_secret(secret: str | None) -> None:
    """Redact ``secret`` from every later log record (idempotent; blank values are ignored)."""
    if secret is None:
        return
    secret = secret.strip()
    if len(secret) < _MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        _secrets.add(secret)


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]``."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class SecretRedactor(logging.Filter):
    """Rewrites each record so no registered secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_base_factory: Callable[..., logging.LogRecord] | None = None


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Redact at creation, so even handlers installed by others never see a secret."""
    assert _base_factory is not None
    record = _base_factory(*args, **kwargs)
    if _secrets:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it, as logging always does
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
    return record


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log and its rotations readable by the user only (they name customers' files
    and rows)."""

    def _open(self) -> Any:
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=paths.private_opener)


def log_file_path() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO, *, to_stderr: bool = True) -> Path:
    """Install the rotating file handler (and a stderr one) on the root logger; return the file.

    Calling it again replaces the handlers it installed before.
    """
    shutdown_logging()
    path = log_file_path()
    formatter = logging.Formatter(
        "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s")
    if path.exists():  # written by an older version, with the default permissions
        paths.create_private_file(path)
    file_handler = _PrivateRotatingFileHandler(
        path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if to_stderr and sys.stderr is not None:  # pythonw / frozen GUI apps have no stderr
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setLevel(logging.WARNING)
        handlers.append(stderr_handler)
    global _base_factory
    if _base_factory is None:
        _base_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_factory)
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(SecretRedactor())
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; useful, but keep the log readable.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed."""
    global _base_factory
    if _base_factory is not None:
        logging.setLogRecordFactory(_base_factory)
        _base_factory = None
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
