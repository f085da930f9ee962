//! Triage on a case: the trigger checklist, the decision tree one question at a time, and the
//! recommendation with its reasons, deadlines and customer message. Every tick and answer is
//! saved on the case as the agent goes, so an interrupted triage resumes exactly there.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::case::Case;
use crate::core::clock::due_from;
use crate::core::link::Route;
use crate::core::playbook::{Grade, Playbook};
use crate::core::triage::{self, evaluate, targets, PlaybookRef, Source, Triage, Walk};

use super::desk::Desk;
use super::nav::go;
use super::time;

#[component]
pub fn TriageScreen(id: String) -> impl IntoView {
    super::case_form::with_case(id, |id| view! { <Workspace id/> }.into_any())
}

/// The playbook the triage on screen uses: the version it started with, kept when another
/// is published meanwhile (issue 33.5). Outside a triage screen (practice), the one in force.
#[derive(Clone, Copy)]
pub(super) struct TriageBook(pub Signal<Playbook>);

fn book() -> Signal<Playbook> {
    use_context::<TriageBook>()
        .map(|b| b.0)
        .unwrap_or_else(|| expect_context::<Desk>().playbook.into())
}

/// Saves a new triage state on the case.
fn save_triage(desk: Desk, case: Memo<Option<Case>>, t: Triage, message: &str) {
    if let Some(mut c) = case.get_untracked() {
        c.triage = Some(t);
        c.updated_at = Utc::now();
        desk.save(c, message);
    }
}

#[component]
fn Workspace(id: String) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let case = {
        let id = id.clone();
        Memo::new(move |_| desk.case(&id))
    };
    let triage = Memo::new(move |_| case.with(|c| c.as_ref().and_then(|c| c.triage.clone())));
    // The version this triage started with, and the playbook it is walked with: that version
    // while the screen is open (held), or from the versions kept here; the one in force when
    // it is neither (said in the banner).
    let wanted = Memo::new(move |_| triage.with(|t| t.as_ref().and_then(|t| t.playbook.clone())));
    let held = StoredValue::new(desk.playbook.get_untracked());
    let in_use = Memo::new(move |_| {
        let current = desk.playbook.get();
        match wanted.get() {
            Some(r) if r != PlaybookRef::of(&current) => {
                if PlaybookRef::of(&held.get_value()) == r {
                    held.get_value()
                } else {
                    desk.versions()
                        .into_iter()
                        .find(|p| PlaybookRef::of(p) == r)
                        .unwrap_or(current)
                }
            }
            _ => current,
        }
    });
    provide_context(TriageBook(in_use.into()));
    let walk =
        Memo::new(move |_| triage.with(|t| t.as_ref().map(|t| in_use.with(|p| evaluate(p, t)))));
    // Re-run with the version in force: the same ticks and answers, walked with it.
    let rerun = move |_| {
        if let Some(t) = triage.get_untracked() {
            let now = desk.playbook.with_untracked(PlaybookRef::of);
            held.set_value(desk.playbook.get_untracked());
            save_triage(
                desk,
                case,
                Triage {
                    playbook: Some(now),
                    ..t
                },
                "Triage re-run with the playbook in force",
            );
        }
    };
    let newer = move || {
        let r = wanted.get()?;
        let current = desk.playbook.get();
        (r != PlaybookRef::of(&current)).then(|| {
            let kept = PlaybookRef::of(&in_use.get()) == r;
            let text = if kept {
                format!(
                    "A new playbook version was published: “{}” v{}. This triage keeps v{}, the version it started with, until you re-run it.",
                    current.name, current.version, r.version
                )
            } else {
                format!(
                    "A new playbook version was published: “{}” v{}. v{}, the version this triage started with, is not kept in this browser, so it is walked with v{}.",
                    current.name, current.version, r.version, current.version
                )
            };
            view! {
                <div class="banner banner-warning" role="status">
                    <p>{text}</p>
                    <div class="banner-actions">
                        <button type="button" class="button" disabled=move || desk.read_only.with(Option::is_some) on:click=rerun>"Re-run triage with it"</button>
                    </div>
                </div>
            }
        })
    };
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    let heading = move || {
        case.with(|c| {
            c.as_ref()
                .map(|c| format!("Triage · {} · {}", c.reference, c.details.subject))
                .unwrap_or_default()
        })
    };
    let back = Route::Case(id.clone()).href();
    let start = move |_: ()| {
        if let Some(c) = case.get_untracked() {
            let started = desk
                .playbook
                .with_untracked(|p| triage::start(&c, p, Utc::now()));
            desk.save(started, "Triage started");
            super::focus::after_render(".checklist input");
        }
    };

    // When a tick or an answer settles the result, it is brought into view and announced (to
    // screen readers only: on screen, the result itself says it).
    let spoken = RwSignal::new(String::new());
    Effect::new(move |before: Option<Option<String>>| {
        let level = walk.with(|w| w.as_ref().and_then(|w| w.level.clone()));
        if let (Some(None), Some(id)) = (&before, &level) {
            let words = in_use.with_untracked(|p| {
                let name = p.level(id).map(|l| l.name.clone()).unwrap_or_default();
                let priority = walk.with_untracked(|w| w.as_ref().map(|w| w.priority.label()));
                format!("Recommended: {name}, {}", priority.unwrap_or_default())
            });
            spoken.set(words);
            request_animation_frame(|| {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("result-title"))
                {
                    el.scroll_into_view();
                }
            });
        }
        level
    });

    // Opening a first triage starts it: no second "Start triage" to press. Triaging again
    // asks first, so a look at the screen never replaces the decision's ticks.
    if untrack(|| {
        case.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.triage.is_none() && c.decisions.is_empty())
        }) && !read_only.get()
    }) {
        request_animation_frame(move || start(()));
    }

    view! {
        <div class="screen-head">
            <a class="back-link" href=back>"Back to the case"</a>
            <h1>{heading}</h1>
        </div>
        <p class="visually-hidden" role="status">{move || spoken.get()}</p>
        <Show
            when=move || triage.with(Option::is_some)
            fallback=move || view! {
                <section class="panel" aria-labelledby="start-title">
                    <h2 id="start-title">"Should this case go further, and where?"</h2>
                    <p>"Tick what applies, answer a few questions, and get a recommended level with the reasons, the deadlines and what to tell the customer. Your answers are saved as you go."</p>
                    {move || case.with(|c| c.as_ref().and_then(|c| c.decision().cloned())).map(|d| view! {
                        <p class="hint">{format!("Last triage: {} ({}), {}.", d.chosen_name, d.priority.label(), time::local(d.at))}</p>
                    })}
                    <button type="button" class="button button-primary" disabled=read_only on:click=move |_| start(())>
                        {move || if case.with(|c| c.as_ref().is_some_and(|c| !c.decisions.is_empty())) { "Triage again" } else { "Start triage" }}
                    </button>
                </section>
            }
        >
            {newer}
            <div class="triage-layout">
                <Checklist case triage read_only/>
                <div class="triage-main">
                    <Tree case triage walk read_only/>
                    <Grades case triage walk read_only/>
                    <Recommendation case walk read_only/>
                </div>
            </div>
        </Show>
    }
}

#[component]
pub(super) fn Checklist(
    case: Memo<Option<Case>>,
    triage: Memo<Option<Triage>>,
    read_only: Signal<bool>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let book = book();
    let checked = move || triage.with(|t| t.as_ref().map(|t| t.triggers.len()).unwrap_or(0));
    view! {
        <section class="panel checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">"Trigger checklist"</h2>
            <p class="hint" role="status">{move || match checked() {
                0 => "Nothing ticked yet.".to_string(),
                1 => "1 trigger ticked.".to_string(),
                n => format!("{n} triggers ticked."),
            }}</p>
            {move || book.get().groups.into_iter().map(|group| view! {
                <fieldset class="trigger-group" disabled=read_only>
                    <legend>{group.label.clone()}</legend>
                    <ul class="triggers">
                        {group.triggers.into_iter().map(|t| {
                            let input_id = format!("trigger-{}", t.id);
                            let help_id = format!("trigger-help-{}", t.id);
                            let open = RwSignal::new(false);
                            let id_for_check = t.id.clone();
                            let id_for_toggle = t.id.clone();
                            let label = t.label.clone();
                            view! {
                                <li class="trigger">
                                    <div class="trigger-row">
                                        <input
                                            type="checkbox"
                                            id=input_id.clone()
                                            prop:checked=move || triage.with(|tr| tr.as_ref().is_some_and(|tr| tr.has_trigger(&id_for_check)))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                if let Some(tr) = triage.get_untracked() {
                                                    save_triage(desk, case, tr.toggled(&id_for_toggle, on), "");
                                                }
                                            }
                                        />
                                        <label for=input_id>{t.label.clone()}</label>
                                        <button
                                            type="button"
                                            class="help-toggle"
                                            aria-expanded=move || open.get().to_string()
                                            aria-controls=help_id.clone()
                                            aria-label=format!("Help: {label}")
                                            on:click=move |_| open.update(|o| *o = !*o)
                                        >"?"</button>
                                    </div>
                                    {t.suggested_when.map(|why| {
                                        let id = t.id.clone();
                                        view! {
                                            <Show when=move || triage.with(|tr| tr.as_ref().is_some_and(|tr| tr.has_trigger(&id) && tr.suggested.contains(&id)))>
                                                <p class="hint suggested">{format!("Suggested from the case: {}. Untick it if it doesn't apply.", why.reason())}</p>
                                            </Show>
                                        }
                                    })}
                                    <p class="hint trigger-help" id=help_id hidden=move || !open.get()>{t.help.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            }).collect_view()}
            // On a narrow screen the recommendation is far below the checklist: once the ticks
            // and answers give a level, a cue stays at the screen's foot (issue 34.5).
            {move || {
                let p = book.get();
                let level = triage.with(|t| t.as_ref().and_then(|t| evaluate(&p, t).level))?;
                let name = p.level(&level)?.name.clone();
                Some(view! {
                    <div class="checklist-cue">
                        <button type="button" class="button button-primary"
                            on:click=move |_| super::focus::now("#result-title")>
                            {format!("See the recommendation: {name}")}
                        </button>
                    </div>
                })
            }}
        </section>
    }
}

fn source_text(p: &Playbook, source: &Source) -> String {
    match source {
        Source::Agent => "your answer".to_string(),
        Source::Trigger(t) => format!(
            "pre-answered: “{}” is ticked",
            p.trigger(t).map(|t| t.label.as_str()).unwrap_or(t)
        ),
        Source::Default => "default".to_string(),
    }
}

#[component]
pub(super) fn Tree(
    case: Memo<Option<Case>>,
    triage: Memo<Option<Triage>>,
    walk: Memo<Option<Walk>>,
    read_only: Signal<bool>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let book = book();
    // A question the agent went back to; otherwise the walk's next open question is asked.
    let revisit = RwSignal::new(None::<String>);
    let asking = Memo::new(move |_| {
        revisit
            .get()
            .or_else(|| walk.with(|w| w.as_ref().and_then(|w| w.pending.clone())))
    });
    let answer = move |question: String, answer: String| {
        if let Some(t) = triage.get_untracked() {
            save_triage(desk, case, t.answered(&question, &answer), "");
        }
        revisit.set(None);
        // The answered question is gone: take focus to the next one, or to the result.
        super::focus::after_render(".question .answer, #result-title");
    };
    let answer_all = move |answers: Vec<(String, String)>| {
        if let Some(t) = triage.get_untracked() {
            save_triage(desk, case, t.answered_all(&answers), "");
        }
        super::focus::after_render(".question .answer, #result-title");
    };
    let go_back = move |_| {
        let last = walk.with_untracked(|w| {
            w.as_ref().and_then(|w| {
                let current = revisit.get_untracked();
                let upto = match &current {
                    Some(q) => w.path.iter().position(|s| &s.question == q).unwrap_or(0),
                    None => w.path.len(),
                };
                upto.checked_sub(1).map(|i| w.path[i].question.clone())
            })
        });
        if last.is_some() {
            revisit.set(last);
        }
    };

    view! {
        <section class="panel" aria-labelledby="tree-title">
            <h2 id="tree-title">"Questions"</h2>
            <ol class="path">
                {move || {
                    let p = book.get();
                    walk.get().map(|w| w.path.into_iter().enumerate().map(|(i, step)| {
                        let q = step.question.clone();
                        let is_revisited = move || revisit.get().as_deref() == Some(q.as_str());
                        let q2 = step.question.clone();
                        view! {
                            <li class="path-step" class:path-step-open=is_revisited>
                                <span class="path-question">{step.question_text.clone()}</span>
                                <span class="path-answer">{step.answer_label.clone()}</span>
                                <span class="hint">{source_text(&p, &step.source)}</span>
                                <button type="button" class="button button-small button-quiet" disabled=read_only
                                    aria-label=format!("Change answer {}: {}", i + 1, step.question_text)
                                    on:click=move |_| revisit.set(Some(q2.clone()))>"Change"</button>
                            </li>
                        }
                    }).collect_view())
                }}
            </ol>
            {move || {
                let p = book.get();
                let id = asking.get()?;
                let q = p.question(&id)?.clone();
                let total = p.questions.len();
                let number = walk.with(|w| w.as_ref().map(|w| {
                    w.path.iter().position(|s| s.question == q.id).unwrap_or(w.path.len()) + 1
                })).unwrap_or(1);
                let current = walk.with(|w| w.as_ref().and_then(|w| w.path.iter().find(|s| s.question == q.id).cloned()));
                Some(view! {
                    <fieldset class="question" disabled=read_only>
                        <legend class="question-text">
                            <span class="question-count">{format!("Question {number} of up to {total}")}</span>
                            {q.text.clone()}
                        </legend>
                        <p class="hint">{q.help.clone()}</p>
                        {current.map(|s| view! {
                            <p class="inline-note">{format!("Now: {} ({})", s.answer_label, source_text(&p, &s.source))}</p>
                        })}
                        <div class="answers">
                            {q.answers.iter().map(|a| {
                                let (qid, aid) = (q.id.clone(), a.id.clone());
                                view! {
                                    <button type="button" class="button answer" on:click=move |_| answer(qid.clone(), aid.clone())>
                                        {a.label.clone()}
                                    </button>
                                }
                            }).collect_view()}
                        </div>
                        {revisit.with(Option::is_none).then(|| rule_out_all(&p, triage, walk, answer_all))}
                    </fieldset>
                })
            }}
            <div class="panel-actions">
                // Only once there is a question to go back to.
                <Show when=move || walk.with(|w| w.as_ref().is_some_and(|w| !w.path.is_empty()))>
                    <button type="button" class="button button-small" disabled=read_only
                        on:click=go_back>"Back to the previous question"</button>
                </Show>
                <Show when=move || revisit.with(Option::is_some)>
                    <button type="button" class="button button-small button-quiet" on:click=move |_| revisit.set(None)>
                        "Keep the answers as they are"
                    </button>
                </Show>
            </div>
        </section>
    }
}

/// The open questions the checklist makes a formality ruled out in one click: each is listed,
/// so the agent reads what they say no to.
fn rule_out_all(
    p: &Playbook,
    triage: Memo<Option<Triage>>,
    walk: Memo<Option<Walk>>,
    answer_all: impl Fn(Vec<(String, String)>) + Copy + 'static,
) -> Option<impl IntoView> {
    // Tracked: a tick can settle a later question without changing the walk itself.
    let chain =
        triage.with(|t| walk.with(|w| Some(triage::rule_out(p, t.as_ref()?, w.as_ref()?))))?;
    chain.last()?;
    let labels: Vec<&str> = chain
        .iter()
        .filter_map(|(q, a)| p.question(q)?.answers.iter().find(|x| x.id == *a))
        .map(|a| a.label.as_str())
        .collect();
    let button = match labels.split_first() {
        Some((first, rest)) if rest.iter().all(|l| l == first) => {
            format!("{first} to all {}", chain.len())
        }
        _ => "None of these apply".to_string(),
    };
    Some(view! {
        <div class="rule-out">
            <p class="hint">{format!("Your ticks already answer the question after these {}. If none of them applies, rule them out together:", chain.len())}</p>
            <ul>{chain.iter().filter_map(|(q, _)| p.question(q)).map(|q| view! { <li>{q.text.clone()}</li> }).collect_view()}</ul>
            <button type="button" class="button answer" on:click=move |_| answer_all(chain.clone())>{button}</button>
        </div>
    })
}

#[component]
pub(super) fn Grades(
    case: Memo<Option<Case>>,
    triage: Memo<Option<Triage>>,
    walk: Memo<Option<Walk>>,
    read_only: Signal<bool>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let book = book();
    let select = move |label: &'static str, id: &'static str, is_urgency: bool| {
        let current = move || {
            triage.with(|t| {
                t.as_ref()
                    .and_then(|t| if is_urgency { t.urgency } else { t.impact })
            })
        };
        let automatic = move || {
            walk.with(|w| {
                w.as_ref()
                    .map(|w| {
                        let (g, src) = if is_urgency { &w.urgency } else { &w.impact };
                        book.with(|p| match src {
                            Source::Trigger(t) => format!(
                                "From the checklist: {}{}",
                                g.label(),
                                p.trigger(t)
                                    .map(|t| format!(", from “{}”", t.label))
                                    .unwrap_or_default()
                            ),
                            // Nothing ticked sets it: the playbook's default, said as such.
                            _ => format!("Usual: {} (no tick sets it)", g.label()),
                        })
                    })
                    .unwrap_or_default()
            })
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id disabled=read_only on:change=move |ev| {
                    let grade = Grade::from_key(&event_target_value(&ev));
                    if let Some(mut t) = triage.get_untracked() {
                        if is_urgency { t.urgency = grade } else { t.impact = grade }
                        save_triage(desk, case, t, "");
                    }
                }>
                    <option value="" selected=move || current().is_none()>{automatic}</option>
                    {Grade::ALL.into_iter().map(|g| view! {
                        <option value=g.key() selected=move || current() == Some(g)>{g.label()}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <section class="panel grades" aria-labelledby="grades-title">
            <h2 id="grades-title">
                "Priority: " {move || walk.with(|w| w.as_ref().map(|w| w.priority.label()).unwrap_or(""))}
            </h2>
            <p class="hint">"Urgency and impact set the priority, which tightens the level's targets."</p>
            <div class="field-grid">
                {select("Urgency", "grade-urgency", true)}
                {select("Impact", "grade-impact", false)}
            </div>
        </section>
    }
}

#[component]
fn Recommendation(
    case: Memo<Option<Case>>,
    walk: Memo<Option<Walk>>,
    read_only: Signal<bool>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let book = book();
    // Another level and its reason are kept as they are chosen and typed, like the rest of
    // the triage: leaving the screen or reloading brings them back.
    let case_id = case
        .with_untracked(|c| c.as_ref().map(|c| c.id.clone()))
        .unwrap_or_default();
    let other = RwSignal::new(desk.note(&case_id, "override-level"));
    let reason = RwSignal::new(desk.note(&case_id, "override-reason"));
    let case_id = StoredValue::new(case_id);
    let keep =
        move |box_id: &str, text: &str| case_id.with_value(|id| desk.keep_note(id, box_id, text));
    let error = RwSignal::new(None::<String>);

    let decide = move |chosen: Option<String>| {
        let Some(c) = case.get_untracked() else {
            return;
        };
        let result = book.with_untracked(|p| {
            triage::decide(
                &c,
                p,
                chosen.as_deref(),
                &reason.get_untracked(),
                Utc::now(),
                &|t| time::for_customer(t),
            )
        });
        match result {
            Ok(decided) => {
                error.set(None);
                let name = decided
                    .decision()
                    .map(|d| d.chosen_name.clone())
                    .unwrap_or_default();
                let id = decided.id.clone();
                keep("override-level", "");
                keep("override-reason", "");
                desk.save(decided, &format!("Decision recorded: {name}"));
                go(&Route::Case(id));
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };

    move || {
        let w = walk.get()?;
        let level_id = w.level.clone()?;
        let p = book.get();
        let level = p.level(&level_id)?.clone();
        let c = case.get()?;
        let now = desk.now.get();
        let t = targets(&p, &level, w.priority);
        let hours = triage::hours(&p);
        let response_due = due_from(&hours, now, t.response, t.business);
        let resolution_due = due_from(&hours, now, t.resolution, t.business);
        // Staying at tier 1: one revisit time, the first update's, on this screen, in the
        // customer message and on the case's clock.
        let update_due = triage::update_due(&hours, now, &t);
        let message = triage::customer_message(
            &level.customer_message,
            &c.details.customer.name,
            &c.reference,
            &level.receiver,
            &time::for_customer(response_due),
            &time::for_customer(resolution_due),
            &time::for_customer(update_due.unwrap_or(resolution_due)),
        );
        let revisit = if level.rank == 0 {
            update_due.unwrap_or(resolution_due)
        } else {
            resolution_due
        };
        let counting = if t.business {
            format!(
                "Counted in working time: {} to {}, {} ({}); waiting on the customer pauses the clocks.",
                p.calendar.opens.text(),
                p.calendar.closes.text(),
                super::deadlines::working_days(&p),
                p.calendar.time_zone
            )
        } else {
            "Counted around the clock; waiting on the customer pauses the clocks.".to_string()
        };
        let reasons = w.reasons(&p);
        let ticks = c
            .triage
            .as_ref()
            .map(|tr| triage::roles(&p, tr, &w))
            .unwrap_or_default();
        // Levels other ticks point to: offered in one click, the tick as the reason.
        let mut elsewhere: Vec<(String, String, String)> = Vec::new();
        for (_, label, role) in &ticks {
            if let triage::Role::PointsTo { level, name } = role {
                if !elsewhere.iter().any(|(l, _, _)| l == level) {
                    elsewhere.push((level.clone(), name.clone(), label.clone()));
                }
            }
        }
        let tips = (level.rank == 0).then(|| p.tier1_tips.clone());
        let others: Vec<(String, String)> = p
            .levels_by_rank()
            .into_iter()
            .filter(|l| l.id != level.id)
            .map(|l| (l.id.clone(), l.name.clone()))
            .collect();
        let accept_label = if level.rank == 0 {
            "Accept: keep at tier 1".to_string()
        } else {
            format!("Accept: escalate to {}", level.name)
        };
        Some(view! {
            <section class="panel recommendation" aria-labelledby="result-title">
                <h2 id="result-title" tabindex="-1">{format!("Recommended: {}", level.name)}</h2>
                <dl class="facts">
                    <dt>"Priority"</dt><dd>{w.priority.label()}</dd>
                    <dt>"Receiver"</dt><dd>{level.receiver.clone()}</dd>
                    {(level.rank > 0).then(|| view! {
                        <dt>"First response by"</dt>
                        <dd><time datetime=time::iso(response_due)>{time::local(response_due)}</time>{format!(" ({})", time::relative(response_due, now))}</dd>
                    })}
                    <dt>{if level.rank == 0 { "Revisit by" } else { "Resolution by" }}</dt>
                    <dd><time datetime=time::iso(revisit)>{time::local(revisit)}</time>{format!(" ({})", time::relative(revisit, now))}</dd>
                </dl>
                <p class="hint">{counting}</p>
                <h3>"Why"</h3>
                <ul class="reasons">
                    {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                </ul>
                {(!ticks.is_empty()).then(|| view! {
                    <h3>"Every ticked trigger"</h3>
                    <ul class="reasons ticks">
                        {ticks.into_iter().map(|(_, label, role)| {
                            let what = match role {
                                triage::Role::Decided => "decided the level".to_string(),
                                triage::Role::Urgency => "set the urgency".to_string(),
                                triage::Role::Impact => "set the impact".to_string(),
                                triage::Role::PointsTo { name, .. } => format!("points to {name}"),
                                triage::Role::Noted => "noted; it changes nothing in this playbook".to_string(),
                            };
                            view! { <li>{format!("{label}: {what}")}</li> }
                        }).collect_view()}
                    </ul>
                })}
                {(!elsewhere.is_empty()).then(|| view! {
                    <div class="also" role="note">
                        <p>{format!(
                            "Your ticks point at more than one level. {} leads here; {} would go elsewhere.",
                            if level.rank == 0 { "What you answered" } else { "The first decisive answer" },
                            elsewhere.iter().map(|(_, _, t)| format!("“{t}”")).collect::<Vec<_>>().join(", ")
                        )}</p>
                        <div class="panel-actions">
                            {elsewhere.into_iter().map(|(id, name, trigger)| view! {
                                <button type="button" class="button" disabled=read_only on:click=move |_| {
                                    reason.set(format!("Also ticked: {trigger}"));
                                    decide(Some(id.clone()));
                                }>{format!("Escalate to {name} instead")}</button>
                            }).collect_view()}
                        </div>
                    </div>
                })}
                {tips.map(|tips| view! {
                    <h3>"Keeping it at tier 1"</h3>
                    <ul class="tips">{tips.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                })}
                <h3>"Tell the customer"</h3>
                <blockquote class="customer-message">{message}</blockquote>
                {(level.rank > 0 && !level.handoff_requires.is_empty()).then(|| view! {
                    <h3>"The handoff must contain"</h3>
                    <ul class="requires">
                        {level.handoff_requires.iter().map(|r| view! {
                            <li>{r.field.label()}{r.blocks.then_some(" (required before it goes)")}</li>
                        }).collect_view()}
                    </ul>
                })}
                <div class="panel-actions">
                    <button type="button" class="button button-primary" disabled=read_only on:click=move |_| decide(None)>
                        {accept_label}
                    </button>
                </div>
                <details class="override" open=other.with_untracked(|o| !o.is_empty()) || reason.with_untracked(|r| !r.trim().is_empty())>
                    <summary>"Choose another level"</summary>
                    <div class="field">
                        <label for="override-level">"Level"</label>
                        <select id="override-level" on:change=move |ev| {
                            let level = event_target_value(&ev);
                            keep("override-level", &level);
                            other.set(level);
                        }>
                            <option value="" selected=move || other.with(String::is_empty)>"Choose a level"</option>
                            {others.into_iter().map(|(id, name)| {
                                let id2 = id.clone();
                                view! { <option value=id selected=move || other.get() == id2>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="override-reason">"Why this level instead " <span class="required">"(required)"</span></label>
                        <textarea id="override-reason" rows="3"
                            prop:value=move || reason.get()
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                keep("override-reason", &text);
                                reason.set(text);
                            }></textarea>
                    </div>
                    <button type="button" class="button" disabled=read_only on:click=move |_| {
                        let chosen = other.get_untracked();
                        if chosen.is_empty() {
                            error.set(Some("Choose the level to use.".into()));
                        } else {
                            decide(Some(chosen));
                        }
                    }>"Use this level"</button>
                </details>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </section>
        })
    }
}
