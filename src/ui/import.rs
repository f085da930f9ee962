//! Bringing cases in: a handoff from another tier or an export, as a file (picked or
//! dropped) or pasted text; new cases are added, known ones merged part by part, and where
//! both sides changed the same part the question waits in [`super::pending`]. On the desk's
//! Import screen and the console's Data page.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::bundle;

use super::desk::Desk;
use super::files;

/// The desk's Import screen: what a receiving tier opens to take a handoff in.
#[component]
pub fn ImportScreen() -> impl IntoView {
    view! {
        <div class="screen-head">
            <h1>"Import"</h1>
        </div>
        <p class="lede">"Take in a handoff from another tier, or cases exported from another browser."</p>
        <ImportPanel title="Take in a case" button="Import a file…"/>
        <super::pending::Decisions/>
    }
}

/// A file picker, a drop target and a paste box, with what came of the last import. `title`
/// and `button` name them for the page (an agent imports; a lead also restores).
#[component]
pub fn ImportPanel(title: &'static str, button: &'static str) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // The one case an import wrote, to open next (a handoff taken in).
    let opened = RwSignal::new(None::<(String, String)>);
    let pasted = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));

    let restore_file = move |file: web_sys::File| {
        let name = file.name();
        leptos::task::spawn_local(async move {
            let too_large = bundle::RestoreError::TooLarge.to_string();
            let result = files::read_bytes(file, bundle::MAX_BUNDLE_BYTES, too_large)
                .await
                .and_then(|bytes| bundle::read(&bytes).map_err(|e| e.to_string()))
                .map_err(|e| format!("Nothing was restored from {name}. {e}"))
                .and_then(|file| restore_cases(&desk, file, &name));
            opened.set(result.as_ref().ok().and_then(|(_, one)| one.clone()));
            outcome.set(Some(result.map(|(done, _)| done)));
        });
    };
    let restore = move |ev: leptos::ev::Event| {
        if let Some(file) = files::picked(&ev) {
            restore_file(file);
        }
    };

    let import_pasted = move |_| {
        let parsed =
            pasted.with_untracked(|text| bundle::read_text(text).map_err(|e| e.to_string()));
        let result = parsed
            .map_err(|e| {
                // A handoff copied as Markdown or text reads well but can't be imported.
                let not_json = pasted.with_untracked(|t| !t.trim_start().starts_with('{'));
                let hint = if not_json {
                    " To pass a case to another Escalation Desk, choose “JSON” on its handoff screen, then copy or download it."
                } else {
                    ""
                };
                format!("Nothing was imported from the pasted text. {e}{hint}")
            })
            .and_then(|cases| restore_cases(&desk, cases, "the pasted text"));
        opened.set(result.as_ref().ok().and_then(|(_, one)| one.clone()));
        if result.is_ok() {
            pasted.set(String::new());
        }
        outcome.set(Some(result.map(|(done, _)| done)));
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
        <section class="panel" class:drop-target=move || dragging.get() aria-labelledby="import-title"
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=drop>
            <h2 id="import-title">{title}</h2>
            <div class="panel-actions">
                <label class="button file-button" class:button-disabled=read_only>
                    {button}
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
            <super::notices::OutcomeMessage outcome/>
            {move || opened.get().map(|(id, text)| view! {
                <p><a class="button button-primary" href=super::nav::href(&crate::core::link::Route::Case(id))>{text}</a></p>
            })}
        </section>
    }
}

/// Writes what a file brings; the words for it, and the one case it wrote (to open next).
fn restore_cases(
    desk: &Desk,
    file: bundle::FromFile,
    name: &str,
) -> Result<(String, Option<(String, String)>), String> {
    let incoming = file.cases;
    let count = incoming.len();
    let known = desk
        .complete_cases()
        .map_err(|e| format!("Nothing was restored from {name}. {e}"))?;
    let was_empty = known.is_empty();
    let plan = bundle::plan(&known, incoming, Utc::now());
    let mut summary = if plan.added + plan.updated == 0 && plan.conflicts.is_empty() {
        // Nothing was written: say so rather than "restored".
        format!(
            "Nothing new in {name}: {} already here and up to date.",
            if count == 1 {
                "its case is".to_string()
            } else {
                format!("all {count} of its cases are")
            }
        )
    } else {
        format!(
            "Restored {count} case{} from {name}: {} added, {} updated, {} already up to date.",
            if count == 1 { "" } else { "s" },
            plan.added,
            plan.updated,
            plan.unchanged,
        )
    };
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
    let one = match plan.writes.as_slice() {
        [case] => Some((
            case.id.clone(),
            format!("Open {} · {}", case.reference, case.details.subject),
        )),
        _ => None,
    };
    let total = plan.writes.len();
    let not = desk.write_restored(plan.writes);
    if !not.is_empty() {
        return Err(partly_restored(name, total, &not));
    }
    desk.hold_pending(plan.conflicts.into_iter().map(|c| c.theirs).collect(), name)
        .map_err(|e| format!("The cases that need your decision couldn't be kept: {e}"))?;
    // A backup restored onto a new desk keeps counting in the zone it was made in.
    if let Some(zone) = file.zone.filter(|_| was_empty && total > 0) {
        if desk.take_zone_of_restore(&zone) {
            summary.push_str(&format!(
                " This desk now counts in the file's team time zone, {}, as the desk that made it did; a lead can change it in the playbook's calendar.",
                zone.replace('_', " ")
            ));
        }
    }
    Ok((summary, one))
}

/// What a restore that wrote only some of its cases says: how many of how many, why the rest
/// weren't, and which.
fn partly_restored(name: &str, total: usize, not: &[(String, String)]) -> String {
    let written = total - not.len();
    let mut reasons: Vec<&str> = not.iter().map(|(_, why)| why.as_str()).collect();
    reasons.dedup();
    let which: Vec<&str> = not.iter().map(|(r, _)| r.as_str()).collect();
    format!(
        "{written} of {total} cases from {name} restored; {} not: {}. Not written: {}. They are held in this tab only: download all cases to keep them, free some space (the Data page shows what is stored), then choose “Try saving again”.",
        not.len(),
        reasons.join("; "),
        which.join(", "),
    )
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
fn PasteBox(
    pasted: RwSignal<String>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    use wasm_bindgen::JsCast;
    let held = move || pasted.with(|p| p.len() > SCREENFUL);
    let take = move |text: String| {
        if text.len() > bundle::MAX_BUNDLE_BYTES {
            pasted.set(String::new());
            outcome.set(Some(Err(format!(
                "Nothing was imported from the pasted text. It is {}, more than any export of ours ({} MB at most).",
                super::data::size(text.len()),
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
                        {format!("Pasted {} of text, ready to import. It isn't shown: that much text would stall the page.", super::data::size(pasted.with(String::len)))}
                    </p>
                    <button type="button" class="button button-small" on:click=clear>
                        "Clear"<span class="visually-hidden">" the pasted text"</span>
                    </button>
                </div>
            })}
        </div>
    }
}
