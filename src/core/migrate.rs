//! The versioned envelope every stored value sits in, and the migrations between versions.
//!
//! A stored value is `{"v": <schema>, "kind": "case" | "index", "data": ...}`, packed to save
//! quota (see [`super::pack`]; unpacked JSON is read too). Reading one gives
//! the current shape, or says why it can't: not JSON, not an envelope, the wrong kind, a
//! version newer than this code knows (then the caller must not write: see `store`), or data
//! that doesn't fit its version. Migrations are pure functions over JSON, one per version step.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::json::{deserialize_by_hand, Fields, FromJson, Object, RawJson, Read, ToJson};

use super::case::{Case, Channel, Details};
use super::pack::{is_packed, pack, unpack};
use super::playbook::Playbook;

/// The case format this code reads and writes.
/// Schema 1 was the prototype's flat layout (customer fields and steps as plain strings at the
/// top level); schema 2 groups the form into `details` and gives each step a time and outcome;
/// schema 3 adds `triage` and `decisions`; schema 4 adds `impact` and `evidence` to the
/// details; schema 5 adds the helpdesk `ticket_id`. (An older app would drop what it doesn't know when saving, so each addition is a
/// new schema: the older app sees newer data and stays read-only.)
pub const CASE_SCHEMA: u32 = 7;
/// The index format this code reads and writes.
pub const INDEX_SCHEMA: u32 = 1;
/// The playbook format this code reads and writes.
pub const PLAYBOOK_SCHEMA: u32 = 3;
/// No single imported value or file is read past this size.
pub const MAX_VALUE_BYTES: usize = 4 * 1024 * 1024;
/// No stored value is read past this size. Larger than anything written now (see
/// [`super::limits`]), so what an older version stored past today's limits is still read back.
pub const MAX_STORED_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("it is larger than {} MB", MAX_STORED_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("it is damaged: {0}")]
    Unpack(String),
    #[error("it is not valid JSON ({0})")]
    NotJson(String),
    #[error("it has no version envelope")]
    NoEnvelope,
    #[error("it holds a {found}, not a {expected}")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    #[error("it was written by a newer version of Escalation Desk (format {found}; this version reads up to {known})")]
    Newer { found: u32, known: u32 },
    #[error("its format {0} is unknown")]
    UnknownVersion(u32),
    #[error("its content doesn't fit format {version} ({reason})")]
    Invalid { version: u32, reason: String },
}

/// A value read from storage, in the current shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T> {
    pub value: T,
    /// The version it was stored in, when that was older than the current one: the caller backs
    /// the raw value up and writes the migrated one.
    pub migrated_from: Option<u32>,
}
struct EnvelopeOut<'a, T: ?Sized> {
    v: u32,
    kind: &'a str,
    data: &'a T,
}

impl<T: ToJson + ?Sized> ToJson for EnvelopeOut<'_, T> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("v", &self.v)
            .field("kind", self.kind)
            .field("data", self.data)
            .end();
    }
}

/// The small per-namespace record beside the cases: the next reference number of each year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub seq: BTreeMap<i32, u32>,
    /// The built-in playbook's time zone: the browser's at the desk's first start, kept from
    /// then on so that clocks don't move when the browser's zone does (a published playbook
    /// names its own). Kept here, beside the desk's numbering, rather than in a key of its own.
    pub zone: Option<String>,
}

/// The stored text of a case, or why it can't be kept (see [`super::limits`]): a case too
/// large to be read back is never written.
pub fn encode_case(case: &Case) -> Result<String, super::limits::TooLarge> {
    super::limits::check_details(&case.details)?;
    let json = super::json::to_string(&EnvelopeOut {
        v: CASE_SCHEMA,
        kind: "case",
        data: case,
    });
    super::limits::check_case(case, json.len())?;
    Ok(pack(&json))
}

/// A case an import left waiting for a decision, with the file it came from: a case envelope
/// with one more field, `from`, which a version that doesn't know it ignores.
pub fn encode_pending(case: &Case, from: &str) -> Result<String, super::limits::TooLarge> {
    super::limits::check_details(&case.details)?;
    let json = super::json::to_string(&PendingOut {
        v: CASE_SCHEMA,
        data: case,
        from,
    });
    super::limits::check_case(case, json.len())?;
    Ok(pack(&json))
}

struct PendingOut<'a> {
    v: u32,
    data: &'a Case,
    from: &'a str,
}

impl ToJson for PendingOut<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("v", &self.v)
            .field("kind", "case")
            .field("data", self.data)
            .field("from", self.from)
            .end();
    }
}

/// A waiting case and the file it came from (empty when an older version kept it).
pub fn decode_pending(raw: &str) -> Result<(Decoded<Case>, String), DecodeError> {
    let case = decode_case(raw)?;
    let from = unpacked(raw)
        .ok()
        .and_then(|json| super::json::parse_value(&json).ok())
        .and_then(|v| match v {
            Value::Object(obj) => obj.get("from").and_then(Value::as_str).map(str::to_string),
            _ => None,
        })
        .unwrap_or_default();
    Ok((case, from))
}

/// A case the team removed, kept on this desk (`core::removed`): the case as it was, who
/// removed it (their name, `""` none given, `null` unknown) and when it arrived.
pub fn encode_removed(r: &super::removed::Removed) -> Result<String, super::limits::TooLarge> {
    let json = super::json::to_string(&RemovedOut {
        v: CASE_SCHEMA,
        data: &r.case,
        by: r.by.name(),
        removed_at: r.at,
    });
    Ok(pack(&json))
}

struct RemovedOut<'a> {
    v: u32,
    data: &'a Case,
    by: Option<&'a str>,
    removed_at: chrono::DateTime<chrono::Utc>,
}

impl ToJson for RemovedOut<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("v", &self.v)
            .field("kind", "case")
            .field("data", self.data)
            .field("by", &self.by)
            .field("removed_at", &self.removed_at)
            .end();
    }
}

pub fn decode_removed(raw: &str) -> Result<super::removed::Removed, DecodeError> {
    let case = decode_case(raw)?.value;
    let top = unpacked(raw)
        .ok()
        .and_then(|json| super::json::parse_value(&json).ok());
    let by = top
        .as_ref()
        .and_then(|v| v.get("by"))
        .and_then(Value::as_str);
    let at = top
        .as_ref()
        .and_then(|v| v.get("removed_at"))
        .and_then(|t| chrono::DateTime::<chrono::Utc>::from_json(t).ok())
        .ok_or_else(|| DecodeError::NotJson("a removed case without its time".into()))?;
    Ok(super::removed::Removed {
        case,
        by: super::removed::RemovedBy::of(by),
        at,
    })
}

pub fn encode_index(index: &Index) -> String {
    encode("index", INDEX_SCHEMA, index)
}

/// The agent's preferences in this browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefs {
    /// When every case was last downloaded.
    pub last_export: Option<chrono::DateTime<chrono::Utc>>,
    /// Days after which the app reminds the agent to download a copy again (0: never).
    pub remind_days: u32,
    /// Open the deadline queue, not the case list, when the app starts (a receiving tier's home).
    pub queue_home: bool,
}

fn default_remind_days() -> u32 {
    7
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            last_export: None,
            remind_days: default_remind_days(),
            queue_home: false,
        }
    }
}

impl Prefs {
    /// Whether to remind the agent to download a copy: reminders are on, and work has gone
    /// uncopied for longer than they asked, counted from the last full download or, if there
    /// never was one, from the oldest case (`oldest`; `None` when there are no cases).
    pub fn export_due(
        &self,
        oldest: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let Some(oldest) = oldest else {
            return false;
        };
        let since = self.last_export.unwrap_or(oldest);
        self.remind_days > 0 && now - since > chrono::Duration::days(i64::from(self.remind_days))
    }
}

pub fn encode_prefs(prefs: &Prefs) -> String {
    encode("prefs", 1, prefs)
}

pub fn decode_prefs(raw: &str) -> Result<Prefs, DecodeError> {
    decode_unmigrated(raw, "prefs", 1)
}

/// Reads a value of a kind that has had no migration yet: newer than `known` is refused.
fn decode_unmigrated<T: FromJson>(
    raw: &str,
    kind: &'static str,
    known: u32,
) -> Result<T, DecodeError> {
    let (v, data) = open_envelope(raw, kind)?;
    if v > known {
        return Err(DecodeError::Newer { found: v, known });
    }
    FromJson::from_json(&data).map_err(|e| DecodeError::Invalid {
        version: v,
        reason: e.to_string(),
    })
}

/// A new case's form, typed but not opened yet (kept so that leaving or reloading the form
/// loses nothing, without opening a case the agent never asked for).
pub fn encode_new_case(details: &Details) -> String {
    encode("new_case", CASE_SCHEMA, details)
}

pub fn decode_new_case(raw: &str) -> Result<Details, DecodeError> {
    decode_unmigrated(raw, "new_case", CASE_SCHEMA)
}

/// Text typed into one of a case's small boxes (the update to the customer, a reason to change
/// level) and not sent yet.
pub fn encode_note(text: &str) -> String {
    encode("note", 1, &text)
}

pub fn decode_note(raw: &str) -> Result<String, DecodeError> {
    decode_unmigrated(raw, "note", 1)
}

pub fn encode_playbook(playbook: &Playbook) -> String {
    encode("playbook", PLAYBOOK_SCHEMA, playbook)
}

pub fn decode_playbook(raw: &str) -> Result<Playbook, DecodeError> {
    let (v, data) = open_envelope(raw, "playbook")?;
    if v > PLAYBOOK_SCHEMA {
        return Err(DecodeError::Newer {
            found: v,
            known: PLAYBOOK_SCHEMA,
        });
    }
    let data = migrate_playbook(v, data)?;
    FromJson::from_json(&data).map_err(|e| DecodeError::Invalid {
        version: v,
        reason: e.to_string(),
    })
}

/// Brings playbook data of version `from` up to [`PLAYBOOK_SCHEMA`].
pub fn migrate_playbook(from: u32, data: Value) -> Result<Value, DecodeError> {
    match from {
        1 => playbook_v2_to_v3(playbook_v1_to_v2(data)?),
        2 => playbook_v2_to_v3(data),
        PLAYBOOK_SCHEMA => Ok(data),
        v => Err(DecodeError::UnknownVersion(v)),
    }
}

/// Schema 2 adds the team calendar and counts targets in business time by default. A version 1
/// playbook's targets were calendar time, so its levels keep running around the clock.
fn playbook_v1_to_v2(data: Value) -> Result<Value, DecodeError> {
    let Value::Object(mut playbook) = data else {
        return Err(DecodeError::Invalid {
            version: 1,
            reason: "the playbook is not an object".into(),
        });
    };
    if let Some(Value::Array(levels)) = playbook.get_mut("levels") {
        for level in levels.iter_mut() {
            if let Value::Object(level) = level {
                level.insert("around_the_clock".into(), Value::Bool(true));
            }
        }
    }
    Ok(Value::Object(playbook))
}

/// Schema 3 adds the close-out: root-cause categories (a version 2 playbook gets the built-in
/// ones) and what each level requires to close (a resolution summary, so that closing works as
/// before plus one line), and the team's people (none yet).
fn playbook_v2_to_v3(data: Value) -> Result<Value, DecodeError> {
    let Value::Object(mut playbook) = data else {
        return Err(DecodeError::Invalid {
            version: 2,
            reason: "the playbook is not an object".into(),
        });
    };
    let defaults = super::json::to_value(&super::playbook::default_playbook().root_causes);
    playbook.entry("root_causes").or_insert(defaults);
    if let Some(Value::Array(levels)) = playbook.get_mut("levels") {
        for level in levels.iter_mut() {
            if let Value::Object(level) = level {
                level
                    .entry("close_requires")
                    .or_insert_with(|| serde_json::json!(["resolution"]));
            }
        }
    }
    Ok(Value::Object(playbook))
}

/// The stored text of a value: its envelope as JSON, packed (see [`super::pack`]).
fn encode<T: ToJson + ?Sized>(kind: &str, v: u32, data: &T) -> String {
    pack(&super::json::to_string(&EnvelopeOut { v, kind, data }))
}

/// The JSON of a stored value, packed or not.
fn unpacked(raw: &str) -> Result<Cow<'_, str>, DecodeError> {
    if raw.len() > MAX_STORED_BYTES {
        return Err(DecodeError::TooLarge);
    }
    if is_packed(raw) {
        unpack(raw, MAX_STORED_BYTES)
            .map(Cow::Owned)
            .map_err(|e| DecodeError::Unpack(e.to_string()))
    } else {
        Ok(Cow::Borrowed(raw))
    }
}

/// Peeks at a stored value's envelope version without reading the rest: the conflict check
/// and the newer-version check need no full parse.
pub fn envelope_version(raw: &str) -> Option<u32> {
    let json = unpacked(raw).ok()?;
    let head = super::json::parse_value(&json).ok()?;
    Fields::of(&head).ok()?.get("v").ok()
}

pub fn decode_case(raw: &str) -> Result<Decoded<Case>, DecodeError> {
    let (v, data) = open_envelope(raw, "case")?;
    Ok(Decoded {
        value: decode_case_data(v, data)?,
        migrated_from: (v < CASE_SCHEMA).then_some(v),
    })
}

/// A case's data of schema `v` (from storage, a file or the team's document), migrated and read.
pub fn decode_case_data(v: u32, data: Value) -> Result<Case, DecodeError> {
    if v > CASE_SCHEMA {
        return Err(DecodeError::Newer {
            found: v,
            known: CASE_SCHEMA,
        });
    }
    let data = migrate_case(v, data)?;
    FromJson::from_json(&data).map_err(|e| DecodeError::Invalid {
        version: v,
        reason: e.to_string(),
    })
}

pub fn decode_index(raw: &str) -> Result<Decoded<Index>, DecodeError> {
    let (v, data) = open_envelope(raw, "index")?;
    if v > INDEX_SCHEMA {
        return Err(DecodeError::Newer {
            found: v,
            known: INDEX_SCHEMA,
        });
    }
    if v != INDEX_SCHEMA {
        return Err(DecodeError::UnknownVersion(v));
    }
    let value = FromJson::from_json(&data).map_err(|e| DecodeError::Invalid {
        version: v,
        reason: e.to_string(),
    })?;
    Ok(Decoded {
        value,
        migrated_from: None,
    })
}

fn open_envelope(raw: &str, expected: &'static str) -> Result<(u32, Value), DecodeError> {
    let json = unpacked(raw)?;
    let value = super::json::parse_value(&json).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(mut obj) = value else {
        return Err(DecodeError::NoEnvelope);
    };
    let v = obj
        .get("v")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(DecodeError::NoEnvelope)?;
    match obj.get("kind").and_then(Value::as_str) {
        Some(kind) if kind == expected => {}
        Some(kind) => {
            return Err(DecodeError::WrongKind {
                expected,
                found: kind.chars().take(40).collect(),
            })
        }
        None => return Err(DecodeError::NoEnvelope),
    }
    let data = obj.remove("data").ok_or(DecodeError::NoEnvelope)?;
    Ok((v, data))
}

/// Brings case data of version `from` up to [`CASE_SCHEMA`], one step at a time.
pub fn migrate_case(from: u32, mut data: Value) -> Result<Value, DecodeError> {
    if from == 0 || from > CASE_SCHEMA {
        return Err(DecodeError::UnknownVersion(from));
    }
    let mut v = from;
    while v < CASE_SCHEMA {
        data = match v {
            1 => case_v1_to_v2(data)?,
            2 => case_v2_to_v3(data)?,
            3 => case_v3_to_v4(data)?,
            4 => case_v4_to_v5(data)?,
            5 | 6 => data,
            _ => return Err(DecodeError::UnknownVersion(v)),
        };
        v += 1;
    }
    Ok(data)
}

// Schema 7 adds the close-out and reviews (`closeouts`, `reviews`, and their timeline events);
// version 6 data has none and reads unchanged. The version rises for the same reason as 6's.

// Schema 6 adds statuses (waiting on customer or third party), timeline events (level moves,
// updates, breaches) and targets on decisions, all of which version 5 data does without: it
// reads unchanged. The version rises so that an older tab meeting such a case goes read-only
// instead of setting it aside as unreadable.

/// Schema 5 adds no ticket.
fn case_v4_to_v5(data: Value) -> Result<Value, DecodeError> {
    let Value::Object(mut case) = data else {
        return Err(DecodeError::Invalid {
            version: 4,
            reason: "the case is not an object".into(),
        });
    };
    case.entry("ticket_id").or_insert(Value::Null);
    Ok(Value::Object(case))
}

/// Schema 4 adds an empty impact and evidence to the details.
fn case_v3_to_v4(data: Value) -> Result<Value, DecodeError> {
    let mut data = data;
    let Some(details) = data.get_mut("details").and_then(Value::as_object_mut) else {
        return Err(DecodeError::Invalid {
            version: 3,
            reason: "the case has no details".into(),
        });
    };
    for key in ["impact", "evidence"] {
        details.entry(key).or_insert(Value::String(String::new()));
    }
    Ok(data)
}

/// Schema 3 adds an empty triage and no decisions.
fn case_v2_to_v3(data: Value) -> Result<Value, DecodeError> {
    let Value::Object(mut case) = data else {
        return Err(DecodeError::Invalid {
            version: 2,
            reason: "the case is not an object".into(),
        });
    };
    case.entry("triage").or_insert(Value::Null);
    case.entry("decisions").or_insert(Value::Array(Vec::new()));
    Ok(Value::Object(case))
}

/// Schema 1 kept the form's fields at the top level, the customer as `customer_name`,
/// `customer_contact`, `customer_account` and `vip`, and steps as plain strings.
fn case_v1_to_v2(data: Value) -> Result<Value, DecodeError> {
    let invalid = |reason: &str| DecodeError::Invalid {
        version: 1,
        reason: reason.to_string(),
    };
    let Value::Object(mut old) = data else {
        return Err(invalid("the case is not an object"));
    };
    let mut take = |key: &str| old.remove(key).unwrap_or(Value::Null);
    let text = |v: Value| match v {
        Value::String(s) => Value::String(s),
        _ => Value::String(String::new()),
    };
    let created_at = take("created_at");
    let steps = match take("steps") {
        Value::Array(items) => items
            .into_iter()
            .map(|item| {
                let mut step = Map::new();
                step.insert("at".into(), created_at.clone());
                step.insert("action".into(), text(item));
                step.insert("outcome".into(), Value::String(String::new()));
                Value::Object(step)
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut customer = Map::new();
    customer.insert("name".into(), text(take("customer_name")));
    customer.insert("contact".into(), text(take("customer_contact")));
    customer.insert("account".into(), text(take("customer_account")));
    customer.insert(
        "vip".into(),
        Value::Bool(take("vip").as_bool().unwrap_or(false)),
    );

    let mut details = Map::new();
    details.insert("customer".into(), Value::Object(customer));
    let channel = match take("channel") {
        Value::String(c) if Channel::from_key(&c).is_some() => Value::String(c),
        _ => Value::String(Channel::default().key().to_string()),
    };
    details.insert("channel".into(), channel);
    for key in ["product", "subject", "description", "expectation", "owner"] {
        details.insert(key.into(), text(take(key)));
    }
    details.insert("deadline".into(), take("deadline"));
    details.insert("steps".into(), Value::Array(steps));
    details.insert(
        "contact_count".into(),
        Value::from(take("contact_count").as_u64().unwrap_or(1)),
    );

    let mut new = Map::new();
    for key in ["id", "reference", "rev", "status", "updated_at", "timeline"] {
        new.insert(key.into(), take(key));
    }
    new.insert("created_at".into(), created_at);
    new.insert("details".into(), Value::Object(details));
    Ok(Value::Object(new))
}

/// The year keys are written as text, as JSON objects have them.
impl FromJson for Index {
    fn from_json(v: &Value) -> Read<Index> {
        let f = Fields::of(v)?;
        let seq = f
            .raw("seq")
            .and_then(Value::as_object)
            .ok_or("seq: missing")?;
        let mut out = BTreeMap::new();
        for (year, n) in seq {
            let year: i32 = year
                .parse()
                .map_err(|_| format!("seq: “{year}” is not a year"))?;
            out.insert(year, u32::from_json(n)?);
        }
        let zone = f.get_or_default("zone").unwrap_or_default();
        Ok(Index { seq: out, zone })
    }
}

impl FromJson for Prefs {
    fn from_json(v: &Value) -> Read<Prefs> {
        let f = Fields::of(v)?;
        Ok(Prefs {
            last_export: f.get_or_default("last_export")?,
            remind_days: f.get_or("remind_days", default_remind_days)?,
            queue_home: f.get_or_default("queue_home")?,
        })
    }
}

deserialize_by_hand!(Index, Prefs);

/// `{"seq": {"2026": 42}}`: each year's next number, years in order.
impl ToJson for Index {
    fn write_json(&self, out: &mut String) {
        let mut seq = String::new();
        let mut years = Object::new(&mut seq);
        for (year, n) in &self.seq {
            years.field(&year.to_string(), n);
        }
        years.end();
        Object::new(out)
            .field("seq", &RawJson(&seq))
            .field_if(self.zone.is_some(), "zone", &self.zone)
            .end();
    }
}

super::json::write_fields!(Prefs {
    last_export,
    remind_days,
    queue_home,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::{Details, Status};
    use chrono::{TimeZone, Utc};

    fn case() -> Case {
        let now = Utc.with_ymd_and_hms(2026, 5, 4, 8, 30, 0).unwrap();
        Case::open("k9".into(), 3, Details::default(), now)
    }

    #[test]
    fn a_note_round_trips() {
        assert_eq!(
            decode_note(&encode_note("Called back ✓")).unwrap(),
            "Called back ✓"
        );
        assert!(decode_note("{\"v\":9,\"kind\":\"note\",\"data\":\"x\"}").is_err());
    }

    #[test]
    fn current_cases_round_trip_unchanged() {
        let c = case();
        let decoded = decode_case(&encode_case(&c).unwrap()).unwrap();
        assert_eq!(decoded.value, c);
        assert_eq!(decoded.migrated_from, None);
    }

    /// Every field the writer writes, the hand-written reader reads back (see `json`).
    #[test]
    fn every_field_of_a_full_case_round_trips() {
        use crate::core::case::{Channel, Customer, Entry, Event, LevelMove, Step};
        use crate::core::clock::{Breach, Target, Targets};
        use crate::core::playbook::{Grade, Priority};
        use crate::core::triage::{Decision, PlaybookRef, Triage};
        let t = |h| Utc.with_ymd_and_hms(2026, 5, 4, h, 30, 15).unwrap();
        let mut c = case();
        c.status = Status::WaitingOnThirdParty;
        c.ticket_id = Some("T-77".into());
        c.details = Details {
            customer: Customer {
                name: "Zoë".into(),
                contact: "z@example.com".into(),
                contact_masked: true,
                contact_over_mask: true,
                account: "Gold".into(),
                vip: true,
            },
            channel: Channel::InPerson,
            product: "Billing".into(),
            subject: "Double charge".into(),
            description: "Twice".into(),
            expectation: "Refund".into(),
            deadline: Some(t(17)),
            steps: vec![Step {
                at: t(9),
                action: "Checked".into(),
                outcome: "Seen twice".into(),
            }],
            contact_count: 3,
            owner: "Sam".into(),
            impact: "One customer".into(),
            evidence: "Invoice 12".into(),
        };
        c.triage = Some(Triage {
            triggers: vec!["vip".into()],
            suggested: vec!["vip".into()],
            answers: vec![("q1".into(), "yes".into())],
            urgency: Some(Grade::High),
            impact: None,
            playbook: None,
        });
        c.decisions = vec![Decision {
            at: t(10),
            playbook: PlaybookRef {
                id: "default".into(),
                version: 2,
            },
            recommended: "l1".into(),
            recommended_name: "Supervisor".into(),
            chosen: "l2".into(),
            chosen_name: "Specialist".into(),
            override_reason: Some("billing".into()),
            priority: Priority::P2,
            receiver: "Billing team".into(),
            response_due: t(11),
            resolution_due: t(20),
            reasons: vec!["VIP".into()],
            triggers: vec!["vip".into()],
            customer_message: "Hello".into(),
            targets: Some(Targets {
                response: 60,
                update: 120,
                resolution: 600,
                silence: 30,
                business: true,
            }),
            moved: Some(LevelMove::DeEscalated),
            answers: Some(vec![("q1".into(), "yes".into())]),
            urgency: Some(Grade::High),
            impact: None,
            zone: None,
        }];
        c.timeline.push(Entry {
            at: t(12),
            event: Event::Breached {
                target: Target::Customer,
                level: "Specialist".into(),
                due: t(11),
            },
        });
        // Byte for byte what serde's derive wrote before the writers were written by hand.
        assert_eq!(
            crate::core::json::to_string(&c) + "\n",
            include_str!("../../tests/golden/full-case.json")
        );
        let back = decode_case(&encode_case(&c).unwrap()).unwrap().value;
        assert_eq!(back, c);
        let b = Breach {
            target: Target::Update,
            level: "x".into(),
            due: t(1),
        };
        let json = crate::core::json::to_value(&b);
        assert_eq!(Breach::from_json(&json).unwrap(), b);
    }

    /// Each unit variant is read from the words serde's derive writes for it.
    #[test]
    fn every_variant_is_read_as_it_is_written() {
        use crate::core::case::{Channel, LevelMove};
        use crate::core::clock::Target;
        use crate::core::playbook::{Field, Grade, Priority};
        fn same<T: ToJson + FromJson + PartialEq + std::fmt::Debug>(all: &[T]) {
            for x in all {
                let v = crate::core::json::to_value(x);
                assert_eq!(&T::from_json(&v).unwrap(), x, "{v}");
            }
        }
        same(&Status::ALL);
        same(&Channel::ALL);
        same(&Grade::ALL);
        same(&[Priority::P1, Priority::P2, Priority::P3, Priority::P4]);
        same(&[
            LevelMove::Forced,
            LevelMove::Silence,
            LevelMove::DeEscalated,
        ]);
        same(&[
            Target::Response,
            Target::Update,
            Target::Resolution,
            Target::Customer,
        ]);
        same(&Field::ALL);
        assert!(Status::from_json(&serde_json::json!("teleported")).is_err());
    }

    #[test]
    fn a_schema_1_case_is_migrated() {
        let raw = r#"{"v":1,"kind":"case","data":{
            "id":"old1","reference":"ESC-2025-0007","rev":3,"status":"escalated",
            "created_at":"2025-12-01T10:00:00Z","updated_at":"2025-12-01T11:00:00Z",
            "customer_name":"Zoë Müller","customer_contact":"zoe@example.com",
            "customer_account":"Gold","vip":true,"channel":"chat","product":"Billing",
            "subject":"Double charge","description":"Charged twice","expectation":"Refund",
            "deadline":null,"steps":["Checked invoice","Asked bank"],"contact_count":2,
            "owner":"Sam","timeline":[]}}"#;
        let decoded = decode_case(raw).unwrap();
        assert_eq!(decoded.migrated_from, Some(1));
        let c = decoded.value;
        assert_eq!(c.status, Status::Escalated);
        assert_eq!(c.details.customer.name, "Zoë Müller");
        assert!(c.details.customer.vip);
        assert_eq!(c.details.steps.len(), 2);
        assert_eq!(c.details.steps[1].action, "Asked bank");
        assert_eq!(c.details.steps[1].at, c.created_at);
        assert_eq!(c.details.contact_count, 2);
    }

    #[test]
    fn a_sparse_schema_1_case_gets_defaults() {
        let raw = r#"{"v":1,"kind":"case","data":{"id":"o","reference":"ESC-2025-0001",
            "rev":1,"status":"draft","created_at":"2025-01-01T00:00:00Z",
            "updated_at":"2025-01-01T00:00:00Z","subject":"Old","timeline":[]}}"#;
        let c = decode_case(raw).unwrap().value;
        assert_eq!(c.details.channel, Channel::Phone);
        assert_eq!(c.details.contact_count, 1);
        assert!(c.details.steps.is_empty());
    }

    #[test]
    fn a_broken_schema_1_case_is_reported_not_guessed() {
        let raw = r#"{"v":1,"kind":"case","data":{"id":"x"}}"#;
        assert!(matches!(
            decode_case(raw),
            Err(DecodeError::Invalid { version: 1, .. })
        ));
    }

    #[test]
    fn stored_values_are_packed_and_plain_json_is_still_read() {
        let c = case();
        let stored = encode_case(&c).unwrap();
        assert!(stored.starts_with("~1"));
        let plain = format!(
            r#"{{"v":2,"kind":"case","data":{}}}"#,
            crate::core::json::to_string(&c)
        );
        assert!(stored.chars().count() * 2 < plain.len());
        assert_eq!(decode_case(&plain).unwrap().value, c);
        assert!(matches!(
            decode_case("~1\u{1}garbage"),
            Err(DecodeError::Unpack(_))
        ));
    }

    #[test]
    fn newer_values_are_refused_with_both_versions_named() {
        let raw = r#"{"v":9,"kind":"case","data":{"anything":"new"}}"#;
        let err = decode_case(raw).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Newer {
                found: 9,
                known: CASE_SCHEMA
            }
        );
        assert!(err.to_string().contains("newer version"));
        assert_eq!(envelope_version(raw), Some(9));
    }

    #[test]
    fn garbage_is_named_for_what_it_is() {
        assert!(matches!(
            decode_case("{not json"),
            Err(DecodeError::NotJson(_))
        ));
        assert_eq!(decode_case("[1,2]"), Err(DecodeError::NoEnvelope));
        assert_eq!(
            decode_case(r#"{"v":2,"data":{}}"#),
            Err(DecodeError::NoEnvelope)
        );
        assert!(matches!(
            decode_case(&encode_index(&Index::default())),
            Err(DecodeError::WrongKind { .. })
        ));
        assert_eq!(
            decode_case(r#"{"v":0,"kind":"case","data":{}}"#),
            Err(DecodeError::UnknownVersion(0))
        );
        let huge = format!("\"{}\"", "a".repeat(MAX_STORED_BYTES));
        assert_eq!(decode_case(&huge), Err(DecodeError::TooLarge));
    }

    #[test]
    fn an_export_reminder_comes_when_the_last_copy_is_old() {
        let now = Utc.with_ymd_and_hms(2026, 5, 20, 9, 0, 0).unwrap();
        let days = |d| Some(now - chrono::Duration::days(d));
        let mut prefs = Prefs::default();
        assert!(!prefs.export_due(None, now));
        // A new user isn't nagged on day one, but is after a week of uncopied work.
        assert!(!prefs.export_due(days(1), now));
        assert!(prefs.export_due(days(10), now));
        prefs.last_export = days(2);
        assert!(!prefs.export_due(days(30), now));
        prefs.last_export = days(8);
        assert!(prefs.export_due(days(30), now));
        prefs.remind_days = 0;
        assert!(!prefs.export_due(days(30), now));
        assert_eq!(decode_prefs(&encode_prefs(&prefs)).unwrap(), prefs);
    }

    #[test]
    fn the_index_round_trips() {
        let mut index = Index::default();
        index.seq.insert(2026, 41);
        assert_eq!(decode_index(&encode_index(&index)).unwrap().value, index);
    }
}
