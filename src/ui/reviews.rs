//! Reviews and coaching (console): closed escalations waiting for the lead's review, the review
//! of one case (its whole story, then what went well, what to improve, one goal, recognition),
//! and the lessons digest for the team meeting.

use chrono::{Duration, Utc};
use leptos::prelude::*;

use crate::core::closeout::Review;
use crate::core::learning::{self, QueueFilter};
use crate::core::link::Route;

use super::case_form::with_case;
use super::desk::Desk;
use super::fields;
use super::files;
use super::nav;
use super::time;

/// Where the reviewer's name is remembered between reviews.
const REVIEWER: (&str, &str) = ("reviewer", "name");

#[component]
pub fn ReviewsScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let filter = RwSignal::new(QueueFilter::default());
    let queue = Memo::new(move |_| {
        filter.with(|f| {
            desk.playbook.with(|p| {
                desk.rows.with(|rows| {
                    learning::review_queue(rows.iter().map(|r| &r.case), p, f, desk.now.get())
                        .into_iter()
                        .cloned()
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let levels: Vec<(String, String)> = std::iter::once((String::new(), "Every level".to_string()))
        .chain(desk.playbook.with_untracked(|p| {
            p.levels_by_rank()
                .into_iter()
                .filter(|l| l.rank > 0)
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect::<Vec<_>>()
        }))
        .collect();
    let set = |f: fn(&mut QueueFilter, String)| Callback::new(move |v| filter.update(|q| f(q, v)));
    let flag = |f: fn(&mut QueueFilter, bool)| Callback::new(move |v| filter.update(|q| f(q, v)));
    let get = |f: fn(&QueueFilter) -> bool| Signal::derive(move || filter.with(f));

    // The digest's period: the last four weeks, in the team's days.
    let today = desk.playbook.with_untracked(|p| {
        crate::core::triage::hours(p)
            .zone()
            .local(Utc::now())
            .date()
    });
    let from = RwSignal::new(time::iso_day(today - Duration::days(27)));
    let to = RwSignal::new(time::iso_day(today));
    let digest = Memo::new(move |_| {
        let (Some(a), Some(b)) = (
            from.with(|f| time::parse_day(f)),
            to.with(|t| time::parse_day(t)),
        ) else {
            return Err("Pick a first and a last day for the digest.".to_string());
        };
        if a > b {
            return Err("The first day is after the last day: swap them.".to_string());
        }
        let zone = desk.playbook.with(|p| crate::core::triage::hours(p).zone());
        let day = move |at| zone.local(at).date();
        Ok(desk
            .rows
            .with(|rows| learning::digest(rows.iter().map(|r| &r.case), a, b, &day)))
    });
    let message = RwSignal::new(String::new());
    let download = move |_| {
        let Ok(text) =
            digest.with_untracked(|d| d.as_ref().map(learning::Digest::markdown).map_err(|_| ()))
        else {
            return;
        };
        let name = format!(
            "lessons-digest-{}-to-{}.md",
            from.get_untracked(),
            to.get_untracked()
        );
        message.set(match files::download(&name, "text/markdown", &text) {
            Ok(()) => format!("Downloaded {name}."),
            Err(e) => e,
        });
    };
    let people = desk.playbook.with_untracked(|p| p.people.clone());

    view! {
        <div class="screen-head">
            <h1>"Reviews"</h1>
        </div>
        <p class="lede">"Escalations closed and not reviewed yet, newest first. Reviewing one gives its owner feedback on the desk: what went well, what to improve, and one goal."</p>
        {fields::people(people)}
        <form class="filters" aria-label="Which cases wait for review" on:submit=|ev| ev.prevent_default()>
            {fields::line("review-owner".into(), "Owner".into(), "search",
                Signal::derive(move || filter.with(|f| f.owner.clone())), Some("people"),
                set(|f, v| f.owner = v))}
            {fields::pick("review-level".into(), "Level".into(), levels,
                Signal::derive(move || filter.with(|f| f.level.clone())),
                set(|f, v| f.level = v))}
            {fields::check("review-breached".into(), "A deadline was breached".into(), get(|f| f.breached_only), flag(|f, v| f.breached_only = v))}
            {fields::check("review-overridden".into(), "The recommendation was overridden, or the case escalated by hand".into(), get(|f| f.overridden_only), flag(|f, v| f.overridden_only = v))}
            {fields::check("review-resolved".into(), "Resolved cases too, not only closed".into(), get(|f| f.include_resolved), flag(|f, v| f.include_resolved = v))}
        </form>
        <p class="result-count" role="status">{move || match queue.with(Vec::len) {
            0 => "No case waits for a review.".to_string(),
            1 => "1 case waits for a review.".to_string(),
            n => format!("{n} cases wait for a review."),
        }}</p>
        <ul class="case-list" aria-label="Cases to review">
            {move || {
                let (hours, now) = (desk.hours(), desk.now.get());
                queue.get().into_iter().map(move |c| {
                let level = c.decision().map(|d| d.chosen_name.clone()).unwrap_or_default();
                let ended = learning::ended_at(&c);
                let subject = if c.details.subject.trim().is_empty() { "(no subject)".to_string() } else { c.details.subject.clone() };
                view! {
                    <li class="case-item">
                        <a class="case-link" href=Route::Review(c.id.clone()).href()>
                            <span class="case-ref">{c.reference.clone()}</span>
                            <span class="case-subject">{subject}</span>
                        </a>
                        <div class="case-meta">
                            <span class=format!("status status-{}", c.state().key())>{c.state().label()}</span>
                            <span>{level}</span>
                            {(!c.details.owner.trim().is_empty()).then(|| view! { <span class="owner">{format!("Owner: {}", c.details.owner.trim())}</span> })}
                            {learning::breached(&c, &hours, now).then(|| view! { <span class="status status-escalated">"Breached"</span> })}
                            {learning::overridden(&c).then(|| {
                                // Overridden in triage, or escalated by hand without one.
                                let what = if learning::overridden_in_triage(&c) {
                                    "Overridden"
                                } else {
                                    "Escalated by hand"
                                };
                                view! { <span class="status status-escalated">{what}</span> }
                            })}
                            {ended.map(|at| view! { <span>{format!("Ended {}", time::local(at))}</span> })}
                        </div>
                    </li>
                }
            }).collect_view()
            }}
        </ul>
        <section class="panel" aria-labelledby="digest-title">
            <h2 id="digest-title">"Lessons digest"</h2>
            <p class="hint">"For the team meeting: lessons marked “share” and exemplary cases in the period, grouped by root cause, without customers' names or contacts."</p>
            <div class="field-row">
                {fields::line("digest-from".into(), "First day".into(), "date", from.into(), None, Callback::new(move |v| from.set(v)))}
                {fields::line("digest-to".into(), "Last day".into(), "date", to.into(), None, Callback::new(move |v| to.set(v)))}
            </div>
            <div class="panel-actions">
                <button type="button" class="button button-primary" disabled=move || digest.with(Result::is_err) on:click=download>"Download digest (Markdown)"</button>
                <button type="button" class="button" disabled=move || digest.with(Result::is_err) on:click=move |_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>"Print digest"</button>
            </div>
            <p class="hint" role="status">{move || message.get()}</p>
            {move || match digest.get() {
                Ok(d) => view! { <article class="digest" aria-label="Lessons digest preview">{document(&d, 3)}</article> }.into_any(),
                Err(why) => view! { <p class="field-error" role="alert">{why}</p> }.into_any(),
            }}
        </section>
        // Printed alone (the print styles show only this sheet), as a document, not Markdown.
        <article class="print-sheet" aria-hidden="true">
            {move || digest.get().ok().map(|d| document(&d, 1))}
        </article>
    }
}

/// The digest as a document: its title (a heading when printed), its counts, its headed lists.
fn document(d: &learning::Digest, level: u8) -> AnyView {
    let sections = d
        .sections
        .iter()
        .map(|(heading, lines)| {
            view! {
                <section>
                    <p class="digest-heading">{heading.clone()}</p>
                    <ul>{lines.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}</ul>
                </section>
            }
        })
        .collect_view();
    let title = d.title.clone();
    view! {
        {if level == 1 { view! { <h1>{title}</h1> }.into_any() } else { view! { <p class="digest-title">{title}</p> }.into_any() }}
        <p>{d.summary.clone()}</p>
        {sections}
    }
    .into_any()
}

#[component]
pub fn ReviewScreen(id: String) -> impl IntoView {
    with_case(id, |id| view! { <ReviewForm id/> }.into_any())
}

#[component]
fn ReviewForm(id: String) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let Some(case) = desk.case(&id) else {
        return ().into_any();
    };
    let draft = desk.kept_draft(&id, "review", || Review {
        reviewer: desk.note(REVIEWER.0, REVIEWER.1),
        ..Review::default()
    });
    let error = RwSignal::new(String::new());
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    let save = {
        let id = id.clone();
        move |_| {
            let Some(c) = desk.case(&id) else { return };
            let r = draft.get_untracked();
            match learning::reviewed(&c, &r, Utc::now()) {
                Ok(next) => {
                    let owner = c.details.owner.trim().to_string();
                    let who = if owner.is_empty() {
                        "The case's owner".to_string()
                    } else {
                        owner
                    };
                    desk.save(
                        next,
                        &format!("Review saved. {who} sees it on the case, on the desk."),
                    );
                    desk.keep_note(&id, "review", "");
                    desk.keep_note(REVIEWER.0, REVIEWER.1, r.reviewer.trim());
                    nav::go(&Route::Reviews);
                }
                Err(e) => {
                    error.set(e.to_string());
                    super::focus::now(match e {
                        learning::ReviewError::NoReviewer => "#review-reviewer",
                        learning::ReviewError::NothingSaid => "#review-went-well",
                    });
                }
            }
        }
    };
    let text = |f: fn(&Review) -> String| Signal::derive(move || draft.with(f));
    let set = |f: fn(&mut Review, String)| Callback::new(move |v| draft.update(|r| f(r, v)));
    let story = learning::story(&case, &desk.hours(), desk.now.get_untracked(), &time::local);
    let level = case
        .decision()
        .map(|d| d.chosen_name.clone())
        .unwrap_or_else(|| "Not triaged".into());
    let owner = if case.details.owner.trim().is_empty() {
        "No owner recorded".to_string()
    } else {
        case.details.owner.trim().to_string()
    };
    let earlier = case.reviews.iter().rev().map(|r| view! {
        <li>{format!("{} by {}: {}{}", time::local(r.at), r.reviewer, r.went_well, if r.exemplary { " (exemplary)" } else { "" })}</li>
    }).collect_view();
    let people = desk.playbook.with_untracked(|p| p.people.clone());
    let made = RwSignal::new(None::<Result<String, String>>);
    let for_practice = case.clone();
    let title = format!(
        "Review {}{}",
        case.reference,
        if case.details.subject.trim().is_empty() {
            String::new()
        } else {
            format!(" · {}", case.details.subject.trim())
        }
    );

    view! {
        <div class="screen-head">
            <h1>{title}</h1>
            <p class="case-facts">
                <span class=format!("status status-{}", case.state().key())>{case.state().label()}</span>
                " "{level}" · "{owner}" "
                <a class="button button-quiet button-small" href=nav::href(&Route::Case(case.id.clone())) target=nav::target(&Route::Case(case.id.clone()))>"Open the case"</a>
            </p>
        </div>
        <div class="case-layout">
            <div class="review-story" aria-label="The case's story">
                {story.into_iter().map(|(title, lines)| view! {
                    <section class="panel">
                        <h2>{title}</h2>
                        <ul class="reasons">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </section>
                }).collect_view()}
                {(!case.reviews.is_empty()).then(|| view! {
                    <section class="panel">
                        <h2>"Reviewed before"</h2>
                        <ul class="reasons">{earlier}</ul>
                    </section>
                })}
            </div>
            {fields::people(people)}
            <form class="case-side review-form" novalidate aria-label="Review" on:submit=|ev| ev.prevent_default()>
                <fieldset class="form-section" disabled=read_only>
                    <legend>"Feedback for the agent"</legend>
                    {fields::text("review-went-well".into(), "What went well".into(), "Name what they did, so they do it again.", text(|r| r.went_well.clone()), set(|r, v| r.went_well = v))}
                    {fields::text("review-improve".into(), "What to improve".into(), "Gently, and specifically: one or two things.", text(|r| r.improve.clone()), set(|r, v| r.improve = v))}
                    {fields::line("review-goal".into(), "Goal".into(), "text", text(|r| r.goal.clone()), None, set(|r, v| r.goal = v))}
                    <p class="hint">"One specific, measurable goal, e.g. “Hand off within 15 minutes on the next three P1 cases”."</p>
                    {fields::line("review-goal-due".into(), "Goal due".into(), "date",
                        text(|r| r.goal_due.map(time::iso_day).unwrap_or_default()), None,
                        set(|r, v| r.goal_due = time::parse_day(&v)))}
                    {fields::check("review-exemplary".into(), "Exemplary handling: recognise it in the team's digest".into(),
                        Signal::derive(move || draft.with(|r| r.exemplary)),
                        Callback::new(move |v| draft.update(|r| r.exemplary = v)))}
                    {fields::line("review-reviewer".into(), "Reviewer".into(), "text", text(|r| r.reviewer.clone()), Some("people"), set(|r, v| r.reviewer = v))}
                </fieldset>
                <p id="review-error" class="field-error" role="alert" tabindex="-1">{move || error.get()}</p>
                <div class="panel-actions">
                    <button type="button" class="button button-primary" disabled=read_only on:click=save>"Save review"</button>
                    <button type="button" class="button" on:click=move |_| made.set(Some(match crate::core::practice::from_case(&for_practice) {
                        Some(s) => {
                            let title = s.title.clone();
                            super::practice::keep_scenarios(desk, vec![s]);
                            Ok(format!("“{title}” is now a practice scenario, without the customer's name or contact."))
                        }
                        None => Err("This case has no triage decision with its answers kept, so it can't become a scenario.".into()),
                    }))>"Make it a practice scenario"</button>
                    <a class="button" href=Route::Reviews.href()>"Back to reviews"</a>
                </div>
                <super::notices::OutcomeMessage outcome=made/>
            </form>
        </div>
    }
    .into_any()
}
