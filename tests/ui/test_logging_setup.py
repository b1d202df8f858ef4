"""The rotating log never holds a registered secret."""

from __future__ import annotations

import logging

import pytest

from ingest_gui import paths
from ingest_gui.ui import logging_setup

TOKEN = "tok_live_8f2a9c41d7"


@pytest.fixture
def log_file():
    path = logging_setup.setup_logging(logging.DEBUG, to_stderr=False)
    yield path
    logging_setup.shutdown_logging()


def test_the_log_lives_in_the_user_log_dir(log_file):
    assert log_file.parent == paths.log_dir()


def test_secrets_are_redacted_from_messages_args_and_tracebacks(log_file):
    logging_setup.register_secret(TOKEN)
    log = logging.getLogger("ingest_gui.test")
    log.info("token is %s", TOKEN)
    log.warning(f"inline {TOKEN} too")
    try:
        raise RuntimeError(f"failed with Authorization: Bearer {TOKEN}")
    except RuntimeError:
        log.exception("request failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert TOKEN not in text
    assert "token is [REDACTED]" in text
    assert "inline [REDACTED] too" in text
    assert "Bearer [REDACTED]" in text


def test_other_handlers_see_redacted_records_too(log_file, caplog):
    logging_setup.register_secret(TOKEN)
    with caplog.at_level(logging.INFO):
        logging.getLogger("ingest_gui.test").info("sending %s", TOKEN)
    assert TOKEN not in caplog.text
    assert "[REDACTED]" in caplog.text


def test_blank_and_short_values_are_not_treated_as_secrets():
    logging_setup.register_secret("")
    logging_setup.register_secret(None)
    logging_setup.register_secret("ab")
    assert logging_setup.redact("ab cd") == "ab cd"


def test_setting_up_twice_keeps_one_file_handler(log_file):
    logging_setup.setup_logging(logging.DEBUG, to_stderr=False)
    ours = [h for h in logging.getLogger().handlers
            if getattr(h, "baseFilename", None) == str(log_file)]
    assert len(ours) == 1
