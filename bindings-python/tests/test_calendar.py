"""govshare.Calendar mirrors core/src/calendar (SPEC §3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

import govshare
from conftest import CST

cal = govshare.Calendar.china()


def test_spec_example_national_day_2019() -> None:
    # Friday 2019-09-27 + 5 working days: 09-29 (a Sunday) was worked, 10-01..07 rest.
    assert cal.add_workdays(date(2019, 9, 27), 5) == date(2019, 10, 10)


def test_make_up_sunday_is_a_workday_and_holidays_are_not() -> None:
    assert cal.is_workday(date(2019, 9, 29)) is True  # Sunday, 調休上班
    assert cal.is_workday(date(2019, 10, 1)) is False  # National Day
    assert cal.is_workday(date(2019, 10, 8)) is True
    assert cal.is_workday(date(2019, 10, 12)) is True  # Saturday, 調休上班
    assert cal.is_workday(date(2019, 10, 13)) is False  # an ordinary Sunday


def test_returns_real_dates() -> None:
    due = cal.add_workdays(date(2019, 9, 27), 5)
    assert type(due) is date
    assert cal.next_workday(date(2019, 9, 30)) == date(2019, 10, 8)
    assert cal.workday_on_or_after(date(2019, 10, 3)) == date(2019, 10, 8)
    assert cal.workday_on_or_after(date(2019, 10, 8)) == date(2019, 10, 8)


def test_spring_festival_2020_extension() -> None:
    # The State Council extended the 2020 Spring Festival holiday to 02-02.
    assert cal.is_workday(date(2020, 1, 31)) is False
    assert cal.is_workday(date(2020, 2, 3)) is True


def test_workdays_between_counts_half_open_and_signed() -> None:
    assert cal.workdays_between(date(2019, 9, 27), date(2019, 10, 10)) == 5
    assert cal.workdays_between(date(2019, 10, 10), date(2019, 9, 27)) == -5
    assert cal.workdays_between(date(2019, 9, 27), date(2019, 9, 27)) == 0


def test_add_then_between_round_trip() -> None:
    start = date(2019, 1, 2)
    for n in (0, 1, 5, 15, 60):
        assert cal.workdays_between(start, cal.add_workdays(start, n)) == n


def test_due_date_uses_china_time() -> None:
    # 2019-09-26 17:00 UTC is Friday 2019-09-27 01:00 in China.
    at = datetime(2019, 9, 26, 17, 0, tzinfo=timezone.utc)
    assert cal.due_date(at, 5) == date(2019, 10, 10)
    # The same instant's UTC date (Thursday) would give 10-09.
    assert cal.add_workdays(date(2019, 9, 26), 5) == date(2019, 10, 9)


def test_event_on_a_rest_day_counts_from_the_next_workday() -> None:
    # Saturday 2019-10-05: day 1 is 10-08.
    assert cal.due_date(datetime(2019, 10, 5, 9, tzinfo=CST), 1) == date(2019, 10, 8)


def test_deadline_is_the_end_of_the_due_day_in_china_time() -> None:
    end = cal.deadline(datetime(2019, 9, 27, 10, tzinfo=CST), 5)
    assert end.utcoffset() == timedelta(hours=8)
    assert end == datetime(2019, 10, 11, 0, 0, tzinfo=CST)


def test_aware_datetime_is_accepted_as_its_china_date() -> None:
    # 2019-09-30 20:00 UTC is 10-01 in China, a rest day.
    assert cal.is_workday(datetime(2019, 9, 30, 20, tzinfo=timezone.utc)) is False
    assert cal.is_workday(datetime(2019, 9, 30, 20, tzinfo=CST)) is True


def test_covered_span() -> None:
    first, last = cal.covered()
    assert first == date(2004, 1, 1)
    assert last == date(2026, 12, 31)


@pytest.mark.parametrize("day", [date(2003, 12, 31), date(2027, 1, 4)])
def test_outside_the_data_is_an_error_never_a_guess(day: date) -> None:
    with pytest.raises(govshare.CalendarError) as info:
        cal.is_workday(day)
    assert info.value.code == "calendar.not_covered"
    assert str(day) in str(info.value)


def test_counting_past_the_data_is_an_error() -> None:
    with pytest.raises(govshare.CalendarError) as info:
        cal.add_workdays(date(2026, 12, 20), 30)
    assert info.value.code == "calendar.not_covered"


def test_with_rule_next_workday_is_day_zero() -> None:
    other = cal.with_rule("next_workday_is_day_zero")
    strict = cal.with_rule("strict")
    at = datetime(2019, 9, 27, 10, tzinfo=CST)
    assert strict.due_date(at, 5) == cal.due_date(at, 5)
    # Day 0 is 09-27 itself (a working day), so day 5 is one working day earlier.
    assert other.due_date(at, 5) == date(2019, 10, 9)


def test_bad_rule_names_the_choices() -> None:
    with pytest.raises(govshare.GovShareError) as info:
        cal.with_rule("lenient")
    assert "strict" in str(info.value)


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        cal.is_workday("2019-10-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.due_date(datetime(2019, 9, 27, 10), 5)
    with pytest.raises(TypeError, match="datetime.datetime"):
        cal.deadline(date(2019, 9, 27), 5)  # type: ignore[arg-type]
    with pytest.raises(OverflowError):
        cal.add_workdays(date(2019, 9, 27), -1)
