//! Named zones for native tests: chrono-tz's copy of the IANA database, sampled the way the
//! page samples the browser's (`ui/zones.rs`). Shared by `core/zone.rs`'s unit tests and the
//! integration tests, which register it with `zone::use_source`.

use chrono::{DateTime, Offset, TimeZone};

use super::Zone;

pub fn chrono_tz_zone(name: &str) -> Option<Zone> {
    let tz: chrono_tz::Tz = name.parse().ok()?;
    Zone::sampled(|t| {
        let at = DateTime::from_timestamp(t, 0)?;
        Some(i64::from(
            tz.offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc(),
        ))
    })
}
