//! Resolve and close a case (`#/case/<id>/close`, on the desk): what resolved it, then what it
//! taught: root cause (with a "5 whys"), lessons, follow-up actions, the customer's
//! satisfaction; what the level requires, or a reason for each part left out. What is typed is
//! kept in storage as it is typed, so leaving the screen or closing the page loses nothing.
//! Also the case screen's panels for a close-out and for the lead's feedback.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::case::{Case, Status};
use crate::core::closeout::{Draft, FollowUp, Lesson, Part, Satisfaction, Source, Why, MAX_WHYS};
use crate::core::learning::{self, CloseError};
use crate::core::link::Route;

use super::case_form::with_case;
use super::desk::Desk;
use super::fields;
use super::focus;
use super::nav::go;
use super::time;

/// The storage box of a case's close-out draft.
const BOX: &str = "closeout";

#[component]
pub fn CloseOutScreen(id: String) -> impl IntoView {
    with_case(id, |id| view! { <CloseOutForm id/> }.into_any())
}

/// An edit of the draft, as a callback for a field.
fn edit<T: 'static>(
    draft: RwSignal<Draft>,
    f: impl Fn(&mut Draft, T) + Send + Sync + 'static,
) -> Callback<T> {
    Callback::new(move |v| draft.update(|d| f(d, v)))
}

fn read(
    draft: RwSignal<Draft>,
    f: impl Fn(&Draft) -> String + Send + Sync + 'static,
) -> Signal<String> {
    Signal::derive(move || draft.with(&f))
}

/// The `i`th item of a list, made to exist.
fn nth<T: Default>(list: &mut Vec<T>, i: usize) -> &mut T {
    while list.len() <= i {
        list.push(T::default());
    }
    &mut list[i]
}

#[component]
fn CloseOutForm(id: String) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let case = {
        let id = id.clone();
        Memo::new(move |_| desk.case(&id))
    };
    let Some(initial) = case.get_untracked() else {
        return ().into_any();
    };
    if initial.status == Status::Closed {
        return view! { <Closed case=initial/> }.into_any();
    }
    // Kept as typed: every way out of the screen keeps it.
    let draft = desk.kept_draft(&id, BOX, || Draft {
        closeout: learning::current(&initial),
        skips: Vec::new(),
    });
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    let status = Memo::new(move |_| case.with(|c| c.as_ref().map(|c| c.status)));
    let required = Memo::new(move |_| {
        case.with(|c| {
            c.as_ref()
                .map(|c| desk.playbook.with(|p| learning::required(c, p)))
                .unwrap_or_default()
        })
    });
    let level_name = desk.playbook.with_untracked(|p| {
        learning::close_level(&initial, p)
            .map(|l| l.name.clone())
            .unwrap_or_default()
    });
    let missing = Memo::new(move |_| {
        required.with(|r| draft.with(|d| learning::missing(r, &d.closeout, &[])))
    });
    let error = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    // The cursor starts where the work is: the first part the level still needs.
    let first = draft.with_untracked(|d| {
        required
            .with_untracked(|r| learning::missing(r, &d.closeout, &[]))
            .first()
            .map_or(Part::Resolution.control(), |p| p.control())
    });
    focus::later(format!("#{first}"));
    // Named for what the agent came to do: resolve an open case, close a resolved one.
    let heading = format!(
        "{} {}{}",
        if initial.status == Status::Resolved {
            "Close"
        } else {
            "Resolve"
        },
        initial.reference,
        if initial.details.subject.trim().is_empty() {
            String::new()
        } else {
            format!(" · {}", initial.details.subject.trim())
        }
    );

    let resolve = {
        let id = id.clone();
        move |_| {
            let Some(c) = desk.case(&id) else { return };
            let summary = draft.with_untracked(|d| d.closeout.resolution.clone());
            match learning::resolved(&c, &summary, Utc::now()) {
                Ok(moved) => {
                    desk.save(moved, "Case resolved. Close it when the customer confirms; what you typed for the close-out is kept.");
                    go(&Route::Case(id.clone()));
                }
                Err(e) => error.set(format!("{e}.")),
            }
        }
    };
    let close = {
        let id = id.clone();
        move |_| {
            let Some(c) = desk.case(&id) else { return };
            let d = draft.get_untracked();
            let result = desk
                .playbook
                .with_untracked(|p| learning::closed(&c, &d.closeout, &d.skips, p, Utc::now()));
            match result {
                Ok(done) => {
                    desk.save(done, "Case closed. Thank you for recording what it taught.");
                    if desk.case(&id).is_some_and(|c| c.status == Status::Closed) {
                        desk.keep_note(&id, BOX, "");
                        go(&Route::Case(id.clone()));
                    }
                }
                Err(e @ CloseError::Missing(_)) => {
                    tried.set(true);
                    error.set(e.to_string());
                    focus::after_render("#close-error");
                }
                Err(e) => error.set(e.to_string()),
            }
        }
    };

    let root_causes: Vec<(String, String)> =
        std::iter::once((String::new(), "Not recorded yet".to_string()))
            .chain(desk.playbook.with_untracked(|p| {
                p.root_causes
                    .iter()
                    .map(|r| (r.id.clone(), r.label.clone()))
                    .collect::<Vec<_>>()
            }))
            .collect();
    let scores: Vec<(String, String)> = [
        ("", "Not recorded yet"),
        ("1", "1: very unhappy"),
        ("2", "2: unhappy"),
        ("3", "3: neither"),
        ("4", "4: happy"),
        ("5", "5: very happy"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let sources: Vec<(String, String)> = Source::ALL
        .into_iter()
        .map(|s| (s.key().to_string(), s.label().to_string()))
        .collect();
    let whys = Memo::new(move |_| draft.with(|d| d.closeout.whys.len().clamp(1, MAX_WHYS)));
    let lessons = Memo::new(move |_| draft.with(|d| d.closeout.lessons.len().max(1)));
    let actions = Memo::new(move |_| draft.with(|d| d.closeout.follow_ups.len().max(1)));
    let people = desk.playbook.with_untracked(|p| p.people.clone());

    view! {
        <div class="screen-head">
            <a class="back-link" href=Route::Case(id.clone()).href()>"Back to the case"</a>
            <h1>{heading}</h1>
            <p class="case-facts">
                {move || status.get().map(|s| view! { <span class=format!("status status-{}", s.key())>{s.label()}</span> })}
            </p>
        </div>
        <section class="panel" aria-labelledby="close-needs-title">
            <h2 id="close-needs-title">{format!("To close at {level_name}")}</h2>
            <ul class="needs">
                {move || required.get().into_iter().map(|part| {
                    let done = Signal::derive(move || !missing.with(|m| m.contains(&part)));
                    view! {
                        <li class:need-done=done>
                            <span class="need-mark" aria-hidden="true">{move || if done.get() { "✓" } else { "○" }}</span>
                            <span>{move || format!("{}: {}", part.label(), if done.get() { "recorded" } else { "needed" })}</span>
                            {move || (!done.get()).then(|| view! {
                                <button type="button" class="button button-quiet button-small"
                                    on:click=move |_| focus::now(&format!("#{}", part.control()))>
                                    "Fill in"<span class="visually-hidden">{format!(" {}", part.label())}</span>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || required.with(Vec::is_empty).then(|| view! { <p class="hint">"This level asks for nothing before closing; what you record still helps the team."</p> })}
        </section>
        {fields::people(people)}
        <form class="close-form" novalidate aria-label="Close-out" on:submit=|ev| ev.prevent_default()>
            <fieldset class="form-section" disabled=read_only>
                <legend>"Resolution"</legend>
                {fields::text("closeout-resolution".into(), "What resolved it".into(),
                    "In the customer's terms and the team's: what was done, and what the customer has now.",
                    read(draft, |d| d.closeout.resolution.clone()),
                    edit(draft, |d, v| d.closeout.resolution = v))}
                {move || (status.get().is_some_and(|s| s != Status::Resolved)).then(|| view! {
                    <div class="panel-actions">
                        <button type="button" class="button" disabled=read_only on:click=resolve.clone()>"Mark resolved"</button>
                        <span class="hint">"Resolve now, close when the customer confirms; the rest of this form is kept."</span>
                    </div>
                })}
            </fieldset>
            <fieldset class="form-section" disabled=read_only>
                <legend>"Root cause"</legend>
                {fields::pick("closeout-root-cause".into(), "Root cause".into(), root_causes,
                    read(draft, |d| d.closeout.root_cause.clone()),
                    edit(draft, |d, v| d.closeout.root_cause = v))}
                <details class="whys" open=draft.with_untracked(|d| !d.closeout.whys.is_empty())>
                    <summary>"Find it with “5 whys”"</summary>
                    <p class="hint">"Ask why it happened, then why that happened, up to five times: the last answer is usually the root cause."</p>
                    {rows(draft, whys, MAX_WHYS, why_row, "Ask why again", |d, n| { nth(&mut d.closeout.whys, n); }, |n| format!("#why-{n}"))}
                </details>
            </fieldset>
            <fieldset class="form-section" disabled=read_only>
                <legend>"Lessons learned"</legend>
                <p class="hint">"What would you or the team do differently next time? Shared lessons go in the team's digest, without the customer's details."</p>
                {rows(draft, lessons, usize::MAX, lesson_row, "Add a lesson", |d, n| { nth(&mut d.closeout.lessons, n); }, |n| format!("#lesson-{n}"))}
            </fieldset>
            <fieldset class="form-section" disabled=read_only>
                <legend>"Follow-up actions"</legend>
                <p class="hint">"What still has to happen after the case closes, who does it, and by when."</p>
                {rows(draft, actions, usize::MAX, action_row, "Add an action", |d, n| { nth(&mut d.closeout.follow_ups, n); }, |n| format!("#action-what-{n}"))}
            </fieldset>
            <fieldset class="form-section" disabled=read_only>
                <legend>"Customer satisfaction"</legend>
                <div class="field-row">
                    {fields::pick("satisfaction-score".into(), "Score (1 to 5)".into(), scores,
                        read(draft, |d| d.closeout.satisfaction.as_ref().map(|s| s.score.to_string()).unwrap_or_default()),
                        edit(draft, |d, v: String| match v.parse::<u8>() {
                            Ok(score) => d.closeout.satisfaction.get_or_insert_with(Satisfaction::default).score = score,
                            Err(_) => d.closeout.satisfaction = None,
                        }))}
                    {fields::pick("satisfaction-source".into(), "Reported by".into(), sources,
                        read(draft, |d| d.closeout.satisfaction.as_ref().map(|s| s.source).unwrap_or_default().key().to_string()),
                        edit(draft, |d, v: String| {
                            let source = Source::from_key(&v).unwrap_or_default();
                            d.closeout.satisfaction.get_or_insert_with(Satisfaction::default).source = source;
                        }))}
                </div>
                {fields::text("satisfaction-comment".into(), "Customer's comment".into(), "",
                    read(draft, |d| d.closeout.satisfaction.as_ref().map(|s| s.comment.clone()).unwrap_or_default()),
                    edit(draft, |d, v| d.closeout.satisfaction.get_or_insert_with(Satisfaction::default).comment = v))}
            </fieldset>
            // After a close was refused, or whenever a reason was typed before (kept in the
            // draft, so it is never used out of sight).
            <Show when=move || {
                !missing.with(Vec::is_empty)
                    && (tried.get() || draft.with(|d| d.skips.iter().any(|s| !s.reason.trim().is_empty())))
            }>
                <fieldset class="form-section" disabled=read_only>
                    <legend>"Closing without something the level needs"</legend>
                    <p class="hint">"Fill the part in above, or say here why this case closes without it. The reason is kept on the case's history."</p>
                    {move || missing.get().into_iter().map(|part: Part| {
                        fields::line(format!("skip-{}", part.key()), format!("Why close without the {}?", crate::core::letter_case::to_lower(part.label())), "text",
                            read(draft, move |d| d.skip_reason(part)), None,
                            edit(draft, move |d, v| d.set_skip_reason(part, v)))
                    }).collect_view()}
                </fieldset>
            </Show>
            <p id="close-error" class="field-error" role="alert" tabindex="-1">{move || error.get()}</p>
            <div class="panel-actions">
                <button type="button" class="button button-primary" disabled=read_only on:click=close>"Close case"</button>
            </div>
        </form>
    }
    .into_any()
}

/// The rows of one of the draft's lists, `n` of them drawn by `row`, and a button that adds
/// one and takes the cursor to it. One shape for every list (whys, lessons, actions).
fn rows(
    draft: RwSignal<Draft>,
    n: Memo<usize>,
    max: usize,
    row: fn(RwSignal<Draft>, usize) -> AnyView,
    add: &'static str,
    add_one: fn(&mut Draft, usize),
    first: fn(usize) -> String,
) -> AnyView {
    view! {
        {move || (0..n.get()).map(|i| row(draft, i)).collect_view()}
        {move || (n.get() < max).then(|| view! {
            <button type="button" class="button button-small" on:click=move |_| {
                let k = n.get_untracked();
                draft.update(|d| add_one(d, k));
                focus::later(first(k));
            }>{add}</button>
        })}
    }
    .into_any()
}

fn why_row(draft: RwSignal<Draft>, i: usize) -> AnyView {
    view! {
        <div class="field-row">
            {fields::line(format!("why-{i}"), format!("Why {}?", i + 1), "text",
                read(draft, move |d| d.closeout.whys.get(i).map(|w| w.why.clone()).unwrap_or_default()), None,
                edit(draft, move |d, v| nth::<Why>(&mut d.closeout.whys, i).why = v))}
            {fields::line(format!("because-{i}"), format!("Because {}", i + 1), "text",
                read(draft, move |d| d.closeout.whys.get(i).map(|w| w.because.clone()).unwrap_or_default()), None,
                edit(draft, move |d, v| nth::<Why>(&mut d.closeout.whys, i).because = v))}
        </div>
    }
    .into_any()
}

fn lesson_row(draft: RwSignal<Draft>, i: usize) -> AnyView {
    view! {
        <div class="field-row">
            {fields::text(format!("lesson-{i}"), format!("Lesson {}", i + 1), "",
                read(draft, move |d| d.closeout.lessons.get(i).map(|l| l.text.clone()).unwrap_or_default()),
                edit(draft, move |d, v| nth::<Lesson>(&mut d.closeout.lessons, i).text = v))}
            {fields::check(format!("lesson-share-{i}"), format!("Share lesson {} with the team", i + 1),
                Signal::derive(move || draft.with(|d| d.closeout.lessons.get(i).is_some_and(|l| l.share))),
                edit(draft, move |d, v| nth::<Lesson>(&mut d.closeout.lessons, i).share = v))}
        </div>
    }
    .into_any()
}

fn action_row(draft: RwSignal<Draft>, i: usize) -> AnyView {
    view! {
        <div class="field-row">
            {fields::line(format!("action-what-{i}"), format!("Action {}", i + 1), "text",
                read(draft, move |d| d.closeout.follow_ups.get(i).map(|a| a.what.clone()).unwrap_or_default()), None,
                edit(draft, move |d, v| nth::<FollowUp>(&mut d.closeout.follow_ups, i).what = v))}
            {fields::line(format!("action-owner-{i}"), format!("Owner of action {}", i + 1), "text",
                read(draft, move |d| d.closeout.follow_ups.get(i).map(|a| a.owner.clone()).unwrap_or_default()), Some("people"),
                edit(draft, move |d, v| nth::<FollowUp>(&mut d.closeout.follow_ups, i).owner = v))}
            {fields::line(format!("action-due-{i}"), format!("Action {} due", i + 1), "date",
                read(draft, move |d| d.closeout.follow_ups.get(i).and_then(|a| a.due).map(time::iso_day).unwrap_or_default()), None,
                edit(draft, move |d, v: String| nth::<FollowUp>(&mut d.closeout.follow_ups, i).due = time::parse_day(&v)))}
            {fields::check(format!("action-done-{i}"), format!("Action {} done", i + 1),
                Signal::derive(move || draft.with(|d| d.closeout.follow_ups.get(i).is_some_and(|a| a.done))),
                edit(draft, move |d, v| nth::<FollowUp>(&mut d.closeout.follow_ups, i).done = v))}
        </div>
    }
    .into_any()
}

/// A closed case's close-out screen: what it was closed with, and a way back.
#[component]
fn Closed(case: Case) -> impl IntoView {
    view! {
        <div class="screen-head">
            <h1>{format!("{} is closed", case.reference)}</h1>
            <p><a href=Route::Case(case.id.clone()).href()>"Back to the case"</a></p>
        </div>
        <p>"To record a new resolution, reopen the case from its screen: its close-outs so far are kept."</p>
        {closeout_panel(&case)}
    }
}

/// The case screen's panel for what resolved the case and what it taught (the latest
/// close-out), with its follow-ups ticked done there.
pub fn closeout_panel(case: &Case) -> Option<AnyView> {
    let desk = expect_context::<Desk>();
    let index = case.closeouts.len().checked_sub(1)?;
    let c = case.closeouts[index].clone();
    let rows = c
        .rows()
        .into_iter()
        .filter(|(label, _)| *label != "Follow-up actions")
        .map(|(label, values)| {
            view! { <dt>{label}</dt><dd>{values.join("; ")}</dd> }
        })
        .collect_view();
    let actions = c
        .follow_ups
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let case = case.clone();
            let mut words = a.what.clone();
            if !a.owner.is_empty() {
                words.push_str(&format!(", by {}", a.owner));
            }
            if let Some(due) = a.due {
                words.push_str(&format!(", due {}", time::day(due)));
            }
            fields::check(
                format!("follow-up-{i}"),
                words,
                Signal::stored(a.done),
                Callback::new(move |done| {
                    if let Some(next) = learning::follow_up_done(&case, index, i, done, Utc::now())
                    {
                        desk.save(
                            next,
                            if done {
                                "Follow-up done"
                            } else {
                                "Follow-up open again"
                            },
                        );
                    }
                }),
            )
        })
        .collect_view();
    let title = if c.closed_at.is_some() {
        "Close-out"
    } else {
        "Resolution"
    };
    Some(
        view! {
            <section class="panel" aria-labelledby="closeout-title">
                <h2 id="closeout-title">{title}</h2>
                <dl class="facts">{rows}</dl>
                {(!c.follow_ups.is_empty()).then(|| view! {
                    <h3>"Follow-up actions"</h3>
                    {actions}
                })}
            </section>
        }
        .into_any(),
    )
}

/// The lead's feedback on the case, newest first, and "Mark feedback read".
pub fn feedback_panel(case: &Case, read_only: Signal<bool>) -> Option<AnyView> {
    if case.reviews.is_empty() {
        return None;
    }
    let desk = expect_context::<Desk>();
    let unread = learning::unread_feedback(case);
    let reviews = case
        .reviews
        .iter()
        .rev()
        .enumerate()
        .map(|(i, r)| {
            let mut rows = vec![
                ("What went well", r.went_well.clone()),
                ("What to improve", r.improve.clone()),
            ];
            if !r.goal.is_empty() {
                let due = r.goal_due.map(|d| format!(" (by {})", time::day(d))).unwrap_or_default();
                rows.push(("Goal", format!("{}{due}", r.goal)));
            }
            view! {
                <article class="review" class:review-new=(i < unread)>
                    <h3>
                        {format!("{} · {}", r.reviewer, time::local(r.at))}
                        {(i < unread).then(|| view! { <span class="status status-feedback">"New"</span> })}
                        {r.exemplary.then(|| view! { <span class="status status-exemplary">"Exemplary"</span> })}
                    </h3>
                    <dl class="facts">
                        {rows.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                </article>
            }
        })
        .collect_view();
    let case = case.clone();
    Some(
        view! {
            <section class="panel" aria-labelledby="feedback-title">
                <h2 id="feedback-title" tabindex="-1">"Feedback"</h2>
                {reviews}
                {(unread > 0).then(|| view! {
                    <button type="button" class="button" disabled=read_only on:click=move |_| {
                        if let Some(next) = learning::feedback_read(&case, Utc::now()) {
                            desk.save(next, "Feedback marked read");
                            // The button goes away: keep the reader in the panel.
                            focus::after_render("#feedback-title");
                        }
                    }>"Mark feedback read"</button>
                })}
            </section>
        }
        .into_any(),
    )
}
