//! Every writer writes byte for byte what the app wrote before its writers were written by hand
//! (serde's derive): stored values, files and messages to a host page are compared with
//! golden files made by the old writers. A stored text that changed would read back the same,
//! but team mode compares texts, and files are diffed by people.

use chrono::{TimeZone, Utc};
use escalation_desk::core::case::Details;
use escalation_desk::core::embed::{encode, AppMessage};
use escalation_desk::core::migrate::{
    encode_index, encode_new_case, encode_note, encode_playbook, encode_prefs, Index, Prefs,
};
use escalation_desk::core::pack::unpack;
use escalation_desk::core::playbook::default_playbook;
use escalation_desk::core::practice::{export_history, export_scenarios, library, History, Run};
use escalation_desk::core::team::Settings;

fn golden(name: &str, written: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&path) {
        Ok(want) => assert_eq!(written, want, "{name} is not written as it was"),
        Err(_) => std::fs::write(&path, written).unwrap(),
    }
}

fn stored(raw: &str) -> String {
    unpack(raw, usize::MAX).unwrap() + "\n"
}

#[test]
fn stored_values_are_written_as_before() {
    let t = Utc.with_ymd_and_hms(2026, 5, 4, 9, 30, 0).unwrap();
    let prefs = Prefs {
        last_export: Some(t),
        remind_days: 7,
        queue_home: true,
    };
    let mut index = Index::default();
    index.seq.insert(2025, 9);
    index.seq.insert(2026, 42);
    let details = Details {
        subject: "Tab\there, quote \" and \u{7f}".into(),
        contact_count: 2,
        ..Details::default()
    };
    let written = [
        stored(&encode_prefs(&prefs)),
        stored(&encode_index(&index)),
        stored(&encode_new_case(&details)),
        stored(&encode_note("a note ✓")),
        stored(&encode_playbook(&default_playbook())),
    ]
    .concat();
    golden("stored.jsonl", &written);
}

#[test]
fn files_and_messages_are_written_as_before() {
    let t = Utc.with_ymd_and_hms(2026, 5, 4, 9, 30, 0).unwrap();
    golden("scenarios-file.json", &export_scenarios(&library()));
    let history = History {
        trainee: "Ana".into(),
        runs: vec![Run {
            scenario: "vip".into(),
            title: "A VIP".into(),
            at: t,
            seconds: 95,
            points: 80,
            expected: "Level 2".into(),
            chosen: "Level 1".into(),
            off_by: -1,
        }],
    };
    golden("history-file.json", &export_history(&history));
    let messages = [
        AppMessage::Ready,
        AppMessage::Resize { height: 640 },
        AppMessage::CaseSaved {
            case_id: "c1".into(),
            reference: "ESC-2026-0001".into(),
            ticket_id: Some("T-1".into()),
            status: "draft".into(),
            level: None,
        },
        AppMessage::Handoff {
            format: "markdown".into(),
            text: "# x\n".into(),
        },
    ];
    let lines: Vec<String> = messages.iter().map(encode).collect();
    golden("host-messages.jsonl", &(lines.join("\n") + "\n"));
    let settings = Settings {
        server: "wss://team.example".into(),
        key: "0123456789abcdef0123456789abcdef".into(),
        client: 42,
        name: "Billing".into(),
        founder: true,
        agent: String::new(),
    };
    golden(
        "team-settings.json",
        &(escalation_desk::core::json::to_string(&settings) + "\n"),
    );
}
