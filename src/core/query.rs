//! Finding cases: search, filters, sort and counts over the case list.
//!
//! The list screen keeps one [`Row`] per case, built once when the case changes, so a keystroke
//! in the search box only scans prepared text, folded (lower case, accents off).

use chrono::{DateTime, Utc};

use super::case::{Case, State, Status};
use super::clock::{clocks, Clocks, Hours, Standing};
use super::letter_case::{folded, Decompose};
use super::sort::sort_by;

/// What the list screen asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// A status, or "Kept at tier 1" ([`State`]).
    pub status: Option<State>,
    pub overdue_only: bool,
    /// Only cases with a lead's feedback not read yet.
    pub feedback_only: bool,
    pub sort: Sort,
    /// Only these cases (by id): the cases behind a figure on the Insights screen.
    pub only: Option<Vec<String>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Newest first.
    Created,
    /// Soonest due first; cases with no due time last.
    Due,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Updated, Sort::Created, Sort::Due];

    pub fn label(self) -> &'static str {
        match self {
            Sort::Updated => "Last updated",
            Sort::Created => "Newest",
            Sort::Due => "Due soonest",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Sort::Updated => "updated",
            Sort::Created => "created",
            Sort::Due => "due",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A case prepared for searching.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub case: Case,
    haystack: String,
    /// The next due time of a clock still counting. It depends only on the case and the
    /// calendar, not on the time of day, so it is worked out once per change.
    pub due: Option<DateTime<Utc>>,
}

impl Row {
    /// `decompose`: Unicode's decomposition, so the search ignores accents ([`folded`]).
    pub fn new(case: Case, hours: &Hours, decompose: Decompose) -> Row {
        // Any moment will do: due times don't depend on it.
        let due = clocks(&case, hours, case.updated_at).next_due();
        let d = &case.details;
        let haystack = [
            case.reference.as_str(),
            d.subject.as_str(),
            d.customer.name.as_str(),
            d.customer.contact.as_str(),
            d.customer.account.as_str(),
            d.description.as_str(),
        ]
        .join("\n");
        let haystack = folded(&haystack, decompose);
        Row {
            case,
            haystack,
            due,
        }
    }

    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.case.status.is_open() && self.due.is_some_and(|due| due <= now)
    }

    fn matches_text(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.haystack.contains(w.as_str()))
    }
}

/// The result of a query: positions into the row slice, in display order, and the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub positions: Vec<usize>,
    /// How many cases match the text and overdue filter, per state (in [`State::ALL`] order),
    /// so the status filter can say how many each choice would show.
    pub per_status: [usize; State::ALL.len()],
    pub overdue: usize,
    /// How many have feedback not read yet.
    pub feedback: usize,
}

/// The rows `query` finds; its words folded as the rows' text is ([`Row::new`]).
pub fn find(rows: &[Row], query: &Query, now: DateTime<Utc>, decompose: Decompose) -> Found {
    let words: Vec<String> = folded(&query.text, decompose)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut found = Found::default();
    for (i, row) in rows.iter().enumerate() {
        if !row.matches_text(&words)
            || query
                .only
                .as_ref()
                .is_some_and(|ids| !ids.contains(&row.case.id))
        {
            continue;
        }
        let overdue = row.is_overdue(now);
        if overdue {
            found.overdue += 1;
        }
        if query.overdue_only && !overdue {
            continue;
        }
        let feedback = super::learning::unread_feedback(&row.case) > 0;
        if feedback {
            found.feedback += 1;
        }
        if query.feedback_only && !feedback {
            continue;
        }
        let state = row.case.state();
        if let Some(slot) = State::ALL.iter().position(|s| *s == state) {
            found.per_status[slot] += 1;
        }
        if query.status.is_some_and(|s| s != state) {
            continue;
        }
        found.positions.push(i);
    }
    let key = |i: &usize| &rows[*i].case;
    let due = |i: &usize| rows[*i].due;
    match query.sort {
        Sort::Updated => sort_by(&mut found.positions, |a, b| {
            key(b).updated_at.cmp(&key(a).updated_at)
        }),
        Sort::Created => sort_by(&mut found.positions, |a, b| {
            key(b).created_at.cmp(&key(a).created_at)
        }),
        Sort::Due => sort_by(&mut found.positions, |a, b| match (due(a), due(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => key(b).updated_at.cmp(&key(a).updated_at),
        }),
    }
    found
}

/// What the queue shows: every case, or only those at risk or breached.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueFilter {
    #[default]
    All,
    AtRisk,
    Breached,
}

impl QueueFilter {
    pub const ALL: [QueueFilter; 3] =
        [QueueFilter::All, QueueFilter::AtRisk, QueueFilter::Breached];

    pub fn label(self) -> &'static str {
        match self {
            QueueFilter::All => "All",
            QueueFilter::AtRisk => "At risk",
            QueueFilter::Breached => "Breached",
        }
    }
}

/// One case in the queue, with its clocks at the moment the queue was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub position: usize,
    pub clocks: Clocks,
    pub worst: Standing,
    pub due: Option<DateTime<Utc>>,
    /// The level has not acknowledged within its silence timeout.
    pub silent: bool,
    /// Escalated without a level: nobody's clock runs until it gets one (see
    /// `Status::needs_level`).
    pub needs_level: bool,
}

impl QueueItem {
    fn is_at_risk(&self) -> bool {
        self.worst == Standing::AtRisk
            || self.needs_level
            || (self.silent && self.worst != Standing::Breached)
    }
}

/// The queue: open cases with a clock counting (or paused), soonest due first, and how many
/// are at risk and breached whatever the filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    pub items: Vec<QueueItem>,
    pub all: usize,
    pub at_risk: usize,
    pub breached: usize,
}

pub fn queue(
    rows: &[Row],
    hours: &Hours,
    warn_percent: u32,
    filter: QueueFilter,
    now: DateTime<Utc>,
) -> Queue {
    let mut out = Queue::default();
    for (position, row) in rows.iter().enumerate() {
        let needs_level = Status::needs_level(&row.case);
        if !row.case.status.is_open()
            || (row.due.is_none() && row.case.decisions.is_empty() && !needs_level)
        {
            continue;
        }
        let clocks = clocks(&row.case, hours, now);
        let Some(worst) = clocks
            .worst(warn_percent)
            .or(needs_level.then_some(Standing::AtRisk))
        else {
            continue;
        };
        let item = QueueItem {
            position,
            due: clocks.next_due(),
            silent: clocks.silence.as_ref().is_some_and(|s| s.exceeded()),
            needs_level,
            clocks,
            worst,
        };
        out.all += 1;
        let breached = item.worst == Standing::Breached;
        let at_risk = item.is_at_risk();
        out.breached += usize::from(breached);
        out.at_risk += usize::from(at_risk);
        let shown = match filter {
            QueueFilter::All => true,
            QueueFilter::AtRisk => at_risk,
            QueueFilter::Breached => breached,
        };
        if shown {
            out.items.push(item);
        }
    }
    // A case that needs a level comes first: nothing else moves it forward.
    sort_by(&mut out.items, |a, b| match (a.due, b.due) {
        _ if a.needs_level != b.needs_level => b.needs_level.cmp(&a.needs_level),
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.worst.cmp(&b.worst),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::Details;
    use chrono::{Duration, TimeZone};

    fn nfd(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd().collect()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    fn rows() -> Vec<Row> {
        let mk = |id: &str, seq, subject: &str, name: &str, hours_ago: i64, due: Option<i64>| {
            let details = Details {
                subject: subject.into(),
                customer: crate::core::case::Customer {
                    name: name.into(),
                    ..Default::default()
                },
                deadline: due.map(|h| now() + Duration::hours(h)),
                ..Details::default()
            };
            Row::new(
                Case::open(id.into(), seq, details, now() - Duration::hours(hours_ago)),
                &Hours::always(),
                nfd,
            )
        };
        let mut r = vec![
            mk("a", 1, "VPN refuses login", "Åsa Lindqvist", 5, Some(-1)),
            mk("b", 2, "Invoice wrong", "Bob Stone", 1, Some(3)),
            mk("c", 3, "Login loop on mobile", "Chen Wei", 3, None),
        ];
        r[1].case.status = Status::Escalated;
        r
    }

    fn ids(rows: &[Row], found: &Found) -> Vec<String> {
        found
            .positions
            .iter()
            .map(|i| rows[*i].case.id.clone())
            .collect()
    }

    #[test]
    fn search_matches_every_word_in_any_field_ignoring_case() {
        let rows = rows();
        let q = |text: &str| Query {
            text: text.into(),
            ..Query::default()
        };
        assert_eq!(
            ids(&rows, &find(&rows, &q("login"), now(), nfd)),
            ["c", "a"]
        );
        assert_eq!(ids(&rows, &find(&rows, &q("LOGIN vpn"), now(), nfd)), ["a"]);
        assert_eq!(ids(&rows, &find(&rows, &q("åsa"), now(), nfd)), ["a"]);
        assert_eq!(
            ids(&rows, &find(&rows, &q("esc-2026-0002"), now(), nfd)),
            ["b"]
        );
        // Accents off both ways (issue 34.2): "asa" finds Åsa, "ÅSA" too.
        assert_eq!(ids(&rows, &find(&rows, &q("asa"), now(), nfd)), ["a"]);
        assert_eq!(
            ids(&rows, &find(&rows, &q("ÅSA lindqvist"), now(), nfd)),
            ["a"]
        );
        assert!(find(&rows, &q("nothing like it"), now(), nfd)
            .positions
            .is_empty());
    }

    #[test]
    fn filters_and_counts() {
        let rows = rows();
        let all = find(&rows, &Query::default(), now(), nfd);
        assert_eq!(all.positions.len(), 3);
        assert_eq!(all.overdue, 1);
        assert_eq!(all.per_status[0], 2);
        assert_eq!(all.per_status[2], 1);
        let escalated = Query {
            status: Some(State::Status(Status::Escalated)),
            ..Query::default()
        };
        assert_eq!(ids(&rows, &find(&rows, &escalated, now(), nfd)), ["b"]);
        let overdue = Query {
            overdue_only: true,
            ..Query::default()
        };
        assert_eq!(ids(&rows, &find(&rows, &overdue, now(), nfd)), ["a"]);
    }

    #[test]
    fn sorts() {
        let rows = rows();
        let by = |sort| {
            ids(
                &rows,
                &find(
                    &rows,
                    &Query {
                        sort,
                        ..Query::default()
                    },
                    now(),
                    nfd,
                ),
            )
        };
        assert_eq!(by(Sort::Updated), ["b", "c", "a"]);
        assert_eq!(by(Sort::Created), ["b", "c", "a"]);
        assert_eq!(by(Sort::Due), ["a", "b", "c"]);
    }

    #[test]
    fn an_escalated_case_without_a_level_is_in_the_queue_first_as_needing_one() {
        // "b" is escalated with no decision (an older version allowed it); "a" has a
        // breached customer deadline; "c" is a draft with nothing running.
        let rows = rows();
        let q = queue(&rows, &Hours::always(), 75, QueueFilter::All, now());
        let order: Vec<&str> = q
            .items
            .iter()
            .map(|i| rows[i.position].case.id.as_str())
            .collect();
        assert_eq!(order, ["b", "a"]);
        assert!(q.items[0].needs_level);
        assert!(!q.items[1].needs_level);
        let at_risk = queue(&rows, &Hours::always(), 75, QueueFilter::AtRisk, now());
        assert!(at_risk.items.iter().any(|i| i.needs_level));
    }
}
