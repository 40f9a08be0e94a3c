"""Opening hours written as schema.org writes them: "Mo-Fr 10:00-18:00; Sa 10:00-14:00".

One text field serves admin, the CSV import and the application form alike, and is
checked here with a clear message. Days not named are closed; a day can have several
ranges ("Tu 09:00-12:00,13:00-17:00"), or be written "closed". Hours past midnight are
not accepted (no SMP studio works through the night).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EXAMPLE = "Mo-Fr 10:00-18:00; Sa 10:00-14:00"
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
_ENTRY = re.compile(r"^(?P<days>[A-Za-z,\- ]+?)\s+(?P<times>[\d:,\- ]+|closed|off)$", re.I)

Hours = dict[int, list[tuple[str, str]]]


def _day(token: str) -> int:
    token = token.strip()[:2].capitalize()
    if token not in DAY_CODES:
        raise ValidationError(
            f"“{token}” is not a day: write Mo, Tu, We, Th, Fr, Sa or Su (e.g. {EXAMPLE})."
        )
    return DAY_CODES.index(token)


def _days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        start = _day(first)
        end = _day(last) if last else start
        if end < start:
            raise ValidationError(f"“{part.strip()}”: write the days in week order, Mo to Su.")
        days += range(start, end + 1)
    return days


def _time(text: str) -> str:
    match = _TIME.match(text.strip())
    if not match:
        raise ValidationError(f"“{text.strip()}” is not a time: write it as 09:30 (24-hour).")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and minutes:
        raise ValidationError(f"“{text.strip()}” is past midnight.")
    return f"{hours:02d}:{minutes:02d}"


def _ranges(text: str) -> list[tuple[str, str]]:
    if text.strip().lower() in ("closed", "off"):
        return []
    ranges = []
    for part in text.split(","):
        opens, dash, closes = part.partition("-")
        if not dash:
            raise ValidationError(f"“{part.strip()}”: give opening and closing, e.g. 10:00-18:00.")
        opens, closes = _time(opens), _time(closes)
        if opens >= closes:
            raise ValidationError(
                f"“{part.strip()}”: the closing time must come after the opening time."
            )
        ranges.append((opens, closes))
    return sorted(ranges)


def parse(text: str) -> Hours:
    """Each weekday (0 = Monday) with its opening ranges; closed days have none."""
    hours: Hours = {day: [] for day in range(7)}
    seen: set[int] = set()
    for entry in re.split(r"[;\n]+", text or ""):
        entry = " ".join(entry.split())
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if not match:
            raise ValidationError(f"“{entry}” is not understood: write it like {EXAMPLE}.")
        ranges = _ranges(match.group("times"))
        for day in _days(match.group("days")):
            if day in seen:
                raise ValidationError(f"{DAY_NAMES[day]} is given twice.")
            seen.add(day)
            hours[day] = ranges
    return hours


def validate(text: str) -> None:
    parse(text)


def canonical(text: str) -> str:
    """The same hours written one way: consecutive days with equal hours joined."""
    hours = parse(text)
    entries: list[str] = []
    day = 0
    while day < 7:
        end = day
        while end + 1 < 7 and hours[end + 1] == hours[day]:
            end += 1
        if hours[day]:
            days = DAY_CODES[day] if end == day else f"{DAY_CODES[day]}-{DAY_CODES[end]}"
            entries.append(f"{days} " + ",".join(f"{o}-{c}" for o, c in hours[day]))
        day = end + 1
    return "; ".join(entries)


@dataclass(frozen=True)
class Day:
    # schema.org's English name ("Monday"), what JSON-LD needs whatever the page's language.
    name: str
    ranges: tuple[tuple[str, str], ...]
    number: int = 0  # 0 = Monday

    @property
    def label(self) -> str:
        """The day's name as the visitor reads it ("Montag"), from Django's own catalogue."""
        return str(WEEKDAYS[self.number])

    @property
    def text(self) -> str:
        return ", ".join(f"{o}–{c}" for o, c in self.ranges) if self.ranges else gettext("Closed")


def week(text: str) -> list[Day]:
    """Monday to Sunday for the profile; empty when no hours are given (or they are unreadable)."""
    if not text:
        return []
    try:
        hours = parse(text)
    except ValidationError:
        return []
    return [Day(DAY_NAMES[d], tuple(hours[d]), d) for d in range(7)]


def json_ld(text: str) -> list[dict]:
    """schema.org OpeningHoursSpecification, one per range."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{day.name}",
            "opens": opens,
            "closes": closes,
        }
        for day in week(text)
        for opens, closes in day.ranges
    ]
