//! Where the app is. When it owns the page (or its iframe) the screen is the URL fragment, so
//! deep links and reloads work; when it is mounted into an element of someone else's page, the
//! fragment belongs to that page, so the app keeps its screen to itself and its links
//! (`#/case/...`) are caught before they reach the host's address bar.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::link::{Door, Route};

#[derive(Clone, Copy)]
pub struct Nav {
    hash: RwSignal<String>,
    owns_url: bool,
}

thread_local! {
    static NAV: Cell<Option<Nav>> = const { Cell::new(None) };
    /// The page this wasm serves, and whether it lives inside a host page (an iframe or an
    /// element of it), where the other page opens in a new tab instead.
    static DOOR: Cell<(Door, bool)> = const { Cell::new((Door::Desk, false)) };
}

/// Says which page this is (set once, when the app starts).
pub fn set_door(door: Door, framed: bool) {
    DOOR.with(|d| d.set((door, framed)));
}

/// The page this is.
pub fn door() -> Door {
    DOOR.with(Cell::get).0
}

/// Whether the app lives inside a host page.
pub fn framed() -> bool {
    DOOR.with(Cell::get).1
}

/// The address of a page of the app. `window.escalationDeskPages` (`{desk, console}`) names
/// them where the pages aren't beside this one (the single-file build, the same-origin mount).
fn page_url(door: Door) -> String {
    let key = match door {
        Door::Desk => "desk",
        Door::Console => "console",
    };
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"escalationDeskPages".into()).ok())
        .and_then(|pages| js_sys::Reflect::get(&pages, &key.into()).ok())
        .and_then(|url| url.as_string())
        .unwrap_or_else(|| {
            match door {
                Door::Desk => "./",
                Door::Console => "console.html",
            }
            .to_string()
        })
}

/// The link to a screen: its fragment on this page, or the other page's address with it.
pub fn href(route: &Route) -> String {
    if route.door() == door() {
        route.href()
    } else {
        format!("{}{}", page_url(route.door()), route.href())
    }
}

/// The link to the case list showing only `ids` (the cases behind a figure), from either page.
pub fn cases_href(ids: &[String]) -> String {
    let list = crate::core::link::cases_href(ids);
    if door() == Door::Desk {
        list
    } else {
        format!("{}{list}", page_url(Door::Desk))
    }
}

/// Where a link to `route` opens: the other page opens in a new tab from inside a host page.
pub fn target(route: &Route) -> Option<&'static str> {
    (route.door() != door() && framed()).then_some("_blank")
}

/// Takes the browser to a screen of the other page (in a new tab from inside a host page);
/// `replace` leaves no entry behind, for an address that belongs to the other page.
pub fn cross(route: &Route, replace: bool) {
    cross_to(&href(route), replace);
}

/// The link to `route` on its page, with the query this address carries (an Insights period,
/// a list of cases), for an address that belongs to the other page.
pub fn href_keeping_query(route: &Route) -> String {
    if framed() {
        return href(route);
    }
    let hash = location_hash();
    match hash.split_once('?') {
        Some((_, query)) if !query.is_empty() => format!("{}?{query}", href(route)),
        _ => href(route),
    }
}

/// Takes the browser to `url`, another page of the app (see [`cross`]).
pub fn cross_to(url: &str, replace: bool) {
    let Some(w) = web_sys::window() else { return };
    let url = url.to_string();
    if framed() {
        let _ = w.open_with_url_and_target(&url, "_blank");
    } else if replace {
        let _ = w.location().replace(&url);
    } else {
        let _ = w.location().assign(&url);
    }
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

    /// Starts a page opened with no screen named at `href`: the address becomes `href` with no
    /// new history entry, and the screen follows at once (before anything else is drawn).
    pub fn start_at(&self, href: &str) {
        if self.owns_url {
            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
            }
        }
        self.hash.set(href.to_string());
    }

    /// A click on one of the app's own links, when mounted: handled here, not by the host page.
    pub fn catch_link(&self, ev: &web_sys::MouseEvent) {
        if ev.default_prevented()
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
        if !href.starts_with("#/") {
            // In-page anchors such as the skip links: focus the target. Left to the browser,
            // the fragment would become the address, and the screen "Not found".
            ev.prevent_default();
            super::focus::now(&href);
        } else if !self.owns_url {
            ev.prevent_default();
            self.go_to(&href);
        }
    }
}

/// The app's navigation (set up when the app starts).
pub fn nav() -> Option<Nav> {
    NAV.with(Cell::get)
}

/// Goes to a screen of the app.
pub fn go(route: &Route) {
    if route.door() != door() {
        return cross(route, false);
    }
    match nav() {
        Some(nav) => nav.go_to(&route.href()),
        None => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&route.href());
            }
        }
    }
}
