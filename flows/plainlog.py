"""Our own errors in Prefect's log as the one line they are, not a traceback.

A `BriefwatchError` (a store that cannot be used, a config that is wrong) already says what
failed, where, and what to do, in one line: the CLI prints it and exits 2. Raised in a flow or
a task, Prefect logs it with its traceback ("Encountered exception during execution", "Task
run failed with exception"), to the terminal and to the run's log in the UI, which buries that
line under forty of ours. `install` puts a filter on Prefect's run loggers that keeps the
record (the run still fails, with the error as its state's message) and drops its traceback:
a bug (any other exception) keeps its traceback, which is what it is for.
"""

from __future__ import annotations

import logging

from briefwatch.errors import BriefwatchError

RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class OneLine(logging.Filter):
    """A record carrying a `BriefwatchError` becomes that error's line, without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, BriefwatchError):
            kind = "flow run" if record.name == "prefect.flow_runs" else "task run"
            record.msg, record.args = "%s stopped: %s", (kind, exc)
            record.exc_info, record.exc_text = None, None
        return True


def install() -> None:
    """Add the filter to Prefect's run loggers, once (Prefect's own logging setup keeps it)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLine) for f in logger.filters):
            logger.addFilter(OneLine())
