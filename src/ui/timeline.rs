//! A case's timeline, newest first, in local time (a burst of edits as one line).

use leptos::prelude::*;

use crate::core::case::Case;

use super::time;

#[component]
pub fn Timeline(case: Case) -> impl IntoView {
    let mut entries = case.history();
    entries.reverse();
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            // Scrolls when long: reachable by keyboard to scroll it.
            <ol class="timeline" tabindex="0" aria-label="Timeline entries, newest first">
                {entries.into_iter().map(|(at, line)| view! {
                    <li>
                        <time datetime=time::iso(at)>{time::local(at)}</time>
                        <span>{line}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
