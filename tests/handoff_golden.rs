//! Golden files for every handoff format on three cases (minimal, typical, everything filled
//! with non-ASCII and hostile text), plus the redacted variant and the CSV list. Run with
//! `UPDATE_GOLDEN=1` to rewrite them after an intended change, then read the diff.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Duration, TimeZone, Utc};
use escalation_desk::core::bundle;
use escalation_desk::core::case::{Case, Channel, Customer, Details, Status, Step};
use escalation_desk::core::closeout::{
    CloseOut, FollowUp, Lesson, Part, Review, Satisfaction, Skip, Source, Why,
};
use escalation_desk::core::handoff::{self, Format};
use escalation_desk::core::learning;
use escalation_desk::core::playbook::{default_playbook, Field};
use escalation_desk::core::triage::{self, Triage};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 15, 0).unwrap()
}

fn show(t: DateTime<Utc>) -> String {
    t.format("%a %-d %b %Y %H:%M UTC").to_string()
}

fn minimal() -> Case {
    let details = Details {
        subject: "Password reset email never arrives".into(),
        contact_count: 1,
        ..Details::default()
    };
    Case::open("min".into(), 1, details, t0())
}

fn typical() -> Case {
    let p = default_playbook();
    let details = Details {
        customer: Customer {
            name: "Bob Stone".into(),
            contact: "bob.stone@example.com".into(),
            contact_masked: false,
            contact_over_mask: false,
            account: "Business Plus".into(),
            vip: false,
        },
        channel: Channel::Chat,
        product: "Billing".into(),
        subject: "Charged twice for March".into(),
        description: "Two identical charges of 49.00 EUR on 1 March.".into(),
        expectation: "Refund of the duplicate charge".into(),
        deadline: Some(t0() + Duration::days(2)),
        steps: vec![Step {
            at: t0(),
            action: "Checked the invoice".into(),
            outcome: "Two identical lines".into(),
        }],
        contact_count: 2,
        owner: "Sam Rivera".into(),
        impact: String::new(),
        evidence: "Invoice INV-2026-0311".into(),
    };
    let mut case = Case::open("typ".into(), 2, details, t0());
    case = triage::start(&case, &p, t0());
    case.triage = Some(Triage {
        triggers: vec!["policy_dispute".into(), "money_at_stake".into()],
        answers: vec![
            ("critical".into(), "no".into()),
            ("defect".into(), "no".into()),
        ],
        ..Triage::default()
    });
    triage::decide(&case, &p, None, "", t0() + Duration::minutes(5), &show).unwrap()
}

fn everything() -> Case {
    let p = default_playbook();
    let details = Details {
        customer: Customer {
            name: "Zoë Ångström-Øberg 東京".into(),
            contact: "+44 7700 900123".into(),
            contact_masked: false,
            contact_over_mask: false,
            account: "=HYPERLINK(\"http://evil\")".into(),
            vip: true,
        },
        channel: Channel::Phone,
        product: "Network *core* <b>".into(),
        subject: "Outage [all sites] <script>alert(1)</script>".into(),
        description: "Since 08:00 nothing works.\nSecond line with | pipes | and # hashes.".into(),
        expectation: "Service back today & a written RCA".into(),
        deadline: Some(t0() + Duration::hours(6)),
        steps: vec![
            Step {
                at: t0(),
                action: "Rebooted the gateway".into(),
                outcome: "No change".into(),
            },
            Step {
                at: t0() + Duration::minutes(10),
                action: "Checked status page".into(),
                outcome: String::new(),
            },
        ],
        contact_count: 4,
        owner: "Åsa".into(),
        impact: "All 3 sites offline, ~400 staff idle".into(),
        evidence: "[trace](javascript:alert(1)) https://logs.example.com/t/1".into(),
    };
    let mut case = Case::open("all".into(), 3, details, t0());
    case = triage::start(&case, &p, t0());
    case.triage = Some(Triage {
        triggers: vec!["outage".into(), "many_affected".into(), "legal".into()],
        ..Triage::default()
    });
    let mut case = triage::decide(
        &case,
        &p,
        Some("level3"),
        "Engineering already has an incident open",
        t0() + Duration::minutes(7),
        &show,
    )
    .unwrap();
    case.status = Status::Acknowledged;
    case
}

/// `everything`, resolved and closed with a full close-out (hostile text in it too) and reviewed.
fn closed() -> Case {
    let p = default_playbook();
    let case = everything();
    let out = CloseOut {
        resolution: "Replaced the core switch; *all* sites back at 14:10 <b>".into(),
        root_cause: "product_defect".into(),
        whys: vec![
            Why {
                why: "Why did every site go down?".into(),
                because: "The core switch rebooted in a loop.".into(),
            },
            Why {
                why: "Why did it loop?".into(),
                because: "Firmware 4.2 | a known bug".into(),
            },
        ],
        lessons: vec![
            Lesson {
                text: "Check the vendor's bug list before rebooting [twice]".into(),
                share: true,
            },
            Lesson {
                text: "Zoë Ångström-Øberg 東京 prefers calls".into(),
                share: false,
            },
        ],
        follow_ups: vec![FollowUp {
            what: "Upgrade firmware on the spare switch".into(),
            owner: "Åsa".into(),
            due: chrono::NaiveDate::from_ymd_opt(2026, 5, 8),
            done: false,
        }],
        satisfaction: Some(Satisfaction {
            score: 4,
            comment: "=cmd|' /C calc'!A0".into(),
            source: Source::Survey,
        }),
        ..CloseOut::default()
    };
    let skips = [Skip {
        part: Part::FollowUps,
        reason: "not needed".into(),
    }];
    let done = learning::closed(&case, &out, &skips, &p, t0() + Duration::hours(5)).unwrap();
    learning::reviewed(
        &done,
        &Review {
            reviewer: "Lee".into(),
            went_well: "Clear updates every hour".into(),
            improve: "Hand off before the second reboot".into(),
            goal: "Check known bugs first on the next 3 outages".into(),
            goal_due: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
            exemplary: true,
            ..Review::default()
        },
        t0() + Duration::hours(8),
    )
    .unwrap()
}

fn check(name: &str, actual: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{path} is missing: run with UPDATE_GOLDEN=1 and review it"));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn every_format_matches_its_golden_file() {
    let p = default_playbook();
    let now = t0() + Duration::hours(1);
    for (name, case) in [
        ("minimal", minimal()),
        ("typical", typical()),
        ("everything", everything()),
        ("closed", closed()),
    ] {
        for format in Format::ALL {
            let out = handoff::render(&case, &p, format, false, now, &show);
            check(&format!("{name}.{}", format.key()), &out);
        }
        let redacted = handoff::render(&case, &p, Format::Markdown, true, now, &show);
        check(&format!("{name}.redacted.markdown"), &redacted);
    }
    check(
        "cases.csv",
        &handoff::csv(
            &[minimal(), typical(), everything()],
            &triage::hours(&default_playbook()),
            t0(),
            &show,
        ),
    );
}

#[test]
fn no_user_text_escapes_its_format() {
    let p = default_playbook();
    let md = handoff::render(&everything(), &p, Format::Markdown, false, t0(), &show);
    assert!(!md.contains("<script>"));
    // The link brackets are escaped, so no link is made.
    assert!(md.contains("\\[trace\\](javascript"));
    let csv = handoff::csv(&[everything()], &triage::hours(&p), t0(), &show);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""));
    let redacted = handoff::render(&everything(), &p, Format::Json, true, t0(), &show);
    assert!(!redacted.contains("900123"));
    assert!(redacted.contains("****23"));
}

#[test]
fn a_handoff_file_imports_with_its_history() {
    let p = default_playbook();
    let case = typical();
    let json = handoff::render(&case, &p, Format::Json, false, t0(), &show);
    let imported = bundle::parse(&json).unwrap();
    assert_eq!(imported, vec![case]);
}

#[test]
fn a_closed_case_travels_with_its_close_out_and_review() {
    let p = default_playbook();
    let case = closed();
    let json = handoff::render(&case, &p, Format::Json, true, t0(), &show);
    let imported = bundle::parse(&json).unwrap();
    assert_eq!(imported[0].closeouts, case.closeouts);
    assert_eq!(imported[0].reviews, case.reviews);
    let md = handoff::render(&case, &p, Format::Markdown, false, t0(), &show);
    assert!(md.contains("## Close-out"));
    assert!(!md.contains("<b>"));
}

#[test]
fn completeness_names_what_the_level_still_needs() {
    let p = default_playbook();
    let case = everything();
    let l4 = p.level("level4").unwrap();
    assert!(handoff::missing(&case, l4).is_empty());
    let mut bare = case.clone();
    bare.details.impact.clear();
    bare.details.customer.contact.clear();
    let missing = handoff::missing(&bare, l4);
    assert_eq!(missing.len(), 2);
    assert_eq!((missing[0].field, missing[0].blocks), (Field::Impact, true));
    assert_eq!(
        (missing[1].field, missing[1].blocks),
        (Field::Contact, false)
    );
}
