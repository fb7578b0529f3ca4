"""govshare.Calendar mirrors core/src/calendar (SPEC §3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pathlib import Path

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
    assert (cal.rule, strict.rule, other.rule) == ("strict", "strict", "next_workday_is_day_zero")
    on_a_workday = datetime(2019, 9, 27, 10, tzinfo=CST)
    assert other.due_date(on_a_workday, 5) == strict.due_date(on_a_workday, 5) == date(2019, 10, 10)
    # Saturday 2019-10-05: strict counts 10-08 as day 1, the other rule as day 0.
    on_a_rest_day = datetime(2019, 10, 5, 10, tzinfo=CST)
    assert strict.due_date(on_a_rest_day, 5) == date(2019, 10, 12)
    assert other.due_date(on_a_rest_day, 5) == date(2019, 10, 14)


def test_bad_rule_names_the_choices() -> None:
    with pytest.raises(govshare.GovShareError) as info:
        cal.with_rule("lenient")
    assert "strict" in str(info.value)


def test_wrong_argument_types() -> None:
    # Every error is a GovShareError (a ValueError) with a code, never pyo3's own
    # TypeError or OverflowError.
    with pytest.raises(govshare.GovShareError, match="datetime.date") as info:
        cal.is_workday("2019-10-01")  # type: ignore[arg-type]
    assert info.value.code == "input.invalid_date"
    with pytest.raises(govshare.GovShareError, match="timezone-aware") as info:
        cal.due_date(datetime(2019, 9, 27, 10), 5)
    assert info.value.code == "input.invalid_date"
    with pytest.raises(govshare.GovShareError, match="datetime.datetime") as info:
        cal.deadline(date(2019, 9, 27), 5)  # type: ignore[arg-type]
    assert info.value.code == "input.invalid_date"
    with pytest.raises(govshare.GovShareError, match="`n`") as info:
        cal.add_workdays(date(2019, 9, 27), -1)
    assert info.value.code == "input.invalid_argument"
    assert isinstance(info.value.__cause__, OverflowError)


def test_moments_may_be_rfc3339_strings() -> None:
    assert cal.due_date("2019-09-27T10:00:00+08:00", 5) == date(2019, 10, 10)
    with pytest.raises(govshare.GovShareError, match="RFC 3339") as info:
        cal.due_date("2019-09-27", 5)
    assert info.value.code == "input.invalid_date"


def test_day_names_the_holiday_and_its_notice() -> None:
    d = cal.day(date(2019, 10, 1))
    assert (d.date, d.kind, d.name, d.workday) == (date(2019, 10, 1), "holiday", "國慶節", False)
    assert d.notice and "2018" in d.notice  # arranged by the notice issued in 2018
    made_up = cal.day(date(2019, 9, 29))
    assert (made_up.kind, made_up.name, made_up.workday) == ("adjusted_workday", "國慶節", True)
    plain = cal.day(date(2019, 10, 9))
    assert (plain.kind, plain.name, plain.notice, plain.workday) == ("workday", None, None, True)
    assert cal.day(date(2019, 10, 13)).kind == "weekend"
    wire = d.to_dict()
    assert wire["date"] == "2019-10-01" and wire["kind"] == "holiday" and wire["name"] == "國慶節"


def test_month_view() -> None:
    m = cal.month(2019, 10)
    assert (m.year, m.month, len(m)) == (2019, 10, 31)
    assert [d.date for d in m.days] == [date(2019, 10, i) for i in range(1, 32)]
    assert m.workdays == sum(cal.is_workday(date(2019, 10, i)) for i in range(1, 32))
    assert m.workdays == 19  # 23 weekdays - 5 rest days (10-01..04, 10-07) + Saturday 10-12
    assert m.to_dict()["days"][0] == m.days[0].to_dict()


def test_bad_month() -> None:
    with pytest.raises(govshare.CalendarError) as info:
        cal.month(2019, 13)
    assert info.value.code == "calendar.bad_month"


def test_notices_are_traceable() -> None:
    notices = cal.notices()
    assert len(notices) >= 23
    assert all(n["document"] for n in notices)


OVERRIDE_2027 = """
format = 1

[coverage]
first = "2004-01-01"
last = "2027-12-31"

[[notice]]
document = "TEST-2027"
title = "a test arrangement for 2027"
issued = "2026-11-01"
rest = [{ name = "元旦", from = "2027-01-01" }]
work = [{ name = "元旦", dates = ["2027-01-09"] }]
"""


def test_a_user_can_add_a_year() -> None:
    extended = cal.with_overrides_toml(OVERRIDE_2027)
    assert extended.covered()[1] == date(2027, 12, 31)
    assert extended.is_workday(date(2027, 1, 1)) is False
    assert extended.is_workday(date(2027, 1, 9)) is True  # a Saturday worked
    assert extended.day(date(2027, 1, 1)).notice == "TEST-2027"
    # The original is unchanged.
    with pytest.raises(govshare.CalendarError):
        cal.is_workday(date(2027, 1, 1))


def test_overrides_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "local.toml"
    f.write_text(OVERRIDE_2027, encoding="utf-8")
    assert cal.with_overrides(f).is_workday(date(2027, 1, 9)) is True
    assert cal.with_overrides(str(f)).is_workday(date(2027, 1, 9)) is True
    with pytest.raises(govshare.CalendarError) as info:
        cal.with_overrides(tmp_path / "missing.toml")
    assert info.value.code == "calendar.io"


def test_bad_override_names_the_problem() -> None:
    with pytest.raises(govshare.CalendarError) as info:
        cal.with_overrides_toml(OVERRIDE_2027.replace('from = "2027-01-01"', 'from = "2027-02-30"'))
    assert info.value.code in {"calendar.bad_entry", "calendar.bad_syntax"}
    with pytest.raises(govshare.CalendarError) as info:
        cal.with_overrides_json("{")
    assert info.value.code == "calendar.bad_syntax"
