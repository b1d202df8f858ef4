"""``deliver_events``: the app's one way to process pending events, safe to call in a loop."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QTimer

from ingest_gui.ui.widgets.common import deliver_events


def test_delivers_queued_events(qapp: object) -> None:
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    deliver_events()
    assert fired == [True]


def test_does_not_drain_references_to_none(qapp: object) -> None:
    # PySide6 6.12's static QCoreApplication.processEvents takes one reference from None per
    # call; Python 3.11 aborts when None's count reaches zero. Our wrapper must not.
    before = sys.getrefcount(None)
    for _ in range(500):
        deliver_events(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents, 1)
    assert sys.getrefcount(None) >= before - 50
