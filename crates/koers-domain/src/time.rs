//! Time in Koers: instants are epoch milliseconds (UTC); people see Europe/Amsterdam.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use std::sync::OnceLock;

/// The time zone of every Dutch institution.
pub fn amsterdam() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get("Europe/Amsterdam").expect("bundled tz database"))
}

pub fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// An instant in Amsterdam.
pub fn local(ms: i64) -> Zoned {
    timestamp(ms).to_zoned(amsterdam().clone())
}

/// The Amsterdam calendar date of an instant.
pub fn local_date(ms: i64) -> Date {
    local(ms).date()
}

/// Today in Amsterdam.
pub fn today() -> Date {
    Zoned::now().with_time_zone(amsterdam().clone()).date()
}

/// The instant of a wall-clock time in Amsterdam (the earlier one when the clock is set back,
/// the later one when a time does not exist because the clock jumps forward).
pub fn from_local(dt: DateTime) -> i64 {
    amsterdam()
        .to_ambiguous_zoned(dt)
        .compatible()
        .map_or(0, |z| z.timestamp().as_millisecond())
}

/// Parse `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    s.trim().parse().ok()
}

/// Parse an RFC 3339 instant (`2026-12-01T10:00:00+01:00` or `…Z`) into epoch milliseconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    s.trim()
        .parse::<Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// An instant as RFC 3339 in Amsterdam's offset, e.g. `2026-12-01T10:00:00+01:00`.
pub fn rfc3339(ms: i64) -> String {
    local(ms).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The first instant of a date in Amsterdam.
pub fn start_of_day(d: Date) -> i64 {
    from_local(d.to_datetime(jiff::civil::Time::midnight()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn winter_and_summer_time() {
        let winter = from_local(date(2026, 12, 1).at(10, 0, 0, 0));
        assert_eq!(rfc3339(winter), "2026-12-01T10:00:00+01:00");
        let summer = from_local(date(2026, 6, 1).at(10, 0, 0, 0));
        assert_eq!(rfc3339(summer), "2026-06-01T10:00:00+02:00");
        assert_eq!(parse_rfc3339("2026-12-01T09:00:00Z"), Some(winter));
        assert_eq!(local_date(winter), date(2026, 12, 1));
    }

    #[test]
    fn late_evening_utc_is_the_next_day_here() {
        let ms = parse_rfc3339("2026-06-30T22:30:00Z").unwrap();
        assert_eq!(local_date(ms), date(2026, 7, 1));
        assert_eq!(parse_rfc3339("morgen"), None);
    }
}
