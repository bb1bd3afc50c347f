"""Clocks for the simulators.

Rule: nothing in mockqb reads the wall clock directly. QuickBooks timestamps, ListIDs, EditSequences and
the Web Connector's pauses all come from a clock object handed in, so a test that injects
``SimulatedClock`` gets the same company file on every run.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol

#: The offset QuickBooks writes into TimeCreated/TimeModified; a fixed zone keeps output reproducible.
DEFAULT_TZ = dt.timezone(dt.timedelta(hours=-8))


class Clock(Protocol):
    """What the simulators need from time: the current moment and a way to wait."""

    def now(self) -> dt.datetime:
        """An aware datetime."""

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass."""


class SimulatedClock:
    """A clock that only moves when told to: ``sleep`` advances it instantly."""

    def __init__(self, start: dt.datetime | None = None, *, tick: float = 1.0) -> None:
        self._now = start or dt.datetime(2026, 11, 20, 9, 0, 0, tzinfo=DEFAULT_TZ)
        if self._now.tzinfo is None:
            raise ValueError("SimulatedClock needs an aware start time")
        self._tick = dt.timedelta(seconds=tick)

    def now(self) -> dt.datetime:
        """Return the current simulated time, then move it forward by one tick.

        The tick makes successive modifications get distinct timestamps, as they would in QuickBooks.
        """
        current = self._now
        self._now += self._tick
        return current

    def sleep(self, seconds: float) -> None:
        self._now += dt.timedelta(seconds=seconds)


class SystemClock:
    """The real clock, in the local zone of this machine."""

    def now(self) -> dt.datetime:
        return dt.datetime.now().astimezone().replace(microsecond=0)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
