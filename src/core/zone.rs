//! Time zones for the team calendar, as POSIX TZ rules (`CET-1CEST,M3.5.0,M10.5.0/3`): a
//! standard offset and, where the zone keeps daylight saving time, the rule for when it starts
//! and ends. Common zones are known by their IANA names ([`NAMED`], whose rules are the last
//! line of each tzdata file). Written by hand rather than with chrono-tz, which would add the
//! whole zone database to the download for the one zone a team uses; rules are current ones, so
//! a deadline years back in a zone that changed its rules since may be off by an hour.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// IANA name → POSIX rule, for the zones a team picks from a list.
pub const NAMED: &[(&str, &str)] = &[
    ("UTC", "UTC0"),
    ("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"),
    ("Europe/Dublin", "GMT0IST,M3.5.0/1,M10.5.0"),
    ("Europe/Lisbon", "WET0WEST,M3.5.0/1,M10.5.0"),
    ("Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Madrid", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Amsterdam", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Stockholm", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Warsaw", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Athens", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Helsinki", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Istanbul", "<+03>-3"),
    ("Europe/Moscow", "MSK-3"),
    ("Africa/Lagos", "WAT-1"),
    ("Africa/Johannesburg", "SAST-2"),
    ("Africa/Nairobi", "EAT-3"),
    ("Asia/Dubai", "<+04>-4"),
    ("Asia/Karachi", "PKT-5"),
    ("Asia/Kolkata", "IST-5:30"),
    ("Asia/Dhaka", "<+06>-6"),
    ("Asia/Bangkok", "<+07>-7"),
    ("Asia/Jakarta", "WIB-7"),
    ("Asia/Singapore", "<+08>-8"),
    ("Asia/Shanghai", "CST-8"),
    ("Asia/Hong_Kong", "HKT-8"),
    ("Asia/Manila", "PST-8"),
    ("Asia/Tokyo", "JST-9"),
    ("Asia/Seoul", "KST-9"),
    ("Australia/Perth", "AWST-8"),
    ("Australia/Brisbane", "AEST-10"),
    ("Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"),
    ("Australia/Melbourne", "AEST-10AEDT,M10.1.0,M4.1.0/3"),
    ("Pacific/Auckland", "NZST-12NZDT,M9.5.0,M4.1.0/3"),
    ("America/St_Johns", "NST3:30NDT,M3.2.0,M11.1.0"),
    ("America/Halifax", "AST4ADT,M3.2.0,M11.1.0"),
    ("America/New_York", "EST5EDT,M3.2.0,M11.1.0"),
    ("America/Toronto", "EST5EDT,M3.2.0,M11.1.0"),
    ("America/Chicago", "CST6CDT,M3.2.0,M11.1.0"),
    ("America/Mexico_City", "CST6"),
    ("America/Denver", "MST7MDT,M3.2.0,M11.1.0"),
    ("America/Phoenix", "MST7"),
    ("America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"),
    ("America/Anchorage", "AKST9AKDT,M3.2.0,M11.1.0"),
    ("Pacific/Honolulu", "HST10"),
    ("America/Bogota", "<-05>5"),
    ("America/Lima", "<-05>5"),
    ("America/Santiago", "<-04>4<-03>,M9.1.6/24,M4.1.6/24"),
    ("America/Sao_Paulo", "<-03>3"),
    ("America/Argentina/Buenos_Aires", "<-03>3"),
];

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

/// A zone's offsets (seconds east of UTC) and its daylight saving rule, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone {
    standard: i64,
    daylight: Option<(i64, Transition, Transition)>,
}

impl Zone {
    pub const UTC: Zone = Zone {
        standard: 0,
        daylight: None,
    };

    /// A zone by IANA name (from [`NAMED`]) or as a POSIX TZ rule.
    pub fn parse(name_or_rule: &str) -> Result<Zone, ZoneError> {
        let text = name_or_rule.trim();
        let rule = NAMED
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, rule)| *rule)
            .unwrap_or(text);
        parse_rule(rule).ok_or_else(|| ZoneError::Unknown(text.chars().take(60).collect()))
    }

    /// Seconds east of UTC at this moment.
    pub fn offset_at(&self, at: DateTime<Utc>) -> i64 {
        let Some((daylight, start, end)) = self.daylight else {
            return self.standard;
        };
        let year = at.year();
        // The start is given in standard time, the end in daylight time.
        let starts = transition_utc(year, start, self.standard);
        let ends = transition_utc(year, end, daylight);
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return self.standard;
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
            self.standard
        }
    }

    /// The moments the clocks change in `year` (none for a zone without daylight saving).
    pub fn changes_in(&self, year: i32) -> Vec<DateTime<Utc>> {
        let Some((daylight, start, end)) = self.daylight else {
            return Vec::new();
        };
        [
            transition_utc(year, start, self.standard),
            transition_utc(year, end, daylight),
        ]
        .into_iter()
        .flatten()
        .collect()
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
        let standard = at(self.standard);
        let Some((daylight, _, _)) = self.daylight else {
            return standard;
        };
        let fits = |t: &DateTime<Utc>| self.local(*t) == local;
        match (Some(standard).filter(fits), Some(at(daylight)).filter(fits)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => standard,
        }
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
            standard,
            daylight: None,
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
        standard,
        daylight: Some((daylight, start, end)),
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

    #[test]
    fn every_named_zone_parses() {
        for (name, _) in NAMED {
            assert!(Zone::parse(name).is_ok(), "{name}");
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
            "CET",
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
