//! Property tests of the Insights figures on random cases: rates stay within 0-1, breakdowns
//! add up, and cases opened outside the period never move a figure.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Duration, TimeZone, Utc};
use escalation_desk::core::case::{Case, Details, Status};
use escalation_desk::core::insights::{figures, Filters, Period};
use escalation_desk::core::playbook::default_playbook;
use escalation_desk::core::triage::{decide, Triage};
use proptest::prelude::*;

const TRIGGERS: [&str; 6] = [
    "demands_supervisor",
    "frustration",
    "legal",
    "defect",
    "policy_dispute",
    "high_value",
];
const QUESTIONS: [&str; 4] = ["critical", "defect", "specialist", "supervisor"];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
}

/// A case opened `minutes` after the start, triaged with some ticks and "no" answers (or not
/// triaged), then moved along some of its allowed statuses.
fn case(i: usize, minutes: i64, ticks: u8, triage: bool, moves: Vec<u8>) -> Case {
    let p = default_playbook();
    let at = start() + Duration::minutes(minutes);
    let details = Details {
        subject: format!("Case {i}"),
        ..Details::default()
    };
    let mut c = Case::open(format!("c{i}"), i as u32, details, at);
    c.id = format!("c{i}");
    if !triage {
        return c;
    }
    c.triage = Some(Triage {
        triggers: TRIGGERS
            .iter()
            .enumerate()
            .filter(|(k, _)| ticks & (1 << k) != 0)
            .map(|(_, t)| t.to_string())
            .collect(),
        answers: QUESTIONS
            .iter()
            .map(|q| (q.to_string(), "no".to_string()))
            .collect(),
        ..Triage::default()
    });
    let mut c = decide(&c, &p, None, "", at + Duration::minutes(5), &|t| {
        t.to_rfc3339()
    })
    .unwrap();
    let mut when = at + Duration::minutes(10);
    for m in moves {
        let next = c.status.next();
        let to: Status = next[usize::from(m) % next.len()];
        if let Ok(moved) = c.transitioned(to, when) {
            c = moved;
        }
        when += Duration::minutes(37);
    }
    c
}

fn cases() -> impl Strategy<Value = Vec<Case>> {
    prop::collection::vec(
        (
            0i64..60 * 24 * 42,
            any::<u8>(),
            any::<bool>(),
            prop::collection::vec(any::<u8>(), 0..5),
        ),
        0..30,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (m, t, tr, moves))| case(i, m, t, tr, moves))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rates_and_breakdowns_hold(all in cases()) {
        let p = default_playbook();
        let period = Period { from: start() + Duration::days(14), to: start() + Duration::days(28) };
        let now = start() + Duration::days(50);
        let f = figures(&all, &p, &period, &Filters::default(), now);
        for r in [f.escalation_rate(), f.override_rate()].into_iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&r));
        }
        prop_assert_eq!(f.escalated.len() + f.kept_tier1.len(), f.triaged.len());
        prop_assert!(f.triaged.len() <= f.opened.len());
        prop_assert_eq!(f.matrix.iter().flatten().sum::<usize>(), f.decisions);
        prop_assert_eq!(f.heat.iter().flatten().sum::<usize>(), f.weeks.iter().map(|w| w.breaches).sum::<usize>());
        prop_assert!(f.resolved_first_level.len() <= f.resolved.len());
        let naive: Vec<String> = f.triaged.iter().filter(|id| f.targets.iter().any(|t| t.missed.contains(id))).cloned().collect();
        prop_assert_eq!(f.breached(), naive);
        let by_level: usize = f.levels.iter().filter(|l| l.rank > 0).map(|l| l.escalated.len()).sum();
        prop_assert!(by_level >= f.escalated.len());
        for l in &f.levels {
            for id in l.acknowledged.iter().chain(&l.never_acknowledged).chain(&l.waiting) {
                prop_assert!(l.escalated.contains(id));
            }
            for t in [l.acknowledge, l.resolve] {
                prop_assert!(t.calendar.median <= t.calendar.p90);
                prop_assert!(t.working.p90 <= t.calendar.p90);
            }
        }
        for t in &f.targets {
            prop_assert!(t.met.len() + t.missed.len() + t.open.len() <= f.triaged.len());
        }
        // Cases opened outside the period change nothing.
        let inside: Vec<Case> = all.iter().filter(|c| c.created_at >= period.from && c.created_at < period.to).cloned().collect();
        prop_assert_eq!(figures(&inside, &p, &period, &Filters::default(), now), f);
    }
}

/// Issue 33: for random cases and calendars, the breaches Insights counts are exactly those the
/// case screen's clocks show (the level in force and every earlier one), and those the Reviews
/// filter finds: one truth on every screen.
mod one_truth {
    use super::*;
    use escalation_desk::core::clock::{clocks, Calendar, DayTime, Standing};
    use escalation_desk::core::learning::breached;
    use escalation_desk::core::triage::hours;

    const ZONES: [&str; 4] = [
        "UTC0",
        "CET-1CEST,M3.5.0,M10.5.0/3",
        "PST8PDT,M3.2.0,M11.1.0",
        "IST-5:30",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn insights_reviews_and_the_case_screen_agree_on_breaches(
            all in cases(),
            zone in 0usize..4,
            days in 1u8..128,
            opens in 6u32..11,
            length in 4u32..10,
        ) {
            let mut p = default_playbook();
            p.calendar = Calendar {
                time_zone: ZONES[zone].into(),
                working_days: std::array::from_fn(|d| days & (1 << d) != 0),
                opens: DayTime(opens * 60),
                closes: DayTime((opens + length) * 60),
                holidays: Vec::new(),
            };
            let period = Period { from: start(), to: start() + Duration::days(42) };
            let now = start() + Duration::days(50);
            let f = figures(&all, &p, &period, &Filters::default(), now);
            let h = hours(&p);
            let warn = p.warn_percent;
            let on_screen: Vec<String> = f
                .triaged
                .iter()
                .filter(|id| {
                    let case = all.iter().find(|c| &c.id == *id).unwrap();
                    let c = clocks(case, &h, now);
                    c.current.iter().chain(&c.earlier).any(|d| {
                        matches!(d.standing(warn), Standing::Missed | Standing::Breached)
                    })
                })
                .cloned()
                .collect();
            prop_assert_eq!(f.breached(), on_screen.clone());
            let in_reviews: Vec<String> = f
                .triaged
                .iter()
                .filter(|id| breached(all.iter().find(|c| &c.id == *id).unwrap(), &h, now))
                .cloned()
                .collect();
            prop_assert_eq!(in_reviews, on_screen);
        }
    }
}
