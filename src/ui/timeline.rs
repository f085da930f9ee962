//! A case's timeline, newest first, in local time.

use leptos::prelude::*;

use crate::core::case::Case;

use super::time;

#[component]
pub fn Timeline(case: Case) -> impl IntoView {
    let mut entries = case.timeline.clone();
    entries.reverse();
    view! {
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <ol class="timeline">
                {entries.into_iter().map(|e| view! {
                    <li>
                        <time datetime=time::iso(e.at)>{time::local(e.at)}</time>
                        <span>{e.event.describe()}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
