//! What the agent must know about their data, always on screen until it is dealt with: failed
//! writes, storage the browser refuses, a read-only tab, values set aside. And the live region
//! that announces each action.

use leptos::prelude::*;

use crate::core::link::Route;

use super::data::download_everything;
use super::desk::Desk;

/// What the banner says of boxes storage couldn't keep.
fn held_words(desk: &Desk) -> String {
    let held = desk.held_boxes.get();
    let parts: Vec<String> = held
        .iter()
        .map(|b| match desk.case(&b.id) {
            Some(case) => format!("{} on {}", b.words(), case.reference),
            None => b.words(),
        })
        .collect();
    let why = held
        .first()
        .map(|b| b.error.to_string())
        .unwrap_or_default();
    format!(
        "Couldn't keep what you typed in {}: {why}. It is held in this tab only and will be lost when it closes. Free some space (the Data page shows what is stored), then try again.",
        list_words(&parts)
    )
}

/// `a`, `a and b`, `a, b and c`.
fn list_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[component]
pub fn Banners() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let offline = expect_context::<super::offline::Offline>();
    let download_error = RwSignal::new(None::<String>);
    let download = move |_| download_error.set(download_everything(&desk).err());

    view! {
        <div class="banners">
            <Show when=move || desk.write_failure.with(Option::is_some) || desk.held_boxes.with(|h| !h.is_empty())>
                <section class="banner banner-danger" aria-labelledby="write-failure-title">
                    <h2 id="write-failure-title" class="banner-title">"Not saved"</h2>
                    <Show when=move || desk.held_boxes.with(|h| !h.is_empty())>
                        <p role="alert">{move || held_words(&desk)}</p>
                    </Show>
                    <Show when=move || desk.write_failure.with(Option::is_some)>
                    <p role="alert">
                        {move || desk.write_failure.get().map(|f| format!(
                            "Couldn't save {}: {}.", f.reference, f.error
                        ))}
                        " "
                        {move || {
                            let n = desk.unsaved.with(Vec::len);
                            let too_large = desk.write_failure.with(|f| matches!(f, Some(f) if matches!(f.error, super::desk::Failure::TooLarge(_))));
                            let held = if n == 1 { "The edit is".to_string() } else { format!("{n} edits are") };
                            if too_large {
                                format!("{held} kept in this tab only until it is short enough to keep; it saves as soon as it is.")
                            } else {
                                format!("{held} kept in this tab only, and will be lost when it closes. Download everything to keep a copy, free some space (the Data page shows what is stored), then try again.")
                            }
                        }}
                    </p>
                    </Show>
                    <div class="banner-actions">
                        <button type="button" class="button button-primary" on:click=download>
                            "Download all cases"
                        </button>
                        <button type="button" class="button" on:click=move |_| desk.retry()>
                            "Try saving again"
                        </button>
                    </div>
                    <p class="banner-error">{move || download_error.get()}</p>
                </section>
            </Show>
            <Show when=move || desk.memory_only.with(Option::is_some)>
                <section class="banner banner-danger" aria-labelledby="memory-only-title">
                    <h2 id="memory-only-title" class="banner-title">"Nothing is being kept"</h2>
                    <p role="alert">
                        {move || desk.memory_only.get().map(|e| {
                            let mut text = e.to_string();
                            if let Some(first) = text.get_mut(0..1) {
                                first.make_ascii_uppercase();
                            }
                            text
                        })}
                        ". You can work on cases, but they disappear when this tab closes. Allow site data for this page (or leave private browsing), or download your cases before closing."
                    </p>
                    <div class="banner-actions">
                        <button type="button" class="button button-primary" on:click=download>
                            "Download all cases"
                        </button>
                    </div>
                </section>
            </Show>
            <Show when=move || desk.read_only.with(Option::is_some)>
                <section class="banner banner-warning" aria-labelledby="read-only-title">
                    <h2 id="read-only-title" class="banner-title">"Read-only"</h2>
                    <p role="alert">
                        "This tab can't change anything: "
                        {move || desk.read_only.get()}
                    </p>
                    <div class="banner-actions">
                        <button type="button" class="button" on:click=move |_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().reload();
                            }
                        }>"Reload"</button>
                    </div>
                </section>
            </Show>
            {use_context::<super::embed::Embed>().map(|embed| view! {
                <Show when=move || embed.problem.with(Option::is_some)>
                    <section class="banner banner-warning" aria-labelledby="embed-title">
                        <h2 id="embed-title" class="banner-title">"Not connected to the helpdesk"</h2>
                        <p role="status">{move || embed.problem.get().map(|p| {
                            format!("This panel works on its own, but {p}. Ticket details won't arrive and nothing is sent back.")
                        })}</p>
                    </section>
                </Show>
            })}
            <Show when=move || {
                let oldest = desk.rows.with(|rows| rows.iter().map(|r| r.case.created_at).min());
                desk.prefs.with(|p| p.export_due(oldest, desk.now.get()))
            }>
                <section class="banner banner-info" aria-labelledby="copy-title">
                    <h2 id="copy-title" class="banner-title">"Keep a copy of your cases"</h2>
                    <p role="status">
                        {move || match desk.prefs.with(|p| p.last_export) {
                            Some(t) => format!("Your last download of all cases was {}.", super::time::relative(t, desk.now.get())),
                            None => "You haven't downloaded your cases yet.".to_string(),
                        }}
                        " Browsers can clear site data; a downloaded copy can be restored on the Data page."
                    </p>
                    <div class="banner-actions">
                        <button type="button" class="button button-primary" on:click=download>"Download all cases"</button>
                        <a class="button" href=data_href() target=data_target()>"Change the reminder"</a>
                    </div>
                </section>
            </Show>
            <Show when=move || offline.update_ready.get()>
                <section class="banner banner-info" aria-labelledby="update-title">
                    <h2 id="update-title" class="banner-title">"A new version is ready"</h2>
                    <p role="status">
                        "Escalation Desk was updated. Save what you are editing, then reload to use the new version; nothing changes until you do."
                    </p>
                    <div class="banner-actions">
                        <button type="button" class="button button-primary" on:click=move |_| offline.apply_update()>
                            "Reload to update"
                        </button>
                    </div>
                </section>
            </Show>
            <Show when=move || desk.quarantined.with(|q| !q.is_empty())>
                <section class="banner banner-warning" aria-labelledby="quarantine-title">
                    <h2 id="quarantine-title" class="banner-title">"Some stored data couldn't be read"</h2>
                    <p role="status">
                        {move || {
                            let n = desk.quarantined.with(Vec::len);
                            if n == 1 {
                                "One stored value couldn't be read. It was set aside untouched, not deleted.".to_string()
                            } else {
                                format!("{n} stored values couldn't be read. They were set aside untouched, not deleted.")
                            }
                        }}
                        " "
                        <a href=data_href() target=data_target()>"Review them on the Data page"</a>
                        "."
                    </p>
                </section>
            </Show>
        </div>
    }
}

/// What came of the last action on a screen: a status when it went, an alert saying what to
/// do when it didn't. One for every screen, so each one reads and is announced the same.
#[component]
pub fn OutcomeMessage(outcome: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o {
            Ok(text) => view! { <p class="message message-ok" role="status">{text}</p> }.into_any(),
            Err(text) => {
                view! { <p class="message message-error" role="alert">{text}</p> }.into_any()
            }
        })
    }
}

/// The polite live region: every action's outcome is read out, and a deletion can be undone.
#[component]
pub fn Announcer() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // A message goes away by itself (an undo offer stays longer): it must never sit on top of
    // a control for good.
    Effect::new(move || {
        if let Some(notice) = desk.notice.get() {
            let seconds = if notice.undo.is_some() { 12 } else { 5 };
            set_timeout(
                move || {
                    if desk.notice.with_untracked(|n| n.as_ref() == Some(&notice)) {
                        desk.notice.set(None);
                    }
                },
                std::time::Duration::from_secs(seconds),
            );
        }
    });
    view! {
        <div class="announcer" role="status" aria-live="polite">
            {move || desk.notice.get().map(|notice| {
                let undo = notice.undo.clone();
                view! {
                    <div class="toast">
                        <span>{notice.text.clone()}</span>
                        {undo.map(|case| view! {
                            <button type="button" class="button button-small" on:click=move |_| {
                                desk.undo_delete(case.clone());
                            }>"Undo"</button>
                        })}
                        <button
                            type="button"
                            class="button button-quiet button-small"
                            aria-label="Dismiss message"
                            on:click=move |_| desk.notice.set(None)
                        >"×"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// The console's Data page, from either page.
fn data_href() -> String {
    super::nav::href(&Route::Data)
}

fn data_target() -> Option<&'static str> {
    super::nav::target(&Route::Data)
}
