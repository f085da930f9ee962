//! A case's clocks on its screen: every deadline with its standing, time left and due time; the
//! proposal to go up a level when the receiving level stays silent; and the level's actions
//! (log an update to the customer, escalate by hand, de-escalate), each with its reason.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::core::case::{Case, LevelMove};
use crate::core::clock::{clocks, span_words, Deadline, Phase, Silence, Standing, Target};
use crate::core::playbook::Playbook;
use crate::core::triage::{current_level, move_level, renotify};

use super::desk::Desk;
use super::time;

/// "working time" or "around the clock": what a span of a clock counts.
fn counted(business: bool) -> &'static str {
    if business {
        "working time"
    } else {
        "calendar time"
    }
}

/// One line saying where a clock stands, in words a tired agent reads at a glance.
pub fn clock_words(d: &Deadline, standing: Standing, waiting_for: &str) -> String {
    let kind = counted(d.business);
    let due = d.due.map(time::local);
    match standing {
        Standing::OnTrack | Standing::AtRisk => format!(
            "{} of {kind} left{}",
            span_words(d.left()),
            due.map(|t| format!(" · due {t}")).unwrap_or_default()
        ),
        Standing::Breached if d.phase == Phase::Paused => format!(
            "{} over, paused while waiting{}",
            span_words(-d.left()),
            due.map(|t| format!(" · was due {t}")).unwrap_or_default()
        ),
        Standing::Breached => format!(
            "{} over ({kind}){}",
            span_words(-d.left()),
            due.map(|t| format!(" · was due {t}")).unwrap_or_default()
        ),
        Standing::Paused => format!(
            "Paused while waiting · {} of {kind} left when work resumes",
            span_words(d.left())
        ),
        Standing::NotStarted => format!(
            "Starts when {waiting_for} acknowledges · {} of {kind}",
            span_words(d.allowed)
        ),
        Standing::Met => format!(
            "Met · {} used of {}",
            span_words(d.used),
            span_words(d.allowed)
        ),
        Standing::Missed => format!("Missed by {} ({kind})", span_words(-d.left())),
    }
}

/// The deadlines panel of a case.
#[component]
pub fn Deadlines(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let for_clocks = case.clone();
    let found = Memo::new(move |_| {
        let now = desk.now.get();
        let hours = desk.playbook.with(crate::core::triage::hours);
        clocks(&for_clocks, &hours, now)
    });
    let warn = move || desk.playbook.with(|p| p.warn_percent);
    let level = case.decision().map(|d| d.chosen_name.clone());
    let waiting_for = level.clone().unwrap_or_else(|| "the level".into());
    let heading = level
        .as_ref()
        .map_or("Deadlines".to_string(), |l| format!("Deadlines · {l}"));

    view! {
        <section class="panel" aria-labelledby="deadlines-title">
            <h2 id="deadlines-title">{heading}</h2>
            {move || found.with(|c| c.silence.clone()).filter(Silence::exceeded).map(|s| view! {
                <SilenceProposal case=case.clone() silence=s read_only/>
            })}
            {move || {
                let warn = warn();
                let list = found.with(|c| c.current.clone());
                if list.is_empty() {
                    return view! {
                        <p class="hint">"No clock is running: deadlines start when the case is triaged to a level, or when a customer deadline is set."</p>
                    }.into_any();
                }
                let waiting_for = waiting_for.clone();
                view! {
                    <ul class="clocks" aria-label="Deadlines">
                        {list.into_iter().map(|d| {
                            let standing = d.standing(warn);
                            let words = clock_words(&d, standing, &waiting_for);
                            let percent = d.percent_used().min(100);
                            let due = d.due.map(time::iso);
                            view! {
                                <li class=format!("clock clock-{}", standing.key()) data-due=due>
                                    <div class="clock-head">
                                        <span class="clock-name">{d.target.label()}</span>
                                        <span class=format!("chip chip-{}", standing.key())>{standing.label()}</span>
                                    </div>
                                    <p class="clock-words">{words}</p>
                                    <div class="clock-bar" aria-hidden="true">
                                        <span class="clock-fill" style:width=format!("{percent}%")></span>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || {
                // The levels the case passed through: a miss there is still a miss.
                let earlier = found.with(|c| c.earlier.clone());
                let warn = warn();
                (!earlier.is_empty()).then(|| view! {
                    <h3 class="clocks-earlier-title">"Earlier levels"</h3>
                    <ul class="clocks-earlier" aria-label="Clocks of earlier levels">
                        {earlier.into_iter().map(|d| {
                            let standing = d.standing(warn);
                            let words = clock_words(&d, standing, &d.level);
                            view! {
                                <li class=format!("clock-earlier clock-{}", standing.key())>
                                    <span class="clock-name">{format!("{} · {}", d.level, d.target.label())}</span>
                                    <span class=format!("chip chip-{}", standing.key())>{standing.label()}</span>
                                    <span class="clock-words">{words}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            <p class="hint">
                {move || desk.playbook.with(|p| format!(
                    "Working time: {} to {}, {} ({}). Warnings at {}% of the time allowed.",
                    p.calendar.opens.text(), p.calendar.closes.text(),
                    working_days(p), p.calendar.time_zone, p.warn_percent,
                ))}
            </p>
        </section>
    }
}

/// "Monday to Friday", or the list of days.
pub fn working_days(p: &Playbook) -> String {
    use crate::core::clock::DAY_NAMES;
    let days: Vec<&str> = DAY_NAMES
        .iter()
        .zip(p.calendar.working_days)
        .filter(|(_, on)| *on)
        .map(|(d, _)| *d)
        .collect();
    if p.calendar.working_days == [true, true, true, true, true, false, false] {
        "Monday to Friday".into()
    } else if days.len() == 7 {
        "every day".into()
    } else {
        days.join(", ")
    }
}

/// The level has not acknowledged within its silence timeout: escalate further or notify again.
#[component]
fn SilenceProposal(case: Case, silence: Silence, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let p = desk.playbook.get_untracked();
    let (_, rank) = current_level(&case, &p);
    let next = p
        .levels_by_rank()
        .into_iter()
        .find(|l| l.rank > rank)
        .cloned();
    let text = format!(
        "{} has not acknowledged this case for {} (silence timeout {}).",
        silence.level,
        span_words(silence.elapsed),
        span_words(silence.allowed)
    );
    let escalate = next.map(|next| {
        let case = case.clone();
        let reason = format!(
            "No acknowledgement from {} within {}",
            silence.level,
            span_words(silence.allowed)
        );
        let label = format!("Escalate to {}", next.name);
        view! {
            <button type="button" class="button button-primary" disabled=read_only on:click=move |_| {
                let now = Utc::now();
                let p = desk.playbook.get_untracked();
                match move_level(&case, &p, &next.id, LevelMove::Silence, &reason, now, &|t| time::for_customer(t)) {
                    Ok(moved) => desk.save(moved, &format!("Escalated to {}", next.name)),
                    Err(err) => desk.say(err.to_string()),
                }
            }>{label}</button>
        }
    });
    let again = {
        let case = case.clone();
        let level = silence.level.clone();
        move |_| {
            desk.save(
                renotify(&case, Utc::now()),
                &format!("{level} notified again"),
            )
        }
    };
    view! {
        <div class="proposal" role="alert">
            <h3>"No acknowledgement"</h3>
            <p>{text}</p>
            <div class="panel-actions">
                {escalate}
                <button type="button" class="button" disabled=read_only on:click=again>"Notify again"</button>
            </div>
        </div>
    }
}

/// Logging updates to the customer, and moving the case up or down a level with a reason.
#[component]
pub fn LevelActions(case: Case, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let p = desk.playbook.get_untracked();
    let (_, rank) = current_level(&case, &p);
    let open = case.status.is_open();
    let higher: Vec<(String, String)> = p
        .levels_by_rank()
        .into_iter()
        .filter(|l| l.rank > rank)
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let lower: Vec<(String, String)> = p
        .levels_by_rank()
        .into_iter()
        .filter(|l| l.rank < rank)
        .map(|l| (l.id.clone(), l.name.clone()))
        .rev()
        .collect();

    // What is typed here is kept with the case (this panel is drawn again on every change to
    // the case, and the agent may leave or reload before logging it).
    let case_id = case.id.clone();
    let note = RwSignal::new(desk.note(&case_id, "update"));
    let log_case = case.clone();
    let log = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked();
        let now = Utc::now();
        let updated = log_case.update_logged(&text, now);
        // Before the level acknowledges, the next-update clock hasn't started: don't say it
        // starts again.
        let hours = desk.playbook.with_untracked(crate::core::triage::hours);
        let restarts = clocks(&updated, &hours, now)
            .current
            .iter()
            .any(|d| d.target == Target::Update && d.phase == Phase::Running);
        desk.save(
            updated,
            if restarts {
                "Update to the customer logged; the next-update clock starts again"
            } else {
                "Update to the customer logged"
            },
        );
        desk.keep_note(&log_case.id, "update", "");
        note.set(String::new());
    };

    view! {
        <section class="panel" aria-labelledby="level-actions-title">
            <h2 id="level-actions-title">"Updates and level"</h2>
            {open.then(|| view! {
                <form class="stack" on:submit=log aria-label="Log an update to the customer">
                    <div class="field">
                        <label for="update-note">"Update given to the customer"</label>
                        <input id="update-note" type="text" autocomplete="off"
                            placeholder="Called back, shared the workaround"
                            prop:value=move || note.get()
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                desk.keep_note(&case_id, "update", &text);
                                note.set(text);
                            }/>
                    </div>
                    <button type="submit" class="button" disabled=read_only>"Log update"</button>
                </form>
            })}
            {(open && !higher.is_empty()).then(|| view! {
                <MoveForm case=case.clone() how=LevelMove::Forced choices=higher read_only/>
            })}
            {(open && !lower.is_empty()).then(|| view! {
                <MoveForm case=case.clone() how=LevelMove::DeEscalated choices=lower read_only/>
            })}
            {(!open).then(|| view! {
                <p class="hint">"Reopen the case to log updates or change its level."</p>
            })}
        </section>
    }
}

/// Escalate by hand or de-escalate: the level, and the reason that goes on the record.
#[component]
fn MoveForm(
    case: Case,
    how: LevelMove,
    choices: Vec<(String, String)>,
    read_only: Signal<bool>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let (summary, action, prefix) = match how {
        LevelMove::DeEscalated => ("De-escalate", "De-escalate", "deescalate"),
        _ => ("Escalate by hand", "Escalate", "escalate"),
    };
    let case_id = case.id.clone();
    // The level chosen is kept like the reason: leaving the case and coming back must not
    // put the first level back under a reason written for another.
    let level_box = if prefix == "escalate" {
        "escalate-level"
    } else {
        "deescalate-level"
    };
    let kept_level = desk.note(&case_id, level_box);
    let was_chosen = choices.iter().any(|c| c.0 == kept_level);
    let chosen = RwSignal::new(if was_chosen {
        kept_level
    } else {
        choices.first().map(|c| c.0.clone()).unwrap_or_default()
    });
    let reason = RwSignal::new(desk.note(&case_id, prefix));
    let error = RwSignal::new(String::new());
    let level_id = format!("{prefix}-level");
    let reason_id = format!("{prefix}-reason");
    let error_id = format!("{prefix}-error");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = desk.playbook.get_untracked();
        let to = chosen.get_untracked();
        match move_level(
            &case,
            &p,
            &to,
            how,
            &reason.get_untracked(),
            Utc::now(),
            &|t: DateTime<Utc>| time::for_customer(t),
        ) {
            Ok(moved) => {
                let name = p.level(&to).map(|l| l.name.clone()).unwrap_or(to);
                error.set(String::new());
                desk.keep_note(&moved.id, prefix, "");
                desk.keep_note(&moved.id, level_box, "");
                desk.save(moved, &format!("Case moved to {name}"));
            }
            Err(err) => {
                error.set(err.to_string());
                super::focus::now(&format!("#{prefix}-reason"));
            }
        }
    };
    view! {
        <details class="move" open=was_chosen || reason.with_untracked(|r| !r.trim().is_empty())>
            <summary>{summary}</summary>
            <form class="stack" on:submit=submit novalidate aria-label=summary>
                <div class="field">
                    <label for=level_id.clone()>"To level"</label>
                    <select id=level_id on:change={
                        let case_id = case_id.clone();
                        move |ev| {
                            let level = event_target_value(&ev);
                            desk.keep_note(&case_id, level_box, &level);
                            chosen.set(level);
                        }
                    }>
                        {choices.into_iter().map(|(id, name)| {
                            let selected = chosen.get_untracked() == id;
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>"Reason (goes on the timeline)"</label>
                    <textarea id=reason_id rows="2"
                        aria-describedby=error_id.clone()
                        prop:value=move || reason.get()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            desk.keep_note(&case_id, prefix, &text);
                            reason.set(text);
                        }></textarea>
                    <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
                </div>
                <button type="submit" class="button" disabled=read_only>{action}</button>
            </form>
        </details>
    }
}
