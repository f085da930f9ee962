//! The queue: open cases with a clock counting, what is due next first, filtered to those at
//! risk or breached. The receiving tier's home screen (a preference), and the place that says
//! how alerts work without a server.

use leptos::prelude::*;

use crate::core::clock::{span_words, Standing};
use crate::core::query::{queue, QueueFilter, QueueItem, Row};

use super::alerts::{Alerts, Permission};
use super::case_list::{ShowMore, PAGE};
use super::desk::Desk;

#[component]
pub fn QueueScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let filter = RwSignal::new(QueueFilter::All);
    let shown = RwSignal::new(PAGE);
    let found = Memo::new(move |_| {
        let now = desk.now.get();
        let f = filter.get();
        let (hours, warn) = desk
            .playbook
            .with(|p| (crate::core::triage::hours(p), p.warn_percent));
        desk.rows.with(|rows| queue(rows, &hours, warn, f, now))
    });
    let count = move |f: QueueFilter| {
        found.with(|q| match f {
            QueueFilter::All => q.all,
            QueueFilter::AtRisk => q.at_risk,
            QueueFilter::Breached => q.breached,
        })
    };

    view! {
        <div class="screen-head">
            <h1>"Queue"</h1>
            <p class="hint">"Open cases with a deadline, what is due next first."</p>
        </div>
        <fieldset class="segmented">
            <legend class="visually-hidden">"Show"</legend>
            {QueueFilter::ALL.into_iter().map(|f| view! {
                <label class="segment">
                    <input type="radio" name="queue-filter"
                        prop:checked=move || filter.get() == f
                        on:change=move |_| {
                            filter.set(f);
                            shown.set(PAGE);
                        }/>
                    <span>{move || format!("{} ({})", f.label(), count(f))}</span>
                </label>
            }).collect_view()}
        </fieldset>
        <p class="result-count" role="status">
            {move || {
                let n = found.with(|q| q.items.len());
                let drawn = n.min(shown.get());
                if drawn < n {
                    format!("{n} cases, the first {drawn} shown")
                } else {
                    format!("{n} case{} shown", if n == 1 { "" } else { "s" })
                }
            }}
        </p>
        <Show
            when=move || found.with(|q| !q.items.is_empty())
            fallback=move || view! {
                <div class="empty">
                    <h2>{move || match filter.get() {
                        QueueFilter::All => "No deadline is running",
                        QueueFilter::AtRisk => "Nothing at risk",
                        QueueFilter::Breached => "Nothing breached",
                    }}</h2>
                    <p>"Cases appear here once they are triaged to a level or have a customer deadline."</p>
                </div>
            }
        >
            <ul class="case-list" aria-label="Queue">
                {move || {
                    let warn = desk.playbook.with(|p| p.warn_percent);
                    let limit = shown.get();
                    found.with(|q| desk.rows.with(|rows| {
                        q.items.iter().take(limit).map(|item| queue_item(&rows[item.position], item, warn)).collect_view()
                    }))
                }}
            </ul>
            <ShowMore total=Signal::derive(move || found.with(|q| q.items.len())) shown/>
        </Show>
        <AlertSettings/>
    }
}

fn queue_item(row: &Row, item: &QueueItem, warn: u32) -> impl IntoView {
    let case = &row.case;
    let subject = if case.details.subject.trim().is_empty() {
        "(no subject)".to_string()
    } else {
        case.details.subject.clone()
    };
    // The clock that decides the case's place: the soonest due, else the worst.
    let lead = super::badges::lead_clock(case, &item.clocks, warn);
    let silent = item
        .clocks
        .silence
        .as_ref()
        .filter(|s| s.exceeded())
        .map(|s| {
            view! {
                <span class="chip chip-at-risk">"No acknowledgement"</span>
                <span>{format!("{} silent for {}", s.level, span_words(s.elapsed))}</span>
            }
        });
    view! {
        <li class="case-item" class:case-overdue=item.worst == Standing::Breached>
            <a class="case-link" href=format!("#/case/{}", case.id)>
                <span class="case-ref">{case.reference.clone()}</span>
                <span class="case-subject">{subject}</span>
            </a>
            <div class="case-meta">
                <span class=format!("status status-{}", case.state().key())>{case.state().label()}</span>
                {super::badges::severity(case)}
                {(!case.details.owner.trim().is_empty()).then(|| view! { <span class="owner">{format!("Owner: {}", case.details.owner.trim())}</span> })}
            </div>
            {item.needs_level.then(|| view! {
                <div class="case-meta">
                    <span>"Escalated without a level, so no deadline runs: triage it, or escalate it by hand."</span>
                </div>
            })}
            <div class="case-meta">{lead}</div>
            {silent.map(|s| view! { <div class="case-meta">{s}</div> })}

        </li>
    }
}

/// Desktop alerts and the queue as home screen.
#[component]
fn AlertSettings() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let alerts = expect_context::<Alerts>();
    let state = move || {
        match alerts.permission.get() {
        Permission::Unsupported => "This browser can't show desktop alerts; alerts appear in the app only.",
        Permission::NotAsked => "Desktop alerts are off.",
        Permission::Granted => "Desktop alerts are on.",
        Permission::Denied => "Desktop alerts are blocked for this site. To turn them on, allow notifications in the browser's site settings, then reload.",
    }
    };
    view! {
        <section class="panel settings-panel" aria-labelledby="alert-settings-title">
            <h2 id="alert-settings-title">"Alerts"</h2>
            <p>
                "While Escalation Desk is open in a tab (even in the background), a deadline at risk or breached, and a level that stays silent, raise an alert here"
                {move || (alerts.permission.get() == Permission::Granted).then_some(" and on the desktop")}
                ". There is no server: when every tab is closed, nothing can alert you. Keep a tab open during your shift."
            </p>
            <p role="status">{state}</p>
            <Show when=move || alerts.permission.get() == Permission::NotAsked>
                <button type="button" class="button" on:click=move |_| alerts.ask_permission()>
                    "Turn on desktop alerts"
                </button>
            </Show>
            <div class="field field-check">
                <input id="queue-home" type="checkbox"
                    prop:checked=move || desk.prefs.with(|p| p.queue_home)
                    on:change=move |ev| {
                        let mut prefs = desk.prefs.get_untracked();
                        prefs.queue_home = event_target_checked(&ev);
                        desk.set_prefs(prefs);
                    }/>
                <label for="queue-home">"Open the queue when the app starts"</label>
            </div>
        </section>
    }
}
