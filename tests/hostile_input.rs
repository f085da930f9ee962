//! Every reader of outside text (stored values, restore files, playbook files, host messages,
//! embed.json, addresses) on random and hostile input: it answers with a value or an error,
//! never a panic. Besides random text, valid documents with one value swapped for a value of
//! any other kind exercise the hand-written readers of `core::json` field by field.
#![cfg(not(target_arch = "wasm32"))]

use escalation_desk::core::bundle;
use escalation_desk::core::case::{Case, Details, Event};
use escalation_desk::core::clock::DayTime;
use escalation_desk::core::embed::{parse_config, parse_host_message};
use escalation_desk::core::link::Route;
use escalation_desk::core::migrate::{
    decode_case, decode_index, decode_playbook, decode_prefs, encode_case, encode_playbook,
    envelope_version,
};
use escalation_desk::core::pack::{pack, unpack};
use escalation_desk::core::playbook::{default_playbook, export_file, parse_file};
use escalation_desk::core::zone::Zone;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A value of any JSON kind, including the awkward ones (negative, huge, fractional numbers).
fn any_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        ".{0,12}".prop_map(Value::String),
        Just(json!([])),
        Just(json!({})),
        Just(json!([null, 1, "x"])),
        Just(json!("2026-13-45T99:00:00Z")),
    ]
}

/// `doc` with its `n`-th value (counted depth first, wrapping) replaced by `with`.
fn swap_nth(doc: &mut Value, n: usize, with: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, n: &mut usize, with: &mut Option<Value>) {
        if *n == 0 {
            if let Some(w) = with.take() {
                *v = w;
            }
            return;
        }
        *n -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, n, with)),
            Value::Object(o) => o.values_mut().for_each(|x| walk(x, n, with)),
            _ => {}
        }
    }
    let mut n = n % count(doc);
    walk(doc, &mut n, &mut Some(with));
}

/// A stored case with a deadline, a timeline entry and a triage in progress.
fn full_case_value() -> Value {
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let mut c = Case::open("h1".into(), 7, Details::default(), now);
    c.details.subject = "Outage".into();
    c.details.deadline = Some(now);
    c.timeline.push(escalation_desk::core::case::Entry {
        at: now,
        event: Event::Edited {
            fields: vec!["subject".into()],
        },
    });
    let p = default_playbook();
    let mut triage = escalation_desk::core::triage::Triage::default();
    triage = triage.toggled(&p.groups[0].triggers[0].id, true);
    c.triage = Some(triage);
    // A close-out with every part, a review, and their timeline entries.
    use escalation_desk::core::closeout::*;
    c.closeouts.push(CloseOut {
        resolution: "Fixed".into(),
        root_cause: "billing".into(),
        root_cause_name: "Billing".into(),
        whys: vec![Why {
            why: "w".into(),
            because: "b".into(),
        }],
        lessons: vec![Lesson {
            text: "l".into(),
            share: true,
        }],
        follow_ups: vec![FollowUp {
            what: "f".into(),
            owner: "o".into(),
            due: now.date_naive().into(),
            done: false,
        }],
        satisfaction: Some(Satisfaction {
            score: 3,
            comment: "c".into(),
            source: Source::Call,
        }),
        skipped: vec![Skip {
            part: Part::Lessons,
            reason: "r".into(),
        }],
        resolved_at: Some(now),
        closed_at: Some(now),
    });
    c.reviews.push(Review {
        at: now,
        reviewer: "Lee".into(),
        went_well: "w".into(),
        goal_due: now.date_naive().into(),
        exemplary: true,
        ..Review::default()
    });
    for event in [
        Event::Resolution {
            summary: "s".into(),
        },
        Event::RootCause {
            name: "n".into(),
            whys: 1,
        },
        Event::LessonLearned {
            text: "t".into(),
            share: true,
        },
        Event::FollowUpAdded {
            what: "w".into(),
            owner: "o".into(),
            due: now.date_naive().into(),
        },
        Event::FollowUpDone { what: "w".into() },
        Event::SatisfactionRecorded {
            score: 2,
            source: Source::Survey,
            comment: "c".into(),
        },
        Event::CloseOutSkipped {
            part: Part::RootCause,
            reason: "r".into(),
        },
        Event::Reviewed {
            reviewer: "Lee".into(),
            exemplary: false,
        },
        Event::FeedbackRead,
    ] {
        c.timeline
            .push(escalation_desk::core::case::Entry { at: now, event });
    }
    serde_json::from_str(
        &escalation_desk::core::pack::unpack(&encode_case(&c).unwrap(), 1 << 20).unwrap(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn packing_round_trips_any_text(text in any::<String>()) {
        prop_assert_eq!(unpack(&pack(&text), usize::MAX).unwrap(), text);
    }

    #[test]
    fn unpacking_random_text_never_panics(tail in any::<String>()) {
        let _ = unpack(&format!("~1{tail}"), 1 << 20);
    }

    #[test]
    fn unpacking_damaged_packed_text_never_panics(text in ".{0,400}", cut in 0usize..200, flip in 0usize..200) {
        let packed: Vec<char> = pack(&text).chars().collect();
        let mut damaged: Vec<char> = packed[..packed.len().saturating_sub(cut % (packed.len() + 1))].to_vec();
        if !damaged.is_empty() {
            let i = flip % damaged.len();
            damaged[i] = char::from_u32((damaged[i] as u32) ^ 0x155).unwrap_or('x');
        }
        let _ = unpack(&damaged.into_iter().collect::<String>(), 1 << 20);
    }

    #[test]
    fn decoding_random_values_never_panics(raw in any::<String>()) {
        let _ = decode_case(&raw);
        let _ = decode_index(&raw);
        let _ = envelope_version(&raw);
        let _ = Route::parse(&raw);
    }

    #[test]
    fn decoding_json_shaped_values_never_panics(
        v in 0u32..5,
        kind in prop::sample::select(vec!["case", "index", "other"]),
        data in r#"\{("[a-z_]{1,12}":("[^"\\]{0,20}"|[0-9]{1,5}|null|true|\[\]),?){0,8}\}"#,
    ) {
        let raw = format!(r#"{{"v":{v},"kind":"{kind}","data":{data}}}"#);
        let _ = decode_case(&raw);
        let _ = decode_case(&pack(&raw));
    }

    #[test]
    fn time_zone_rules_and_times_of_day_never_panic(
        raw in any::<String>(),
        shaped in "[A-Z<>+0-9-]{0,6}[0-9:+-]{0,6}([A-Z]{0,4}[0-9:]{0,3}(,[MJ0-9./:-]{0,14}){0,3})?",
    ) {
        let _ = Zone::parse(&raw);
        let _ = Zone::parse(&shaped);
        let _ = DayTime::parse(&raw);
    }

    #[test]
    fn a_parsed_zone_answers_for_any_moment(shaped in "[A-Z]{3}[0-9]{1,2}[A-Z]{3},M[0-9]{1,2}.[1-5].[0-6](/[0-9]{1,3})?,M[0-9]{1,2}.[1-5].[0-6](/-?[0-9]{1,3})?", secs in -4_000_000_000i64..8_000_000_000) {
        if let Ok(zone) = Zone::parse(&shaped) {
            if let Some(moment) = chrono::DateTime::from_timestamp(secs, 0) {
                let offset = zone.offset_at(moment);
                prop_assert!(offset.abs() <= 26 * 3600);
                let _ = zone.moment(zone.local(moment));
            }
        }
    }

    #[test]
    fn restoring_random_files_never_panics(raw in any::<String>()) {
        let _ = bundle::parse(&raw);
    }

    #[test]
    fn playbook_files_host_messages_and_settings_never_panic(raw in any::<String>()) {
        let _ = parse_file(&raw);
        let _ = parse_host_message(&raw);
        let _ = parse_config(&raw);
        let _ = decode_playbook(&raw);
        let _ = decode_prefs(&raw);
        let _ = escalation_desk::core::practice::parse_history(&raw);
        let _ = escalation_desk::core::practice::parse_scenarios(&raw);
    }

    #[test]
    fn a_stored_case_with_any_value_swapped_reads_or_is_refused(n in 0usize..900, with in any_json()) {
        let mut doc = full_case_value();
        swap_nth(&mut doc, n, with);
        let text = doc.to_string();
        let _ = decode_case(&text);
        let file = json!({"format": "escalation-desk/cases", "v": 7, "cases": [doc["data"].clone()]});
        let _ = bundle::parse(&file.to_string());
    }

    #[test]
    fn practice_files_with_any_value_swapped_read_or_are_refused(n in 0usize..600, with in any_json()) {
        use escalation_desk::core::practice;
        let list = practice::library();
        let mut doc: Value = serde_json::from_str(&practice::export_scenarios(&list[..3])).unwrap();
        swap_nth(&mut doc, n, with.clone());
        // A scenario that still reads is walked like any other.
        if let Ok(read) = practice::parse_scenarios(&doc.to_string()) {
            for s in &read {
                let _ = practice::expected(&default_playbook(), s);
            }
        }
        let history = practice::History {
            trainee: "Ana".into(),
            runs: vec![practice::Run {
                scenario: "x".into(),
                title: "X".into(),
                at: chrono::Utc::now(),
                seconds: 1,
                points: 50,
                expected: "A".into(),
                chosen: "B".into(),
                off_by: 1,
            }],
        };
        let mut doc: Value = serde_json::from_str(&practice::export_history(&history)).unwrap();
        swap_nth(&mut doc, n % 16, with);
        let _ = practice::parse_history(&doc.to_string());
    }

    #[test]
    fn a_playbook_with_any_value_swapped_reads_or_is_refused(n in 0usize..2000, with in any_json()) {
        let mut doc: Value = serde_json::from_str(&export_file(&default_playbook())).unwrap();
        swap_nth(&mut doc, n, with.clone());
        // A file that still reads must still be a valid playbook: broken ones are refused.
        if let Ok(p) = parse_file(&doc.to_string()) {
            prop_assert!(escalation_desk::core::playbook::validate(&p).is_empty());
        }
        let mut stored: Value = serde_json::from_str(&unpack(&encode_playbook(&default_playbook()), 1 << 20).unwrap()).unwrap();
        swap_nth(&mut stored, n, with);
        let _ = decode_playbook(&stored.to_string());
    }

    #[test]
    fn host_messages_with_any_value_swapped_are_read_or_ignored(n in 0usize..12, with in any_json()) {
        let mut m = json!({"ns": "escalation-desk", "v": 1, "type": "context",
            "ticket": {"id": "T-1", "subject": "s", "requester": {"name": "n", "email": "e"}, "channel": "chat", "priority": "high"}});
        swap_nth(&mut m, n, with);
        let _ = parse_host_message(&m.to_string());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A redacted handoff goes out, is edited on the other side (or not), and comes back in
    /// either direction, its conflicts settled either way: the real contact is what stays.
    #[test]
    fn a_masked_contact_meeting_the_real_one_never_replaces_it(
        user in "[a-z0-9._+-]{1,12}",
        domain in "[a-z0-9-]{1,10}\\.[a-z]{2,4}",
        phone in "\\+?[0-9][0-9 ()-]{2,18}",
        use_phone in any::<bool>(),
        new_name in ".{0,24}",
        mine_edits_customer in any::<bool>(),
        mark_lost in any::<bool>(),
        take_theirs in any::<bool>(),
        file_is_mine in any::<bool>(),
    ) {
        use chrono::TimeZone;
        use escalation_desk::core::handoff;
        use escalation_desk::core::merge::{merge, resolve, Group, Side};
        let t = |m: i64| chrono::Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap() + chrono::Duration::minutes(m);
        let real = if use_phone { phone } else { format!("{user}@{domain}") };
        prop_assume!(real.chars().filter(|c| c.is_alphanumeric()).count() > 2);
        let details = Details { subject: "Refund".into(), ..Details::default() };
        let mut d = details.clone();
        d.customer.contact = real.clone();
        let sent = Case::open("c1".into(), 1, details, t(0)).edited(d, t(1)).unwrap();
        // Out as a redacted handoff file, in on the other side.
        let p = default_playbook();
        let summary = handoff::summary(&sent, &p, true, &|t| t.to_rfc3339());
        let file = handoff::json(&sent, &summary, true, t(2));
        let mut received = bundle::parse(&file).unwrap().remove(0);
        prop_assert!(received.details.customer.contact_masked);
        prop_assert_ne!(&received.details.customer.contact, &real);
        if mark_lost {
            received.details.customer.contact_masked = false;
        }
        let mut d = received.details.clone();
        d.customer.name = new_name;
        let theirs = received.edited(d.clone(), t(3)).unwrap_or(received);
        let mut mine = sent.clone();
        if mine_edits_customer {
            let mut d = mine.details.clone();
            d.customer.account = "Gold".into();
            mine = mine.edited(d, t(4)).unwrap();
        }
        let (a, b) = if file_is_mine { (&theirs, &mine) } else { (&mine, &theirs) };
        let merged = merge(a, b, t(9));
        let side = if take_theirs { Side::Theirs } else { Side::Mine };
        let settled = resolve(a, b, &[(Group::Customer, side)], t(9));
        for case in [&merged.case, &settled.case] {
            prop_assert_eq!(&case.details.customer.contact, &real);
            prop_assert!(!case.details.customer.contact_masked);
        }
    }
}

#[test]
fn deeply_nested_and_huge_files_are_refused() {
    let deep = format!(
        r#"{{"format":"escalation-desk/cases","v":2,"cases":[{}1{}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(bundle::parse(&deep).is_err());
    let huge = " ".repeat(bundle::MAX_BUNDLE_BYTES + 1) + "{}";
    assert_eq!(bundle::parse(&huge), Err(bundle::RestoreError::TooLarge));
    let claims_huge = pack("x").replacen('\u{20}', "\u{7fff}", 2);
    assert!(decode_case(&claims_huge).is_err());
}

/// Issue 31: a file's message names its real cause. Two UTF-16 files joined into one read as
/// "not valid JSON (line 1, column 1)" before; a NUL inside a string read as "not UTF-8 text".
#[test]
fn a_joined_file_and_a_nul_are_named_as_such() {
    use escalation_desk::core::playbook::parse_file_bytes;
    let utf16le = |text: &str| -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    };
    let export = export_file(&default_playbook());
    let mut joined = utf16le(&export);
    joined.extend(utf16le(&export));
    let lines = export.matches('\n').count();
    let column = export.rsplit('\n').next().unwrap().chars().count() + 1;
    let expected = format!(
        "There is a second byte-order mark at line {}, column {column}: the file was joined from two files. Keep one of them and try again.",
        lines + 1
    );
    assert_eq!(parse_file_bytes(&joined).unwrap_err().to_string(), expected);
    assert_eq!(
        bundle::parse_bytes(&joined).unwrap_err().to_string(),
        expected
    );

    let with_nul = "{\n  \"format\": \"escalation-desk/cases\",\n  \"note\": \"a\0b\"\n}";
    let expected = "There is a NUL character inside the text at line 3, column 13: the file is damaged or not text.";
    for bytes in [with_nul.as_bytes().to_vec(), utf16le(with_nul)] {
        assert_eq!(
            bundle::parse_bytes(&bytes).unwrap_err().to_string(),
            expected
        );
        assert_eq!(parse_file_bytes(&bytes).unwrap_err().to_string(), expected);
    }
}
