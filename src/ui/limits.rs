//! Text past a field's limit (`core::limits`) is refused as it is typed, pasted or dropped,
//! before the browser takes it in: laid out, a few MB in a text box holds the tab for seconds,
//! and stored, it could not be read back. Lengths are read on the JavaScript side, so a 30 MB
//! paste is measured without copying it into the app.

use js_sys::{Function, JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::limits::{thousands, FIELD_MAX_CHARS};

/// Refuses the input `ev` (a `beforeinput` or `paste` on a text box) when the box would hold
/// more than [`FIELD_MAX_CHARS`]; returns what to tell the agent when it did.
pub fn refuse_oversized(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?;
    let boxed = target.dyn_ref::<web_sys::HtmlTextAreaElement>().is_some()
        || target
            .dyn_ref::<web_sys::HtmlInputElement>()
            .is_some_and(|i| {
                matches!(
                    i.type_().as_str(),
                    "text" | "search" | "email" | "tel" | "url" | ""
                )
            });
    if !boxed {
        return None;
    }
    let incoming = incoming_len(ev)?;
    let current = js_len(&Reflect::get(&target, &"value".into()).ok()?);
    let start = js_number(&target, "selectionStart").unwrap_or(current);
    let end = js_number(&target, "selectionEnd").unwrap_or(start);
    let after = current.saturating_sub(end.saturating_sub(start)) + incoming;
    if after <= FIELD_MAX_CHARS {
        return None;
    }
    ev.prevent_default();
    ev.stop_propagation();
    let limit = thousands(FIELD_MAX_CHARS);
    Some(if incoming > FIELD_MAX_CHARS {
        format!(
            "Not pasted: that text is {} characters, and a field holds at most {limit}. Attach it as a file instead and put its link in Evidence.",
            thousands(incoming)
        )
    } else {
        format!(
            "Not added: the field would hold {} characters, and a field holds at most {limit}. Shorten it, or attach the text as a file and put its link in Evidence.",
            thousands(after)
        )
    })
}

/// How many characters the event brings in: its data, or the clipboard's or the drop's text.
fn incoming_len(ev: &web_sys::Event) -> Option<usize> {
    let data = Reflect::get(ev, &"data".into()).ok();
    if let Some(text) = data.as_ref().filter(|d| d.is_string()) {
        return Some(js_len(text));
    }
    for holder in ["clipboardData", "dataTransfer"] {
        let Some(transfer) = Reflect::get(ev, &holder.into())
            .ok()
            .filter(|t| t.is_object())
        else {
            continue;
        };
        let get = Reflect::get(&transfer, &"getData".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        let text = get
            .call1(&transfer, &JsValue::from_str("text/plain"))
            .ok()?;
        return Some(js_len(&text));
    }
    None
}

fn js_len(v: &JsValue) -> usize {
    v.dyn_ref::<JsString>().map_or(0, |s| s.length() as usize)
}

fn js_number(target: &JsValue, name: &str) -> Option<usize> {
    Reflect::get(target, &name.into())
        .ok()?
        .as_f64()
        .map(|n| n.max(0.0) as usize)
}

/// After the fact, for a way in that sent no `beforeinput` (an old browser, a script): whether
/// the box of the `input` event `ev` now holds more than a field may, and what to tell.
pub fn overflowed(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?;
    let len = js_len(&Reflect::get(&target, &"value".into()).ok()?);
    (len > FIELD_MAX_CHARS).then(|| {
        format!(
            "Not kept: the field held {} characters, and a field holds at most {}. Attach long text as a file instead and put its link in Evidence.",
            thousands(len),
            thousands(FIELD_MAX_CHARS)
        )
    })
}

/// Puts `text` back in the box of the event `ev` (its refused value is dropped).
pub fn put_back(ev: &web_sys::Event, text: &str) {
    if let Some(target) = ev.target() {
        let _ = Reflect::set(&target, &"value".into(), &JsValue::from_str(text));
    }
}
