//! Prints `{"<storage key>": "<stored value>", ...}` for N realistic generated cases, in the
//! app's own stored format, for the benchmark to plant in localStorage.
//! `cargo run --release --example seed -- 5000`

use chrono::{Duration, TimeZone, Utc};
use escalation_desk::core::case::{Case, Channel, Customer, Details, LevelMove, Status, Step};
use escalation_desk::core::migrate::{encode_case, encode_index, Index};
use escalation_desk::core::playbook::default_playbook;
use escalation_desk::core::triage::{decide, evaluate, move_level, Triage};

/// A small deterministic generator, so every run plants the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Zoë", "Åsa", "Chen", "Ngozi", "José", "Søren", "Aoife", "Mateus", "Priya", "Łukasz", "Fatima",
    "Hiroshi", "Olga", "Kwame", "Émilie", "Björn",
];
const LAST: &[&str] = &[
    "Müller",
    "Lindqvist",
    "Wei",
    "Okafor",
    "García",
    "Jørgensen",
    "Ní Bhriain",
    "Silva",
    "Raman",
    "Wiśniewski",
    "Haddad",
    "Tanaka",
    "Ivanova",
    "Mensah",
    "Lefèvre",
    "Öberg",
];
const SUBJECTS: &[&str] = &[
    "Router drops every hour",
    "Double charge on the November invoice",
    "Cannot log in after password reset",
    "Export to CSV hangs at 99%",
    "Order arrived damaged, wants a replacement today",
    "API returns 502 for bulk requests",
    "Refund promised last week never arrived",
    "Data missing after the migration",
    "Threatens to cancel over repeated outages",
    "Mobile app crashes on start (iOS 19)",
];
const PRODUCTS: &[&str] = &[
    "Billing",
    "Network",
    "Mobile app",
    "API",
    "Shipping",
    "Accounts",
];
const STEPS: &[&str] = &[
    "Checked the account status",
    "Power-cycled the router",
    "Cleared cache and cookies",
    "Reissued the invoice",
    "Escalated to the carrier",
    "Reproduced on a test account",
];

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap();
    let playbook = default_playbook();
    let mut out = serde_json::Map::new();
    for i in 0..n {
        let opened = start + Duration::minutes((i * 97) as i64);
        let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
        let steps: Vec<Step> = (0..rng.below(4))
            .map(|k| Step {
                at: opened + Duration::minutes(5 * k as i64),
                action: rng.pick(STEPS).to_string(),
                outcome: "No change".to_string(),
            })
            .collect();
        let details = Details {
            customer: Customer {
                name: name.clone(),
                contact: format!("customer{i}@example.com"),
                contact_masked: false,
                contact_over_mask: false,
                account: format!("ACME-{:05}", rng.below(99_999)),
                vip: rng.below(10) == 0,
            },
            channel: Channel::ALL[rng.below(Channel::ALL.len())],
            product: rng.pick(PRODUCTS).to_string(),
            subject: rng.pick(SUBJECTS).to_string(),
            description: format!(
                "{name} reports the problem for the {} time. Notes: «{}» — see ticket #{}.",
                rng.below(5) + 1,
                rng.pick(SUBJECTS),
                10_000 + i
            ),
            expectation: "A fix or a clear date for one".to_string(),
            deadline: (rng.below(3) > 0).then(|| opened + Duration::hours(rng.below(96) as i64)),
            steps,
            contact_count: rng.below(6) as u32 + 1,
            owner: rng.pick(FIRST).to_string(),
            impact: if rng.below(2) == 0 {
                "Their whole team can't work".to_string()
            } else {
                String::new()
            },
            evidence: format!("https://logs.example.com/trace/{}", 40_000 + i),
        };
        let mut case = Case::open(format!("seed-{i}"), (i + 1) as u32, details, opened);
        // Up to 20 timeline entries: status moves and edits.
        for k in 0..rng.below(10) {
            let at = opened + Duration::minutes(30 * (k as i64 + 1));
            let next = case.status.next();
            if let Ok(moved) = case.transitioned(next[rng.below(next.len())], at) {
                case = moved;
            }
            let mut d = case.details.clone();
            d.contact_count += 1;
            if let Some(edited) = case.edited(d, at) {
                case = edited;
            }
        }
        if case.status == Status::Draft && rng.below(2) == 0 {
            case.status = Status::Escalated;
        }
        // Half the open cases sit at a level, so their clocks count in business time: half of
        // those by a real triage (ticks and answers, which a playbook can be tried on), half
        // moved there by hand.
        if case.status.is_open() && rng.below(4) == 0 {
            let mut t = Triage::default();
            for _ in 0..=rng.below(2) {
                let group = &playbook.groups[rng.below(playbook.groups.len())];
                t = t.toggled(&group.triggers[rng.below(group.triggers.len())].id, true);
            }
            for _ in 0..8 {
                let Some(q) = evaluate(&playbook, &t).pending else {
                    break;
                };
                let Some(question) = playbook.question(&q) else {
                    break;
                };
                let answer = question.answers[rng.below(question.answers.len())]
                    .id
                    .clone();
                t.answers.push((q, answer));
            }
            case.triage = Some(t);
            let at = case.updated_at + Duration::minutes(5);
            match decide(&case, &playbook, None, "", at, &|t| t.to_rfc3339()) {
                Ok(decided) => case = decided,
                Err(_) => case.triage = None,
            }
        } else if case.status.is_open() && rng.below(3) == 0 {
            let level = ["level1", "level2", "level3", "level4"][rng.below(4)];
            let at = case.updated_at + Duration::minutes(5);
            if let Ok(moved) = move_level(
                &case,
                &playbook,
                level,
                LevelMove::Forced,
                "Seeded escalation",
                at,
                &|t| t.to_rfc3339(),
            ) {
                case = moved;
                if rng.below(2) == 0 {
                    if let Ok(acked) =
                        case.transitioned(Status::Acknowledged, at + Duration::minutes(20))
                    {
                        case = acked;
                    }
                }
            }
        }
        case.rev = 1;
        out.insert(
            format!("escdesk:case:{}", case.id),
            serde_json::Value::String(encode_case(&case).expect("a seeded case fits the limits")),
        );
    }
    let mut index = Index::default();
    index.seq.insert(2026, n as u32);
    out.insert(
        "escdesk:index".into(),
        serde_json::Value::String(encode_index(&index)),
    );
    println!("{}", serde_json::Value::Object(out));
}
