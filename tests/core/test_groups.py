"""core: calendar-day deadlines (S8.10 "3日(含)"), memoised, agree with the plain arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from guishu.core.groups import LocalDays, day_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")  # daylight saving starts 2024-03-10 02:00 and ends 11-03 02:00
SAO_PAULO = ZoneInfo("America/Sao_Paulo")  # in 2018 it changed at midnight: 02-18 00:00 fell back to 02-17 23:00

# A site's zone and a few days around one of its changes of offset (hypothesis takes naive bounds
# and attaches the zone itself), so that the memo is asked the same hours many ways.
_SITES = (
    (SHANGHAI, datetime(2024, 3, 8), datetime(2024, 3, 12)),  # noqa: DTZ001
    (NEW_YORK, datetime(2024, 3, 8), datetime(2024, 3, 12)),  # noqa: DTZ001
    (NEW_YORK, datetime(2024, 11, 1), datetime(2024, 11, 5)),  # noqa: DTZ001
    (SAO_PAULO, datetime(2018, 2, 16), datetime(2018, 2, 20)),  # noqa: DTZ001
)
# how a record writes its times: the site's zone, another zone, UTC, fixed offsets (JSON's +08:00),
# one of them a half hour off the site's, so that a local midnight falls inside its hours
_WRITTEN_IN: tuple[tzinfo, ...] = (
    SHANGHAI,
    NEW_YORK,
    SAO_PAULO,
    UTC,
    timezone(timedelta(hours=8)),
    timezone(timedelta(hours=-5, minutes=-30)),
    timezone(timedelta(hours=5, minutes=30)),
)


@st.composite
def _asks(draw: st.DrawFn) -> tuple[ZoneInfo, list[tuple[datetime, int]]]:
    site, low, high = draw(st.sampled_from(_SITES))
    instant = st.datetimes(min_value=low, max_value=high, timezones=st.just(UTC))
    asks = draw(st.lists(st.tuples(instant, st.sampled_from(_WRITTEN_IN), st.integers(0, 3)), max_size=40))
    return site, [(i.astimezone(zone), n) for i, zone, n in asks]


@given(_asks())
def test_memoised_day_end_equals_the_plain_one_however_the_time_is_written(
    case: tuple[ZoneInfo, list[tuple[datetime, int]]],
) -> None:
    """core: however a time is written (the site's zone, another, UTC, a fixed offset), the memoised
    day end is the one the plain arithmetic gives, around changes of offset and across many asks."""
    site, asks = case
    days = LocalDays(site)  # one memo across all asks, as the engine keeps it
    for at, n in asks:
        assert days.end(at, n) == day_end(at, n, site), (at, n)


def test_a_time_written_in_the_site_zone_counts_its_wall_date() -> None:
    """core: a time in the site's zone counts its wall date, also when the UTC date differs."""
    days = LocalDays(SHANGHAI)
    late = datetime(2024, 3, 1, 23, 59, tzinfo=SHANGHAI)  # 15:59 UTC: the UTC date is the same here
    early = datetime(2024, 3, 2, 0, 30, tzinfo=SHANGHAI)  # 16:30 UTC on 1 March: the UTC date differs
    assert days.end(late, 3) == datetime(2024, 3, 5, tzinfo=SHANGHAI)
    assert days.end(early, 3) == datetime(2024, 3, 6, tzinfo=SHANGHAI)
    assert days.end(early.astimezone(UTC), 3) == datetime(2024, 3, 6, tzinfo=SHANGHAI)


def test_an_hour_written_half_an_hour_off_the_site_is_split_at_local_midnight() -> None:
    """core: a wall hour whose local time crosses midnight counts each instant on its own day."""
    days = LocalDays(SHANGHAI)
    india = timezone(timedelta(hours=5, minutes=30))  # 21:00-21:59 there is 23:30-00:29 in Shanghai
    before = datetime(2024, 3, 1, 21, 10, tzinfo=india)
    after = datetime(2024, 3, 1, 21, 40, tzinfo=india)
    assert days.end(before, 0) == datetime(2024, 3, 2, tzinfo=SHANGHAI)
    assert days.end(after, 0) == datetime(2024, 3, 3, tzinfo=SHANGHAI)


def test_the_same_wall_hour_under_two_offsets_is_two_different_hours() -> None:
    """core: 20:00 written +08:00 is 20:00 in Shanghai, 20:00 UTC is 04:00 the next day there."""
    days = LocalDays(SHANGHAI)
    beijing = datetime(2024, 3, 1, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    greenwich = datetime(2024, 3, 1, 20, 0, tzinfo=UTC)
    assert days.end(beijing, 0) == datetime(2024, 3, 2, tzinfo=SHANGHAI)
    assert days.end(greenwich, 0) == datetime(2024, 3, 3, tzinfo=SHANGHAI)
