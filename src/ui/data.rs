//! The agent's data: export everything, restore from a file, how much storage is used, and
//! the values that were set aside because they couldn't be read.

use chrono::Utc;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::bundle;
use crate::store::USUAL_QUOTA;

use super::desk::Desk;
use super::files;

/// Downloads every case, including edits held only in memory.
pub fn download_everything(desk: &Desk) -> Result<(), String> {
    let now = Utc::now();
    let text = bundle::export(&desk.all_cases(), now);
    files::download(&bundle::file_name(now), "application/json", &text)?;
    desk.say("Download started");
    Ok(())
}

#[derive(Clone, PartialEq)]
enum Outcome {
    Done(String),
    Failed(String),
}

#[component]
pub fn DataScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let outcome = RwSignal::new(None::<Outcome>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));

    let export = move |_| {
        if let Err(e) = download_everything(&desk) {
            outcome.set(Some(Outcome::Failed(e)));
        }
    };

    let export_csv = move |_| {
        let text = crate::core::handoff::csv(&desk.all_cases(), &|t| super::time::local(t));
        let name = format!(
            "escalation-desk-cases-{}.csv",
            Utc::now().format("%Y-%m-%d")
        );
        match files::download(&name, "text/csv", &text) {
            Ok(()) => desk.say("Download started"),
            Err(e) => outcome.set(Some(Outcome::Failed(e))),
        }
    };

    let restore = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let result = match files::read_text(file).await {
                Ok(text) => restore_text(&desk, &text, &name),
                Err(e) => Err(e),
            };
            outcome.set(Some(match result {
                Ok(done) => Outcome::Done(done),
                Err(e) => Outcome::Failed(format!("Nothing was restored from {name}. {e}")),
            }));
        });
    };

    view! {
        <div class="screen-head">
            <h1>"Your data"</h1>
        </div>
        <p class="lede">
            "Cases are kept in this browser only. Browsers can clear site data (Safari after seven days without a visit), so download a copy regularly and keep it safe."
        </p>
        <section class="panel" aria-labelledby="backup-title">
            <h2 id="backup-title">"Back up and restore"</h2>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=export>"Download all cases"</button>
                <button type="button" class="button" on:click=export_csv>"Download the list as CSV"</button>
                <label class="button file-button" class:button-disabled=read_only>
                    "Restore or import a file…"
                    <input type="file" accept=".json,application/json" class="visually-hidden"
                        disabled=read_only on:change=restore/>
                </label>
            </div>
            <p class="hint">
                "Takes an export of all cases, or a handoff file (JSON) from another tier. New cases are added; where a case exists here too, the newer version is kept and both histories are merged: nothing is overwritten."
            </p>
            {move || outcome.get().map(|o| match o {
                Outcome::Done(text) => view! { <p class="message message-ok" role="status">{text}</p> }.into_any(),
                Outcome::Failed(text) => view! { <p class="message message-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
        <OfflineUse/>
        <StorageUse/>
        <SetAside/>
    }
}

fn restore_text(desk: &Desk, text: &str, name: &str) -> Result<String, String> {
    let incoming = bundle::parse(text).map_err(|e| e.to_string())?;
    let count = incoming.len();
    let plan = bundle::plan(&desk.all_cases(), incoming, name, Utc::now());
    let summary = format!(
        "Restored {count} case{} from {name}: {} added, {} updated, {} already up to date, {} kept as edited here.",
        if count == 1 { "" } else { "s" },
        plan.added,
        plan.updated,
        plan.unchanged,
        plan.kept_newer
    );
    desk.write_restored(plan.writes)
        .map_err(|e| format!("The restore stopped part-way: {e}"))?;
    Ok(summary)
}

#[component]
fn OfflineUse() -> impl IntoView {
    let offline = expect_context::<super::offline::Offline>();
    view! {
        <section class="panel" aria-labelledby="offline-title">
            <h2 id="offline-title">"Working offline"</h2>
            <p>{move || match offline.status.get() {
                Ok(true) => "This app is kept in the browser: it opens and works without a network after this visit. Your cases never leave this browser.".to_string(),
                Ok(false) => "Setting up the offline copy…".to_string(),
                Err(why) => format!("Offline use isn't available here: {why}. The app works while the network is up."),
            }}</p>
            <p class="hint">"With no server, nothing can alert anyone while no tab of the app is open."</p>
            <button type="button" class="button button-small" on:click=move |_| offline.check()>"Check for a new version"</button>
        </section>
    }
}

#[component]
fn StorageUse() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let usage = move || {
        desk.rows.track();
        desk.usage()
    };
    view! {
        <section class="panel" aria-labelledby="usage-title">
            <h2 id="usage-title">"Storage used"</h2>
            {move || match usage() {
                Ok(u) => {
                    let percent = (u.origin as f64 / USUAL_QUOTA as f64 * 100.0).min(100.0);
                    view! {
                        <p>
                            {
                                let n = desk.rows.with(Vec::len);
                                format!(
                                    "{n} {} {}. With everything else this site stores, {} of about {} is used ({:.0}%).",
                                    if n == 1 { "case takes" } else { "cases take" },
                                    size(u.ours), size(u.origin), size(USUAL_QUOTA), percent
                                )
                            }
                        </p>
                        <progress class="usage" max="100" value=format!("{percent:.1}") aria-label="Share of the storage quota used"></progress>
                    }.into_any()
                }
                Err(e) => view! { <p role="alert">{format!("The storage can't be measured: {e}.")}</p> }.into_any(),
            }}
        </section>
    }
}

/// Characters as kilobytes or megabytes (browsers count the quota in UTF-16 characters).
fn size(chars: usize) -> String {
    let kb = chars as f64 / 1024.0;
    if kb < 1024.0 {
        format!("{kb:.0} KB")
    } else {
        format!("{:.1} MB", kb / 1024.0)
    }
}

#[component]
fn SetAside() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let values = move || {
        desk.quarantined.track();
        desk.quarantined_values()
    };
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="panel" aria-labelledby="aside-title">
            <h2 id="aside-title">"Set aside"</h2>
            {move || {
                let list = values();
                if list.is_empty() {
                    return view! { <p>"Every stored value could be read. Nothing is set aside."</p> }.into_any();
                }
                let reasons = desk.quarantined.get();
                view! {
                    <p>"These stored values couldn't be read, so they were kept aside untouched. Download one to inspect or repair it; discard it only once you are sure."</p>
                    <ul class="aside-list">
                        {list.into_iter().map(|(key, raw)| {
                            let reason = reasons.iter().find(|q| q.kept_at == key).map(|q| q.reason.clone())
                                .unwrap_or_else(|| "it couldn't be read".into());
                            let file = format!("{}.txt", key.replace(':', "-"));
                            let key_for_discard = key.clone();
                            let raw_len = raw.chars().count();
                            view! {
                                <li class="aside-item">
                                    <code>{key.clone()}</code>
                                    <span>{format!("{} characters; {reason}.", raw_len)}</span>
                                    <div class="panel-actions">
                                        <button type="button" class="button button-small" on:click=move |_| {
                                            error.set(files::download(&file, "text/plain", &raw).err());
                                        }>"Download"<span class="visually-hidden">{format!(" {key}")}</span></button>
                                        <button type="button" class="button button-small button-danger" on:click=move |_| {
                                            let ok = web_sys::window()
                                                .and_then(|w| w.confirm_with_message(&format!("Discard {key_for_discard} for good? It can't be brought back.")).ok())
                                                .unwrap_or(false);
                                            if ok {
                                                error.set(desk.discard_quarantined(&key_for_discard).err().map(|e| format!("Couldn't discard it: {e}.")));
                                            }
                                        }>"Discard"<span class="visually-hidden">{format!(" {key}")}</span></button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p role="alert" class="message-error">{move || error.get()}</p>
        </section>
    }
}
