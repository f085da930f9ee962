//! The user interface: one module per screen, on top of [`desk::Desk`], the shared state.

mod alerts;
mod badges;
mod case_form;
mod case_list;
mod conflict;
mod crash;
mod data;
mod deadlines;
pub mod desk;
mod embed;
mod files;
mod focus;
mod handoff;
mod keys;
mod nav;
mod notices;
mod offline;
mod pending;
mod playbook;
mod queue;
mod time;
mod timeline;
mod triage;

use std::time::Duration;

use leptos::prelude::*;

use crate::core::link::Route;
use desk::{Desk, NAMESPACE};

/// Mounts the app on the page's body, unless the page asked to mount it itself (the
/// same-origin snippet of the README sets `window.escalationDeskDeferMount` and calls
/// [`mount_into`]).
pub fn mount() {
    crash::install();
    let deferred = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"escalationDeskDeferMount".into()).ok())
        .is_some_and(|v| v.is_truthy());
    if !deferred {
        leptos::mount::mount_to_body(|| view! { <App mounted=None/> });
    }
    // The loading frame of index.html has done its job.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

/// Mounts the app into an element of a page on the same origin, with its own storage
/// namespace (lowercase letters, digits and dashes; anything else falls back to the default
/// embedded one). Exported for `embed.js`; see the README.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount_into(element: web_sys::HtmlElement, namespace: Option<String>) {
    crash::install_in(element.clone().into());
    let _ = element.class_list().add_2("escdesk-mounted", "embedded");
    let ns = crate::core::embed::namespace(namespace.as_deref());
    leptos::mount::mount_to(element, move || view! { <App mounted=Some(ns)/> }).forget();
}

/// `mounted`: the storage namespace when the app lives in an element of a host page.
#[component]
fn App(mounted: Option<String>) -> impl IntoView {
    let is_mounted = mounted.is_some();
    let embedded = !is_mounted && embed::requested();
    let desk = Desk::open(&match &mounted {
        Some(ns) => ns.clone(),
        None if embedded => embed::storage_namespace(),
        None => NAMESPACE.to_string(),
    });
    provide_context(desk);
    if embedded {
        provide_context(embed::Embed::start(desk));
    }
    provide_context(offline::Offline::start(!is_mounted));
    provide_context(alerts::Alerts::start(desk));
    let nav = if is_mounted {
        nav::Nav::mounted()
    } else {
        nav::Nav::page()
    };

    // A receiving tier's home is the queue, when they asked for it and no other page was asked.
    if desk.prefs.with_untracked(|p| p.queue_home) {
        let h = nav.hash_untracked();
        if h.is_empty() || h == "#" || h == "#/" {
            nav.go_to(&Route::Queue.href());
        }
    }

    let route = Memo::new(move |_| nav.route());
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        desk.storage_changed(ev.key());
    });
    on_cleanup(move || on_storage.remove());
    set_interval(
        move || desk.now.set(chrono::Utc::now()),
        Duration::from_secs(30),
    );

    // A new screen takes focus to its main region (not on first load), so keyboard and screen
    // reader users start reading it from the top instead of from a control that is gone.
    Effect::new(move |first: Option<()>| {
        route.track();
        if first.is_some() {
            focus::if_lost_after_render("#main");
        }
    });

    // The title names the screen.
    Effect::new(move || {
        let title = match route.get() {
            Route::Cases => "Cases".to_string(),
            Route::Queue => "Queue".to_string(),
            Route::NewCase => "New case".to_string(),
            Route::Case(id) => desk
                .case(&id)
                .map(|c| c.reference)
                .unwrap_or_else(|| "Case".into()),
            Route::Triage(id) => format!(
                "Triage {}",
                desk.case(&id).map(|c| c.reference).unwrap_or_default()
            ),
            Route::Handoff(id) => format!(
                "Handoff {}",
                desk.case(&id).map(|c| c.reference).unwrap_or_default()
            ),
            Route::Playbook => "Playbook".to_string(),
            Route::Data => "Your data".to_string(),
            Route::Unknown(_) | Route::CrashTest => "Not found".to_string(),
        };
        // A host page's title is its own.
        if let (false, Some(doc)) = (is_mounted, web_sys::window().and_then(|w| w.document())) {
            doc.set_title(&format!("{title} · Escalation Desk"));
        }
    });

    view! {
        <div class="app" on:click=move |ev| nav.catch_link(&ev)>
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <a class="brand" href="#/">
                <span class="brand-mark" aria-hidden="true">"ED"</span>
                <span class="brand-name">"Escalation Desk"</span>
            </a>
            {embedded.then(|| view! {
                <a class="embed-full" href="./" target="_blank" rel="noopener">"Open in full app"</a>
            })}
            <nav aria-label="Main">
                <ul class="nav-list">
                    <NavLink route to=Route::Cases label="Cases"/>
                    <NavLink route to=Route::Queue label="Queue"/>
                    <NavLink route to=Route::NewCase label="New case"/>
                    <NavLink route to=Route::Playbook label="Playbook"/>
                    <NavLink route to=Route::Data label="Data"/>
                </ul>
            </nav>
        </header>
        <notices::Banners/>
        <pending::PendingBanner/>
        <alerts::AlertBanner/>
        <main id="main" tabindex="-1">
            {move || match route.get() {
                Route::Cases => view! { <case_list::CaseList/> }.into_any(),
                Route::Queue => view! { <queue::QueueScreen/> }.into_any(),
                Route::NewCase => view! { <case_form::NewCase/> }.into_any(),
                Route::Case(id) => view! { <case_form::CaseScreen id/> }.into_any(),
                Route::Triage(id) => view! { <triage::TriageScreen id/> }.into_any(),
                Route::Handoff(id) => view! { <handoff::HandoffScreen id/> }.into_any(),
                Route::Playbook => view! { <playbook::PlaybookScreen/> }.into_any(),
                Route::Data => view! { <data::DataScreen/> }.into_any(),
                Route::Unknown(path) => view! { <NotFound path/> }.into_any(),
                Route::CrashTest => panic!("the crash screen's self-test (#/crash-test)"),
            }}
        </main>
        <conflict::ConflictDialog/>
        // In a host page's element, single keys belong to the host page.
        {(!is_mounted).then(|| view! { <keys::Shortcuts/> })}
        <notices::Announcer/>
        </div>
    }
}

#[component]
fn NavLink(route: Memo<Route>, to: Route, label: &'static str) -> impl IntoView {
    let href = to.href();
    let current = move || {
        let here = route.get();
        let active = match (&here, &to) {
            (Route::Case(_) | Route::Triage(_) | Route::Handoff(_), Route::Cases) => true,
            (a, b) => a == b,
        };
        active.then_some("page")
    };
    view! {
        <li>
            <a class="nav-link" href=href aria-current=current>{label}</a>
        </li>
    }
}

#[component]
fn NotFound(path: String) -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at “" {path} "” in this version of Escalation Desk."</p>
        <p><a href="#/">"Go to the case list"</a></p>
    }
}
