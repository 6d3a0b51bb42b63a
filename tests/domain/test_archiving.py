"""Archive decisions, colour-free: keys, copies, overlaps, and how a run is closed."""

from __future__ import annotations

import datetime as dt

from admin_assistant.domain.archiving import RunCounts, archive_key, failed, overlapping, plan_copies, succeeded
from admin_assistant.domain.models import Appointment, RunStatus, ShowAs

UTC = dt.UTC


def appt(id: int, start_hour: float, end_hour: float, **fields) -> Appointment:
    day = dt.datetime(2025, 6, 2, tzinfo=UTC)
    a = Appointment(
        calendar_id=1,
        start=day + dt.timedelta(hours=start_hour),
        end=day + dt.timedelta(hours=end_hour),
        subject=f"a{id}",
        **fields,
    )
    a.id = id
    return a


def test_archive_key_is_the_external_id_or_the_source_id():
    assert archive_key(appt(5, 9, 10, external_id="evt-1")) == "evt-1"
    assert archive_key(appt(5, 9, 10)) == "aa:5"


def test_a_copy_keeps_the_content_and_is_marked_archived():
    source = appt(5, 9, 10, categories=["X"], location="Room", payload={"k": 1})
    copy = archive_copy_of(source)
    assert (copy.calendar_id, copy.external_id, copy.archived) == (9, "aa:5", True)
    assert (copy.start, copy.end, copy.subject, copy.location, copy.categories, copy.payload) == (
        source.start,
        source.end,
        "a5",
        "Room",
        ["X"],
        {"k": 1},
    )
    assert copy.categories is not source.categories


def archive_copy_of(source: Appointment) -> Appointment:
    (copy,) = plan_copies([source], set(), 9).copies
    return copy


def test_overlapping_finds_every_appointment_that_meets_another():
    items = [appt(1, 9, 10), appt(2, 9.5, 11), appt(3, 11, 12), appt(4, 13, 18), appt(5, 14, 15), appt(6, 16, 17)]
    assert {items[i].id for i in overlapping(items)} == {1, 2, 4, 5, 6}


def test_back_to_back_appointments_do_not_overlap():
    assert overlapping([appt(1, 9, 10), appt(2, 10, 11)]) == set()


def test_a_free_appointment_overlaps_nothing():
    assert overlapping([appt(1, 9, 17, show_as=ShowAs.FREE), appt(2, 10, 11)]) == set()


def test_plan_copies_skips_what_is_archived_already():
    sources = [appt(1, 9, 10, external_id="e1"), appt(2, 9.5, 10.5), appt(3, 12, 13)]
    plan = plan_copies(sources, {"e1"}, archive_calendar_id=9)
    assert [c.external_id for c in plan.copies] == ["aa:2", "aa:3"]
    assert plan.counts(removed=4) == RunCounts(copied=2, skipped=1, overlaps=2, removed=4)


def test_closing_a_run():
    ok = succeeded(RunCounts(1, 2, 3, 4))
    assert (ok["status"], ok["copied"], ok["skipped"], ok["overlaps"], ok["removed"], ok["error"]) == (
        RunStatus.SUCCEEDED,
        1,
        2,
        3,
        4,
        None,
    )
    bad = failed(RuntimeError("disk full"))
    assert (bad["status"], bad["error"], bad["copied"]) == (RunStatus.FAILED, "RuntimeError: disk full", 0)
    assert bad["finished_at"].tzinfo is not None
