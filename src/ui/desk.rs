//! The app's state, shared by every screen through context: the cases (as searchable rows),
//! the store, and what went wrong. Every write goes through [`Desk`], so every failure lands
//! in one place on screen.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::core::case::{Case, Details};
use crate::core::clock::{clocks, unrecorded_breaches, Hours};
use crate::core::merge::{self, Group, Side};
use crate::core::migrate::Prefs;
use crate::core::playbook::{default_playbook, Playbook};
use crate::core::query::Row;
use crate::core::removed::{Removed, RemovedBy};
use crate::core::triage;
use crate::store::local::LocalBackend;
use crate::store::memory::MemoryBackend;
use crate::store::{CaseStore, Change, Loaded, Pending, Quarantined, SaveError, StorageError};

/// The namespace of the full app's storage keys.
pub const NAMESPACE: &str = "escdesk";

/// A case whose last save failed: shown from memory until a retry succeeds.
#[derive(Clone, Debug, PartialEq)]
pub struct WriteFailure {
    pub reference: String,
    pub error: Failure,
}

/// A box typed in (the new-case form, a case's update, a reason, the close-out, a handoff
/// choice) that storage couldn't keep: held in this tab, read from here, written on retry.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldBox {
    /// The case it belongs to (empty for the new-case form).
    pub id: String,
    /// The box's name in storage (`update`, `closeout`, ...; `new_case` for the form).
    pub box_id: String,
    pub kept: Kept,
    pub error: Failure,
}

/// What a held box holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kept {
    Note(String),
    NewCase(Option<Details>),
}

impl HeldBox {
    /// The box as the agent knows it, for the banner.
    pub fn words(&self) -> String {
        let what = match self.box_id.as_str() {
            "new_case" => "the new case's form",
            "update" => "the update to the customer",
            "closeout" => "the close-out",
            "review" => "the review",
            "handoff-mask" => "the handoff's choice to mask the contact",
            "handoff-format" => "the handoff's format",
            "escalate" | "deescalate" => "the reason to change level",
            "override-reason" => "the reason to override the recommendation",
            b if b.contains("reason") => "a reason you typed",
            b if b.contains("level") => "the level chosen",
            _ => "a box you typed in",
        };
        what.to_string()
    }
}

/// Why a write failed, told apart because the agent does something different about each.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("{0}")]
    TooLarge(#[from] crate::core::limits::TooLarge),
}

/// Both versions of a case two tabs saved, and the parts both changed, for the agent to
/// choose between; everything else either tab changed is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub mine: Case,
    pub theirs: Case,
    pub groups: Vec<Group>,
}

/// Told of every write ([`Desk::watch`]).
type Watcher = Box<dyn Fn(Written)>;

/// A write [`Desk::watch`] reports.
#[derive(Clone, Copy)]
pub enum Written<'a> {
    Saved(&'a Case),
    Deleted(&'a str),
}

/// A short message read out by screen readers; `undo` brings a deleted case back.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub undo: Option<Case>,
}

#[derive(Clone, Copy)]
pub struct Desk {
    pub rows: RwSignal<Vec<Row>>,
    store: StoredValue<CaseStore, LocalStorage>,
    /// The last write that failed, while any edit is held only in memory.
    pub write_failure: RwSignal<Option<WriteFailure>>,
    /// Cases whose edits are in memory only.
    pub unsaved: RwSignal<Vec<Case>>,
    /// Boxes typed in that couldn't be kept in storage, held in this tab until they can.
    pub held_boxes: RwSignal<Vec<HeldBox>>,
    /// Set when this browser refuses storage: the app works from memory.
    pub memory_only: RwSignal<Option<StorageError>>,
    pub read_only: RwSignal<Option<String>>,
    pub quarantined: RwSignal<Vec<Quarantined>>,
    pub migrated: RwSignal<usize>,
    pub conflict: RwSignal<Option<Conflict>>,
    /// The last case whose versions from two tabs were merged: its form shows the result.
    pub resolved: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The agent's preferences (export reminder).
    pub prefs: RwSignal<Prefs>,
    /// The last case saved, for whoever reports saves (the embedding host).
    pub last_saved: RwSignal<Option<Case>>,
    /// Called with every case saved and every id deleted, at once and one by one (a
    /// restore saves many in one turn, which a signal would report as its last only).
    watchers: StoredValue<Vec<Watcher>, LocalStorage>,
    /// The playbook in force: the team's imported one, or the built-in default.
    pub playbook: RwSignal<Playbook>,
    /// Counts the times another tab changed the studio's draft.
    pub draft_changed: RwSignal<u32>,
    /// Counts the times team mode was turned on, joined or left (here or in another tab).
    pub team_changed: RwSignal<u32>,
    /// The current time, ticking, so overdue marks appear without a reload.
    pub now: RwSignal<DateTime<Utc>>,
    /// While a big store is read in parts: (cases read, cases stored).
    pub loading: RwSignal<Option<(usize, usize)>>,
    /// Keys of cases not read yet, next first.
    unread: StoredValue<Vec<String>, LocalStorage>,
    /// The file's version of each imported case that waits for the person's decision (kept
    /// in storage until they decide).
    pub pending: RwSignal<Vec<Pending>>,
    /// Cases the team removed (team mode), newest first: kept on this desk for 30 days with
    /// who removed them, never deleted outright on arrival (`core::removed`).
    pub removed: RwSignal<Vec<Removed>>,
    /// The case list's search, filters and sort, kept while the tab lives: opening a case
    /// and coming back (Back, or the Cases link) finds the list as it was left.
    pub list_query: RwSignal<crate::core::query::Query>,
}

impl Desk {
    /// Opens the browser's storage (or memory, when refused) and loads every case.
    pub fn open(namespace: &str) -> Desk {
        let (backend, memory_only): (Box<dyn crate::store::Backend>, _) = match LocalBackend::open()
        {
            Ok(local) => (Box::new(local), None),
            Err(err) => (Box::new(MemoryBackend::default()), Some(err)),
        };
        let mut store = CaseStore::new(backend, namespace);
        // A big store is read a part at a time: the newest cases (and the one a link asks
        // for) now, the rest in the background, newest first.
        let (first, rest) = match store.case_keys() {
            Ok(keys) => split_first_read(&store, keys),
            Err(_) => (Vec::new(), Vec::new()),
        };
        let (mut loaded, load_error) = match store.load_keys(&first) {
            Ok(loaded) => (loaded, None),
            Err(err) => (Loaded::default(), Some(err)),
        };
        if rest.is_empty() {
            store.finish_load(&mut loaded);
        }
        let total = first.len() + rest.len();
        let zone = store.first_zone(browser_zone);
        let playbook = match store.load_playbook() {
            Ok(p) => p.unwrap_or_else(|| built_in_playbook(&zone)),
            Err(aside) => {
                loaded.quarantined.push(aside);
                built_in_playbook(&zone)
            }
        };
        let loaded_now = loaded.cases.len();
        let pending = store.pending().unwrap_or_default();
        let removed = store.removed(Utc::now()).unwrap_or_default();
        let desk = Desk {
            pending: RwSignal::new(pending),
            removed: RwSignal::new(removed),
            list_query: RwSignal::new(Default::default()),
            loading: RwSignal::new((!rest.is_empty()).then_some((loaded_now, total))),
            unread: StoredValue::new_local(rest),
            rows: RwSignal::new(rows_of(loaded.cases, &{
                let hours = triage::hours(&playbook);
                super::time::use_team_zone(hours.zone(), &playbook.calendar.time_zone);
                hours
            })),
            write_failure: RwSignal::new(None),
            unsaved: RwSignal::new(Vec::new()),
            held_boxes: RwSignal::new(Vec::new()),
            memory_only: RwSignal::new(memory_only.or(load_error)),
            read_only: RwSignal::new(store.read_only().map(str::to_string)),
            quarantined: RwSignal::new(loaded.quarantined),
            migrated: RwSignal::new(loaded.migrated),
            conflict: RwSignal::new(None),
            resolved: RwSignal::new(None),
            notice: RwSignal::new(None),
            now: RwSignal::new(Utc::now()),
            playbook: RwSignal::new(playbook),
            draft_changed: RwSignal::new(0),
            team_changed: RwSignal::new(0),
            last_saved: RwSignal::new(None),
            watchers: StoredValue::new_local(Vec::new()),
            prefs: RwSignal::new(store.load_prefs()),
            store: StoredValue::new_local(store),
        };
        desk.read_more_later();
        desk
    }

    fn read_more_later(self) {
        if self.unread.with_value(Vec::is_empty) {
            return;
        }
        set_timeout(move || self.read_more(), std::time::Duration::ZERO);
    }

    /// Reads the next part of the store, then schedules the part after it.
    fn read_more(self) {
        let batch: Vec<String> = self
            .unread
            .try_update_value(|keys| {
                let n = keys.len().min(LATER_READ);
                keys.drain(..n).collect()
            })
            .unwrap_or_default();
        let result = self.store.try_update_value(|s| {
            let mut loaded = s.load_keys(&batch)?;
            if self.unread.with_value(Vec::is_empty) {
                s.finish_load(&mut loaded);
            }
            Ok::<_, StorageError>(loaded)
        });
        match result {
            Some(Ok(loaded)) => {
                let hours = self.hours();
                self.rows.update(|rows| {
                    let known: std::collections::HashSet<String> =
                        rows.iter().map(|r| r.case.id.clone()).collect();
                    rows.extend(
                        loaded
                            .cases
                            .into_iter()
                            .filter(|c| !known.contains(&c.id))
                            .map(|c| Row::new(c, &hours, nfd)),
                    );
                });
                self.quarantined.update(|q| q.extend(loaded.quarantined));
                self.migrated.update(|m| *m += loaded.migrated);
            }
            Some(Err(err)) => {
                self.memory_only.set(Some(err));
                self.unread.update_value(Vec::clear);
            }
            None => {}
        }
        let left = self.unread.with_value(Vec::len);
        if left == 0 {
            self.loading.set(None);
        } else {
            self.loading.update(|l| {
                if let Some((done, total)) = l {
                    *done = total.saturating_sub(left);
                }
            });
            self.read_more_later();
        }
    }

    /// Every case, for what must see all of them (export, restore): refused, with the reason in
    /// words, while a big store is still being read.
    pub fn complete_cases(&self) -> Result<Vec<Case>, String> {
        match self.loading.get_untracked() {
            Some((done, total)) => Err(format!(
                "Your cases are still being read ({done} of {total}); try again in a moment."
            )),
            None => Ok(self.all_cases()),
        }
    }

    pub fn case(&self, id: &str) -> Option<Case> {
        self.rows.with(|rows| {
            rows.iter()
                .find(|r| r.case.id == id)
                .map(|r| r.case.clone())
        })
    }

    pub fn all_cases(&self) -> Vec<Case> {
        self.rows
            .with(|rows| rows.iter().map(|r| r.case.clone()).collect())
    }

    pub fn namespace(&self) -> String {
        self.store.with_value(|s| s.namespace().to_string())
    }

    /// The team calendar of the playbook in force, ready for counting.
    pub fn hours(&self) -> Hours {
        self.playbook.with_untracked(triage::hours)
    }

    fn put(&self, case: Case) {
        let hours = self.hours();
        self.rows.update(
            |rows| match rows.iter_mut().find(|r| r.case.id == case.id) {
                Some(row) => *row = Row::new(case, &hours, nfd),
                None => rows.push(Row::new(case, &hours, nfd)),
            },
        );
    }

    /// A new playbook may bring a new calendar: due times are worked out again.
    fn set_playbook(&self, p: Playbook) {
        let hours = triage::hours(&p);
        super::time::use_team_zone(hours.zone(), &p.calendar.time_zone);
        self.playbook.set(p);
        let cases = self.all_cases();
        self.rows.set(rows_of(cases, &hours));
    }

    /// Announces an outcome in the live region.
    pub fn say(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            text: text.into(),
            undo: None,
        }));
    }

    /// Calls `f` with every case saved and every case deleted from now on, in this tab or
    /// (read from storage) another tab of this browser (team mode).
    pub fn watch(&self, f: impl Fn(Written) + 'static) {
        self.watchers.update_value(|w| w.push(Box::new(f)));
    }

    fn tell(&self, what: Written) {
        self.watchers.with_value(|w| w.iter().for_each(|f| f(what)));
    }

    fn saved(&self, case: Case) {
        self.tell(Written::Saved(&case));
        self.took(case);
    }

    /// A save done, told to no watcher (a case just taken from the team as it is there: sent
    /// back, it could reach the worker after the team deleted the case, and bring it back).
    fn took(&self, case: Case) {
        let id = case.id.clone();
        self.last_saved.set(Some(case.clone()));
        self.put(case);
        self.unsaved.update(|u| u.retain(|c| c.id != id));
        if self.unsaved.with(Vec::is_empty) {
            self.write_failure.set(None);
        }
    }

    /// Handles a failed write: the edit stays in memory and on screen, the failure is shown.
    fn failed(&self, case: Case, err: SaveError) {
        match err {
            SaveError::Conflict { theirs } => {
                // Parts only one tab changed merge by themselves; only parts both changed ask.
                let merged = merge::resolve_named(&case, &theirs, &[], merge::TABS, Utc::now());
                if merged.conflicts.is_empty() {
                    let mut both = merged.case;
                    both.rev = theirs.rev;
                    let id = both.id.clone();
                    self.save(
                        both,
                        "Saved, together with the other tab's changes to this case",
                    );
                    self.resolved.set(Some(id));
                } else {
                    self.conflict.set(Some(Conflict {
                        mine: case,
                        theirs: *theirs,
                        groups: merged.conflicts,
                    }));
                }
            }
            SaveError::ReadOnly(why) => self.read_only.set(Some(why)),
            SaveError::Storage(error) => self.hold(case, error.into()),
            SaveError::TooLarge(error) => self.hold(case, error.into()),
        }
    }

    /// Keeps a case that couldn't be written in this tab, on screen and in the banner, until a
    /// later save of it lands.
    fn hold(&self, case: Case, error: Failure) {
        self.write_failure.set(Some(WriteFailure {
            reference: case.reference.clone(),
            error,
        }));
        let held = case.clone();
        self.unsaved.update(|u| {
            u.retain(|c| c.id != held.id);
            u.push(held);
        });
        self.put(case);
    }

    /// Opens a new case; returns it when it could be created (saved, or held in memory).
    pub fn create(&self, details: Details) -> Option<Case> {
        let now = Utc::now();
        let id = new_id(now);
        let known = self.all_cases();
        let result = self
            .store
            .try_update_value(|s| s.create(id.clone(), details.clone(), &known, now));
        match result {
            Some(Ok(case)) => {
                self.say(format!("Case {} opened", case.reference));
                self.saved(case.clone());
                Some(case)
            }
            Some(Err(SaveError::Storage(error))) => {
                let seq = known.len() as u32 + 1;
                let case = Case::open(id, seq, details, now);
                self.failed(case.clone(), SaveError::Storage(error));
                Some(case)
            }
            Some(Err(SaveError::TooLarge(error))) => {
                // Nothing opened: the form keeps what was typed and the banner says why.
                self.write_failure.set(Some(WriteFailure {
                    reference: "the new case".into(),
                    error: error.into(),
                }));
                None
            }
            Some(Err(err)) => {
                self.failed(Case::open(id, 0, details, now), err);
                None
            }
            None => None,
        }
    }

    /// Saves a changed case; on a conflict the agent is asked, on a failure the edit is held.
    /// `message` is announced on success, unless it is empty (the control already says it).
    pub fn save(&self, case: Case, message: &str) {
        match self.store.try_update_value(|s| s.save(&case)) {
            Some(Ok(saved)) => {
                if !message.is_empty() {
                    self.say(message);
                }
                self.saved(saved);
            }
            Some(Err(err)) => self.failed(case, err),
            None => {}
        }
    }

    /// Records on a case's timeline the breaches its clocks show, quietly: this runs on a timer,
    /// maybe in several tabs at once, so it starts from the stored version and leaves a case
    /// alone while an edit of it is held in memory, the tab is read-only, or a save collides
    /// (the next tick tries again). Returns whether anything new was recorded.
    pub fn record_breaches(&self, id: &str, now: DateTime<Utc>) -> bool {
        let busy = self.read_only.with_untracked(Option::is_some)
            || self.conflict.with_untracked(Option::is_some)
            || self
                .unsaved
                .with_untracked(|u| u.iter().any(|c| c.id == id));
        if busy {
            return false;
        }
        let Some(Ok(Some(stored))) = self.store.try_update_value(|s| s.reload_case(id)) else {
            return false;
        };
        let hours = self.hours();
        let new = unrecorded_breaches(&stored, &clocks(&stored, &hours, now));
        let Some(recorded) = stored.with_breaches(&new, now) else {
            self.put(stored);
            return false;
        };
        match self.store.try_update_value(|s| s.save(&recorded)) {
            Some(Ok(saved)) => {
                self.saved(saved);
                true
            }
            Some(Err(SaveError::Storage(error))) => {
                self.failed(recorded, SaveError::Storage(error));
                false
            }
            _ => false,
        }
    }

    /// Saves again every edit and every box held in memory.
    pub fn retry(&self) {
        for case in self.unsaved.get_untracked() {
            self.save(case, "Saved");
        }
        let boxes = self.held_boxes.get_untracked();
        for held in &boxes {
            match &held.kept {
                Kept::Note(text) => self.keep_note(&held.id, &held.box_id, text),
                Kept::NewCase(d) => self.keep_new_case(d.as_ref()),
            }
        }
        if !boxes.is_empty() && self.held_boxes.with_untracked(Vec::is_empty) {
            self.say("What you typed is kept");
        }
    }

    /// Settles a conflict: the parts both tabs changed take this tab's values or the other's;
    /// the rest of both is kept, and so are both histories.
    pub fn resolve(&self, keep_mine: bool) {
        let Some(Conflict {
            mine,
            theirs,
            groups,
        }) = self.conflict.get_untracked()
        else {
            return;
        };
        self.conflict.set(None);
        let side = if keep_mine { Side::Mine } else { Side::Theirs };
        let choices: Vec<(Group, Side)> = groups.iter().map(|g| (*g, side)).collect();
        let mut merged =
            merge::resolve_named(&mine, &theirs, &choices, merge::TABS, Utc::now()).case;
        merged.rev = theirs.rev;
        let id = merged.id.clone();
        self.save(merged, "Saved; both histories kept");
        self.resolved.set(Some(id));
    }

    pub fn delete(&self, case: &Case) {
        match self.store.try_update_value(|s| s.delete(&case.id)) {
            Some(Ok(())) => {
                self.tell(Written::Deleted(&case.id));
                self.rows
                    .update(|rows| rows.retain(|r| r.case.id != case.id));
                self.notice.set(Some(Notice {
                    text: format!("Case {} deleted", case.reference),
                    undo: Some(case.clone()),
                }));
            }
            Some(Err(err)) => self.failed(case.clone(), err),
            None => {}
        }
    }

    /// A case the team removed: out of the list, kept among the removed cases with who
    /// removed it (never deleted outright on arrival, so no member can empty a desk).
    pub fn take_deleted(&self, id: &str, by: RemovedBy) {
        let Some(case) = self.case(id) else {
            return;
        };
        let kept = Removed {
            case: case.clone(),
            by: by.clone(),
            at: Utc::now(),
        };
        match self.store.try_update_value(|s| s.keep_removed(&kept)) {
            Some(Ok(())) => {
                self.rows.update(|rows| rows.retain(|r| r.case.id != id));
                self.removed.update(|list| {
                    list.retain(|r| r.case.id != id);
                    list.insert(0, kept);
                });
                self.notice.set(Some(Notice {
                    text: format!(
                        "Case {} {}; it is kept under “Removed by the team”",
                        case.reference,
                        by.was_deleted()
                    ),
                    undo: Some(case),
                }));
            }
            Some(Err(err)) => self.say(format!(
                "Case {} {}, but this browser couldn't keep it aside ({err}); it stays in your list.",
                case.reference,
                by.was_deleted()
            )),
            None => {}
        }
    }

    /// Brings a deleted case back exactly as it was.
    pub fn undo_delete(&self, case: Case) {
        // Its key is gone, so the save is a fresh write (and shares it with the team again).
        let reference = case.reference.clone();
        let id = case.id.clone();
        self.save(case, &format!("Case {reference} restored"));
        self.forget_removed(&id);
    }

    /// Brings back every case the team removed among `ids` (a burst's "Restore all").
    pub fn restore_removed(&self, ids: &[String]) {
        let cases: Vec<Case> = self.removed.with_untracked(|list| {
            list.iter()
                .filter(|r| ids.contains(&r.case.id))
                .map(|r| r.case.clone())
                .collect()
        });
        let count = cases.len();
        let not = self.write_restored(cases.clone());
        for case in cases
            .iter()
            .filter(|c| !not.iter().any(|(r, _)| *r == c.reference))
        {
            self.forget_removed(&case.id);
        }
        match not.len() {
            0 => self.say(format!(
                "{count} case{} restored and shared with the team again",
                if count == 1 { "" } else { "s" }
            )),
            n => self.say(format!(
                "{} of {count} cases restored; {n} not: {}",
                count - n,
                not[0].1
            )),
        }
    }

    fn forget_removed(&self, id: &str) {
        if self
            .removed
            .with_untracked(|d| d.iter().any(|r| r.case.id == id))
        {
            let _ = self.store.with_value(|s| s.forget_removed(id));
            self.removed.update(|d| d.retain(|r| r.case.id != id));
        }
    }

    fn reload_removed(&self) {
        if let Some(Ok(list)) = self.store.try_update_value(|s| s.removed(Utc::now())) {
            self.removed.set(list);
        }
    }

    /// Writes what a restore plan says, case by case; returns the cases not written (their
    /// reference and why), each held in this tab with the banner's "Try saving again".
    pub fn write_restored(&self, cases: Vec<Case>) -> Vec<(String, String)> {
        // Every case is tried: storage that is nearly full may take the smaller ones.
        let mut not = Vec::new();
        for case in cases {
            match self.store.try_update_value(|s| s.save(&case)) {
                Some(Ok(saved)) => self.saved(saved),
                Some(Err(err)) => {
                    let why = match &err {
                        SaveError::Storage(e) => e.to_string(),
                        other => other.to_string(),
                    };
                    not.push((case.reference.clone(), why));
                    self.failed(case, err);
                }
                None => not.push((case.reference.clone(), "the store is not open".into())),
            }
        }
        not
    }

    /// Another tab's save of a case replaced this tab's save of it from the same version (two
    /// tabs writing at one instant: each checked the stored revision before the other wrote,
    /// so both wrote the next one). Seen here as the other tab's version at no later revision
    /// than the one this tab saved, with something else in it: merged part by part as a
    /// conflict of two tabs, a part both changed asked. True when it was such a race.
    fn lost_a_race(&self, theirs: Case) -> bool {
        let Some(mine) = self.case(&theirs.id) else {
            return false;
        };
        if theirs.rev > mine.rev || theirs == mine {
            return false;
        }
        let merged = merge::resolve_named(&mine, &theirs, &[], merge::TABS, Utc::now());
        if merged.conflicts.is_empty() {
            let mut both = merged.case;
            both.rev = theirs.rev;
            let id = both.id.clone();
            self.save(
                both,
                "Saved, together with the other tab's changes to this case",
            );
            self.resolved.set(Some(id));
        } else {
            self.conflict.set(Some(Conflict {
                mine,
                theirs,
                groups: merged.conflicts,
            }));
        }
        true
    }

    /// Another tab changed `key`: take its version in, unless this tab holds an unsaved edit
    /// of that case (then the next save will meet the conflict and ask).
    pub fn storage_changed(&self, key: Option<String>) {
        let change = self.store.with_value(|s| s.change_of(key.as_deref()));
        match change {
            Change::Case(id) => {
                if self
                    .unsaved
                    .with_untracked(|u| u.iter().any(|c| c.id == id))
                {
                    return;
                }
                // Told to the watchers as if saved here: the tab that holds team mode's
                // connection sends what any tab of this browser saved or deleted.
                match self.store.try_update_value(|s| s.reload_case(&id)) {
                    Some(Ok(Some(case))) if !self.lost_a_race(case.clone()) => {
                        self.tell(Written::Saved(&case));
                        self.put(case);
                    }
                    Some(Ok(Some(_))) => {}
                    Some(Ok(None)) => {
                        self.tell(Written::Deleted(&id));
                        self.rows.update(|rows| rows.retain(|r| r.case.id != id));
                    }
                    Some(Err(_)) => self.reload_all(),
                    None => {}
                }
                self.read_only
                    .set(self.store.with_value(|s| s.read_only().map(str::to_string)));
            }
            Change::Playbook => self.reload_playbook(),
            Change::Draft => self.draft_changed.update(|n| *n += 1),
            Change::Team => self.team_changed.update(|n| *n += 1),
            Change::Everything => {
                self.reload_all();
                for case in self.all_cases() {
                    self.tell(Written::Saved(&case));
                }
                self.reload_playbook();
                self.reload_pending();
                self.reload_removed();
            }
            Change::Pending => self.reload_pending(),
            Change::Removed => self.reload_removed(),
            Change::Index | Change::Unrelated => {}
        }
    }

    /// Team mode's settings on this device, when it is on.
    pub fn team(&self) -> Option<crate::core::team::Settings> {
        self.store.with_value(|s| s.load_team())
    }

    /// Turns team mode on (or joins) with `settings`, or leaves it (`None`); every case stays.
    pub fn set_team(&self, settings: Option<&crate::core::team::Settings>) -> Result<(), String> {
        match self.store.with_value(|s| s.save_team(settings)) {
            Ok(()) => {
                self.team_changed.update(|n| *n += 1);
                Ok(())
            }
            Err(err) => Err(err.to_string()),
        }
    }

    pub fn team_state(&self) -> Option<Vec<u8>> {
        self.store.with_value(|s| s.load_team_state())
    }

    pub fn keep_team_state(&self, state: &[u8]) -> Result<(), String> {
        self.store
            .with_value(|s| s.save_team_state(state))
            .map_err(|e| e.to_string())
    }

    /// This device's changes the team's server had not confirmed at the worker's last word.
    pub fn team_unsent(&self) -> u64 {
        self.store.with_value(|s| s.load_team_unsent())
    }

    pub fn keep_team_unsent(&self, unsent: u64) -> Result<(), String> {
        self.store
            .with_value(|s| s.save_team_unsent(unsent))
            .map_err(|e| e.to_string())
    }

    /// A case as team mode's shared document holds it (another agent's change): stored over
    /// this browser's copy, unless an edit of it is held in memory here (the next save meets
    /// it). Returns whether anything changed.
    pub fn take_shared(&self, mut case: Case) -> bool {
        if self
            .unsaved
            .with_untracked(|u| u.iter().any(|c| c.id == case.id))
        {
            return false;
        }
        let stored = match self.store.try_update_value(|s| s.reload_case(&case.id)) {
            Some(Ok(stored)) => stored,
            _ => return false,
        };
        let mut merged_here = false;
        if let Some(s) = &stored {
            case.rev = s.rev;
            if case == *s {
                return false;
            }
            // This browser changed the case a moment ago and the team's copy doesn't have it
            // yet (it is on its way): both, and where both changed a field, this browser's.
            if s.timeline.iter().any(|e| !case.timeline.contains(e)) {
                let merged = merge::resolve_named(s, &case, &[], merge::QUIET, Utc::now());
                case = Case {
                    rev: s.rev,
                    ..merged.case
                };
                if case == *s {
                    return false;
                }
                merged_here = true;
            }
        }
        let id = case.id.clone();
        match self.store.try_update_value(|s| s.save(&case)) {
            Some(Ok(saved)) => {
                // Only what this browser added goes back to the team.
                if merged_here {
                    self.saved(saved);
                } else {
                    self.took(saved);
                }
                // Shared again by someone (a restore): no longer among the removed here.
                self.forget_removed(&id);
                true
            }
            Some(Err(err)) => {
                self.failed(case, err);
                false
            }
            None => false,
        }
    }

    /// The new-case form as the agent left it, if they did (held in this tab first).
    pub fn new_case_draft(&self) -> Option<Details> {
        let held = self.held_boxes.with_untracked(|h| {
            h.iter().find_map(|b| match &b.kept {
                Kept::NewCase(d) => Some(d.clone()),
                Kept::Note(_) => None,
            })
        });
        match held {
            Some(d) => d,
            None => self.store.with_value(|s| s.load_new_case()),
        }
    }

    /// Keeps (or, with `None`, forgets) the new-case form as typed. When storage can't, the
    /// form is held in this tab and the banner says so, with "Try saving again".
    pub fn keep_new_case(&self, details: Option<&Details>) {
        let result = self.store.with_value(|s| s.keep_new_case(details));
        self.kept_box("", "new_case", Kept::NewCase(details.cloned()), result);
    }

    /// A case's small box as the agent left it (the update to the customer, a reason): as
    /// held in this tab if storage couldn't keep it, else as stored.
    pub fn note(&self, id: &str, box_id: &str) -> String {
        let held = self.held_boxes.with_untracked(|h| {
            h.iter().find_map(|b| match &b.kept {
                Kept::Note(text) if b.id == id && b.box_id == box_id => Some(text.clone()),
                _ => None,
            })
        });
        held.unwrap_or_else(|| self.store.with_value(|s| s.load_note(id, box_id)))
    }

    /// Keeps a case's small box as typed, so leaving or reloading keeps it; empty forgets it.
    /// When storage can't, the text is held in this tab and the banner says so.
    pub fn keep_note(&self, id: &str, box_id: &str, text: &str) {
        let result = self.store.with_value(|s| s.keep_note(id, box_id, text));
        self.kept_box(id, box_id, Kept::Note(text.to_string()), result);
    }

    /// Holds a box storage refused (or lets go of one it took).
    fn kept_box(&self, id: &str, box_id: &str, kept: Kept, result: Result<(), SaveError>) {
        let error: Option<Failure> = match result {
            Ok(()) => None,
            Err(SaveError::Storage(e)) => Some(e.into()),
            Err(SaveError::TooLarge(e)) => Some(e.into()),
            // A read-only tab says so in its own banner; a box has no conflicts.
            Err(_) => None,
        };
        let is_held = self
            .held_boxes
            .with_untracked(|h| h.iter().any(|b| b.id == id && b.box_id == box_id));
        if error.is_none() && !is_held {
            return;
        }
        self.held_boxes.update(|h| {
            h.retain(|b| !(b.id == id && b.box_id == box_id));
            if let Some(error) = error {
                h.push(HeldBox {
                    id: id.to_string(),
                    box_id: box_id.to_string(),
                    kept,
                    error,
                });
            }
        });
    }

    /// Whether anything typed is held in this tab only (closing it would lose it).
    pub fn holds_anything(&self) -> bool {
        self.unsaved.with_untracked(|u| !u.is_empty())
            || self.held_boxes.with_untracked(|h| !h.is_empty())
    }

    /// A form's draft kept in a case's box as it is typed (as JSON): what was kept before, else
    /// `fresh()`. Every way out of the form keeps it; one that can't be read back (another
    /// version wrote it) is said so, and the form starts from `fresh()`.
    pub fn kept_draft<T>(
        &self,
        id: &str,
        box_id: &'static str,
        fresh: impl FnOnce() -> T,
    ) -> RwSignal<T>
    where
        T: crate::core::json::ToJson + crate::core::json::FromJson + Send + Sync + 'static,
    {
        let stored = self.note(id, box_id);
        let draft = RwSignal::new(match crate::core::json::parse::<T>(&stored) {
            Ok(kept) => kept,
            Err(_) => {
                if !stored.trim().is_empty() {
                    self.say("What was typed here before could not be read back (it may come from another version); the form starts again.");
                }
                fresh()
            }
        });
        let (desk, id) = (*self, id.to_string());
        Effect::new(move |first: Option<()>| {
            draft.track();
            if first.is_some() {
                let text = draft.with_untracked(|d| crate::core::json::to_string(d));
                desk.keep_note(&id, box_id, &text);
            }
        });
        draft
    }

    fn reload_pending(&self) {
        if let Some(Ok(p)) = self.store.try_update_value(|s| s.pending()) {
            self.pending.set(p);
        }
    }

    /// Keeps imported cases that wait for a decision, in storage and on screen; `from` names
    /// the file. A case already waiting keeps its question, and this file's waits beside it.
    pub fn hold_pending(&self, cases: Vec<Case>, from: &str) -> Result<(), String> {
        for case in cases {
            match self.store.try_update_value(|s| s.hold_pending(&case, from)) {
                Some(Err(err)) => return Err(err.to_string()),
                None => return Err("the store is not open".into()),
                Some(Ok(slot)) => self.pending.update(|p| {
                    p.retain(|w| w.slot != slot);
                    p.push(Pending {
                        slot,
                        from: from.to_string(),
                        theirs: case,
                    });
                }),
            }
        }
        Ok(())
    }

    /// The decision on an imported case was taken: that file's version is no longer kept.
    pub fn settle_pending(&self, slot: &str) {
        if let Some(Err(err)) = self.store.try_update_value(|s| s.drop_pending(slot)) {
            self.say(format!(
                "Merged, but the import's copy couldn't be removed: {err}"
            ));
        }
        self.pending.update(|p| p.retain(|w| w.slot != slot));
    }

    fn reload_all(&self) {
        match self.store.try_update_value(|s| s.load()) {
            Some(Ok(loaded)) => {
                let unsaved = self.unsaved.get_untracked();
                self.rows.set(rows_of(loaded.cases, &self.hours()));
                for case in unsaved {
                    self.put(case);
                }
                self.quarantined.update(|q| q.extend(loaded.quarantined));
            }
            Some(Err(err)) => self.memory_only.set(Some(err)),
            None => {}
        }
        self.read_only
            .set(self.store.with_value(|s| s.read_only().map(str::to_string)));
    }

    fn reload_playbook(&self) {
        match self.store.try_update_value(|s| s.load_playbook()) {
            Some(Ok(p)) => {
                self.set_playbook(p.unwrap_or_else(|| built_in_playbook(&self.built_in_zone())))
            }
            Some(Err(aside)) => {
                self.quarantined.update(|q| q.push(aside));
                self.set_playbook(built_in_playbook(&self.built_in_zone()));
            }
            None => {}
        }
    }

    /// Puts a validated playbook in force for this browser (and its other tabs).
    pub fn use_playbook(&self, p: Playbook) -> Result<(), String> {
        match self.store.try_update_value(|s| s.save_playbook(&p)) {
            Some(Ok(())) => {
                self.say(format!("Playbook “{}” v{} in use", p.name, p.version));
                self.set_playbook(p);
                Ok(())
            }
            Some(Err(err)) => Err(err.to_string()),
            None => Err("the store is not open".into()),
        }
    }

    /// The studio's draft kept in storage, if any. An unreadable one is set aside and said.
    pub fn load_draft(&self) -> Option<Playbook> {
        match self.store.try_update_value(|s| s.load_draft()) {
            Some(Ok(p)) => p,
            Some(Err(aside)) => {
                self.quarantined.update(|q| q.push(aside));
                None
            }
            None => None,
        }
    }

    /// Keeps the studio's draft as it is now (`None`: discarded).
    pub fn save_draft(&self, draft: Option<&Playbook>) -> Result<(), String> {
        match self.store.try_update_value(|s| s.save_draft(draft)) {
            Some(r) => r.map_err(|e| e.to_string()),
            None => Err("the store is not open".into()),
        }
    }

    /// Published versions kept to compare with, oldest first.
    pub fn versions(&self) -> Vec<Playbook> {
        self.store.with_value(|s| s.versions())
    }

    /// Puts a validated draft in force as the next version, keeping the one before.
    pub fn publish(&self, new: Playbook) -> Result<(), String> {
        let before = self.playbook.get_untracked();
        match self.store.try_update_value(|s| s.publish(&before, &new)) {
            Some(Ok(())) => {
                self.say(format!(
                    "Playbook “{}” v{} published",
                    new.name, new.version
                ));
                self.set_playbook(new);
                Ok(())
            }
            Some(Err(err)) => Err(err.to_string()),
            None => Err("the store is not open".into()),
        }
    }

    /// A restore onto a desk with no cases and the built-in playbook takes the file's team
    /// zone (a backup brought to a new browser counts as it did); `false` when the desk keeps
    /// its own (a published playbook, the same zone, or a name no source knows).
    pub fn take_zone_of_restore(&self, zone: &str) -> bool {
        let built_in = matches!(
            self.store.try_update_value(|s| s.load_playbook()),
            Some(Ok(None))
        );
        if !built_in
            || self.built_in_zone() == zone
            || crate::core::zone::Zone::parse(zone).is_err()
        {
            return false;
        }
        if let Some(Err(err)) = self.store.try_update_value(|s| s.keep_zone(zone)) {
            self.say(format!("The file's time zone couldn't be kept: {err}"));
            return false;
        }
        self.set_playbook(built_in_playbook(zone));
        true
    }

    /// The zone the built-in playbook counts in on this desk.
    fn built_in_zone(&self) -> String {
        self.store
            .with_value(|s| s.zone())
            .unwrap_or_else(|| "UTC".to_string())
    }

    pub fn reset_playbook(&self) -> Result<(), String> {
        match self.store.try_update_value(|s| s.forget_playbook()) {
            Some(Ok(())) => {
                self.set_playbook(built_in_playbook(&self.built_in_zone()));
                self.say("The built-in playbook is in use");
                Ok(())
            }
            Some(Err(err)) => Err(err.to_string()),
            None => Err("the store is not open".into()),
        }
    }

    /// Keeps new preferences; says so on screen if they can't be stored.
    pub fn set_prefs(&self, prefs: Prefs) {
        if let Some(Err(err)) = self.store.try_update_value(|s| s.save_prefs(&prefs)) {
            self.say(format!("Couldn't keep the setting: {err}"));
        }
        self.prefs.set(prefs);
    }

    pub fn usage(&self) -> Result<crate::store::Usage, StorageError> {
        self.store.with_value(|s| s.usage())
    }

    /// Every value kept aside: its key, its text and why it couldn't be read.
    pub fn quarantined_values(&self) -> Vec<(String, String, String)> {
        self.store.with_value(|s| {
            s.quarantined()
                .unwrap_or_default()
                .into_iter()
                .map(|(key, raw)| {
                    let why = s.why_aside(&key, &raw);
                    (key, raw, why)
                })
                .collect()
        })
    }

    pub fn discard_quarantined(&self, key: &str) -> Result<(), StorageError> {
        self.store.with_value(|s| s.discard_quarantined(key))?;
        self.quarantined.update(|q| q.retain(|v| v.kept_at != key));
        Ok(())
    }
}

/// Cases read before the first screen; the rest follow in parts of [`LATER_READ`].
const FIRST_READ: usize = 60;
const LATER_READ: usize = 400;

/// The keys to read before the first screen (the newest cases, and the one the address names)
/// and the rest, newest first.
fn split_first_read(store: &CaseStore, mut keys: Vec<String>) -> (Vec<String>, Vec<String>) {
    let linked = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| match crate::core::link::Route::parse(&h) {
            crate::core::link::Route::Case(id)
            | crate::core::link::Route::Triage(id)
            | crate::core::link::Route::Handoff(id) => Some(store.key_of(&id)),
            _ => None,
        });
    let split = keys.len().saturating_sub(FIRST_READ);
    let mut first = keys.split_off(split);
    let mut rest = keys;
    if let Some(key) = linked {
        if let Some(at) = rest.iter().position(|k| *k == key) {
            first.push(rest.remove(at));
        }
    }
    rest.reverse();
    (first, rest)
}

/// The built-in playbook, its calendar in the zone this desk keeps for it (a team sharing a
/// playbook file names its own).
pub fn built_in_playbook(zone: &str) -> Playbook {
    let mut p = default_playbook();
    p.calendar.time_zone = zone.to_string();
    p
}

/// The zone a desk's first start keeps for the built-in playbook: the browser's (UTC where the
/// browser names none it knows). From then on the clocks stay in it whatever the browser says.
fn browser_zone() -> String {
    super::zones::browser()
        .filter(|z| crate::core::zone::Zone::parse(z).is_ok())
        .unwrap_or_else(|| "UTC".to_string())
}

fn rows_of(cases: Vec<Case>, hours: &Hours) -> Vec<Row> {
    cases.into_iter().map(|c| Row::new(c, hours, nfd)).collect()
}

/// Unicode's canonical decomposition, the browser's own: what the search folds accents with
/// (`core::letter_case::folded`).
pub fn nfd(s: &str) -> String {
    String::from(js_sys::JsString::from(s).normalize("NFD"))
}

/// A unique id: the time in milliseconds and 40 random bits, in base 36.
fn new_id(now: DateTime<Utc>) -> String {
    let random = (js_sys::Math::random() * (1u64 << 40) as f64) as u64;
    format!(
        "{}-{}",
        base36(now.timestamp_millis().max(0) as u64),
        base36(random)
    )
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
