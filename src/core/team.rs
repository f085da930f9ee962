//! Team mode's shared document: the team's cases in one yrs document (the Rust port of Yjs),
//! so one connection to the team's server carries them all.
//!
//! Layout of the document:
//! - root map `cases`: a case id -> the case's map of parts. A part is either
//!   - a **value** (`status`, `details.subject`, `closeouts`, ...): one per part, so two
//!     agents changing different fields both keep theirs. Stored as the text
//!     `"<writer> <after> @<at> <json>"`: the writing device's number, a hash of the value it
//!     replaced, when it was edited, and the value. From these a device tells an overwrite of
//!     its own change by someone who had not seen it (a conflict) from an ordinary later edit;
//!     in a conflict the later edit wins (the document's own order, by client id, is written
//!     over when it kept the earlier one) and the agent who lost is told;
//!   - a **list** (`timeline`, `decisions`, `reviews`, `details.steps`): an array of JSON
//!     texts where every element any agent added survives; read back in time order,
//!     duplicates once;
//!   - `v`, the case schema the writer knew (a newer one is refused, as in storage).
//! - root map `playbook`: `published`, the file of the playbook in force.
//!
//! Every edit is what changed since the version this device last wrote or read (its base),
//! so a device never writes back a remote change it has not taken yet.
//!
//! Every text in the document except `v` is sealed with the team's key ([`super::seal`]) for
//! its place: the server holds the shape and ciphertext. A text that doesn't open (another
//! key, moved, altered) reads as absent.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{Map as Object, Value};
use yrs::sync::{Message, MessageReader, SyncMessage};
use yrs::types::{EntryChange, Event, PathSegment};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{
    Any, Array, ArrayRef, DeepObservable, Doc, Map, MapRef, Out, ReadTxn, StateVector, Transact,
    Update,
};

use super::case::Case;
use super::json::{Fields, FromJson, Read};
use super::migrate::{self, DecodeError, CASE_SCHEMA};
use super::removed::RemovedBy;
use super::seal::Seal;
pub use super::seal::{from_base64, to_base64};
use super::sort;

const CASES: &str = "cases";
const PLAYBOOK: &str = "playbook";
/// Root map `team`: `name`, written by the lead who turned team mode on. A key that opens a
/// document without it opens no team (a mistyped key), and nothing is shared into it.
const TEAM: &str = "team";
/// Root map `members`: a device's writer number -> the name its agent gave, so a refusal
/// can say whose change it was.
const MEMBERS: &str = "members";
/// Root map `deleted`: case id -> when it was deleted (RFC 3339), so a device that still holds
/// the case from before doesn't share it back when it starts.
const DELETED: &str = "deleted";
/// Parts where every element any agent added survives (steps too: two agents each adding a
/// step keep both).
const LISTS: [&str; 4] = ["timeline", "decisions", "reviews", "details.steps"];
/// Parts whose overwrite is never a conflict: `updated_at` moves with every edit.
const QUIET: [&str; 2] = ["updated_at", "v"];
/// Top-level fields of a case that are this device's own (`rev` counts local saves).
const LOCAL: [&str; 1] = ["rev"];

/// What went wrong with the shared document, in words for the agent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("the team's server sent data this app could not read ({0})")]
    BadUpdate(String),
    #[error("the case {id} in the team's data could not be read: {reason}")]
    BadCase { id: String, reason: String },
    /// A change checked like an import and refused (a value past the limits, of the wrong
    /// type, an id this app never writes); the desk keeps its own version.
    #[error("a change to {case} from {by} was refused: {reason}; this desk keeps its own version")]
    Refused {
        /// The case's reference, or its id (cut short) when it has none to show.
        case: String,
        /// Who wrote it, in words: "Kim's desk", "a desk of your team".
        by: String,
        reason: String,
    },
}

/// A part of a case that another agent overwrote without having seen this device's value
/// (both changed it while apart). Their value is in force; `mine` is what this device had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overwritten {
    pub case: String,
    /// The part's name: `status`, `details.subject`, ...
    pub part: String,
    /// Both as JSON.
    pub mine: String,
    pub theirs: String,
}

/// What an update from the server changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// The cases it changed, as they now read (with `rev` 0: the store sets its own).
    pub cases: Vec<Case>,
    pub overwritten: Vec<Overwritten>,
    /// Cases that could not be read (a newer schema, damaged data): left as they were here.
    pub unreadable: Vec<TeamError>,
    /// The playbook file, when it changed.
    pub playbook: Option<String>,
    /// Cases the team removed, and who by as far as the document says.
    pub removed: Vec<(String, RemovedBy)>,
    /// Updates to send: this device's values written back over earlier edits that had
    /// replaced them (the later edit wins; the other device then tells its agent).
    pub answers: Vec<Vec<u8>>,
}

/// A case split into its parts.
struct Parts {
    values: BTreeMap<String, String>,
    lists: [Vec<String>; 4],
}

fn split(case: &Case) -> Parts {
    let mut values = BTreeMap::new();
    let mut lists: [Vec<String>; 4] = Default::default();
    let list = |name: &str| LISTS.iter().position(|l| *l == name);
    let Value::Object(top) = super::json::to_value(case) else {
        return Parts { values, lists };
    };
    for (key, value) in top {
        if LOCAL.contains(&key.as_str()) {
            continue;
        }
        let mut parts = vec![(key.clone(), value)];
        if let Some(Value::Object(fields)) = (key == "details").then(|| parts.remove(0).1) {
            parts = fields
                .into_iter()
                .map(|(field, v)| (format!("details.{field}"), v))
                .collect();
        }
        for (name, value) in parts {
            match (list(&name), value) {
                (Some(i), Value::Array(items)) => {
                    lists[i] = items.iter().map(super::json::to_string).collect();
                }
                (_, value) => {
                    values.insert(name, super::json::to_string(&value));
                }
            }
        }
    }
    Parts { values, lists }
}

/// FNV-1a: a short, stable name for the value a write replaced.
fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A stored value part, as the text `"<writer> <after> @<at> <json>"`.
#[derive(Clone, Copy, Debug)]
struct Stored<'a> {
    /// The writing device's number.
    by: u64,
    /// A hash of the value it replaced (`-`: none); `!<hash>` when it was written back over
    /// that value because it is the later edit (the writer of `<hash>` lost).
    after: &'a str,
    /// When it was edited, by the editing device's clock (Unix ms; 0 for a value written
    /// before edits were timed): the later edit wins a same-part conflict.
    at: i64,
    json: &'a str,
}

impl Stored<'_> {
    /// Which of two writes is the later edit: by time, a tie by writer.
    fn order(&self) -> (i64, u64) {
        (self.at, self.by)
    }
}

fn read_value(text: &str) -> Option<Stored<'_>> {
    let (by, rest) = text.split_once(' ')?;
    let (after, mut json) = rest.split_once(' ')?;
    // A JSON value never starts with '@': the time is there or the value is older.
    let mut at = 0;
    if let Some(timed) = json.strip_prefix('@') {
        let (ms, rest) = timed.split_once(' ')?;
        at = ms.parse().ok()?;
        json = rest;
    }
    Some(Stored {
        by: by.parse().ok()?,
        after,
        at,
        json,
    })
}

fn value_text(by: u64, after: &str, at: i64, json: &str) -> String {
    format!("{by} {after} @{at} {json}")
}

fn text_of(out: &Out) -> Option<&str> {
    match out {
        Out::Any(Any::String(s)) => Some(s),
        _ => None,
    }
}

/// Why a text that doesn't open is refused, in words.
fn unsealed(part: &str) -> String {
    format!(
        "its {} was not sealed with your team's key (written without the key, or altered on the way)",
        part.trim_start_matches("details.").replace('_', " ")
    )
}

/// Where a part of the case `id` sits: its seal's additional data.
fn place(id: &str, part: &str) -> String {
    format!("{CASES} {id} {part}")
}

/// The text `out` holds, opened for its place; `None` when it doesn't open.
fn opened(seal: &Seal, place: &str, out: &Out) -> Option<String> {
    match out {
        Out::Any(Any::Buffer(b)) => seal.open(place, b),
        _ => None,
    }
}

/// `text` sealed for its place, as the document's binary value.
fn sealed(seal: &Seal, place: &str, text: &str) -> Any {
    Any::Buffer(seal.seal(place, text).into())
}

/// A part holds a value (sealed or not), not a nested list or map.
fn is_value(out: &Out) -> bool {
    matches!(out, Out::Any(Any::String(_) | Any::Buffer(_)))
}

/// Every text in the list part `name` of the case `id` that opens, in document order.
fn list_items<T: ReadTxn>(
    txn: &T,
    seal: &Seal,
    id: &str,
    case: &MapRef,
    name: &str,
) -> Vec<String> {
    let at = place(id, name);
    match case.get(txn, name) {
        Some(Out::YArray(a)) => a.iter(txn).filter_map(|o| opened(seal, &at, &o)).collect(),
        _ => Vec::new(),
    }
}

fn case_map<T: ReadTxn>(txn: &T, cases: &MapRef, id: &str) -> Option<MapRef> {
    match cases.get(txn, id) {
        Some(Out::YMap(m)) => Some(m),
        _ => None,
    }
}

/// The case a map of parts holds.
fn assemble<T: ReadTxn>(txn: &T, seal: &Seal, id: &str, map: &MapRef) -> Result<Case, TeamError> {
    let bad = |reason: String| TeamError::BadCase {
        id: id.to_string(),
        reason,
    };
    let mut top = Object::new();
    let mut details = Object::new();
    let mut version = CASE_SCHEMA;
    for (key, out) in map.iter(txn) {
        if key == "v" {
            version = text_of(&out)
                .and_then(|t| t.parse().ok())
                .unwrap_or(u32::MAX);
            continue;
        }
        if !is_value(&out) {
            continue;
        }
        let Some(text) = opened(seal, &place(id, key), &out) else {
            return Err(bad(unsealed(key)));
        };
        let Some(Stored { json, .. }) = read_value(&text) else {
            continue;
        };
        let value = super::json::parse_value(json).map_err(|e| bad(e.to_string()))?;
        if value.is_null() {
            continue;
        }
        match key.strip_prefix("details.") {
            Some(field) => {
                details.insert(field.to_string(), value);
            }
            None => {
                top.insert(key.to_string(), value);
            }
        }
    }
    for name in LISTS {
        let mut seen = BTreeSet::new();
        let mut items: Vec<Value> = Vec::new();
        for text in list_items(txn, seal, id, map, name) {
            if seen.insert(text.clone()) {
                items.push(super::json::parse_value(&text).map_err(|e| bad(e.to_string()))?);
            }
        }
        // Two agents' additions interleave in the document's order; time order reads right.
        sort::sort_by_key(&mut items, |v| {
            v.get("at")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        });
        match name.strip_prefix("details.") {
            Some(field) => details.insert(field.to_string(), Value::Array(items)),
            None => top.insert(name.to_string(), Value::Array(items)),
        };
    }
    top.insert("details".into(), Value::Object(details));
    top.insert("rev".into(), Value::from(0));
    migrate::decode_case_data(version, Value::Object(top))
        .map_err(|e: DecodeError| bad(e.to_string()))
}

/// What the deep observer saw in one transaction.
#[derive(Default)]
struct Seen {
    cases: BTreeSet<String>,
    removed: BTreeSet<String>,
    overwritten: Vec<Overwritten>,
    won: Vec<Won>,
}

/// This device's copy of the team's document.
pub struct Shared {
    doc: Doc,
    /// The writer stamped on every value: the device's own number (kept in its settings), so
    /// an overwrite of this device's value is told across its restarts and tabs.
    me: u64,
    /// Each case as this device last wrote or read it.
    bases: BTreeMap<String, Case>,
    seen: Rc<RefCell<Seen>>,
    /// The team's key, sealing every text written and opening every text read.
    seal: Seal,
}

impl Shared {
    /// An empty document whose client id is also its writer (tests, and one-off copies).
    pub fn new(client: u64, seal: Seal) -> Shared {
        Shared::open(client, client, seal)
    }

    /// An empty document for one start of the worker: `client` is the document's client id,
    /// fresh on every start (Yjs's rule: an id is never reused with a state older than what
    /// others have seen, and a saved state may lag what was sent), `writer` the device's own
    /// number stamped on its values.
    pub fn open(client: u64, writer: u64, seal: Seal) -> Shared {
        let doc = Doc::with_client_id(client);
        let cases = doc.get_or_insert_map(CASES);
        doc.get_or_insert_map(PLAYBOOK);
        let seen = Rc::new(RefCell::new(Seen::default()));
        let log = seen.clone();
        let key = seal.clone();
        cases.observe_deep(
            "team",
            move |txn: &yrs::TransactionMut, events: &yrs::types::Events| {
                let mut log = log.borrow_mut();
                for event in events.iter() {
                    let path = event.path();
                    match (path.front(), event) {
                        // A case added, replaced or deleted at the root.
                        (None, Event::Map(e)) => {
                            for (id, change) in e.keys(txn) {
                                match change {
                                    EntryChange::Removed(_) => log.removed.insert(id.to_string()),
                                    _ => log.cases.insert(id.to_string()),
                                };
                            }
                        }
                        (Some(PathSegment::Key(id)), e) => {
                            log.cases.insert(id.to_string());
                            if let (1, Event::Map(e)) = (path.len(), e) {
                                for (part, change) in e.keys(txn) {
                                    if let EntryChange::Updated(old, new) = change {
                                        match contest(&key, writer, id, part, old, new) {
                                            Some(Contest::Lost(o)) => log.overwritten.push(o),
                                            Some(Contest::Won(w)) => log.won.push(w),
                                            None => {}
                                        }
                                    }
                                }
                            }
                        }
                        _ => {}
                    }
                }
            },
        );
        Shared {
            doc,
            me: writer,
            bases: BTreeMap::new(),
            seen,
            seal,
        }
    }

    /// The document as saved by [`Shared::state`], opened as [`Shared::open`] does: what it
    /// holds is history, this start writes under the fresh `client`.
    pub fn load(client: u64, writer: u64, seal: Seal, state: &[u8]) -> Result<Shared, TeamError> {
        let mut shared = Shared::open(client, writer, seal);
        shared.apply(state)?;
        Ok(shared)
    }

    /// The whole document, to keep on the device.
    pub fn state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// What this device has (the sync protocol's first step).
    pub fn state_vector(&self) -> Vec<u8> {
        self.doc.transact().state_vector().encode_v1()
    }

    /// What another device with `state_vector` lacks (the sync protocol's second step).
    pub fn missing(&self, state_vector: &[u8]) -> Result<Vec<u8>, TeamError> {
        let sv = StateVector::decode_v1(state_vector)
            .map_err(|e| TeamError::BadUpdate(e.to_string()))?;
        Ok(self.doc.transact().encode_diff_v1(&sv))
    }

    /// Every case in the document; the ones that can't be read as errors.
    pub fn cases(&self) -> Vec<Result<Case, TeamError>> {
        let txn = self.doc.transact();
        let Some(cases) = txn.get_map(CASES) else {
            return Vec::new();
        };
        cases
            .iter(&txn)
            .filter_map(|(id, out)| match out {
                Out::YMap(m) => Some(match self.checked_case(&txn, id, &m) {
                    (Some(case), _) => Ok(case),
                    (None, mut refused) if !refused.is_empty() => Err(refused.remove(0).1),
                    (None, _) => Err(TeamError::BadCase {
                        id: id.chars().take(24).collect(),
                        reason: "it can't be read".into(),
                    }),
                }),
                _ => None,
            })
            .collect()
    }

    /// Records a change this device made to `case` (or a case it shares for the first time);
    /// returns the update to send, `None` when nothing changed.
    pub fn put(&mut self, case: &Case) -> Option<Vec<u8>> {
        // Every part changed here since the base was changed by then: the case's last edit.
        let edited = case.updated_at.timestamp_millis();
        let mine = split(case);
        let base = self.bases.get(&case.id).map(split);
        let update = {
            let cases = self.doc.get_or_insert_map(CASES);
            let deleted = self.doc.get_or_insert_map(DELETED);
            let mut txn = self.doc.transact_mut();
            // Saved again (a delete undone): shared again.
            if deleted.get(&txn, &case.id).is_some() {
                deleted.remove(&mut txn, &case.id);
            }
            let map = match case_map(&txn, &cases, &case.id) {
                Some(m) => m,
                None => cases.insert(&mut txn, case.id.as_str(), yrs::MapPrelim::default()),
            };
            if map.get(&txn, "v").is_none() {
                map.insert(&mut txn, "v", CASE_SCHEMA.to_string());
            }
            // Parts written before but absent now (an emptied optional field) read as null.
            let mut keys: BTreeSet<String> = mine.values.keys().cloned().collect();
            if let Some(b) = &base {
                keys.extend(b.values.keys().cloned());
            }
            for key in keys {
                let now = mine.values.get(&key).map_or("null", String::as_str);
                if base
                    .as_ref()
                    .is_some_and(|b| b.values.get(&key).map_or("null", String::as_str) == now)
                {
                    continue; // not changed here since the base: never write back over theirs
                }
                let at = place(&case.id, &key);
                let current = map.get(&txn, &key);
                let current = current.as_ref().and_then(|o| opened(&self.seal, &at, o));
                let current = current.as_deref().and_then(read_value);
                if current.is_some_and(|v| v.json == now) {
                    continue;
                }
                let after = current.map_or_else(|| "-".to_string(), |v| hash(v.json));
                let text = value_text(self.me, &after, edited, now);
                let text = sealed(&self.seal, &at, &text);
                map.insert(&mut txn, key.as_str(), text);
            }
            for (i, name) in LISTS.iter().enumerate() {
                let array = match map.get(&txn, name) {
                    Some(Out::YArray(a)) => a,
                    _ => map.insert(&mut txn, *name, yrs::ArrayPrelim::default()),
                };
                sync_list(
                    &mut txn,
                    &self.seal,
                    &place(&case.id, name),
                    &array,
                    &mine.lists[i],
                    base.as_ref().map(|b| &b.lists[i]),
                );
            }
            txn.encode_update_v1()
        };
        self.seen.replace(Seen::default());
        self.bases.insert(case.id.clone(), case.clone());
        // An update with no structs and no deletions is a few bytes of headers.
        (update.len() > 2).then_some(update)
    }

    /// Applies an update from the server: the cases it changed as they now read, and the
    /// parts where another agent's value replaced this device's without having seen it.
    pub fn apply(&mut self, update: &[u8]) -> Result<Applied, TeamError> {
        let update = Update::decode_v1(update).map_err(|e| TeamError::BadUpdate(e.to_string()))?;
        let before = self.playbook();
        {
            let mut txn = self.doc.transact_mut();
            txn.apply_update(update)
                .map_err(|e| TeamError::BadUpdate(e.to_string()))?;
        }
        let seen = self.seen.replace(Seen::default());
        let removed = seen
            .removed
            .into_iter()
            .map(|id| {
                let by = self.deletion(&id).map_or(RemovedBy::Unknown, |(_, by)| by);
                (id, by)
            })
            .collect();
        let mut out = Applied {
            overwritten: seen.overwritten,
            removed,
            ..Applied::default()
        };
        for (id, _) in &out.removed {
            self.bases.remove(id);
        }
        let mut refused_parts: BTreeSet<(String, String)> = BTreeSet::new();
        {
            let txn = self.doc.transact();
            if let Some(cases) = txn.get_map(CASES) {
                for id in &seen.cases {
                    if let Some(map) = case_map(&txn, &cases, id) {
                        let (case, refused) = self.checked_case(&txn, id, &map);
                        for (part, e) in refused {
                            refused_parts.insert((id.clone(), part));
                            out.unreadable.push(e);
                        }
                        if let Some(case) = case {
                            out.cases.push(case);
                        }
                    }
                }
            }
        }
        let refused = |case: &str, part: &str| {
            refused_parts.contains(&(case.to_string(), part.to_string()))
                || refused_parts.contains(&(case.to_string(), String::new()))
        };
        // The banner never shows a refused value: an overwrite by one isn't one.
        out.overwritten.retain(|o| !refused(&o.case, &o.part));
        // Nor is a refused value a later edit to write back over (this desk keeps its own).
        let won: Vec<Won> = seen
            .won
            .into_iter()
            .filter(|w| !refused(&w.case, &w.part))
            .collect();
        if let Some((answer, ids)) = self.write_back(&won) {
            self.seen.replace(Seen::default());
            out.answers.push(answer);
            // Those cases as they now read, with this device's values back.
            let txn = self.doc.transact();
            if let Some(cases) = txn.get_map(CASES) {
                for id in &ids {
                    if let Some((Some(case), _)) =
                        case_map(&txn, &cases, id).map(|map| self.checked_case(&txn, id, &map))
                    {
                        out.cases.retain(|c| &c.id != id);
                        out.cases.push(case);
                    }
                }
            }
        }
        for case in &out.cases {
            self.bases.insert(case.id.clone(), case.clone());
        }
        let after = self.playbook();
        if after != before {
            out.playbook = after;
        }
        Ok(out)
    }

    /// Writes this device's later edits back over the earlier ones that replaced them, each
    /// marked as replacing that value by the later-edit rule (`!<hash>`), so its writer's
    /// device tells its agent. Skipped where the part has changed again meanwhile to a value
    /// edited later still. Returns the update to send and the cases it changed.
    fn write_back(&mut self, won: &[Won]) -> Option<(Vec<u8>, BTreeSet<String>)> {
        if won.is_empty() {
            return None;
        }
        let cases = self.doc.get_or_insert_map(CASES);
        let mut ids = BTreeSet::new();
        let mut txn = self.doc.transact_mut();
        for w in won {
            let Some(map) = case_map(&txn, &cases, &w.case) else {
                continue;
            };
            let at = place(&w.case, &w.part);
            let current = map.get(&txn, &w.part);
            let current = current.as_ref().and_then(|o| opened(&self.seal, &at, o));
            let Some(current) = current.as_deref().and_then(read_value) else {
                continue;
            };
            if current.json == w.json || current.order() >= (w.at, self.me) {
                continue;
            }
            let text = value_text(self.me, &format!("!{}", hash(current.json)), w.at, &w.json);
            map.insert(&mut txn, w.part.as_str(), sealed(&self.seal, &at, &text));
            ids.insert(w.case.clone());
        }
        let update = txn.encode_update_v1();
        (!ids.is_empty()).then_some((update, ids))
    }

    /// A case of the document checked like an import: the id rule of files, the size limits,
    /// each part of the type it must have. A part refused is left out (this device's last
    /// version of it stands), so one bad value never blocks later edits of the case; a case
    /// that can't be read at all, or is past the limits, is refused whole. Returns the case to
    /// take (if any) and each refusal with the part it concerns (`""`: the whole case).
    fn checked_case<T: ReadTxn>(
        &self,
        txn: &T,
        id: &str,
        map: &MapRef,
    ) -> (Option<Case>, Vec<(String, TeamError)>) {
        let base = self.bases.get(id);
        let shown = |c: Option<&Case>| {
            c.map(|c| c.reference.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| id.chars().take(24).collect())
        };
        let whole = |by: u64, reason: String| TeamError::Refused {
            case: shown(base),
            by: self.member_words(txn, by),
            reason,
        };
        let writer_of = |part: &str| {
            map.get(txn, part)
                .and_then(|o| opened(&self.seal, &place(id, part), &o))
                .and_then(|t| read_value(&t).map(|v| v.by))
                .unwrap_or(0)
        };
        // The biggest value part's writer: who made a case too large.
        let biggest = || {
            map.iter(txn)
                .filter_map(|(part, out)| {
                    let text = opened(&self.seal, &place(id, part), &out)?;
                    read_value(&text).map(|v| (v.json.len(), v.by))
                })
                .max()
                .map_or(0, |(_, by)| by)
        };
        if !super::bundle::valid_id(id) {
            let e = whole(
                biggest(),
                "its id is not one this app writes (letters, digits, - and _, at most 64)".into(),
            );
            return (None, vec![(String::new(), e)]);
        }
        let case = match assemble(txn, &self.seal, id, map) {
            Ok(case) => case,
            Err(e) => match base {
                Some(base) => return self.part_by_part(txn, id, base, map),
                None => {
                    let reason = match e {
                        TeamError::BadCase { reason, .. } => reason,
                        other => other.to_string(),
                    };
                    return (None, vec![(String::new(), whole(biggest(), reason))]);
                }
            },
        };
        if let Err(too_large) = super::limits::check_details(&case.details)
            .and_then(|()| super::limits::check_case(&case, super::json::to_string(&case).len()))
        {
            if let Some(base) = base {
                return self.part_by_part(txn, id, base, map);
            }
            let part = match &too_large {
                super::limits::TooLarge::Field { field, .. } => field_part(field),
                super::limits::TooLarge::Case { .. } => None,
            };
            let by = part.as_deref().map_or_else(biggest, writer_of);
            let refusal = TeamError::Refused {
                case: shown(Some(&case)),
                by: self.member_words(txn, by),
                reason: too_large.to_string(),
            };
            return (None, vec![(part.unwrap_or_default(), refusal)]);
        }
        (Some(case), Vec::new())
    }

    /// A case one of whose parts can't be read: this device's last version with every part
    /// that can be, each refused part named.
    fn part_by_part<T: ReadTxn>(
        &self,
        txn: &T,
        id: &str,
        base: &Case,
        map: &MapRef,
    ) -> (Option<Case>, Vec<(String, TeamError)>) {
        let mut case = base.clone();
        let mut refused = Vec::new();
        let mut refuse = |part: &str, by: u64, case: &Case, why: Option<String>| {
            let reason = why.unwrap_or_else(|| {
                format!(
                    "its {} is not a value this app can read",
                    part.trim_start_matches("details.").replace('_', " ")
                )
            });
            refused.push((
                part.to_string(),
                TeamError::Refused {
                    case: case.reference.clone(),
                    by: self.member_words(txn, by),
                    reason,
                },
            ));
        };
        // A part's value taken only when it reads and keeps every field within its limit.
        let take = |case: &Case, part: &str, json: &str| -> Result<Case, Option<String>> {
            let c = with_part(case, part, json).ok_or(None)?;
            super::limits::check_details(&c.details).map_err(|e| Some(e.to_string()))?;
            Ok(c)
        };
        for (key, out) in map.iter(txn) {
            if key == "v" || LISTS.contains(&key) {
                continue;
            }
            if !is_value(&out) {
                continue;
            }
            let Some(text) = opened(&self.seal, &place(id, key), &out) else {
                refuse(key, 0, &case, Some(unsealed(key)));
                continue;
            };
            let Some(Stored { by, json, .. }) = read_value(&text) else {
                continue;
            };
            match take(&case, key, json) {
                Ok(c) => case = c,
                Err(why) => refuse(key, by, &case, why),
            }
        }
        for name in LISTS {
            let mut items: Vec<Value> = Vec::new();
            let mut seen = BTreeSet::new();
            for text in list_items(txn, &self.seal, id, map, name) {
                if !seen.insert(text.clone()) {
                    continue;
                }
                let Ok(item) = super::json::parse_value(&text) else {
                    continue;
                };
                let mut tried = items.clone();
                tried.push(item);
                if take(
                    &case,
                    name,
                    &super::json::to_string(&Value::Array(tried.clone())),
                )
                .is_ok()
                {
                    items = tried;
                }
            }
            sort::sort_by_key(&mut items, |v| {
                v.get("at")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            });
            if let Some(c) = with_part(&case, name, &super::json::to_string(&Value::Array(items))) {
                case = c;
            }
        }
        case.rev = 0;
        let fits = super::limits::check_details(&case.details).is_ok()
            && super::limits::check_case(&case, super::json::to_string(&case).len()).is_ok();
        (fits.then_some(case), refused)
    }

    /// Who a writer number is, in words: the name its agent gave, else "a desk of your team".
    fn member_words<T: ReadTxn>(&self, txn: &T, writer: u64) -> String {
        let key = writer.to_string();
        let name = txn.get_map(MEMBERS).and_then(|m| {
            m.get(txn, &key)
                .and_then(|o| opened(&self.seal, &format!("{MEMBERS} {key}"), &o))
                .map(|n| n.trim().chars().take(80).collect::<String>())
        });
        match name.filter(|n| !n.is_empty()) {
            Some(n) => format!("{n}'s desk"),
            None => "a desk of your team".into(),
        }
    }

    /// Writes this device's agent's name into the team's members (when given and not there
    /// yet); the update to send.
    pub fn introduce(&mut self, name: &str) -> Option<Vec<u8>> {
        let name = name.trim();
        let members = self.doc.get_or_insert_map(MEMBERS);
        let mut txn = self.doc.transact_mut();
        let key = self.me.to_string();
        let at = format!("{MEMBERS} {key}");
        let known = members
            .get(&txn, &key)
            .and_then(|o| opened(&self.seal, &at, &o));
        if name.is_empty() || known.as_deref() == Some(name) {
            return None;
        }
        members.insert(&mut txn, key.as_str(), sealed(&self.seal, &at, name));
        Some(txn.encode_update_v1())
    }

    /// Deletes a case for the whole team at `at` (RFC 3339), by the agent named `agent` (empty
    /// when they gave no name); the update to send, `None` when the document doesn't hold it.
    pub fn remove(&mut self, id: &str, at: &str, agent: &str) -> Option<Vec<u8>> {
        let cases = self.doc.get_or_insert_map(CASES);
        let deleted = self.doc.get_or_insert_map(DELETED);
        let mut txn = self.doc.transact_mut();
        cases.get(&txn, id)?;
        cases.remove(&mut txn, id);
        let record = serde_json::json!({"at": at, "by": self.me, "agent": agent}).to_string();
        let record = sealed(&self.seal, &format!("{DELETED} {id}"), &record);
        deleted.insert(&mut txn, id, record);
        let update = txn.encode_update_v1();
        drop(txn);
        self.seen.replace(Seen::default());
        self.bases.remove(id);
        Some(update)
    }

    /// When the team deleted the case `id` (RFC 3339), if it did and it wasn't shared again.
    pub fn deleted_at(&self, id: &str) -> Option<String> {
        self.deletion(id).map(|(at, _)| at)
    }

    /// The document's record of the case's deletion: when, and who by. Desks before names
    /// were kept wrote the time alone.
    fn deletion(&self, id: &str) -> Option<(String, RemovedBy)> {
        let text = self.root_text(DELETED, id)?;
        match super::json::parse_value(&text) {
            Ok(Value::Object(record)) => {
                let at = record.get("at").and_then(Value::as_str)?.to_string();
                let agent = record.get("agent").and_then(Value::as_str).unwrap_or("");
                Some((at, RemovedBy::of(Some(agent))))
            }
            _ => Some((text, RemovedBy::Unnamed)),
        }
    }

    /// Who removed the case `id`, as far as the document says (a device starting after the
    /// removal learns it here).
    pub fn removed_by(&self, id: &str) -> RemovedBy {
        self.deletion(id).map_or(RemovedBy::Unknown, |(_, by)| by)
    }

    /// The text under `key` in the root map `root`, if any opens.
    fn root_text(&self, root: &str, key: &str) -> Option<String> {
        let txn = self.doc.transact();
        let map = txn.get_map(root)?;
        map.get(&txn, key)
            .and_then(|o| opened(&self.seal, &format!("{root} {key}"), &o))
    }

    /// Writes `text` under `key` in the root map `root`, sealed; the update to send.
    fn put_root(&mut self, root: &str, key: &str, text: &str) -> Vec<u8> {
        let map = self.doc.get_or_insert_map(root);
        let value = sealed(&self.seal, &format!("{root} {key}"), text);
        let mut txn = self.doc.transact_mut();
        map.insert(&mut txn, key, value);
        txn.encode_update_v1()
    }

    /// The team's name, once the document holds the team (see [`TEAM`]).
    pub fn team_name(&self) -> Option<String> {
        self.root_text(TEAM, "name")
    }

    /// Names a new team (the lead turning team mode on); the update to send.
    pub fn found(&mut self, name: &str) -> Vec<u8> {
        self.put_root(TEAM, "name", name)
    }

    /// The team's name in a document saved before values were sealed (written in plain text,
    /// in the room named by the key itself): a device that held it founds the team again in
    /// the sealed room. `None` for a sealed document or one without a team.
    pub fn plain_team_name(state: &[u8]) -> Option<String> {
        let doc = Doc::new();
        let map = doc.get_or_insert_map(TEAM);
        let update = Update::decode_v1(state).ok()?;
        doc.transact_mut().apply_update(update).ok()?;
        let txn = doc.transact();
        let name = map.get(&txn, "name")?;
        text_of(&name).map(str::to_string)
    }

    /// Publishes a playbook file to the team; the update to send.
    pub fn put_playbook(&mut self, file: &str) -> Option<Vec<u8>> {
        if self.playbook().as_deref() == Some(file) {
            return None;
        }
        Some(self.put_root(PLAYBOOK, "published", file))
    }

    /// The playbook file the team published last, if any.
    pub fn playbook(&self) -> Option<String> {
        self.root_text(PLAYBOOK, "published")
    }
}

/// What a message from the team's server (the y-websocket protocol) meant for this device.
#[derive(Debug, Default)]
pub struct Heard {
    /// Messages to send back.
    pub replies: Vec<Vec<u8>>,
    pub applied: Applied,
    /// The server has sent everything it had that this device lacked.
    pub synced: bool,
    /// The server refused this device, with its reason.
    pub refused: Option<String>,
}

fn sync_message(m: SyncMessage) -> Vec<u8> {
    Message::Sync(m).encode_v1()
}

impl Shared {
    /// The first message on a new connection: what this device has, so the server sends
    /// what it lacks.
    pub fn hello(&self) -> Vec<u8> {
        sync_message(SyncMessage::SyncStep1(self.doc.transact().state_vector()))
    }

    /// An update of this device's ([`Shared::put`]), as a message for the server.
    pub fn framed(update: Vec<u8>) -> Vec<u8> {
        sync_message(SyncMessage::Update(update))
    }

    /// Reads a message from the server (it may hold several), applying what it carries.
    pub fn hear(&mut self, message: &[u8]) -> Result<Heard, TeamError> {
        let bad = |e: yrs::encoding::read::Error| TeamError::BadUpdate(e.to_string());
        let mut decoder = DecoderV1::from(message);
        let mut heard = Heard::default();
        for m in MessageReader::new(&mut decoder) {
            let update = match m.map_err(bad)? {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    let txn = self.doc.transact();
                    heard.replies.push(sync_message(SyncMessage::SyncStep2(
                        txn.encode_diff_v1(&sv),
                    )));
                    continue;
                }
                Message::Sync(SyncMessage::SyncStep2(update)) => {
                    heard.synced = true;
                    update
                }
                Message::Sync(SyncMessage::Update(update)) => update,
                Message::Auth(reason) => {
                    heard.refused = reason;
                    continue;
                }
                // Who else is connected, and custom messages: not used.
                _ => continue,
            };
            let applied = self.apply(&update)?;
            let into = &mut heard.applied;
            into.cases.extend(applied.cases);
            into.overwritten.extend(applied.overwritten);
            into.unreadable.extend(applied.unreadable);
            into.removed.extend(applied.removed);
            into.answers.extend(applied.answers);
            if applied.playbook.is_some() {
                into.playbook = applied.playbook;
            }
        }
        Ok(heard)
    }
}

/// Team mode on this device: the team's server, its key, this device's client id in the
/// shared document, and the team's name. Kept in storage (never in an export or a crash file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `ws://` or `wss://` address of the team's server.
    pub server: String,
    /// 32 hex digits (128 random bits), part of the document's name on the server.
    pub key: String,
    pub client: u64,
    pub name: String,
    /// This device turned team mode on: it names the team in the document.
    pub founder: bool,
    /// The agent's name as the team sees it beside a removal (empty: none given).
    pub agent: String,
}

// `agent` only when given, so settings kept before it read and write as they were.
impl super::json::ToJson for Settings {
    fn write_json(&self, out: &mut String) {
        super::json::Object::new(out)
            .field("server", &self.server)
            .field("key", &self.key)
            .field("client", &self.client)
            .field("name", &self.name)
            .field("founder", &self.founder)
            .field_if(!self.agent.is_empty(), "agent", &self.agent)
            .end();
    }
}

impl FromJson for Settings {
    fn from_json(v: &Value) -> Read<Settings> {
        let f = Fields::of(v)?;
        Ok(Settings {
            server: f.get("server")?,
            key: f.get("key")?,
            client: f.get("client")?,
            name: f.get_or_default("name")?,
            founder: f.get_or_default("founder")?,
            agent: f.get_or_default("agent")?,
        })
    }
}

/// Why a server address or a key can't be used, in the person's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("The server address starts with wss:// (or ws:// on your own machine), like wss://team.example.com.")]
    Server,
    #[error("The team key is 32 letters and digits (0-9, a-f), as in the join link. Check that it was copied whole.")]
    Key,
    /// `ws://` to another machine: the connection would cross the network without TLS.
    #[error("“{0}” is another machine: its address starts with wss:// (ws:// carries the team's traffic unprotected and is only for a server on this machine).")]
    Plain(String),
}

/// The server address and key as typed or pasted, checked.
pub fn checked(server: &str, key: &str) -> Result<(String, String), JoinError> {
    let server = checked_server(server)?;
    let key = key.trim().to_ascii_lowercase();
    if key.len() < 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(JoinError::Key);
    }
    Ok((server, key))
}

/// A server address as typed, checked: `wss://` anywhere, `ws://` (no TLS) only to this
/// machine's loopback, where nothing crosses a network.
pub fn checked_server(server: &str) -> Result<String, JoinError> {
    let server = server.trim().trim_end_matches('/');
    let (tls, rest) = match server.strip_prefix("wss://") {
        Some(rest) => (true, rest),
        None => (
            false,
            server.strip_prefix("ws://").ok_or(JoinError::Server)?,
        ),
    };
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(JoinError::Server);
    }
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host.starts_with("127.") && host.split('.').count() == 4;
    if !tls && !loopback {
        return Err(JoinError::Plain(host.to_string()));
    }
    Ok(server.to_string())
}

/// The query of a join link's fragment (`#/team?server=…&key=…`): both parts percent-encoded.
pub fn join_query(server: &str, key: &str) -> String {
    format!(
        "server={}&key={}",
        percent_encode(server),
        percent_encode(key)
    )
}

/// The server address and key a join link's fragment carries, if it carries both.
pub fn read_join(fragment: &str) -> Option<(String, String)> {
    let query = fragment.split_once('?')?.1;
    let get = |name: &str| {
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| percent_decode(v))
        })
    };
    Some((get("server")??, get("key")??))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `case` with one part (as named in an [`Overwritten`]) set to `json`: taking this device's
/// value back after another agent's replaced it. `None` when the value doesn't fit the part.
pub fn with_part(case: &Case, part: &str, json: &str) -> Option<Case> {
    let value = super::json::parse_value(json).ok()?;
    // Through the text, not `to_value`: that would be a second copy of every writer in the
    // desk's download.
    let mut whole = super::json::to_value(case);
    let slot = match part.strip_prefix("details.") {
        Some(field) => whole.get_mut("details")?.as_object_mut()?.entry(field),
        None => whole.as_object_mut()?.entry(part),
    };
    *slot.or_insert(Value::Null) = value;
    Case::from_json(&whole).ok()
}

/// The part a limit's field name stands for ("Description" -> `details.description`).
fn field_part(field: &str) -> Option<String> {
    let part = match field {
        "Name" => "customer",
        "Email or phone" => "customer",
        "Account or plan" => "customer",
        "Subject" => "subject",
        "Description" => "description",
        "Expectation" => "expectation",
        "Owner" => "owner",
        "Impact" => "impact",
        "Evidence" => "evidence",
        "Product or area" => "product",
        f if f.starts_with("Step ") => "steps",
        _ => return None,
    };
    Some(format!("details.{part}"))
}

/// Adds this device's new elements to a list part, and removes the ones it had read (its base)
/// and no longer has (an edit burst's entry rewritten); others' additions stay.
fn sync_list(
    txn: &mut yrs::TransactionMut,
    seal: &Seal,
    at: &str,
    array: &ArrayRef,
    mine: &[String],
    base: Option<&Vec<String>>,
) {
    let current: Vec<String> = array
        .iter(txn)
        .map(|o| opened(seal, at, &o).unwrap_or_default())
        .collect();
    let mine_set: BTreeSet<&str> = mine.iter().map(String::as_str).collect();
    if let Some(base) = base {
        let base_set: BTreeSet<&str> = base.iter().map(String::as_str).collect();
        for (i, item) in current.iter().enumerate().rev() {
            if base_set.contains(item.as_str()) && !mine_set.contains(item.as_str()) {
                array.remove(txn, i as u32);
            }
        }
    }
    let have: BTreeSet<&str> = current.iter().map(String::as_str).collect();
    for item in mine {
        if !have.contains(item.as_str()) {
            array.push_back(txn, sealed(seal, at, item));
        }
    }
}

/// What another device's write over one of this device's values means here.
enum Contest {
    /// Theirs is the later edit: it stands, and the agent is told, with both values.
    Lost(Overwritten),
    /// Mine is the later edit though the document's order kept theirs (Yjs orders writes
    /// made apart by client id, not time): written back, see [`Shared::write_back`].
    Won(Won),
}

/// A value of this device's to write back over an earlier edit that replaced it.
struct Won {
    case: String,
    part: String,
    json: String,
    at: i64,
}

/// `old` (this device's value) replaced by `new`, written by another device that had not
/// seen it: the later edit of the two wins.
fn contest(seal: &Seal, me: u64, case: &str, part: &str, old: &Out, new: &Out) -> Option<Contest> {
    if QUIET.contains(&part) {
        return None;
    }
    let at = place(case, part);
    let (old, new) = (opened(seal, &at, old)?, opened(seal, &at, new)?);
    let (mine, theirs) = (read_value(&old)?, read_value(&new)?);
    if mine.by != me
        || theirs.by == me
        || mine.json == theirs.json
        || theirs.after == hash(mine.json)
    {
        return None; // not mine, mine again, the same, or written by someone who saw mine
    }
    Some(if theirs.order() > mine.order() {
        Contest::Lost(Overwritten {
            case: case.to_string(),
            part: part.to_string(),
            mine: mine.json.to_string(),
            theirs: theirs.json.to_string(),
        })
    } else {
        Contest::Won(Won {
            case: case.to_string(),
            part: part.to_string(),
            json: mine.json.to_string(),
            at: mine.at,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::{Details, Entry, Event as CaseEvent, Status};
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn at(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap() + Duration::minutes(m)
    }

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    /// Device `n`'s seal of the team's key (nonces counted apart per device).
    fn seal(n: u64) -> Seal {
        Seal::counting(KEY, n << 40)
    }

    fn sample() -> Case {
        let details = Details {
            subject: "Invoice charged twice".into(),
            product: "Billing".into(),
            ..Details::default()
        };
        let mut c = Case::open("c1".into(), 7, details, at(0));
        c.details.customer.name = "Zoë Müller".into();
        c.ticket_id = Some("T-1".into());
        c
    }

    /// Sends every change each side has that the other lacks, both ways.
    fn sync(a: &mut Shared, b: &mut Shared) -> (Applied, Applied) {
        let to_b = a.missing(&b.state_vector()).unwrap();
        let to_a = b.missing(&a.state_vector()).unwrap();
        (a.apply(&to_a).unwrap(), b.apply(&to_b).unwrap())
    }

    fn read(s: &Shared, id: &str) -> Case {
        s.cases()
            .into_iter()
            .filter_map(Result::ok)
            .find(|c| c.id == id)
            .unwrap()
    }

    #[test]
    fn a_case_reads_back_as_it_was_put() {
        let mut s = Shared::new(1, seal(1));
        let mut c = sample();
        c.rev = 5;
        assert!(s.put(&c).is_some());
        let back = read(&s, "c1");
        assert_eq!(
            back,
            Case {
                rev: 0,
                ..c.clone()
            }
        );
        // Nothing changed: nothing to send.
        assert_eq!(s.put(&c), None);
        // Through a second device, from the saved state.
        let other = Shared::load(2, 2, seal(2), &s.state()).unwrap();
        assert_eq!(read(&other, "c1"), Case { rev: 0, ..c });
    }

    /// Issue 32.1: an edit reached the server, the page reloaded before the document's state
    /// was saved, and the device edits again. Under a fresh client id the new edit is new to
    /// the server; under the old one it reuses clock numbers the server already holds and is
    /// dropped there (the failure this guards against).
    #[test]
    fn a_reload_with_a_lagging_saved_state_loses_no_later_edit() {
        let mut server = Shared::new(99, seal(99));
        let mut a = Shared::open(10, 7, seal(10));
        let c = sample();
        a.put(&c);
        let saved = a.state(); // saved a moment before the next edit
        let mut owned = c.clone();
        owned.details.owner = "Kim".into();
        owned.updated_at = at(1);
        a.put(&owned);
        sync(&mut a, &mut server);
        let mut later = owned.clone();
        later.details.product = "Payments".into();
        later.updated_at = at(2);
        for (client, kept) in [(11, true), (10, false)] {
            let mut server = Shared::load(99, 99, seal(99), &server.state()).unwrap();
            let mut reloaded = Shared::load(client, 7, seal(client), &saved).unwrap();
            reloaded.put(&later);
            sync(&mut reloaded, &mut server);
            // Under the reused id the server's copy doesn't even read back whole.
            let on_server = server.cases().into_iter().find_map(Result::ok);
            let product = on_server.as_ref().map(|c| c.details.product.as_str());
            assert_eq!(product == Some("Payments"), kept, "client {client}");
            if kept {
                assert_eq!(on_server.map(|c| c.details.owner), Some("Kim".into()));
            }
        }
    }

    /// Two starts of one device (two tabs, or a restart) write under different client ids but
    /// the same writer: one's change is not a conflict for the other, and each edit lands on
    /// its own case.
    #[test]
    fn two_starts_of_one_device_keep_their_cases_apart() {
        let mut server = Shared::new(99, seal(99));
        let mut x = sample();
        let mut y = sample();
        y.id = "c2".into();
        let mut seed = Shared::open(20, 7, seal(20));
        seed.put(&x);
        seed.put(&y);
        sync(&mut seed, &mut server);
        let mut one = Shared::load(21, 7, seal(21), &server.state()).unwrap();
        let mut two = Shared::load(22, 7, seal(22), &server.state()).unwrap();
        x.details.subject = "X from tab one".into();
        y.details.subject = "Y from tab two".into();
        one.put(&x);
        two.put(&y);
        let (_, a) = sync(&mut one, &mut server);
        let (_, b) = sync(&mut two, &mut server);
        assert!(a.overwritten.is_empty() && b.overwritten.is_empty());
        sync(&mut one, &mut server);
        assert_eq!(read(&server, "c1").details.subject, "X from tab one");
        assert_eq!(read(&server, "c2").details.subject, "Y from tab two");
        assert_eq!(read(&one, "c2").details.subject, "Y from tab two");
    }

    #[test]
    fn different_parts_changed_apart_both_survive() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let mut on_a = read(&a, "c1");
        on_a.details.subject = "Invoice charged three times".into();
        on_a.timeline.push(Entry {
            at: at(5),
            event: CaseEvent::Edited {
                fields: vec!["subject".into()],
            },
        });
        let mut on_b = read(&b, "c1");
        on_b.details.description = "Card ending 4242".into();
        on_b.timeline.push(Entry {
            at: at(6),
            event: CaseEvent::Edited {
                fields: vec!["description".into()],
            },
        });
        a.put(&on_a);
        b.put(&on_b);
        let (got_a, got_b) = sync(&mut a, &mut b);
        assert!(got_a.overwritten.is_empty() && got_b.overwritten.is_empty());
        let (x, y) = (read(&a, "c1"), read(&b, "c1"));
        assert_eq!(x, y);
        assert_eq!(x.details.subject, "Invoice charged three times");
        assert_eq!(x.details.description, "Card ending 4242");
        // Both timeline entries, in time order.
        assert_eq!(x.timeline.len(), sample().timeline.len() + 2);
        assert!(x.timeline.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(got_a.cases.len(), 1);
    }

    /// Issue 32.8: the later edit wins a part both changed apart, whichever way the
    /// document's own order (by client id) falls, and only the one who lost is told.
    #[test]
    fn the_same_part_changed_apart_the_later_edit_wins_and_the_one_who_lost_is_told() {
        for (ca, cb) in [(1, 2), (2, 1)] {
            let (mut a, mut b) = (Shared::new(ca, seal(ca)), Shared::new(cb, seal(cb)));
            a.put(&sample());
            sync(&mut a, &mut b);
            let mut on_a = read(&a, "c1");
            on_a.details.subject = "A's subject".into();
            on_a.updated_at = at(1);
            let mut on_b = read(&b, "c1");
            on_b.details.subject = "B's subject".into();
            on_b.updated_at = at(2);
            a.put(&on_a);
            b.put(&on_b);
            // Until neither has anything to answer: the winner's write-back is one more round.
            let (mut told_a, mut told_b) = (Vec::new(), Vec::new());
            for round in 0.. {
                assert!(round < 3, "no end to the answers");
                let (got_a, got_b) = sync(&mut a, &mut b);
                let quiet = got_a.answers.is_empty() && got_b.answers.is_empty();
                told_a.extend(got_a.overwritten);
                told_b.extend(got_b.overwritten);
                if quiet {
                    break;
                }
            }
            for s in [&a, &b] {
                assert_eq!(
                    read(s, "c1").details.subject,
                    "B's subject",
                    "clients {ca}, {cb}"
                );
            }
            assert_eq!(told_a.len(), 1, "clients {ca}, {cb}: {told_a:?}");
            assert_eq!(told_a[0].part, "details.subject");
            assert_eq!(told_a[0].mine, "\"A's subject\"");
            assert_eq!(told_a[0].theirs, "\"B's subject\"");
            assert!(told_b.is_empty(), "clients {ca}, {cb}: {told_b:?}");
            // A later edit by A, having seen B's, is an ordinary edit for B.
            let mut again = read(&a, "c1");
            again.details.subject = "A's, after B's".into();
            again.updated_at = at(3);
            a.put(&again);
            let (_, got_b) = sync(&mut a, &mut b);
            assert!(got_b.overwritten.is_empty() && got_b.answers.is_empty());
            assert_eq!(read(&b, "c1").details.subject, "A's, after B's");
        }
    }

    /// A value written before edits were timed reads as it did, and loses to a timed one.
    #[test]
    fn a_value_from_before_edits_were_timed_reads_back() {
        let v = read_value("7 - \"Kim\"").unwrap();
        assert_eq!((v.by, v.after, v.at, v.json), (7, "-", 0, "\"Kim\""));
        let v = read_value("7 00ff @1764666000000 12").unwrap();
        assert_eq!(
            (v.by, v.after, v.at, v.json),
            (7, "00ff", 1_764_666_000_000, "12")
        );
        assert!(read_value("7 - @x 12").is_none());
    }

    #[test]
    fn a_later_edit_by_someone_who_saw_mine_is_no_conflict() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        let mut c = sample();
        c.status = Status::Escalated;
        a.put(&c);
        sync(&mut a, &mut b);
        let mut on_b = read(&b, "c1");
        on_b.status = Status::Acknowledged;
        b.put(&on_b);
        let (got_a, _) = sync(&mut a, &mut b);
        assert!(got_a.overwritten.is_empty());
        assert_eq!(read(&a, "c1").status, Status::Acknowledged);
    }

    #[test]
    fn only_what_changed_since_the_base_is_written() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let mut on_b = read(&b, "c1");
        on_b.details.product = "Payments".into();
        b.put(&on_b);
        // A's own edit, put before B's arrives, writes its owner only.
        let mut on_a = read(&a, "c1");
        on_a.details.owner = "Priya".into();
        a.put(&on_a);
        let (got_a, _) = sync(&mut a, &mut b);
        // The desk takes what arrived (its store merges it with any edit in flight) and puts
        // that, with one more change: B's product stays.
        let mut taken = got_a.cases[0].clone();
        taken.details.subject = "Charged twice in November".into();
        a.put(&taken);
        sync(&mut a, &mut b);
        let x = read(&b, "c1");
        assert_eq!(
            (
                x.details.product.as_str(),
                x.details.owner.as_str(),
                x.details.subject.as_str()
            ),
            ("Payments", "Priya", "Charged twice in November")
        );
        assert_eq!(x, read(&a, "c1"));
    }

    #[test]
    fn a_rewritten_timeline_entry_replaces_the_old_one() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        let mut c = sample();
        c.timeline.push(Entry {
            at: at(1),
            event: CaseEvent::Edited {
                fields: vec!["subject".into()],
            },
        });
        a.put(&c);
        sync(&mut a, &mut b);
        // An edit burst folds a second edit into the same entry.
        let last = c.timeline.len() - 1;
        c.timeline[last].event = CaseEvent::Edited {
            fields: vec!["subject".into(), "product".into()],
        };
        a.put(&c);
        sync(&mut a, &mut b);
        assert_eq!(read(&b, "c1").timeline, c.timeline);
    }

    #[test]
    fn the_published_playbook_reaches_the_other_device() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        assert!(a.put_playbook("{\"v\":1}").is_some());
        assert_eq!(a.put_playbook("{\"v\":1}"), None);
        let (_, got_b) = sync(&mut a, &mut b);
        assert_eq!(got_b.playbook.as_deref(), Some("{\"v\":1}"));
    }

    /// A server that relays every message to the other device, as y-websocket does.
    #[test]
    fn two_devices_sync_through_the_protocol() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        let update = a.put(&sample()).unwrap();
        // B connects: its hello reaches A, whose answer (what B lacks) brings the case.
        let heard = a.hear(&b.hello()).unwrap();
        assert_eq!(heard.replies.len(), 1);
        let got = b.hear(&heard.replies[0]).unwrap();
        assert!(got.synced);
        assert_eq!(got.applied.cases.len(), 1);
        assert_eq!(
            got.applied.cases[0].details.subject,
            "Invoice charged twice"
        );
        // A's later change, framed as an update, reaches B the same way.
        let mut c = sample();
        c.details.owner = "Lee".into();
        let update2 = a.put(&c).unwrap();
        let got = b.hear(&Shared::framed(update2)).unwrap();
        assert!(!got.synced);
        assert_eq!(got.applied.cases[0].details.owner, "Lee");
        // An update heard twice changes nothing.
        let again = b.hear(&Shared::framed(update)).unwrap();
        assert!(again.applied.cases.is_empty());
        // A refusal is read as one.
        let refused = Message::Auth(Some("wrong key".into())).encode_v1();
        assert_eq!(
            b.hear(&refused).unwrap().refused.as_deref(),
            Some("wrong key")
        );
    }

    #[test]
    fn a_deleted_case_goes_for_everyone_and_comes_back_when_saved_again() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let update = a.remove("c1", "2026-11-02T10:00:00+00:00", "Kim").unwrap();
        assert_eq!(a.remove("c1", "2026-11-02T10:00:00+00:00", "Kim"), None);
        let got = b.apply(&update).unwrap();
        assert_eq!(
            got.removed,
            [("c1".to_string(), RemovedBy::Agent("Kim".into()))]
        );
        assert!(got.cases.is_empty());
        assert!(b.cases().is_empty());
        assert_eq!(
            b.deleted_at("c1").as_deref(),
            Some("2026-11-02T10:00:00+00:00")
        );
        // Undone on A: saved again, shared again.
        a.put(&sample());
        let (_, got) = sync(&mut a, &mut b);
        assert_eq!(got.cases.len(), 1);
        assert_eq!(b.deleted_at("c1"), None);
    }

    /// Issue 32.4: a peer that deletes keys of the case map without the app's record of it is
    /// told apart (nobody's desk), and a record written before names were kept still reads.
    #[test]
    fn a_removal_without_a_desks_record_is_by_nobody_known() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let update = {
            let cases = a.doc.get_or_insert_map(CASES);
            let mut txn = a.doc.transact_mut();
            cases.remove(&mut txn, "c1");
            txn.encode_update_v1()
        };
        let got = b.apply(&update).unwrap();
        assert_eq!(got.removed, [("c1".to_string(), RemovedBy::Unknown)]);
        let old = {
            let deleted = a.doc.get_or_insert_map(DELETED);
            let mut txn = a.doc.transact_mut();
            let old = sealed(&a.seal, "deleted c1", "2026-11-02T10:00:00+00:00");
            deleted.insert(&mut txn, "c1", old);
            txn.encode_update_v1()
        };
        b.apply(&old).unwrap();
        assert_eq!(b.removed_by("c1"), RemovedBy::Unnamed);
        assert_eq!(
            b.deleted_at("c1").as_deref(),
            Some("2026-11-02T10:00:00+00:00")
        );
    }

    /// Writes a raw value part into the document, as a hostile or broken peer could.
    fn raw_part(s: &mut Shared, id: &str, part: &str, json: &str) -> Vec<u8> {
        let seal = s.seal.clone();
        raw_sealed(s, &seal, id, part, json)
    }

    /// The same, sealed with `seal` (another team's key, say).
    fn raw_sealed(s: &mut Shared, seal: &Seal, id: &str, part: &str, json: &str) -> Vec<u8> {
        let cases = s.doc.get_or_insert_map(CASES);
        let mut txn = s.doc.transact_mut();
        let map = match case_map(&txn, &cases, id) {
            Some(m) => m,
            None => cases.insert(&mut txn, id, yrs::MapPrelim::default()),
        };
        let text = sealed(seal, &place(id, part), &format!("{} - {json}", s.me));
        map.insert(&mut txn, part, text);
        txn.encode_update_v1()
    }

    /// Issue 32.6: every value from the team is checked like an import. A value past a
    /// field's limit or of the wrong type is refused part by part (named, with whose change it
    /// was), the rest of that change and later edits still arrive, and the banner never shows
    /// the refused value.
    #[test]
    fn a_hostile_value_is_refused_and_never_blocks_later_edits() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let intro = b.introduce("Lee").unwrap();
        a.apply(&intro).unwrap();
        // A changes the subject; B, apart, writes 5 MB into the description and a number
        // into the status, and changes the owner properly.
        let mut mine = read(&a, "c1");
        mine.details.subject = "Mine".into();
        a.put(&mine);
        let huge = format!("\"{}\"", "x".repeat(5_000_000));
        let u1 = raw_part(&mut b, "c1", "details.description", &huge);
        let u2 = raw_part(&mut b, "c1", "status", "42");
        let u3 = raw_part(&mut b, "c1", "details.subject", "[1,2,3]");
        let mut theirs = read(&a, "c1");
        theirs.details.owner = "Lee".into();
        let u4 = b.put(&theirs).unwrap();
        let mut got = Applied::default();
        for u in [u1, u2, u3, u4] {
            let g = a.apply(&u).unwrap();
            got.cases.extend(g.cases);
            got.unreadable.extend(g.unreadable);
            got.overwritten.extend(g.overwritten);
        }
        let now = got.cases.last().unwrap();
        assert_eq!(now.details.owner, "Lee");
        assert_eq!(now.details.description, "");
        assert_eq!(
            now.details.subject, "Mine",
            "the refused value never replaces mine"
        );
        assert_eq!(now.status, sample().status);
        assert!(got.overwritten.is_empty(), "{:?}", got.overwritten);
        let words: Vec<String> = got.unreadable.iter().map(ToString::to_string).collect();
        assert!(
            words.iter().any(|w| w
                .contains("from Lee's desk was refused: Description holds 5,000,000 characters")),
            "{words:?}"
        );
        assert!(
            words
                .iter()
                .any(|w| w.contains("its status is not a value")),
            "{words:?}"
        );
        // A later edit by B of another field still arrives.
        let mut later = read(&b, "c1");
        later.details.product = "Payments".into();
        let g = a.apply(&b.put(&later).unwrap()).unwrap();
        assert_eq!(g.cases[0].details.product, "Payments");
        assert_eq!(g.cases[0].details.owner, "Lee");
        // A case arriving whole that can't be read or is too large is refused whole, and an
        // id this app never writes is never taken.
        let bad = raw_part(&mut b, "../../escdesk:team", "status", "\"draft\"");
        let g = a.apply(&bad).unwrap();
        assert!(g.cases.is_empty());
        assert!(g.unreadable[0]
            .to_string()
            .contains("its id is not one this app writes"));
        assert!(a
            .cases()
            .iter()
            .all(|c| c.as_ref().map_or(true, |c| c.id == "c1")));
    }

    #[test]
    fn a_document_without_the_team_is_no_team() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        assert_eq!(a.team_name(), None);
        let update = a.found("Billing escalations");
        b.apply(&update).unwrap();
        assert_eq!(b.team_name().as_deref(), Some("Billing escalations"));
    }

    #[test]
    fn join_links_carry_the_server_and_key() {
        let key = "0123456789abcdef0123456789ABCDEF";
        let (server, key) = checked(" wss://team.example.com:8443/ ", key).unwrap();
        assert_eq!(server, "wss://team.example.com:8443");
        let fragment = format!("#/team?{}", join_query(&server, &key));
        assert!(!fragment.contains("//team"), "{fragment}");
        assert_eq!(read_join(&fragment), Some((server, key)));
        assert_eq!(read_join("#/team"), None);
        assert_eq!(checked("http://x", &"a".repeat(32)), Err(JoinError::Server));
        assert_eq!(checked("ws://", &"a".repeat(32)), Err(JoinError::Server));
        assert_eq!(checked("wss://x", "abc"), Err(JoinError::Key));
        assert_eq!(
            checked("ws://localhost:1234", &"g".repeat(32)),
            Err(JoinError::Key)
        );
    }

    /// Issue 32.5: `ws://` (no TLS) only to this machine's loopback.
    #[test]
    fn plain_ws_only_reaches_this_machine() {
        let key = "a".repeat(32);
        for ok in [
            "ws://127.0.0.1:1234",
            "ws://localhost",
            "ws://[::1]:1234/",
            "wss://10.0.0.5",
        ] {
            assert!(checked(ok, &key).is_ok(), "{ok}");
        }
        for (no, host) in [
            ("ws://10.0.0.5:1234", "10.0.0.5"),
            ("ws://team.example.com", "team.example.com"),
            ("ws://127.0.0.1.evil.example", "127.0.0.1.evil.example"),
            ("ws://localhost.example.com", "localhost.example.com"),
        ] {
            assert_eq!(
                checked(no, &key),
                Err(JoinError::Plain(host.into())),
                "{no}"
            );
        }
        assert!(JoinError::Plain("10.0.0.5".into())
            .to_string()
            .contains("wss://"));
    }

    /// Issue 32.5: the server holds the shape and ciphertext: no value in the document's
    /// bytes, a value moved to another case or part reads as absent, and another key's
    /// document reads as no team.
    #[test]
    fn the_document_holds_no_value_in_plain_text() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.found("Billing escalations");
        a.introduce("Kim Lee");
        let mut c = sample();
        c.details.description = "Zoë Müller, acct 4411".into();
        a.put(&c);
        a.put_playbook("{\"name\":\"Our playbook\"}");
        a.remove("c1", "2026-11-02T10:00:00+00:00", "Kim Lee");
        a.put(&c);
        let state = a.state();
        let text = String::from_utf8_lossy(&state);
        for plain in [
            "Billing",
            "Kim",
            "Müller",
            "Invoice",
            "Our playbook",
            "2026-11",
        ] {
            assert!(!text.contains(plain), "{plain} in the document");
        }
        b.apply(&state).unwrap();
        assert_eq!(read(&b, "c1").details.description, c.details.description);
        assert_eq!(b.team_name().as_deref(), Some("Billing escalations"));

        // Another team's key: nothing opens.
        let mut other = Shared::new(3, Seal::counting(&"f".repeat(32), 0));
        let got = other.apply(&state).unwrap();
        assert_eq!(other.team_name(), None);
        assert!(got.cases.is_empty() || got.cases.iter().all(|c| c.details.subject.is_empty()));

        // The server moves c1's subject into a case c2: c2 doesn't get it.
        let moved = {
            let cases = a.doc.get_or_insert_map(CASES);
            let mut txn = a.doc.transact_mut();
            let c1 = case_map(&txn, &cases, "c1").unwrap();
            let subject = c1.get(&txn, "details.subject").unwrap();
            let c2 = cases.insert(&mut txn, "c2", yrs::MapPrelim::default());
            if let Out::Any(any) = subject {
                c2.insert(&mut txn, "details.subject", any);
            }
            txn.encode_update_v1()
        };
        b.apply(&moved).unwrap();
        assert!(b
            .cases()
            .into_iter()
            .flatten()
            .all(|c| c.id != "c2" || c.details.subject.is_empty()));
    }

    /// A value sealed with another key (or altered on the way) is refused in words; the case
    /// keeps this device's version of that part and takes the rest.
    #[test]
    fn a_value_not_sealed_with_the_key_is_refused_and_the_rest_taken() {
        let (mut a, mut b) = (Shared::new(1, seal(1)), Shared::new(2, seal(2)));
        a.put(&sample());
        sync(&mut a, &mut b);
        let mut c = read(&a, "c1");
        c.details.owner = "Lee".into();
        a.put(&c);
        let stranger = Seal::counting(&"f".repeat(32), 0);
        raw_sealed(&mut a, &stranger, "c1", "details.subject", "\"Forged\"");
        let (_, got) = sync(&mut a, &mut b);
        assert_eq!(got.cases.len(), 1);
        assert_eq!(got.cases[0].details.subject, "Invoice charged twice");
        assert_eq!(got.cases[0].details.owner, "Lee");
        assert!(got.unreadable[0]
            .to_string()
            .contains("its subject was not sealed with your team's key"));
    }

    /// A document kept before values were sealed names its team in plain text: the device
    /// founds it again in the sealed room.
    #[test]
    fn a_plain_document_from_before_is_told_apart() {
        let doc = Doc::new();
        let team = doc.get_or_insert_map(TEAM);
        team.insert(&mut doc.transact_mut(), "name", "Support");
        let plain = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert_eq!(Shared::plain_team_name(&plain).as_deref(), Some("Support"));
        let mut sealed = Shared::new(1, seal(1));
        sealed.found("Support");
        assert_eq!(Shared::plain_team_name(&sealed.state()), None);
        assert_eq!(Shared::plain_team_name(b"garbage"), None);
    }

    #[test]
    fn taking_my_value_back_sets_that_part_only() {
        let c = sample();
        let back = with_part(&c, "details.subject", "\"Mine\"").unwrap();
        assert_eq!(back.details.subject, "Mine");
        assert_eq!(back.details.product, c.details.product);
        let st = with_part(&c, "status", "\"resolved\"").unwrap();
        assert_eq!(st.status, crate::core::case::Status::Resolved);
        assert_eq!(with_part(&c, "status", "\"no such status\""), None);
    }

    #[test]
    fn damaged_data_is_an_error_not_a_crash() {
        let mut s = Shared::new(1, seal(1));
        assert!(matches!(s.apply(&[1, 2, 3]), Err(TeamError::BadUpdate(_))));
        assert!(s.missing(&[255]).is_err());
        assert!(s.hear(&[0, 2, 3, 1, 2, 3]).is_err());
    }
}
