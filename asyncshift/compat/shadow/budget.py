"""The time checking may take: at most a share of the wall-clock time, so that checks never cost
the served path more than the operator allowed (``shadow.max_share``)."""

from __future__ import annotations

import threading

BUDGET_WINDOW = 10.0  # seconds of idle time whose share of checking time may be spent at once


class ShareBudget:
    """An allowance of checking time that ``share`` of every second earns, up to ``BUDGET_WINDOW``
    seconds' worth; a check is admitted while the allowance is not spent.

    Checks are measured from start to end, waits included, so the bound errs on the safe side.
    Idle time builds up at most ``BUDGET_WINDOW`` seconds' worth, and the debt one long check
    leaves is bounded alike, so the checks after it wait at most that long. Times are the
    caller's clock readings (``now``)."""

    def __init__(self) -> None:
        self.allowance = 0.0
        self.typical = 0.01  # seconds a check takes (moving average), paid when a call is admitted
        self._accrued_at: float | None = None
        self._lock = threading.Lock()

    def admit(self, share: float, now: float) -> bool:
        """Admit a check if the allowance is not spent, paying its typical cost now: a call may be
        admitted long before its check starts (a web replay starts once the answer is sent), and
        a burst of admissions must not all see the same unspent allowance."""
        with self._lock:
            self._accrue(share, now)
            if self.allowance < 0:
                return False
            self.allowance -= self.typical
            return True

    def charge(self, seconds: float, charged: float, share: float | None, now: float) -> None:
        """What a check cost beyond the ``charged`` estimate its admission paid."""
        with self._lock:
            self.typical += (seconds - self.typical) / 8
            if share is None or share >= 1.0:
                return
            self._accrue(share, now)
            self.allowance = max(self.allowance - (seconds - charged), -share * BUDGET_WINDOW)

    def _accrue(self, share: float, now: float) -> None:
        """Idle or busy, time earns checks its share, up to ``BUDGET_WINDOW`` seconds' worth."""
        since = now - self._accrued_at if self._accrued_at is not None else 0.0
        self.allowance = min(self.allowance + since * share, share * BUDGET_WINDOW)
        self._accrued_at = now
