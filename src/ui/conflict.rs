//! The choice an agent makes when two tabs changed the same part of a case: whose version of
//! that part stays. Parts only one tab changed are merged without asking; both timelines are
//! kept whatever the choice.

use leptos::html::Dialog;
use leptos::prelude::*;

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
            let parts: Vec<&str> = c.groups.iter().map(|g| g.label()).collect();
            format!(
                "{} was saved in another tab while you were editing it here, and both changed the same part: {}.",
                c.mine.reference,
                parts.join(", ")
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
            <p>"Choose whose version of that part to keep. Everything else either tab changed is kept, and so is the history of both."</p>
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
