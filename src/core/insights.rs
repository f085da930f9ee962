//! The figures a team lead runs the team on, worked out from the cases themselves: volume,
//! speed, deadlines, decisions, handoffs and patterns over a period (README, "Metric
//! definitions"). Pure: the cases, the playbook, the period and the time are parameters. Every
//! figure keeps the ids of the cases behind it, so the screen can open them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};

use super::case::{Case, Channel, Event, LevelMove, Status};
use super::clock::{clocks, span_words, Hours, Standing, Target};
use super::handoff::csv_cell;
use super::letter_case::to_lower;
use super::playbook::{Playbook, Priority};
use super::sort;
use super::triage::{hours, Decision};
use super::zone::Zone;

/// `[from, to)`: the cases opened in it count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Period {
    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: self.from - (self.to - self.from),
            to: self.from,
        }
    }

    fn holds(&self, at: DateTime<Utc>) -> bool {
        at >= self.from && at < self.to
    }
}

/// The periods a lead picks from; each is whole days in the team calendar's time zone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Span {
    ThisWeek,
    #[default]
    LastFourWeeks,
    ThisQuarter,
    /// From the first day to the last, both included.
    Days(NaiveDate, NaiveDate),
}

impl Span {
    /// The period this span covers on `today`, midnight to midnight in `zone`. Weeks start on
    /// Monday; "last 4 weeks" is this week and the three before it.
    pub fn period(self, today: NaiveDate, zone: &Zone) -> Period {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let (from, to) = match self {
            Span::ThisWeek => (monday, monday + Duration::days(7)),
            Span::LastFourWeeks => (monday - Duration::days(21), monday + Duration::days(7)),
            Span::ThisQuarter => {
                let first = (today.month0() / 3) * 3 + 1;
                let start = NaiveDate::from_ymd_opt(today.year(), first, 1).unwrap_or(today);
                let end = if first == 10 {
                    NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(today.year(), first + 3, 1)
                };
                (start, end.unwrap_or(today))
            }
            Span::Days(a, b) => {
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                (a, b + Duration::days(1))
            }
        };
        let midnight = |d: NaiveDate| zone.moment(d.and_time(NaiveTime::MIN));
        Period {
            from: midnight(from),
            to: midnight(to),
        }
    }
}

/// The screen's choices as the query of its address (`#/insights?period=days&from=…`), so a
/// reload, a deep link or "Back" from the cases behind a figure finds them as they were.
pub fn to_query(span: Span, f: &Filters) -> String {
    let mut parts: Vec<String> = Vec::new();
    match span {
        Span::ThisWeek => parts.push("period=week".into()),
        Span::LastFourWeeks => {}
        Span::ThisQuarter => parts.push("period=quarter".into()),
        Span::Days(a, b) => {
            parts.push("period=days".into());
            parts.push(format!("from={}", day_text(a)));
            parts.push(format!("to={}", day_text(b)));
        }
    }
    let text = |k: &str, v: &str, parts: &mut Vec<String>| {
        if !v.trim().is_empty() {
            parts.push(format!("{k}={}", encode(v.trim())));
        }
    };
    text("level", f.level.as_deref().unwrap_or_default(), &mut parts);
    text(
        "priority",
        f.priority.map(|p| p.label()).unwrap_or_default(),
        &mut parts,
    );
    text(
        "channel",
        f.channel.map(|c| c.key()).unwrap_or_default(),
        &mut parts,
    );
    text("owner", &f.owner, &mut parts);
    text("product", &f.product, &mut parts);
    parts.join("&")
}

/// Reads what [`to_query`] wrote; anything unknown or malformed is left at its default.
pub fn from_query(query: &str) -> (Span, Filters) {
    let mut span = Span::default();
    let mut f = Filters::default();
    let (mut from, mut to) = (None, None);
    for pair in query.split('&') {
        let Some((k, v)) = pair.split_once('=') else {
            continue;
        };
        let v = decode(v);
        match k {
            "period" if v == "week" => span = Span::ThisWeek,
            "period" if v == "quarter" => span = Span::ThisQuarter,
            "from" => from = day_of(&v),
            "to" => to = day_of(&v),
            "level" => f.level = Some(v).filter(|l| !l.is_empty() && l.len() <= 80),
            "priority" => {
                f.priority = [Priority::P1, Priority::P2, Priority::P3, Priority::P4]
                    .into_iter()
                    .find(|p| p.label() == v)
            }
            "channel" => f.channel = Channel::from_key(&v),
            "owner" => f.owner = v.chars().take(200).collect(),
            "product" => f.product = v.chars().take(200).collect(),
            _ => {}
        }
    }
    if query.split('&').any(|p| p == "period=days") {
        if let (Some(a), Some(b)) = (from, to) {
            span = Span::Days(a, b);
        }
    }
    (span, f)
}

/// `2026-04-06`, written and read by hand (chrono's parser and formatter would add their
/// pattern machinery to the download).
fn day_text(d: NaiveDate) -> String {
    super::closeout::iso_day(d)
}

fn day_of(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Percent-encodes what isn't a letter, a digit or `-_.~` (UTF-8 bytes).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Which cases count; an empty or `None` filter lets every case through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// The highest level the case reached (a level id).
    pub level: Option<String>,
    /// The priority of the decision in force.
    pub priority: Option<Priority>,
    pub owner: String,
    pub channel: Option<Channel>,
    pub product: String,
}

/// Median and 90th percentile (nearest rank) of some durations, in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

/// The nearest-rank percentiles of `values`: the smallest value with at least `p` percent of
/// the values at or below it.
pub fn spread(mut values: Vec<i64>) -> Spread {
    sort::sort_by_key(&mut values, |v| *v);
    let rank = |p: usize| {
        let n = values.len();
        (n > 0).then(|| values[(p * n).div_ceil(100).max(1) - 1])
    };
    Spread {
        count: values.len(),
        median: rank(50),
        p90: rank(90),
    }
}

/// A duration counted both ways: in calendar time and in the team's working time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Times {
    pub calendar: Spread,
    pub working: Spread,
}

fn times(spans: &[(DateTime<Utc>, DateTime<Utc>)], hours: &Hours) -> Times {
    Times {
        calendar: spread(spans.iter().map(|(a, b)| (*b - *a).num_seconds()).collect()),
        working: spread(
            spans
                .iter()
                .map(|(a, b)| hours.working_between(*a, *b))
                .collect(),
        ),
    }
}

/// Some cases under a name (a level, a trigger, a missing part): counted, and opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub label: String,
    pub cases: Vec<String>,
}

/// One level: the cases escalated to it, how fast it acknowledged and resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelFigures {
    pub id: String,
    pub name: String,
    pub rank: u8,
    /// Cases escalated to this level at some point.
    pub escalated: Vec<String>,
    pub acknowledge: Times,
    /// Cases whose escalation to this level was acknowledged (the time to acknowledge's cases).
    pub acknowledged: Vec<String>,
    /// Escalations to this level that ended (moved on, resolved, closed) never acknowledged.
    pub never_acknowledged: Vec<String>,
    /// Escalations to this level still waiting for an acknowledgement (the level in force).
    pub waiting: Vec<String>,
    /// Cases resolved while this level was in force (the time to resolve's cases).
    pub resolved: Vec<String>,
    /// Cases resolved while this level was in force: opened -> resolved.
    pub resolve: Times,
}

/// One kind of deadline: met, missed (breached, still counting or not) and still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetFigures {
    pub target: Target,
    pub met: Vec<String>,
    pub missed: Vec<String>,
    pub open: Vec<String>,
}

/// One week of the period: escalations made and deadlines that fell due unmet in it (every
/// level's and update cycle's, recorded or not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    pub from: DateTime<Utc>,
    pub escalated: Vec<String>,
    pub breaches: usize,
}

/// Every figure of the Insights screen for one period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub opened: Vec<String>,
    pub triaged: Vec<String>,
    pub escalated: Vec<String>,
    pub kept_tier1: Vec<String>,
    /// Opened -> first move above tier 1.
    pub to_escalate: Times,
    /// Every level of the playbook, by rank (tier 1 first).
    pub levels: Vec<LevelFigures>,
    pub targets: Vec<TargetFigures>,
    /// Cases with a deadline missed at any level they passed through, or by the customer's
    /// deadline: the clocks' breaches (the case screen's), recorded on the timeline or not.
    pub missed_any: Vec<String>,
    /// Cases moved up because a level stayed silent, and the times a level was notified again.
    pub on_silence: Vec<String>,
    pub renotified: usize,
    /// Triage decisions (level moves outside a triage are not decisions), and those whose
    /// level differs from the recommendation.
    pub decisions: usize,
    pub overridden: usize,
    pub overridden_cases: Vec<String>,
    /// Recommended level (rows) x chosen level (columns), in `levels`' order.
    pub matrix: Vec<Vec<usize>>,
    pub de_escalated: Vec<String>,
    pub reopened: Vec<String>,
    /// Escalated again after a de-escalation or a reopening.
    pub re_escalated: Vec<String>,
    /// Escalated cases resolved, and those of them resolved at the first level they went to.
    pub resolved: Vec<String>,
    pub resolved_first_level: Vec<String>,
    pub handoffs: usize,
    /// Handoffs sent with a required part missing, by part.
    pub gaps: Vec<Group>,
    /// Most ticked triggers on the decisions in force, and the most frequent products.
    pub triggers: Vec<Group>,
    pub products: Vec<Group>,
    /// Root causes named on the last close-out of each closed case, most frequent first.
    pub root_causes: Vec<Group>,
    /// Cases whose last close-out recorded the customer's satisfaction, by score (1 to 5).
    pub satisfaction: [Vec<String>; 5],
    pub weeks: Vec<Week>,
    /// Deadlines that fell due unmet in the period, by weekday (Monday first) and hour, in the
    /// team calendar's time zone: where breaches cluster.
    pub heat: Vec<Vec<usize>>,
}

/// `part / whole`, or `None` with nothing to divide by.
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Figures {
    pub fn escalation_rate(&self) -> Option<f64> {
        rate(self.escalated.len(), self.triaged.len())
    }
    pub fn override_rate(&self) -> Option<f64> {
        rate(self.overridden, self.decisions)
    }
    /// The cases with any deadline missed, at any level they passed through, in the order
    /// they were opened.
    pub fn breached(&self) -> Vec<String> {
        self.missed_any.clone()
    }
}

fn rank(p: &Playbook, d: &Decision) -> u8 {
    p.level(&d.chosen).map_or(1, |l| l.rank)
}

/// The highest level a case reached (its id), if it was triaged.
pub fn highest_level(p: &Playbook, case: &Case) -> Option<String> {
    case.decisions
        .iter()
        .max_by_key(|d| rank(p, d))
        .map(|d| d.chosen.clone())
}

fn passes(p: &Playbook, case: &Case, f: &Filters) -> bool {
    let d = &case.details;
    // Part of a name or product, in any case, finds it ("alex" finds Alex Kim).
    let same = |a: &str, b: &str| b.trim().is_empty() || to_lower(a).contains(&to_lower(b.trim()));
    f.level
        .as_ref()
        .is_none_or(|l| highest_level(p, case).as_ref() == Some(l))
        && f.priority
            .is_none_or(|pr| case.decision().is_some_and(|d| d.priority == pr))
        && same(&d.owner, &f.owner)
        && f.channel.is_none_or(|c| d.channel == c)
        && same(&d.product, &f.product)
}

fn status_at(case: &Case, to: Status, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    case.timeline.iter().find_map(|e| match e.event {
        Event::StatusChanged { to: t, .. } if t == to && e.at >= after => Some(e.at),
        _ => None,
    })
}

fn push(groups: &mut Vec<Group>, label: &str, id: &str) {
    match groups.iter_mut().find(|g| g.label == label) {
        Some(g) => push_once(&mut g.cases, id),
        None => groups.push(Group {
            label: label.to_string(),
            cases: vec![id.to_string()],
        }),
    }
}

fn top(mut groups: Vec<Group>, n: usize) -> Vec<Group> {
    sort::sort_by_key(&mut groups, |g| std::cmp::Reverse(g.cases.len()));
    groups.truncate(n);
    groups
}

/// Every figure for the cases opened in `period` that pass `filters`, as of `now`.
pub fn figures<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    p: &Playbook,
    period: &Period,
    filters: &Filters,
    now: DateTime<Utc>,
) -> Figures {
    let hours = hours(p);
    let levels = p.levels_by_rank();
    let mut f = Figures {
        levels: levels
            .iter()
            .map(|l| LevelFigures {
                id: l.id.clone(),
                name: l.name.clone(),
                rank: l.rank,
                ..LevelFigures::default()
            })
            .collect(),
        targets: [
            Target::Response,
            Target::Update,
            Target::Resolution,
            Target::Customer,
        ]
        .into_iter()
        .map(|target| TargetFigures {
            target,
            met: Vec::new(),
            missed: Vec::new(),
            open: Vec::new(),
        })
        .collect(),
        matrix: vec![vec![0; levels.len()]; levels.len()],
        heat: vec![vec![0; 24]; 7],
        ..Figures::default()
    };
    let zone = hours.zone();
    let mut week_from = period.from;
    while week_from < period.to && f.weeks.len() < 60 {
        f.weeks.push(Week {
            from: week_from,
            escalated: Vec::new(),
            breaches: 0,
        });
        week_from += Duration::days(7);
    }
    let week_of = |at: DateTime<Utc>| {
        period
            .holds(at)
            .then(|| ((at - period.from).num_days() / 7) as usize)
    };
    let level_index = |id: &str| levels.iter().position(|l| l.id == id);
    let mut escalate_spans = Vec::new();
    let mut ack_spans: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> = vec![Vec::new(); levels.len()];
    let mut resolve_spans: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> =
        vec![Vec::new(); levels.len()];
    let mut triggers: Vec<Group> = Vec::new();
    let mut products: Vec<Group> = Vec::new();
    let mut root_causes: Vec<Group> = Vec::new();

    for case in cases {
        if !period.holds(case.created_at) || !passes(p, case, filters) {
            continue;
        }
        let id = case.id.as_str();
        f.opened.push(id.to_string());
        if let Some(c) = super::learning::last_closed(case) {
            let cause = c.root_cause_name.trim();
            if !cause.is_empty() {
                push(&mut root_causes, cause, id);
            }
            if let Some(s) = &c.satisfaction {
                if let Some(bucket) = f.satisfaction.get_mut(usize::from(s.score).wrapping_sub(1)) {
                    bucket.push(id.to_string());
                }
            }
        }
        if case.decisions.is_empty() {
            continue;
        }
        f.triaged.push(id.to_string());
        let product = case.details.product.trim();
        if !product.is_empty() {
            push(&mut products, product, id);
        }
        if let Some(d) = case.decision() {
            for t in &d.triggers {
                let label = p.trigger(t).map_or(t.as_str(), |t| t.label.as_str());
                push(&mut triggers, label, id);
            }
        }

        // Level history: each decision that put the case at a new level.
        let mut escalations = 0;
        let mut first_level: Option<&str> = None;
        let mut first_escalation: Option<DateTime<Utc>> = None;
        let mut previous: Option<&Decision> = None;
        for (i, d) in case.decisions.iter().enumerate() {
            let next_at = case.decisions.get(i + 1).map(|n| n.at);
            if d.moved.is_none() {
                f.decisions += 1;
                if d.chosen != d.recommended {
                    f.overridden += 1;
                    push_once(&mut f.overridden_cases, id);
                }
                if let (Some(r), Some(c)) = (level_index(&d.recommended), level_index(&d.chosen)) {
                    f.matrix[r][c] += 1;
                }
            }
            // Reopened or moved down since the previous decision: the same level again is a
            // new escalation.
            let reset = |since: DateTime<Utc>| {
                case.timeline.iter().any(|e| {
                    e.at > since
                        && e.at <= d.at
                        && matches!(
                            e.event,
                            Event::StatusChanged {
                                to: Status::Reopened,
                                ..
                            } | Event::LevelChanged {
                                how: LevelMove::DeEscalated,
                                ..
                            }
                        )
                })
            };
            let new_level = previous.is_none_or(|prev| prev.chosen != d.chosen || reset(prev.at));
            if rank(p, d) > 0 && new_level && d.moved != Some(LevelMove::DeEscalated) {
                escalations += 1;
                match first_escalation {
                    None => {
                        first_escalation = Some(d.at);
                        escalate_spans.push((case.created_at, d.at));
                        first_level = Some(d.chosen.as_str());
                        if let Some(w) = week_of(d.at) {
                            f.weeks[w].escalated.push(id.to_string());
                        }
                    }
                    Some(first) if reset(first) => push_once(&mut f.re_escalated, id),
                    Some(_) => {}
                }
                if let Some(li) = level_index(&d.chosen) {
                    let level = &mut f.levels[li];
                    push_once(&mut level.escalated, id);
                    let ack = status_at(case, Status::Acknowledged, d.at)
                        .filter(|at| next_at.is_none_or(|n| *at < n));
                    match ack {
                        Some(at) => {
                            ack_spans[li].push((d.at, at));
                            push_once(&mut level.acknowledged, id);
                        }
                        None if next_at.is_some() || !case.status.is_open() => {
                            push_once(&mut level.never_acknowledged, id)
                        }
                        None => push_once(&mut level.waiting, id),
                    }
                }
            }
            previous = Some(d);
        }
        if escalations > 0 {
            f.escalated.push(id.to_string());
        } else {
            f.kept_tier1.push(id.to_string());
        }

        // Resolution: opened -> first resolved once the case had a level, at the level then
        // in force (a case resolved before its first triage and escalated later counts from
        // the resolution after it).
        let first_decision = case.decisions.iter().map(|d| d.at).min();
        let resolved_at = first_decision.and_then(|from| status_at(case, Status::Resolved, from));
        if let Some(at) = resolved_at {
            let in_force = case.decisions.iter().rev().find(|d| d.at <= at);
            if let Some(li) = in_force.and_then(|d| level_index(&d.chosen)) {
                resolve_spans[li].push((case.created_at, at));
                push_once(&mut f.levels[li].resolved, id);
            }
            if escalations > 0 {
                f.resolved.push(id.to_string());
                let stayed = case
                    .decisions
                    .iter()
                    .filter(|d| d.at <= at && rank(p, d) > 0)
                    .all(|d| Some(d.chosen.as_str()) == first_level);
                if stayed {
                    f.resolved_first_level.push(id.to_string());
                }
            }
        }

        for e in &case.timeline {
            match &e.event {
                Event::LevelChanged { how, .. } => match how {
                    LevelMove::Silence => push_once(&mut f.on_silence, id),
                    LevelMove::DeEscalated => push_once(&mut f.de_escalated, id),
                    LevelMove::Forced => {}
                },
                Event::Renotified { .. } => f.renotified += 1,
                Event::StatusChanged {
                    to: Status::Reopened,
                    ..
                } => push_once(&mut f.reopened, id),
                Event::HandedOff { sent_without, .. } => {
                    f.handoffs += 1;
                    for part in sent_without {
                        push(&mut f.gaps, part, id);
                    }
                }
                _ => {}
            }
        }

        // Deadlines of the level in force (and the customer's): met, missed or still open.
        let warn = p.warn_percent;
        let clocks = clocks(case, &hours, now);
        let missed_now = clocks
            .current
            .iter()
            .any(|d| matches!(d.standing(warn), Standing::Missed | Standing::Breached));
        if !clocks.breaches.is_empty() || missed_now {
            f.missed_any.push(id.to_string());
        }
        for b in &clocks.breaches {
            if let Some(w) = week_of(b.due) {
                f.weeks[w].breaches += 1;
                let local = zone.local(b.due);
                let day = local.weekday().num_days_from_monday() as usize;
                f.heat[day][local.hour() as usize] += 1;
            }
        }
        for d in clocks.current {
            let Some(t) = f.targets.iter_mut().find(|t| t.target == d.target) else {
                continue;
            };
            let list = match d.standing(warn) {
                Standing::Met => &mut t.met,
                Standing::Missed | Standing::Breached => &mut t.missed,
                _ => &mut t.open,
            };
            push_once(list, id);
        }
    }

    f.to_escalate = times(&escalate_spans, &hours);
    for (li, level) in f.levels.iter_mut().enumerate() {
        level.acknowledge = times(&ack_spans[li], &hours);
        level.resolve = times(&resolve_spans[li], &hours);
    }
    f.gaps = top(std::mem::take(&mut f.gaps), 20);
    f.triggers = top(triggers, 10);
    f.products = top(products, 10);
    f.root_causes = top(root_causes, 12);
    f
}

/// The average satisfaction score in tenths (42 for 4.2), worked with whole numbers, and the
/// number of answers.
fn satisfaction(buckets: &[Vec<String>; 5]) -> Amount {
    let answers: usize = buckets.iter().map(Vec::len).sum();
    let total: usize = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (i + 1) * b.len())
        .sum();
    Amount::Tenths {
        tenths: (total * 10 + answers / 2).checked_div(answers).unwrap_or(0),
        answers,
    }
}

/// The average satisfaction score as "4.2 of 5 (12 answers)"; "–" with no answer.
pub fn satisfaction_text(buckets: &[Vec<String>; 5]) -> String {
    satisfaction(buckets).words()
}

/// Adds a case once. Cases are gone through one at a time, so a case already in the list is
/// its last entry: no scan of the whole list (which made 5,000 cases quadratic).
fn push_once(list: &mut Vec<String>, id: &str) {
    if list.last().is_none_or(|c| c != id) {
        list.push(id.to_string());
    }
}

/// One figure as the screen, the CSV and the Markdown report show it: its section, its name,
/// its value this period and the period before (in words, and as numbers for a spreadsheet),
/// and the cases behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub section: &'static str,
    pub name: String,
    pub value: String,
    pub previous: String,
    /// This period's and the previous one's value as numbers.
    pub amounts: [Amount; 2],
    pub cases: Vec<String>,
}

/// A figure's value as numbers: what the words say, for a spreadsheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Amount {
    /// No number (a value only in words).
    #[default]
    None,
    Count(usize),
    /// A part of a whole, in words "2 of 3 (67%)".
    Share(usize, usize),
    /// The same, in words only its percentage.
    Rate(usize, usize),
    /// Durations in seconds.
    Time(Spread),
    /// An average in tenths (42 for 4.2 of 5) of `answers` answers.
    Tenths {
        tenths: usize,
        answers: usize,
    },
}

impl Amount {
    /// The value as the screen says it.
    pub fn words(&self) -> String {
        match *self {
            Amount::None => "–".into(),
            Amount::Count(n) => n.to_string(),
            Amount::Share(part, whole) => of(part, whole),
            Amount::Rate(part, whole) => percent(part, whole),
            Amount::Time(s) => spread_words(&s),
            Amount::Tenths { answers: 0, .. } => "–".into(),
            Amount::Tenths { tenths, answers } => format!(
                "{}.{} of 5 ({answers} answer{})",
                tenths / 10,
                tenths % 10,
                if answers == 1 { "" } else { "s" }
            ),
        }
    }

    /// The CSV's number columns, in the order of `NUMBER_COLUMNS`; empty where they don't
    /// apply. Durations in whole minutes (rounded), shares in whole percent.
    fn numbers(&self) -> [String; 6] {
        let minutes = |s: Option<i64>| s.map_or(String::new(), |s| ((s + 30) / 60).to_string());
        let mut out: [String; 6] = Default::default();
        match *self {
            Amount::None => {}
            Amount::Count(n) => out[0] = n.to_string(),
            Amount::Share(part, whole) | Amount::Rate(part, whole) => {
                out[0] = part.to_string();
                out[1] = whole.to_string();
                if whole > 0 {
                    out[2] = ((part * 200 + whole) / (whole * 2)).to_string();
                }
            }
            Amount::Time(s) => {
                out[0] = s.count.to_string();
                out[3] = minutes(s.median);
                out[4] = minutes(s.p90);
            }
            Amount::Tenths { tenths, answers } => {
                out[0] = answers.to_string();
                if answers > 0 {
                    out[5] = format!("{}.{}", tenths / 10, tenths % 10);
                }
            }
        }
        out
    }
}

/// The numbers a CSV row carries for each period, after the words.
const NUMBER_COLUMNS: [&str; 6] = [
    "count",
    "out of",
    "percent",
    "median (minutes)",
    "90th percentile (minutes)",
    "average (1-5)",
];

/// A share in whole percent, rounded half up (in integers: float formatting would add ~10 KB
/// to the download for this one use).
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{}%", (part * 200 + whole) / (whole * 2))
}

fn of(part: usize, whole: usize) -> String {
    if whole == 0 {
        return part.to_string();
    }
    format!("{part} of {whole} ({})", percent(part, whole))
}

fn spread_words(s: &Spread) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!(
            "median {}, 90th percentile {} ({} case{})",
            span_words(m),
            span_words(p),
            s.count,
            if s.count == 1 { "" } else { "s" }
        ),
        _ => "no cases".to_string(),
    }
}

/// The lines being written: each figure's value now and before, said in words from its numbers
/// (or, rarely, in words of its own).
struct Lines(Vec<Line>);

impl Lines {
    fn add(
        &mut self,
        section: &'static str,
        name: String,
        now: Amount,
        before: Amount,
        cases: &[String],
    ) {
        self.0.push(Line {
            section,
            name,
            value: now.words(),
            previous: before.words(),
            amounts: [now, before],
            cases: cases.to_vec(),
        });
    }

    fn count(&mut self, section: &'static str, name: String, now: &[String], before: &[String]) {
        let (a, b) = (Amount::Count(now.len()), Amount::Count(before.len()));
        self.add(section, name, a, b, now);
    }

    fn share(
        &mut self,
        section: &'static str,
        name: String,
        now: (&[String], usize),
        before: (&[String], usize),
    ) {
        let a = Amount::Share(now.0.len(), now.1);
        let b = Amount::Share(before.0.len(), before.1);
        self.add(section, name, a, b, now.0);
    }
}

/// Every figure, this period beside the previous one, in the order the screen reads them.
/// `tickets`: how many tickets the team handled in the period, when the lead enters it (the app
/// sees only the cases opened in it), for escalations relative to all of them.
pub fn lines(f: &Figures, before: &Figures, tickets: Option<usize>) -> Vec<Line> {
    let mut out = Lines(Vec::new());
    let (b, n) = (before, |v: &Vec<String>| v.len());
    out.count("Volume", "Cases opened".into(), &f.opened, &b.opened);
    out.count("Volume", "Triaged".into(), &f.triaged, &b.triaged);
    out.count(
        "Volume",
        "Escalated above tier 1".into(),
        &f.escalated,
        &b.escalated,
    );
    out.count(
        "Volume",
        "Kept at tier 1".into(),
        &f.kept_tier1,
        &b.kept_tier1,
    );
    out.add(
        "Volume",
        "Escalation rate (escalated / triaged)".into(),
        Amount::Rate(n(&f.escalated), n(&f.triaged)),
        Amount::Rate(n(&b.escalated), n(&b.triaged)),
        &f.escalated,
    );
    if let Some(t) = tickets {
        out.add(
            "Volume",
            "Escalated relative to tickets handled".into(),
            Amount::Share(n(&f.escalated), t),
            Amount::None,
            &f.escalated,
        );
        if t < n(&f.escalated) {
            if let Some(line) = out.0.last_mut() {
                line.value =
                    format!("fewer tickets entered ({t}) than cases escalated: check the number");
                line.amounts[0] = Amount::None;
            }
        }
    }
    let levels = || f.levels.iter().zip(&b.levels);
    let above = || levels().filter(|(l, _)| l.rank > 0);
    for (l, lb) in above() {
        out.count(
            "Volume",
            format!("Escalated to {}", l.name),
            &l.escalated,
            &lb.escalated,
        );
    }
    for (name, pick) in [
        (
            "working time",
            (|t: &Times| t.working) as fn(&Times) -> Spread,
        ),
        ("calendar time", |t: &Times| t.calendar),
    ] {
        let time = |x: &Times| Amount::Time(pick(x));
        out.add(
            "Speed",
            format!("Time to escalate ({name})"),
            time(&f.to_escalate),
            time(&b.to_escalate),
            &f.escalated,
        );
        for (l, lb) in above() {
            out.add(
                "Speed",
                format!("Time to acknowledge, {} ({name})", l.name),
                time(&l.acknowledge),
                time(&lb.acknowledge),
                &l.acknowledged,
            );
        }
        for (l, lb) in levels() {
            out.add(
                "Speed",
                format!("Time to resolve, {} ({name})", l.name),
                time(&l.resolve),
                time(&lb.resolve),
                &l.resolved,
            );
        }
    }
    for (l, lb) in above() {
        let (all, all_b) = (n(&l.escalated), n(&lb.escalated));
        out.share(
            "Speed",
            format!("Never acknowledged, {}", l.name),
            (&l.never_acknowledged, all),
            (&lb.never_acknowledged, all_b),
        );
        out.share(
            "Speed",
            format!("Still waiting for acknowledgement, {}", l.name),
            (&l.waiting, all),
            (&lb.waiting, all_b),
        );
    }
    for (t, tb) in f.targets.iter().zip(&b.targets) {
        let whole = |t: &TargetFigures| t.met.len() + t.missed.len() + t.open.len();
        let label = t.target.label();
        out.share(
            "Deadlines",
            format!("{label}: met"),
            (&t.met, whole(t)),
            (&tb.met, whole(tb)),
        );
        out.share(
            "Deadlines",
            format!("{label}: missed"),
            (&t.missed, whole(t)),
            (&tb.missed, whole(tb)),
        );
        out.share(
            "Deadlines",
            format!("{label}: still open"),
            (&t.open, whole(t)),
            (&tb.open, whole(tb)),
        );
    }
    let (missed, missed_b) = (f.breached(), b.breached());
    out.share(
        "Deadlines",
        "Cases with a deadline missed".into(),
        (&missed, n(&f.triaged)),
        (&missed_b, n(&b.triaged)),
    );
    out.count(
        "Deadlines",
        "Escalated on silence".into(),
        &f.on_silence,
        &b.on_silence,
    );
    out.add(
        "Deadlines",
        "Levels notified again".into(),
        Amount::Count(f.renotified),
        Amount::Count(b.renotified),
        &[],
    );
    out.add(
        "Decisions",
        "Recommendation overridden".into(),
        Amount::Share(f.overridden, f.decisions),
        Amount::Share(b.overridden, b.decisions),
        &f.overridden_cases,
    );
    let (esc, esc_b) = (n(&f.escalated), n(&b.escalated));
    out.share(
        "Decisions",
        "De-escalated".into(),
        (&f.de_escalated, esc),
        (&b.de_escalated, esc_b),
    );
    out.share(
        "Decisions",
        "Re-escalated".into(),
        (&f.re_escalated, esc),
        (&b.re_escalated, esc_b),
    );
    out.share(
        "Decisions",
        "Reopened".into(),
        (&f.reopened, n(&f.triaged)),
        (&b.reopened, n(&b.triaged)),
    );
    out.share(
        "Decisions",
        "Resolved at the first level escalated to".into(),
        (&f.resolved_first_level, n(&f.resolved)),
        (&b.resolved_first_level, n(&b.resolved)),
    );
    out.add(
        "Handoffs",
        "Handoffs sent".into(),
        Amount::Count(f.handoffs),
        Amount::Count(b.handoffs),
        &[],
    );
    let prior = |groups: &[Group], label: &str| {
        groups
            .iter()
            .find(|g| g.label == label)
            .map_or(0, |g| g.cases.len())
    };
    let answered = |f: &Figures| f.satisfaction.iter().flatten().cloned().collect::<Vec<_>>();
    out.add(
        "Outcomes",
        "Customer satisfaction (average)".into(),
        satisfaction(&f.satisfaction),
        satisfaction(&b.satisfaction),
        &answered(f),
    );
    let happy = |f: &Figures| {
        [&f.satisfaction[3], &f.satisfaction[4]]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
    };
    out.share(
        "Outcomes",
        "Satisfied customers (4 or 5)".into(),
        (&happy(f), answered(f).len()),
        (&happy(b), answered(b).len()),
    );
    for (section, prefix, now, was) in [
        ("Outcomes", "Root cause", &f.root_causes, &b.root_causes),
        ("Handoffs", "Sent without", &f.gaps, &b.gaps),
        ("Patterns", "Trigger", &f.triggers, &b.triggers),
        ("Patterns", "Product or area", &f.products, &b.products),
    ] {
        for g in now {
            out.add(
                section,
                format!("{prefix}: {}", g.label),
                Amount::Count(g.cases.len()),
                Amount::Count(prior(was, &g.label)),
                &g.cases,
            );
        }
    }
    out.0
}

/// The figures as CSV for a spreadsheet (RFC 4180, formula-guarded as the case CSV is).
pub fn csv(lines: &[Line]) -> String {
    let mut head = vec![
        "Section".to_string(),
        "Figure".into(),
        "This period".into(),
        "Previous period".into(),
    ];
    for period in ["This period", "Previous period"] {
        head.extend(NUMBER_COLUMNS.iter().map(|c| format!("{period}: {c}")));
    }
    head.push("Cases".into());
    let mut out = String::new();
    for row in std::iter::once(head).chain(lines.iter().map(|l| {
        let mut row = vec![
            l.section.to_string(),
            l.name.clone(),
            l.value.clone(),
            l.previous.clone(),
        ];
        for a in &l.amounts {
            row.extend(a.numbers());
        }
        row.push(l.cases.len().to_string());
        row
    })) {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The figures as a Markdown report for a team meeting: one table per section.
pub fn markdown(lines: &[Line], title: &str) -> String {
    // One line per cell: a line break in a name (an imported product) would end the row.
    let cell = |s: &str| super::handoff::escape_markdown(&s.replace(['\n', '\r'], " "));
    let mut out = format!("# {}\n", cell(title));
    let mut section = "";
    for l in lines {
        if l.section != section {
            section = l.section;
            out.push_str(&format!(
                "\n## {section}\n\n| Figure | This period | Previous period |\n| --- | --- | --- |\n"
            ));
        }
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(&l.name),
            cell(&l.value),
            cell(&l.previous)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::Details;
    use crate::core::handoff::{exported, level_of, missing, Format};
    use crate::core::playbook::default_playbook;
    use crate::core::triage::{decide, Triage};
    use chrono::TimeZone;

    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, day, h, m, 0).unwrap()
    }

    fn show(t: DateTime<Utc>) -> String {
        t.to_rfc3339()
    }

    fn opened(id: &str, when: DateTime<Utc>) -> Case {
        let details = Details {
            subject: format!("Case {id}"),
            product: "Billing".into(),
            ..Details::default()
        };
        let seq = u32::from(id.as_bytes()[0] - b'a') + 1;
        let mut c = Case::open(id.into(), seq, details, when);
        c.id = id.into();
        c
    }

    fn triaged(
        c: &Case,
        triggers: &[&str],
        answers: &[(&str, &str)],
        chosen: Option<&str>,
        when: DateTime<Utc>,
    ) -> Case {
        let mut c = c.clone();
        c.triage = Some(Triage {
            triggers: triggers.iter().map(|t| t.to_string()).collect(),
            answers: answers
                .iter()
                .map(|(q, a)| (q.to_string(), a.to_string()))
                .collect(),
            ..Triage::default()
        });
        decide(
            &c,
            &default_playbook(),
            chosen,
            "The customer's contract says so",
            when,
            &show,
        )
        .unwrap()
    }

    fn moved(c: &Case, to: Status, when: DateTime<Utc>) -> Case {
        c.transitioned(to, when).unwrap()
    }

    const NO3: [(&str, &str); 3] = [("critical", "no"), ("defect", "no"), ("specialist", "no")];

    /// Two weeks from Monday 6 April 2026, the default playbook's calendar (09:00-17:00 UTC on
    /// weekdays), and five cases whose figures are worked out by hand below.
    fn fixture() -> (Vec<Case>, Period) {
        // A: a manager request, acknowledged after 30 minutes, resolved the same day.
        let a = opened("a", at(6, 10, 0));
        let a = triaged(&a, &["demands_supervisor"], &NO3, None, at(6, 10, 30));
        let a = moved(&a, Status::Acknowledged, at(6, 11, 0));
        let a = moved(&a, Status::Resolved, at(6, 14, 0));
        // B: kept at tier 1 and solved on the call.
        let b = opened("b", at(7, 9, 0));
        let mut answers = NO3.to_vec();
        answers.push(("supervisor", "no"));
        let b = triaged(&b, &["frustration"], &answers, None, at(7, 9, 10));
        let b = moved(&b, Status::Resolved, at(7, 9, 30));
        // C: a legal threat sent to the specialists instead (an override), handed off without
        // its steps, never acknowledged, resolved the next day.
        let c = opened("c", at(8, 16, 0));
        let c = triaged(&c, &["legal"], &[], Some("level2"), at(8, 17, 30));
        let p = default_playbook();
        let gaps = missing(&c, level_of(&c, &p).unwrap());
        let c = exported(&c, Format::Markdown, "copied", false, &gaps, at(8, 17, 35));
        let c = moved(&c, Status::Resolved, at(9, 12, 0));
        // D: opened before the period; E: opened in it, never triaged.
        let d = triaged(
            &opened("d", at(1, 10, 0)),
            &["legal"],
            &[],
            None,
            at(1, 10, 5),
        );
        let e = opened("e", at(10, 10, 0));
        (
            vec![a, b, c, d, e],
            Period {
                from: at(6, 0, 0),
                to: at(20, 0, 0),
            },
        )
    }

    fn ids(v: &[String]) -> Vec<&str> {
        let mut out: Vec<&str> = v.iter().map(String::as_str).collect();
        out.sort();
        out
    }

    #[test]
    fn a_fixture_gives_the_figures_worked_out_by_hand() {
        let p = default_playbook();
        let (cases, period) = fixture();
        let f = figures(&cases, &p, &period, &Filters::default(), at(20, 0, 0));
        assert_eq!(ids(&f.opened), ["a", "b", "c", "e"]);
        assert_eq!(ids(&f.triaged), ["a", "b", "c"]);
        assert_eq!(ids(&f.escalated), ["a", "c"]);
        assert_eq!(ids(&f.kept_tier1), ["b"]);
        assert_eq!(f.escalation_rate(), Some(2.0 / 3.0));
        // Opened -> escalated: 30 min and 90 min (60 of them in working time: 16:00-17:00).
        assert_eq!(
            f.to_escalate.calendar,
            Spread {
                count: 2,
                median: Some(1800),
                p90: Some(5400)
            }
        );
        assert_eq!(
            f.to_escalate.working,
            Spread {
                count: 2,
                median: Some(1800),
                p90: Some(3600)
            }
        );
        let level = |id: &str| f.levels.iter().find(|l| l.id == id).unwrap();
        assert_eq!(ids(&level("level1").escalated), ["a"]);
        assert_eq!(level("level1").acknowledge.calendar.median, Some(1800));
        assert_eq!(level("level1").resolve.calendar.median, Some(4 * 3600));
        assert_eq!(ids(&level("level2").never_acknowledged), ["c"]);
        assert_eq!(ids(&level("level1").acknowledged), ["a"]);
        assert!(level("level1").waiting.is_empty() && level("level2").waiting.is_empty());
        assert_eq!(ids(&level("level2").resolved), ["c"]);
        // Wednesday 16:00 to Thursday 12:00: 20 hours, 4 of them working (16-17, 09-12).
        assert_eq!(level("level2").resolve.calendar.median, Some(20 * 3600));
        assert_eq!(level("level2").resolve.working.median, Some(4 * 3600));
        assert_eq!(level("tier1").resolve.calendar.median, Some(1800));
        assert!(level("level4").escalated.is_empty());
        // Three decisions, one overridden: recommended level 4, chosen level 2.
        assert_eq!((f.decisions, f.overridden), (3, 1));
        assert_eq!(f.override_rate(), Some(1.0 / 3.0));
        let li = |id: &str| f.levels.iter().position(|l| l.id == id).unwrap();
        assert_eq!(f.matrix[li("level4")][li("level2")], 1);
        assert_eq!(f.matrix[li("level1")][li("level1")], 1);
        assert_eq!(f.matrix.iter().flatten().sum::<usize>(), 3);
        assert_eq!(ids(&f.resolved), ["a", "c"]);
        assert_eq!(ids(&f.resolved_first_level), ["a", "c"]);
        assert_eq!(f.handoffs, 1);
        // C's handoff went with all five parts level 2 asks for missing (it has none).
        assert_eq!(f.gaps.len(), 5, "{:?}", f.gaps);
        assert!(f.gaps.iter().all(|g| ids(&g.cases) == ["c"]));
        assert!(f.gaps.iter().any(|g| g.label == "Steps already taken"));
        assert_eq!(f.triggers.len(), 3);
        assert_eq!(
            f.products,
            [Group {
                label: "Billing".into(),
                cases: vec!["a".into(), "b".into(), "c".into()]
            }]
        );
        // Every breach of the period is in the heat map once, at its weekday and hour.
        let heat: usize = f.heat.iter().flatten().sum();
        assert_eq!(heat, f.weeks.iter().map(|w| w.breaches).sum::<usize>());
        assert!(heat > 0);
        // Two weeks; both escalations in the first.
        assert_eq!(f.weeks.len(), 2);
        assert_eq!(ids(&f.weeks[0].escalated), ["a", "c"]);
        // Filters: owner and level.
        let only_l2 = Filters {
            level: Some("level2".into()),
            ..Filters::default()
        };
        assert_eq!(
            ids(&figures(&cases, &p, &period, &only_l2, at(20, 0, 0)).opened),
            ["c"]
        );
        // The previous period holds D only.
        let before = figures(
            &cases,
            &p,
            &period.previous(),
            &Filters::default(),
            at(20, 0, 0),
        );
        assert_eq!(ids(&before.opened), ["d"]);
        assert_eq!(ids(&before.escalated), ["d"]);
    }

    /// Issue 33.3: a deadline missed at an earlier level counts in "Cases with a deadline
    /// missed" (it did in the weekly breaches only), as the case screen's clocks show it.
    #[test]
    fn a_miss_at_an_earlier_level_counts_as_a_case_with_a_deadline_missed() {
        let p = default_playbook();
        let hours = crate::core::triage::hours(&p);
        // Level 1 on Monday at 10:00, never acknowledged there; moved to level 2 on Tuesday,
        // acknowledged and resolved at once: every clock of the level in force is met.
        let c = opened("f", at(6, 10, 0));
        let c = triaged(&c, &["demands_supervisor"], &NO3, None, at(6, 10, 0));
        let c = triaged(&c, &["legal"], &[], Some("level2"), at(7, 10, 0));
        let c = moved(&c, Status::Acknowledged, at(7, 10, 5));
        let c = moved(&c, Status::Resolved, at(7, 10, 30));
        let now = at(20, 0, 0);
        let shown = clocks(&c, &hours, now);
        assert!(shown
            .current
            .iter()
            .all(|d| d.standing(p.warn_percent) == Standing::Met));
        // Level 1's next update and resolution fell due on Monday, unmet.
        assert_eq!(shown.breaches.len(), 2, "{:?}", shown.breaches);
        // The case screen lists them among the earlier levels' clocks.
        let missed: Vec<Target> = shown
            .earlier
            .iter()
            .filter(|d| d.standing(p.warn_percent) == Standing::Missed)
            .map(|d| d.target)
            .collect();
        assert_eq!(missed, [Target::Update, Target::Resolution]);
        assert!(shown
            .breaches
            .iter()
            .all(|b| b.level.starts_with("Level 1")));
        let period = Period {
            from: at(6, 0, 0),
            to: at(20, 0, 0),
        };
        let f = figures(&[c], &p, &period, &Filters::default(), now);
        assert_eq!(f.breached(), ["f"]);
        assert_eq!(f.weeks.iter().map(|w| w.breaches).sum::<usize>(), 2);
    }

    /// Issue 34.2: part of an owner's name, in any case, filters to their cases.
    #[test]
    fn the_owner_filter_takes_part_of_a_name() {
        let p = default_playbook();
        let mut alex = opened("a", at(6, 10, 0));
        alex.details.owner = "Alex Kim".into();
        let mut sam = opened("b", at(6, 11, 0));
        sam.details.owner = "Sam Ortiz".into();
        let period = Period {
            from: at(6, 0, 0),
            to: at(20, 0, 0),
        };
        for (typed, want) in [
            ("alex", vec!["a"]),
            ("KIM", vec!["a"]),
            (" ", vec!["a", "b"]),
            ("lee", vec![]),
        ] {
            let f = Filters {
                owner: typed.into(),
                ..Filters::default()
            };
            let got = figures(&[alex.clone(), sam.clone()], &p, &period, &f, at(20, 0, 0));
            assert_eq!(ids(&got.opened), want, "{typed:?}");
        }
    }

    #[test]
    fn the_figures_read_back_from_their_csv_and_markdown() {
        let p = default_playbook();
        let (mut cases, period) = fixture();
        cases[0].details.product = "=HYPERLINK(\"x\")\n| injected".into();
        let now = at(20, 0, 0);
        let f = figures(&cases, &p, &period, &Filters::default(), now);
        let before = figures(&cases, &p, &period.previous(), &Filters::default(), now);
        let lines = lines(&f, &before, Some(20));
        assert_eq!(
            lines
                .iter()
                .find(|l| l.name == "Escalated relative to tickets handled")
                .map(|l| l.value.as_str()),
            Some("2 of 20 (10%)")
        );
        let find = |name: &str| lines.iter().find(|l| l.name == name).unwrap();
        assert_eq!(find("Escalation rate (escalated / triaged)").value, "67%");
        assert_eq!(
            find("Escalation rate (escalated / triaged)").previous,
            "100%"
        );
        assert_eq!(find("Recommendation overridden").value, "1 of 3 (33%)");
        assert_eq!(
            find("Time to escalate (working time)").value,
            "median 30 min, 90th percentile 1 h 00 min (2 cases)"
        );
        assert_eq!(
            ids(&find("Escalated to Level 2: specialised team").cases),
            ["c"]
        );
        let csv = csv(&lines);
        assert!(csv.starts_with(
            "\"Section\",\"Figure\",\"This period\",\"Previous period\",\"This period: count\",\
             \"This period: out of\",\"This period: percent\",\"This period: median (minutes)\",\
             \"This period: 90th percentile (minutes)\",\"This period: average (1-5)\",\
             \"Previous period: count\","
        ));
        assert!(csv
            .lines()
            .next()
            .is_some_and(|head| head.ends_with("\"Previous period: average (1-5)\",\"Cases\"")));
        // The words, then the numbers a spreadsheet can add up: 2 of 3 triaged (67%), and the
        // previous period's 1 of 1 (100%); 2 cases behind it.
        assert!(csv.contains(
            "\"Volume\",\"Escalation rate (escalated / triaged)\",\"67%\",\"100%\",\
             \"2\",\"3\",\"67\",\"\",\"\",\"\",\"1\",\"1\",\"100\",\"\",\"\",\"\",\"2\"\r\n"
        ));
        // Durations in minutes: a median of 30 min and a 90th percentile of 1 h.
        assert!(csv.contains(
            "\"Speed\",\"Time to escalate (working time)\",\"median 30 min, 90th percentile 1 h 00 min (2 cases)\","
        ));
        let row = csv
            .lines()
            .find(|l| l.contains("Time to escalate (working time)"))
            .unwrap();
        assert!(
            row.contains(",\"2\",\"\",\"\",\"30\",\"60\",\"\","),
            "{row}"
        );
        // A hostile product stays inside its quoted cell (and every cell starts with a word).
        assert!(
            csv.contains("\"Product or area: =HYPERLINK(\"\"x\"\")\n| injected\""),
            "{csv}"
        );
        assert_eq!(csv.matches("\r\n").count(), lines.len() + 1);
        let md = markdown(&lines, "Escalations, 6 to 19 April 2026");
        assert!(md.starts_with("# Escalations, 6 to 19 April 2026\n"));
        assert!(md.contains("## Deadlines\n\n| Figure | This period | Previous period |"));
        // Every table row has its three cells, whatever a name holds.
        for row in md.lines().filter(|l| {
            l.starts_with("| ") && !l.starts_with("| Figure") && !l.starts_with("| ---")
        }) {
            assert_eq!(row.matches(" | ").count(), 2, "{row}");
        }
    }

    #[test]
    fn periods_are_whole_days_in_the_team_zone() {
        let utc = Zone::parse("UTC").unwrap();
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Friday 27 November 2026.
        let today = day(11, 27);
        let week = Span::ThisWeek.period(today, &utc);
        assert_eq!(
            (week.from, week.to),
            (
                Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap()
            )
        );
        let four = Span::LastFourWeeks.period(today, &utc);
        assert_eq!(four.to - four.from, Duration::days(28));
        assert_eq!(four.to, week.to);
        let q = Span::ThisQuarter.period(today, &utc);
        assert_eq!(
            (q.from, q.to),
            (
                Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
            )
        );
        let custom = Span::Days(day(4, 19), day(4, 6)).period(today, &utc);
        assert_eq!(
            custom,
            Period {
                from: at(6, 0, 0),
                to: at(20, 0, 0)
            }
        );
        assert_eq!(
            custom.previous(),
            Period {
                from: Utc.with_ymd_and_hms(2026, 3, 23, 0, 0, 0).unwrap(),
                to: at(6, 0, 0)
            }
        );
        // In Berlin (UTC+1 in winter), the week starts at 23:00 UTC on Sunday.
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            Span::ThisWeek.period(today, &berlin).from,
            Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap()
        );
    }

    /// The fixture as an export file, for the browser test of the screen (specs/insights.spec.js
    /// restores it and expects the figures above). `UPDATE_GOLDEN=1` rewrites it.
    #[test]
    fn the_fixture_is_kept_as_a_file_for_the_browser_test() {
        let (cases, _) = fixture();
        let text = crate::core::bundle::export(&cases, at(20, 0, 0)) + "\n";
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/insights-fixture.json"
        );
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let kept = std::fs::read_to_string(path).expect("run with UPDATE_GOLDEN=1 and review it");
        assert_eq!(kept, text);
    }

    #[test]
    fn closed_cases_give_root_causes_and_satisfaction() {
        use crate::core::closeout::{CloseOut, Lesson, Satisfaction};
        let p = default_playbook();
        let (mut cases, period) = fixture();
        for (i, (cause, score)) in [("billing", 5), ("billing", 2), ("outage", 4)]
            .into_iter()
            .enumerate()
        {
            let out = CloseOut {
                resolution: "Fixed".into(),
                root_cause: cause.into(),
                satisfaction: Some(Satisfaction {
                    score,
                    ..Default::default()
                }),
                lessons: vec![Lesson {
                    text: "Ask sooner".into(),
                    share: false,
                }],
                ..CloseOut::default()
            };
            let at = cases[i].created_at + Duration::hours(30);
            cases[i] = crate::core::learning::closed(&cases[i], &out, &[], &p, at)
                .unwrap_or_else(|e| panic!("{} closes: {e}", cases[i].id));
        }
        let f = figures(&cases, &p, &period, &Filters::default(), at(20, 0, 0));
        assert_eq!(f.root_causes[0].label, "Billing or payment error");
        assert_eq!(ids(&f.root_causes[0].cases), ["a", "b"]);
        assert_eq!(satisfaction_text(&f.satisfaction), "3.7 of 5 (3 answers)");
        let lines = lines(&f, &Figures::default(), None);
        let line = |name: &str| lines.iter().find(|l| l.name == name).unwrap().value.clone();
        assert_eq!(line("Satisfied customers (4 or 5)"), "2 of 3 (67%)");
        assert_eq!(line("Root cause: Outage or service disruption"), "1");
    }

    #[test]
    fn satisfaction_is_averaged_in_tenths() {
        let ids = |n: usize| vec![String::new(); n];
        assert_eq!(satisfaction_text(&Default::default()), "–");
        assert_eq!(
            satisfaction_text(&[ids(0), ids(1), ids(0), ids(2), ids(2)]),
            "4.0 of 5 (5 answers)"
        );
        assert_eq!(
            satisfaction_text(&[ids(1), ids(0), ids(0), ids(0), ids(0)]),
            "1.0 of 5 (1 answer)"
        );
        assert_eq!(
            satisfaction_text(&[ids(0), ids(0), ids(1), ids(1), ids(1)]),
            "4.0 of 5 (3 answers)"
        );
        assert_eq!(
            satisfaction_text(&[ids(0), ids(0), ids(1), ids(2), ids(0)]),
            "3.7 of 5 (3 answers)"
        );
    }

    #[test]
    fn shares_are_whole_percents_rounded_half_up() {
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(1, 8), "13%");
        assert_eq!(percent(0, 5), "0%");
        assert_eq!(percent(5, 5), "100%");
        assert_eq!(percent(1, 0), "–");
        assert_eq!(of(1, 3), "1 of 3 (33%)");
        assert_eq!(of(4, 0), "4");
    }

    #[test]
    fn the_screen_choices_round_trip_through_the_address() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let f = Filters {
            level: Some("level2".into()),
            priority: Some(Priority::P1),
            owner: "Zoë & Björn".into(),
            channel: Some(Channel::Chat),
            product: "Billing/EU=1".into(),
        };
        for span in [
            Span::ThisWeek,
            Span::LastFourWeeks,
            Span::ThisQuarter,
            Span::Days(day(4, 6), day(4, 19)),
        ] {
            let q = to_query(span, &f);
            assert!(!q.contains(' ') && !q.contains('#'), "{q}");
            assert_eq!(from_query(&q), (span, f.clone()));
        }
        assert_eq!(to_query(Span::default(), &Filters::default()), "");
        // Hostile or broken addresses read as the defaults, never a panic.
        assert_eq!(
            from_query("period=days&from=2026-13-40&to=x"),
            (Span::default(), Filters::default())
        );
        assert_eq!(
            from_query("owner=%E2%28%A1&x=%&priority=P9").1.priority,
            None
        );
        assert_eq!(from_query("%%%&&=&owner=%").1.owner, "%");
    }

    #[test]
    fn percentiles_of_a_known_distribution() {
        let s = spread((1..=100).rev().collect());
        assert_eq!((s.count, s.median, s.p90), (100, Some(50), Some(90)));
        assert_eq!(spread(vec![7]).p90, Some(7));
        assert_eq!(spread(Vec::new()), Spread::default());
        let s = spread(vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!((s.median, s.p90), (Some(6), Some(10)));
    }
}
