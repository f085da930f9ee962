//! Cases the team removed (team mode): never deleted outright on arrival. Each desk keeps
//! them for [`KEPT_DAYS`] with who removed them and when, so a member holding the join link
//! (or a broken peer) can't empty a desk; many removals from one source at once are a
//! [`Burst`], raised with "Restore all".

use chrono::{DateTime, Duration, Utc};

use super::case::Case;

/// How long a removed case is kept on each desk.
pub const KEPT_DAYS: i64 = 30;
/// More than this many removals from one source, each within [`BURST_GAP_SECS`] of the one
/// before, are a burst.
pub const BURST_MORE_THAN: usize = 5;
pub const BURST_GAP_SECS: i64 = 60;

/// Who removed a case, as far as the team's document says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RemovedBy {
    /// A desk of this app whose agent gave their name on the Team screen.
    Agent(String),
    /// A desk of this app with no name given.
    Unnamed,
    /// Removed without a desk's record of it: something else holding the team's key.
    Unknown,
}

impl RemovedBy {
    /// From the name a removing desk wrote (`Some("")`: none given), `None` when it wrote none.
    pub fn of(name: Option<&str>) -> RemovedBy {
        match name.map(str::trim) {
            Some("") => RemovedBy::Unnamed,
            Some(n) => RemovedBy::Agent(n.chars().take(80).collect()),
            None => RemovedBy::Unknown,
        }
    }

    /// The stored form: the name, `""` unnamed, `None` unknown.
    pub fn name(&self) -> Option<&str> {
        match self {
            RemovedBy::Agent(n) => Some(n),
            RemovedBy::Unnamed => Some(""),
            RemovedBy::Unknown => None,
        }
    }

    /// Who, at the start of a sentence: "Kim's desk", "A desk of your team (no name given)".
    pub fn subject(&self) -> String {
        match self {
            RemovedBy::Agent(n) => format!("{n}'s desk"),
            RemovedBy::Unnamed => "A desk of your team (no name given)".into(),
            RemovedBy::Unknown => {
                "Something holding your team's key (not a desk of this app)".into()
            }
        }
    }

    /// A short line under a removed case: "Deleted by Kim".
    pub fn short(&self) -> String {
        match self {
            RemovedBy::Agent(n) => format!("Deleted by {n}"),
            RemovedBy::Unnamed => "Deleted by another agent".into(),
            RemovedBy::Unknown => "Removed outside this app".into(),
        }
    }

    /// The end of a sentence about a case: "was deleted by Kim, of your team".
    pub fn was_deleted(&self) -> String {
        match self {
            RemovedBy::Agent(n) => format!("was deleted by {n}, of your team"),
            RemovedBy::Unnamed => "was deleted by another agent of your team".into(),
            RemovedBy::Unknown => "was removed from the team's data by something holding your team's key, not a desk of this app".into(),
        }
    }
}

/// A case the team removed, as this desk keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    pub case: Case,
    pub by: RemovedBy,
    /// When it arrived here (this device's clock: a peer's own time can't be trusted).
    pub at: DateTime<Utc>,
}

/// Past its keeping time: forgotten.
pub fn expired(r: &Removed, now: DateTime<Utc>) -> bool {
    now - r.at > Duration::days(KEPT_DAYS)
}

/// Many removals from one source, close together.
#[derive(Clone, Debug, PartialEq)]
pub struct Burst {
    pub by: RemovedBy,
    /// The ids, in the order they arrived.
    pub ids: Vec<String>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// The bursts among `removed`: per source, runs of removals each within a minute of the one
/// before, of more than five.
pub fn bursts(removed: &[Removed]) -> Vec<Burst> {
    let mut sorted: Vec<&Removed> = removed.iter().collect();
    sorted.sort_by(|a, b| (&a.by, a.at, &a.case.id).cmp(&(&b.by, b.at, &b.case.id)));
    let mut out: Vec<Burst> = Vec::new();
    let mut run: Vec<&Removed> = Vec::new();
    let close = |run: &mut Vec<&Removed>, out: &mut Vec<Burst>| {
        if run.len() > BURST_MORE_THAN {
            out.push(Burst {
                by: run[0].by.clone(),
                ids: run.iter().map(|r| r.case.id.clone()).collect(),
                from: run[0].at,
                to: run[run.len() - 1].at,
            });
        }
        run.clear();
    };
    for r in sorted {
        let joins = run
            .last()
            .is_some_and(|l| l.by == r.by && r.at - l.at <= Duration::seconds(BURST_GAP_SECS));
        if !joins {
            close(&mut run, &mut out);
        }
        run.push(r);
    }
    close(&mut run, &mut out);
    out.sort_by_key(|b| std::cmp::Reverse(b.to));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::Details;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::seconds(s)
    }

    fn removed(id: &str, by: RemovedBy, s: i64) -> Removed {
        Removed {
            case: Case::open(id.into(), 1, Details::default(), at(0)),
            by,
            at: at(s),
        }
    }

    #[test]
    fn who_removed_reads_back_and_says_so() {
        for by in [
            RemovedBy::Agent("Kim".into()),
            RemovedBy::Unnamed,
            RemovedBy::Unknown,
        ] {
            assert_eq!(RemovedBy::of(by.name()), by);
        }
        assert_eq!(RemovedBy::Agent("Kim".into()).subject(), "Kim's desk");
        assert_eq!(
            RemovedBy::Unnamed.was_deleted(),
            "was deleted by another agent of your team"
        );
        assert_eq!(
            RemovedBy::of(Some(&"x".repeat(500))).name().unwrap().len(),
            80
        );
    }

    #[test]
    fn kept_thirty_days() {
        let r = removed("a", RemovedBy::Unknown, 0);
        assert!(!expired(&r, at(0) + Duration::days(30)));
        assert!(expired(&r, at(1) + Duration::days(30)));
    }

    #[test]
    fn more_than_five_from_one_source_within_a_minute_is_a_burst() {
        let kim = RemovedBy::Agent("Kim".into());
        // Five: not a burst. Six, each within a minute of the one before: a burst.
        let five: Vec<Removed> = (0..5)
            .map(|i| removed(&format!("k{i}"), kim.clone(), i * 50))
            .collect();
        assert!(bursts(&five).is_empty());
        let mut six = five.clone();
        six.push(removed("k5", kim.clone(), 250));
        let b = bursts(&six);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].by, kim);
        assert_eq!(b[0].ids.len(), 6);
        // A gap over a minute splits the run; other sources don't join it.
        let mut split = five.clone();
        split.push(removed("k5", kim.clone(), 400));
        split.extend((0..3).map(|i| removed(&format!("u{i}"), RemovedBy::Unknown, i)));
        assert!(bursts(&split).is_empty());
        // A thousand at once from something else: one burst of all of them.
        let many: Vec<Removed> = (0..1000)
            .map(|i| removed(&format!("c{i}"), RemovedBy::Unknown, 0))
            .collect();
        let b = bursts(&many);
        assert_eq!((b.len(), b[0].ids.len()), (1, 1000));
    }
}
