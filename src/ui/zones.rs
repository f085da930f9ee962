//! Time zones from the browser's own data (`Intl`): every IANA zone the browser knows, with
//! the rules its makers keep current. Registered as the core's source of named zones
//! (`core::zone::use_source`) when a page starts.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use crate::core::zone::Zone;

thread_local! {
    /// Each name is sampled once per page (about 2,700 readings of the browser's clock). A
    /// page meets one zone or two: a list, not a map.
    static KNOWN: RefCell<Vec<(String, Option<Zone>)>> = const { RefCell::new(Vec::new()) };
}

/// Makes the browser's zones the core's source of named zones.
pub fn register() {
    crate::core::zone::use_source(named);
}

/// The zone of an IANA name, as the browser keeps it; `None` for a name it doesn't know.
pub fn named(name: &str) -> Option<Zone> {
    let known = KNOWN.with(|k| {
        k.borrow()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, z)| z.clone())
    });
    if let Some(known) = known {
        return known;
    }
    let zone = match offset_formatter(name) {
        Some(f) => Zone::sampled(|t| offset_named(&f, t)),
        None => formatter(name).and_then(|f| Zone::sampled(|t| offset(&f, t))),
    };
    KNOWN.with(|k| k.borrow_mut().push((name.to_string(), zone.clone())));
    zone
}

/// The browser's own zone, as an IANA name.
pub fn browser() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// Every zone the browser knows, UTC first; just UTC and the browser's own where the browser
/// can't list them.
pub fn all() -> Vec<String> {
    let mut out = vec!["UTC".to_string()];
    let listed = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::get(&intl, &"supportedValuesOf".into()))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&JsValue::NULL, &"timeZone".into()).ok())
        .and_then(|list| list.dyn_into::<js_sys::Array>().ok());
    let mut rest: Vec<String> = match listed {
        Some(list) => list.iter().filter_map(|v| v.as_string()).collect(),
        None => browser().into_iter().collect(),
    };
    // Chromium lists some zones by their old names; a team looks for today's.
    for (old, new) in RENAMED {
        if rest.iter().any(|z| z == old)
            && !rest.iter().any(|z| z == new)
            && construct(&[("timeZone", new)]).is_some()
        {
            rest.push(new.to_string());
        }
    }
    crate::core::sort::sort(&mut rest);
    out.extend(rest.into_iter().filter(|z| z != "UTC"));
    out
}

/// Zones the IANA database renamed, which some browsers still list only by the old name.
const RENAMED: [(&str, &str); 9] = [
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Godthab", "America/Nuuk"),
    ("Atlantic/Faeroe", "Atlantic/Faroe"),
    ("Pacific/Enderbury", "Pacific/Kanton"),
];

/// A formatter writing a moment's offset in `name` ("GMT+05:30"): one short string a
/// reading, about twice as fast as the wall-clock parts; `None` where the browser lacks the
/// option or refuses the name.
fn offset_formatter(name: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    construct(&[("timeZone", name), ("timeZoneName", "longOffset")])
}

/// Seconds east of UTC, read from "GMT", "GMT+05:30" or "GMT-03:00:00" at the end of the text.
fn offset_named(f: &js_sys::Intl::DateTimeFormat, t: i64) -> Option<i64> {
    let date = js_sys::Date::new(&JsValue::from_f64(t as f64 * 1000.0));
    let text = f.format().call1(f, &date).ok()?.as_string()?;
    let rest = &text[text.rfind("GMT")? + 3..];
    if rest.trim().is_empty() {
        return Some(0);
    }
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let mut seconds = 0;
    for (i, part) in rest[rest.chars().next()?.len_utf8()..]
        .split(':')
        .enumerate()
    {
        let n: i64 = part.trim().parse().ok()?;
        seconds += n * [3600, 60, 1].get(i)?;
    }
    Some(sign * seconds)
}

/// A formatter giving a moment's wall-clock parts in `name`; `None` if the browser refuses
/// the name (a `RangeError`, caught rather than thrown through the page).
fn formatter(name: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    let mut options = vec![("timeZone", name), ("hourCycle", "h23")];
    for part in ["year", "month", "day", "hour", "minute", "second"] {
        options.push((part, "numeric"));
    }
    construct(&options)
}

/// `new Intl.DateTimeFormat("en-US", options)`, its errors caught.
fn construct(pairs: &[(&str, &str)]) -> Option<js_sys::Intl::DateTimeFormat> {
    let options = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&options, &(*k).into(), &(*v).into()).ok()?;
    }
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let class: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args = js_sys::Array::of2(&js_sys::Array::of1(&"en-US".into()), &options);
    js_sys::Reflect::construct(&class, &args)
        .ok()
        .map(JsCast::unchecked_into)
}

/// Seconds east of UTC in the formatter's zone at `t` (seconds since 1970).
fn offset(f: &js_sys::Intl::DateTimeFormat, t: i64) -> Option<i64> {
    let date = js_sys::Date::new(&JsValue::from_f64(t as f64 * 1000.0));
    let mut p = [0i64; 6];
    for part in f.format_to_parts(&date).iter() {
        let kind = js_sys::Reflect::get(&part, &"type".into())
            .ok()?
            .as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        let value = js_sys::Reflect::get(&part, &"value".into())
            .ok()?
            .as_string()?;
        p[slot] = value.trim().parse().ok()?;
    }
    let date = chrono::NaiveDate::from_ymd_opt(p[0] as i32, p[1] as u32, p[2] as u32)?;
    // Some engines write midnight as 24 even with h23.
    let wall =
        date.and_hms_opt(0, 0, 0)?.and_utc().timestamp() + (p[3] % 24) * 3600 + p[4] * 60 + p[5];
    Some(wall - t)
}
