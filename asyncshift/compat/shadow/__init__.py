"""Side-by-side checks: the served side's answer is kept, the checking side runs off the caller's
path, the two are normalised and compared, and every check is recorded.

Like GitHub Scientist (exceptions recorded, timings; the records keep its column names, control_*
for the served side and candidate_* for the checking side), but the checking side never delays or
changes the caller's answer: it runs in the background, sampled, bounded in flight and under a
timeout, on either colour.

The rooms, in the order a check goes through them: ``snapshots`` (the served answer, kept),
``outcome`` (what one side did), ``normal_form`` and ``comparison`` (judged), ``recorders`` (kept),
``checker`` with its ``budget`` (when and where the checking side runs); ``orm`` reads mapped
objects for the others without ever loading them.
"""

from compat.shadow.budget import BUDGET_WINDOW, ShareBudget
from compat.shadow.checker import DROP_LOG_INTERVAL, Checker, CheckSettings
from compat.shadow.comparison import MAX_DIFF_LINES, MAX_VALUE_CHARS, Comparison, compare, differences, field_path
from compat.shadow.normal_form import normalise
from compat.shadow.orm import orm_state
from compat.shadow.outcome import Outcome, timed_await, timed_call
from compat.shadow.recorders import MemoryRecorder, Recorder, SqlRecorder, shadow_metadata, shadow_results
from compat.shadow.snapshots import snapshot

__all__ = [
    "BUDGET_WINDOW",
    "DROP_LOG_INTERVAL",
    "MAX_DIFF_LINES",
    "MAX_VALUE_CHARS",
    "CheckSettings",
    "Checker",
    "Comparison",
    "MemoryRecorder",
    "Outcome",
    "Recorder",
    "ShareBudget",
    "SqlRecorder",
    "compare",
    "differences",
    "field_path",
    "normalise",
    "orm_state",
    "shadow_metadata",
    "shadow_results",
    "snapshot",
    "timed_await",
    "timed_call",
]
