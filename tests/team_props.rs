//! Team mode's shared document: every field of a case survives the trip through it, and any
//! interleaving of two agents' edits and syncs converges to the same cases on both devices,
//! with every timeline entry either of them added; with three devices sealing every value and
//! reloading at random points (from a saved state that may lag), every step arrives exactly
//! once, in its own case, and the document's bytes never hold a value in plain text.

use chrono::{DateTime, Duration, TimeZone, Utc};
use escalation_desk::core::case::{Case, Channel, Details, Entry, Event, Status, Step};
use escalation_desk::core::closeout::{CloseOut, Review};
use escalation_desk::core::playbook::default_playbook;
use escalation_desk::core::seal::Seal;
use escalation_desk::core::team::Shared;
use escalation_desk::core::triage::{decide, evaluate, Triage};
use proptest::prelude::*;

const KEY: &str = "0123456789abcdef0123456789abcdef";

/// Device `n`'s seal of the team's key (nonces counted apart per device and start).
fn seal(n: u64) -> Seal {
    Seal::counting(KEY, n << 40)
}

fn at(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap() + Duration::minutes(m)
}

/// A case with every part filled: customer, every detail, steps, a triage decision, a
/// close-out, a review, a ticket.
fn full_case() -> Case {
    let mut d = Details {
        channel: Channel::Email,
        product: "Billing".into(),
        subject: "Invoice charged twice".into(),
        description: "Two charges of 49 € on 1 Nov.\nCard ending 4242.".into(),
        expectation: "Refund of one charge".into(),
        deadline: Some(at(600)),
        contact_count: 3,
        owner: "Priya".into(),
        impact: "One customer, 49 €".into(),
        evidence: "Bank statement".into(),
        ..Details::default()
    };
    d.customer.name = "Zoë Müller".into();
    d.customer.contact = "zoe@example.com".into();
    d.customer.account = "ACME-7".into();
    d.customer.vip = true;
    d.steps.push(Step {
        at: at(1),
        action: "Checked the payment log".into(),
        outcome: "Two charges seen".into(),
    });
    let mut c = Case::open("c1".into(), 7, d, at(0));
    c.ticket_id = Some("T-42".into());
    let p = default_playbook();
    let mut t = Triage::default().toggled(&p.groups[0].triggers[0].id, true);
    while let Some(q) = evaluate(&p, &t).pending {
        let Some(question) = p.question(&q) else {
            break;
        };
        t = t.answered(&q, &question.answers[0].id);
    }
    c.triage = Some(t);
    c = decide(&c, &p, None, "", at(5), &|t| t.to_rfc3339()).expect("decided");
    c.closeouts.push(CloseOut {
        resolution: "Refunded".into(),
        root_cause_name: "Billing".into(),
        ..CloseOut::default()
    });
    c.reviews.push(Review {
        at: at(900),
        reviewer: "Lee".into(),
        went_well: "Quick".into(),
        ..Review::default()
    });
    c.status = Status::Resolved;
    c.rev = 9;
    c
}

#[test]
fn every_field_survives_the_shared_document() {
    let c = full_case();
    assert!(!c.decisions.is_empty());
    let mut a = Shared::new(11, seal(11));
    a.put(&c);
    let b = Shared::load(12, 12, seal(12), &a.state()).unwrap();
    let back: Vec<Case> = b.cases().into_iter().map(Result::unwrap).collect();
    assert_eq!(back, vec![Case { rev: 0, ..c }]);
}

/// One agent's action: an edit of a part of the case (as its desk would save it), or a sync
/// of what it has towards the other.
#[derive(Clone, Debug)]
enum Op {
    Subject(usize, u8),
    Owner(usize, u8),
    Status(usize, u8),
    Step(usize, u8),
    Send(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..2usize;
    prop_oneof![
        (who.clone(), any::<u8>()).prop_map(|(w, v)| Op::Subject(w, v)),
        (who.clone(), any::<u8>()).prop_map(|(w, v)| Op::Owner(w, v)),
        (who.clone(), any::<u8>()).prop_map(|(w, v)| Op::Status(w, v)),
        (who.clone(), any::<u8>()).prop_map(|(w, v)| Op::Step(w, v)),
        who.prop_map(Op::Send),
    ]
}

fn sample() -> Case {
    Case::open(
        "c1".into(),
        1,
        Details {
            subject: "Start".into(),
            ..Details::default()
        },
        at(0),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn two_agents_converge_whatever_the_order(ops in proptest::collection::vec(op(), 1..40)) {
        let mut docs = [Shared::new(1, seal(1)), Shared::new(2, seal(2))];
        let start = sample();
        docs[0].put(&start);
        let first = docs[0].missing(&docs[1].state_vector()).unwrap();
        let got = docs[1].apply(&first).unwrap();
        // Each desk's copy of the case: what it put last or took from an update.
        let mut desks = [start.clone(), got.cases[0].clone()];
        let mut added: Vec<Entry> = start.timeline.clone();
        // The subject last written (by time): the later edit wins, whatever the order.
        let mut last_subject = start.details.subject.clone();
        let mut clock = 1;
        for op in ops {
            clock += 1;
            let edit = |w: usize, desks: &mut [Case; 2], f: &dyn Fn(&mut Case)| {
                let mut c = desks[w].clone();
                f(&mut c);
                c.updated_at = at(clock);
                desks[w] = c;
            };
            match op {
                Op::Subject(w, v) => {
                    let subject = format!("Subject {v}");
                    if desks[w].details.subject != subject {
                        last_subject = subject.clone();
                    }
                    edit(w, &mut desks, &|c| c.details.subject = subject.clone())
                }
                Op::Owner(w, v) => edit(w, &mut desks, &|c| c.details.owner = format!("Agent {}", v % 4)),
                Op::Status(w, v) => edit(w, &mut desks, &|c| {
                    c.status = [Status::Escalated, Status::Acknowledged, Status::InProgress][usize::from(v % 3)]
                }),
                Op::Step(w, v) => {
                    let entry = Entry { at: at(clock), event: Event::StepAdded { action: format!("Step {v} by {w}") } };
                    added.push(entry.clone());
                    edit(w, &mut desks, &|c| {
                        c.timeline.push(entry.clone());
                        c.details.steps.push(Step { at: at(clock), action: format!("Step {v} by {w}"), outcome: String::new() });
                    })
                }
                Op::Send(w) => {
                    let update = docs[w].missing(&docs[1 - w].state_vector()).unwrap();
                    let got = docs[1 - w].apply(&update).unwrap();
                    if let Some(c) = got.cases.into_iter().next() {
                        desks[1 - w] = c;
                    }
                }
            }
            if !matches!(op, Op::Send(_)) {
                let w = match op { Op::Subject(w, _) | Op::Owner(w, _) | Op::Status(w, _) | Op::Step(w, _) => w, Op::Send(_) => unreachable!() };
                docs[w].put(&desks[w]);
            }
        }
        // Both ways until neither answers (a later edit written back): the same case on both.
        let mut rounds = 0;
        loop {
            let mut answered = false;
            for w in [0, 1] {
                let update = docs[w].missing(&docs[1 - w].state_vector()).unwrap();
                answered |= !docs[1 - w].apply(&update).unwrap().answers.is_empty();
            }
            rounds += 1;
            prop_assert!(rounds < 5, "the devices answer each other without end");
            if !answered {
                break;
            }
        }
        let read = |s: &Shared| s.cases().into_iter().map(Result::unwrap).collect::<Vec<_>>();
        let (x, y) = (read(&docs[0]), read(&docs[1]));
        prop_assert_eq!(&x, &y);
        prop_assert_eq!(&x[0].details.subject, &last_subject);
        // No agent's timeline entry is lost.
        for e in &added {
            prop_assert!(x[0].timeline.contains(e), "lost {:?}", e);
            if let Event::StepAdded { action } = &e.event {
                prop_assert!(x[0].details.steps.iter().any(|s| &s.action == action), "lost the step {}", action);
            }
        }
    }
}

/// One of three devices' actions on two cases: a step or a subject written into one case, a
/// sync from one device to another, the saved state kept (as the worker does, at most once a
/// second, so it may lag), a reload from that saved state.
#[derive(Clone, Debug)]
enum Act {
    Step(usize, usize),
    Subject(usize, usize, u8),
    Send(usize, usize),
    Keep(usize),
    Reload(usize),
}

fn act() -> impl Strategy<Value = Act> {
    let who = 0..3usize;
    let case = 0..2usize;
    prop_oneof![
        3 => (who.clone(), case.clone()).prop_map(|(w, c)| Act::Step(w, c)),
        2 => (who.clone(), case, any::<u8>()).prop_map(|(w, c, v)| Act::Subject(w, c, v)),
        3 => (who.clone(), who.clone()).prop_map(|(a, b)| Act::Send(a, b)),
        1 => who.clone().prop_map(Act::Keep),
        1 => who.prop_map(Act::Reload),
    ]
}

const IDS: [&str; 2] = ["c1", "c2"];
const SECRET: &str = "Zoë Müller";

fn secret_case(id: &str) -> Case {
    Case::open(
        id.into(),
        1,
        Details {
            subject: format!("{SECRET} is locked out"),
            ..Details::default()
        },
        at(0),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn three_sealed_devices_reloading_keep_every_edit_once_in_its_case(
        acts in proptest::collection::vec(act(), 1..50)
    ) {
        let mut client = 100u64;
        // Device 0 shares both cases; the others join and take them.
        let mut founder = Shared::open(10, 0, seal(10));
        for id in IDS {
            founder.put(&secret_case(id));
        }
        let mut docs = vec![founder];
        for w in 1..3u64 {
            docs.push(Shared::load(w + 10, w, seal(w + 10), &docs[0].state()).unwrap());
        }
        // Each device's desk: its copy of both cases, as its page holds them.
        let mut desks: Vec<Vec<Case>> = vec![IDS.iter().map(|id| secret_case(id)).collect(); 3];
        let mut saved: Vec<Vec<u8>> = docs.iter().map(Shared::state).collect();
        let mut steps: Vec<(usize, String)> = Vec::new();
        let mut clock = 1;
        let take = |desk: &mut Vec<Case>, cases: Vec<Case>| {
            for c in cases {
                if let Some(i) = IDS.iter().position(|id| *id == c.id) {
                    desk[i] = c;
                }
            }
        };
        for act in acts {
            clock += 1;
            match act {
                Act::Step(w, k) | Act::Subject(w, k, _) => {
                    let mut c = desks[w][k].clone();
                    if let Act::Subject(_, _, v) = act {
                        c.details.subject = format!("Subject {v} by {w}");
                    } else {
                        let action = format!("{} step {clock} by {w}", IDS[k]);
                        steps.push((k, action.clone()));
                        c.details.steps.push(Step { at: at(clock), action, outcome: String::new() });
                    }
                    c.updated_at = at(clock);
                    desks[w][k] = c.clone();
                    docs[w].put(&c);
                }
                Act::Send(a, b) if a != b => {
                    let update = docs[a].missing(&docs[b].state_vector()).unwrap();
                    let got = docs[b].apply(&update).unwrap();
                    prop_assert!(got.unreadable.is_empty(), "{:?}", got.unreadable);
                    take(&mut desks[b], got.cases);
                }
                Act::Send(..) => {}
                Act::Keep(w) => saved[w] = docs[w].state(),
                Act::Reload(w) => {
                    // A fresh client id each start; the page's cases are shared again.
                    client += 1;
                    docs[w] = Shared::load(client, w as u64, seal(client), &saved[w]).unwrap();
                    for c in desks[w].clone() {
                        docs[w].put(&c);
                    }
                }
            }
        }
        for _ in 0..4 {
            for a in 0..3 {
                for b in 0..3 {
                    if a != b {
                        let update = docs[a].missing(&docs[b].state_vector()).unwrap();
                        docs[b].apply(&update).unwrap();
                    }
                }
            }
        }
        let read = |s: &Shared| {
            let mut cases: Vec<Case> = s.cases().into_iter().map(Result::unwrap).collect();
            cases.sort_by(|a, b| a.id.cmp(&b.id));
            cases
        };
        let first = read(&docs[0]);
        prop_assert_eq!(first.len(), 2);
        prop_assert_eq!(&first, &read(&docs[1]));
        prop_assert_eq!(&first, &read(&docs[2]));
        for (k, action) in &steps {
            for (i, case) in first.iter().enumerate() {
                let n = case.details.steps.iter().filter(|s| &s.action == action).count();
                prop_assert_eq!(n, usize::from(i == *k), "{} in {}", action, case.id);
            }
        }
        for doc in &docs {
            let bytes = doc.state();
            let text = String::from_utf8_lossy(&bytes);
            prop_assert!(!text.contains("Müller") && !text.contains("Subject ") && !text.contains(" by "));
        }
    }
}
