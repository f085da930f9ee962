//! Where keyboard focus goes when the screen changes under it: a keyboard or screen reader
//! user must never be dropped at the top of the page because the control they used went away.

use leptos::prelude::request_animation_frame;
use wasm_bindgen::JsCast;

/// The first element matching a CSS selector, if there is one.
fn find(selector: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .map(JsCast::unchecked_into)
}

/// Focuses the first element matching a CSS selector, if there is one.
pub fn now(selector: &str) {
    if let Some(el) = find(selector) {
        let _ = el.focus();
    }
}

/// Focuses the first element that matches one of the selectors, tried in order.
pub fn first_of(selectors: &[String]) {
    if let Some(el) = selectors.iter().find_map(|s| find(s)) {
        let _ = el.focus();
    }
}

/// Focuses it once the view has updated (the next frame).
pub fn after_render(selector: &'static str) {
    request_animation_frame(move || now(selector));
}

/// [`after_render`] for a selector made at run time (a row just added).
pub fn later(selector: String) {
    request_animation_frame(move || now(&selector));
}

/// Once the view has drawn, focuses `selector`, unless the person already went to a form
/// control themselves (a quick click into another field is never overruled).
pub fn after_render_unless_typing(selector: &'static str) {
    request_animation_frame(move || {
        let typing = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if !typing {
            now(selector);
        }
    });
}

/// After a new screen has drawn (two frames), focuses `selector` unless something on the
/// screen already took focus (a link may ask for a field). Focusing it doesn't scroll the
/// header away; `to_top` (when the app owns the page) starts the new screen at the top.
pub fn if_lost_after_render(selector: &'static str, to_top: bool) {
    request_animation_frame(move || {
        request_animation_frame(move || {
            let Some(w) = web_sys::window() else { return };
            let lost = w
                .document()
                .and_then(|d| d.active_element())
                .is_none_or(|el| el.tag_name() == "BODY");
            if lost {
                if to_top {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
                if let Some(el) = find(selector) {
                    let options = web_sys::FocusOptions::new();
                    options.set_prevent_scroll(true);
                    let _ = el.focus_with_options(&options);
                }
            }
        });
    });
}
