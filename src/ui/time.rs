//! Times as the agent sees them: in the browser's local time zone.

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

// Written out rather than with chrono's `format`, whose pattern parser would be shipped in the
// download for these few shapes.
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Thu 24 Dec 2026".
pub fn day(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        DAYS[date.weekday().num_days_from_monday() as usize],
        day_month(date),
        date.year()
    )
}

/// "24 Dec".
pub fn day_month(date: NaiveDate) -> String {
    format!("{} {}", date.day(), MONTHS[date.month0() as usize])
}

/// "Mon 23 Nov 2026, 14:05" in local time.
pub fn local(at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&Local);
    format!("{}, {:02}:{:02}", day(t.date_naive()), t.hour(), t.minute())
}

/// For a message to the customer, who may be in another time zone: local time with its
/// offset, "Mon 23 Nov 2026, 14:05 (UTC+01:00)".
pub fn for_customer(at: DateTime<Utc>) -> String {
    let minutes = at.with_timezone(&Local).offset().local_minus_utc() / 60;
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!(
        "{} (UTC{sign}{:02}:{:02})",
        local(at),
        minutes / 60,
        minutes % 60
    )
}

/// "2026-11-23": for file names.
pub fn iso_day(date: NaiveDate) -> String {
    crate::core::closeout::iso_day(date)
}

/// Reads "2026-12-24", as a date input gives it.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The machine-readable form for a `<time datetime>` attribute.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&Local);
    format!(
        "{}T{:02}:{:02}",
        iso_day(t.date_naive()),
        t.hour(),
        t.minute()
    )
}

/// Reads an `<input type="datetime-local">`; empty means no time.
pub fn from_input(value: &str) -> Option<DateTime<Utc>> {
    let (date, time) = value.trim().split_once('T')?;
    let mut hms = time.splitn(3, ':');
    let h: u32 = hms.next()?.parse().ok()?;
    let m: u32 = hms.next()?.parse().ok()?;
    let s: u32 = match hms.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    let naive: NaiveDateTime = parse_day(date)?.and_hms_opt(h, m, s)?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// "in 3 h 20 min" / "2 days ago": how far a time is from now.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (at - now).num_seconds();
    let span = secs.unsigned_abs();
    let text = if span < 60 {
        return "now".into();
    } else if span < 3600 {
        format!("{} min", span / 60)
    } else if span < 86_400 {
        let (h, m) = (span / 3600, (span % 3600) / 60);
        if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        }
    } else {
        let d = span / 86_400;
        format!("{d} day{}", if d == 1 { "" } else { "s" })
    };
    if secs > 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}
