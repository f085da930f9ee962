//! The user interface: one module per screen, on top of [`desk::Desk`], the shared state.

mod alerts;
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
mod notices;
mod offline;
mod playbook;
mod queue;
mod time;
mod timeline;
mod triage;

use std::time::Duration;

use leptos::prelude::*;

use crate::core::link::Route;
use desk::{Desk, NAMESPACE};

/// Mounts the app on the page's body.
pub fn mount() {
    crash::install();
    leptos::mount::mount_to_body(App);
}

fn current_route() -> Route {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::parse(&hash)
}

#[component]
fn App() -> impl IntoView {
    let embedded = embed::requested();
    let desk = Desk::open(&if embedded {
        embed::storage_namespace()
    } else {
        NAMESPACE.to_string()
    });
    provide_context(desk);
    if embedded {
        provide_context(embed::Embed::start(desk));
    }
    provide_context(offline::Offline::start());
    provide_context(alerts::Alerts::start(desk));

    // A receiving tier's home is the queue, when they asked for it and no other page was asked.
    if desk.prefs.with_untracked(|p| p.queue_home) && matches!(current_route(), Route::Cases) {
        let bare = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .is_none_or(|h| h.is_empty() || h == "#" || h == "#/");
        if bare {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&Route::Queue.href());
            }
        }
    }

    let route = RwSignal::new(current_route());
    let on_hash = window_event_listener_untyped("hashchange", move |_| route.set(current_route()));
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        desk.storage_changed(ev.key());
    });
    on_cleanup(move || {
        on_hash.remove();
        on_storage.remove();
    });
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
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&format!("{title} · Escalation Desk"));
        }
    });

    view! {
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
        <notices::Announcer/>
    }
}

#[component]
fn NavLink(route: RwSignal<Route>, to: Route, label: &'static str) -> impl IntoView {
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
