//! Time zones for the team calendar. A zone is named by IANA name (`Europe/Berlin`), whose
//! rules come from a source the app registers ([`use_source`]): in the page, the browser's own
//! time zone data (`Intl`), kept current by the browser's makers, so no zone table is written
//! here or shipped in the download; in native tests, the chrono-tz crate. A POSIX TZ rule
//! (`CET-1CEST,M3.5.0,M10.5.0/3`) is read here, for a team whose zone no source knows.
//!
//! A named zone is kept as the moments its offset changes ([`Zone::sampled`]), found by
//! sampling the source every two weeks from 2000 to 2040 and narrowing each change to the
//! second; before and after that span the nearest offset stands.

use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Where named zones come from: a function from an IANA name to its zone, `None` when the
/// name is not a zone the source knows.
pub type Source = fn(&str) -> Option<Zone>;

static SOURCE: OnceLock<Source> = OnceLock::new();

/// Registers where named zones come from, once at start (later calls are ignored).
pub fn use_source(source: Source) {
    let _ = SOURCE.set(source);
}

/// Named zones in native unit tests (the integration tests register the same file's source).
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "../../tests/support/chrono_tz_zone.rs"]
mod chrono_tz_zone;

fn source() -> Option<Source> {
    #[cfg(all(test, not(target_arch = "wasm32")))]
    if SOURCE.get().is_none() {
        return Some(chrono_tz_zone::chrono_tz_zone);
    }
    SOURCE.get().copied()
}

/// The span a named zone's changes are looked for in, in seconds since 1970 (2000-01-01 to
/// 2041-01-01): every case the app keeps falls inside it.
pub const SAMPLED_FROM: i64 = 946_684_800;
pub const SAMPLED_TO: i64 = 2_240_611_200;
/// Two weeks: shorter than any stretch between two changes of one zone in that span.
const STEP: i64 = 14 * 86_400;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("“{0}” is neither a known time zone name nor a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3.")]
    Unknown(String),
}

/// When daylight saving time starts or ends: month, week of the month (5 = last), weekday
/// (0 = Sunday), and the local time of day in seconds (may be negative or past 24 h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Transition {
    month: u32,
    week: u32,
    weekday: u32,
    seconds: i64,
}

/// A zone's offsets (seconds east of UTC): a POSIX rule, or the moments a named zone's offset
/// changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    rules: Rules,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Rules {
    Posix {
        standard: i64,
        daylight: Option<(i64, Transition, Transition)>,
    },
    /// The offset before the first change, then each change (seconds since 1970, offset from
    /// then on), oldest first.
    Changes {
        first: i64,
        changes: Arc<[(i64, i64)]>,
    },
}

impl Zone {
    pub const UTC: Zone = Zone {
        rules: Rules::Posix {
            standard: 0,
            daylight: None,
        },
    };

    /// A zone by IANA name (from the registered source) or as a POSIX TZ rule.
    pub fn parse(name_or_rule: &str) -> Result<Zone, ZoneError> {
        let text = name_or_rule.trim();
        if text == "UTC" || text == "Etc/UTC" {
            return Ok(Zone::UTC);
        }
        parse_rule(text)
            .or_else(|| source().and_then(|s| s(text)))
            .ok_or_else(|| ZoneError::Unknown(text.chars().take(60).collect()))
    }

    /// A zone from its offset at any moment (`offset(seconds since 1970)`, seconds east of
    /// UTC), sampled from [`SAMPLED_FROM`] to [`SAMPLED_TO`]; `None` if the offset can't be
    /// read.
    pub fn sampled(offset: impl Fn(i64) -> Option<i64>) -> Option<Zone> {
        let first = offset(SAMPLED_FROM)?;
        let mut changes = Vec::new();
        let (mut at, mut before) = (SAMPLED_FROM, first);
        while at < SAMPLED_TO {
            let next = (at + STEP).min(SAMPLED_TO);
            let now = offset(next)?;
            if now != before {
                // The change is in (at, next]: narrow it to the second.
                let (mut lo, mut hi) = (at, next);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if offset(mid)? == before {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                changes.push((hi, now));
                before = now;
            }
            at = next;
        }
        Some(Zone {
            rules: if changes.is_empty() {
                Rules::Posix {
                    standard: first,
                    daylight: None,
                }
            } else {
                Rules::Changes {
                    first,
                    changes: changes.into(),
                }
            },
        })
    }

    /// Seconds east of UTC at this moment.
    pub fn offset_at(&self, at: DateTime<Utc>) -> i64 {
        match &self.rules {
            Rules::Posix { standard, daylight } => posix_offset(*standard, *daylight, at),
            Rules::Changes { first, changes } => {
                let t = at.timestamp();
                match changes.partition_point(|(c, _)| *c <= t) {
                    0 => *first,
                    n => changes[n - 1].1,
                }
            }
        }
    }

    /// The moments the clocks change in `year` (none for a zone without daylight saving).
    pub fn changes_in(&self, year: i32) -> Vec<DateTime<Utc>> {
        match &self.rules {
            Rules::Posix { daylight: None, .. } => Vec::new(),
            Rules::Posix {
                standard,
                daylight: Some((daylight, start, end)),
            } => [
                transition_utc(year, *start, *standard),
                transition_utc(year, *end, *daylight),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Rules::Changes { changes, .. } => changes
                .iter()
                .filter_map(|(at, _)| DateTime::from_timestamp(*at, 0))
                .filter(|at| at.year() == year)
                .collect(),
        }
    }

    /// The local wall-clock time of a moment.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + Duration::seconds(self.offset_at(at))
    }

    /// The moment a local wall-clock time happens. In the hour skipped when clocks go forward,
    /// the time counts as if the clocks had not changed yet (02:30 becomes 03:30); in the hour
    /// repeated when they go back, the first of the two is meant.
    pub fn moment(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // No allocation: the clock rules call this for every working day they look at.
        let at = |offset: i64| Utc.from_utc_datetime(&(local - Duration::seconds(offset)));
        let as_utc = Utc.from_utc_datetime(&local);
        // The offsets in force a day either side: a change between them is the only way a
        // wall-clock time can be skipped or repeated.
        let before = self.offset_at(as_utc - Duration::days(1));
        let after = self.offset_at(as_utc + Duration::days(1));
        let fits = |t: &DateTime<Utc>| self.local(*t) == local;
        match (Some(at(before)).filter(fits), Some(at(after)).filter(fits)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => at(before),
        }
    }
}

fn posix_offset(
    standard: i64,
    daylight: Option<(i64, Transition, Transition)>,
    at: DateTime<Utc>,
) -> i64 {
    let Some((daylight, start, end)) = daylight else {
        return standard;
    };
    let year = at.year();
    // The start is given in standard time, the end in daylight time.
    let starts = transition_utc(year, start, standard);
    let ends = transition_utc(year, end, daylight);
    let (Some(starts), Some(ends)) = (starts, ends) else {
        return standard;
    };
    let in_daylight = if starts < ends {
        at >= starts && at < ends
    } else {
        // Southern hemisphere: daylight time spans the new year.
        at < ends || at >= starts
    };
    if in_daylight {
        daylight
    } else {
        standard
    }
}

/// The UTC moment of a transition in `year`, given the offset in force just before it.
fn transition_utc(year: i32, t: Transition, offset_before: i64) -> Option<DateTime<Utc>> {
    let first = NaiveDate::from_ymd_opt(year, t.month, 1)?;
    let first_weekday = first.weekday().num_days_from_sunday();
    let mut day = 1 + (t.weekday + 7 - first_weekday) % 7 + (t.week.saturating_sub(1)) * 7;
    let days_in_month = days_in_month(year, t.month)?;
    while day > days_in_month {
        day -= 7;
    }
    let date = NaiveDate::from_ymd_opt(year, t.month, day)?;
    let local = date.and_hms_opt(0, 0, 0)? + Duration::seconds(t.seconds);
    Some(Utc.from_utc_datetime(&(local - Duration::seconds(offset_before))))
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some(next.pred_opt()?.day())
}

/// A reader over a rule's characters.
struct Rule<'a> {
    rest: &'a str,
}

impl Rule<'_> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.rest = &self.rest[c.len_utf8()..];
            true
        } else {
            false
        }
    }

    /// A zone abbreviation: three or more letters, or anything in angle brackets.
    fn name(&mut self) -> Option<()> {
        if self.eat('<') {
            let end = self.rest.find('>')?;
            self.rest = &self.rest[end + 1..];
            return (end >= 1).then_some(());
        }
        let len = self
            .rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        self.rest = &self.rest[len..];
        (len >= 3).then_some(())
    }

    fn number(&mut self, max: i64) -> Option<i64> {
        let len = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        if len == 0 || len > 3 {
            return None;
        }
        let n: i64 = self.rest[..len].parse().ok()?;
        self.rest = &self.rest[len..];
        (n <= max).then_some(n)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    fn time(&mut self, max_hours: i64) -> Option<i64> {
        let sign = if self.eat('-') {
            -1
        } else {
            self.eat('+');
            1
        };
        let mut seconds = self.number(max_hours)? * 3600;
        if self.eat(':') {
            seconds += self.number(59)? * 60;
            if self.eat(':') {
                seconds += self.number(59)?;
            }
        }
        Some(sign * seconds)
    }

    /// `Mm.w.d[/time]`; the Julian-day forms are not used by any zone we name.
    fn transition(&mut self) -> Option<Transition> {
        if !self.eat('M') {
            return None;
        }
        let month = self.number(12)?;
        if month == 0 || !self.eat('.') {
            return None;
        }
        let week = self.number(5)?;
        if week == 0 || !self.eat('.') {
            return None;
        }
        let weekday = self.number(6)?;
        let seconds = if self.eat('/') {
            self.time(167)?
        } else {
            2 * 3600
        };
        Some(Transition {
            month: month as u32,
            week: week as u32,
            weekday: weekday as u32,
            seconds,
        })
    }
}

fn parse_rule(text: &str) -> Option<Zone> {
    let mut r = Rule { rest: text };
    r.name()?;
    // POSIX offsets count west of UTC: "EST5" is five hours behind.
    let standard = -r.time(24)?;
    if r.rest.is_empty() {
        return Some(Zone {
            rules: Rules::Posix {
                standard,
                daylight: None,
            },
        });
    }
    r.name()?;
    let daylight = match r.peek() {
        Some(',') => standard + 3600,
        _ => -r.time(24)?,
    };
    if !r.eat(',') {
        return None;
    }
    let start = r.transition()?;
    if !r.eat(',') {
        return None;
    }
    let end = r.transition()?;
    r.rest.is_empty().then_some(Zone {
        rules: Rules::Posix {
            standard,
            daylight: Some((daylight, start, end)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// Zones the hand-written table of 51 lacked (issue 33.1), and rules that changed: Egypt
    /// brought back daylight saving time in 2023, Mexico City dropped it after October 2022.
    #[test]
    fn every_iana_zone_is_known_with_its_changes() {
        for name in [
            "Africa/Cairo",
            "Europe/Bucharest",
            "Asia/Riyadh",
            "Asia/Ho_Chi_Minh",
            "America/Argentina/Buenos_Aires",
        ] {
            assert!(Zone::parse(name).is_ok(), "{name}");
        }
        let cairo = Zone::parse("Africa/Cairo").unwrap();
        assert_eq!(cairo.offset_at(utc("2022-07-01T00:00:00Z")), 2 * 3600);
        assert_eq!(cairo.offset_at(utc("2024-07-01T00:00:00Z")), 3 * 3600);
        let mexico = Zone::parse("America/Mexico_City").unwrap();
        assert_eq!(mexico.offset_at(utc("2022-07-01T00:00:00Z")), -5 * 3600);
        assert_eq!(mexico.offset_at(utc("2023-07-01T00:00:00Z")), -6 * 3600);
        assert!(Zone::parse("Mars/Olympus").is_err());
    }

    /// The sampled changes are exactly chrono-tz's, to the second, for every zone it has.
    #[test]
    fn a_sampled_zone_agrees_with_its_source_every_hour_of_2026() {
        use chrono::Offset;
        for tz in [
            chrono_tz::Europe::Berlin,
            chrono_tz::Australia::Lord_Howe,
            chrono_tz::America::Santiago,
            chrono_tz::Africa::Casablanca,
        ] {
            let z = Zone::parse(tz.name()).unwrap();
            let mut at = utc("2026-01-01T00:00:00Z");
            while at < utc("2027-01-01T00:00:00Z") {
                let want = tz
                    .offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc();
                assert_eq!(z.offset_at(at), i64::from(want), "{} at {at}", tz.name());
                at += Duration::minutes(59);
            }
        }
    }

    #[test]
    fn berlin_changes_on_the_last_sundays_of_march_and_october() {
        let z = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(z.offset_at(utc("2026-03-29T00:59:59Z")), 3600);
        assert_eq!(z.offset_at(utc("2026-03-29T01:00:00Z")), 7200);
        assert_eq!(z.offset_at(utc("2026-10-25T00:59:59Z")), 7200);
        assert_eq!(z.offset_at(utc("2026-10-25T01:00:00Z")), 3600);
    }

    #[test]
    fn new_york_changes_on_the_second_sunday_of_march_and_first_of_november() {
        let z = Zone::parse("America/New_York").unwrap();
        assert_eq!(z.offset_at(utc("2026-03-08T06:59:00Z")), -5 * 3600);
        assert_eq!(z.offset_at(utc("2026-03-08T07:00:00Z")), -4 * 3600);
        assert_eq!(z.offset_at(utc("2026-11-01T05:59:00Z")), -4 * 3600);
        assert_eq!(z.offset_at(utc("2026-11-01T06:00:00Z")), -5 * 3600);
    }

    #[test]
    fn sydney_keeps_daylight_time_over_the_new_year() {
        let z = Zone::parse("Australia/Sydney").unwrap();
        assert_eq!(z.offset_at(utc("2026-01-15T00:00:00Z")), 11 * 3600);
        assert_eq!(z.offset_at(utc("2026-06-15T00:00:00Z")), 10 * 3600);
        // First Sunday of October 2026 is the 4th; 02:00 AEST is 16:00 UTC the day before.
        assert_eq!(z.offset_at(utc("2026-10-03T15:59:00Z")), 10 * 3600);
        assert_eq!(z.offset_at(utc("2026-10-03T16:00:00Z")), 11 * 3600);
    }

    #[test]
    fn half_hour_and_fixed_zones() {
        assert_eq!(
            Zone::parse("Asia/Kolkata")
                .unwrap()
                .offset_at(utc("2026-07-01T00:00:00Z")),
            5 * 3600 + 1800
        );
        assert_eq!(
            Zone::parse("<+08>-8")
                .unwrap()
                .offset_at(utc("2026-07-01T00:00:00Z")),
            8 * 3600
        );
    }

    #[test]
    fn a_skipped_local_time_moves_forward_and_a_repeated_one_means_the_first() {
        let z = Zone::parse("Europe/Berlin").unwrap();
        // 02:30 does not exist on 29 March 2026: it is read as 03:30 CEST = 01:30 UTC.
        assert_eq!(
            z.moment(local("2026-03-29 02:30")),
            utc("2026-03-29T01:30:00Z")
        );
        // 02:30 happens twice on 25 October 2026; the first is 00:30 UTC (still CEST).
        assert_eq!(
            z.moment(local("2026-10-25 02:30")),
            utc("2026-10-25T00:30:00Z")
        );
        assert_eq!(
            z.moment(local("2026-06-01 09:00")),
            utc("2026-06-01T07:00:00Z")
        );
        assert_eq!(
            z.moment(local("2026-12-01 09:00")),
            utc("2026-12-01T08:00:00Z")
        );
    }

    #[test]
    fn local_and_moment_agree_all_year() {
        let z = Zone::parse("America/Los_Angeles").unwrap();
        let mut at = utc("2026-01-01T00:00:00Z");
        while at < utc("2027-01-01T00:00:00Z") {
            let back = z.moment(z.local(at));
            // Only the repeated hour may map back to its first occurrence.
            assert!(back == at || back == at - Duration::hours(1), "{at}");
            at += Duration::minutes(37);
        }
    }

    #[test]
    fn bad_rules_are_refused() {
        for bad in [
            "",
            "Mars/Olympus",
            "CET-1CEST",
            "CET-1CEST,M3.5.0",
            "CET-1CEST,M13.5.0,M10.5.0",
            "CET-1CEST,M3.6.0,M10.5.0",
            "CET-1CEST,M3.5.7,M10.5.0",
            "<>5",
            "EST99999",
            "CET-1CEST,M3.5.0,M10.5.0/3junk",
        ] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
    }
}
