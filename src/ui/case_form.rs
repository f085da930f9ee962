//! Opening and editing a case: the form of PRODUCT.md step 1, the status moves, deletion, and
//! the timeline.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::case::{Case, Channel, Details, Status, Step};
use crate::core::link::Route;

use super::deadlines::{Deadlines, LevelActions};
use super::desk::Desk;
use super::focus;
use super::time;
use super::timeline::Timeline;

use super::nav::go;

/// The form's details when they can be saved; otherwise says why on screen (a subject is
/// needed: it is how the case is found again) and takes focus to the field.
fn ready_to_save(
    draft: RwSignal<Details>,
    error: RwSignal<Option<&'static str>>,
) -> Option<Details> {
    let details = draft.get_untracked();
    if details.subject.trim().is_empty() {
        error.set(Some("Add a subject: it is how the case is found again."));
        focus::now("#field-subject");
        return None;
    }
    error.set(None);
    Some(details)
}

/// Shows `screen` for a case that exists in this browser, or says it isn't here. The screen is
/// built once per case, not on every change to it.
pub fn with_case(
    id: String,
    screen: impl Fn(String) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let exists = {
        let id = id.clone();
        Memo::new(move |_| desk.rows.with(|rows| rows.iter().any(|r| r.case.id == id)))
    };
    move || {
        if exists.get() {
            screen(id.clone())
        } else if let Some((done, total)) = desk.loading.get() {
            view! {
                <h1>"Reading your cases…"</h1>
                <p role="status">{format!("{done} of {total} read; this case opens as soon as it is.")}</p>
            }
            .into_any()
        } else {
            view! {
                <h1>"Case not found"</h1>
                <p>"There is no case at this address in this browser. It may have been deleted, or saved in another browser: import it from a file on the Data page."</p>
                <p><a href="#/">"Go to the case list"</a></p>
            }
            .into_any()
        }
    }
}

#[component]
pub fn NewCase() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let draft = RwSignal::new(Details {
        contact_count: 1,
        ..Details::default()
    });
    let error = RwSignal::new(None::<&'static str>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(details) = ready_to_save(draft, error) else {
            return;
        };
        if let Some(case) = desk.create(details) {
            go(&Route::Case(case.id));
        }
    };

    view! {
        <div class="screen-head">
            <h1>"New case"</h1>
        </div>
        <form class="case-form" on:submit=submit novalidate>
            <DetailsFields draft read_only error/>
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=read_only>"Open case"</button>
                <a class="button" href="#/">"Cancel"</a>
            </div>
        </form>
    }
}

#[component]
pub fn CaseScreen(id: String) -> impl IntoView {
    let desk = expect_context::<Desk>();
    with_case(id, move |id| match untrack(|| desk.case(&id)) {
        Some(found) => view! { <CaseEditor initial=found/> }.into_any(),
        None => ().into_any(),
    })
}

#[component]
fn CaseEditor(initial: Case) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let id = initial.id.clone();
    let current = {
        let id = id.clone();
        Memo::new(move |_| desk.case(&id))
    };
    // The form edits `draft`; `base` is the version of the case the draft started from. A save
    // is based on `base`, so the store sees a conflict when another tab saved in between.
    let draft = RwSignal::new(initial.details.clone());
    let base = RwSignal::new(initial);
    let error = RwSignal::new(None::<&'static str>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    let dirty = Memo::new(move |_| {
        current.with(|c| c.as_ref().is_some_and(|c| draft.with(|d| *d != c.details)))
    });
    let changed_elsewhere = RwSignal::new(false);

    // The case changed (a save here, a status move, another tab, a restore). Follow it when
    // that can't lose an unsaved edit; otherwise keep the edit and say so.
    Effect::new(move || {
        let Some(now) = current.get() else {
            return;
        };
        let untouched = draft.with_untracked(|d| base.with_untracked(|b| *d == b.details));
        let same_details = base.with_untracked(|b| b.details == now.details);
        let draft_is_stored = draft.with_untracked(|d| *d == now.details);
        if untouched {
            draft.set(now.details.clone());
            base.set(now);
            changed_elsewhere.set(false);
        } else if same_details || draft_is_stored {
            base.set(now);
            changed_elsewhere.set(false);
        } else {
            changed_elsewhere.set(true);
        }
    });

    // After two tabs' versions were merged, the form shows the merged case.
    Effect::new(move || {
        if let Some(resolved) = desk.resolved.get() {
            if resolved == id {
                if let Some(now) = current.get_untracked() {
                    draft.set(now.details.clone());
                    base.set(now);
                    changed_elsewhere.set(false);
                }
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(details) = ready_to_save(draft, error) else {
            return;
        };
        match base.get_untracked().edited(details, Utc::now()) {
            Some(edited) => desk.save(edited, "Changes saved"),
            None => desk.say("No changes to save"),
        }
    };

    let discard = move |_| {
        if let Some(case) = current.get_untracked() {
            draft.set(case.details.clone());
            base.set(case);
            changed_elsewhere.set(false);
        }
    };

    // A link from the handoff screen names the field to fill in.
    request_animation_frame(|| {
        let hash = super::nav::nav()
            .map(|n| n.hash_untracked())
            .unwrap_or_default();
        if let Some(field) = crate::core::link::field_to_focus(&hash) {
            focus::now(&format!("#{field}"));
        }
    });

    let heading = move || {
        current.with(|c| {
            c.as_ref()
                .map(|c| {
                    if c.details.subject.trim().is_empty() {
                        c.reference.clone()
                    } else {
                        format!("{} · {}", c.reference, c.details.subject)
                    }
                })
                .unwrap_or_default()
        })
    };

    view! {
        <div class="screen-head">
            <h1>{heading}</h1>
            <p class="case-facts">
                {move || current.get().map(|c| view! {
                    <span class=format!("status status-{}", c.status.key())>{c.status.label()}</span>
                    <span>"Opened " {time::local(c.created_at)}</span>
                    {desk.rows.with(|rows| rows.iter().find(|r| r.case.id == c.id).and_then(|r| r.due.map(|due| (due, r.is_overdue(desk.now.get()))))).map(|(due, overdue)| view! {
                        <span class:due-overdue=overdue>
                            "Next due " {time::local(due)} " (" {time::relative(due, desk.now.get())} ")"
                        </span>
                    })}
                })}
            </p>
        </div>
        <div class="case-layout">
            <form class="case-form" on:submit=submit novalidate aria-label="Case details">
                <Show when=move || changed_elsewhere.get()>
                    <p class="inline-note" role="status">
                        "This case was changed in another tab. Your edits below are kept; saving asks which version to keep."
                    </p>
                </Show>
                <DetailsFields draft read_only error/>
                <div class="form-actions form-actions-sticky">
                    <button type="submit" class="button button-primary" disabled=read_only>"Save changes"</button>
                    <Show when=move || dirty.get()>
                        <button type="button" class="button" on:click=discard>"Discard changes"</button>
                        <span class="dirty-note">"Unsaved changes"</span>
                    </Show>
                </div>
            </form>
            <aside class="case-side" aria-label="Status and history">
                {move || current.get().map(|c| view! { <TriagePanel case=c/> })}
                {move || current.get().map(|c| view! { <Deadlines case=c read_only/> })}
                {move || current.get().map(|c| view! { <StatusActions case=c read_only/> })}
                {move || current.get().map(|c| view! { <LevelActions case=c read_only/> })}
                {move || current.get().map(|c| view! { <Timeline case=c/> })}
                {move || current.get().map(|c| view! { <DeleteCase case=c read_only/> })}
            </aside>
        </div>
    }
}

/// The triage decision in force, or the way to start one.
#[component]
fn TriagePanel(case: Case) -> impl IntoView {
    let href = Route::Triage(case.id.clone()).href();
    let action = match (&case.triage, case.decision()) {
        (Some(_), _) => "Continue triage",
        (None, Some(_)) => "Triage again",
        (None, None) => "Start triage",
    };
    let decision = case.decision().cloned().map(|d| {
        view! {
            <dl class="facts">
                <dt>"Level"</dt><dd>{d.chosen_name.clone()}</dd>
                <dt>"Priority"</dt><dd>{d.priority.label()}</dd>
                <dt>"Receiver"</dt><dd>{d.receiver.clone()}</dd>
            </dl>
            {d.override_reason.clone().map(|r| view! {
                <p class="hint">{format!("Recommended: {}. Chosen instead because: {r}", d.recommended_name)}</p>
            })}
            <details>
                <summary>"Why, and what the customer was told"</summary>
                <ul class="reasons">{d.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                <blockquote class="customer-message">{d.customer_message.clone()}</blockquote>
                <p class="hint">{format!("Playbook {}", d.playbook.label())}</p>
            </details>
        }
    });
    let handoff = Route::Handoff(case.id.clone()).href();
    view! {
        <section class="panel" aria-labelledby="triage-title">
            <h2 id="triage-title">"Escalation"</h2>
            {decision}
            <div class="panel-actions">
                <a class="button button-primary" href=href>{action}</a>
                <a class="button" href=handoff>"Prepare the handoff"</a>
            </div>
        </section>
    }
}

#[component]
fn StatusActions(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let moves = case.status.next();
    view! {
        <section class="panel" aria-labelledby="status-title">
            <h2 id="status-title">"Status: " {case.status.label()}</h2>
            <div class="status-actions">
                {moves.iter().map(|to| {
                    let to: Status = *to;
                    let case = case.clone();
                    view! {
                        <button type="button" class="button" disabled=read_only on:click=move |_| {
                            match case.transitioned(to, Utc::now()) {
                                Ok(moved) => desk.save(moved, &format!("Status is now {}", to.label())),
                                Err(err) => desk.say(err.to_string()),
                            }
                        }>{to.action_label()}</button>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn DeleteCase(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    view! {
        <section class="panel panel-quiet">
            <button type="button" class="button button-danger" disabled=read_only on:click=move |_| {
                desk.delete(&case);
                go(&Route::Cases);
            }>"Delete case"</button>
            <p class="hint">"You can undo a deletion right after it."</p>
        </section>
    }
}

/// One text field bound to a part of the draft.
fn text_field(
    draft: RwSignal<Details>,
    id: &'static str,
    label: &'static str,
    get: fn(&Details) -> &str,
    set: fn(&mut Details, String),
    input_type: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))
            />
        </div>
    }
}

fn text_area(
    draft: RwSignal<Details>,
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    get: fn(&Details) -> &str,
    set: fn(&mut Details, String),
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field field-wide">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <textarea
                id=id
                rows="4"
                aria-describedby=hint_id
                prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))
            ></textarea>
        </div>
    }
}

#[component]
fn DetailsFields(
    draft: RwSignal<Details>,
    read_only: Signal<bool>,
    error: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <fieldset class="form-section" disabled=read_only>
            <legend>"Customer"</legend>
            <div class="field-grid">
                {text_field(draft, "field-customer-name", "Name", |d| &d.customer.name, |d, v| d.customer.name = v, "text", "off")}
                {text_field(draft, "field-contact", "Email or phone", |d| &d.customer.contact, |d, v| d.customer.contact = v, "text", "off")}
                {text_field(draft, "field-account", "Account or plan", |d| &d.customer.account, |d, v| d.customer.account = v, "text", "off")}
                <div class="field field-check">
                    <input
                        id="field-vip"
                        type="checkbox"
                        prop:checked=move || draft.with(|d| d.customer.vip)
                        on:change=move |ev| draft.update(|d| d.customer.vip = event_target_checked(&ev))
                    />
                    <label for="field-vip">"VIP or high-value account"</label>
                </div>
            </div>
        </fieldset>
        <fieldset class="form-section" disabled=read_only>
            <legend>"Issue"</legend>
            <div class="field-grid">
                <div class="field field-wide">
                    <label for="field-subject">"Subject " <span class="required">"(required)"</span></label>
                    <input
                        id="field-subject"
                        type="text"
                        autocomplete="off"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        aria-describedby="subject-error"
                        prop:value=move || draft.with(|d| d.subject.clone())
                        on:input=move |ev| draft.update(|d| d.subject = event_target_value(&ev))
                    />
                    <p id="subject-error" class="field-error" role="alert">{move || error.get()}</p>
                </div>
                <div class="field">
                    <label for="field-channel">"Channel"</label>
                    <select
                        id="field-channel"
                        on:change=move |ev| {
                            if let Some(c) = Channel::from_key(&event_target_value(&ev)) {
                                draft.update(|d| d.channel = c);
                            }
                        }
                    >
                        {Channel::ALL.into_iter().map(|c| view! {
                            <option value=c.key() selected=move || draft.with(|d| d.channel == c)>{c.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                {text_field(draft, "field-product", "Product or area", |d| &d.product, |d, v| d.product = v, "text", "off")}
                <div class="field">
                    <label for="field-contacts">"Contacts so far"</label>
                    <input
                        id="field-contacts"
                        type="number"
                        min="1"
                        max="999"
                        inputmode="numeric"
                        prop:value=move || draft.with(|d| d.contact_count.to_string())
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                draft.update(|d| d.contact_count = n.min(999));
                            }
                        }
                    />
                </div>
                {text_field(draft, "field-owner", "Owner", |d| &d.owner, |d, v| d.owner = v, "text", "off")}
                {text_area(draft, "field-description", "Description", "What is happening, in the customer's words and yours.", |d| &d.description, |d, v| d.description = v)}
            </div>
        </fieldset>
        <fieldset class="form-section" disabled=read_only>
            <legend>"What the customer expects"</legend>
            <div class="field-grid">
                {text_area(draft, "field-expectation", "Expectation", "What the customer wants to happen, as they said it.", |d| &d.expectation, |d, v| d.expectation = v)}
                <div class="field">
                    <label for="field-deadline">"By when"</label>
                    <input
                        id="field-deadline"
                        type="datetime-local"
                        prop:value=move || draft.with(|d| d.deadline.map(time::to_input).unwrap_or_default())
                        on:change=move |ev| {
                            let value = time::from_input(&event_target_value(&ev));
                            draft.update(|d| d.deadline = value);
                        }
                    />
                </div>
            </div>
        </fieldset>
        <StepsEditor draft read_only/>
        <fieldset class="form-section" disabled=read_only>
            <legend>"For the next tier"</legend>
            <div class="field-grid">
                {text_area(draft, "field-impact", "Impact", "Who and what is affected, and how badly (customers, sites, money).", |d| &d.impact, |d, v| d.impact = v)}
                {text_area(draft, "field-evidence", "Evidence", "Logs, screenshots, ticket or trace links the next tier can look at.", |d| &d.evidence, |d, v| d.evidence = v)}
            </div>
        </fieldset>
    }
}

#[component]
fn StepsEditor(draft: RwSignal<Details>, read_only: Signal<bool>) -> impl IntoView {
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let add = move || {
        let what = action.get_untracked();
        if what.trim().is_empty() {
            focus::now("#step-action");
            return;
        }
        draft.update(|d| {
            d.steps.push(Step {
                at: Utc::now(),
                action: what.trim().to_string(),
                outcome: outcome.get_untracked().trim().to_string(),
            })
        });
        action.set(String::new());
        outcome.set(String::new());
        focus::now("#step-action");
    };
    let enter_adds = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            add();
        }
    };
    view! {
        <fieldset class="form-section" disabled=read_only>
            <legend>"Steps already taken"</legend>
            <ol class="steps">
                {move || draft.with(|d| d.steps.iter().enumerate().map(|(i, step)| {
                    let label = format!("Remove step {}: {}", i + 1, step.action);
                    view! {
                        <li class="step">
                            <div>
                                <span class="step-action">{step.action.clone()}</span>
                                {(!step.outcome.is_empty()).then(|| view! {
                                    <span class="step-outcome">" → " {step.outcome.clone()}</span>
                                })}
                                <time class="step-time" datetime=time::iso(step.at)>{time::local(step.at)}</time>
                            </div>
                            <button type="button" class="button button-quiet button-small" aria-label=label on:click=move |_| {
                                draft.update(|d| { if i < d.steps.len() { d.steps.remove(i); } });
                            }>"Remove"</button>
                        </li>
                    }
                }).collect_view())}
            </ol>
            <div class="step-add">
                <div class="field">
                    <label for="step-action">"Step taken"</label>
                    <input id="step-action" type="text" autocomplete="off"
                        prop:value=move || action.get()
                        on:input=move |ev| action.set(event_target_value(&ev))
                        on:keydown=enter_adds
                    />
                </div>
                <div class="field">
                    <label for="step-outcome">"Outcome"</label>
                    <input id="step-outcome" type="text" autocomplete="off"
                        prop:value=move || outcome.get()
                        on:input=move |ev| outcome.set(event_target_value(&ev))
                        on:keydown=enter_adds
                    />
                </div>
                <button type="button" class="button" on:click=move |_| add()>"Add step"</button>
            </div>
        </fieldset>
    }
}
