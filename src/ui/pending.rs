//! Imported cases that wait for the person's decision: a part changed both here and in the
//! file. The file's version is kept in storage until they choose, so leaving the page or
//! reloading never drops the question; every screen says one is waiting.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::case::Case;
use crate::core::link::{Door, Route};
use crate::core::merge::{merge, resolve, Group, Side};
use crate::store::Pending;

use super::desk::Desk;

/// A group's fields as words: the one that names it first (shown without its name), then the
/// others with theirs.
fn parts(case: &Case, group: Group) -> Vec<(&'static str, String)> {
    let d = &case.details;
    let c = &d.customer;
    match group {
        Group::Customer => vec![
            ("", format!("{} {}", c.name, c.contact)),
            ("account", c.account.clone()),
            ("VIP", if c.vip { "yes" } else { "no" }.into()),
        ],
        Group::Issue => vec![
            ("", d.subject.clone()),
            ("description", d.description.clone()),
            ("channel", d.channel.label().into()),
            ("product", d.product.clone()),
            ("owner", d.owner.clone()),
            ("contacts so far", d.contact_count.to_string()),
        ],
        Group::Expectation => vec![
            ("", d.expectation.clone()),
            (
                "by when",
                d.deadline.map(super::time::local).unwrap_or_default(),
            ),
        ],
        Group::Steps => vec![(
            "",
            d.steps
                .iter()
                .map(|s| s.action.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )],
        Group::NextTier => vec![("", d.impact.clone()), ("evidence", d.evidence.clone())],
        Group::Status => vec![("", case.status.label().to_string())],
        Group::CloseOut => vec![(
            "",
            case.closeouts
                .last()
                .map(|c| c.resolution.clone())
                .unwrap_or_default(),
        )],
    }
}

/// `case`'s side of a group that both sides changed, in words: the fields where it differs
/// from `other` (the first field when none differs, as when only a list inside changed).
fn describe(case: &Case, other: &Case, group: Group) -> String {
    let (mine, theirs) = (parts(case, group), parts(other, group));
    let differs: Vec<_> = mine
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| a.1.trim() != b.1.trim())
        .map(|(a, _)| a)
        .collect();
    let shown = if differs.is_empty() {
        vec![&mine[0]]
    } else {
        differs
    };
    shown
        .into_iter()
        .map(|(name, value)| {
            let value = value.trim();
            let value: String = if value.is_empty() {
                "(empty)".into()
            } else {
                value.chars().take(80).collect()
            };
            if name.is_empty() {
                value
            } else {
                format!("{name}: {value}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes the merge of the file's version with this browser's, with the person's choices.
/// `shown` is the revision of this browser's version the question showed: if the case has
/// changed since (another tab saved it), nothing is written and `false` says to ask again.
fn apply(desk: Desk, waiting: &Pending, choices: &[(Group, Side)], shown: Option<u64>) -> bool {
    let theirs = &waiting.theirs;
    let merged = match desk.case(&theirs.id) {
        Some(mine) => {
            if shown.is_some_and(|rev| rev != mine.rev) {
                return false;
            }
            let merged = resolve(&mine, theirs, choices, Utc::now());
            if !merged.conflicts.is_empty() {
                return false;
            }
            let mut case = merged.case;
            case.rev = mine.rev;
            case
        }
        // Deleted here since the import: the file's version comes back as it is.
        None => theirs.clone(),
    };
    match desk.write_restored(vec![merged]).first() {
        None => {
            desk.settle_pending(&waiting.slot);
            desk.say("Merged");
        }
        Some((_, why)) => desk.say(format!("Not merged: {why}")),
    }
    true
}

/// The decisions an import is waiting for, one fieldset per case.
#[component]
pub fn Decisions() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // Drawn again only when questions come or go all at once: a question answered leaves the
    // others as they are, with what was chosen in them.
    let any = Memo::new(move |_| desk.pending.with(|p| !p.is_empty()));
    move || {
        any.get().then(|| view! {
            <section class="panel" id="decisions" aria-labelledby="decide-title">
                <h2 id="decide-title">"Your decision: changed in two places"</h2>
                <p>"These cases were changed both here and in an imported file, in the same parts. Nothing of them is written until you choose; both histories are kept either way. This question stays until you answer it."</p>
                <For each=move || desk.pending.get() key=|w| w.slot.clone() let(waiting)>
                    <Decision waiting/>
                </For>
            </section>
        })
    }
}

/// One case's question. Drawn again, with this browser's new version, when the case changed
/// since it was shown; the agent is told why the choices start over.
#[component]
fn Decision(waiting: Pending) -> impl IntoView {
    let round = RwSignal::new(0u32);
    let changed = RwSignal::new(None::<String>);
    let choices = RwSignal::new(Vec::<(Group, Side)>::new());
    move || {
        round.track();
        decision(waiting.clone(), round, changed, choices)
    }
}

fn decision(
    waiting: Pending,
    round: RwSignal<u32>,
    changed: RwSignal<Option<String>>,
    choices: RwSignal<Vec<(Group, Side)>>,
) -> AnyView {
    let desk = expect_context::<Desk>();
    let theirs = waiting.theirs.clone();
    // Which file asks: several files about one case each ask on their own.
    let source = if waiting.from.is_empty() {
        String::new()
    } else {
        format!(" · from {}", waiting.from)
    };
    let Some(mine) = untrack(|| desk.case(&theirs.id)) else {
        let (keep, drop) = (waiting.clone(), waiting.slot.clone());
        return view! {
            <fieldset class="decision">
                <legend>{format!("{} · {}{source}", theirs.reference, theirs.details.subject)}</legend>
                <p>"This case is no longer in this browser (it was deleted after the import)."</p>
                <div class="panel-actions">
                    <button type="button" class="button" on:click=move |_| { apply(desk, &keep, &[], None); }>"Add the file's version"</button>
                    <button type="button" class="button" on:click=move |_| desk.settle_pending(&drop)>"Leave it out"</button>
                </div>
            </fieldset>
        }
        .into_any();
    };
    let groups = merge(&mine, &theirs, Utc::now()).conflicts;
    let n = groups.len();
    let legend = format!("{} · {}{source}", mine.reference, mine.details.subject);
    let id = theirs.id.clone();
    let others = move || {
        desk.pending
            .with(|p| p.iter().filter(|w| w.theirs.id == id).count())
    };
    let rows = groups
        .iter()
        .map(|g| {
            let g = *g;
            let name = format!(
                "choice-{}-{}",
                waiting.slot.replace('#', "-"),
                Group::ALL.iter().position(|x| *x == g).unwrap_or(0)
            );
            let (here, file) = (describe(&mine, &theirs, g), describe(&theirs, &mine, g));
            let pick = move |side: Side| {
                choices.update(|c| {
                    c.retain(|(x, _)| *x != g);
                    c.push((g, side));
                })
            };
            view! {
                <div class="choice-group" role="radiogroup" aria-label=g.label()>
                    <p class="decision-group">{g.label()}</p>
                    <div class="field-check">
                        <input type="radio" id=format!("{name}-mine") name=name.clone()
                            prop:checked=move || choices.with(|c| c.contains(&(g, Side::Mine)))
                            on:change=move |_| pick(Side::Mine)/>
                        <label for=format!("{name}-mine")>{format!("Keep this browser's: {here}")}</label>
                    </div>
                    <div class="field-check">
                        <input type="radio" id=format!("{name}-theirs") name=name.clone()
                            prop:checked=move || choices.with(|c| c.contains(&(g, Side::Theirs)))
                            on:change=move |_| pick(Side::Theirs)/>
                        <label for=format!("{name}-theirs")>{format!("Take the file's: {file}")}</label>
                    </div>
                </div>
            }
        })
        .collect_view();
    let label = if n == 0 {
        "Merge (nothing left to decide)"
    } else {
        "Merge with these choices"
    };
    let shown = mine.rev;
    let reference = mine.reference.clone();
    let merge_now = move |_| {
        if !apply(desk, &waiting, &choices.get_untracked(), Some(shown)) {
            changed.set(Some(format!(
                "{reference} changed in this browser since this question was shown (another tab saved it), so nothing was merged. The question now shows its new version: choose again."
            )));
            // The choices were made against the version before: each is asked again.
            choices.set(Vec::new());
            round.update(|r| *r += 1);
        }
    };
    view! {
        <fieldset class="decision">
            <legend>{legend}</legend>
            {move || changed.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
            {move || (others() > 1).then(|| view! {
                <p class="hint">{format!("{} files about this case are waiting; each asks on its own, and what you merge from one is this browser's version for the next.", others())}</p>
            })}
            {rows}
            <button type="button" class="button button-primary"
                disabled=move || choices.with(|c| c.len() < n)
                on:click=merge_now>{label}</button>
        </fieldset>
    }
    .into_any()
}

/// On every screen but those that ask the questions (the desk's Import screen and the
/// console's Data page): an import is waiting for a decision.
#[component]
pub fn PendingBanner() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let asks = match super::nav::door() {
        Door::Desk => Route::Import,
        Door::Console => Route::Data,
    };
    let href = asks.href();
    view! {
        <Show when=move || desk.pending.with(|p| !p.is_empty()) && super::nav::nav().is_none_or(|n| n.route() != asks)>
            <section class="banner banner-warning" aria-labelledby="pending-title">
                <h2 id="pending-title" class="banner-title">"An import is waiting for you"</h2>
                <p>
                    {move || {
                        let n = desk.pending.with(|p| {
                            let mut ids: Vec<&str> = p.iter().map(|w| w.theirs.id.as_str()).collect();
                            ids.sort_unstable();
                            ids.dedup();
                            ids.len()
                        });
                        format!(
                            "{} changed both here and in an imported file. Nothing of {} is merged until you choose which version of each part to keep.",
                            if n == 1 { "One case was".to_string() } else { format!("{n} cases were") },
                            if n == 1 { "it" } else { "them" },
                        )
                    }}
                </p>
                <div class="banner-actions">
                    <a class="button button-primary" href=href.clone()>"Decide now"</a>
                </div>
            </section>
        </Show>
    }
}
