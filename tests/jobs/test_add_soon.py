"""``support.add_soon``: a job whose first run is a moment ahead runs then, however long adding it took.

APScheduler's interval trigger puts a start date that has passed by the time the job is added a whole interval on:
a test that computed ``now + 0.3 s``, wrote its rows, then added a daily job waited for a run a day away on a busy
machine (``test_interrupted_archive``: 60 s without the dying scheduler's marker, then failed).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from support import add_soon

from compat.jobs import Scheduler


@pytest.fixture
def editor(registry, jobs_database):
    scheduler = Scheduler(registry, jobs_database, kind="thread")
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown()


def test_a_start_date_passed_when_the_job_is_added_puts_the_first_run_a_period_on(editor):
    due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)
    time.sleep(0.4)  # what a busy machine takes between the two
    job = editor.add("late", "count", IntervalTrigger(days=1, start_date=due))
    assert abs(job.next_run_time - (due + dt.timedelta(days=1))) < dt.timedelta(milliseconds=1)


def test_add_soon_gives_the_first_run_ahead_even_when_adding_is_slow(editor, monkeypatch):
    add, slowed = Scheduler.add, []

    def slow_add(self, *args, **kwargs):
        if not slowed:
            slowed.append(True)
            time.sleep(0.4)
        return add(self, *args, **kwargs)

    monkeypatch.setattr(Scheduler, "add", slow_add)
    due = add_soon(editor, ("soon", "count"), every=dt.timedelta(days=1))
    assert slowed
    assert due - dt.datetime.now(dt.UTC) < dt.timedelta(seconds=1)
    assert abs(editor.job("soon").next_run_time - due) < dt.timedelta(milliseconds=1)


def test_jobs_added_together_share_their_first_run_however_slow_each_add(editor, monkeypatch):
    add = Scheduler.add

    def slow_add(self, *args, **kwargs):
        time.sleep(0.1)  # five adds: longer than the first 0.3 s ahead, shorter than the next 0.6 s
        return add(self, *args, **kwargs)

    monkeypatch.setattr(Scheduler, "add", slow_add)
    due = add_soon(editor, *[(f"count-{i}", "count") for i in range(5)], every=dt.timedelta(hours=1))
    assert due - dt.datetime.now(dt.UTC) < dt.timedelta(seconds=2)
    runs = [editor.job(f"count-{i}").next_run_time for i in range(5)]
    assert all(abs(run - due) < dt.timedelta(milliseconds=1) for run in runs)
