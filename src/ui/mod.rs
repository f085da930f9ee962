//! The user interface: one module per screen, on top of [`desk::Desk`], the shared state.

mod alerts;
mod badges;
mod case_form;
mod case_list;
mod close_out;
mod conflict;
mod crash;
mod data;
mod deadlines;
pub mod desk;
mod embed;
mod fields;
mod files;
mod focus;
mod handoff;
mod import;
mod insights;
mod keys;
mod limits;
mod nav;
mod notices;
mod offline;
mod pending;
mod playbook;
mod practice;
mod queue;
mod reviews;
mod studio;
mod team;
mod time;
mod timeline;
mod triage;
mod zones;

use std::time::Duration;

use leptos::prelude::*;

use crate::core::link::{Door, Route};
use desk::{Desk, NAMESPACE};

/// What differs between the two pages, as plain functions: each binary names only its own,
/// so each wasm holds only its own screens and chrome.
#[derive(Clone, Copy)]
struct Page {
    door: Door,
    /// The screen of a route.
    screens: fn(Route) -> AnyView,
    /// Starts what runs beside the screens (the desk's alerts) and draws what comes above
    /// them (its alert banner).
    above: fn(Desk) -> AnyView,
    /// What comes below them (the desk's conflict dialog and shortcuts; `true`: mounted
    /// into a host page's element, where single keys belong to the host).
    below: fn(bool) -> AnyView,
    /// The storage namespace of a panel embedded in a helpdesk's page, when this is one (the
    /// desk only: the console is never embedded, and carries none of the host's messaging).
    embedded: fn() -> Option<String>,
    /// Starts talking to the host page of an embedded panel.
    start_embed: fn(Desk),
}

const DESK: Page = Page {
    door: Door::Desk,
    screens: desk_screens,
    above: |desk| {
        provide_context(alerts::Alerts::start(desk));
        view! { <alerts::AlertBanner/> }.into_any()
    },
    below: |mounted| {
        view! {
            <conflict::ConflictDialog/>
            {(!mounted).then(|| view! { <keys::Shortcuts/> })}
        }
        .into_any()
    },
    embedded: || embed::requested().then(embed::storage_namespace),
    start_embed: |desk| provide_context(embed::Embed::start(desk)),
};

/// The console edits no case (so no two-tab question about one) and raises no deadline
/// alerts: the desk does, in every tab it is open in.
const CONSOLE: Page = Page {
    door: Door::Console,
    screens: console_screens,
    above: |_| ().into_any(),
    below: |_| view! { <keys::Shortcuts/> }.into_any(),
    embedded: || None,
    start_embed: |_| {},
};

/// Mounts the desk on the page's body, unless the page asked to mount it itself (the
/// same-origin snippet of the README sets `window.escalationDeskDeferMount` and calls
/// [`mount_into`]).
pub fn mount() {
    let deferred = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"escalationDeskDeferMount".into()).ok())
        .is_some_and(|v| v.is_truthy());
    if !deferred {
        crash::guarded(None, || {
            leptos::mount::mount_to_body(|| view! { <App mounted=None page=DESK/> })
        });
    }
    booted();
}

/// Mounts the console (console.html): the team lead's screens, around the same core and store.
pub fn mount_console() {
    crash::guarded(None, || {
        leptos::mount::mount_to_body(|| view! { <App mounted=None page=CONSOLE/> })
    });
    booted();
}

/// The loading frame of the page has done its job.
fn booted() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

/// The desk's screens: what an agent uses on a call.
fn desk_screens(route: Route) -> AnyView {
    match route {
        Route::Cases => view! { <case_list::CaseList/> }.into_any(),
        Route::Queue => view! { <queue::QueueScreen/> }.into_any(),
        Route::NewCase => view! { <case_form::NewCase/> }.into_any(),
        Route::Case(id) => view! { <case_form::CaseScreen id/> }.into_any(),
        Route::Triage(id) => view! { <triage::TriageScreen id/> }.into_any(),
        Route::Handoff(id) => view! { <handoff::HandoffScreen id/> }.into_any(),
        Route::CloseOut(id) => view! { <close_out::CloseOutScreen id/> }.into_any(),
        Route::Import => view! { <import::ImportScreen/> }.into_any(),
        Route::Unknown(path) => view! { <NotFound path/> }.into_any(),
        Route::CrashTest => panic!("the crash screen's self-test (#/crash-test)"),
        other => view! { <OtherPage route=other/> }.into_any(),
    }
}

/// The console's screens: what a team lead or trainee opens between calls.
fn console_screens(route: Route) -> AnyView {
    match route {
        Route::Playbook => view! { <playbook::PlaybookScreen/> }.into_any(),
        Route::Data => view! { <data::DataScreen/> }.into_any(),
        Route::Insights => view! { <insights::InsightsScreen/> }.into_any(),
        Route::Reviews => view! { <reviews::ReviewsScreen/> }.into_any(),
        Route::Review(id) => view! { <reviews::ReviewScreen id/> }.into_any(),
        Route::Practice => view! { <practice::PracticeScreen/> }.into_any(),
        Route::PracticeRun(id) => view! { <practice::PracticeRun id/> }.into_any(),
        Route::Team => view! { <team::TeamScreen/> }.into_any(),
        Route::Unknown(path) => view! { <NotFound path/> }.into_any(),
        Route::CrashTest => panic!("the crash screen's self-test (#/crash-test)"),
        other => view! { <OtherPage route=other/> }.into_any(),
    }
}

/// An address of the other page (an old bookmark, a link typed by hand): the browser goes
/// there, leaving no entry behind. Inside a host page it stays, with a link instead.
#[component]
fn OtherPage(route: Route) -> impl IntoView {
    let href = nav::href_keeping_query(&route);
    let target = nav::target(&route);
    if !nav::framed() {
        nav::cross_to(&href, true);
    }
    view! {
        <h1>{title(&route, None)}</h1>
        <p><a href=href target=target>{match route.door() {
            Door::Console => "Open it in the console",
            Door::Desk => "Open it on the desk",
        }}</a></p>
    }
}

/// The name of a screen, for the page's title; `case`: the reference of its case.
fn title(route: &Route, case: Option<String>) -> String {
    let case = case.unwrap_or_default();
    match route {
        Route::Cases => "Cases".to_string(),
        Route::Queue => "Queue".to_string(),
        Route::NewCase => "New case".to_string(),
        Route::Case(_) if case.is_empty() => "Case".to_string(),
        Route::Case(_) => case,
        Route::Triage(_) => format!("Triage {case}"),
        Route::Handoff(_) => format!("Handoff {case}"),
        Route::CloseOut(_) => format!("Close {case}"),
        Route::Reviews => "Reviews".to_string(),
        Route::Review(_) => format!("Review {case}"),
        Route::Import => "Import".to_string(),
        Route::Playbook => "Playbook".to_string(),
        Route::Data => "Your data".to_string(),
        Route::Insights => "Insights".to_string(),
        Route::Practice => "Practice".to_string(),
        Route::PracticeRun(_) => "Practice run".to_string(),
        Route::Team => "Team".to_string(),
        Route::Unknown(_) | Route::CrashTest => "Not found".to_string(),
    }
}

/// Mounts the app into an element of a page on the same origin, with its own storage
/// namespace (lowercase letters, digits and dashes; anything else falls back to the default
/// embedded one). The desk's binary exports it for `embed.js` (see the README); exported
/// here, every binary of the crate would carry the desk.
pub fn mount_into(element: web_sys::HtmlElement, namespace: Option<String>) {
    let _ = element.class_list().add_2("escdesk-mounted", "embedded");
    let ns = crate::core::embed::namespace(namespace.as_deref());
    crash::guarded(Some(element.clone().into()), move || {
        leptos::mount::mount_to(element, move || view! { <App mounted=Some(ns) page=DESK/> })
            .forget()
    });
}

/// One page of the app: the header and navigation both pages share, the banners, and the
/// screen of the current route drawn by `screens`. `mounted`: the storage namespace when the
/// app lives in an element of a host page.
#[component]
fn App(mounted: Option<String>, page: Page) -> impl IntoView {
    zones::register();
    let door = page.door;
    let is_mounted = mounted.is_some();
    let embed_ns = if is_mounted { None } else { (page.embedded)() };
    let embedded = embed_ns.is_some();
    nav::set_door(door, is_mounted || embedded);
    let desk = Desk::open(&match (&mounted, embed_ns) {
        (Some(ns), _) => ns.clone(),
        (None, Some(ns)) => ns,
        (None, None) => NAMESPACE.to_string(),
    });
    provide_context(desk);
    if embedded {
        (page.start_embed)(desk);
    }
    provide_context(offline::Offline::start(!is_mounted));
    provide_context(team::TeamLink::start(desk));
    let nav = if is_mounted {
        nav::Nav::mounted()
    } else {
        nav::Nav::page()
    };

    // A page opened with no screen named: the console's home is Insights (the case list is
    // the desk's), a receiving tier's is the queue when they asked for it.
    let h = nav.hash_untracked();
    if h.is_empty() || h == "#" || h == "#/" {
        if door == Door::Console {
            nav.start_at(&Route::Insights.href());
        } else if desk.prefs.with_untracked(|p| p.queue_home) {
            nav.go_to(&Route::Queue.href());
        }
    }

    let route = Memo::new(move |_| nav.route());
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        desk.storage_changed(ev.key());
    });
    // Closing the tab while anything typed is held only in it (storage full) asks first.
    let on_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if desk.holds_anything() {
            ev.prevent_default();
            ev.set_return_value("Some of what you typed is not saved yet.");
        }
    });
    on_cleanup(move || {
        on_storage.remove();
        on_unload.remove();
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
            focus::if_lost_after_render("#main", !is_mounted);
        }
    });

    // On a narrow screen the navigation scrolls sideways: the current screen's link is
    // brought into it, so the agent sees where they are (it was cut off at the edge).
    Effect::new(move || {
        route.track();
        request_animation_frame(|| {
            use wasm_bindgen::JsCast;
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let find = |sel: &str| {
                doc.query_selector(sel)
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            };
            if let (Some(nav), Some(link)) = (
                find(".app-header nav"),
                find(".app-header .nav-link[aria-current=page]"),
            ) {
                nav.set_scroll_left(link.offset_left() - nav.offset_left() - 16);
            }
        });
    });

    // The title names the screen.
    Effect::new(move || {
        let route = route.get();
        let case = match &route {
            Route::Case(id)
            | Route::Triage(id)
            | Route::Handoff(id)
            | Route::CloseOut(id)
            | Route::Review(id) => desk.case(id).map(|c| c.reference),
            _ => None,
        };
        let title = title(&route, case);
        // A host page's title is its own.
        if let (false, Some(doc)) = (is_mounted, web_sys::window().and_then(|w| w.document())) {
            doc.set_title(&format!("{title} · Escalation Desk"));
        }
    });

    view! {
        <div class="app" on:click=move |ev| nav.catch_link(&ev)
            on:beforeinput=move |ev| if let Some(why) = limits::refuse_oversized(&ev) { desk.say(why) }
            on:paste=move |ev| if let Some(why) = limits::refuse_oversized(&ev) { desk.say(why) }>
        <a class="skip-link" href="#main">"Skip to content"</a>
        // On a case, straight to its one next step.
        <Show when=move || matches!(route.get(), Route::Case(_))>
            <a class="skip-link" href="#next-action">"Skip to the next action"</a>
        </Show>
        <header class="app-header">
            <a class="brand" href=nav::href(&Route::Cases)>
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
                    <NavLink route to=Route::Import label="Import"/>
                    <NavLink route to=Route::Insights label="Insights"/>
                    <NavLink route to=Route::Reviews label="Reviews"/>
                    <NavLink route to=Route::Practice label="Practice"/>
                    <NavLink route to=Route::Playbook label="Playbook"/>
                    <NavLink route to=Route::Data label="Data"/>
                    <NavLink route to=Route::Team label="Team"/>
                </ul>
            </nav>
            <team::StatusLine/>
        </header>
        <notices::Banners/>
        <team::TeamBanners/>
        <pending::PendingBanner/>
        {(page.above)(desk)}
        <main id="main" tabindex="-1">
            {move || (page.screens)(route.get())}
        </main>
        {(page.below)(is_mounted)}
        <notices::Announcer/>
        </div>
    }
}

#[component]
fn NavLink(route: Memo<Route>, to: Route, label: &'static str) -> impl IntoView {
    let href = nav::href(&to);
    let target = nav::target(&to);
    let current = move || {
        let here = route.get();
        let active = match (&here, &to) {
            (
                Route::Case(_) | Route::Triage(_) | Route::Handoff(_) | Route::CloseOut(_),
                Route::Cases,
            ) => true,
            (Route::Review(_), Route::Reviews) => true,
            (a, b) => a == b,
        };
        active.then_some("page")
    };
    view! {
        <li>
            <a class="nav-link" href=href target=target aria-current=current>{label}</a>
        </li>
    }
}

#[component]
fn NotFound(path: String) -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at “" {path} "” in this version of Escalation Desk."</p>
        <p><a href=nav::href(&Route::Cases)>"Go to the case list"</a></p>
    }
}
