//! Keyboard shortcuts in the style of Gmail, Zendesk and Linear, and the dialog that lists
//! them (`?`). None fires while the agent types in a field, or with Ctrl, Alt or Cmd held.

use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::link::Route;

use super::focus;
use super::nav::{go, nav};

/// The shortcuts, as the help dialog lists them.
const SHORTCUTS: [(&str, &str); 8] = [
    (
        "n",
        "Do the next step of the open case (its primary button)",
    ),
    ("t", "Triage the open case"),
    ("h", "Prepare the open case's handoff"),
    ("c", "Open a new case"),
    ("/", "Search the cases"),
    ("q", "Go to the queue"),
    ("?", "Show these shortcuts"),
    (
        "Esc",
        "Leave the field you are typing in (then these keys work)",
    ),
];

/// Whether the key press belongs to a field (typing) rather than to the app.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        // A checkbox, radio or button takes no letters: the shortcuts still work there.
        return !matches!(
            input.type_().as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "range" | "color"
        );
    }
    matches!(el.tag_name().as_str(), "TEXTAREA" | "SELECT") || el.is_content_editable()
}

/// The case the screen shows, if any.
fn open_case() -> Option<String> {
    match nav()?.route() {
        Route::Case(id) | Route::Triage(id) | Route::Handoff(id) => Some(id),
        _ => None,
    }
}

fn click(selector: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|el| el.click())
        .is_some()
}

/// Listens for the shortcuts for as long as the app is mounted.
#[component]
pub fn Shortcuts() -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        // Escape leaves a field (not one in a dialog, where it closes the dialog).
        if ev.key() == "Escape" && !ev.default_prevented() && typing(&ev) {
            if let Some(el) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                .filter(|el| el.closest("dialog").ok().flatten().is_none())
            {
                let _ = el.blur();
            }
            return;
        }
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing(&ev) {
            return;
        }
        if dialog.get_untracked().is_some_and(|d| d.open()) {
            return;
        }
        let handled = match ev.key().as_str() {
            "?" => dialog
                .get_untracked()
                .map(|d| d.show_modal().is_ok())
                .unwrap_or(false),
            "/" => {
                if nav().is_some_and(|n| n.route() == Route::Cases) {
                    focus::now("#case-search");
                } else {
                    go(&Route::Cases);
                    // After the list has drawn and the new screen has placed its focus.
                    set_timeout(
                        || focus::now("#case-search"),
                        std::time::Duration::from_millis(150),
                    );
                }
                true
            }
            "c" => {
                go(&Route::NewCase);
                true
            }
            "q" => {
                go(&Route::Queue);
                true
            }
            "n" => click(".next-action"),
            "t" => open_case().map(|id| go(&Route::Triage(id))).is_some(),
            "h" => open_case().map(|id| go(&Route::Handoff(id))).is_some(),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || listener.remove());

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="keys-title">
            <h2 id="keys-title">"Keyboard shortcuts"</h2>
            <p>"Anywhere but in a field:"</p>
            <dl class="shortcuts">
                {SHORTCUTS.into_iter().map(|(key, what)| view! {
                    <dt><kbd>{key}</kbd></dt>
                    <dd>{what}</dd>
                }).collect_view()}
            </dl>
            <div class="dialog-actions">
                <button type="button" class="button button-primary" autofocus
                    on:click=move |_| { if let Some(d) = dialog.get_untracked() { d.close(); } }>
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
