//! Mounts the desk (index.html). Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    escalation_desk::ui::mount();
}

/// Mounts the desk into an element of a page on the same origin (`embed.js`; see the README).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_into(element: web_sys::HtmlElement, namespace: Option<String>) {
    escalation_desk::ui::mount_into(element, namespace);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Escalation Desk runs in the browser: see README.md for the command that serves it.");
}
