//! The storage rules, natively, over the in-memory backend. The same rules run against real
//! localStorage in `tests/storage_browser.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, TimeZone, Utc};
use escalation_desk::core::case::{Details, Status};
use escalation_desk::core::merge;
use escalation_desk::core::migrate::{encode_case, envelope_version, CASE_SCHEMA};
use escalation_desk::store::memory::MemoryBackend;
use escalation_desk::store::{Backend, CaseStore, Change, SaveError, StorageError};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn details(subject: &str) -> Details {
    Details {
        subject: subject.into(),
        ..Details::default()
    }
}

/// Counts what is written, to check a save writes one case and not the collection.
#[derive(Default)]
struct Counting {
    inner: MemoryBackend,
    written: RefCell<Vec<(String, usize)>>,
}

impl Backend for Counting {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.written
            .borrow_mut()
            .push((key.to_string(), value.len()));
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.inner.keys()
    }
}

/// Text that no compression shrinks much.
/// `len` steps of a fixed xorshift generator: the same noise on every run.
fn xorshift(len: usize) -> impl Iterator<Item = u32> {
    let mut x: u32 = 2_463_534_242;
    (0..len).map(move |_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    })
}

fn incompressible(len: usize) -> String {
    xorshift(len)
        .map(|x| char::from(b'a' + (x % 26) as u8))
        .collect()
}

fn store_on(backend: &Rc<impl Backend + 'static>, ns: &str) -> CaseStore {
    CaseStore::new(Box::new(backend.clone()), ns)
}

#[test]
fn cases_survive_a_reload_and_references_count_up() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let a = store
        .create("a".into(), details("First"), &[], now())
        .unwrap();
    let b = store
        .create("b".into(), details("Second"), &[], now())
        .unwrap();
    assert_eq!(a.reference, "ESC-2026-0001");
    assert_eq!(b.reference, "ESC-2026-0002");
    let loaded = store_on(&mem, "t").load().unwrap();
    assert_eq!(loaded.cases, vec![a, b]);
    assert!(loaded.quarantined.is_empty());
}

#[test]
fn reading_the_store_in_parts_reads_the_same_cases_as_reading_it_at_once() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    for i in 0..7 {
        store
            .create(format!("c{i}"), details(&format!("Case {i}")), &[], now())
            .unwrap();
    }
    mem.set("t:case:broken", "not a case").unwrap();

    let mut parts = store_on(&mem, "t");
    let keys = parts.case_keys().unwrap();
    assert_eq!(keys.len(), 8);
    let mut cases = Vec::new();
    let mut quarantined = Vec::new();
    for chunk in keys.chunks(3) {
        let loaded = parts.load_keys(chunk).unwrap();
        cases.extend(loaded.cases);
        quarantined.extend(loaded.quarantined);
    }
    assert_eq!(quarantined.len(), 1);
    let all = store_on(&mem, "t").load().unwrap();
    assert_eq!(cases, all.cases);
    assert_eq!(parts.key_of("c3"), "t:case:c3");
}

#[test]
fn a_lost_index_never_hands_out_a_reference_twice() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let a = store
        .create("a".into(), details("First"), &[], now())
        .unwrap();
    mem.remove("t:index").unwrap();
    let b = store
        .create("b".into(), details("Second"), &[a], now())
        .unwrap();
    assert_eq!(b.reference, "ESC-2026-0002");
}

#[test]
fn saving_one_case_writes_that_case_only() {
    let backend = Rc::new(Counting::default());
    let mut store = store_on(&backend, "t");
    let mut cases = Vec::new();
    for i in 0..50 {
        cases.push(
            store
                .create(format!("c{i}"), details("Same size"), &cases, now())
                .unwrap(),
        );
    }
    backend.written.borrow_mut().clear();
    let edited = cases[7].edited(details("Changed"), now()).unwrap();
    store.save(&edited).unwrap();
    let written = backend.written.borrow();
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].0, "t:case:c7");
}

#[test]
fn two_tabs_saving_one_case_is_a_conflict_not_a_silent_overwrite() {
    let mem = Rc::new(MemoryBackend::default());
    let mut tab_a = store_on(&mem, "t");
    let mut tab_b = store_on(&mem, "t");
    let case = tab_a
        .create("x".into(), details("Shared"), &[], now())
        .unwrap();

    let a_edit = case.edited(details("Edited in A"), now()).unwrap();
    let b_edit = case.transitioned(Status::Resolved, now()).unwrap();
    let saved_a = tab_a.save(&a_edit).unwrap();

    let theirs = match tab_b.save(&b_edit) {
        Err(SaveError::Conflict { theirs }) => *theirs,
        other => panic!("expected a conflict, got {other:?}"),
    };
    assert_eq!(theirs, saved_a);
    // A changed the subject, B the status: merged part by part, both stay, and so do both
    // histories; the save goes through on the stored revision.
    let mut merged = merge::resolve_named(&b_edit, &theirs, &[], merge::TABS, now()).case;
    merged.rev = theirs.rev;
    let saved_b = tab_b.save(&merged).unwrap();
    assert_eq!(saved_b.status, Status::Resolved);
    assert_eq!(saved_b.details.subject, "Edited in A");
    assert!(saved_b
        .timeline
        .iter()
        .any(|e| e.event.describe().contains("subject")));
}

#[test]
fn an_unreadable_value_is_set_aside_and_reported_never_deleted() {
    let mem = Rc::new(MemoryBackend::default());
    mem.set("t:case:broken", "{\"v\":2,\"kind\":\"case\",\"data\":{tru")
        .unwrap();
    let mut store = store_on(&mem, "t");
    let loaded = store.load().unwrap();
    assert!(loaded.cases.is_empty());
    assert_eq!(loaded.quarantined.len(), 1);
    let q = &loaded.quarantined[0];
    assert_eq!(q.found_at, "t:case:broken");
    assert_eq!(q.kept_at, "t:quarantine:case:broken");
    assert!(q.reason.contains("not valid JSON"));
    assert_eq!(
        mem.get("t:quarantine:case:broken").unwrap().as_deref(),
        Some("{\"v\":2,\"kind\":\"case\",\"data\":{tru")
    );
    assert_eq!(mem.get("t:case:broken").unwrap(), None);
    assert_eq!(store.quarantined().unwrap().len(), 1);
    // Another page, or a later visit, lists it with the same reason (it isn't stored).
    let again = store_on(&mem, "t");
    let (key, raw) = &again.quarantined().unwrap()[0];
    assert_eq!(again.why_aside(key, raw), q.reason);
}

#[test]
fn when_setting_aside_fails_the_value_stays_where_it_was() {
    let raw = "not json at all, and rather long ".repeat(10);
    let mem = Rc::new(MemoryBackend::with_quota(raw.len() + 20));
    mem.set("t:case:broken", &raw).unwrap();
    let loaded = store_on(&mem, "t").load().unwrap();
    assert_eq!(loaded.quarantined[0].kept_at, "t:case:broken");
    assert_eq!(mem.get("t:case:broken").unwrap(), Some(raw));
}

#[test]
fn an_old_value_is_backed_up_raw_then_migrated() {
    let mem = Rc::new(MemoryBackend::default());
    let v1 = r#"{"v":1,"kind":"case","data":{"id":"old","reference":"ESC-2025-0001","rev":1,
        "status":"draft","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z",
        "customer_name":"Ada","channel":"email","subject":"Old one","steps":["Tried"],
        "timeline":[]}}"#;
    mem.set("t:case:old", v1).unwrap();
    let loaded = store_on(&mem, "t").load().unwrap();
    assert_eq!(loaded.migrated, 1);
    assert_eq!(loaded.migration_unsaved, 0);
    assert_eq!(loaded.cases[0].details.customer.name, "Ada");
    assert_eq!(mem.get("t:backup:old:v1").unwrap().as_deref(), Some(v1));
    let rewritten = mem.get("t:case:old").unwrap().unwrap();
    assert_eq!(envelope_version(&rewritten), Some(CASE_SCHEMA));
}

#[test]
fn data_from_a_newer_version_makes_the_tab_read_only_and_stays_untouched() {
    let mem = Rc::new(MemoryBackend::default());
    let mut older = store_on(&mem, "t");
    let case = older
        .create("a".into(), details("Mine"), &[], now())
        .unwrap();
    let newer = r#"{"v":30,"kind":"case","data":{"whatever":"the future holds"}}"#;
    mem.set("t:case:future", newer).unwrap();

    let mut store = store_on(&mem, "t");
    let loaded = store.load().unwrap();
    assert_eq!(loaded.cases.len(), 1);
    assert!(store.read_only().unwrap().contains("newer version"));
    let edit = case.edited(details("Changed"), now()).unwrap();
    assert!(matches!(store.save(&edit), Err(SaveError::ReadOnly(_))));
    assert_eq!(mem.get("t:case:future").unwrap().as_deref(), Some(newer));
}

#[test]
fn a_save_over_a_newer_stored_case_is_refused() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let case = store
        .create("a".into(), details("Mine"), &[], now())
        .unwrap();
    let future = r#"{"v":50,"kind":"case","data":{}}"#;
    mem.set("t:case:a", future).unwrap();
    assert!(matches!(store.save(&case), Err(SaveError::ReadOnly(_))));
    assert_eq!(mem.get("t:case:a").unwrap().as_deref(), Some(future));
    assert!(store.read_only().is_some());
}

#[test]
fn a_full_storage_fails_the_save_and_keeps_the_stored_copy() {
    let mem = Rc::new(MemoryBackend::with_quota(1500));
    let mut store = store_on(&mem, "t");
    let case = store
        .create("a".into(), details("Small"), &[], now())
        .unwrap();
    let before = mem.get("t:case:a").unwrap();
    let big = case.edited(details(&incompressible(4000)), now()).unwrap();
    assert_eq!(
        store.save(&big),
        Err(SaveError::Storage(StorageError::Full))
    );
    assert_eq!(mem.get("t:case:a").unwrap(), before);
}

/// Team mode's document state never crowds out cases: when storage can't take a new state,
/// the old one goes too, and the case that didn't fit before fits now.
#[test]
fn a_team_state_that_does_not_fit_makes_room_for_cases() {
    let mem = Rc::new(MemoryBackend::with_quota(3000));
    let mut store = store_on(&mem, "t");
    let case = store
        .create("a".into(), details("Small"), &[], now())
        .unwrap();
    // Ciphertext, as the sealed document holds: every byte value, no repeats to pack.
    let noise = |n: usize| -> Vec<u8> { xorshift(n).map(|x| (x >> 8) as u8).collect() };
    let state = noise(1200);
    store.save_team_state(&state).unwrap();
    assert_eq!(store.load_team_state(), Some(state));
    let bigger = noise(6000);
    assert!(store.save_team_state(&bigger).is_err());
    assert_eq!(store.load_team_state(), None);
    let edited = case.edited(details(&incompressible(900)), now()).unwrap();
    assert!(store.save(&edited).is_ok());
}

#[test]
fn namespaces_never_meet() {
    let mem = Rc::new(MemoryBackend::default());
    store_on(&mem, "one")
        .create("a".into(), details("One"), &[], now())
        .unwrap();
    let loaded = store_on(&mem, "two").load().unwrap();
    assert!(loaded.cases.is_empty());
    assert_eq!(
        store_on(&mem, "two").change_of(Some("one:case:a")),
        Change::Unrelated
    );
}

#[test]
fn storage_events_are_read_for_what_they_concern() {
    let mem = Rc::new(MemoryBackend::default());
    let store = store_on(&mem, "t");
    assert_eq!(
        store.change_of(Some("t:case:abc")),
        Change::Case("abc".into())
    );
    assert_eq!(store.change_of(Some("t:index")), Change::Index);
    assert_eq!(store.change_of(Some("t:playbook")), Change::Playbook);
    assert_eq!(store.change_of(Some("t:playbook-draft")), Change::Draft);
    assert_eq!(
        store.change_of(Some("t:playbook-version:0000000003")),
        Change::Unrelated
    );
    assert_eq!(store.change_of(None), Change::Everything);
    assert_eq!(store.change_of(Some("t:case:../x")), Change::Unrelated);
    assert_eq!(store.change_of(Some("tt:case:abc")), Change::Unrelated);
}

#[test]
fn browser_errors_are_told_apart() {
    assert_eq!(
        StorageError::from_dom("QuotaExceededError", 22, ""),
        StorageError::Full
    );
    assert_eq!(
        StorageError::from_dom("NS_ERROR_DOM_QUOTA_REACHED", 1014, ""),
        StorageError::Full
    );
    // Old Safari private windows: quota of zero, name varies, code 22.
    assert_eq!(StorageError::from_dom("Error", 22, ""), StorageError::Full);
    assert_eq!(
        StorageError::from_dom("SecurityError", 18, "denied"),
        StorageError::Unavailable
    );
    assert!(matches!(
        StorageError::from_dom("InvalidStateError", 11, "x"),
        StorageError::Other(_)
    ));
}

#[test]
fn usage_counts_our_namespace_and_the_origin() {
    let mem = Rc::new(MemoryBackend::default());
    mem.set("other", "12345").unwrap();
    let mut store = store_on(&mem, "t");
    let case = store.create("a".into(), details("x"), &[], now()).unwrap();
    let usage = store.usage().unwrap();
    assert_eq!(usage.origin, usage.ours + "other12345".len());
    assert!(usage.ours >= encode_case(&case).unwrap().chars().count());
}

#[test]
fn an_imported_playbook_is_kept_and_a_broken_one_set_aside() {
    use escalation_desk::core::playbook::{default_playbook, Next};
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    assert_eq!(store.load_playbook(), Ok(None));
    let mut p = default_playbook();
    p.version = 7;
    store.save_playbook(&p).unwrap();
    assert_eq!(store_on(&mem, "t").load_playbook(), Ok(Some(p.clone())));

    // Kept from before targets of 0 were refused at publishing: still read, not set aside.
    let mut zero = p.clone();
    zero.levels.iter_mut().for_each(|l| {
        l.response_minutes = 0;
        l.resolution_minutes = 0;
    });
    assert!(!escalation_desk::core::playbook::validate(&zero).is_empty());
    store.save_playbook(&zero).unwrap();
    assert_eq!(store_on(&mem, "t").load_playbook(), Ok(Some(zero)));

    p.questions[0].answers[0].next = Next::Level("nowhere".into());
    store.save_playbook(&p).unwrap();
    let aside = store_on(&mem, "t").load_playbook().unwrap_err();
    assert_eq!(aside.kept_at, "t:quarantine:playbook");
    assert!(aside.reason.contains("nowhere"));
    assert_eq!(store.change_of(Some("t:playbook")), Change::Playbook);
}

#[test]
fn a_draft_survives_a_reload_and_publishing_keeps_the_version_before() {
    use escalation_desk::core::playbook::default_playbook;
    use escalation_desk::core::studio;
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let current = default_playbook();
    let mut draft = current.clone();
    // A draft need not be valid: a question nothing leads to is kept as typed.
    draft = studio::apply(&draft, &studio::add_question(&draft))
        .unwrap()
        .0;
    store.save_draft(Some(&draft)).unwrap();
    assert_eq!(
        store_on(&mem, "t").load_draft().unwrap(),
        Some(draft.clone())
    );

    let mut fixed = current.clone();
    fixed.warn_percent = 60;
    let new = studio::published(&fixed, &current, &store.versions());
    store.publish(&current, &new).unwrap();
    store.save_draft(None).unwrap();
    let mut again = store_on(&mem, "t");
    assert_eq!(again.load_draft().unwrap(), None);
    assert_eq!(again.load_playbook().unwrap(), Some(new.clone()));
    assert_eq!(again.versions(), vec![current.clone()]);
    // Publishing many times keeps only the newest versions.
    let mut before = new;
    for _ in 0..25 {
        let next = studio::published(&before, &before, &again.versions());
        again.publish(&before, &next).unwrap();
        before = next;
    }
    let kept = again.versions();
    assert_eq!(kept.len(), escalation_desk::store::KEPT_VERSIONS);
    assert_eq!(kept.last().unwrap().version + 1, before.version);
}

#[test]
fn team_modes_unsent_count_survives_a_reload_and_goes_with_team_mode() {
    let mem = Rc::new(MemoryBackend::default());
    let store = store_on(&mem, "t");
    let settings = escalation_desk::core::team::Settings {
        server: "ws://127.0.0.1:1234".into(),
        key: "0123456789abcdef0123456789abcdef".into(),
        client: 7,
        name: "Billing".into(),
        founder: true,
        agent: String::new(),
    };
    store.save_team(Some(&settings)).unwrap();
    assert_eq!(store.load_team_unsent(), 0, "nothing counted yet");
    store.save_team_unsent(3).unwrap();
    assert_eq!(store_on(&mem, "t").load_team_unsent(), 3);
    assert_eq!(
        store_on(&mem, "other").load_team_unsent(),
        0,
        "per namespace"
    );
    // All sent: nothing stays behind.
    store.save_team_unsent(0).unwrap();
    assert_eq!(mem.get("t:team-unsent").unwrap(), None);
    // Leaving team mode takes the count with the document's state.
    store.save_team_unsent(2).unwrap();
    store.save_team(None).unwrap();
    assert_eq!(store_on(&mem, "t").load_team_unsent(), 0);
    // A count that is not a number (a hand-edited store) reads as none.
    mem.set("t:team-unsent", "lots").unwrap();
    assert_eq!(store.load_team_unsent(), 0);
}

#[test]
fn a_case_too_large_to_read_back_is_never_written_and_an_older_one_still_reads() {
    use escalation_desk::core::limits::{TooLarge, CASE_MAX_BYTES, FIELD_MAX_CHARS};
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let case = store
        .create("a".into(), details("Log"), &[], now())
        .unwrap();
    let before = mem.get("t:case:a").unwrap();
    // A 5 MB log pasted into Description: refused by name, the stored case untouched.
    let mut d = details("Log");
    d.description = incompressible(5 * 1024 * 1024);
    let big = case.edited(d, now()).unwrap();
    assert!(matches!(
        store.save(&big),
        Err(SaveError::TooLarge(TooLarge::Field { ref field, .. })) if field == "Description"
    ));
    assert_eq!(mem.get("t:case:a").unwrap(), before);
    // Every field just inside its limit, but the case as a whole past its own: refused too.
    let mut d = details("Log");
    d.description = incompressible(FIELD_MAX_CHARS);
    d.evidence = incompressible(FIELD_MAX_CHARS);
    d.impact = incompressible(FIELD_MAX_CHARS);
    for field in [&mut d.expectation, &mut d.product, &mut d.owner] {
        *field = incompressible(FIELD_MAX_CHARS);
    }
    for i in 0..6 {
        d.steps.push(escalation_desk::core::case::Step {
            at: now(),
            action: incompressible(FIELD_MAX_CHARS - i),
            outcome: String::new(),
        });
    }
    let wide = case.edited(d, now()).unwrap();
    assert!(matches!(
        store.save(&wide),
        Err(SaveError::TooLarge(TooLarge::Case { bytes })) if bytes > CASE_MAX_BYTES
    ));
    assert_eq!(mem.get("t:case:a").unwrap(), before);
    // What an older version stored past today's limits (5 MB, as JSON) is read back whole.
    let mut old = case.clone();
    old.details.description = incompressible(5 * 1024 * 1024);
    let json = format!(
        r#"{{"v":{CASE_SCHEMA},"kind":"case","data":{}}}"#,
        escalation_desk::core::json::to_string(&old)
    );
    mem.set("t:case:a", &json).unwrap();
    let loaded = store_on(&mem, "t").load().unwrap();
    assert_eq!(loaded.cases.len(), 1);
    assert_eq!(loaded.cases[0].details.description.len(), 5 * 1024 * 1024);
    assert!(loaded.quarantined.is_empty());
}

#[test]
fn a_second_file_about_a_waiting_case_waits_beside_it_never_in_its_place() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let case = store
        .create("a".into(), details("Mine"), &[], now())
        .unwrap();
    let from_b = case.edited(details("B's subject"), now()).unwrap();
    let from_d = case.edited(details("D's subject"), now()).unwrap();
    assert_eq!(store.hold_pending(&from_b, "b.json").unwrap(), "a");
    assert_eq!(store.hold_pending(&from_d, "d.json").unwrap(), "a#2");
    // The same version again, or a newer file of the same name, takes its own place.
    assert_eq!(store.hold_pending(&from_b, "b-again.json").unwrap(), "a");
    let newer_d = from_d.edited(details("D's second subject"), now()).unwrap();
    assert_eq!(store.hold_pending(&newer_d, "d.json").unwrap(), "a#2");
    let waiting = store_on(&mem, "t").pending().unwrap();
    let seen: Vec<(&str, &str, &str)> = waiting
        .iter()
        .map(|w| {
            (
                w.slot.as_str(),
                w.from.as_str(),
                w.theirs.details.subject.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("a", "b-again.json", "B's subject"),
            ("a#2", "d.json", "D's second subject")
        ]
    );
    store.drop_pending("a").unwrap();
    let left = store.pending().unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].slot, "a#2");
    // What an older version kept (a plain case envelope) is read, from no file named.
    mem.set("t:pending:a", &encode_case(&from_b).unwrap())
        .unwrap();
    let all = store.pending().unwrap();
    assert_eq!(all[0].from, "");
    assert_eq!(all[0].theirs, from_b);
}

/// Issue 32.4: a case the team removed leaves the list but stays on the desk, with who and
/// when, for 30 days; a reload keeps it; restoring forgets it.
#[test]
fn a_case_the_team_removed_is_kept_thirty_days() {
    use escalation_desk::core::removed::{Removed, RemovedBy};
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    let a = store
        .create("a".into(), details("Kept"), &[], now())
        .unwrap();
    let r = Removed {
        case: a.clone(),
        by: RemovedBy::Agent("Kim".into()),
        at: now(),
    };
    store.keep_removed(&r).unwrap();
    let mut again = store_on(&mem, "t");
    assert!(again.load().unwrap().cases.is_empty());
    assert_eq!(again.removed(now()).unwrap(), vec![r.clone()]);
    assert_eq!(again.change_of(Some("t:removed:a")), Change::Removed);
    // 30 days later still there; a day more and it is forgotten.
    let later = now() + chrono::Duration::days(30);
    assert_eq!(again.removed(later).unwrap().len(), 1);
    assert!(again
        .removed(later + chrono::Duration::days(1))
        .unwrap()
        .is_empty());
    assert_eq!(mem.get("t:removed:a").unwrap(), None);
    // Unknown remover, read back as such; forgotten on restore.
    let r = Removed {
        by: RemovedBy::Unknown,
        ..r
    };
    again.keep_removed(&r).unwrap();
    assert_eq!(again.removed(now()).unwrap()[0].by, RemovedBy::Unknown);
    again.forget_removed("a").unwrap();
    assert!(again.removed(now()).unwrap().is_empty());
}

/// Issue 33.1: the built-in playbook's zone is taken once and kept with the index; nothing is
/// written for it before the first case, and a later start in another zone keeps the first.
#[test]
fn the_first_zone_is_kept_with_the_index_and_written_only_with_a_case() {
    let mem = Rc::new(MemoryBackend::default());
    let mut store = store_on(&mem, "t");
    assert_eq!(store.zone(), None);
    store.first_zone(|| "Europe/Berlin".into());
    assert!(
        mem.keys().unwrap().is_empty(),
        "nothing written before a case"
    );
    assert_eq!(store.zone().as_deref(), Some("Europe/Berlin"));
    store
        .create("a".into(), details("First"), &[], now())
        .unwrap();
    // Another start, in another zone: the first is kept.
    let mut again = store_on(&mem, "t");
    assert_eq!(again.zone().as_deref(), Some("Europe/Berlin"));
    again.first_zone(|| "America/Los_Angeles".into());
    assert_eq!(store_on(&mem, "t").zone().as_deref(), Some("Europe/Berlin"));
    // A restore that brings a zone replaces it.
    again.keep_zone("UTC").unwrap();
    assert_eq!(store_on(&mem, "t").zone().as_deref(), Some("UTC"));
    let b = again
        .create("b".into(), details("Second"), &[], now())
        .unwrap();
    assert_eq!(b.reference, "ESC-2026-0002");
    assert_eq!(store_on(&mem, "t").zone().as_deref(), Some("UTC"));
}
