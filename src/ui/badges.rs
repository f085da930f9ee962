//! What a case's state looks like at a glance, the same on the list, the queue, the case and
//! the triage result: the level and priority as a meter, a word and a colour (never colour
//! alone), and the clock that matters most.

use leptos::prelude::*;

use crate::core::case::{Case, Status};
use crate::core::clock::Clocks;
use crate::core::playbook::Priority;

use super::deadlines::clock_words;

/// A four-step meter for a priority: P1 fills it.
fn meter(p: Priority) -> &'static str {
    match p {
        Priority::P1 => "▮▮▮▮",
        Priority::P2 => "▮▮▮▯",
        Priority::P3 => "▮▮▯▯",
        Priority::P4 => "▮▯▯▯",
    }
}

/// The priority as a badge: meter, word and colour.
fn priority_badge(p: Priority) -> impl IntoView {
    let key = p.label().to_ascii_lowercase();
    view! {
        <span class=format!("sev sev-{key}")>
            <span class="sev-meter" aria-hidden="true">{meter(p)}</span>
            {p.label()}
        </span>
    }
}

/// The level and priority in force, or that the case has none yet.
pub fn severity(case: &Case) -> AnyView {
    match case.decision() {
        Some(d) => view! {
            <span class="severity">
                {priority_badge(d.priority)}
                <span class="sev-level">{d.chosen_name.clone()}</span>
            </span>
        }
        .into_any(),
        None if Status::needs_level(case) => view! {
            <span class="sev sev-missing">"Needs a level"</span>
        }
        .into_any(),
        None => view! { <span class="sev sev-none">"Not triaged"</span> }.into_any(),
    }
}

/// The clock that matters most now: the soonest due of those counting, else the worst.
pub fn lead_clock(case: &Case, clocks: &Clocks, warn: u32) -> Option<AnyView> {
    let lead = clocks
        .current
        .iter()
        .filter(|d| d.live())
        .min_by_key(|d| (d.due.is_none(), d.due, d.standing(warn)))?;
    let standing = lead.standing(warn);
    let waiting_for = case
        .decision()
        .map(|d| d.chosen_name.clone())
        .unwrap_or_default();
    Some(
        view! {
            <span class="lead-clock">
                <span class=format!("chip chip-{}", standing.key())>{standing.label()}</span>
                <span>{format!("{}: {}", lead.target.label(), clock_words(lead, standing, &waiting_for))}</span>
            </span>
        }
        .into_any(),
    )
}
