//! Deadlines: the team calendar, counting in business or calendar time, and every clock of a
//! case worked out from its timeline. The rules, as the README states them:
//!
//! - A level's clocks start when the case reaches that level (a triage decision, a forced or
//!   silence escalation, a de-escalation). The clocks of the level before stop there.
//! - **First response** runs until the level acknowledges (any move out of Escalated).
//! - **Next update** starts at acknowledgement (at once for a level with no response target) and
//!   starts again at every logged update, recorded step and reopening.
//! - **Resolution** runs until the case is resolved. Reopening resumes it with the time already
//!   used; the time the case spent resolved does not count.
//! - While the case waits on the customer or on a third party, next update and resolution are
//!   paused: the time does not count, and they resume where they stopped.
//! - Business time counts only the calendar's working hours on working days that are not
//!   holidays, in the calendar's time zone; a level that runs around the clock counts every
//!   minute. Warnings come at the playbook's percentage of the time allowed; a clock that passes
//!   its due time is breached, keeps counting (so it shows how late), and the breach is recorded.
//! - **Silence**: from escalation (or the last repeated notification) until acknowledgement; past
//!   the level's silence timeout the app proposes the next level or notifying again.
//!
//! Everything here is computed from the case and the moment `now`; nothing is stored but the
//! timeline, so the same case always shows the same clocks.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::Value;

use super::case::{Case, Event, Status};
use super::json::{deserialize_by_hand, text_enum, write_fields, Fields, FromJson, Read, ToJson};
use super::sort;
use super::zone::{Zone, ZoneError};

/// A time of day, stored as "HH:MM" so a playbook file reads naturally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayTime(pub u32);

impl DayTime {
    pub fn parse(text: &str) -> Option<DayTime> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let h: u32 = h.parse().ok()?;
        let m: u32 = m.parse().ok()?;
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(DayTime(h * 60 + m))
    }

    pub fn text(self) -> String {
        format!("{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl ToJson for DayTime {
    fn write_json(&self, out: &mut String) {
        super::json::write_text(out, &self.text());
    }
}

impl FromJson for DayTime {
    fn from_json(v: &Value) -> Read<DayTime> {
        let text: String = FromJson::from_json(v)?;
        DayTime::parse(&text).ok_or_else(|| format!("“{text}” is not a time like 09:00").into())
    }
}

/// The team's working time: part of the playbook, so the team shares it with the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// An IANA name from [`super::zone::NAMED`] or a POSIX TZ rule.
    pub time_zone: String,
    /// Monday first.
    pub working_days: [bool; 7],
    pub opens: DayTime,
    pub closes: DayTime,
    pub holidays: Vec<NaiveDate>,
}

impl Default for Calendar {
    fn default() -> Calendar {
        Calendar {
            time_zone: "UTC".into(),
            working_days: [true, true, true, true, true, false, false],
            opens: DayTime(9 * 60),
            closes: DayTime(17 * 60),
            holidays: Vec::new(),
        }
    }
}

pub const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0}")]
    Zone(#[from] ZoneError),
    #[error("The calendar has no working day.")]
    NoWorkingDay,
    #[error("The working day closes ({closes}) before it opens ({opens}).")]
    ClosesBeforeOpens { opens: String, closes: String },
}

/// A calendar made ready for counting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hours {
    zone: Zone,
    /// The name or rule the zone was read from: a decision naming it needs no second reading.
    zone_name: String,
    days: [bool; 7],
    opens: u32,
    closes: u32,
    holidays: BTreeSet<NaiveDate>,
}

/// Days searched ahead for working time before giving up (a calendar whose every day is a
/// holiday has none).
const MAX_DAYS: i64 = 3 * 366;

impl Hours {
    pub fn of(c: &Calendar) -> Result<Hours, CalendarError> {
        let zone = Zone::parse(&c.time_zone)?;
        if !c.working_days.iter().any(|d| *d) {
            return Err(CalendarError::NoWorkingDay);
        }
        if c.closes <= c.opens {
            return Err(CalendarError::ClosesBeforeOpens {
                opens: c.opens.text(),
                closes: c.closes.text(),
            });
        }
        Ok(Hours {
            zone,
            zone_name: c.time_zone.trim().to_string(),
            days: c.working_days,
            opens: c.opens.0,
            closes: c.closes.0,
            holidays: c.holidays.iter().copied().collect(),
        })
    }

    /// Every minute counts: what a broken calendar falls back to.
    pub fn always() -> Hours {
        Hours {
            zone: Zone::UTC,
            zone_name: "UTC".to_string(),
            days: [true; 7],
            opens: 0,
            closes: 24 * 60,
            holidays: BTreeSet::new(),
        }
    }

    pub fn zone(&self) -> Zone {
        self.zone.clone()
    }

    /// The same calendar counted in the zone a decision names (`None`, or a name no source
    /// knows: this one's own).
    pub fn in_zone(&self, name: Option<&str>) -> std::borrow::Cow<'_, Hours> {
        let other = name.filter(|n| n.trim() != self.zone_name);
        match other.and_then(|n| Zone::parse(n).ok().map(|z| (n, z))) {
            Some((n, zone)) if zone != self.zone => std::borrow::Cow::Owned(Hours {
                zone,
                zone_name: n.trim().to_string(),
                ..self.clone()
            }),
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    /// The working interval of a local date, if it is a working day.
    fn open_on(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.is_working_day(date) {
            return None;
        }
        let at = |minutes: u32| {
            let midnight = date.and_hms_opt(0, 0, 0)?;
            Some(
                self.zone
                    .moment(midnight + Duration::minutes(i64::from(minutes))),
            )
        };
        let (open, close) = (at(self.opens)?, at(self.closes)?);
        (open < close).then_some((open, close))
    }

    /// Working seconds in `[from, to)`.
    pub fn working_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        let from_day = self.zone.local(from).date();
        let to_day = self.zone.local(to).date();
        // Days wholly inside the range, away from a clock change, count their usual hours
        // without working out their moments: a clock running for months stays cheap.
        let changes: Vec<NaiveDate> = (from_day.year() - 1..=to_day.year() + 1)
            .flat_map(|y| self.zone.changes_in(y))
            .map(|at| self.zone.local(at).date())
            .collect();
        let usual = i64::from(self.closes - self.opens) * 60;
        let mut total = 0;
        let mut date = from_day - Duration::days(1);
        let last = to_day + Duration::days(1);
        while date <= last {
            let inside = date > from_day && date < to_day;
            let near_change = changes.iter().any(|c| (*c - date).num_days().abs() <= 1);
            if inside && !near_change {
                if self.is_working_day(date) {
                    total += usual;
                }
            } else if let Some((open, close)) = self.open_on(date) {
                let a = open.max(from);
                let b = close.min(to);
                if b > a {
                    total += (b - a).num_seconds();
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }

    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days[date.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&date)
    }

    /// The moment `seconds` of working time after `from`; `None` if the calendar has no
    /// working time in the next three years.
    pub fn working_after(&self, from: DateTime<Utc>, seconds: i64) -> Option<DateTime<Utc>> {
        let mut left = seconds.max(0);
        let mut date = self.zone.local(from).date() - Duration::days(1);
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = self.open_on(date) {
                let a = open.max(from);
                if close > a {
                    let span = (close - a).num_seconds();
                    if left <= span {
                        return Some(a + Duration::seconds(left));
                    }
                    left -= span;
                }
            }
            date = date.succ_opt()?;
        }
        None
    }
}

/// A level's targets at a priority, in minutes, as recorded on the decision that set them.
/// Zero means the level has no such target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
    pub response: i64,
    pub update: i64,
    pub resolution: i64,
    pub silence: i64,
    /// Counted in business time (the team calendar), or every minute.
    pub business: bool,
}

/// Counting for one level: business or calendar time.
#[derive(Clone, Copy)]
struct Counter<'a> {
    hours: &'a Hours,
    business: bool,
}

impl Counter<'_> {
    fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if self.business {
            self.hours.working_between(from, to)
        } else {
            (to - from).num_seconds().max(0)
        }
    }

    fn after(&self, from: DateTime<Utc>, seconds: i64) -> Option<DateTime<Utc>> {
        if self.business {
            self.hours.working_after(from, seconds)
        } else {
            Some(from + Duration::seconds(seconds))
        }
    }
}

/// The moment a target falls due when counted from `from`: what a decision promises.
pub fn due_from(hours: &Hours, from: DateTime<Utc>, minutes: i64, business: bool) -> DateTime<Utc> {
    Counter { hours, business }
        .after(from, minutes * 60)
        .unwrap_or(from + Duration::minutes(minutes))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Response,
    Update,
    Resolution,
    /// The date the customer expects an answer by (from the case form), in calendar time.
    Customer,
}

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Target::Response => "First response",
            Target::Update => "Next update",
            Target::Resolution => "Resolution",
            Target::Customer => "Customer's deadline",
        }
    }
}

/// Whether a clock is counting now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Next update before the level has acknowledged.
    NotStarted,
    Running,
    Paused,
    Stopped,
}

/// What an agent needs to know about one clock, in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Breached,
    AtRisk,
    OnTrack,
    Paused,
    NotStarted,
    Met,
    Missed,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Breached => "Breached",
            Standing::AtRisk => "At risk",
            Standing::OnTrack => "On track",
            Standing::Paused => "Paused",
            Standing::NotStarted => "Not started",
            Standing::Met => "Met",
            Standing::Missed => "Missed",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Standing::Breached => "breached",
            Standing::AtRisk => "at-risk",
            Standing::OnTrack => "on-track",
            Standing::Paused => "paused",
            Standing::NotStarted => "not-started",
            Standing::Met => "met",
            Standing::Missed => "missed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub target: Target,
    /// The level's name (empty for the customer's deadline).
    pub level: String,
    /// Seconds allowed and seconds used by now, in the clock's own time.
    pub allowed: i64,
    pub used: i64,
    /// When it falls or fell due. `None` while paused or not started before its due time.
    pub due: Option<DateTime<Utc>>,
    pub phase: Phase,
    pub business: bool,
}

impl Deadline {
    /// Seconds left (negative once breached).
    pub fn left(&self) -> i64 {
        self.allowed - self.used
    }

    pub fn breached(&self) -> bool {
        self.phase != Phase::NotStarted && self.used >= self.allowed
    }

    /// Percent of the allowed time used, capped at 999.
    pub fn percent_used(&self) -> i64 {
        if self.allowed <= 0 {
            return 100;
        }
        (self.used.max(0) * 100 / self.allowed).min(999)
    }

    pub fn standing(&self, warn_percent: u32) -> Standing {
        match (self.phase, self.breached()) {
            (Phase::NotStarted, _) => Standing::NotStarted,
            (Phase::Stopped, true) => Standing::Missed,
            (Phase::Stopped, false) => Standing::Met,
            (_, true) => Standing::Breached,
            (Phase::Paused, false) => Standing::Paused,
            (Phase::Running, false) if self.percent_used() >= i64::from(warn_percent) => {
                Standing::AtRisk
            }
            (Phase::Running, false) => Standing::OnTrack,
        }
    }

    /// Still counting, or waiting to: the clocks a queue sorts by.
    pub fn live(&self) -> bool {
        matches!(self.phase, Phase::Running | Phase::Paused)
    }
}

/// A level that has not acknowledged the case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Silence {
    pub level_id: String,
    pub level: String,
    /// Since escalation or the last repeated notification.
    pub since: DateTime<Utc>,
    pub allowed: i64,
    pub elapsed: i64,
}

impl Silence {
    pub fn exceeded(&self) -> bool {
        self.elapsed >= self.allowed
    }
}

/// Every clock of a case at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clocks {
    /// The clocks of the level in force, then the customer's deadline.
    pub current: Vec<Deadline>,
    /// Silence of the level in force, while it has not acknowledged.
    pub silence: Option<Silence>,
    /// Every breach so far, at every level and update cycle, oldest first.
    pub breaches: Vec<Breach>,
    /// The clocks of the levels the case passed through before the one in force, as they
    /// stopped when it moved on (met or missed), oldest level first.
    pub earlier: Vec<Deadline>,
}

impl Clocks {
    /// The earliest due time of a clock still counting (or paused past its due time).
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.current
            .iter()
            .filter(|d| d.live())
            .filter_map(|d| d.due)
            .min()
    }

    /// The worst standing among the clocks still counting.
    pub fn worst(&self, warn_percent: u32) -> Option<Standing> {
        self.current
            .iter()
            .filter(|d| d.live())
            .map(|d| d.standing(warn_percent))
            .min()
    }
}

/// A deadline that passed, as recorded on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Breach {
    pub target: Target,
    pub level: String,
    pub due: DateTime<Utc>,
}

/// Statuses in which clocks count.
fn counts(status: Status) -> bool {
    status.is_open() && !status.is_waiting()
}

/// The case's status over time: `(from, status)` in order.
fn status_history(case: &Case) -> Vec<(DateTime<Utc>, Status)> {
    let mut changes: Vec<(DateTime<Utc>, Status, Status)> = case
        .timeline
        .iter()
        .filter_map(|e| match e.event {
            Event::StatusChanged { from, to } => Some((e.at, from, to)),
            _ => None,
        })
        .collect();
    sort::sort_by_key(&mut changes, |c| c.0);
    let first = changes.first().map(|c| c.1).unwrap_or(case.status);
    let mut out = vec![(
        case.created_at
            .min(changes.first().map_or(case.created_at, |c| c.0)),
        first,
    )];
    out.extend(changes.into_iter().map(|(at, _, to)| (at, to)));
    out
}

fn status_at(history: &[(DateTime<Utc>, Status)], at: DateTime<Utc>) -> Status {
    history
        .iter()
        .take_while(|(t, _)| *t <= at)
        .last()
        .or(history.first())
        .map(|(_, s)| *s)
        .unwrap_or_default()
}

/// Stretches of `[from, to)` during which `counting(status)` holds.
fn stretches(
    history: &[(DateTime<Utc>, Status)],
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    counting: impl Fn(Status) -> bool,
) -> Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> {
    let mut out = Vec::new();
    let mut open: Option<DateTime<Utc>> = counting(status_at(history, from)).then_some(from);
    for (at, status) in history.iter().filter(|(at, _)| *at > from) {
        if to.is_some_and(|end| *at >= end) {
            break;
        }
        match (open, counting(*status)) {
            (Some(start), false) => {
                out.push((start, Some(*at)));
                open = None;
            }
            (None, true) => open = Some(*at),
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push((start, to));
    }
    out
}

fn clock(
    target: Target,
    level: &str,
    allowed: i64,
    spans: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    phase: Phase,
    counter: Counter,
    now: DateTime<Utc>,
) -> Deadline {
    let mut used = 0;
    let mut due = None;
    let mut before = 0;
    for (start, end) in spans {
        let counted_end = end.map_or(now, |e| e.min(now));
        if counted_end > *start {
            used += counter.between(*start, counted_end);
        }
        if due.is_none() {
            let span = end.map(|e| counter.between(*start, e));
            match span {
                Some(span) if before + span < allowed => before += span,
                _ => due = counter.after(*start, allowed - before),
            }
        }
    }
    Deadline {
        target,
        level: level.to_string(),
        allowed,
        used,
        due,
        phase,
        business: counter.business,
    }
}

/// Every clock of `case` at `now`, counted with the team's `hours`.
pub fn clocks(case: &Case, hours: &Hours, now: DateTime<Utc>) -> Clocks {
    // A `now` older than the case's last event is a stale tick: the event has happened.
    let latest = case
        .timeline
        .iter()
        .map(|e| e.at)
        .chain(case.decisions.iter().map(|d| d.at))
        .max();
    let now = latest.map_or(now, |l| now.max(l));
    let history = status_history(case);
    let mut out = Clocks::default();
    let mut decisions: Vec<_> = case.decisions.iter().collect();
    sort::sort_by_key(&mut decisions, |d| d.at);
    for (i, decision) in decisions.iter().enumerate() {
        let end = decisions.get(i + 1).map(|d| d.at);
        let in_force = end.is_none();
        let targets = decision.targets();
        let hours = hours.in_zone(decision.zone.as_deref());
        let counter = Counter {
            hours: &hours,
            business: targets.business,
        };
        let level = decision.chosen_name.as_str();
        let start = decision.at;
        let within = |at: DateTime<Utc>| at >= start && end.is_none_or(|e| at < e);
        let phase_now = |stopped_at: Option<DateTime<Utc>>| {
            if !in_force || stopped_at.is_some_and(|s| s <= now) {
                Phase::Stopped
            } else {
                match status_at(&history, now) {
                    s if !s.is_open() => Phase::Stopped,
                    s if s.is_waiting() => Phase::Paused,
                    _ => Phase::Running,
                }
            }
        };
        let mut found = Vec::new();

        // First response: until the first move out of Escalated.
        let acknowledged = history
            .iter()
            .find(|(at, s)| within(*at) && *at >= start && *s != Status::Escalated)
            .map(|(at, _)| *at);
        if targets.response > 0 {
            let stop = match (acknowledged, end) {
                (Some(a), Some(e)) => Some(a.min(e)),
                (a, e) => a.or(e),
            };
            let spans = [(start, stop)];
            let phase = if stop.is_some() {
                Phase::Stopped
            } else {
                Phase::Running
            };
            found.push(clock(
                Target::Response,
                level,
                targets.response * 60,
                &spans,
                phase,
                counter,
                now,
            ));
            if in_force && stop.is_none() && targets.silence > 0 {
                let since = case
                    .timeline
                    .iter()
                    .filter(|e| within(e.at) && matches!(e.event, Event::Renotified { .. }))
                    .map(|e| e.at)
                    .max()
                    .unwrap_or(start)
                    .max(start);
                out.silence = Some(Silence {
                    level_id: decision.chosen.clone(),
                    level: level.to_string(),
                    since,
                    allowed: targets.silence * 60,
                    elapsed: counter.between(since, now),
                });
            }
        }

        // Next update: cycles from acknowledgement, restarted by every update.
        if targets.update > 0 {
            // Resolving or closing is not an acknowledgement: the clock starts at the first
            // move into an open status other than Escalated.
            let first = if targets.response > 0 {
                history
                    .iter()
                    .find(|(at, s)| {
                        within(*at) && *at >= start && *s != Status::Escalated && s.is_open()
                    })
                    .map(|(at, _)| *at)
            } else {
                Some(start)
            };
            match first {
                // Waiting for the acknowledgement that starts it. A case closed (or moved on)
                // before that never had this clock: it is neither met nor missed.
                None if !in_force || !status_at(&history, now).is_open() => {}
                None => found.push(Deadline {
                    target: Target::Update,
                    level: level.to_string(),
                    allowed: targets.update * 60,
                    used: 0,
                    due: None,
                    phase: Phase::NotStarted,
                    business: targets.business,
                }),
                Some(first) => {
                    let mut starts: Vec<DateTime<Utc>> = vec![first];
                    starts.extend(case.timeline.iter().filter_map(|e| {
                        let restarts = matches!(
                            e.event,
                            Event::UpdateLogged { .. }
                                | Event::StepAdded { .. }
                                | Event::StatusChanged {
                                    to: Status::Reopened,
                                    ..
                                }
                        );
                        (restarts && within(e.at) && e.at > first).then_some(e.at)
                    }));
                    sort::sort(&mut starts);
                    starts.dedup();
                    for (n, cycle_start) in starts.iter().enumerate() {
                        let cycle_end = starts.get(n + 1).copied().or(end);
                        let last = n + 1 == starts.len();
                        let spans = stretches(&history, *cycle_start, cycle_end, counts);
                        let phase = if last {
                            phase_now(cycle_end)
                        } else {
                            Phase::Stopped
                        };
                        let d = clock(
                            Target::Update,
                            level,
                            targets.update * 60,
                            &spans,
                            phase,
                            counter,
                            now,
                        );
                        if last {
                            found.push(d);
                        } else if d.breached() {
                            if let Some(due) = d.due {
                                out.breaches.push(Breach {
                                    target: Target::Update,
                                    level: level.to_string(),
                                    due,
                                });
                            }
                        }
                    }
                }
            }
        }

        // Resolution: every counting moment of the level's time.
        if targets.resolution > 0 {
            let spans = stretches(&history, start, end, counts);
            found.push(clock(
                Target::Resolution,
                level,
                targets.resolution * 60,
                &spans,
                phase_now(end),
                counter,
                now,
            ));
        }

        for d in &found {
            if let (true, Some(due)) = (d.breached(), d.due) {
                if due <= now {
                    out.breaches.push(Breach {
                        target: d.target,
                        level: level.to_string(),
                        due,
                    });
                }
            }
        }
        if in_force {
            out.current = found;
        } else {
            out.earlier.extend(found);
        }
    }

    if let Some(deadline) = case.details.deadline {
        let resolved = history
            .iter()
            .rev()
            .find(|(_, s)| !s.is_open())
            .map(|(at, _)| *at)
            .filter(|_| !status_at(&history, now).is_open());
        let counted_until = resolved.unwrap_or(now).min(now);
        let d = Deadline {
            target: Target::Customer,
            level: String::new(),
            // A deadline already past when the case was opened is simply late: negative.
            allowed: (deadline - case.created_at).num_seconds(),
            used: (counted_until - case.created_at).num_seconds(),
            due: Some(deadline),
            phase: if resolved.is_some() {
                Phase::Stopped
            } else {
                Phase::Running
            },
            business: false,
        };
        if d.breached() && deadline <= now {
            out.breaches.push(Breach {
                target: Target::Customer,
                level: String::new(),
                due: deadline,
            });
        }
        out.current.push(d);
    }
    sort::sort(&mut out.breaches);
    out.breaches.dedup();
    out
}

/// Breaches the clocks show that the timeline does not record yet.
pub fn unrecorded_breaches(case: &Case, clocks: &Clocks) -> Vec<Breach> {
    let recorded: BTreeSet<Breach> = case
        .timeline
        .iter()
        .filter_map(|e| match &e.event {
            Event::Breached { target, level, due } => Some(Breach {
                target: *target,
                level: level.clone(),
                due: *due,
            }),
            _ => None,
        })
        .collect();
    clocks
        .breaches
        .iter()
        .filter(|b| !recorded.contains(b))
        .cloned()
        .collect()
}

/// Plain words for a span of counted time: "2 h 05 min", "3 d 4 h", "45 s".
pub fn span_words(seconds: i64) -> String {
    let s = seconds.abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60);
    if d > 0 {
        if h > 0 {
            format!("{d} d {h} h")
        } else {
            format!("{d} d")
        }
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min")
    } else {
        format!("{s} s")
    }
}

text_enum!(Target {
    Response = "response",
    Update = "update",
    Resolution = "resolution",
    Customer = "customer",
});

impl FromJson for Calendar {
    fn from_json(v: &Value) -> Read<Calendar> {
        let f = Fields::of(v)?;
        Ok(Calendar {
            time_zone: f.get("time_zone")?,
            working_days: f.get("working_days")?,
            opens: f.get("opens")?,
            closes: f.get("closes")?,
            holidays: f.get("holidays")?,
        })
    }
}

impl FromJson for Targets {
    fn from_json(v: &Value) -> Read<Targets> {
        let f = Fields::of(v)?;
        Ok(Targets {
            response: f.get("response")?,
            update: f.get("update")?,
            resolution: f.get("resolution")?,
            silence: f.get("silence")?,
            business: f.get("business")?,
        })
    }
}

impl FromJson for Breach {
    fn from_json(v: &Value) -> Read<Breach> {
        let f = Fields::of(v)?;
        Ok(Breach {
            target: f.get("target")?,
            level: f.get("level")?,
            due: f.get("due")?,
        })
    }
}

deserialize_by_hand!(DayTime, Calendar, Targets, Target, Breach);

write_fields!(Calendar {
    time_zone,
    working_days,
    opens,
    closes,
    holidays,
});
write_fields!(Targets {
    response,
    update,
    resolution,
    silence,
    business,
});
write_fields!(Breach { target, level, due });
