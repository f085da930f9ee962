//! Team mode's shared document: every field of a case survives the trip through it, and any
//! interleaving of two agents' edits and syncs converges to the same cases on both devices,
//! with every timeline entry either of them added.

use chrono::{DateTime, Duration, TimeZone, Utc};
use escalation_desk::core::case::{Case, Channel, Details, Entry, Event, Status, Step};
use escalation_desk::core::closeout::{CloseOut, Review};
use escalation_desk::core::playbook::default_playbook;
use escalation_desk::core::team::Shared;
use escalation_desk::core::triage::{decide, evaluate, Triage};
use proptest::prelude::*;

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
    let mut a = Shared::new(11);
    a.put(&c);
    let b = Shared::load(12, 12, &a.state()).unwrap();
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
        let mut docs = [Shared::new(1), Shared::new(2)];
        let start = sample();
        docs[0].put(&start);
        let first = docs[0].missing(&docs[1].state_vector()).unwrap();
        let got = docs[1].apply(&first).unwrap();
        // Each desk's copy of the case: what it put last or took from an update.
        let mut desks = [start.clone(), got.cases[0].clone()];
        let mut added: Vec<Entry> = start.timeline.clone();
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
                Op::Subject(w, v) => edit(w, &mut desks, &|c| c.details.subject = format!("Subject {v}")),
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
        // Both ways, once more: the same case on both devices.
        for w in [0, 1] {
            let update = docs[w].missing(&docs[1 - w].state_vector()).unwrap();
            docs[1 - w].apply(&update).unwrap();
        }
        let read = |s: &Shared| s.cases().into_iter().map(Result::unwrap).collect::<Vec<_>>();
        let (x, y) = (read(&docs[0]), read(&docs[1]));
        prop_assert_eq!(&x, &y);
        // No agent's timeline entry is lost.
        for e in &added {
            prop_assert!(x[0].timeline.contains(e), "lost {:?}", e);
            if let Event::StepAdded { action } = &e.event {
                prop_assert!(x[0].details.steps.iter().any(|s| &s.action == action), "lost the step {}", action);
            }
        }
    }
}
