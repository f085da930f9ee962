//! The Data page (console): export everything, restore from a file, how much storage is used, and
//! the values that were set aside because they couldn't be read.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::bundle;
use crate::store::USUAL_QUOTA;

use super::desk::Desk;
use super::files;

/// Downloads every case, including edits held only in memory.
pub fn download_everything(desk: &Desk) -> Result<(), String> {
    let now = Utc::now();
    let zone = desk
        .playbook
        .with_untracked(|p| p.calendar.time_zone.clone());
    let text = bundle::export_in(&desk.complete_cases()?, now, Some(&zone));
    files::download(&bundle::file_name(now), "application/json", &text)?;
    desk.say("Download started");
    let mut prefs = desk.prefs.get_untracked();
    prefs.last_export = Some(now);
    desk.set_prefs(prefs);
    Ok(())
}

#[component]
pub fn DataScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let failed = RwSignal::new(None::<Result<String, String>>);
    let export = move |_| failed.set(download_everything(&desk).err().map(Err));
    let export_csv = move |_| {
        let cases = match desk.complete_cases() {
            Ok(cases) => cases,
            Err(e) => return failed.set(Some(Err(e))),
        };
        let text = crate::core::handoff::csv(&cases, &desk.hours(), chrono::Utc::now(), &|t| {
            super::time::team(t)
        });
        let name = format!(
            "escalation-desk-cases-{}.csv",
            super::time::iso_day(Utc::now().date_naive())
        );
        match files::download(&name, "text/csv", &text) {
            Ok(()) => desk.say("Download started"),
            Err(e) => failed.set(Some(Err(e))),
        }
    };

    view! {
        <div class="screen-head">
            <h1>"Your data"</h1>
        </div>
        <p class="lede">
            "Cases are kept in this browser only. Browsers can clear site data (Safari after seven days without a visit), so download a copy regularly and keep it safe."
        </p>
        <section class="panel" aria-labelledby="backup-title">
            <h2 id="backup-title">"Back up"</h2>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=export>"Download all cases"</button>
                <button type="button" class="button" on:click=export_csv>"Download the list as CSV"</button>
            </div>
            <super::notices::OutcomeMessage outcome=failed/>
        </section>
        <super::import::ImportPanel title="Restore or import" button="Restore or import a file…"/>
        <super::pending::Decisions/>
        <Reminder/>
        <OfflineUse/>
        <StorageUse/>
        <SetAside/>
    }
}

/// When to remind the agent to download a copy of every case.
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
pub(super) fn size(chars: usize) -> String {
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
                view! {
                    <p>"These stored values couldn't be read, so they were kept aside untouched. Download one to inspect or repair it; discard it only once you are sure."</p>
                    <ul class="aside-list">
                        {list.into_iter().map(|(key, raw, reason)| {
                            // A packed value is offered as the JSON it holds, readable and
                            // repairable; one that won't unpack, as it was stored.
                            let (file, raw) = match crate::core::pack::is_packed(&raw)
                                .then(|| crate::core::pack::unpack(&raw, crate::core::migrate::MAX_STORED_BYTES).ok())
                                .flatten()
                            {
                                Some(json) => (format!("{}.json", key.replace(':', "-")), json),
                                None => (format!("{}.txt", key.replace(':', "-")), raw),
                            };
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
