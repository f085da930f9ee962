//! Export of every case to one file, and restore from such a file.
//!
//! A restore reads the whole file and checks every case before anything is written: a bad file
//! is refused as a whole with a message that says what is wrong and where.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::case::Case;
use super::file_text::{decode, TextError};
use super::json::{Fields, FromJson, SyntaxError};
use super::merge::{merge, Group};
use super::migrate::{migrate_case, DecodeError, CASE_SCHEMA, MAX_VALUE_BYTES};

pub const FORMAT: &str = "escalation-desk/cases";
/// What the crash screen saves: every stored value as it was, packed or not.
pub const RAW_FORMAT: &str = "escalation-desk/raw-storage";
/// An export may hold many cases; its size limit is larger than a single stored value's.
pub const MAX_BUNDLE_BYTES: usize = 8 * MAX_VALUE_BYTES;
/// Longest id accepted: ids become storage keys.
const MAX_ID_LEN: usize = 64;
struct BundleOut<'a> {
    format: &'a str,
    v: u32,
    exported_at: DateTime<Utc>,
    /// The exporting desk's team time zone: a restore onto a new desk keeps counting in it.
    zone: Option<&'a str>,
    cases: &'a [Case],
}

impl super::json::ToJson for BundleOut<'_> {
    fn write_json(&self, out: &mut String) {
        super::json::Object::new(out)
            .field("format", self.format)
            .field("v", &self.v)
            .field("exported_at", &self.exported_at)
            .field_if(self.zone.is_some(), "zone", &self.zone)
            .field("cases", self.cases)
            .end();
    }
}

impl From<super::json::ReadError> for RestoreError {
    fn from(e: super::json::ReadError) -> RestoreError {
        RestoreError::NotABundle(e.to_string())
    }
}

/// Every case as one JSON document.
pub fn export(cases: &[Case], now: DateTime<Utc>) -> String {
    export_in(cases, now, None)
}

/// Every case as one JSON document, with the team time zone the desk counts in.
pub fn export_in(cases: &[Case], now: DateTime<Utc>, zone: Option<&str>) -> String {
    super::json::pretty(&BundleOut {
        format: FORMAT,
        v: CASE_SCHEMA,
        exported_at: now,
        zone,
        cases,
    })
}

/// What a file brings: its cases, and the team time zone an export was made in.
#[derive(Debug)]
pub struct FromFile {
    pub cases: Vec<Case>,
    pub zone: Option<String>,
}

/// Reads a file's bytes: an export, a handoff or a crash dump.
pub fn read(raw: &[u8]) -> Result<FromFile, RestoreError> {
    if raw.len() > MAX_BUNDLE_BYTES {
        return Err(RestoreError::TooLarge);
    }
    read_text(&decode(raw).map_err(RestoreError::NotText)?)
}

/// The file name an export is offered under.
pub fn file_name(now: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "escalation-desk-cases-{:04}-{:02}-{:02}-{:02}{:02}.json",
        now.year(),
        now.month(),
        now.day(),
        now.hour(),
        now.minute()
    )
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RestoreError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is larger than {} MB, more than any export of ours.", MAX_BUNDLE_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("This is not an Escalation Desk export: {0}.")]
    NotABundle(String),
    #[error("This is not an Escalation Desk export. {0}")]
    NotJson(SyntaxError),
    #[error("{0}")]
    NotText(TextError),
    #[error("This export was made by a newer version of Escalation Desk (format {0}). Update the app, then restore.")]
    Newer(u32),
    #[error("Case {position} in the file can't be read: {reason}.")]
    BadCase { position: usize, reason: String },
    #[error("The file holds case id {0} twice.")]
    DuplicateId(String),
}

/// Reads a file as picked: too large is refused before anything else, then its bytes are
/// decoded (see `file_text`) and parsed.
pub fn parse_bytes(raw: &[u8]) -> Result<Vec<Case>, RestoreError> {
    read(raw).map(|f| f.cases)
}

pub fn parse(raw: &str) -> Result<Vec<Case>, RestoreError> {
    read_text(raw).map(|f| f.cases)
}

/// Reads a file's text: an export, a handoff or a crash dump.
pub fn read_text(raw: &str) -> Result<FromFile, RestoreError> {
    if raw.len() > MAX_BUNDLE_BYTES {
        return Err(RestoreError::TooLarge);
    }
    if raw.trim().is_empty() {
        return Err(RestoreError::Empty);
    }
    let mut doc = match super::json::parse_value(raw) {
        Ok(Value::Object(doc)) => doc,
        Ok(_) => return Err(RestoreError::NotABundle("it is not a JSON object".into())),
        Err(e) => return Err(RestoreError::NotJson(e)),
    };
    let (format, mut v, case_schema, redacted, zone) = {
        let f = Fields::of_map(&doc);
        let format: String = f.get("format")?;
        if format == RAW_FORMAT {
            return match doc.remove("values") {
                Some(Value::Object(values)) => {
                    parse_raw_storage(values).map(|cases| FromFile { cases, zone: None })
                }
                _ => Err(RestoreError::NotABundle("it holds no stored values".into())),
            };
        }
        let v: u32 = f.get("v")?;
        let schema: Option<u32> = f.get("case_schema")?;
        // A redacted handoff's contact is masked; handoffs from before the per-case mark say
        // so only here.
        let redacted: bool = f.get_or_default("redacted")?;
        // A zone that isn't text is no reason to refuse the cases: it is left out.
        let zone: Option<String> = f.get_or_default("zone").unwrap_or_default();
        (format, v, schema, redacted, zone)
    };
    let values = if format == super::handoff::FORMAT {
        // A handoff file (see `handoff`) carries one case with its schema version.
        if v > super::handoff::VERSION {
            return Err(RestoreError::Newer(v));
        }
        v = case_schema.unwrap_or(4);
        match doc.remove("case") {
            Some(Value::Null) | None => {
                return Err(RestoreError::NotABundle("the handoff holds no case".into()))
            }
            Some(case) => vec![case],
        }
    } else if format == FORMAT {
        match doc.remove("cases") {
            None => Vec::new(),
            Some(Value::Array(cases)) => cases,
            Some(other) => {
                return Err(RestoreError::NotABundle(format!(
                    "cases: {}",
                    super::json::expected("a list", &other)
                )))
            }
        }
    } else {
        return Err(RestoreError::NotABundle(format!(
            "its format is \"{}\"",
            format.chars().take(40).collect::<String>()
        )));
    };
    if v > CASE_SCHEMA {
        return Err(RestoreError::Newer(v));
    }
    let mut seen = HashSet::new();
    let mut cases = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let bad = |reason: String| RestoreError::BadCase {
            position: i + 1,
            reason,
        };
        let data = migrate_case(v, value).map_err(|e: DecodeError| bad(e.to_string()))?;
        let mut case = Case::from_json(&data).map_err(|e| bad(e.to_string()))?;
        // What couldn't be read back once stored is refused here, naming the field.
        super::limits::check_case(&case, super::json::to_string(&case).len())
            .map_err(|e| bad(e.to_string()))?;
        if redacted && format == super::handoff::FORMAT {
            case.details.customer.contact_masked = true;
        }
        if !valid_id(&case.id) {
            return Err(bad(
                "its id is empty, too long or has characters ids never have".into(),
            ));
        }
        if !seen.insert(case.id.clone()) {
            return Err(RestoreError::DuplicateId(case.id));
        }
        cases.push(case);
    }
    let zone = zone.filter(|z| !z.trim().is_empty() && z.len() <= 64);
    Ok(FromFile { cases, zone })
}

/// Reads the cases out of a crash dump: every `<namespace>:case:<id>` value, decoded like
/// stored data (migrated if old). One unreadable value refuses the file, as for exports.
fn parse_raw_storage(values: Map<String, Value>) -> Result<Vec<Case>, RestoreError> {
    let mut cases = Vec::new();
    let mut seen = HashSet::new();
    for (i, (key, value)) in values.into_iter().enumerate() {
        if !key.contains(":case:") {
            continue;
        }
        let bad = |reason: String| RestoreError::BadCase {
            position: i + 1,
            reason,
        };
        let text = value.as_str().ok_or_else(|| bad("it is not text".into()))?;
        let case = super::migrate::decode_case(text)
            .map_err(|e| bad(e.to_string()))?
            .value;
        if !valid_id(&case.id) {
            return Err(bad("its id is not valid".into()));
        }
        if !seen.insert(case.id.clone()) {
            return Err(RestoreError::DuplicateId(case.id));
        }
        cases.push(case);
    }
    Ok(cases)
}

/// Ids are short and made of ASCII letters, digits, `-` and `_`: they end up in storage keys
/// and in links.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What a restore will do, worked out before anything is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Cases to write: new ones, and stored ones merged with the file's changes.
    pub writes: Vec<Case>,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Cases changed in the same place on both sides: written only once the person decides.
    pub conflicts: Vec<Pending>,
}

/// A case whose merge needs the person's decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub mine: Case,
    pub theirs: Case,
    pub groups: Vec<Group>,
}

/// Restoring never loses an edit: each stored case is merged with the file's version group by
/// group (see `merge`); where both changed the same group, the person decides.
pub fn plan(stored: &[Case], incoming: Vec<Case>, now: DateTime<Utc>) -> Plan {
    let mut plan = Plan::default();
    for case in incoming {
        match stored.iter().find(|s| s.id == case.id) {
            None => {
                plan.added += 1;
                plan.writes.push(case);
            }
            Some(mine) => {
                let merged = merge(mine, &case, now);
                if !merged.conflicts.is_empty() {
                    plan.conflicts.push(Pending {
                        mine: mine.clone(),
                        theirs: case,
                        groups: merged.conflicts,
                    });
                } else if merged.case == *mine {
                    plan.unchanged += 1;
                } else {
                    plan.updated += 1;
                    let mut write = merged.case;
                    write.rev = mine.rev;
                    plan.writes.push(write);
                }
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::{Details, Status};
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 3, h, 0, 0).unwrap()
    }

    fn case(id: &str) -> Case {
        Case::open(id.into(), 1, Details::default(), t(8))
    }

    #[test]
    fn an_export_restores_to_the_same_cases() {
        let cases = vec![case("a"), case("b")];
        assert_eq!(parse(&export(&cases, t(9))).unwrap(), cases);
        assert_eq!(
            file_name(t(9)),
            "escalation-desk-cases-2026-02-03-0900.json"
        );
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert_eq!(parse("  "), Err(RestoreError::Empty));
        assert_eq!(
            parse("{").unwrap_err().to_string(),
            "This is not an Escalation Desk export. It is not valid JSON: it ends too early, as if cut off (line 1, column 1)."
        );
        assert!(matches!(
            parse(r#"{"format":"other","v":2,"cases":[]}"#),
            Err(RestoreError::NotABundle(_))
        ));
        assert_eq!(
            parse(r#"{"format":"escalation-desk/cases","v":8,"cases":[]}"#),
            Err(RestoreError::Newer(8))
        );
        assert!(matches!(
            parse(r#"{"format":"escalation-desk/cases","v":2,"cases":[{"id":"x"}]}"#),
            Err(RestoreError::BadCase { position: 1, .. })
        ));
        let mut evil = case("a");
        evil.id = "../../etc".into();
        assert!(matches!(
            parse(&export(&[evil], t(9))),
            Err(RestoreError::BadCase { .. })
        ));
        assert_eq!(
            parse(&export(&[case("a"), case("a")], t(9))),
            Err(RestoreError::DuplicateId("a".into()))
        );
        // A case carrying a log past a field's limit is refused by name: never stored as
        // something that can't be read back, never in place of the case here.
        let mut logged = case("a");
        logged.details.evidence = "x".repeat(super::super::limits::FIELD_MAX_CHARS + 1);
        let refused = parse(&export(&[case("b"), logged], t(9))).unwrap_err();
        assert!(matches!(refused, RestoreError::BadCase { position: 2, .. }));
        assert!(
            refused
                .to_string()
                .contains("Evidence holds 100,001 characters, and a field holds at most 100,000"),
            "{refused}"
        );
        let deep = format!(
            r#"{{"format":"escalation-desk/cases","v":2,"cases":[{}]}}"#,
            "[".repeat(10_000)
        );
        assert_eq!(
            parse(&deep).unwrap_err().to_string(),
            "This is not an Escalation Desk export. It is nested too deeply to be a file of ours (line 1, column 175)."
        );
    }

    #[test]
    fn files_are_read_from_their_bytes() {
        let cases = vec![case("a")];
        let text = export(&cases, t(9));
        assert_eq!(parse_bytes(text.as_bytes()).unwrap(), cases);
        // Notepad's "Unicode": UTF-16 with a byte-order mark.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(parse_bytes(&utf16).unwrap(), cases);
        assert_eq!(parse_bytes(b""), Err(RestoreError::Empty));
        assert_eq!(
            parse_bytes(&[0xEF, 0xBB, 0xBF, b'\n']),
            Err(RestoreError::Empty)
        );
        assert_eq!(
            parse_bytes(b"\x89PNG\r\n\x1a\n"),
            Err(RestoreError::NotText(TextError::NotText))
        );
        assert_eq!(
            parse_bytes(&vec![b' '; MAX_BUNDLE_BYTES + 1]),
            Err(RestoreError::TooLarge)
        );
    }

    #[test]
    fn a_crash_dump_restores_its_cases() {
        let a = case("a");
        let dump = serde_json::json!({
            "format": RAW_FORMAT,
            "v": 1,
            "values": {
                "escdesk:case:a": crate::core::migrate::encode_case(&a).unwrap(),
                "escdesk:index": "{}",
                "other": "ignored",
            }
        })
        .to_string();
        assert_eq!(parse(&dump).unwrap(), vec![a]);
        let broken = dump.replace("escdesk:index", "escdesk:case:zz");
        assert!(matches!(parse(&broken), Err(RestoreError::BadCase { .. })));
    }

    #[test]
    fn restore_plans_adds_merges_and_asks() {
        let old = case("a");
        let newer_in_file = old.transitioned(Status::Resolved, t(10)).unwrap();
        let mine_b = case("b").transitioned(Status::Resolved, t(11)).unwrap();
        let file_b = case("b")
            .transitioned(Status::Resolved, t(8))
            .and_then(|c| c.transitioned(Status::Closed, t(9)))
            .unwrap();
        let p = plan(
            &[old.clone(), mine_b.clone()],
            vec![newer_in_file, file_b, case("c"), old],
            t(12),
        );
        assert_eq!((p.added, p.updated, p.unchanged), (1, 1, 1));
        // b's status changed on both sides: the person decides.
        assert_eq!(p.conflicts.len(), 1);
        assert_eq!(p.conflicts[0].groups, vec![Group::Status]);
        assert!(p.writes.iter().all(|c| c.id != "b"));
    }
}
