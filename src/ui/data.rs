//! The agent's data: export everything, restore from a file, how much storage is used, and
//! the values that were set aside because they couldn't be read.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::bundle;
use crate::core::case::Case;
use crate::store::USUAL_QUOTA;

use super::desk::Desk;
use super::files;

/// Downloads every case, including edits held only in memory.
pub fn download_everything(desk: &Desk) -> Result<(), String> {
    let now = Utc::now();
    let text = bundle::export(&desk.complete_cases()?, now);
    files::download(&bundle::file_name(now), "application/json", &text)?;
    desk.say("Download started");
    let mut prefs = desk.prefs.get_untracked();
    prefs.last_export = Some(now);
    desk.set_prefs(prefs);
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
    let pasted = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));

    let export = move |_| {
        if let Err(e) = download_everything(&desk) {
            outcome.set(Some(Outcome::Failed(e)));
        }
    };

    let export_csv = move |_| {
        let cases = match desk.complete_cases() {
            Ok(cases) => cases,
            Err(e) => {
                outcome.set(Some(Outcome::Failed(e)));
                return;
            }
        };
        let text = crate::core::handoff::csv(&cases, &desk.hours(), chrono::Utc::now(), &|t| {
            super::time::local(t)
        });
        let name = format!(
            "escalation-desk-cases-{}.csv",
            super::time::iso_day(Utc::now().date_naive())
        );
        match files::download(&name, "text/csv", &text) {
            Ok(()) => desk.say("Download started"),
            Err(e) => outcome.set(Some(Outcome::Failed(e))),
        }
    };

    let restore_file = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            let too_large = bundle::RestoreError::TooLarge.to_string();
            let result = files::read_bytes(file, bundle::MAX_BUNDLE_BYTES, too_large)
                .await
                .and_then(|bytes| bundle::parse_bytes(&bytes).map_err(|e| e.to_string()))
                .and_then(|cases| restore_cases(&desk, cases, &name));
            outcome.set(Some(match result {
                Ok(done) => Outcome::Done(done),
                Err(e) => Outcome::Failed(format!("Nothing was restored from {name}. {e}")),
            }));
        });
    };
    let restore = move |ev: leptos::ev::Event| {
        if let Some(file) = files::picked(&ev) {
            restore_file(file);
        }
    };

    let import_pasted = move |_| {
        let result = pasted.with_untracked(|text| bundle::parse(text).map_err(|e| e.to_string()));
        outcome.set(Some(
            match result.and_then(|cases| restore_cases(&desk, cases, "the pasted text")) {
                Ok(done) => {
                    pasted.set(String::new());
                    Outcome::Done(done)
                }
                Err(e) => {
                    Outcome::Failed(format!("Nothing was imported from the pasted text. {e}"))
                }
            },
        ));
    };
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            restore_file(file);
        }
    };

    view! {
        <div class="screen-head">
            <h1>"Your data"</h1>
        </div>
        <p class="lede">
            "Cases are kept in this browser only. Browsers can clear site data (Safari after seven days without a visit), so download a copy regularly and keep it safe."
        </p>
        <section class="panel" class:drop-target=move || dragging.get() aria-labelledby="backup-title"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=drop>
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
                "Takes an export of all cases, or a handoff file (JSON) from another tier. New cases are added; where a case exists here too, changes are merged part by part, and where both sides changed the same part you choose. Both histories are kept; nothing is overwritten."
            </p>
            <p class="hint">"You can also drop a file here, or paste a handoff:"</p>
            <PasteBox pasted outcome/>
            <button type="button" class="button" disabled=move || read_only.get() || pasted.with(|p| p.trim().is_empty()) on:click=import_pasted>"Import pasted text"</button>
            {move || outcome.get().map(|o| match o {
                Outcome::Done(text) => view! { <p class="message message-ok" role="status">{text}</p> }.into_any(),
                Outcome::Failed(text) => view! { <p class="message message-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
        <super::pending::Decisions/>
        <Reminder/>
        <OfflineUse/>
        <StorageUse/>
        <SetAside/>
    }
}

fn restore_cases(desk: &Desk, incoming: Vec<Case>, name: &str) -> Result<String, String> {
    let count = incoming.len();
    let plan = bundle::plan(&desk.complete_cases()?, incoming, Utc::now());
    let mut summary = format!(
        "Restored {count} case{} from {name}: {} added, {} updated, {} already up to date.",
        if count == 1 { "" } else { "s" },
        plan.added,
        plan.updated,
        plan.unchanged,
    );
    if !plan.conflicts.is_empty() {
        let n = plan.conflicts.len();
        summary.push_str(&format!(
            " {n} {} changed in the same place here and in the file: nothing of {} is written until you choose below. The question stays here, even after a reload, until you answer it.",
            if n == 1 { "case was" } else { "cases were" },
            if n == 1 { "it" } else { "them" },
        ));
    }
    if plan
        .writes
        .iter()
        .chain(plan.conflicts.iter().map(|c| &c.theirs))
        .any(|c| c.details.customer.contact_masked)
    {
        summary.push_str(" The sender masked the customer's contact details on purpose; a masked contact never replaces a real one here.");
    }
    desk.write_restored(plan.writes)
        .map_err(|e| format!("The restore stopped part-way: {e}"))?;
    desk.hold_pending(plan.conflicts.into_iter().map(|c| c.theirs).collect())
        .map_err(|e| format!("The cases that need your decision couldn't be kept: {e}"))?;
    Ok(summary)
}

/// A short view of a group's values, to choose between.
#[component]
fn Reminder() -> impl IntoView {
    let desk = expect_context::<Desk>();
    view! {
        <section class="panel" aria-labelledby="reminder-title">
            <h2 id="reminder-title">"Copies"</h2>
            <p>{move || match desk.prefs.with(|p| p.last_export) {
                Some(t) => format!("Last download of all cases: {} ({}).", super::time::local(t), super::time::relative(t, desk.now.get())),
                None => "You haven't downloaded all cases from this browser yet.".to_string(),
            }}</p>
            <div class="field">
                <label for="remind-days">"Remind me to download a copy after this many days (0 for never)"</label>
                <input id="remind-days" type="number" min="0" max="365" inputmode="numeric"
                    prop:value=move || desk.prefs.with(|p| p.remind_days.to_string())
                    on:change=move |ev| {
                        if let Ok(days) = event_target_value(&ev).trim().parse::<u32>() {
                            let mut prefs = desk.prefs.get_untracked();
                            prefs.remind_days = days.min(365);
                            desk.set_prefs(prefs);
                        }
                    }/>
            </div>
        </section>
    }
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
            <p>{move || match offline.persisted.get() {
                Some(true) => "The browser agreed to keep this site's data until you clear it yourself.",
                Some(false) => "The browser may clear this site's data when space runs low or after a long time without a visit (Safari: seven days). Keep downloaded copies.",
                None => "The browser doesn't say whether it will keep this site's data. Keep downloaded copies.",
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
                    // Whole numbers: formatting floats would ship their formatter for one figure.
                    let percent = (u.origin.saturating_mul(100) / USUAL_QUOTA.max(1)).min(100);
                    view! {
                        <p>
                            {
                                let n = desk.rows.with(Vec::len);
                                format!(
                                    "{n} {} {}. With everything else this site stores, {} of about {} is used ({}%).",
                                    if n == 1 { "case takes" } else { "cases take" },
                                    size(u.ours), size(u.origin), size(USUAL_QUOTA), percent
                                )
                            }
                        </p>
                        <progress class="usage" max="100" value=percent.to_string() aria-label="Share of the storage quota used"></progress>
                    }.into_any()
                }
                Err(e) => view! { <p role="alert">{format!("The storage can't be measured: {e}.")}</p> }.into_any(),
            }}
        </section>
    }
}

/// Characters as kilobytes or megabytes (browsers count the quota in UTF-16 characters).
fn size(chars: usize) -> String {
    let kb = (chars + 512) / 1024;
    if kb < 1024 {
        format!("{kb} KB")
    } else {
        let tenths = (chars * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}.{} MB", tenths / 10, tenths % 10)
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

/// Pasted text longer than this is kept aside, never put in the box. A text box lays out all of
/// its text, every wrapped line of a long unbroken run, in the task that pastes it, and the box
/// used to copy the value into the app and back on top: a 30 MB paste froze the tab (48 s on
/// the test machine, 342 s in the run of issue 12.4). No one reads more than a screenful of
/// pasted JSON.
const SCREENFUL: usize = 20_000;

/// The paste box. Up to a screenful, pasted or typed text is in the box as usual. A longer
/// paste is taken from the paste event itself and kept aside in `pasted`, described but never
/// shown, and replaces what was there; one larger than any export is refused at once.
#[component]
fn PasteBox(pasted: RwSignal<String>, outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    use wasm_bindgen::JsCast;
    let held = move || pasted.with(|p| p.len() > SCREENFUL);
    let take = move |text: String| {
        if text.len() > bundle::MAX_BUNDLE_BYTES {
            pasted.set(String::new());
            outcome.set(Some(Outcome::Failed(format!(
                "Nothing was imported from the pasted text. It is {}, more than any export of ours ({} MB at most).",
                size(text.len()),
                bundle::MAX_BUNDLE_BYTES / (1024 * 1024)
            ))));
        } else {
            pasted.set(text);
        }
    };
    let paste = move |ev: leptos::ev::ClipboardEvent| {
        let text = ev.clipboard_data().and_then(|d| d.get_data("text").ok());
        if let Some(text) = text.filter(|t| t.len() > SCREENFUL) {
            ev.prevent_default();
            take(text);
        }
    };
    // Long text that came another way (dropped, or inserted by a tool) leaves the box before
    // the browser lays it out.
    let input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if text.len() > SCREENFUL {
            if let Some(area) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                area.set_value("");
            }
        }
        take(text);
    };
    let clear = move |_| {
        pasted.set(String::new());
        super::focus::now("#paste-import");
    };
    view! {
        <div class="field">
            <label for="paste-import">"Pasted handoff or export (JSON)"</label>
            <textarea id="paste-import" class="paste-box" rows="3"
                aria-describedby=move || held().then_some("paste-held")
                prop:value=move || pasted.with(|p| if p.len() > SCREENFUL { String::new() } else { p.clone() })
                on:paste=paste on:input=input></textarea>
            {move || held().then(|| view! {
                <div class="paste-held">
                    <p id="paste-held" role="status">
                        {format!("Pasted {} of text, ready to import. It isn't shown: that much text would stall the page.", size(pasted.with(String::len)))}
                    </p>
                    <button type="button" class="button button-small" on:click=clear>
                        "Clear"<span class="visually-hidden">" the pasted text"</span>
                    </button>
                </div>
            })}
        </div>
    }
}
