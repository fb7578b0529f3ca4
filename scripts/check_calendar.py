#!/usr/bin/env python3
"""Cross-checks govshare's working-day calendar, every day of 2004-2026, against
two independent libraries: `holidays` (holidays.China, working days) and
`chinesecalendar`.

Usage: check_calendar.py GOVSHARE_COMMAND...

It runs `GOVSHARE_COMMAND... calendar --days 2004 2026` (the binary, or
`cargo run -p govshare --features cli --`) and compares the work/rest
column with each library. A disagreement passes only when it is listed in
KNOWN_LIBRARY_ERRORS below with the notice that settles it; every other one
fails, and so does a listed one that no longer disagrees (the list stays honest).
"""

import datetime as dt
import subprocess
import sys

import chinese_calendar
import holidays

FIRST, LAST = 2004, 2026

# (library, date) -> the notice that settles it. govshare follows the notice.
KNOWN_LIBRARY_ERRORS = {
    ("chinesecalendar", "2005-12-31"): (
        "國辦發明電〔2005〕35號 (2006 arrangement), 一、元旦: "
        "'12月31日（星期六）上班' - Saturday 31 December 2005 was a working day"
    ),
}


def main() -> int:
    command = sys.argv[1:]
    out = subprocess.run(
        [*command, "calendar", "--days", str(FIRST), str(LAST)],
        check=True, capture_output=True, text=True,
    ).stdout
    ours = {}
    for line in out.splitlines():
        cols = line.split("\t")
        ours[cols[0]] = cols[1] == "work"
    expected_days = (dt.date(LAST, 12, 31) - dt.date(FIRST, 1, 1)).days + 1
    if len(ours) != expected_days:
        print(f"FAIL: govshare listed {len(ours)} days, expected {expected_days}")
        return 1

    cn = holidays.China(years=range(FIRST, LAST + 1))
    libraries = {
        "holidays": lambda d: bool(cn.is_working_day(d)),
        "chinesecalendar": lambda d: bool(chinese_calendar.is_workday(d)),
    }
    failures, explained = [], []
    for lib, works in libraries.items():
        for key, our in sorted(ours.items()):
            d = dt.date.fromisoformat(key)
            theirs = works(d)
            if theirs == our:
                if (lib, key) in KNOWN_LIBRARY_ERRORS:
                    failures.append(f"{key}: listed as a {lib} error but {lib} now agrees; drop it from the list")
                continue
            what = f"{key} ({d:%a}): govshare {'work' if our else 'rest'}, {lib} {'work' if theirs else 'rest'}"
            if (lib, key) in KNOWN_LIBRARY_ERRORS:
                explained.append(f"{what} -- library wrong: {KNOWN_LIBRARY_ERRORS[(lib, key)]}")
            else:
                failures.append(what)
    for line in explained:
        print(f"known: {line}")
    for line in failures:
        print(f"FAIL: {line}")
    checks = len(ours) * len(libraries)
    print(f"calendar cross-check {FIRST}-{LAST}: {checks} day checks against {', '.join(libraries)}; "
          f"{len(explained)} known library errors, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
