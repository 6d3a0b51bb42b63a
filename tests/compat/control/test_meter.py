"""The served meter: every call in the window counted, whatever the rate, and old seconds left out."""

from __future__ import annotations

from compat.control import meter as meter_module
from compat.control.meter import Figures, ServedMeter


def test_every_call_in_the_window_counts_however_many_there_are():
    meter = ServedMeter()
    for n in range(25_000):  # more than a per-call log could keep
        meter.count("repositories.people", n % 5 == 0)
    assert meter.figures("repositories", 60) == Figures(25_000, 5_000)


def test_seconds_older_than_the_window_are_left_out(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(meter_module.time, "monotonic", lambda: now[0])
    meter = ServedMeter()
    meter.count("people", True)
    now[0] = 1030.5
    meter.count("people", False)
    meter.count("people", False)
    assert meter.figures("people", 60) == Figures(3, 1)
    assert meter.figures("people", 10) == Figures(2, 0)
