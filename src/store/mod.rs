//! The only code that reads or writes the browser's storage.
//!
//! Layout, under a namespace prefix `ns` so two instances on one origin never meet:
//! - `ns:case:<id>`: one case, in its versioned envelope (saving a case writes only its key);
//! - `ns:index`: the next reference number of each year;
//! - `ns:playbook`: the team's playbook, when one was imported (else the built-in one);
//! - `ns:playbook-draft`: the studio's draft, edited and not yet published;
//! - `ns:playbook-version:<n>`: a published version no longer in force, kept to compare with;
//! - `ns:backup:<id>:v<n>`: the raw value of a case as it was before migration from schema n;
//! - `ns:quarantine:<what>`: a value that could not be read, kept aside untouched.
//!
//! The store is written against [`Backend`], a key-value interface: [`local::LocalBackend`]
//! is the browser's localStorage, [`memory::MemoryBackend`] is the in-memory stand-in used when
//! the browser refuses storage and by the native tests.

use chrono::{DateTime, Datelike, Utc};

use crate::core::bundle::valid_id;
use crate::core::case::{parse_reference, Case, Details};
use crate::core::migrate::{
    decode_case, decode_index, decode_pending, decode_playbook, decode_prefs, encode_case,
    encode_index, encode_pending, encode_playbook, encode_prefs, envelope_version, DecodeError,
    Index, Prefs, CASE_SCHEMA, INDEX_SCHEMA, PLAYBOOK_SCHEMA,
};
use crate::core::playbook::{validate, Playbook};

#[cfg(target_arch = "wasm32")]
pub mod local;
pub mod memory;

/// What the browser's storage can fail with, told apart because the user must act differently.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("the browser's storage for this site is full")]
    Full,
    #[error(
        "the browser doesn't let this site store data (a private window, or site data blocked)"
    )]
    Unavailable,
    #[error("the browser refused to store data ({0})")]
    Other(String),
}

impl StorageError {
    /// Reads a DOMException's name and code. Chrome and Safari say `QuotaExceededError` (code
    /// 22); older Firefox says `NS_ERROR_DOM_QUOTA_REACHED` (code 1014); a blocked storage throws
    /// `SecurityError`.
    pub fn from_dom(name: &str, code: u16, message: &str) -> StorageError {
        match (name, code) {
            ("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED", _) | (_, 22 | 1014) => {
                StorageError::Full
            }
            ("SecurityError", _) | (_, 18) => StorageError::Unavailable,
            _ => StorageError::Other(format!("{name}: {message}")),
        }
    }
}

/// A key-value storage: localStorage, or memory.
pub trait Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key, of every namespace.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error("Couldn't save: {0}.")]
    Storage(#[from] StorageError),
    /// Another tab saved this case since this tab read it.
    #[error("This case was changed in another tab.")]
    Conflict { theirs: Box<Case> },
    #[error("Read-only: {0}")]
    ReadOnly(String),
    /// Too large to be read back once stored: refused, and nothing is written.
    #[error("Couldn't save: {0}.")]
    TooLarge(#[from] crate::core::limits::TooLarge),
}

/// An imported case waiting for the person's decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Where it waits: the case's id, or `<id>#<n>` for a later file about the same case.
    pub slot: String,
    /// The file it came from, as the person named it (empty if an older version kept it).
    pub from: String,
    pub theirs: Case,
}

/// A stored value that could not be read, and where it now sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quarantined {
    /// The key it was found under.
    pub found_at: String,
    /// The key it is kept under now (the same key when moving it failed).
    pub kept_at: String,
    pub reason: String,
}

/// What loading found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    pub cases: Vec<Case>,
    pub quarantined: Vec<Quarantined>,
    /// Cases brought up from an older schema (their raw old values were backed up first).
    pub migrated: usize,
    /// Migrated cases that could not be written back (storage full): they are used from memory
    /// and migrated again next time.
    pub migration_unsaved: usize,
}

/// How much of the storage is used, in characters of key and value (browsers count the quota
/// roughly so; about 5 million characters per origin).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub ours: usize,
    pub origin: usize,
}

/// The usual localStorage quota, in characters, of current browsers.
/// How many published playbook versions are kept to compare with.
pub const KEPT_VERSIONS: usize = 20;

pub const USUAL_QUOTA: usize = 5 * 1024 * 1024;

/// What a key changed by another tab concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Case(String),
    Index,
    Playbook,
    /// The studio's draft (another tab of the console edited it).
    Draft,
    /// An import waiting for a decision was held or settled.
    Pending,
    /// Team mode was turned on or off (or joined) in another tab.
    Team,
    /// A case the team removed was kept, restored or forgotten.
    Removed,
    /// Cleared entirely (`storage` event with no key).
    Everything,
    Unrelated,
}

pub struct CaseStore {
    backend: Box<dyn Backend>,
    ns: String,
    read_only: Option<String>,
    /// The built-in playbook's zone this desk counts in, to be written with the index when the
    /// first case makes one (nothing is written before the agent writes something).
    zone: Option<String>,
}

impl CaseStore {
    pub fn new(backend: Box<dyn Backend>, ns: &str) -> CaseStore {
        CaseStore {
            backend,
            ns: ns.to_string(),
            read_only: None,
            zone: None,
        }
    }

    fn read_index(&self) -> Option<Index> {
        let raw = self.backend.get(&self.index_key()).ok()??;
        decode_index(&raw).ok().map(|d| d.value)
    }

    /// The zone the built-in playbook counts in on this desk: kept in the index once taken
    /// (`None` on a desk that never took one).
    pub fn zone(&self) -> Option<String> {
        self.read_index().and_then(|i| i.zone).or(self.zone.clone())
    }

    /// The built-in playbook's zone at a start, one read of the index: the one kept there, or
    /// else `first` (the browser's), kept from now on: written into an index that exists, else
    /// with the index the first case makes. If storage refuses it, this start still counts in it.
    pub fn first_zone(&mut self, first: impl FnOnce() -> String) -> String {
        let index = self.read_index();
        if let Some(zone) = index.as_ref().and_then(|i| i.zone.clone()) {
            return zone;
        }
        let zone = first();
        self.zone = Some(zone.clone());
        if let Some(index) = index {
            let _ = self.write_zone(index, &zone);
        }
        zone
    }

    /// Keeps `zone` as the built-in playbook's zone in place of any other (a restore's).
    pub fn keep_zone(&mut self, zone: &str) -> Result<(), SaveError> {
        self.zone = Some(zone.to_string());
        let index = self.read_index().unwrap_or_default();
        self.write_zone(index, zone)
    }

    fn write_zone(&self, mut index: Index, zone: &str) -> Result<(), SaveError> {
        self.ensure_writable()?;
        index.zone = Some(zone.to_string());
        self.backend.set(&self.index_key(), &encode_index(&index))?;
        Ok(())
    }

    pub fn namespace(&self) -> &str {
        &self.ns
    }

    /// Why this tab must not write, if it must not.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn case_key(&self, id: &str) -> String {
        format!("{}:case:{id}", self.ns)
    }

    fn index_key(&self) -> String {
        format!("{}:index", self.ns)
    }

    fn playbook_key(&self) -> String {
        format!("{}:playbook", self.ns)
    }

    /// The team's playbook, if one was imported. An unreadable or broken one is set aside
    /// (and reported) so the default applies; a newer one makes the store read-only.
    pub fn load_playbook(&mut self) -> Result<Option<Playbook>, Quarantined> {
        let key = self.playbook_key();
        let Ok(Some(raw)) = self.backend.get(&key) else {
            return Ok(None);
        };
        match read_playbook(&raw) {
            Ok(p) => Ok(Some(p)),
            Err(err @ DecodeError::Newer { .. }) => {
                self.go_read_only(&err);
                Ok(None)
            }
            Err(err) => Err(self.quarantine(&key, &raw, &err)),
        }
    }

    /// The agent's preferences; unreadable ones fall back to the defaults (they hold no work).
    pub fn load_prefs(&self) -> Prefs {
        match self.backend.get(&format!("{}:prefs", self.ns)) {
            Ok(Some(raw)) => decode_prefs(&raw).unwrap_or_default(),
            _ => Prefs::default(),
        }
    }

    pub fn save_prefs(&self, prefs: &Prefs) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend
            .set(&format!("{}:prefs", self.ns), &encode_prefs(prefs))?;
        Ok(())
    }

    /// Team mode's settings on this device, when it is on.
    pub fn load_team(&self) -> Option<crate::core::team::Settings> {
        let raw = self.backend.get(&format!("{}:team", self.ns)).ok()??;
        let value = crate::core::json::parse_value(&raw).ok()?;
        crate::core::json::FromJson::from_json(&value).ok()
    }

    /// Turns team mode on with `settings`, or off (`None`: the shared document's state goes
    /// too; every case stays).
    pub fn save_team(
        &self,
        settings: Option<&crate::core::team::Settings>,
    ) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = format!("{}:team", self.ns);
        match settings.map(crate::core::json::to_string) {
            Some(json) => self.backend.set(&key, &json)?,
            None => {
                self.backend.remove(&key)?;
                self.backend.remove(&format!("{}:team-state", self.ns))?;
                self.backend.remove(&format!("{}:team-unsent", self.ns))?;
            }
        }
        Ok(())
    }

    /// The shared document's state as the team worker last reported it. Stored packed, each
    /// byte read as one character, so the case text inside it compresses as cases do.
    pub fn load_team_state(&self) -> Option<Vec<u8>> {
        let raw = self
            .backend
            .get(&format!("{}:team-state", self.ns))
            .ok()??;
        let text = crate::core::pack::unpack(&raw, 64 << 20).ok()?;
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect()
    }

    /// Keeps the shared document's state. When storage can't take it, the older state is
    /// removed too: cases come first, and a device without a state loads the team's cases
    /// from the server (its own are shared again from storage).
    pub fn save_team_state(&self, state: &[u8]) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let text: String = state.iter().map(|b| char::from(*b)).collect();
        let key = format!("{}:team-state", self.ns);
        if let Err(e) = self.backend.set(&key, &crate::core::pack::pack(&text)) {
            let _ = self.backend.remove(&key);
            return Err(e.into());
        }
        Ok(())
    }

    /// How many of this device's changes the team's server had not confirmed when the team
    /// worker last said (0 when nothing is stored): a reload while offline starts from it.
    pub fn load_team_unsent(&self) -> u64 {
        self.backend
            .get(&format!("{}:team-unsent", self.ns))
            .ok()
            .flatten()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    pub fn save_team_unsent(&self, unsent: u64) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = format!("{}:team-unsent", self.ns);
        if unsent == 0 {
            self.backend.remove(&key)?;
        } else {
            self.backend.set(&key, &unsent.to_string())?;
        }
        Ok(())
    }

    /// Stores the team's playbook (already validated by the caller).
    pub fn save_playbook(&mut self, p: &Playbook) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend
            .set(&self.playbook_key(), &encode_playbook(p))?;
        Ok(())
    }

    /// The studio's draft: the playbook being edited and not yet published (it need not be
    /// valid). An unreadable one is set aside, as any stored value.
    pub fn load_draft(&mut self) -> Result<Option<Playbook>, Quarantined> {
        let key = format!("{}:playbook-draft", self.ns);
        let Ok(Some(raw)) = self.backend.get(&key) else {
            return Ok(None);
        };
        match decode_playbook(&raw) {
            Ok(p) => Ok(Some(p)),
            Err(err) => Err(self.quarantine(&key, &raw, &err)),
        }
    }

    /// Keeps the studio's draft (`None`: there is none any more).
    pub fn save_draft(&mut self, draft: Option<&Playbook>) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = format!("{}:playbook-draft", self.ns);
        match draft {
            Some(p) => self.backend.set(&key, &encode_playbook(p))?,
            None => self.backend.remove(&key)?,
        }
        Ok(())
    }

    /// Published versions kept to compare with (not the one in force), oldest first. An
    /// unreadable one is skipped: it only serves comparisons.
    pub fn versions(&self) -> Vec<Playbook> {
        let mut out: Vec<Playbook> = self
            .keys_of("playbook-version")
            .unwrap_or_default()
            .iter()
            .filter_map(|k| self.backend.get(k).ok().flatten())
            .filter_map(|raw| decode_playbook(&raw).ok())
            .collect();
        crate::core::sort::sort_by_key(&mut out, |p| p.version);
        out
    }

    /// Publishes: the playbook in force is kept among the versions (the newest
    /// [`KEPT_VERSIONS`] stay) and the new one is put in force. A draft is left alone (a
    /// setting saved straight into force is not the draft's publishing).
    pub fn publish(&mut self, before: &Playbook, new: &Playbook) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = |v: u32| format!("{}:playbook-version:{v:010}", self.ns);
        self.backend
            .set(&key(before.version), &encode_playbook(before))?;
        self.save_playbook(new)?;
        let old = self.keys_of("playbook-version").unwrap_or_default();
        for k in old.iter().take(old.len().saturating_sub(KEPT_VERSIONS)) {
            self.backend.remove(k)?;
        }
        Ok(())
    }

    /// Goes back to the built-in playbook.
    pub fn forget_playbook(&mut self) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend.remove(&self.playbook_key())?;
        Ok(())
    }

    fn go_read_only(&mut self, err: &DecodeError) {
        self.read_only = Some(format!(
            "the data in this browser {}. This tab shows what it can read and changes nothing; reload to use the newer version.",
            err.to_string().replacen("it was", "was", 1)
        ));
    }

    /// Reads every case of the namespace. Unreadable values are moved aside, older ones
    /// migrated (after a raw backup), newer ones left alone and the store made read-only.
    pub fn load(&mut self) -> Result<Loaded, StorageError> {
        let keys = self.case_keys()?;
        let mut loaded = self.load_keys(&keys)?;
        self.finish_load(&mut loaded);
        Ok(loaded)
    }

    /// The storage keys of every case, oldest first (ids begin with their creation time).
    pub fn case_keys(&self) -> Result<Vec<String>, StorageError> {
        self.keys_of("case")
    }

    /// The namespace's keys of one kind (`ns:<kind>:...`), sorted.
    fn keys_of(&self, kind: &str) -> Result<Vec<String>, StorageError> {
        let prefix = format!("{}:{kind}:", self.ns);
        let mut keys: Vec<String> = self
            .backend
            .keys()?
            .into_iter()
            .filter(|k| k.starts_with(&prefix))
            .collect();
        crate::core::sort::sort(&mut keys);
        Ok(keys)
    }

    /// The storage key of a case.
    pub fn key_of(&self, id: &str) -> String {
        self.case_key(id)
    }

    /// Reads some cases, as [`CaseStore::load`] does for all: a big store is read a part at a
    /// time, so the newest cases are on screen before the oldest are decoded.
    pub fn load_keys(&mut self, keys: &[String]) -> Result<Loaded, StorageError> {
        let mut loaded = Loaded::default();
        for key in keys {
            let Some(raw) = self.backend.get(key)? else {
                continue;
            };
            match decode_case(&raw) {
                Ok(decoded) => {
                    let case = decoded.value;
                    if let Some(from) = decoded.migrated_from {
                        loaded.migrated += 1;
                        if self.read_only.is_some()
                            || self.write_migrated(&case, from, &raw).is_err()
                        {
                            loaded.migration_unsaved += 1;
                        }
                    }
                    loaded.cases.push(case);
                }
                Err(err @ DecodeError::Newer { .. }) => self.go_read_only(&err),
                Err(err) => loaded.quarantined.push(self.quarantine(key, &raw, &err)),
            }
        }
        Ok(loaded)
    }

    /// The checks made once every case is read (the index).
    pub fn finish_load(&mut self, loaded: &mut Loaded) {
        self.check_index(loaded);
    }

    fn write_migrated(&self, case: &Case, from: u32, raw: &str) -> Result<(), StorageError> {
        let backup = format!("{}:backup:{}:v{from}", self.ns, case.id);
        if self.backend.get(&backup)?.is_none() {
            self.backend.set(&backup, raw)?;
        }
        // A case past today's limits stays as it was stored: read, used, not rewritten.
        match encode_case(case) {
            Ok(text) => self.backend.set(&self.case_key(&case.id), &text),
            Err(_) => Ok(()),
        }
    }

    fn check_index(&mut self, loaded: &mut Loaded) {
        let key = self.index_key();
        let raw = match self.backend.get(&key) {
            Ok(Some(raw)) => raw,
            _ => return,
        };
        match decode_index(&raw) {
            Ok(_) => {}
            Err(err @ DecodeError::Newer { .. }) => self.go_read_only(&err),
            Err(err) => loaded.quarantined.push(self.quarantine(&key, &raw, &err)),
        }
    }

    /// Moves an unreadable value to a quarantine key. If that copy can't be written, the value
    /// stays where it is: it is never deleted.
    fn quarantine(&self, key: &str, raw: &str, err: &DecodeError) -> Quarantined {
        let what = key.strip_prefix(&format!("{}:", self.ns)).unwrap_or(key);
        let mut kept_at = format!("{}:quarantine:{what}", self.ns);
        let mut n = 1;
        while matches!(self.backend.get(&kept_at), Ok(Some(_))) {
            n += 1;
            kept_at = format!("{}:quarantine:{what}:{n}", self.ns);
        }
        let moved = self.read_only.is_none()
            && self.backend.set(&kept_at, raw).is_ok()
            && self.backend.remove(key).is_ok();
        Quarantined {
            found_at: key.to_string(),
            kept_at: if moved { kept_at } else { key.to_string() },
            reason: err.to_string(),
        }
    }

    /// Every value kept aside, with its raw text, for the data screen.
    pub fn quarantined(&self) -> Result<Vec<(String, String)>, StorageError> {
        let prefix = format!("{}:quarantine:", self.ns);
        let mut out = Vec::new();
        for key in self.backend.keys()? {
            if key.starts_with(&prefix) {
                if let Some(raw) = self.backend.get(&key)? {
                    out.push((key, raw));
                }
            }
        }
        crate::core::sort::sort(&mut out);
        Ok(out)
    }

    /// Why a value kept aside couldn't be read, worked out again from its text: the reason isn't
    /// stored, and another page or a later visit lists it too.
    pub fn why_aside(&self, kept_at: &str, raw: &str) -> String {
        let what = kept_at
            .strip_prefix(&format!("{}:quarantine:", self.ns))
            .unwrap_or(kept_at);
        let err = if what.starts_with("case:") || what.starts_with("pending:") {
            decode_case(raw).err()
        } else if what.starts_with("index") {
            decode_index(raw).err()
        } else if what.starts_with("playbook") {
            read_playbook(raw).err()
        } else {
            None
        };
        err.map_or_else(|| "it couldn't be read".to_string(), |e| e.to_string())
    }

    /// Deletes a quarantined value: only on the user's explicit request.
    pub fn discard_quarantined(&self, key: &str) -> Result<(), StorageError> {
        if key.starts_with(&format!("{}:quarantine:", self.ns)) {
            self.backend.remove(key)?;
        }
        Ok(())
    }

    fn ensure_writable(&self) -> Result<(), SaveError> {
        match &self.read_only {
            Some(why) => Err(SaveError::ReadOnly(why.clone())),
            None => Ok(()),
        }
    }

    /// Opens a new case with the next reference number of the year. `known` are the cases this
    /// tab has, so a lost index never hands out a reference twice.
    pub fn create(
        &mut self,
        id: String,
        details: Details,
        known: &[Case],
        now: DateTime<Utc>,
    ) -> Result<Case, SaveError> {
        self.ensure_writable()?;
        let year = now.year();
        let mut index = match self.backend.get(&self.index_key())? {
            Some(raw) => match decode_index(&raw) {
                Ok(d) => d.value,
                Err(err @ DecodeError::Newer { .. }) => {
                    self.go_read_only(&err);
                    return Err(SaveError::ReadOnly(
                        self.read_only.clone().unwrap_or_default(),
                    ));
                }
                Err(_) => Index::default(),
            },
            None => Index::default(),
        };
        let highest_known = known
            .iter()
            .filter_map(|c| parse_reference(&c.reference))
            .filter(|(y, _)| *y == year)
            .map(|(_, seq)| seq)
            .max()
            .unwrap_or(0);
        let seq = index
            .seq
            .get(&year)
            .copied()
            .unwrap_or(0)
            .max(highest_known)
            + 1;
        let case = Case::open(id, seq, details, now);
        let saved = self.write_new(&case)?;
        index.seq.insert(year, seq);
        if index.zone.is_none() {
            index.zone = self.zone.clone();
        }
        self.backend.set(&self.index_key(), &encode_index(&index))?;
        Ok(saved)
    }

    fn write_new(&self, case: &Case) -> Result<Case, SaveError> {
        let mut saved = case.clone();
        saved.rev = case.rev + 1;
        let text = encode_case(&saved)?;
        self.backend.set(&self.case_key(&case.id), &text)?;
        Ok(saved)
    }

    /// Saves one case, writing only its own key. Refuses when another tab saved the case since
    /// `case.rev` was read: the caller lets the agent choose (see [`crate::core::merge::resolve_named`]).
    pub fn save(&mut self, case: &Case) -> Result<Case, SaveError> {
        self.ensure_writable()?;
        let key = self.case_key(&case.id);
        if let Some(raw) = self.backend.get(&key)? {
            if envelope_version(&raw).is_some_and(|v| v > CASE_SCHEMA) {
                let err = DecodeError::Newer {
                    found: envelope_version(&raw).unwrap_or_default(),
                    known: CASE_SCHEMA,
                };
                self.go_read_only(&err);
                return Err(SaveError::ReadOnly(
                    self.read_only.clone().unwrap_or_default(),
                ));
            }
            match decode_case(&raw) {
                Ok(stored) if stored.value.rev != case.rev => {
                    return Err(SaveError::Conflict {
                        theirs: Box::new(stored.value),
                    })
                }
                Ok(_) => {}
                Err(err) => {
                    let q = self.quarantine(&key, &raw, &err);
                    if q.kept_at == key {
                        return Err(SaveError::Storage(StorageError::Other(
                            "the stored copy is unreadable and could not be set aside".into(),
                        )));
                    }
                }
            }
        }
        self.write_new(case)
    }

    /// The new-case form as typed, if the agent left it unopened. Unreadable: nothing.
    pub fn load_new_case(&self) -> Option<Details> {
        let raw = self.backend.get(&format!("{}:new_case", self.ns)).ok()??;
        crate::core::migrate::decode_new_case(&raw).ok()
    }

    /// Keeps the new-case form as typed; `None` forgets it (opened, or discarded).
    pub fn keep_new_case(&self, details: Option<&Details>) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = format!("{}:new_case", self.ns);
        match details {
            Some(d) => {
                crate::core::limits::check_details(d)?;
                self.backend
                    .set(&key, &crate::core::migrate::encode_new_case(d))?
            }
            None => self.backend.remove(&key)?,
        }
        Ok(())
    }

    /// A case's small box typed and not sent yet (`box_id`: which box).
    pub fn load_note(&self, id: &str, box_id: &str) -> String {
        self.backend
            .get(&format!("{}:note:{id}:{box_id}", self.ns))
            .ok()
            .flatten()
            .and_then(|raw| crate::core::migrate::decode_note(&raw).ok())
            .unwrap_or_default()
    }

    /// Keeps a case's small box as typed; empty text forgets it.
    pub fn keep_note(&self, id: &str, box_id: &str, text: &str) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let key = format!("{}:note:{id}:{box_id}", self.ns);
        if text.trim().is_empty() {
            self.backend.remove(&key)?;
        } else {
            self.backend
                .set(&key, &crate::core::migrate::encode_note(text))?;
        }
        Ok(())
    }

    fn pending_key(&self, slot: &str) -> String {
        format!("{}:pending:{slot}", self.ns)
    }

    /// The file's version of each case an import left waiting for the person's decision: kept
    /// in storage, so leaving the Data page or reloading never drops an unanswered question.
    /// Unreadable ones are set aside like any value.
    pub fn pending(&mut self) -> Result<Vec<Pending>, StorageError> {
        let mut out = Vec::new();
        let prefix = format!("{}:pending:", self.ns);
        for key in self.keys_of("pending")? {
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            match decode_pending(&raw) {
                Ok((d, from)) => out.push(Pending {
                    slot: key.strip_prefix(&prefix).unwrap_or(&key).to_string(),
                    from,
                    theirs: d.value,
                }),
                Err(err) => {
                    self.quarantine(&key, &raw, &err);
                }
            }
        }
        Ok(out)
    }

    /// Keeps the file's version of a case until the person decides; returns its slot. A case
    /// already waiting keeps its question: another file about it waits beside it (`<id>#2`,
    /// ...), and only the same version again, or a newer file of the same name, takes the
    /// place of the one before.
    pub fn hold_pending(&mut self, theirs: &Case, from: &str) -> Result<String, SaveError> {
        self.ensure_writable()?;
        let text = encode_pending(theirs, from)?;
        let waiting: Vec<Pending> = self
            .pending()?
            .into_iter()
            .filter(|p| p.theirs.id == theirs.id)
            .collect();
        let slot = match waiting
            .iter()
            .find(|p| p.theirs == *theirs || (!from.is_empty() && p.from == from))
        {
            Some(same) => same.slot.clone(),
            None => (1..)
                .map(|n| {
                    if n == 1 {
                        theirs.id.clone()
                    } else {
                        format!("{}#{n}", theirs.id)
                    }
                })
                .find(|slot| waiting.iter().all(|p| p.slot != *slot))
                .unwrap_or_default(),
        };
        self.backend.set(&self.pending_key(&slot), &text)?;
        Ok(slot)
    }

    /// The decision for this question was taken (or the case is gone): the file's version goes.
    pub fn drop_pending(&self, slot: &str) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend.remove(&self.pending_key(slot))?;
        Ok(())
    }

    fn removed_key(&self, id: &str) -> String {
        format!("{}:removed:{id}", self.ns)
    }

    /// A case the team removed: kept among the removed cases first, then out of the list, so
    /// it is never gone from both (storage full: it stays in the list, and the error says so).
    pub fn keep_removed(&mut self, r: &crate::core::removed::Removed) -> Result<(), SaveError> {
        self.ensure_writable()?;
        let text = crate::core::migrate::encode_removed(r)?;
        self.backend.set(&self.removed_key(&r.case.id), &text)?;
        self.backend.remove(&self.case_key(&r.case.id))?;
        Ok(())
    }

    /// The cases the team removed, newest first; those kept past
    /// [`crate::core::removed::KEPT_DAYS`] are forgotten here, unreadable ones set aside.
    pub fn removed(
        &mut self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<crate::core::removed::Removed>, StorageError> {
        let mut out = Vec::new();
        for key in self.keys_of("removed")? {
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            match crate::core::migrate::decode_removed(&raw) {
                Ok(r) if crate::core::removed::expired(&r, now) => {
                    if self.read_only().is_none() {
                        self.backend.remove(&key)?;
                    }
                }
                Ok(r) => out.push(r),
                Err(err) => {
                    self.quarantine(&key, &raw, &err);
                }
            }
        }
        out.sort_by(|a, b| (b.at, &b.case.reference).cmp(&(a.at, &a.case.reference)));
        Ok(out)
    }

    /// A removed case restored (or let go): no longer kept among the removed.
    pub fn forget_removed(&self, id: &str) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend.remove(&self.removed_key(id))?;
        Ok(())
    }

    pub fn delete(&mut self, id: &str) -> Result<(), SaveError> {
        self.ensure_writable()?;
        self.backend.remove(&self.case_key(id))?;
        Ok(())
    }

    /// What a key reported by a `storage` event concerns.
    pub fn change_of(&self, key: Option<&str>) -> Change {
        let Some(key) = key else {
            return Change::Everything;
        };
        let Some(rest) = key.strip_prefix(&self.ns).and_then(|r| r.strip_prefix(':')) else {
            return Change::Unrelated;
        };
        match rest.strip_prefix("case:") {
            Some(id) if valid_id(id) => Change::Case(id.to_string()),
            Some(_) => Change::Unrelated,
            None if rest == "index" => Change::Index,
            None if rest == "playbook" => Change::Playbook,
            None if rest == "playbook-draft" => Change::Draft,
            None if rest.starts_with("pending:") => Change::Pending,
            None if rest == "team" => Change::Team,
            None if rest.starts_with("removed:") => Change::Removed,
            None => Change::Unrelated,
        }
    }

    /// Reads one case again (another tab changed it). `Ok(None)`: it was deleted there.
    pub fn reload_case(&mut self, id: &str) -> Result<Option<Case>, DecodeError> {
        let raw = match self.backend.get(&self.case_key(id)) {
            Ok(Some(raw)) => raw,
            Ok(None) => return Ok(None),
            Err(e) => return Err(DecodeError::NotJson(e.to_string())),
        };
        match decode_case(&raw) {
            Ok(d) => Ok(Some(d.value)),
            Err(err @ DecodeError::Newer { .. }) => {
                self.go_read_only(&err);
                Err(err)
            }
            Err(err) => Err(err),
        }
    }

    pub fn usage(&self) -> Result<Usage, StorageError> {
        let mut usage = Usage::default();
        let prefix = format!("{}:", self.ns);
        for key in self.backend.keys()? {
            let size = key.chars().count()
                + self
                    .backend
                    .get(&key)?
                    .map(|v| v.chars().count())
                    .unwrap_or(0);
            usage.origin += size;
            if key.starts_with(&prefix) {
                usage.ours += size;
            }
        }
        Ok(usage)
    }

    /// The schema versions this code writes, for the data screen.
    pub fn schemas() -> (u32, u32) {
        (CASE_SCHEMA, INDEX_SCHEMA)
    }
}

/// A stored playbook, read and checked: one that fails validation is as unreadable as broken
/// JSON (the first problem is the reason). A target of 0 is not among the reasons: it is refused
/// when a playbook is published or imported, but one kept from before that rule is still the
/// team's playbook, not set aside for the default.
fn read_playbook(raw: &str) -> Result<Playbook, DecodeError> {
    let p = decode_playbook(raw)?;
    let problems = validate(&p);
    match problems
        .iter()
        .find(|problem| !matches!(problem, crate::core::playbook::Problem::ZeroTarget { .. }))
    {
        None => Ok(p),
        Some(problem) => Err(DecodeError::Invalid {
            version: PLAYBOOK_SCHEMA,
            reason: problem.to_string(),
        }),
    }
}
