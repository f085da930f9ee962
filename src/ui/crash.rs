//! What a panic shows instead of a blank page: what happened, and a link that downloads every
//! stored value of the app as it is, so nothing is lost. Built with plain DOM calls, no Leptos:
//! after a panic the reactive system can't be trusted.
//!
//! Two ways in: the panic hook, in builds where a panic runs code first (stable, dev), and the
//! page's error event for a trap of the wasm, which is what a panic is in the release build
//! (`-Cpanic=immediate-abort`: no hook runs, no message is kept) and what follows the hook in
//! the others. Whichever comes first shows the screen; the other finds it shown.

use std::cell::Cell;

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, Document, Url};

thread_local! {
    /// The element the app is mounted in, when that is not the page's body.
    static ROOT: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
    /// The crash screen is on the page (or the listeners are installed, for `LISTENING`).
    static SHOWN: Cell<bool> = const { Cell::new(false) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `start` (the app's mount) with the crash screen ready for it: in `root` (a host page's
/// element, so a crash hides and replaces only the app, never the host page) or on the page's
/// body. A trap inside `start` is caught here too: not every engine reports a trap of the
/// start-up to the page (WebKit doesn't).
pub fn guarded(root: Option<web_sys::Element>, start: impl FnOnce() + 'static) {
    if root.is_some() {
        ROOT.with(|r| *r.borrow_mut() = root);
    }
    install();
    let start = Closure::once_into_js(start);
    if start
        .unchecked_ref::<js_sys::Function>()
        .call0(&JsValue::NULL)
        .is_err()
    {
        show_once("an unexpected error");
    }
}

/// Installs the panic hook (it runs before the abort that follows a panic, in builds where a
/// panic runs code) and, once, the listener for a trap.
fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unexpected error".to_string());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        web_sys::console::error_1(&format!("Escalation Desk stopped: {message}{place}").into());
        show_once(&message);
    }));
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    // A trap reaches the page as an uncaught `WebAssembly.RuntimeError`: thrown from an event
    // handler or a task (`error`), or rejecting the start-up promise (`unhandledrejection`).
    // Other pages' errors (a host page's, when mounted) are not ours to answer.
    let on_error = Closure::<dyn Fn(JsValue)>::new(|event: JsValue| {
        let error = ["error", "reason"]
            .into_iter()
            .filter_map(|key| js_sys::Reflect::get(&event, &key.into()).ok())
            .find(|v| !v.is_undefined());
        if error.is_some_and(|e| e.is_instance_of::<js_sys::WebAssembly::RuntimeError>()) {
            show_once("an unexpected error");
        }
    });
    for kind in ["error", "unhandledrejection"] {
        let _ = window.add_event_listener_with_callback(kind, on_error.as_ref().unchecked_ref());
    }
    on_error.forget();
}

fn show_once(message: &str) {
    if SHOWN.with(|s| s.replace(true)) {
        return;
    }
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let _ = show(&document, message);
    }
}

/// Every key and value of localStorage that belongs to the app, as restorable JSON (team
/// mode's settings left out: they hold the team key).
fn dump() -> String {
    let mut values = serde_json::Map::new();
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let n = storage.length().unwrap_or(0);
        for i in 0..n {
            if let Ok(Some(key)) = storage.key(i) {
                // Team mode's key is a secret of the team's: never in a file.
                if key.ends_with(":team") {
                    continue;
                }
                if let Ok(Some(value)) = storage.get_item(&key) {
                    values.insert(key, serde_json::Value::String(value));
                }
            }
        }
    }
    let mut out = String::new();
    crate::core::json::Object::new(&mut out)
        .field("format", crate::core::bundle::RAW_FORMAT)
        .field("v", &1u32)
        .field("values", &serde_json::Value::Object(values))
        .end();
    out
}

fn show(document: &Document, message: &str) -> Result<(), JsValue> {
    let body: web_sys::Element = match ROOT.with(|r| r.borrow().clone()) {
        Some(root) => root,
        None => document.body().ok_or("no body")?.into(),
    };
    let panel = document.create_element("section")?;
    panel.set_class_name("crash");
    panel.set_attribute("role", "alert")?;
    panel.set_attribute("aria-labelledby", "crash-title")?;
    let title = document.create_element("h1")?;
    title.set_id("crash-title");
    title.set_text_content(Some("Escalation Desk stopped"));
    let text = document.create_element("p")?;
    text.set_text_content(Some(&format!(
        "Something went wrong that the app can't recover from ({message}). Your cases are still stored in this browser. Download a copy of everything now, then reload; the Data page can restore the file if it is ever needed."
    )));
    let actions = document.create_element("p")?;
    actions.set_class_name("banner-actions");
    let options = BlobPropertyBag::new();
    options.set_type("application/json");
    let parts = js_sys::Array::of1(&JsValue::from_str(&dump()));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let download = document.create_element("a")?;
    download.set_class_name("button button-primary");
    download.set_attribute("href", &Url::create_object_url_with_blob(&blob)?)?;
    download.set_attribute("download", "escalation-desk-everything.json")?;
    download.set_text_content(Some("Download everything"));
    let reload = document.create_element("a")?;
    reload.set_class_name("button");
    reload.set_attribute("href", "./")?;
    reload.set_text_content(Some("Reload the app"));
    actions.append_child(&download)?;
    actions.append_child(&reload)?;
    panel.append_child(&title)?;
    panel.append_child(&text)?;
    panel.append_child(&actions)?;
    // The rest of the page may be half-drawn: hide it, keep it in the document.
    let children = body.children();
    for i in 0..children.length() {
        if let Some(el) = children.item(i) {
            let _ = el.set_attribute("hidden", "");
        }
    }
    body.append_child(&panel)?;
    Ok(())
}
