//! The choice an agent makes when two tabs saved the same case: which version stays. Both
//! timelines are kept whatever the choice.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::core::case::changed_fields;

use super::desk::Desk;

#[component]
pub fn ConflictDialog() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let dialog = NodeRef::<Dialog>::new();

    Effect::new(move || {
        let open = desk.conflict.with(Option::is_some);
        if let Some(el) = dialog.get() {
            if open && !el.open() {
                let _ = el.show_modal();
            } else if !open && el.open() {
                el.close();
            }
        }
    });

    let summary = move || {
        desk.conflict.get().map(|c| {
            let mut differences = changed_fields(&c.theirs.details, &c.mine.details);
            if c.mine.status != c.theirs.status {
                differences.insert(
                    0,
                    format!(
                        "status (yours: {}, theirs: {})",
                        c.mine.status.label(),
                        c.theirs.status.label()
                    ),
                );
            }
            let list = if differences.is_empty() {
                "only their history differs".to_string()
            } else {
                differences.join(", ")
            };
            format!(
                "{} was saved in another tab while you were editing it here. The versions differ in: {list}.",
                c.mine.reference
            )
        })
    };

    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            aria-labelledby="conflict-title"
            aria-describedby="conflict-text"
            on:cancel=move |ev: leptos::ev::Event| ev.prevent_default()
        >
            <h2 id="conflict-title">"Edited in two places"</h2>
            <p id="conflict-text">{summary}</p>
            <p>"Choose the version to keep. The history of both stays on the timeline."</p>
            <div class="dialog-actions">
                <button type="button" class="button button-primary" autofocus on:click=move |_| desk.resolve(true)>
                    "Keep my version"
                </button>
                <button type="button" class="button" on:click=move |_| desk.resolve(false)>
                    "Use the other tab's version"
                </button>
            </div>
        </dialog>
    }
}
