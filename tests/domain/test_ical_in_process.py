"""A bounded read decides what it can before forking (issue 16): a file whose recurring events all
have plain rules is refused at once past the bounds, or read where the import runs when cheap;
only a file whose cost cannot be told first pays for a child process (about 60 ms)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from admin_assistant.domain import ical
from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.ical import read_events, read_events_bounded

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
JUNE = (dt.datetime(2025, 6, 1, tzinfo=UTC), dt.datetime(2025, 7, 1, tzinfo=UTC))
SINGLE = "UID:one@x\nDTSTART:20250602T090000Z\nDTEND:20250602T100000Z\nSUMMARY:One"
WEEKLY = "UID:w@x\nDTSTART:20250602T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY"
ENDLESS = "UID:endless@x\nDTSTART:20250602T090000Z\nDURATION:PT10M\nRRULE:FREQ=MINUTELY"


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n".replace("\n", "\r\n").encode()


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reads sent to a child process (and run here instead, so the test is quick)."""
    sent: list[str] = []

    def isolated(function, *args, seconds, memory):  # type: ignore[no-untyped-def]
        sent.append(function.__name__)
        return function(*args)

    monkeypatch.setattr(ical, "run_isolated", isolated)
    return sent


@pytest.mark.parametrize("events", [[SINGLE], [SINGLE, WEEKLY], [WEEKLY.replace("WEEKLY", "DAILY;COUNT=10")]])
def test_a_file_of_single_events_and_plain_rules_is_read_without_a_child(events: list[str], forks: list[str]) -> None:
    data = ics(*events)
    assert read_events_bounded(data, PARIS, JUNE) == read_events(data, PARIS, JUNE)
    assert forks == []


def test_an_endless_plain_rule_is_refused_without_a_child(forks: list[str]) -> None:
    with pytest.raises(Invalid, match=r"'endless@x' has more than 5,000 occurrences"):
        read_events_bounded(ics(SINGLE, ENDLESS), PARIS, JUNE)
    assert forks == []


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=MO,WE",  # a BY-part: dateutil may search for years without yielding
        "FREQ=MONTHLY",  # no fixed period
        "FREQ=HOURLY;INTERVAL=0",  # nonsense: the expansion says what is wrong
    ],
)
def test_a_rule_whose_cost_cannot_be_told_cheaply_is_read_in_a_child(rule: str, forks: list[str]) -> None:
    data = ics(SINGLE, WEEKLY.replace("FREQ=WEEKLY", rule))
    try:
        read_events_bounded(data, PARIS, JUNE)
    except Invalid:
        pass
    assert forks == ["read_events"]


def test_a_big_file_is_read_in_a_child(forks: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ical, "IN_PROCESS_BYTES", 100)
    assert len(read_events_bounded(ics(SINGLE), PARIS, JUNE).events) == 1
    assert forks == ["read_events"]


def test_a_plain_rule_longer_than_the_in_process_steps_is_read_in_a_child(
    forks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ical, "IN_PROCESS_STEPS", 100)
    assert len(read_events_bounded(ics(WEEKLY.replace("WEEKLY", "HOURLY;COUNT=100")), PARIS, JUNE).events) == 100
    assert forks == []
    assert len(read_events_bounded(ics(WEEKLY.replace("WEEKLY", "HOURLY;COUNT=101")), PARIS, JUNE).events) == 101
    assert forks == ["read_events"]
