"""Helpers for testing with qbbridge's server side (plugin authors' tests and our own).

Rule: nothing here is used by the running service; it only stands in for what a test must control.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class ManualClock:
    """The server's clock for tests: pass it as ``build_app(..., clock=clock)``.

    Every reading moves it on by a millisecond (so successive events keep their order); ``advance``
    moves it further, e.g. past ``update_timeout_seconds`` to let a new update take over a silent one.
    It never reads the wall clock.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
        if self.now.tzinfo is None:
            raise ValueError("ManualClock needs an aware start time")

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
