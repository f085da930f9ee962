//! The form controls the close-out and review screens are built from: one labelled field of
//! each kind, bound to a signal and reporting edits through a callback. One shape each, so
//! that every new form costs data, not code.

use leptos::prelude::*;

/// A one-line input. `list`: the id of a `<datalist>` to suggest from (the team's people).
pub fn line(
    id: String,
    label: String,
    kind: &'static str,
    value: Signal<String>,
    list: Option<&'static str>,
    on: Callback<String>,
) -> AnyView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind autocomplete="off" list=list
                prop:value=value
                on:input=move |ev| on.run(event_target_value(&ev))/>
        </div>
    }
    .into_any()
}

/// A text box with a hint under its label.
pub fn text(
    id: String,
    label: String,
    hint: &'static str,
    value: Signal<String>,
    on: Callback<String>,
) -> AnyView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field field-wide">
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <textarea id=id rows="3" aria-describedby=(!hint.is_empty()).then_some(hint_id)
                prop:value=value
                on:input=move |ev| on.run(event_target_value(&ev))></textarea>
        </div>
    }
    .into_any()
}

/// A drop-down of `(value, words)` pairs. The options may change (the select itself stays,
/// so it keeps focus while they do).
pub fn pick(
    id: String,
    label: String,
    options: impl Into<Signal<Vec<(String, String)>>>,
    value: Signal<String>,
    on: Callback<String>,
) -> AnyView {
    let options = options.into();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id on:change=move |ev| on.run(event_target_value(&ev))>
                {move || options.get().into_iter().map(|(v, words)| {
                    let this = v.clone();
                    view! { <option value=v selected=move || value.with(|x| *x == this)>{words}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A checkbox with its label after it.
pub fn check(id: String, label: String, value: Signal<bool>, on: Callback<bool>) -> AnyView {
    view! {
        <div class="field field-check">
            <input id=id.clone() type="checkbox" prop:checked=value
                on:change=move |ev| on.run(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
}

/// The team's people, for inputs that name someone (`list="people"`).
pub fn people(names: Vec<String>) -> AnyView {
    view! {
        <datalist id="people">
            {names.into_iter().map(|n| view! { <option value=n></option> }).collect_view()}
        </datalist>
    }
    .into_any()
}
