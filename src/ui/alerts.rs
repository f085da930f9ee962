//! Alerts while a tab is open: every tick of the clock, the open cases' clocks are checked; a
//! clock that turns at risk or breached, or a level that stays silent past its timeout, raises
//! an alert on screen and, if the agent allowed it, a desktop notification. Breaches are also
//! recorded on the case. With no server, nothing can alert when no tab is open: the queue says so.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wasm_bindgen::{prelude::Closure, JsCast, JsValue};

use crate::core::clock::{clocks, span_words, Standing};
use crate::core::link::Route;

use super::desk::Desk;

/// One alert on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    pub case_id: Option<String>,
    pub text: String,
    pub breach: bool,
}

/// Whether desktop notifications may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Unsupported,
    NotAsked,
    Granted,
    Denied,
}

#[derive(Clone, Copy)]
pub struct Alerts {
    pub list: RwSignal<Vec<Alert>>,
    pub permission: RwSignal<Permission>,
    seen: StoredValue<HashSet<String>, LocalStorage>,
    /// The newest alert, for screen readers: it is on screen once, in the banner, never
    /// also as a message that could cover the heading or a deadline.
    spoken: RwSignal<String>,
}

/// How many alerts stay on screen; older ones are in the queue anyway.
const KEPT: usize = 4;
/// More new alerts than this in one check become one summary.
const BURST: usize = 3;
/// Cases whose breaches are written down per check of the clocks.
const RECORD_PER_TICK: usize = 10;

impl Alerts {
    /// Starts watching the clocks of `desk` on every tick of its `now`.
    pub fn start(desk: Desk) -> Alerts {
        let alerts = Alerts {
            list: RwSignal::new(Vec::new()),
            permission: RwSignal::new(permission()),
            seen: StoredValue::new_local(HashSet::new()),
            spoken: RwSignal::new(String::new()),
        };
        Effect::new(move || {
            let now = desk.now.get();
            alerts.check(desk, now);
        });
        alerts
    }

    fn check(self, desk: Desk, now: DateTime<Utc>) {
        let hours = desk.hours();
        let warn = desk.playbook.with_untracked(|p| p.warn_percent);
        let watched: Vec<_> = desk.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| r.case.status.is_open())
                .filter(|r| !r.case.decisions.is_empty() || r.case.details.deadline.is_some())
                .map(|r| r.case.clone())
                .collect()
        });
        let mut fresh: Vec<Alert> = Vec::new();
        let mut recorded = 0;
        for case in watched {
            let found = clocks(&case, &hours, now);
            for d in found.current.iter().filter(|d| d.live()) {
                let standing = d.standing(warn);
                if !matches!(standing, Standing::AtRisk | Standing::Breached) {
                    continue;
                }
                let key = format!(
                    "{}|{}|{}|{}|{}",
                    case.id,
                    d.target.label(),
                    d.level,
                    d.due.map_or(0, |t| t.timestamp()),
                    standing.key()
                );
                if !self
                    .seen
                    .try_update_value(|s| s.insert(key))
                    .unwrap_or(false)
                {
                    continue;
                }
                let text = match standing {
                    Standing::Breached => {
                        format!("{}: {} breached", case.reference, d.target.label())
                    }
                    _ => format!(
                        "{}: {} at risk, {} left",
                        case.reference,
                        d.target.label(),
                        span_words(d.left())
                    ),
                };
                fresh.push(Alert {
                    case_id: Some(case.id.clone()),
                    text,
                    breach: standing == Standing::Breached,
                });
            }
            if let Some(s) = found.silence.as_ref().filter(|s| s.exceeded()) {
                let key = format!("{}|silence|{}", case.id, s.since);
                if self
                    .seen
                    .try_update_value(|k| k.insert(key))
                    .unwrap_or(false)
                {
                    fresh.push(Alert {
                        case_id: Some(case.id.clone()),
                        text: format!(
                            "{}: no acknowledgement from {} for {}",
                            case.reference,
                            s.level,
                            span_words(s.elapsed)
                        ),
                        breach: false,
                    });
                }
            }
            // A few cases per tick: a big store with old breaches is written over minutes,
            // not in one long pause.
            if recorded < RECORD_PER_TICK
                && found.breaches.len()
                    > case
                        .timeline
                        .iter()
                        .filter(|e| matches!(e.event, crate::core::case::Event::Breached { .. }))
                        .count()
                && desk.record_breaches(&case.id, now)
            {
                recorded += 1;
            }
        }
        if fresh.is_empty() {
            return;
        }
        // Many at once (opening the app, a big store read in parts): one summary, not a burst.
        if fresh.len() > BURST {
            let breached = fresh.iter().filter(|a| a.breach).count();
            fresh = vec![Alert {
                case_id: None,
                text: format!(
                    "{} deadlines need attention ({breached} breached); see the queue",
                    fresh.len()
                ),
                breach: breached > 0,
            }];
        }
        for alert in &fresh {
            notify(alert);
        }
        if let Some(last) = fresh.last() {
            self.spoken.set(last.text.clone());
        }
        self.list.update(|list| {
            list.splice(0..0, fresh.into_iter().rev());
            list.truncate(KEPT);
        });
    }

    /// Asks the browser for permission to show desktop notifications.
    pub fn ask_permission(self) {
        let Ok(promise) = web_sys::Notification::request_permission() else {
            self.permission.set(Permission::Unsupported);
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            self.permission.set(permission());
        });
    }
}

fn supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &JsValue::from_str("Notification")).unwrap_or(false)
    })
}

fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match web_sys::Notification::permission() {
        web_sys::NotificationPermission::Granted => Permission::Granted,
        web_sys::NotificationPermission::Denied => Permission::Denied,
        _ => Permission::NotAsked,
    }
}

/// A desktop notification, when allowed; clicking it brings the tab to the case.
fn notify(alert: &Alert) {
    if permission() != Permission::Granted {
        return;
    }
    let options = web_sys::NotificationOptions::new();
    options.set_body(&alert.text);
    options.set_tag(&alert.text);
    let Ok(n) = web_sys::Notification::new_with_options("Escalation Desk", &options) else {
        return;
    };
    let href = alert
        .case_id
        .as_ref()
        .map_or("#/queue".to_string(), |id| Route::Case(id.clone()).href());
    let click = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.focus();
        }
        if let Some(nav) = super::nav::nav() {
            nav.go_to(&href);
        }
    });
    n.set_onclick(Some(click.unchecked_ref()));
}

/// The alerts raised so far, under the header until dismissed.
#[component]
pub fn AlertBanner() -> impl IntoView {
    let alerts = expect_context::<Alerts>();
    view! {
        <div class="banners">
        <p class="visually-hidden" role="status" aria-live="polite">{move || alerts.spoken.get()}</p>
        <Show when=move || alerts.list.with(|l| !l.is_empty())>
            <section class="banner banner-warning" aria-labelledby="alerts-title">
                <h2 id="alerts-title" class="banner-title">"Deadlines need attention"</h2>
                <ul class="alert-list">
                    {move || alerts.list.get().into_iter().map(|a| {
                        let link = a.case_id.map_or("#/queue".to_string(), |id| Route::Case(id).href());
                        view! {
                            <li class:alert-breach=a.breach>
                                <a href=link>{a.text}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="banner-actions">
                    <a class="button button-small" href="#/queue">"Open the queue"</a>
                    <button type="button" class="button button-small button-quiet"
                        on:click=move |_| alerts.list.set(Vec::new())>"Dismiss alerts"</button>
                </div>
            </section>
        </Show>
        </div>
    }
}
