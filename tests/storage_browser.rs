//! The storage layer against the browser's real localStorage, in headless Chromium
//! (wasm-bindgen-test). Each test uses its own namespace and cleans up after itself.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use escalation_desk::core::case::Details;
use escalation_desk::core::migrate::{envelope_version, CASE_SCHEMA};
use escalation_desk::store::local::LocalBackend;
use escalation_desk::store::{Backend, CaseStore, SaveError, StorageError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

fn details(subject: &str) -> Details {
    Details {
        subject: subject.into(),
        ..Details::default()
    }
}

fn store(ns: &str) -> CaseStore {
    CaseStore::new(Box::new(LocalBackend::open().expect("localStorage")), ns)
}

fn clear(ns: &str) {
    let backend = LocalBackend::open().expect("localStorage");
    for key in backend.keys().unwrap() {
        if key.starts_with(&format!("{ns}:")) || key.starts_with("filler:") {
            backend.remove(&key).unwrap();
        }
    }
}

#[wasm_bindgen_test]
fn a_case_survives_in_real_local_storage() {
    clear("w1");
    let mut s = store("w1");
    let case = s
        .create("a".into(), details("Stored for real"), &[], now())
        .unwrap();
    let raw = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("w1:case:a")
        .unwrap()
        .unwrap();
    assert_eq!(envelope_version(&raw), Some(CASE_SCHEMA));
    let loaded = store("w1").load().unwrap();
    assert_eq!(loaded.cases, vec![case]);
    clear("w1");
}

#[wasm_bindgen_test]
fn a_planted_corrupt_value_is_set_aside_untouched() {
    clear("w2");
    let backend = LocalBackend::open().unwrap();
    backend.set("w2:case:bad", "\u{0}garbage{{").unwrap();
    let loaded = store("w2").load().unwrap();
    assert_eq!(loaded.quarantined.len(), 1);
    assert_eq!(
        backend.get("w2:quarantine:case:bad").unwrap().as_deref(),
        Some("\u{0}garbage{{")
    );
    assert_eq!(backend.get("w2:case:bad").unwrap(), None);
    clear("w2");
}

#[wasm_bindgen_test]
fn filling_the_real_quota_fails_the_save_with_full_and_keeps_the_stored_copy() {
    clear("w3");
    let backend = LocalBackend::open().unwrap();
    let mut s = store("w3");
    let case = s.create("a".into(), details("Before"), &[], now()).unwrap();
    let before = backend.get("w3:case:a").unwrap();

    // Fill what is left of the quota with 256 KiB chunks, then smaller ones.
    let mut chunk = "x".repeat(256 * 1024);
    let mut n = 0;
    let mut hit = None;
    while chunk.len() >= 16 {
        match backend.set(&format!("filler:{n}"), &chunk) {
            Ok(()) => n += 1,
            Err(e) => {
                hit = Some(e);
                chunk.truncate(chunk.len() / 2);
            }
        }
    }
    assert_eq!(hit, Some(StorageError::Full));

    // Text that packing can't shrink away.
    let noise: String = (0..4096u32)
        .map(|i| char::from(b'a' + (i.wrapping_mul(2_654_435_761) >> 27) as u8 % 26))
        .collect();
    let edit = case.edited(details(&noise), now()).unwrap();
    assert_eq!(s.save(&edit), Err(SaveError::Storage(StorageError::Full)));
    assert_eq!(backend.get("w3:case:a").unwrap(), before);
    clear("w3");
    // With room again, the same edit saves.
    assert!(s.save(&edit).is_ok());
    clear("w3");
}

#[wasm_bindgen_test]
fn an_old_value_is_backed_up_and_migrated_in_real_storage() {
    clear("w4");
    let backend = LocalBackend::open().unwrap();
    let v1 = r#"{"v":1,"kind":"case","data":{"id":"o","reference":"ESC-2025-0001","rev":1,"status":"draft","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","subject":"Old","timeline":[]}}"#;
    backend.set("w4:case:o", v1).unwrap();
    let loaded = store("w4").load().unwrap();
    assert_eq!(loaded.migrated, 1);
    assert_eq!(backend.get("w4:backup:o:v1").unwrap().as_deref(), Some(v1));
    assert_eq!(
        envelope_version(&backend.get("w4:case:o").unwrap().unwrap()),
        Some(CASE_SCHEMA)
    );
    clear("w4");
}

#[wasm_bindgen_test]
fn newer_data_makes_the_store_read_only() {
    clear("w5");
    let backend = LocalBackend::open().unwrap();
    backend
        .set("w5:case:n", r#"{"v":99,"kind":"case","data":{}}"#)
        .unwrap();
    let mut s = store("w5");
    s.load().unwrap();
    assert!(s.read_only().is_some());
    assert!(matches!(
        s.create("b".into(), details("x"), &[], now()),
        Err(SaveError::ReadOnly(_))
    ));
    assert!(backend.get("w5:case:b").unwrap().is_none());
    clear("w5");
}
