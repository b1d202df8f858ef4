"""How pages that run the import workflow in a PageTask describe its failures."""

from __future__ import annotations

from ingest_gui.ui.workers import describe_error


def describe_workflow_error(error: BaseException) -> str:
    """The workflow's refusals are sentences for the user (a snapshot whose reads failed, an
    undo refused); anything else is described as every task describes it."""
    # Deferred: the workflow pulls in the data stack, kept off the path to the first window.
    from ingest_gui.core.workflow import WorkflowError

    return str(error) if isinstance(error, WorkflowError) else describe_error(error)
