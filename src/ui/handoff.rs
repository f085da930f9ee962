//! The handoff screen: what the level still needs, then the summary in the chosen format,
//! previewed exactly as it will be copied, downloaded or printed. Every export lands on the
//! case's timeline.

use chrono::Utc;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::case::Case;
use crate::core::handoff::{self, Format, Missing};
use crate::core::link::Route;

use super::desk::Desk;
use super::files;
use super::time;

#[component]
pub fn HandoffScreen(id: String) -> impl IntoView {
    super::case_form::with_case(id, |id| view! { <Handoff id/> }.into_any())
}

/// Copies text with the Clipboard API; the caller falls back to a selected text area.
async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// The old way, for browsers or pages where the Clipboard API is refused.
fn copy_selected(textarea_id: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(area) = document
        .get_element_by_id(textarea_id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    let _ = area.focus();
    area.select();
    document
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false)
}

#[component]
fn Handoff(id: String) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let case = {
        let id = id.clone();
        Memo::new(move |_| desk.case(&id))
    };
    // The format and the masking chosen for this case are kept (leaving, a reload): an agent
    // who masked the contact must not find it unmasked when they come back to copy.
    let kept_format = desk.note(&id, "handoff-format");
    let format = RwSignal::new(
        Format::ALL
            .into_iter()
            .find(|f| f.key() == kept_format)
            .unwrap_or(Format::Markdown),
    );
    let redacted = RwSignal::new(desk.note(&id, "handoff-mask") == "masked");
    let keep_choice = {
        let id = StoredValue::new(id.clone());
        move |box_id: &str, value: &str| id.with_value(|id| desk.keep_note(id, box_id, value))
    };
    let acknowledged = RwSignal::new(false);
    let fallback = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<String, String>>);

    let missing = Memo::new(move |_| {
        case.with(|c| {
            c.as_ref()
                .and_then(|c| {
                    desk.playbook
                        .with(|p| handoff::level_of(c, p).map(|l| handoff::missing(c, l)))
                })
                .unwrap_or_default()
        })
    });
    let blocked = Memo::new(move |_| missing.with(|m| m.iter().any(|x| x.blocks)));
    let needs_ack = Memo::new(move |_| missing.with(|m| !m.is_empty()));
    let triaged =
        Memo::new(move |_| case.with(|c| c.as_ref().is_some_and(|c| c.decision().is_some())));
    // The customer's message is not the handoff: it can go as soon as the case is triaged,
    // whatever the handoff still lacks (the agent may be telling the customer right now).
    let can_send = Signal::derive(move || match format.get() {
        Format::Customer => triaged.get(),
        _ => !blocked.get() && (!needs_ack.get() || acknowledged.get()),
    });
    let text = Memo::new(move |_| {
        let f = format.get();
        let r = redacted.get();
        case.with(|c| {
            c.as_ref()
                .map(|c| {
                    desk.playbook
                        .with(|p| handoff::render(c, p, f, r, Utc::now(), &|t| time::team(t)))
                })
                .unwrap_or_default()
        })
    });

    // The same summary, formatted for reading (Markdown and plain text carry it).
    let summary = Memo::new(move |_| {
        let r = redacted.get();
        case.with(|c| {
            c.as_ref().map(|c| {
                desk.playbook
                    .with(|p| handoff::summary(c, p, r, &|t| time::team(t)))
            })
        })
    });
    let formatted = move || matches!(format.get(), Format::Markdown | Format::Text);

    // Puts the export on the timeline.
    let record = move |how: &str| {
        if let Some(c) = case.get_untracked() {
            // The customer's message goes without the handoff's gaps: it has none.
            let acked: Vec<Missing> = if format.get_untracked() == Format::Customer {
                Vec::new()
            } else {
                missing.get_untracked()
            };
            let next = handoff::exported(
                &c,
                format.get_untracked(),
                how,
                redacted.get_untracked(),
                &acked,
                Utc::now(),
            );
            desk.save(next, "");
        }
    };

    let copy = move |_| {
        let content = text.get_untracked();
        leptos::task::spawn_local(async move {
            if copy_text(&content).await {
                record("copied");
                message.set(Some(Ok("Copied. Paste it into the ticket.".into())));
            } else {
                fallback.set(true);
                // Let the text area appear, then try the older way.
                leptos::task::tick().await;
                if copy_selected("handoff-fallback") {
                    record("copied");
                    message.set(Some(Ok("Copied. Paste it into the ticket.".into())));
                } else {
                    message.set(Some(Err(
                        "The browser didn't allow copying. The text is selected below: press Ctrl+C (⌘C on a Mac).".into(),
                    )));
                }
            }
        });
    };
    let download = move |_| {
        let Some(c) = case.get_untracked() else {
            return;
        };
        let f = format.get_untracked();
        let name = handoff::file_name(&c, f, redacted.get_untracked());
        match files::download(&name, f.mime(), &text.get_untracked()) {
            Ok(()) => {
                record("downloaded");
                message.set(Some(Ok(format!("Downloading {name}."))));
            }
            Err(e) => message.set(Some(Err(e))),
        }
    };
    let embed = use_context::<super::embed::Embed>();
    let send = move |_| {
        if let Some(embed) = embed {
            embed.post(&crate::core::embed::AppMessage::Handoff {
                format: format.get_untracked().key().to_string(),
                text: text.get_untracked(),
            });
            record("sent to the ticket");
            message.set(Some(Ok("Sent to the ticket.".into())));
        }
    };
    let print = move |_| {
        record("printed");
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };

    let back = Route::Case(id.clone()).href();
    let case_id = id.clone();
    view! {
        <div class="screen-head">
            <a class="back-link" href=back>"Back to the case"</a>
            <h1>{move || case.with(|c| c.as_ref().map(|c| format!("Handoff · {} · {}", c.reference, c.details.subject)).unwrap_or_default())}</h1>
        </div>
        <Show when=move || !triaged.get()>
            <p class="inline-note">
                "This case isn't triaged yet, so the handoff can't say which level, why, or by when. "
                <a href=Route::Triage(case_id.clone()).href()>"Triage it first"</a>
                "."
            </p>
        </Show>
        // The preview and its actions come first: at 320 px "Copy to clipboard" is in the
        // first screen and the first Tab, not 920 px down (issue 34.9); on a wide screen the
        // parts and the format stand beside it, on the left.
        <div class="handoff-layout">
            <section class="panel handoff-preview" aria-labelledby="preview-title">
                <h2 id="preview-title">"Preview"</h2>
                // The actions first: the one thing to do here is in the first screen.
                <div class="panel-actions">
                    {embed.map(|e| view! {
                        <Show when=move || e.host.with(Option::is_some)>
                            <button type="button" class="button button-primary" disabled=move || !can_send.get() on:click=send>"Send to the ticket"</button>
                        </Show>
                    })}
                    <button type="button" class="button button-primary" disabled=move || !can_send.get() on:click=copy>"Copy to clipboard"</button>
                    <button type="button" class="button" disabled=move || !can_send.get() on:click=download>"Download"</button>
                    <button type="button" class="button" disabled=move || !can_send.get() on:click=print>"Print or save as PDF"</button>
                </div>
                // A button that can't be used says why, beside it.
                <p class="hint why-not" id="why-not">{move || {
                    if can_send.get() {
                        String::new()
                    } else if format.get() == Format::Customer {
                        "The customer message is written when the case is triaged: choose another format, or triage first.".to_string()
                    } else if blocked.get() {
                        let parts: Vec<&str> = missing.with(|m| m.iter().filter(|x| x.blocks).map(|x| x.field.label()).collect());
                        format!("It can't go yet: this level needs {} first (see “Before it goes”).", parts.join(", "))
                    } else {
                        "Some parts are missing: fill them in, or tick “Send it anyway” under “Before it goes”.".to_string()
                    }
                }}</p>
                // Below the preview on a narrow screen: one press reaches what is missing.
                <Show when=move || !can_send.get() && format.get() != Format::Customer>
                    <button type="button" class="button button-small button-quiet"
                        on:click=move |_| super::focus::now("#complete-title")>"Go to “Before it goes”"</button>
                </Show>
                <super::notices::OutcomeMessage outcome=message/>
                <Show when=move || fallback.get()>
                    <div class="field">
                        <label for="handoff-fallback">"Text to copy"</label>
                        <textarea id="handoff-fallback" readonly rows="8" prop:value=move || text.get()></textarea>
                    </div>
                </Show>
                <Show when=formatted>
                    {move || summary.get().map(summary_view)}
                </Show>
                <details class="exact" prop:open=move || !formatted()>
                    <summary>"Exactly what will be copied"</summary>
                    <pre class="preview" tabindex="0" aria-label="Exactly what will be copied">{move || text.get()}</pre>
                </details>
                <Show when=move || format.get() == Format::Customer && !triaged.get()>
                    <p class="hint">"The customer message is written when the case is triaged."</p>
                </Show>
            </section>
            <div class="handoff-side">
                <Completeness id=id.clone() missing blocked acknowledged/>
                <section class="panel" aria-labelledby="format-title">
                    <h2 id="format-title">"Format"</h2>
                    <fieldset class="choice-group">
                        <legend class="visually-hidden">"Format"</legend>
                        {Format::ALL.into_iter().map(|f| {
                            let input_id = format!("format-{}", f.key());
                            view! {
                                <div class="field-check">
                                    <input type="radio" name="format" id=input_id.clone()
                                        aria-describedby=format!("{input_id}-hint")
                                        prop:checked=move || format.get() == f
                                        on:change=move |_| {
                                            format.set(f);
                                            keep_choice("handoff-format", f.key());
                                            fallback.set(false);
                                            message.set(None);
                                        }/>
                                    <label for=input_id.clone()>{f.label()}</label>
                                    <span class="hint-inline" id=format!("{input_id}-hint")>{f.hint()}</span>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field-check">
                        <input type="checkbox" id="redact" prop:checked=move || redacted.get()
                            on:change=move |ev| {
                                let masked = event_target_checked(&ev);
                                keep_choice("handoff-mask", if masked { "masked" } else { "" });
                                redacted.set(masked);
                            }/>
                        <label for="redact">"Mask the customer's contact details (for handoffs that leave the support team)"</label>
                    </div>
                </section>
            </div>
        </div>
        <PrintSheet case/>
    }
}

#[component]
fn Completeness(
    id: String,
    missing: Memo<Vec<Missing>>,
    blocked: Memo<bool>,
    acknowledged: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="complete-title">
            <h2 id="complete-title" tabindex="-1">"Before it goes"</h2>
            {move || {
                let list = missing.get();
                if list.is_empty() {
                    return view! { <p class="message message-ok">"Everything this level asks for is filled in."</p> }.into_any();
                }
                let id = id.clone();
                view! {
                    <ul class="missing">
                        {list.into_iter().map(|m| {
                            let href = format!("{}?field={}", Route::Case(id.clone()).href(), m.field.control());
                            view! {
                                <li class:missing-blocks=m.blocks>
                                    <span>{m.field.label()}</span>
                                    {if m.blocks { " (required)" } else { " (missing)" }}
                                    " "
                                    <a href=href aria-label=format!("Fill in: {}", m.field.label())>"Fill in"</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || if blocked.get() {
                        view! { <p class="message message-error" role="alert">"This handoff can't go until every required part is filled in."</p> }.into_any()
                    } else {
                        view! {
                            <div class="field-check">
                                <input type="checkbox" id="ack-missing" prop:checked=move || acknowledged.get()
                                    on:change=move |ev| acknowledged.set(event_target_checked(&ev))/>
                                <label for="ack-missing">"Send it anyway; this gap will be noted on the timeline"</label>
                            </div>
                        }.into_any()
                    }}
                }.into_any()
            }}
        </section>
    }
}

/// The summary as a document, shown only when printing.
#[component]
fn PrintSheet(case: Memo<Option<Case>>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    move || {
        let c = case.get()?;
        let s = desk
            .playbook
            .with(|p| handoff::summary(&c, p, false, &|t| time::team(t)));
        Some(view! {
            <article class="print-sheet" aria-hidden="true">
                <h2>{s.title}</h2>
                {s.sections.into_iter().map(|section| view! {
                    <h3>{section.title}</h3>
                    <dl>
                        {section.rows.into_iter().map(|r| view! {
                            <dt>{r.label}</dt>
                            <dd>{if r.list {
                                view! { <ul>{r.values.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul> }.into_any()
                            } else {
                                view! { <span>{r.values.join(" ")}</span> }.into_any()
                            }}</dd>
                        }).collect_view()}
                    </dl>
                }).collect_view()}
            </article>
        })
    }
}

/// The summary as a reader sees it once pasted where Markdown shows: headings, labelled rows
/// and lists, in bold where the copy has bold.
fn summary_view(s: handoff::Summary) -> impl IntoView {
    view! {
        <article class="summary" aria-label="Formatted summary">
            <h3>{s.title}</h3>
            {s.sections.into_iter().map(|section| view! {
                <section>
                    <h4>{section.title}</h4>
                    <dl class="facts">
                        {section.rows.into_iter().map(|r| {
                            let value = if r.list {
                                view! { <ul>{r.values.into_iter().map(|v| view! { <li>{v}</li> }).collect_view()}</ul> }.into_any()
                            } else {
                                view! { <span class="summary-value">{r.values.into_iter().next().unwrap_or_default()}</span> }.into_any()
                            };
                            view! { <dt>{r.label}</dt><dd>{value}</dd> }
                        }).collect_view()}
                    </dl>
                </section>
            }).collect_view()}
        </article>
    }
}
