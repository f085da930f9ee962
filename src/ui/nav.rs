//! Where the app is. When it owns the page (or its iframe) the screen is the URL fragment, so
//! deep links and reloads work; when it is mounted into an element of someone else's page, the
//! fragment belongs to that page, so the app keeps its screen to itself and its links
//! (`#/case/...`) are caught before they reach the host's address bar.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::link::Route;

#[derive(Clone, Copy)]
pub struct Nav {
    hash: RwSignal<String>,
    owns_url: bool,
}

thread_local! {
    static NAV: Cell<Option<Nav>> = const { Cell::new(None) };
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

impl Nav {
    /// The app owns the page: the screen follows the URL fragment.
    pub fn page() -> Nav {
        let nav = Nav {
            hash: RwSignal::new(location_hash()),
            owns_url: true,
        };
        let listener =
            window_event_listener_untyped("hashchange", move |_| nav.hash.set(location_hash()));
        on_cleanup(move || listener.remove());
        NAV.with(|n| n.set(Some(nav)));
        nav
    }

    /// The app lives in an element of a host page: the screen is its own.
    pub fn mounted() -> Nav {
        let nav = Nav {
            hash: RwSignal::new("#/".into()),
            owns_url: false,
        };
        NAV.with(|n| n.set(Some(nav)));
        nav
    }

    pub fn route(&self) -> Route {
        Route::parse(&self.hash.get())
    }

    pub fn hash_untracked(&self) -> String {
        self.hash.get_untracked()
    }

    /// Goes to an address of the app (`#/case/<id>?field=...`).
    pub fn go_to(&self, href: &str) {
        if self.owns_url {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(href);
            }
        } else {
            self.hash.set(href.to_string());
        }
    }

    /// A click on one of the app's own links, when mounted: handled here, not by the host page.
    pub fn catch_link(&self, ev: &web_sys::MouseEvent) {
        if self.owns_url
            || ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href^='#']").ok().flatten())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        ev.prevent_default();
        if href.starts_with("#/") {
            self.go_to(&href);
        } else {
            // In-page anchors such as the skip link: focus the target instead.
            super::focus::now(&href);
        }
    }
}

/// The app's navigation (set up when the app starts).
pub fn nav() -> Option<Nav> {
    NAV.with(Cell::get)
}

/// Goes to a screen of the app.
pub fn go(route: &Route) {
    match nav() {
        Some(nav) => nav.go_to(&route.href()),
        None => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&route.href());
            }
        }
    }
}
