//! The case list: search, filters, sort, counts. Shows a page of results at a time, so a
//! browser holding thousands of cases stays quick.

use leptos::prelude::*;

use crate::core::case::State;
use crate::core::query::{find, Query, Row, Sort};

use super::desk::Desk;
use super::time;

/// Cases drawn at a time; the rest behind "Show more".
pub const PAGE: usize = 50;

/// "Show 50 more", while some of `total` are not drawn yet.
#[component]
pub fn ShowMore(total: Signal<usize>, shown: RwSignal<usize>) -> impl IntoView {
    view! {
        <Show when=move || { total.get() > shown.get() }>
            <div class="more">
                <button type="button" class="button" on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || format!("Show {} more", total.get().saturating_sub(shown.get()).min(PAGE))}
                </button>
            </div>
        </Show>
    }
}

#[component]
pub fn CaseList() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // A link from a figure on the Insights screen opens the list on the cases behind it.
    let hash = super::nav::nav()
        .map(|n| n.hash_untracked())
        .unwrap_or_default();
    // The search, filters and sort as the agent left them (the desk keeps them); the cases
    // behind a figure only when the link names them.
    let query = desk.list_query;
    let only = crate::core::link::cases_only(&hash);
    if query.with_untracked(|q| q.only != only) {
        query.update(|q| q.only = only);
    }
    let shown = RwSignal::new(PAGE);

    let found = Memo::new(move |_| {
        let q = query.get();
        let now = desk.now.get();
        desk.rows.with(|rows| find(rows, &q, now, super::desk::nfd))
    });
    let total = move || desk.rows.with(Vec::len);
    let count_text = move || {
        let n = found.with(|f| f.positions.len());
        let all = total();
        let shown = if n == all {
            format!("{n} case{}", if n == 1 { "" } else { "s" })
        } else {
            format!("{n} of {all} cases")
        };
        match desk.loading.get() {
            Some((done, stored)) => {
                format!("{shown} · reading the rest of your cases ({done} of {stored})…")
            }
            None => shown,
        }
    };

    let more = RwSignal::new(false);
    let set_query = move |f: &dyn Fn(&mut Query)| {
        query.update(|q| f(q));
        shown.set(PAGE);
    };

    view! {
        <div class="screen-head">
            <h1>"Cases"</h1>
            <a class="button button-primary" href="#/new">"New case"</a>
        </div>
        {move || query.with(|q| q.only.as_ref().map(Vec::len)).map(|n| view! {
            <p class="inline-note" role="status">
                {format!("Showing only the {n} case{} behind a figure on Insights. ", if n == 1 { "" } else { "s" })}
                <a href="#/" on:click=move |_| set_query(&|q| q.only = None)>"Show all cases"</a>
            </p>
        })}
        <form class="filters" role="search" aria-label="Find cases" on:submit=|ev| ev.prevent_default()>
            <div class="field field-grow">
                <label for="case-search">"Search"</label>
                <input
                    id="case-search"
                    type="search"
                    placeholder="Reference, subject, customer, description"
                    autocomplete="off"
                    prop:value=move || query.with(|q| q.text.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        set_query(&move |q| q.text = text.clone());
                    }
                />
            </div>
            // On a narrow screen the other filters fold away behind this button, so cases
            // show in the first screen; on a wide one they are always there.
            <button type="button" class="button filters-toggle"
                aria-controls="filters-more"
                aria-expanded=move || more.get().to_string()
                on:click=move |_| more.update(|m| *m = !*m)>
                {move || {
                    let on = query.with(|q| usize::from(q.status.is_some()) + usize::from(q.overdue_only) + usize::from(q.feedback_only));
                    if on == 0 { "Filters".to_string() } else { format!("Filters ({on} on)") }
                }}
            </button>
            <div id="filters-more" class="filters-more" class:filters-open=move || more.get()>
            <div class="field">
                <label for="status-filter">"Status"</label>
                <select
                    id="status-filter"
                    on:change=move |ev| {
                        let status = State::from_key(&event_target_value(&ev));
                        set_query(&move |q| q.status = status);
                    }
                >
                    <option value="" selected=move || query.with(|q| q.status.is_none())>
                        {move || format!("All ({})", found.with(|f| f.per_status.iter().sum::<usize>()))}
                    </option>
                    {State::ALL.into_iter().enumerate().map(|(i, s)| view! {
                        <option value=s.key() selected=move || query.with(|q| q.status == Some(s))>
                            {move || format!("{} ({})", s.label(), found.with(|f| f.per_status[i]))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="sort-order">"Sort by"</label>
                <select
                    id="sort-order"
                    on:change=move |ev| {
                        let sort = Sort::from_key(&event_target_value(&ev)).unwrap_or_default();
                        set_query(&move |q| q.sort = sort);
                    }
                >
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.key() selected=move || query.with(|q| q.sort == s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field-check">
                <input
                    id="overdue-only"
                    type="checkbox"
                    prop:checked=move || query.with(|q| q.overdue_only)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        set_query(&move |q| q.overdue_only = on);
                    }
                />
                <label for="overdue-only">
                    {move || format!("Overdue only ({})", found.with(|f| f.overdue))}
                </label>
            </div>
            <div class="field field-check">
                <input
                    id="feedback-only"
                    type="checkbox"
                    prop:checked=move || query.with(|q| q.feedback_only)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        set_query(&move |q| q.feedback_only = on);
                    }
                />
                <label for="feedback-only">
                    {move || format!("Feedback to read ({})", found.with(|f| f.feedback))}
                </label>
            </div>
            </div>
        </form>
        <p class="result-count" role="status">{count_text}</p>
        <Show
            when=move || { total() > 0 }
            fallback=move || view! {
                <div class="empty">
                    <h2>"No cases yet"</h2>
                    <p>{move || match desk.removed.with(Vec::len) {
                        0 => "Open a case when a customer's issue may need to go beyond you.".to_string(),
                        n => format!("Your team deleted {n} case{}: they are below, under “Removed by the team”. Or open a new one.", if n == 1 { "" } else { "s" }),
                    }}</p>
                    <a class="button button-primary" href="#/new">"Open the first case"</a>
                </div>
            }
        >
            <Show
                when=move || found.with(|f| !f.positions.is_empty())
                fallback=|| view! {
                    <div class="empty">
                        <h2>"No case matches"</h2>
                        <p>"Try fewer words, or another status."</p>
                    </div>
                }
            >
                <ul class="case-list" aria-label="Cases found">
                    {move || {
                        let now = desk.now.get();
                        let limit = shown.get();
                        found.with(|f| desk.rows.with(|rows| {
                            f.positions.iter().take(limit)
                                .map(|i| case_item(&rows[*i], now))
                                .collect_view()
                        }))
                    }}
                </ul>
                <ShowMore total=Signal::derive(move || found.with(|f| f.positions.len())) shown/>
            </Show>
        </Show>
        <super::team::RemovedList/>
    }
}

fn case_item(row: &Row, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let case = &row.case;
    let d = &case.details;
    let overdue = row.is_overdue(now);
    let subject = if d.subject.trim().is_empty() {
        "(no subject)".to_string()
    } else {
        d.subject.clone()
    };
    let customer = match (d.customer.name.trim(), d.customer.vip) {
        ("", _) => "No customer named".to_string(),
        (name, true) => format!("{name} · VIP"),
        (name, false) => name.to_string(),
    };
    let due = row.due.map(|due| {
        let text = if overdue {
            format!("Overdue, was due {}", time::relative(due, now))
        } else {
            format!("Due {}", time::relative(due, now))
        };
        view! {
            <time class="due" class:due-overdue=overdue datetime=time::iso(due) title=time::local(due)>
                {text}
            </time>
        }
    });
    view! {
        <li class="case-item" class:case-overdue=overdue>
            <a class="case-link" href=format!("#/case/{}", case.id)>
                <span class="case-ref">{case.reference.clone()}</span>
                <span class="case-subject">{subject}</span>
            </a>
            <div class="case-meta">
                <span class=format!("status status-{}", case.state().key())>{case.state().label()}</span>
                {super::badges::severity(case)}
                <span>{customer}</span>
                {(!d.owner.trim().is_empty()).then(|| view! { <span class="owner">{format!("Owner: {}", d.owner.trim())}</span> })}
                {(crate::core::learning::unread_feedback(case) > 0).then(|| view! { <span class="status status-feedback">"New feedback"</span> })}
                {due}
                <span class="updated">
                    "Updated "
                    <time datetime=time::iso(case.updated_at) title=time::local(case.updated_at)>
                        {time::relative(case.updated_at, now)}
                    </time>
                </span>
            </div>
        </li>
    }
}
