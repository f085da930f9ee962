//! Opening and editing a case: the form of PRODUCT.md step 1, the status moves, deletion, and
//! the timeline.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::case::{Case, Channel, Details, Status, Step};
use crate::core::learning;
use crate::core::link::Route;

use crate::core::triage::{next_step, NextStep};

use super::badges;
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
        } else {
            no_case(desk, &id)
        }
    }
}

/// What a case's address shows while the case isn't here (not generic, so written once for
/// every screen `with_case` serves): still being read, deleted by the team, or not found.
fn no_case(desk: Desk, id: &str) -> AnyView {
    if let Some((done, total)) = desk.loading.get() {
        return view! {
            <h1>"Reading your cases…"</h1>
            <p role="status">{format!("{done} of {total} read; this case opens as soon as it is.")}</p>
        }
        .into_any();
    }
    // Removed by the team (while it was open here, or before): this screen says by whom and
    // can bring it back (the notice's Undo goes after a few seconds).
    let gone = desk
        .removed
        .with(|d| d.iter().find(|r| r.case.id == id).cloned());
    match gone {
        Some(r) => view! {
            <h1>"Case deleted"</h1>
            <p>{format!("Case {} {}.", r.case.reference, r.by.was_deleted())}</p>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=move |_| desk.undo_delete(r.case.clone())>
                    "Restore this case"
                </button>
                <a href="#/">"Go to the case list"</a>
            </div>
        }
        .into_any(),
        None => view! {
            <h1>"Case not found"</h1>
            <p>"There is no case at this address in this browser. It may have been deleted, or saved in another browser: import it from a file on the Import screen."</p>
            <p><a href="#/">"Go to the case list"</a></p>
        }
        .into_any(),
    }
}

/// A new case's form as it starts: nothing typed.
fn blank() -> Details {
    Details {
        contact_count: 1,
        ..Details::default()
    }
}

#[component]
pub fn NewCase() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // The form as the agent left it (another screen, a reload, a closed tab) comes back: what
    // was typed is kept in storage until the case is opened or the form discarded, and no case
    // is opened that the agent didn't ask for.
    let kept = untrack(|| desk.new_case_draft());
    let resumed = kept.is_some();
    let draft = RwSignal::new(kept.unwrap_or_else(blank));
    let step = StepInput::new();
    let error = RwSignal::new(None::<&'static str>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    provide_context(Needed(Signal::derive(move || {
        desk.playbook.with(|p| needed_controls(None, p))
    })));
    let done = Arc::new(AtomicBool::new(false));
    {
        let done = done.clone();
        Effect::new(move |first: Option<()>| {
            let mut details = draft.get();
            let typed = step.pending();
            if first.is_none() || done.load(Ordering::Relaxed) {
                return;
            }
            add_typed_step(&mut details, typed);
            desk.keep_new_case((details != blank()).then_some(&details));
        });
    }

    // Opens the case (with a step typed but not added), then shows it or, for "Open and
    // triage", goes straight on to its triage: the next step of every new case.
    let open = {
        let done = done.clone();
        move |triage: bool| {
            let Some(mut details) = ready_to_save(draft, error) else {
                return;
            };
            add_typed_step(&mut details, step.pending_untracked());
            if let Some(case) = desk.create(details) {
                done.store(true, Ordering::Relaxed);
                desk.keep_new_case(None);
                go(&if triage {
                    Route::Triage(case.id)
                } else {
                    Route::Case(case.id)
                });
            }
        }
    };
    let submit = {
        let open = open.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            open(false);
        }
    };
    // The agent lands in the first field, ready to type (unless they already clicked into one).
    super::focus::after_render_unless_typing("#field-customer-name");
    let discard = move |_| {
        let typed_something = draft.with_untracked(|d| *d != blank())
            || !step.pending_untracked().0.trim().is_empty();
        let sure = !typed_something
            || web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message("Discard this new case? What you typed will be lost.")
                        .ok()
                })
                .unwrap_or(false);
        if sure {
            done.store(true, Ordering::Relaxed);
            desk.keep_new_case(None);
            go(&Route::Cases);
        }
    };

    view! {
        <div class="screen-head">
            <h1>"New case"</h1>
        </div>
        {resumed.then(|| view! {
            <p class="inline-note" role="status">"This is the new case you were typing: nothing was lost. Open it, or discard it."</p>
        })}
        <form class="case-form" on:submit=submit novalidate>
            <DetailsFields draft read_only error step/>
            <div class="form-actions">
                <button type="button" class="button button-primary" disabled=read_only
                    on:click=move |_| open(true)>"Open and triage"</button>
                <button type="submit" class="button" disabled=read_only>"Open case"</button>
                <button type="button" class="button" on:click=discard>"Discard"</button>
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

/// What the case screen holds that may not be stored yet: the case the draft started from, the
/// draft, and a step typed but not added. Kept outside the screen's signals so that it can
/// still be saved while the screen is being torn down (the agent left) or the page closes.
struct Held {
    base: Case,
    draft: Details,
    step: (String, String),
}

type Mirror = Arc<Mutex<Option<Held>>>;

/// A step typed but not added (`(action, outcome)`), added to `details` if there is one.
fn add_typed_step(details: &mut Details, (action, outcome): (String, String)) {
    if !action.trim().is_empty() {
        details.steps.push(Step {
            at: Utc::now(),
            action: action.trim().to_string(),
            outcome: outcome.trim().to_string(),
        });
    }
}

/// The draft as it is stored: a case is found by its subject, so an emptied one keeps the last
/// one it had.
fn storable(mut draft: Details, stored: &Details) -> Details {
    if draft.subject.trim().is_empty() {
        draft.subject = stored.subject.clone();
    }
    draft
}

/// How long typing may pause before the draft is saved.
const QUIET: Duration = Duration::from_millis(500);

/// Saves what the mirror holds, if it differs from what is stored; `with_step` also keeps a
/// step typed but not added (the agent is leaving). Returns the case as saved, if it was.
fn save_held(desk: Desk, mirror: &Mirror, with_step: bool) -> Option<Case> {
    let (base, details) = {
        let mut guard = mirror.lock().ok()?;
        let held = guard.as_mut()?;
        if with_step {
            // The typed step becomes part of the draft itself, so that no later save of the
            // fields (a pause timer still running as the agent leaves) can drop it again.
            add_typed_step(&mut held.draft, std::mem::take(&mut held.step));
        }
        (held.base.clone(), held.draft.clone())
    };
    let details = storable(details, &base.details);
    // A case deleted meanwhile is not brought back by an edit left on its screen.
    desk.case(&base.id)?;
    let edited = base.edited(details.clone(), Utc::now())?;
    desk.save(edited, "");
    // Landed only if the stored case now holds these details: a conflict with another tab is
    // asked in its dialog, and until it is answered the draft stays based where it was.
    let saved = desk.case(&base.id).filter(|c| c.details == details)?;
    if let Ok(mut guard) = mirror.lock() {
        if let Some(held) = guard.as_mut() {
            held.base = saved.clone();
        }
    }
    Some(saved)
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
    // is based on `base`, so the store merges when another tab saved in between.
    let draft = RwSignal::new(initial.details.clone());
    let base = RwSignal::new(initial.clone());
    let step = StepInput::new();
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    let changed_elsewhere = RwSignal::new(false);
    provide_context(Needed(Signal::derive(move || {
        current.with(|c| desk.playbook.with(|p| needed_controls(c.as_ref(), p)))
    })));
    provide_context(InPlace("Not recorded yet"));
    let mirror: Mirror = Arc::new(Mutex::new(Some(Held {
        base: initial.clone(),
        draft: initial.details,
        step: Default::default(),
    })));
    let pause = Arc::new(AtomicU32::new(0));

    // Saves as the agent goes: the mirror follows every change, and a pause in typing saves.
    let save_now = {
        let mirror = mirror.clone();
        move || {
            if let Some(saved) = save_held(desk, &mirror, false) {
                let _ = base.try_set(saved);
            }
        }
    };
    {
        let (mirror, pause, save_now) = (mirror.clone(), pause.clone(), save_now.clone());
        // The case the draft is based on changes rarely: copied when it does, not per key.
        let on_base = mirror.clone();
        Effect::new(move || {
            let now = base.get();
            if let Ok(Some(held)) = on_base.lock().as_deref_mut() {
                held.base = now;
            }
        });
        Effect::new(move || {
            let changed = draft.with(|d| base.with(|b| *d != b.details));
            let typed = step.pending();
            if let Ok(Some(held)) = mirror.lock().as_deref_mut() {
                held.draft = draft.get_untracked();
                held.step = typed;
            }
            if changed {
                let ticket = pause.fetch_add(1, Ordering::Relaxed) + 1;
                let (pause, save_now) = (pause.clone(), save_now.clone());
                set_timeout(
                    move || {
                        if pause.load(Ordering::Relaxed) == ticket {
                            save_now();
                        }
                    },
                    QUIET,
                );
            }
        });
    }
    // Leaving the screen (any link, the menu, back) or closing the page saves at once, a
    // half-typed step included.
    {
        let on_leave = mirror.clone();
        let on_hide = window_event_listener(leptos::ev::pagehide, move |_| {
            save_held(desk, &on_leave, true);
            // A page kept in the back-forward cache comes back showing what was saved: the
            // typed step in the list, its boxes empty.
            let kept = on_leave
                .lock()
                .ok()
                .and_then(|held| held.as_ref().map(|h| h.draft.clone()));
            if let Some(kept) = kept {
                draft.try_set(kept);
                step.action.try_set(String::new());
                step.outcome.try_set(String::new());
            }
        });
        // Closing the tab: what was typed in the last half second is saved first, so that a
        // save storage refuses makes the browser ask before the tab goes.
        let on_close = mirror.clone();
        let on_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
            save_held(desk, &on_close, false);
            if desk.holds_anything() {
                ev.prevent_default();
                ev.set_return_value("Some of what you typed is not saved yet.");
            }
        });
        let mirror = mirror.clone();
        on_cleanup(move || {
            on_hide.remove();
            on_unload.remove();
            save_held(desk, &mirror, true);
            // The screen is gone: a pause timer still running finds nothing left to save.
            if let Ok(mut guard) = mirror.lock() {
                *guard = None;
            }
        });
    }

    // The case changed (a save here, a status move, another tab, a restore). Follow it when
    // that can't lose an edit; otherwise keep the edit, which the next save merges.
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
    let saving = Memo::new(move |_| base.with(|b| storable(draft.get(), &b.details) != b.details));
    let error = RwSignal::new(None::<&'static str>);
    Effect::new(move || {
        error.set(
            draft
                .with(|d| d.subject.trim().is_empty())
                .then_some("Add a subject: it is how the case is found again. Until then the case keeps its last one."),
        );
    });

    let facts = move || {
        current.get().map(|c| {
            let (hours, warn) = desk
                .playbook
                .with(|p| (crate::core::triage::hours(p), p.warn_percent));
            let clocks = crate::core::clock::clocks(&c, &hours, desk.now.get());
            view! {
                <span class=format!("status status-{}", c.state().key())>{c.state().label()}</span>
                {badges::severity(&c)}
                {badges::lead_clock(&c, &clocks, warn)}
            }
        })
    };

    view! {
        <div class="screen-head case-head">
            <h1>{heading}</h1>
            <div class="case-state">
                <p class="case-facts">{facts}</p>
                {move || current.get().map(|c| view! { <NextAction case=c read_only/> })}
            </div>
            <p class="save-state">
                {move || if read_only.get() {
                    "Read only"
                } else if saving.get() {
                    "Saving…"
                } else {
                    "All changes saved"
                }}
            </p>
        </div>
        // Feedback not read yet comes first, on every width: the agent came for it.
        {move || current.with(|c| c.as_ref().filter(|c| learning::unread_feedback(c) > 0).and_then(|c| super::close_out::feedback_panel(c, read_only)))}
        <div class="case-layout">
            <form class="case-form in-place" novalidate aria-label="Case details"
                on:submit={
                    let save_now = save_now.clone();
                    move |ev| { ev.prevent_default(); save_now(); }
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Enter in a one-line field saves at once (the form has no submit button).
                    let one_line = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .is_some_and(|i| i.type_() != "checkbox");
                    if ev.key() == "Enter" && one_line {
                        ev.prevent_default();
                        save_now();
                    }
                }>
                <Show when=move || changed_elsewhere.get()>
                    <p class="inline-note" role="status">
                        "This case was also changed in another tab. Your edits are kept and merged with it part by part; a part both changed asks which to keep."
                    </p>
                </Show>
                <DetailsFields draft read_only error step/>
                {super::fields::people(desk.playbook.with_untracked(|p| p.people.clone()))}
            </form>
            <aside class="case-side" aria-label="Status and history">
                {move || current.with(|c| c.as_ref().filter(|c| learning::unread_feedback(c) == 0).and_then(|c| super::close_out::feedback_panel(c, read_only)))}
                {move || current.with(|c| c.as_ref().and_then(super::close_out::closeout_panel))}
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

/// The one next step for the case's state, as the primary button at the top of its screen.
#[component]
fn NextAction(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let step = desk.playbook.with_untracked(|p| next_step(&case, p));
    let link = |route: Route, label: &'static str| {
        view! { <a class="button button-primary next-action" id="next-action" href=route.href() aria-keyshortcuts="n">{label}</a> }.into_any()
    };
    match step {
        NextStep::Triage => link(Route::Triage(case.id.clone()), "Start triage"),
        NextStep::ContinueTriage => link(Route::Triage(case.id.clone()), "Continue triage"),
        NextStep::Handoff => link(Route::Handoff(case.id.clone()), "Prepare the handoff"),
        // Resolving and closing ask what resolved it and what it taught: their own screen.
        NextStep::Move(to @ (Status::Resolved | Status::Closed)) => link(Route::CloseOut(case.id.clone()), to.action_label()),
        NextStep::Move(to) => view! {
            // Handed off: the receiving level acknowledges; the agent records it when it does.
            {(to == Status::Acknowledged).then(|| case.decision().map(|d| view! {
                <p class="hint waiting-note">{format!("Handed off. Waiting for {} to acknowledge: record it when they do.", d.receiver)}</p>
            }))}
            <button type="button" class="button button-primary next-action" id="next-action" aria-keyshortcuts="n" disabled=read_only on:click=move |_| {
                match case.transitioned(to, Utc::now()) {
                    Ok(moved) => desk.save(moved, &format!("Status is now {}", to.label())),
                    Err(err) => desk.say(err.to_string()),
                }
            }>{to.action_label()}</button>
        }
        .into_any(),
        NextStep::Nothing => ().into_any(),
    }
}

/// The triage decision in force, and the ways to triage or hand off that are not the
/// screen's primary action already.
#[component]
fn TriagePanel(case: Case) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let step = desk.playbook.with_untracked(|p| next_step(&case, p));
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
    // What the level asks of the handoff, part by part, as soon as the level is known: filled
    // or not, and whether a gap blocks it or only warns.
    let needs = desk.playbook.with_untracked(|p| {
        // Resolved or closed: the handoff's needs are behind it.
        if !case.status.is_open() {
            return None;
        }
        let level = crate::core::handoff::level_of(&case, p).filter(|l| l.rank > 0)?;
        let gaps = crate::core::handoff::missing(&case, level);
        let rows = level
            .handoff_requires
            .iter()
            .map(|r| {
                let gap = gaps.iter().find(|m| m.field == r.field);
                let control = format!("#{}", r.field.control());
                let state = match gap {
                    None => "done",
                    Some(m) if m.blocks => "needed before it goes",
                    Some(_) => "missing (it can go without, noted)",
                };
                // The row keeps its shape whatever the state: the label wraps the same in a
                // column of its own and the right-hand slot is as wide filled or not, so a
                // field saved while the pointer heads for a button below moves nothing
                // (issue 34.1). The state in words is read out; the mark shows it.
                let mark = match gap {
                    None => "✓",
                    Some(m) if m.blocks => "●",
                    Some(_) => "○",
                };
                view! {
                    <li class:need-done=gap.is_none() class:need-blocks=gap.is_some_and(|m| m.blocks)>
                        <span class="need-mark" aria-hidden="true">{mark}</span>
                        <span class="need-label">{r.field.label()}<span class="visually-hidden">{format!(": {state}")}</span></span>
                        <span class="need-slot">
                            {match gap {
                                None => view! { <span class="need-state" aria-hidden="true">"done"</span> }.into_any(),
                                Some(_) => view! {
                                    // Named by its text, not an aria-label, so that the field
                                    // keeps its label to itself.
                                    <button type="button" class="button button-quiet button-small"
                                        on:click=move |_| focus::now(&control)>
                                        "Fill in"<span class="visually-hidden">{format!(" {}", r.field.label())}</span>
                                    </button>
                                }.into_any(),
                            }}
                        </span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <h3 class="needs-title">{format!("The handoff to {} needs", level.name)}</h3>
            <ul class="needs">{rows}</ul>
            <p class="hint needs-key" aria-hidden="true">"● needed before it goes · ○ can go without (noted in the handoff)"</p>
        })
    });
    view! {
        <section class="panel" aria-labelledby="triage-title">
            <h2 id="triage-title">"Escalation"</h2>
            {decision}
            {needs}
            <div class="panel-actions">
                {(!matches!(step, NextStep::Triage | NextStep::ContinueTriage)).then(|| view! {
                    <a class="button" href=href>{action}</a>
                })}
                {(step != NextStep::Handoff).then(|| view! {
                    <a class="button" href=handoff>"Prepare the handoff"</a>
                })}
            </div>
        </section>
    }
}

#[component]
fn StatusActions(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let primary = desk.playbook.with_untracked(|p| next_step(&case, p));
    let moves: Vec<Status> = case
        .status
        .next()
        .iter()
        .copied()
        .filter(|s| primary != NextStep::Move(*s))
        .collect();
    view! {
        <section class="panel" aria-labelledby="status-title">
            <h2 id="status-title">"Status: " {case.state().label()}</h2>
            <div class="status-actions">
                {moves.into_iter().map(|to| {
                    let case = case.clone();
                    if matches!(to, Status::Resolved | Status::Closed) {
                        return view! {
                            <a class="button" href=Route::CloseOut(case.id.clone()).href()>{to.action_label()}</a>
                        }.into_any();
                    }
                    view! {
                        <button type="button" class="button" disabled=read_only on:click=move |_| {
                            match case.transitioned(to, Utc::now()) {
                                Ok(moved) => desk.save(moved, &format!("Status is now {}", to.label())),
                                Err(err) => desk.say(err.to_string()),
                            }
                        }>{to.action_label()}</button>
                    }.into_any()
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

/// On the case screen, the form reads as text and is edited in place: an empty field says so
/// in words (its placeholder), not as an empty box.
#[derive(Clone, Copy)]
struct InPlace(&'static str);

/// The controls whose parts the handoff needs (the level in force, or any level when the case
/// has none yet), marked on the form before anything blocks.
#[derive(Clone, Copy)]
struct Needed(Signal<Vec<(&'static str, bool)>>);

fn needed_mark(id: &'static str) -> impl IntoView {
    let needed = use_context::<Needed>();
    move || {
        // A filled field keeps its mark's place, unseen, so its label line wraps as before and
        // nothing below moves when it is saved (issue 34.1).
        let missing = needed.and_then(|n| {
            n.0.with(|v| v.iter().find(|(c, _)| *c == id).map(|(_, m)| *m))
        });
        missing.map(|missing| {
            view! {
                <span class="needed" class:needed-met=!missing aria-hidden=(!missing).then_some("true")>
                    "Needed for the handoff"
                </span>
            }
        })
    }
}

/// Which controls the handoff needs: of the level in force, else of every level above tier 1;
/// each with whether it is still missing (on a case, a filled field's mark is hidden).
fn needed_controls(
    case: Option<&Case>,
    p: &crate::core::playbook::Playbook,
) -> Vec<(&'static str, bool)> {
    let levels: Vec<&crate::core::playbook::Level> =
        match case.and_then(|c| crate::core::handoff::level_of(c, p)) {
            Some(level) => vec![level],
            None => p.levels.iter().filter(|l| l.rank > 0).collect(),
        };
    let mut out: Vec<(&'static str, bool)> = Vec::new();
    for r in levels.iter().flat_map(|l| &l.handoff_requires) {
        let missing = !case.is_some_and(|c| crate::core::handoff::filled(c, r.field));
        match out.iter_mut().find(|(c, _)| *c == r.field.control()) {
            Some((_, m)) => *m |= missing,
            None => out.push((r.field.control(), missing)),
        }
    }
    out
}

/// Takes what a field's box now holds into the draft, unless it is past a field's limit: then
/// the box gets the draft's text back and the agent is told why.
fn kept_input(
    draft: RwSignal<Details>,
    ev: &leptos::ev::Event,
    get: fn(&Details) -> &str,
    set: fn(&mut Details, String),
) {
    if let Some(why) = super::limits::overflowed(ev) {
        super::limits::put_back(ev, &draft.with_untracked(|d| get(d).to_string()));
        expect_context::<Desk>().say(why);
        return;
    }
    draft.update(|d| set(d, event_target_value(ev)));
}

/// Whether a contact the sender masked is still only its masked form after an edit: cleared,
/// or still holding the mask's asterisks, it is no value of its own and never travels back
/// as one (`core::merge` keeps the real contact over it); a new contact typed in is real.
fn still_masked(was_masked: bool, typed: &str) -> bool {
    was_masked && (typed.trim().is_empty() || typed.contains("***"))
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
    let placeholder = use_context::<InPlace>().map(|p| p.0);
    // Each field follows its own part of the draft: a key typed elsewhere doesn't rewrite
    // (and lay out again) every other box.
    let value = Memo::new(move |_| draft.with(|d| get(d).to_string()));
    view! {
        <div class="field">
            <div class="label-line">
                <label for=id>{label}</label>
                {needed_mark(id)}
            </div>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                // The owner is picked from the team's people (the playbook's), or typed.
                list=(id == "field-owner").then_some("people")
                placeholder=placeholder
                prop:value=value
                on:input=move |ev| kept_input(draft, &ev, get, set)
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
    let value = Memo::new(move |_| draft.with(|d| get(d).to_string()));
    let placeholder = use_context::<InPlace>().map(|p| p.0);
    view! {
        <div class="field field-wide">
            <div class="label-line">
                <label for=id>{label}</label>
                {needed_mark(id)}
            </div>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <textarea
                id=id
                rows="4"
                placeholder=placeholder
                aria-describedby=hint_id
                prop:value=value
                on:input=move |ev| kept_input(draft, &ev, get, set)
            ></textarea>
        </div>
    }
}

#[component]
fn DetailsFields(
    draft: RwSignal<Details>,
    read_only: Signal<bool>,
    error: RwSignal<Option<&'static str>>,
    step: StepInput,
) -> impl IntoView {
    view! {
        <fieldset class="form-section" disabled=read_only>
            <legend>"Customer"</legend>
            <div class="field-grid">
                {text_field(draft, "field-customer-name", "Name", |d| &d.customer.name, |d, v| d.customer.name = v, "text", "off")}
                {text_field(draft, "field-contact", "Email or phone", |d| &d.customer.contact, |d, v| { let was = d.customer.contact_masked; d.customer.contact_masked = still_masked(was, &v); d.customer.contact_over_mask |= was && !d.customer.contact_masked; d.customer.contact = v; }, "text", "off")}
                <Show when=move || draft.with(|d| d.customer.contact_masked)>
                    <p class="hint field-wide" id="contact-masked">"Masked on purpose by whoever sent this handoff; the real contact stays with them. Type the full one here if the customer gives it to you."</p>
                </Show>
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
                        prop:value=Memo::new(move |_| draft.with(|d| d.subject.clone()))
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
                        prop:value=Memo::new(move |_| draft.with(|d| d.contact_count.to_string()))
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
                        prop:value=Memo::new(move |_| draft.with(|d| d.deadline.map(time::to_input).unwrap_or_default()))
                        on:change=move |ev| {
                            let value = time::from_input(&event_target_value(&ev));
                            draft.update(|d| d.deadline = value);
                        }
                    />
                    {time::team_time_note(chrono::Utc::now()).map(|note| view! { <p class="hint">{note}</p> })}
                </div>
            </div>
        </fieldset>
        <StepsEditor draft read_only step/>
        <fieldset class="form-section" disabled=read_only>
            <legend>"For the next tier"</legend>
            <div class="field-grid">
                {text_area(draft, "field-impact", "Impact", "Who and what is affected, and how badly (customers, sites, money).", |d| &d.impact, |d, v| d.impact = v)}
                {text_area(draft, "field-evidence", "Evidence", "Logs, screenshots, ticket or trace links the next tier can look at.", |d| &d.evidence, |d, v| d.evidence = v)}
            </div>
        </fieldset>
    }
}

/// The "Step taken" and "Outcome" boxes, before "Add step".
#[derive(Clone, Copy)]
struct StepInput {
    action: RwSignal<String>,
    outcome: RwSignal<String>,
}

impl StepInput {
    fn new() -> StepInput {
        StepInput {
            action: RwSignal::new(String::new()),
            outcome: RwSignal::new(String::new()),
        }
    }

    /// What is typed (tracked).
    fn pending(&self) -> (String, String) {
        (self.action.get(), self.outcome.get())
    }

    fn pending_untracked(&self) -> (String, String) {
        (self.action.get_untracked(), self.outcome.get_untracked())
    }
}

#[component]
fn StepsEditor(
    draft: RwSignal<Details>,
    read_only: Signal<bool>,
    step: StepInput,
) -> impl IntoView {
    let StepInput { action, outcome } = step;
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
            {needed_mark("step-action")}
            <p class="hint">"A step typed below is kept as it is, whichever way you leave; “Add step” clears the boxes for another."</p>
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
