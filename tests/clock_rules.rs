//! The clock rules of the README, one test per rule, with a fixed clock: business hours across
//! nights, weekends, holidays and daylight saving; pause and resume; reopen; warning and breach;
//! calendar against business time; silence; level moves. Then properties over random histories:
//! a paused clock never advances, and deadlines never move earlier as time and events pass.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use escalation_desk::core::case::{Case, Details, LevelMove, Status};
use escalation_desk::core::clock::{
    clocks, unrecorded_breaches, Calendar, DayTime, Deadline, Hours, Phase, Standing, Target,
};
use escalation_desk::core::playbook::{default_playbook, validate, Playbook};
use escalation_desk::core::triage::{move_level, renotify, MoveError};
use escalation_desk::core::zone::Zone;
use proptest::prelude::*;

#[path = "support/chrono_tz_zone.rs"]
mod chrono_tz_zone;
use chrono_tz_zone::chrono_tz_zone;

fn berlin() -> Calendar {
    escalation_desk::core::zone::use_source(chrono_tz_zone);
    Calendar {
        time_zone: "Europe/Berlin".into(),
        working_days: [true, true, true, true, true, false, false],
        opens: DayTime(9 * 60),
        closes: DayTime(17 * 60),
        holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()],
    }
}

fn hours() -> Hours {
    Hours::of(&berlin()).unwrap()
}

/// A Berlin wall-clock time as a moment.
fn at(local: &str) -> DateTime<Utc> {
    escalation_desk::core::zone::use_source(chrono_tz_zone);
    let zone = Zone::parse("Europe/Berlin").unwrap();
    zone.moment(NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap())
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The default playbook with round targets at P3 (100%) and the Berlin calendar.
fn playbook() -> Playbook {
    let mut p = default_playbook();
    p.calendar = berlin();
    for l in &mut p.levels {
        if l.id == "level1" {
            l.response_minutes = 60;
            l.update_minutes = 120;
            l.resolution_minutes = 480;
            l.silence_minutes = 30;
        }
    }
    assert!(validate(&p).is_empty());
    p
}

fn show(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

/// A case escalated by hand to `level` at `when`.
fn escalated(level: &str, when: DateTime<Utc>) -> Case {
    let case = Case::open(
        "c1".into(),
        1,
        Details {
            subject: "Payroll export fails".into(),
            ..Details::default()
        },
        when - Duration::minutes(10),
    );
    move_level(
        &case,
        &playbook(),
        level,
        LevelMove::Forced,
        "customer asked",
        when,
        &show,
    )
    .unwrap()
}

fn moved(case: &Case, to: Status, when: DateTime<Utc>) -> Case {
    case.transitioned(to, when).unwrap()
}

fn clock(case: &Case, target: Target, now: DateTime<Utc>) -> Deadline {
    clocks(case, &hours(), now)
        .current
        .into_iter()
        .find(|d| d.target == target)
        .unwrap_or_else(|| panic!("no {target:?} clock"))
}

// ---- business time ----

#[test]
fn business_time_stops_overnight() {
    let h = hours();
    assert_eq!(
        h.working_after(at("2026-11-23 16:00"), 2 * 3600),
        Some(at("2026-11-24 10:00"))
    );
    assert_eq!(
        h.working_between(at("2026-11-23 08:00"), at("2026-11-23 18:00")),
        8 * 3600
    );
}

#[test]
fn business_time_skips_the_weekend() {
    let h = hours();
    assert_eq!(
        h.working_after(at("2026-11-27 16:30"), 3600),
        Some(at("2026-11-30 09:30"))
    );
    assert_eq!(
        h.working_between(at("2026-11-28 00:00"), at("2026-11-30 00:00")),
        0
    );
    // Starting on a Sunday counts from Monday's opening.
    assert_eq!(
        h.working_after(at("2026-11-29 12:00"), 60),
        Some(at("2026-11-30 09:01"))
    );
}

#[test]
fn business_time_skips_holidays() {
    let h = hours();
    // Thursday 24 December, 16:00: one hour that day, then Christmas (a holiday) and the weekend.
    assert_eq!(
        h.working_after(at("2026-12-24 16:00"), 2 * 3600),
        Some(at("2026-12-28 10:00"))
    );
}

#[test]
fn business_hours_follow_daylight_saving_time() {
    let h = hours();
    // Clocks go forward on Sunday 29 March: Monday 09:00 is 07:00 UTC, no longer 08:00.
    assert_eq!(
        h.working_after(utc("2026-03-27T15:00:00Z"), 2 * 3600),
        Some(utc("2026-03-30T08:00:00Z"))
    );
    // And back on Sunday 25 October: Monday 09:00 is 08:00 UTC again.
    assert_eq!(
        h.working_after(utc("2026-10-23T14:00:00Z"), 2 * 3600),
        Some(utc("2026-10-26T09:00:00Z"))
    );
    // A working week is 40 hours whichever side of the change it falls.
    assert_eq!(
        h.working_between(at("2026-03-23 00:00"), at("2026-03-30 00:00")),
        40 * 3600
    );
    assert_eq!(
        h.working_between(at("2026-03-30 00:00"), at("2026-04-06 00:00")),
        40 * 3600
    );
}

#[test]
fn a_calendar_without_working_time_is_refused() {
    let mut c = berlin();
    c.working_days = [false; 7];
    assert!(Hours::of(&c).is_err());
    let mut c = berlin();
    c.closes = DayTime(8 * 60);
    assert!(Hours::of(&c).is_err());
    let mut c = berlin();
    c.time_zone = "Atlantis/Capital".into();
    assert!(Hours::of(&c).is_err());
    let mut p = playbook();
    p.calendar.working_days = [false; 7];
    assert!(!validate(&p).is_empty());
}

#[test]
fn around_the_clock_levels_count_every_minute() {
    // Level 4 runs around the clock: 15 minutes at P3, even late on a Friday.
    let case = escalated("level4", at("2026-11-27 23:00"));
    let response = clock(&case, Target::Response, at("2026-11-27 23:05"));
    assert!(!response.business);
    assert_eq!(response.due, Some(at("2026-11-27 23:15")));
    assert_eq!(response.used, 5 * 60);
    // Level 1 counts business time: escalated at 23:00 Friday, due Monday 10:00.
    let case = escalated("level1", at("2026-11-27 23:00"));
    let response = clock(&case, Target::Response, at("2026-11-28 12:00"));
    assert!(response.business);
    assert_eq!(response.due, Some(at("2026-11-30 10:00")));
    assert_eq!(response.used, 0);
}

// ---- the three clocks ----

#[test]
fn first_response_stops_at_acknowledgement() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let running = clock(&case, Target::Response, at("2026-11-23 09:20"));
    assert_eq!(running.phase, Phase::Running);
    assert_eq!(running.left(), 40 * 60);
    let acked = moved(&case, Status::Acknowledged, at("2026-11-23 09:30"));
    let met = clock(&acked, Target::Response, at("2026-11-23 15:00"));
    assert_eq!(met.phase, Phase::Stopped);
    assert_eq!(met.used, 30 * 60);
    assert_eq!(met.standing(75), Standing::Met);
}

#[test]
fn next_update_starts_at_acknowledgement_and_restarts_with_each_update() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let before = clock(&case, Target::Update, at("2026-11-23 09:10"));
    assert_eq!(before.phase, Phase::NotStarted);
    assert_eq!(before.standing(75), Standing::NotStarted);
    let acked = moved(&case, Status::Acknowledged, at("2026-11-23 09:30"));
    assert_eq!(
        clock(&acked, Target::Update, at("2026-11-23 10:00")).due,
        Some(at("2026-11-23 11:30"))
    );
    let updated = acked.update_logged("Called back", at("2026-11-23 11:00"));
    let next = clock(&updated, Target::Update, at("2026-11-23 11:00"));
    assert_eq!(next.due, Some(at("2026-11-23 13:00")));
    assert_eq!(next.used, 0);
    // A cycle that ran out before the update is a recorded breach.
    let late = acked.update_logged("", at("2026-11-23 12:00"));
    let all = clocks(&late, &hours(), at("2026-11-23 12:00"));
    assert!(all
        .breaches
        .iter()
        .any(|b| b.target == Target::Update && b.due == at("2026-11-23 11:30")));
}

#[test]
fn a_case_resolved_before_acknowledgement_never_had_a_next_update_clock() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let resolved = moved(&case, Status::Resolved, at("2026-11-23 10:00"));
    let all = clocks(&resolved, &hours(), at("2026-11-23 12:00"));
    // Neither met nor missed: it never started, so it is not shown or counted.
    assert!(all.current.iter().all(|d| d.target != Target::Update));
    assert!(all.breaches.iter().all(|b| b.target != Target::Update));
}

#[test]
fn waiting_on_the_customer_pauses_update_and_resolution_and_resumes_them() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let acked = moved(&case, Status::Acknowledged, at("2026-11-23 09:30"));
    let waiting = moved(&acked, Status::WaitingOnCustomer, at("2026-11-23 10:00"));
    let paused = clock(&waiting, Target::Resolution, at("2026-11-23 12:00"));
    assert_eq!(paused.phase, Phase::Paused);
    assert_eq!(paused.standing(75), Standing::Paused);
    assert_eq!(paused.used, 3600);
    assert_eq!(paused.due, None);
    assert_eq!(
        clock(&waiting, Target::Resolution, at("2026-11-23 16:00")).used,
        3600
    );
    let resumed = moved(&waiting, Status::InProgress, at("2026-11-23 14:00"));
    let res = clock(&resumed, Target::Resolution, at("2026-11-23 14:00"));
    assert_eq!(res.phase, Phase::Running);
    // 8 h allowed, 1 h used: 3 h on Monday (14:00-17:00), 4 h on Tuesday.
    assert_eq!(res.due, Some(at("2026-11-24 13:00")));
    // The update clock had 90 of its 120 minutes left when the wait began.
    assert_eq!(
        clock(&resumed, Target::Update, at("2026-11-23 14:00")).due,
        Some(at("2026-11-23 15:30"))
    );
    // Waiting on a third party pauses the same way.
    let third = moved(
        &resumed,
        Status::WaitingOnThirdParty,
        at("2026-11-23 15:00"),
    );
    assert_eq!(
        clock(&third, Target::Resolution, at("2026-11-24 16:00")).used,
        2 * 3600
    );
}

#[test]
fn reopening_resumes_resolution_and_restarts_the_next_update() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let acked = moved(&case, Status::Acknowledged, at("2026-11-23 09:30"));
    let resolved = moved(&acked, Status::Resolved, at("2026-11-23 12:00"));
    let stopped = clock(&resolved, Target::Resolution, at("2026-11-24 08:00"));
    assert_eq!(stopped.phase, Phase::Stopped);
    assert_eq!(stopped.standing(75), Standing::Met);
    assert_eq!(stopped.used, 3 * 3600);
    let reopened = moved(&resolved, Status::Reopened, at("2026-11-24 09:00"));
    let res = clock(&reopened, Target::Resolution, at("2026-11-24 09:00"));
    assert_eq!(res.phase, Phase::Running);
    assert_eq!(res.used, 3 * 3600);
    assert_eq!(res.due, Some(at("2026-11-24 14:00")));
    assert_eq!(
        clock(&reopened, Target::Update, at("2026-11-24 09:00")).due,
        Some(at("2026-11-24 11:00"))
    );
    let response = clock(&reopened, Target::Response, at("2026-11-24 09:00"));
    assert_eq!(response.standing(75), Standing::Met);
}

#[test]
fn warning_at_the_threshold_then_breach_which_stays_recorded() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let standing = |local: &str| clock(&case, Target::Response, at(local)).standing(75);
    assert_eq!(standing("2026-11-23 09:44"), Standing::OnTrack);
    assert_eq!(standing("2026-11-23 09:45"), Standing::AtRisk);
    assert_eq!(standing("2026-11-23 10:00"), Standing::Breached);
    let late = clock(&case, Target::Response, at("2026-11-23 10:20"));
    assert_eq!(late.left(), -20 * 60);

    let now = at("2026-11-23 10:20");
    let found = clocks(&case, &hours(), now);
    let new = unrecorded_breaches(&case, &found);
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].target, Target::Response);
    assert_eq!(new[0].due, at("2026-11-23 10:00"));
    let recorded = case.with_breaches(&new, now).unwrap();
    assert!(unrecorded_breaches(&recorded, &clocks(&recorded, &hours(), now)).is_empty());

    // Acknowledged late: the clock is missed, and the breach is still on the timeline.
    let acked = moved(&recorded, Status::Acknowledged, at("2026-11-23 10:30"));
    let missed = clock(&acked, Target::Response, at("2026-11-23 11:00"));
    assert_eq!(missed.standing(75), Standing::Missed);
    assert!(acked
        .timeline
        .iter()
        .any(|e| e.event.describe().starts_with("First response breached")));
}

#[test]
fn silence_proposes_the_next_level_until_acknowledged_and_renotifying_restarts_it() {
    let case = escalated("level1", at("2026-11-23 09:00"));
    let silence = |c: &Case, local: &str| clocks(c, &hours(), at(local)).silence;
    assert!(!silence(&case, "2026-11-23 09:29").unwrap().exceeded());
    assert!(silence(&case, "2026-11-23 09:30").unwrap().exceeded());
    let again = renotify(&case, at("2026-11-23 09:40"));
    assert!(!silence(&again, "2026-11-23 10:09").unwrap().exceeded());
    assert!(silence(&again, "2026-11-23 10:10").unwrap().exceeded());
    let acked = moved(&again, Status::Acknowledged, at("2026-11-23 10:15"));
    assert_eq!(silence(&acked, "2026-11-23 12:00"), None);
    // The silence timeout counts business time too: nothing happens overnight.
    let evening = escalated("level1", at("2026-11-23 16:50"));
    assert!(!silence(&evening, "2026-11-24 09:19").unwrap().exceeded());
    assert!(silence(&evening, "2026-11-24 09:20").unwrap().exceeded());
}

#[test]
fn a_level_move_stops_the_old_clocks_and_starts_the_new_ones() {
    let p = playbook();
    let case = escalated("level1", at("2026-11-23 09:00"));
    let acked = moved(&case, Status::Acknowledged, at("2026-11-23 09:30"));
    let up = move_level(
        &acked,
        &p,
        "level2",
        LevelMove::Silence,
        "no answer",
        at("2026-11-23 10:00"),
        &show,
    )
    .unwrap();
    assert_eq!(up.status, Status::Escalated);
    let now = at("2026-11-23 10:30");
    let all = clocks(&up, &hours(), now);
    assert!(all
        .current
        .iter()
        .all(|d| d.level == "Level 2: specialised team"));
    let response = clock(&up, Target::Response, now);
    assert_eq!(response.used, 30 * 60);
    assert_eq!(response.due, Some(at("2026-11-23 12:00")));

    let down = move_level(
        &up,
        &p,
        "tier1",
        LevelMove::DeEscalated,
        "policy answer given",
        at("2026-11-23 11:00"),
        &show,
    )
    .unwrap();
    assert_eq!(down.status, Status::DeEscalated);
    let res = clock(&down, Target::Resolution, at("2026-11-23 11:00"));
    assert_eq!(res.level, "Stay at tier 1");
    assert_eq!(res.due, Some(at("2026-11-23 15:00")));
}

#[test]
fn moving_a_level_needs_a_reason_and_the_right_direction() {
    let p = playbook();
    let case = escalated("level2", at("2026-11-23 09:00"));
    let now = at("2026-11-23 09:10");
    assert_eq!(
        move_level(&case, &p, "level3", LevelMove::Forced, "  ", now, &show),
        Err(MoveError::ReasonRequired)
    );
    assert!(matches!(
        move_level(&case, &p, "level1", LevelMove::Forced, "why", now, &show),
        Err(MoveError::WrongWay(_))
    ));
    assert!(matches!(
        move_level(
            &case,
            &p,
            "level3",
            LevelMove::DeEscalated,
            "why",
            now,
            &show
        ),
        Err(MoveError::WrongWay(_))
    ));
    let resolved = moved(&case, Status::Resolved, now);
    assert_eq!(
        move_level(
            &resolved,
            &p,
            "level3",
            LevelMove::Forced,
            "why",
            now,
            &show
        ),
        Err(MoveError::NotOpen)
    );
}

#[test]
fn the_customers_deadline_counts_in_calendar_time_until_resolved() {
    let mut case = escalated("level1", at("2026-11-23 09:00"));
    case.details.deadline = Some(at("2026-11-24 12:00"));
    let d = clock(&case, Target::Customer, at("2026-11-24 11:00"));
    assert!(!d.business);
    assert_eq!(d.left(), 3600);
    assert_eq!(d.due, Some(at("2026-11-24 12:00")));
    let resolved = moved(&case, Status::Resolved, at("2026-11-24 11:30"));
    assert_eq!(
        clock(&resolved, Target::Customer, at("2026-11-25 11:00")).standing(75),
        Standing::Met
    );
}

#[test]
fn a_customer_deadline_already_past_at_opening_counts_how_late_it_is() {
    let mut case = escalated("level1", at("2026-11-23 09:00"));
    case.details.deadline = Some(at("2026-11-20 12:00"));
    let d = clock(&case, Target::Customer, at("2026-11-23 12:00"));
    assert_eq!(d.standing(75), Standing::Breached);
    assert_eq!(d.left(), -3 * 24 * 3600);
}

#[test]
fn decisions_from_before_targets_were_recorded_keep_their_calendar_due_times() {
    let mut case = escalated("level1", at("2026-11-23 16:00"));
    let d = case.decisions.last_mut().unwrap();
    d.targets = None;
    d.response_due = d.at + Duration::minutes(45);
    d.resolution_due = d.at + Duration::hours(5);
    let response = clock(&case, Target::Response, at("2026-11-23 16:10"));
    assert_eq!(response.due, Some(at("2026-11-23 16:45")));
    assert!(!response.business);
    let res = clock(&case, Target::Resolution, at("2026-11-23 16:10"));
    assert_eq!(res.due, Some(at("2026-11-23 21:00")));
}

#[test]
fn every_deadline_is_listed_not_only_the_nearest() {
    let mut case = escalated("level1", at("2026-11-23 09:00"));
    case.details.deadline = Some(at("2026-11-26 12:00"));
    let all = clocks(&case, &hours(), at("2026-11-23 09:05"));
    let targets: Vec<Target> = all.current.iter().map(|d| d.target).collect();
    assert_eq!(
        targets,
        [
            Target::Response,
            Target::Update,
            Target::Resolution,
            Target::Customer
        ]
    );
    assert_eq!(all.next_due(), Some(at("2026-11-23 10:00")));
}

// ---- properties ----

#[derive(Clone, Debug)]
enum Act {
    Status(Status),
    Update,
}

/// A random history after escalation: moves the status allows, and updates, at random gaps.
fn history() -> impl Strategy<Value = Vec<(i64, usize)>> {
    prop::collection::vec((1i64..3000, 0usize..16), 0..14)
}

fn play(steps: &[(i64, usize)], start: DateTime<Utc>) -> Vec<(DateTime<Utc>, Case)> {
    let mut case = escalated("level1", start);
    let mut when = start;
    let mut out = vec![(when, case.clone())];
    for (gap, pick) in steps {
        when += Duration::minutes(*gap);
        let options: Vec<Act> = case
            .status
            .next()
            .iter()
            .map(|s| Act::Status(*s))
            .chain([Act::Update])
            .collect();
        case = match &options[pick % options.len()] {
            Act::Status(s) => case.transitioned(*s, when).unwrap(),
            Act::Update => case.update_logged("", when),
        };
        out.push((when, case.clone()));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_paused_clock_never_advances(
        steps in history(),
        wait_after in 0i64..5000,
        a in 0i64..20_000,
        b in 0i64..20_000,
        third in any::<bool>(),
    ) {
        let start = at("2026-03-20 10:00");
        let (when, case) = play(&steps, start).pop().unwrap();
        let waiting_status = if third { Status::WaitingOnThirdParty } else { Status::WaitingOnCustomer };
        prop_assume!(case.status.next().contains(&waiting_status));
        let paused_at = when + Duration::minutes(wait_after);
        let paused = case.transitioned(waiting_status, paused_at).unwrap();
        let (t1, t2) = (paused_at + Duration::minutes(a.min(b)), paused_at + Duration::minutes(a.max(b)));
        let (c1, c2) = (clocks(&paused, &hours(), t1), clocks(&paused, &hours(), t2));
        for target in [Target::Update, Target::Resolution] {
            let d1 = c1.current.iter().find(|d| d.target == target);
            let d2 = c2.current.iter().find(|d| d.target == target);
            if let (Some(d1), Some(d2)) = (d1, d2) {
                prop_assert_eq!(d1.phase, Phase::Paused);
                prop_assert_eq!(d1.used, d2.used);
                prop_assert_eq!(d1.due, d2.due);
            }
        }
    }

    #[test]
    fn deadlines_never_move_earlier_as_time_and_events_pass(steps in history(), late in 0i64..10_000) {
        let start = at("2026-10-22 15:00");
        let states = play(&steps, start);
        let mut seen: Vec<(Target, DateTime<Utc>)> = Vec::new();
        for (when, case) in &states {
            for now in [*when, *when + Duration::minutes(late)] {
                for d in clocks(case, &hours(), now).current {
                    let Some(due) = d.due else { continue };
                    if let Some((_, before)) = seen.iter().find(|(t, _)| *t == d.target) {
                        prop_assert!(due >= *before, "{:?} moved from {} to {}", d.target, before, due);
                    }
                    seen.retain(|(t, _)| *t != d.target);
                    seen.push((d.target, due));
                }
            }
        }
    }

    #[test]
    fn working_time_adds_up(start in 0i64..(60 * 24 * 400), minutes in 0i64..(60 * 8 * 200)) {
        let h = hours();
        let from = utc("2026-01-01T00:00:00Z") + Duration::minutes(start);
        let due = h.working_after(from, minutes * 60).unwrap();
        prop_assert_eq!(h.working_between(from, due), minutes * 60);
        prop_assert!(due >= from);
    }
}

// ---- zones ----

/// Issue 33.1: a decision counts in the zone it was taken in. A case escalated by a Berlin
/// team and opened by a desk whose calendar is in Los Angeles keeps every deadline; a decision
/// from before the zone was kept counts in the desk's own.
#[test]
fn a_decision_counts_in_the_zone_it_was_taken_in() {
    let case = escalated("level1", at("2026-11-23 16:30"));
    assert_eq!(case.decisions[0].zone.as_deref(), Some("Europe/Berlin"));
    let la = Hours::of(&Calendar {
        time_zone: "America/Los_Angeles".into(),
        ..berlin()
    })
    .unwrap();
    let now = at("2026-11-23 16:45");
    let dues = |h: &Hours, c: &Case| -> Vec<Option<DateTime<Utc>>> {
        clocks(c, h, now).current.iter().map(|d| d.due).collect()
    };
    assert_eq!(dues(&la, &case), dues(&hours(), &case));
    // 30 minutes left at 17:00 Berlin: due at 09:30 the next working morning.
    let response = clock(&case, Target::Response, now);
    assert_eq!(response.due, Some(at("2026-11-24 09:30")));
    let mut old = case.clone();
    old.decisions[0].zone = None;
    assert_ne!(dues(&la, &old), dues(&hours(), &old));
}
