"""The colour-free pieces both command lines print through (``admin_assistant.presentation.cliformat``)."""

from __future__ import annotations

import io
import time

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from admin_assistant.presentation import cliformat


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_when_not_on_a_terminal():
    stream = io.StringIO()
    with cliformat.Progress("archiving", stream=stream, interval=0.01):
        time.sleep(0.05)
    assert stream.getvalue() == ""


def test_progress_draws_on_a_terminal_and_wipes_its_line(monkeypatch):
    monkeypatch.delenv(cliformat.NO_PROGRESS_ENV, raising=False)
    stream = Terminal()
    with cliformat.Progress("archiving 2025-06-01..2025-06-30", stream=stream, interval=0.01):
        time.sleep(0.05)
    drawn = stream.getvalue()
    assert "\rarchiving 2025-06-01..2025-06-30 | 0.0s" in drawn
    assert drawn.endswith("\r")
    assert drawn.rsplit("\r", 2)[-2].strip() == ""  # the last thing drawn is blank


def test_progress_can_be_switched_off_on_a_terminal(monkeypatch):
    monkeypatch.setenv(cliformat.NO_PROGRESS_ENV, "1")
    stream = Terminal()
    with cliformat.Progress("archiving", stream=stream, interval=0.01):
        time.sleep(0.03)
    assert stream.getvalue() == ""


def test_table_aligns_columns_and_cuts_long_cells():
    rows = [{"id": 1, "name": "Work", "on": True}, {"id": 22, "name": "x" * 60, "on": None}]
    lines = cliformat.render_table(rows, (("id", "ID"), ("name", "NAME"), ("on", "ON")), "none").splitlines()
    assert lines[0] == "ID  NAME" + " " * 46 + "ON"
    assert lines[1].split() == ["1", "Work", "yes"]
    assert lines[2].split()[1].endswith("...") and lines[2].split()[2] == "-"


def test_empty_table_says_what_to_do():
    assert cliformat.render_table([], (("id", "ID"),), "No users yet.") == "No users yet.\n"


def test_json_keeps_record_order_and_unicode():
    assert cliformat.render_json({"b": "é", "a": 1}) == '{\n  "b": "é",\n  "a": 1\n}\n'


def test_daily_triggers_read_as_daily_times():
    assert cliformat.describe_trigger(CronTrigger(hour=7, minute=5, timezone="UTC")) == "daily 07:05 UTC"
    assert cliformat.describe_trigger(IntervalTrigger(minutes=5)) == "interval[0:05:00]"


def test_local_datetimes_default_to_the_users_timezone():
    parsed = cliformat.parse_local_datetime("2025-06-02 09:30", "Europe/London")
    assert parsed.isoformat() == "2025-06-02T09:30:00+01:00"
    assert cliformat.parse_local_datetime("2025-06-02T09:30+02:00", "UTC").utcoffset().seconds == 7200
