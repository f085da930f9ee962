//! Times as the agent sees them: in the browser's local time zone.

use chrono::{DateTime, Local, NaiveDateTime, TimeZone, Utc};

/// "Mon 23 Nov 2026, 14:05" in local time.
pub fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// The machine-readable form for a `<time datetime>` attribute.
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Reads an `<input type="datetime-local">`; empty means no time.
pub fn from_input(value: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
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
