//! Times as the agent sees them: in the team's time zone (the playbook's calendar), whatever
//! the browser's zone is; a viewer whose browser is in another zone also sees their own time.

use std::cell::RefCell;

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::core::zone::Zone;

thread_local! {
    /// The zone every time is shown in, and its name as the calendar form shows it.
    static TEAM_ZONE: RefCell<(Zone, String)> = const { RefCell::new((Zone::UTC, String::new())) };
}

/// The zone every time is shown in: the playbook in force's, set whenever it changes.
pub fn use_team_zone(zone: Zone, name: &str) {
    TEAM_ZONE.with(|z| *z.borrow_mut() = (zone, name.replace('_', " ")));
}

fn team_zone() -> Zone {
    TEAM_ZONE.with(|z| z.borrow().0.clone())
}

fn wall(at: DateTime<Utc>) -> NaiveDateTime {
    TEAM_ZONE.with(|z| z.borrow().0.local(at))
}

fn day_time(t: NaiveDateTime) -> String {
    format!("{}, {:02}:{:02}", day(t.date()), t.hour(), t.minute())
}

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

/// "Mon 23 Nov 2026, 14:05" in the team's zone: what files and texts that travel carry, the
/// same whoever writes them.
pub fn team(at: DateTime<Utc>) -> String {
    day_time(wall(at))
}

/// A time on the screen: in the team's zone, and where the viewer's browser is in another
/// zone, their own time too ("Mon 23 Nov 2026, 09:30 team time, 15:30 yours").
pub fn local(at: DateTime<Utc>) -> String {
    let team = wall(at);
    let yours = at.with_timezone(&Local).naive_local();
    if team == yours {
        return day_time(team);
    }
    let own = if yours.date() == team.date() {
        format!("{:02}:{:02}", yours.hour(), yours.minute())
    } else {
        format!(
            "{} {}, {:02}:{:02}",
            DAYS[yours.weekday().num_days_from_monday() as usize],
            day_month(yours.date()),
            yours.hour(),
            yours.minute()
        )
    };
    format!("{} team time, {own} yours", day_time(team))
}

/// For a message to the customer, who may be in another time zone: the team's time with its
/// offset, "Mon 23 Nov 2026, 14:05 (UTC+01:00)".
pub fn for_customer(at: DateTime<Utc>) -> String {
    let minutes = team_zone().offset_at(at) / 60;
    let sign = if minutes < 0 { '-' } else { '+' };
    let minutes = minutes.abs();
    format!(
        "{} (UTC{sign}{:02}:{:02})",
        team(at),
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

/// The value of an `<input type="datetime-local">`, in the team's zone.
pub fn to_input(at: DateTime<Utc>) -> String {
    let t = wall(at);
    format!("{}T{:02}:{:02}", iso_day(t.date()), t.hour(), t.minute())
}

/// Reads an `<input type="datetime-local">`, in the team's zone; empty means no time.
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
    Some(team_zone().moment(naive))
}

/// Where the viewer's browser shows another time than the team's zone now, the words a field
/// taking a time says it with: "In team time (Europe/Berlin), 09:30 now."
pub fn team_time_note(now: DateTime<Utc>) -> Option<String> {
    let team = wall(now);
    (team != now.with_timezone(&Local).naive_local()).then(|| {
        format!(
            "In team time ({}), {:02}:{:02} now.",
            TEAM_ZONE.with(|z| z.borrow().1.clone()),
            team.hour(),
            team.minute()
        )
    })
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
