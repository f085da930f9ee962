//! Every reader of outside text (stored values, restore files, addresses) on random and hostile
//! input: it answers with a value or an error, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use escalation_desk::core::bundle;
use escalation_desk::core::clock::DayTime;
use escalation_desk::core::link::Route;
use escalation_desk::core::migrate::{decode_case, decode_index, envelope_version};
use escalation_desk::core::pack::{pack, unpack};
use escalation_desk::core::zone::Zone;
use proptest::prelude::*;

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
