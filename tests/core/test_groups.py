"""core: calendar-day deadlines (S8.10 "3日(含)"), memoised, agree with the plain arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from guishu.core.groups import LocalDays, day_end

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")  # daylight saving: offsets change twice a year

# a few days around a daylight-saving change, so that the memo is asked the same day many ways
# (hypothesis takes naive bounds and attaches the zone itself)
_instant = st.datetimes(
    min_value=datetime(2024, 3, 8),  # noqa: DTZ001
    max_value=datetime(2024, 3, 12),  # noqa: DTZ001
    timezones=st.just(UTC),
)
_written_in = st.sampled_from(
    (SHANGHAI, NEW_YORK, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30)))
)


@given(
    st.sampled_from((SHANGHAI, NEW_YORK)), st.lists(st.tuples(_instant, _written_in, st.integers(0, 3)), max_size=40)
)
def test_memoised_day_end_equals_the_plain_one_however_the_time_is_written(
    site: ZoneInfo, asks: list[tuple[datetime, timezone | ZoneInfo, int]]
) -> None:
    days = LocalDays(site)  # one memo across all asks, as the engine keeps it
    for instant, zone, n in asks:
        at = instant.astimezone(zone)
        assert days.end(at, n) == day_end(at, n, site), (at, n)


def test_a_time_written_in_the_site_zone_counts_its_wall_date() -> None:
    days = LocalDays(SHANGHAI)
    late = datetime(2024, 3, 1, 23, 59, tzinfo=SHANGHAI)  # 15:59 UTC: the UTC date is the same here
    early = datetime(2024, 3, 2, 0, 30, tzinfo=SHANGHAI)  # 16:30 UTC on 1 March: the UTC date differs
    assert days.end(late, 3) == datetime(2024, 3, 5, tzinfo=SHANGHAI)
    assert days.end(early, 3) == datetime(2024, 3, 6, tzinfo=SHANGHAI)
    assert days.end(early.astimezone(UTC), 3) == datetime(2024, 3, 6, tzinfo=SHANGHAI)
