//! The playbook studio (console): everything in the playbook edited on screen, into a draft
//! kept as it is typed. The draft is checked as it changes (each problem shown at its
//! place), tried on the cases here, and published as the next version; the versions before
//! are kept and compared. Every edit is a `core::studio::Edit`; the screen only draws the
//! draft and sends edits.

use leptos::prelude::*;

use crate::core::closeout::Part;
use crate::core::playbook::{self, Field, Grade, Next, Playbook, Priority, Requirement, Suggest};
use crate::core::practice;
use crate::core::replay::{replay, Replay};
use crate::core::studio::{self, Edit, Finding, Item, Key, Place, Settings};
use crate::core::triage::customer_message;

use super::desk::Desk;
use super::fields;

/// The studio's state, in context for the playbook screen's forms.
#[derive(Clone, Copy)]
pub struct Studio {
    desk: Desk,
    /// The draft; `None` while it would equal the playbook in force.
    pub draft: RwSignal<Option<Playbook>>,
    /// Edits that undo the changes made, last last, with what each change was.
    undo: RwSignal<Vec<(Edit, String)>>,
    /// The thing (or setting) being typed into: its changes undo as one.
    typing: StoredValue<Option<String>>,
    /// The question or level chosen in the tree (diagram and outline alike).
    selected: RwSignal<Option<Key>>,
    outcome: RwSignal<Option<Result<String, String>>>,
    /// What the draft would change: the cases, and the practice scenarios (title, before, after).
    trial: RwSignal<Option<(Replay, Vec<practice::Moved>)>>,
    findings: Memo<Vec<Finding>>,
    /// Target fields whose typed text was refused (field id → the words beside it): the draft
    /// is not ready to publish while any is, though the playbook itself never held the text.
    refused: RwSignal<std::collections::BTreeMap<String, String>>,
}

impl Studio {
    pub fn new(desk: Desk) -> Studio {
        let draft = RwSignal::new(desk.load_draft());
        let findings = Memo::new(move |_| {
            draft.with(|d| match d {
                Some(p) => studio::findings(p, &playbook::validate(p)),
                None => Vec::new(),
            })
        });
        let undo = RwSignal::new(Vec::new());
        let outcome = RwSignal::new(None);
        // Another tab of the console edited the draft: the last edit wins, and this tab says
        // so rather than write over it unseen.
        Effect::watch(
            move || desk.draft_changed.get(),
            move |_, _, _| {
                draft.set(desk.load_draft());
                undo.set(Vec::new());
                outcome.set(Some(Ok(
                    "The draft was changed in another tab: this is it now.".to_string(),
                )));
            },
            false,
        );
        Studio {
            desk,
            draft,
            undo,
            typing: StoredValue::new(None),
            selected: RwSignal::new(None),
            outcome,
            trial: RwSignal::new(None),
            findings,
            refused: RwSignal::new(Default::default()),
        }
    }

    /// Reads the playbook being edited (the draft, else the one in force), tracked.
    fn with<R>(&self, f: impl FnOnce(&Playbook) -> R) -> R {
        let desk = self.desk;
        self.draft.with(|d| match d {
            Some(d) => f(d),
            None => desk.playbook.with(f),
        })
    }

    fn with_untracked<R>(&self, f: impl FnOnce(&Playbook) -> R) -> R {
        let desk = self.desk;
        self.draft.with_untracked(|d| match d {
            Some(d) => f(d),
            None => desk.playbook.with_untracked(f),
        })
    }

    fn working(&self) -> Playbook {
        self.draft
            .get_untracked()
            .unwrap_or_else(|| self.desk.playbook.get_untracked())
    }

    /// Makes an edit; `words` say what it was, for the Undo button.
    fn edit(&self, e: Edit, words: String) -> bool {
        self.make(e, words, None)
    }

    /// Makes an "Add …" edit and puts the cursor in the new thing's `field`.
    fn add(&self, e: Edit, words: &str, field: &str) -> Option<Key> {
        let Edit::Insert { item, .. } = &e else {
            return None;
        };
        let key = item.key();
        if !self.edit(e, words.into()) {
            return None;
        }
        super::focus::later(by_id(&format!("{}-{field}", key.anchor())));
        Some(key)
    }

    /// Changes one thing as it is typed: a run of changes to the same thing undoes as one.
    fn change(&self, key: &Key, f: impl FnOnce(&mut Item)) {
        let base = self.working();
        if let Some(e) = studio::change(&base, key, f) {
            let words = format!("Edit {}", lower_first(&studio::name_of(&base, key)));
            self.make(e, words, Some(key.anchor()));
        }
    }

    fn make(&self, e: Edit, words: String, typing: Option<String>) -> bool {
        if let Some(why) = self.desk.read_only.get_untracked() {
            self.outcome
                .set(Some(Err(format!("Nothing can be changed here: {why}"))));
            return false;
        }
        match studio::apply(&self.working(), &e) {
            Err(err) => {
                self.outcome.set(Some(Err(format!("Not done. {err}"))));
                false
            }
            Ok((next, back)) => {
                let same = typing.is_some() && self.typing.get_value() == typing;
                if !same {
                    self.undo.update(|u| u.push((back, words)));
                }
                self.typing.set_value(typing);
                self.keep(next);
                true
            }
        }
    }

    /// Keeps the draft in storage as it is now; a draft equal to the playbook in force is no
    /// draft at all.
    fn keep(&self, next: Playbook) {
        let same = self.desk.playbook.with_untracked(|p| *p == next);
        let draft = (!same).then_some(next);
        match self.desk.save_draft(draft.as_ref()) {
            Ok(()) => {
                if self.outcome.with_untracked(|o| matches!(o, Some(Err(_)))) {
                    self.outcome.set(None);
                }
            }
            Err(e) => self.outcome.set(Some(Err(format!(
                "The draft couldn't be kept in this browser: {e}. It stays on screen; download it before you leave."
            )))),
        }
        self.draft.set(draft);
        self.trial.set(None);
    }

    fn undo(&self) {
        let Some((e, words)) = self.undo.try_update(|u| u.pop()).flatten() else {
            return;
        };
        self.typing.set_value(None);
        match studio::apply(&self.working(), &e) {
            Ok((next, _)) => {
                self.keep(next);
                self.desk.say(format!("Undone: {}", lower_first(&words)));
            }
            Err(err) => self
                .outcome
                .set(Some(Err(format!("That change can't be undone: {err}")))),
        }
    }

    /// Changes the settings as typed into the field `tag`: a run of changes undoes as one.
    fn settings(&self, tag: &str, words: &str, f: impl FnOnce(&mut Settings)) {
        let before = Settings::of(&self.working());
        let mut after = before.clone();
        f(&mut after);
        if after != before {
            self.make(
                Edit::Settings(Box::new(after)),
                words.to_string(),
                Some(tag.to_string()),
            );
        }
    }

    /// The other forms of the screen saved a setting straight into force: the draft takes
    /// it too, so publishing it later doesn't take it back.
    pub fn follow(&self, f: impl FnOnce(&mut Playbook)) {
        if let Some(mut d) = self.draft.get_untracked() {
            f(&mut d);
            self.keep(d);
        }
    }

    fn problems_at(&self, key: &Key) -> Vec<String> {
        self.findings.with(|f| {
            f.iter()
                .filter(|x| x.place == Place::Thing(key.clone()))
                .map(|x| x.text.clone())
                .collect()
        })
    }
}

fn lower_first(s: &str) -> String {
    crate::core::letter_case::lower_first(s)
}

/// A CSS selector for an element id, whatever the id holds.
fn by_id(id: &str) -> String {
    format!("[id=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The studio: the draft's bar, then the tree, triggers, levels, priority, root causes and
/// versions.
#[component]
pub fn StudioScreen() -> impl IntoView {
    view! {
        <DraftBar/>
        <TreeEditor/>
        <TriggersEditor/>
        <LevelsEditor/>
        <PriorityEditor/>
        <CausesEditor/>
        <Versions/>
    }
}

/// What the draft is, what is left to fix, and what to do with it.
#[component]
fn DraftBar() -> impl IntoView {
    let s = expect_context::<Studio>();
    let desk = s.desk;
    let changes = Memo::new(move |_| {
        s.draft.with(|d| {
            d.as_ref()
                .map_or(0, |d| desk.playbook.with(|p| studio::diff(p, d).len()))
        })
    });
    let coming = move || desk.playbook.with(|p| p.version) + 1;
    let status = move || {
        let n = changes.get();
        let problems = s.findings.with(Vec::len) + s.refused.with(|r| r.len());
        let version = desk.playbook.with(|p| p.version);
        match (n, problems) {
            (0, _) => format!("No draft. What you change below goes into a draft; the team keeps version {version} until you publish."),
            (n, 0) => format!("Draft of version {version}: {} kept as you type. Ready to publish.", plural(n, "change")),
            (n, p) => format!("Draft of version {version}: {} kept as you type. {} to fix before it can be published.", plural(n, "change"), plural(p, "problem")),
        }
    };
    let try_it = move |_| {
        let Some(d) = s.draft.get_untracked() else {
            s.outcome.set(Some(Ok(
                "There is no draft to try: change something first.".into(),
            )));
            return;
        };
        match desk.complete_cases() {
            Ok(cases) => {
                let (r, moved) = desk.playbook.with_untracked(|p| {
                    (
                        replay(&cases, p, &d),
                        practice::changed_by(p, &d, &practice::library()),
                    )
                });
                s.outcome.set(None);
                s.trial.set(Some((r, moved)));
                super::focus::after_render("#studio-trial-title");
            }
            Err(e) => s.outcome.set(Some(Err(format!("Nothing was tried: {e}")))),
        }
    };
    let publish = move |_| {
        let Some(d) = s.draft.get_untracked() else {
            s.outcome.set(Some(Ok(
                "Nothing to publish: the draft has no changes.".into()
            )));
            return;
        };
        let refused = s.refused.get_untracked();
        if let Some(words) = refused.values().next() {
            s.outcome.set(Some(Err(format!(
                "Not published: a target holds what is not a target, marked beside its field. {words}"
            ))));
            return;
        }
        let problems = s.findings.get_untracked();
        if let Some(first) = problems.first() {
            let at = s.with_untracked(|p| where_is(p, &first.place));
            s.outcome.set(Some(Err(format!(
                "Not published: {} to fix first, listed below. The first: {at}: {}",
                plural(problems.len(), "problem"),
                first.text
            ))));
            return;
        }
        let new = next_version(desk, d);
        let version = new.version;
        // Open cases at a level this version no longer has keep their deadlines, but the
        // lead should know which.
        let stranded: Vec<String> = desk.rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| &r.case)
                .filter(|c| c.status.is_open())
                .filter_map(|c| {
                    c.decision()
                        .filter(|d| new.level(&d.chosen).is_none())
                        .map(|_| c.reference.clone())
                })
                .collect()
        });
        match desk.publish(new) {
            Ok(()) => {
                if let Err(e) = desk.save_draft(None) {
                    s.outcome.set(Some(Err(format!(
                        "Published, but the draft couldn't be cleared: {e}"
                    ))));
                }
                s.draft.set(None);
                s.undo.set(Vec::new());
                s.trial.set(None);
                let mut words = format!(
                    "Version {version} is in force on this device. Cases triaged before keep the version they used. Download the playbook to hand it to the team."
                );
                if !stranded.is_empty() {
                    words.push_str(&format!(
                        " {} at a level this version no longer has ({}): they keep their deadlines; look at them before they escalate again.",
                        if stranded.len() == 1 { "1 open case is".to_string() } else { format!("{} open cases are", stranded.len()) },
                        stranded.join(", ")
                    ));
                }
                s.outcome.set(Some(Ok(words)));
            }
            Err(e) => s.outcome.set(Some(Err(format!("Not published: {e}")))),
        }
    };
    let discard = move |_| {
        if s.draft.with_untracked(Option::is_none) {
            return;
        }
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message("Discard the draft and every change in it?")
                    .ok()
            })
            .unwrap_or(false);
        if confirmed {
            s.keep(desk.playbook.get_untracked());
            s.undo.set(Vec::new());
            s.outcome.set(Some(Ok(
                "The draft is discarded: the playbook in force is unchanged.".into(),
            )));
        }
    };
    let last = move || s.undo.with(|u| u.last().map(|(_, w)| w.clone()));
    view! {
        <section class="panel studio-bar" aria-labelledby="studio-title">
            <h2 id="studio-title">"Edit the playbook"</h2>
            <p role="status" id="studio-status">{status}</p>
            {fields::line("studio-name".into(), "Playbook name".into(), "text",
                Signal::derive(move || s.with(|p| p.name.clone())), None,
                Callback::new(move |v: String| s.settings("name", "Rename the playbook", |st| st.name = v)))}
            <div class="panel-actions">
                <button type="button" id="studio-undo" class="button" disabled=move || last().is_none()
                    aria-describedby="studio-undo-what" on:click=move |_| s.undo()>"Undo"</button>
                <button type="button" class="button" on:click=try_it>"Try the draft on your cases"</button>
                <button type="button" class="button button-primary" on:click=publish>{move || format!("Publish version {}", coming())}</button>
                <button type="button" class="button button-quiet" on:click=discard disabled=move || changes.get() == 0>"Discard the draft"</button>
            </div>
            <p class="hint" id="studio-undo-what">{move || last().map_or_else(|| "Nothing to undo.".to_string(), |w| format!("Undo: {}.", lower_first(&w)))}</p>
            <super::notices::OutcomeMessage outcome=s.outcome/>
            <Problems/>
            {move || s.trial.get().map(|(r, moved)| view! {
                <h3 id="studio-trial-title" tabindex="-1">"What the draft would change"</h3>
                <super::playbook::TrialResult replay=r/>
                {if moved.is_empty() {
                    view! { <p>"No practice scenario's expected result changes."</p> }.into_any()
                } else {
                    view! {
                        <p>{format!("{} would expect something else:", plural(moved.len(), "practice scenario"))}</p>
                        <ul class="trial-list" aria-label="Practice scenarios that change">
                            {moved.into_iter().map(|m| view! { <li>{format!("{}: {} → {}.", m.title, m.was, m.would)}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            })}
        </section>
    }
}

/// `p` as the next version to publish (one above the one in force and every version kept).
pub fn next_version(desk: Desk, p: Playbook) -> Playbook {
    desk.playbook
        .with_untracked(|current| studio::published(&p, current, &desk.versions()))
}

/// "1 change", "3 changes".
pub(super) fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// The draft's problems, each with a button that goes to where it is fixed.
#[component]
fn Problems() -> impl IntoView {
    let s = expect_context::<Studio>();
    move || {
        let list = s.findings.get();
        (!list.is_empty()).then(|| {
            view! {
                <ul class="studio-problems" aria-label="Problems to fix">
                    {list.into_iter().map(|f| {
                        let where_ = s.with(|p| where_is(p, &f.place));
                        let place = f.place.clone();
                        view! {
                            <li>
                                <span>{format!("{where_}: {}", f.text)}</span>
                                " "
                                <button type="button" class="button button-small" aria-label=format!("Show me {}", lower_first(&where_))
                                    on:click=move |_| go_to(s, &place)>"Show me"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// A problem's place in words: "The answer “No”", "The tree".
fn where_is(p: &Playbook, place: &Place) -> String {
    match place {
        Place::Thing(k) => studio::name_of(p, k),
        Place::Tree => "The tree".into(),
        Place::Levels => "The levels".into(),
        Place::Priority => "The priority".into(),
        Place::Settings => "The settings".into(),
    }
}

/// Takes the lead to a problem's place: selects its question in the tree, or focuses its card.
fn go_to(s: Studio, place: &Place) {
    let target = match place {
        Place::Thing(k @ (Key::Question(_) | Key::Answer { .. })) => {
            let q = match k {
                Key::Answer { question, .. } => question.clone(),
                other => other.id().to_string(),
            };
            s.selected.set(Some(Key::Question(q)));
            k.anchor()
        }
        Place::Thing(k) => k.anchor(),
        Place::Tree => "studio-tree-title".into(),
        Place::Levels => "studio-levels-title".into(),
        Place::Priority => "studio-priority-title".into(),
        Place::Settings => "pb-calendar-title".into(),
    };
    // The card's first field, else the heading.
    let sel = by_id(&target);
    request_animation_frame(move || {
        super::focus::first_of(&[format!("{sel} :is(input, textarea, select)"), sel.clone()]);
    });
}

/// A thing's card: its fields, its problems, and moving and deleting it.
fn card(s: Studio, key: Key, fields: AnyView) -> AnyView {
    let k = key.clone();
    let name = Signal::derive(move || s.with(|p| studio::name_of(p, &k)));
    let legend = move || {
        let n = name.get();
        n.strip_prefix("The ")
            .map_or(n.clone(), super::super::core::letter_case::upper_first)
    };
    let (k1, k2, k3, k4) = (key.clone(), key.clone(), key.clone(), key.clone());
    let anchor = key.anchor();
    let up_id = format!("{anchor}-up");
    let down_id = format!("{anchor}-down");
    let shift = move |key: &Key, up: bool| {
        let p = s.working();
        if let Some(e) = studio::shift(&p, key, up) {
            let words = format!(
                "Move {} {}",
                lower_first(&studio::name_of(&p, key)),
                if up { "up" } else { "down" }
            );
            if s.edit(e, words) {
                let a = key.anchor();
                super::focus::later(by_id(&format!("{a}-{}", if up { "up" } else { "down" })));
            }
        }
    };
    let remove = move |_| {
        let p = s.working();
        let what = studio::name_of(&p, &k3);
        if s.edit(
            Edit::Remove(k3.clone()),
            format!("Delete {}", lower_first(&what)),
        ) {
            s.desk.say(format!(
                "Deleted: {}. Undo brings it back.",
                lower_first(&what)
            ));
            super::focus::after_render("#studio-undo");
        }
    };
    view! {
        <fieldset class="studio-card" id=anchor>
            <legend>{legend}</legend>
            <div class="field-grid">{fields}</div>
            {move || s.problems_at(&k4).into_iter().map(|t| view! { <p class="field-error">{t}</p> }).collect_view()}
            <div class="card-actions">
                <button type="button" id=up_id class="button button-small" aria-label=move || format!("Move up: {}", lower_first(&name.get()))
                    on:click=move |_| shift(&k1, true)>"Move up"</button>
                <button type="button" id=down_id class="button button-small" aria-label=move || format!("Move down: {}", lower_first(&name.get()))
                    on:click=move |_| shift(&k2, false)>"Move down"</button>
                <button type="button" class="button button-small button-quiet" aria-label=move || format!("Delete {}", lower_first(&name.get()))
                    on:click=remove>"Delete"</button>
            </div>
        </fieldset>
    }
    .into_any()
}

/// A text field of a thing: `get` reads it, `set` writes it.
fn thing_field(
    s: Studio,
    key: &Key,
    name: &str,
    label: &str,
    long: bool,
    get: fn(&Item) -> String,
    set: fn(&mut Item, String),
) -> AnyView {
    let id = format!("{}-{name}", key.anchor());
    let k = key.clone();
    let value = Signal::derive(move || {
        s.with(|p| studio::item(p, &k).map(|i| get(&i)).unwrap_or_default())
    });
    let k = key.clone();
    let on = Callback::new(move |v: String| s.change(&k, |i| set(i, v)));
    if long {
        fields::text(id, label.to_string(), "", value, on)
    } else {
        fields::line(id, label.to_string(), "text", value, None, on)
    }
}

/// A number field of a level (minutes, a rank): a value that isn't a whole number is not taken.
fn level_number(
    s: Studio,
    key: &Key,
    name: &str,
    label: &str,
    get: fn(&playbook::Level) -> u32,
    set: fn(&mut playbook::Level, u32),
) -> AnyView {
    let id = format!("{}-{name}", key.anchor());
    let k = key.clone();
    let value = Signal::derive(move || {
        s.with(|p| {
            p.level(k.id())
                .map(|l| get(l).to_string())
                .unwrap_or_default()
        })
    });
    let k = key.clone();
    let on = Callback::new(move |v: String| {
        if let Ok(n) = v.trim().parse::<u32>() {
            s.change(&k, |i| {
                if let Item::Level(l) = i {
                    set(l, n);
                }
            });
        }
    });
    fields::line(id, label.to_string(), "number", value, None, on)
}

/// A level's first-response or resolution target: what is not a number of minutes above 0
/// (0 allowed only for the rank 0 level's first response) is refused beside the field, in
/// words, and keeps the draft from being ready to publish until it is fixed.
fn level_target(
    s: Studio,
    key: &Key,
    name: &str,
    label: &str,
    get: fn(&playbook::Level) -> u32,
    set: fn(&mut playbook::Level, u32),
) -> AnyView {
    let id = format!("{}-{name}", key.anchor());
    let error_id = format!("{id}-error");
    let response = name == "response";
    let k = key.clone();
    let value = Memo::new(move |_| {
        s.with(|p| {
            p.level(k.id())
                .map(|l| get(l).to_string())
                .unwrap_or_default()
        })
    });
    let error = RwSignal::new(None::<String>);
    let refuse = {
        let id = id.clone();
        move |words: Option<String>| {
            error.set(words.clone());
            s.refused.update(|r| match words {
                Some(w) => {
                    r.insert(id.clone(), w);
                }
                None => {
                    r.remove(&id);
                }
            });
        }
    };
    // The value changed under the field (undo, another tab): what was refused is gone.
    Effect::watch(
        move || value.get(),
        {
            let refuse = refuse.clone();
            move |_, _, _| refuse(None)
        },
        false,
    );
    // The field goes (its level deleted, the screen left): so does its refusal. Only the
    // studio's set is touched here, which outlives the field's own signals.
    on_cleanup({
        let id = id.clone();
        move || {
            s.refused.try_update(|r| r.remove(&id));
        }
    });
    let k = key.clone();
    let on = move |v: String| {
        let zero_ok =
            response && s.with_untracked(|p| p.level(k.id()).is_some_and(|l| l.rank == 0));
        match studio::target_minutes(&v, zero_ok) {
            Ok(n) => {
                refuse(None);
                s.change(&k, |i| {
                    if let Item::Level(l) = i {
                        set(l, n);
                    }
                });
            }
            Err(e) => refuse(Some(e.to_string())),
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label.to_string()}</label>
            <input id=id type="number" autocomplete="off"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| on(event_target_value(&ev))/>
            // Only there while something is refused: the studio has a dozen target fields,
            // and the page's other alerts stay the only ones otherwise.
            {move || error.get().map(|words| view! {
                <p id=error_id.clone() class="field-error" role="alert">{words}</p>
            })}
        </div>
    }
    .into_any()
}

// ---- The tree ----

#[component]
fn TreeEditor() -> impl IntoView {
    let s = expect_context::<Studio>();
    let start_options = move || {
        s.with(|p| {
            p.questions
                .iter()
                .map(|q| (q.id.clone(), q.text.clone()))
                .collect::<Vec<_>>()
        })
    };
    let start = Signal::derive(move || s.with(|p| p.start.clone()));
    let set_start = Callback::new(move |v: String| {
        let mut st = Settings::of(&s.working());
        st.start = v;
        s.edit(
            Edit::Settings(Box::new(st)),
            "Change the first question".into(),
        );
    });
    let add = move |_| {
        if let Some(k) = s.add(studio::add_question(&s.working()), "Add a question", "text") {
            s.selected.set(Some(k));
        }
    };

    view! {
        <section class="panel" aria-labelledby="studio-tree-title">
            <h2 id="studio-tree-title" tabindex="-1">"Decision tree"</h2>
            <p class="hint">"Choose a question in the diagram or the outline to edit it. Each answer leads to another question or to a level."</p>
            {fields::pick("studio-start".into(), "The tree starts with".into(), Memo::new(move |_| start_options()), start, set_start)}
            <div class="studio-tree">
                <Diagram/>
                <Outline/>
            </div>
            <div class="panel-actions">
                <button type="button" class="button" on:click=add>"Add question"</button>
            </div>
            <Selected/>
        </section>
    }
}

/// The tree drawn as boxes and arrows; clicking a box chooses it. The outline beside it is the
/// same tree for keyboards and screen readers.
#[component]
fn Diagram() -> impl IntoView {
    let s = expect_context::<Studio>();
    const W: usize = 190;
    const H: usize = 46;
    const GX: usize = 70;
    const GY: usize = 30;
    move || {
        let d = s.with(studio::layout);
        let width = d.columns.max(1) * (W + GX) - GX + 2;
        let height = d.rows.max(1) * (H + GY) - GY + 2;
        let at = |n: &studio::Node| (1 + n.column * (W + GX), 1 + n.row * (H + GY));
        let arrows = d
            .arrows
            .iter()
            .map(|a| {
                let (fx, fy) = at(&d.nodes[a.from]);
                let (tx, ty) = at(&d.nodes[a.to]);
                // Down to a question, across to a level.
                let (x1, y1, x2, y2) = if matches!(d.nodes[a.to].key, Key::Question(_)) {
                    (fx + W / 2, fy + H, tx + W / 2, ty)
                } else {
                    (fx + W, fy + H / 2, tx, ty + H / 2)
                };
                let (mx, my) = ((x1 + x2) / 2, (y1 + y2) / 2);
                let path = if matches!(d.nodes[a.to].key, Key::Question(_)) {
                    format!("M{x1},{y1} C{x1},{my} {x2},{my} {x2},{y2}")
                } else {
                    format!("M{x1},{y1} C{mx},{y1} {mx},{y2} {x2},{y2}")
                };
                view! { <path class="diagram-arrow" d=path marker-end="url(#diagram-head)"><title>{a.label.clone()}</title></path> }
            })
            .collect_view();
        let nodes = d
            .nodes
            .iter()
            .map(|n| {
                let (x, y) = at(n);
                let key = n.key.clone();
                let k = key.clone();
                let is_level = matches!(key, Key::Level(_));
                let short: String = if n.label.chars().count() > 26 {
                    n.label.chars().take(25).chain(['…']).collect()
                } else {
                    n.label.clone()
                };
                view! {
                    <g class="diagram-node" class:diagram-level=is_level
                        class:diagram-selected=move || s.selected.with(|x| x.as_ref() == Some(&k))
                        on:click=move |_| s.selected.set(Some(key.clone()))>
                        <title>{n.label.clone()}</title>
                        <rect x=x y=y width=W height=H rx="6"></rect>
                        <text x=x + 10 y=y + H / 2 + 5>{short}</text>
                    </g>
                }
            })
            .collect_view();
        let summary = format!(
            "Diagram of the tree: {} and {}. The outline lists the same tree.",
            plural(
                d.nodes
                    .iter()
                    .filter(|n| matches!(n.key, Key::Question(_)))
                    .count(),
                "question"
            ),
            plural(
                d.nodes
                    .iter()
                    .filter(|n| matches!(n.key, Key::Level(_)))
                    .count(),
                "level"
            )
        );
        view! {
            <div class="diagram-wrap" tabindex="0" role="region" aria-label="Diagram of the tree, scrollable">
                <svg class="diagram" role="img" aria-label=summary viewBox=format!("0 0 {width} {height}")
                    width=width height=height>
                    <defs>
                        <marker id="diagram-head" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto">
                            <path d="M0,0 L8,4 L0,8 z" class="diagram-head"></path>
                        </marker>
                    </defs>
                    {arrows}
                    {nodes}
                </svg>
            </div>
        }
    }
}

/// The tree as a list: each question with where its answers lead, then the levels. Choosing
/// one here chooses it in the diagram too.
#[component]
fn Outline() -> impl IntoView {
    let s = expect_context::<Studio>();
    let node = move |key: Key, label: String| {
        let k = key.clone();
        view! {
            <button type="button" class="outline-node" id=format!("outline-{}", key.anchor())
                aria-pressed=move || (s.selected.with(|x| x.as_ref() == Some(&k))).to_string()
                on:click=move |_| s.selected.set(Some(key.clone()))>{label}</button>
        }
    };
    move || {
        s.with(|p| {
            let d = studio::layout(p);
            let target = |n: &Next| match n {
                Next::Question(q) => p.question(q).map_or_else(|| "(nowhere)".to_string(), |q| format!("“{}”", q.text)),
                Next::Level(l) => p.level(l).map_or_else(|| "(nowhere)".to_string(), |l| l.name.clone()),
            };
            let items = d
                .nodes
                .iter()
                .map(|n| match &n.key {
                    Key::Question(id) => {
                        let q = p.question(id);
                        let answers = q
                            .map(|q| {
                                q.answers
                                    .iter()
                                    .map(|a| view! { <li>{format!("{} → {}", a.label, target(&a.next))}</li> })
                                    .collect_view()
                            });
                        view! {
                            <li>
                                {node(n.key.clone(), n.label.clone())}
                                <ul class="outline-answers">{answers}</ul>
                            </li>
                        }
                        .into_any()
                    }
                    _ => view! { <li>{node(n.key.clone(), format!("Level: {}", n.label))}</li> }.into_any(),
                })
                .collect_view();
            view! { <ol class="outline" aria-label="Outline of the tree">{items}</ol> }
        })
    }
}

/// The chosen question's editor, or where to edit the chosen level.
#[component]
fn Selected() -> impl IntoView {
    let s = expect_context::<Studio>();
    // Drawn anew only when another thing is chosen (or it goes), never while typing.
    let chosen = Memo::new(move |_| {
        s.selected
            .get()
            .filter(|k| s.with(|p| studio::item(p, k).is_some()))
    });
    move || match chosen.get() {
        Some(k @ Key::Question(_)) => question_card(s, k),
        Some(Key::Level(id)) => {
            let key = Key::Level(id);
            let name = s.with(|p| studio::name_of(p, &key));
            let anchor = key.anchor();
            view! {
                <p class="hint">{format!("{name} is edited with the other levels below. ")}
                    <button type="button" class="button button-small" on:click=move |_| super::focus::now(&format!("{} input", by_id(&anchor)))>"Edit the level"</button>
                </p>
            }
            .into_any()
        }
        _ => view! { <p class="hint">"No question chosen."</p> }.into_any(),
    }
}

fn question_card(s: Studio, key: Key) -> AnyView {
    let qid = key.id().to_string();
    let fields = view! {
        {thing_field(s, &key, "text", "Question", false,
            |i| match i { Item::Question(q) => q.text.clone(), _ => String::new() },
            |i, v| if let Item::Question(q) = i { q.text = v })}
        {thing_field(s, &key, "help", "Help for the agent", false,
            |i| match i { Item::Question(q) => q.help.clone(), _ => String::new() },
            |i, v| if let Item::Question(q) = i { q.help = v })}
        <AnswersEditor question=qid.clone()/>
        <PreanswersList question=qid/>
    }
    .into_any();
    card(s, key, fields)
}

#[component]
fn AnswersEditor(question: String) -> impl IntoView {
    let s = expect_context::<Studio>();
    let q = question.clone();
    let ids = move || {
        s.with(|p| {
            p.question(&q)
                .map(|q| q.answers.iter().map(|a| a.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let q2 = question.clone();
    let add = move |_| {
        s.add(
            studio::add_answer(&s.working(), &q2),
            "Add an answer",
            "label",
        );
    };

    let q3 = question.clone();
    view! {
        <div class="field-wide studio-answers">
            <h3>"Answers"</h3>
            <For each=ids key=|id| id.clone() let:id>
                {answer_card(s, Key::Answer { question: q3.clone(), id })}
            </For>
            <button type="button" class="button" on:click=add>"Add answer"</button>
        </div>
    }
}

fn answer_card(s: Studio, key: Key) -> AnyView {
    let k = key.clone();
    let targets = move || {
        s.with(|p| {
            let mut out = vec![("l:".to_string(), "Nowhere yet: choose".to_string())];
            out.extend(
                p.questions
                    .iter()
                    .map(|q| (format!("q:{}", q.id), format!("Question: {}", q.text))),
            );
            out.extend(
                p.levels_by_rank()
                    .into_iter()
                    .map(|l| (format!("l:{}", l.id), format!("Level: {}", l.name))),
            );
            out
        })
    };
    let next = Signal::derive(move || {
        s.with(|p| match studio::item(p, &k) {
            Some(Item::Answer { answer, .. }) => match answer.next {
                Next::Question(q) => format!("q:{q}"),
                Next::Level(l) => format!("l:{l}"),
            },
            _ => String::new(),
        })
    });
    let k = key.clone();
    let set_next = Callback::new(move |v: String| {
        let next = match v.split_at(v.len().min(2)) {
            ("q:", id) => Next::Question(id.to_string()),
            (_, id) => Next::Level(id.to_string()),
        };
        s.change(&k, |i| {
            if let Item::Answer { answer, .. } = i {
                answer.next = next;
            }
        });
    });
    let leads_id = format!("{}-next", key.anchor());
    let fields = view! {
        {thing_field(s, &key, "label", "Answer", false,
            |i| match i { Item::Answer { answer, .. } => answer.label.clone(), _ => String::new() },
            |i, v| if let Item::Answer { answer, .. } = i { answer.label = v })}
        {fields::pick(leads_id, "Leads to".into(), Memo::new(move |_| targets()), next, set_next)}
    }
    .into_any();
    card(s, key, fields)
}

/// The triggers that answer this question when ticked, each removable.
#[component]
fn PreanswersList(question: String) -> impl IntoView {
    let s = expect_context::<Studio>();
    move || {
        let q = question.clone();
        let rows = s.with(|p| {
            p.question(&q)
                .map(|x| {
                    x.preanswers
                        .iter()
                        .map(|pre| {
                            let t = p
                                .trigger(&pre.trigger)
                                .map_or(pre.trigger.clone(), |t| t.label.clone());
                            let a = x
                                .answers
                                .iter()
                                .find(|a| a.id == pre.answer)
                                .map_or(pre.answer.clone(), |a| a.label.clone());
                            (pre.trigger.clone(), t, a)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        });
        view! {
            <div class="field-wide">
                <h3>"Answered by a ticked trigger"</h3>
                {if rows.is_empty() {
                    view! { <p class="hint">"No trigger answers this question: the agent always does. A trigger's card says which answer it gives."</p> }.into_any()
                } else {
                    view! {
                        <ul class="reasons">
                            {rows.into_iter().map(|(id, t, a)| view! {
                                <li>{format!("“{t}” ticked → {a} ")}
                                    <button type="button" class="button button-small button-quiet" on:click=move |_| {
                                        let p = s.working();
                                        s.edit(studio::set_preanswer(&p, &id, None), format!("Stop “{t}” answering a question"));
                                    }>{format!("Stop “{t}” answering")}</button>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        }
    }
}

// ---- Triggers ----

#[component]
fn TriggersEditor() -> impl IntoView {
    let s = expect_context::<Studio>();
    let groups = move || s.with(|p| p.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>());
    let to_group = RwSignal::new(String::new());
    let group_options = move || {
        s.with(|p| {
            p.groups
                .iter()
                .map(|g| (g.id.clone(), g.label.clone()))
                .collect::<Vec<_>>()
        })
    };
    let chosen_group = Signal::derive(move || {
        let g = to_group.get();
        s.with(|p| {
            if p.groups.iter().any(|x| x.id == g) {
                g
            } else {
                p.groups.first().map(|x| x.id.clone()).unwrap_or_default()
            }
        })
    });
    let add = move |_| {
        let p = s.working();
        let group = chosen_group.get_untracked();
        if group.is_empty() {
            s.outcome.set(Some(Err(
                "Add a group first: a trigger belongs to a group.".into(),
            )));
            return;
        }
        s.add(studio::add_trigger(&p, &group), "Add a trigger", "label");
    };
    let add_group = move |_| {
        if let Some(k) = s.add(studio::add_group(&s.working()), "Add a group", "label") {
            to_group.set(k.id().to_string());
        }
    };

    view! {
        <section class="panel" aria-labelledby="studio-triggers-title">
            <h2 id="studio-triggers-title">"Triggers"</h2>
            <p class="hint">"The checklist the agent ticks. A ticked trigger can answer a question of the tree, and a fact on the case can tick it."</p>
            <For each=groups key=|id| id.clone() let:id>
                {group_card(s, Key::Group(id))}
            </For>
            <div class="panel-actions studio-add">
                {fields::pick("studio-trigger-group".into(), "New trigger goes in".into(), Memo::new(move |_| group_options()), chosen_group, Callback::new(move |v| to_group.set(v)))}
                <button type="button" class="button" on:click=add>"Add trigger"</button>
                <button type="button" class="button" on:click=add_group>"Add group"</button>
            </div>
        </section>
    }
}

fn group_card(s: Studio, key: Key) -> AnyView {
    let gid = key.id().to_string();
    let g = gid.clone();
    let triggers = move || {
        s.with(|p| {
            p.groups
                .iter()
                .find(|x| x.id == g)
                .map(|x| x.triggers.iter().map(|t| t.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let fields = view! {
        {thing_field(s, &key, "label", "Group", false,
            |i| match i { Item::Group(g) => g.label.clone(), _ => String::new() },
            |i, v| if let Item::Group(g) = i { g.label = v })}
        <div class="field-wide">
            <For each=triggers key=|id| id.clone() let:id>
                {trigger_card(s, Key::Trigger { group: gid.clone(), id })}
            </For>
        </div>
    }
    .into_any();
    card(s, key, fields)
}

fn trigger_card(s: Studio, key: Key) -> AnyView {
    let tid = key.id().to_string();
    // Which answer the trigger gives when ticked: "question index|answer index", or "".
    let t = tid.clone();
    let answers = move || {
        s.with(|p| {
            let mut out = vec![(String::new(), "Nothing: the agent answers".to_string())];
            for (qi, q) in p.questions.iter().enumerate() {
                for (ai, a) in q.answers.iter().enumerate() {
                    out.push((format!("{qi}|{ai}"), format!("{} → {}", q.text, a.label)));
                }
            }
            out
        })
    };
    let gives = Signal::derive(move || {
        s.with(|p| {
            studio::preanswer_of(p, &t)
                .and_then(|(q, a)| {
                    let qi = p.questions.iter().position(|x| x.id == q)?;
                    let ai = p.questions[qi].answers.iter().position(|x| x.id == a)?;
                    Some(format!("{qi}|{ai}"))
                })
                .unwrap_or_default()
        })
    });
    let t = tid.clone();
    let set_gives = Callback::new(move |v: String| {
        let p = s.working();
        let to = v.split_once('|').and_then(|(qi, ai)| {
            let q = p.questions.get(qi.parse::<usize>().ok()?)?;
            let a = q.answers.get(ai.parse::<usize>().ok()?)?;
            Some((q.id.clone(), a.id.clone()))
        });
        let words = format!(
            "Change what {} answers",
            lower_first(&studio::name_of(
                &p,
                &Key::Trigger {
                    group: String::new(),
                    id: t.clone()
                }
            ))
        );
        s.edit(studio::set_preanswer(&p, &t, to), words);
    });
    let k = key.clone();
    let fact = Signal::derive(move || {
        s.with(|p| match p.trigger(k.id()).and_then(|t| t.suggested_when) {
            None => "never".to_string(),
            Some(Suggest::Vip) => "vip".into(),
            Some(Suggest::Contacts { .. }) => "contacts".into(),
            Some(Suggest::Deadline { .. }) => "deadline".into(),
        })
    });
    let k = key.clone();
    let set_fact = Callback::new(move |v: String| {
        let when = match v.as_str() {
            "vip" => Some(Suggest::Vip),
            "contacts" => Some(Suggest::Contacts { at_least: 3 }),
            "deadline" => Some(Suggest::Deadline { within_hours: 24 }),
            _ => None,
        };
        s.change(&k, |i| {
            if let Item::Trigger { trigger, .. } = i {
                trigger.suggested_when = when;
            }
        });
    });
    let k = key.clone();
    let amount = Signal::derive(move || {
        s.with(|p| match p.trigger(k.id()).and_then(|t| t.suggested_when) {
            Some(Suggest::Contacts { at_least: n })
            | Some(Suggest::Deadline { within_hours: n }) => n.to_string(),
            _ => String::new(),
        })
    });
    let k = key.clone();
    let set_amount = Callback::new(move |v: String| {
        if let Ok(n) = v.trim().parse::<u32>() {
            s.change(&k, |i| {
                if let Item::Trigger { trigger, .. } = i {
                    trigger.suggested_when = match trigger.suggested_when {
                        Some(Suggest::Contacts { .. }) => Some(Suggest::Contacts { at_least: n }),
                        Some(Suggest::Deadline { .. }) => {
                            Some(Suggest::Deadline { within_hours: n })
                        }
                        other => other,
                    };
                }
            });
        }
    });
    let anchor = key.anchor();
    let facts = vec![
        ("never".to_string(), "Never: the agent ticks it".to_string()),
        ("vip".into(), "The customer is VIP".into()),
        (
            "contacts".into(),
            "The customer contacted us at least N times".into(),
        ),
        (
            "deadline".into(),
            "The customer's deadline is within N hours".into(),
        ),
    ];
    let amount_id = format!("{anchor}-amount");
    let gives_id = format!("{anchor}-gives");
    let fields = view! {
        {thing_field(s, &key, "label", "Trigger", false,
            |i| match i { Item::Trigger { trigger, .. } => trigger.label.clone(), _ => String::new() },
            |i, v| if let Item::Trigger { trigger, .. } = i { trigger.label = v })}
        {thing_field(s, &key, "help", "One line of help", false,
            |i| match i { Item::Trigger { trigger, .. } => trigger.help.clone(), _ => String::new() },
            |i, v| if let Item::Trigger { trigger, .. } = i { trigger.help = v })}
        {fields::pick(gives_id, "When ticked, it answers".into(), Memo::new(move |_| answers()), gives, set_gives)}
        {fields::pick(format!("{anchor}-fact"), "Ticked for the agent when".into(), facts, fact, set_fact)}
        {move || matches!(fact.get().as_str(), "contacts" | "deadline").then(|| {
            fields::line(amount_id.clone(), "N".into(), "number", amount, None, set_amount)
        })}
        {grade_pick(s, &tid, false, format!("{anchor}-urgency"))}
        {grade_pick(s, &tid, true, format!("{anchor}-impact"))}
    }
    .into_any();
    card(s, key, fields)
}

/// The urgency or impact a ticked trigger suggests for the priority.
fn grade_pick(s: Studio, trigger: &str, impact: bool, id: String) -> AnyView {
    let t = trigger.to_string();
    let value = Signal::derive(move || {
        s.with(|p| {
            let (u, i) = studio::grades_of(p, &t);
            if impact { i } else { u }
                .map_or("", Grade::key)
                .to_string()
        })
    });
    let t = trigger.to_string();
    let on = Callback::new(move |v: String| {
        let p = s.working();
        let words = if impact {
            "Change a trigger's impact"
        } else {
            "Change a trigger's urgency"
        };
        s.edit(
            studio::set_grade(&p, &t, impact, Grade::from_key(&v)),
            words.into(),
        );
    });
    let mut options = vec![(String::new(), "None".to_string())];
    options.extend(Grade::ALL.map(|g| (g.key().to_string(), g.label().to_string())));
    let label = if impact {
        "Impact when ticked"
    } else {
        "Urgency when ticked"
    };
    fields::pick(id, label.into(), options, value, on)
}

// ---- Levels ----

#[component]
fn LevelsEditor() -> impl IntoView {
    let s = expect_context::<Studio>();
    let levels = move || s.with(|p| p.levels.iter().map(|l| l.id.clone()).collect::<Vec<_>>());
    let add = move |_| {
        s.add(studio::add_level(&s.working()), "Add a level", "name");
    };

    view! {
        <section class="panel" aria-labelledby="studio-levels-title">
            <h2 id="studio-levels-title" tabindex="-1">"Levels"</h2>
            <p class="hint">"Targets are in minutes at priority P3 (the priority's percent scales them); 0 means none. The rank orders the levels: 0 is tier 1, and “the next level” is the next rank up."</p>
            {move || s.with(levels_table)}
            <For each=levels key=|id| id.clone() let:id>
                {level_card(s, Key::Level(id))}
            </For>
            {fields::text("studio-tips".into(), "Tips when a case stays at tier 1".into(), "One per line; the agent sees them when the tree keeps the case at tier 1.",
                Signal::derive(move || s.with(|p| p.tier1_tips.join("\n"))),
                Callback::new(move |v: String| s.settings("tips", "Edit the tier 1 tips", |st| {
                    st.tier1_tips = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
                })))}
            <div class="panel-actions">
                <button type="button" class="button" on:click=add>"Add level"</button>
            </div>
        </section>
    }
}

fn level_card(s: Studio, key: Key) -> AnyView {
    let anchor = key.anchor();
    let handoff = Field::ALL
        .into_iter()
        .map(|f| {
            let k = key.clone();
            let value = Signal::derive(move || {
                s.with(|p| {
                    p.level(k.id())
                        .and_then(|l| l.handoff_requires.iter().find(|r| r.field == f))
                        .map_or("no", |r| if r.blocks { "blocks" } else { "warns" })
                        .to_string()
                })
            });
            let k = key.clone();
            let on = Callback::new(move |v: String| {
                s.change(&k, |i| {
                    if let Item::Level(l) = i {
                        let at = l.handoff_requires.iter().position(|r| r.field == f);
                        let want = match v.as_str() {
                            "warns" => Some(false),
                            "blocks" => Some(true),
                            _ => None,
                        };
                        match (at, want) {
                            (Some(i), Some(b)) => l.handoff_requires[i].blocks = b,
                            (Some(i), None) => {
                                l.handoff_requires.remove(i);
                            }
                            (None, Some(b)) => l.handoff_requires.push(Requirement {
                                field: f,
                                blocks: b,
                            }),
                            (None, None) => {}
                        }
                    }
                });
            });
            let options = vec![
                ("no".to_string(), "Not needed".to_string()),
                ("warns".into(), "Warns when missing".into()),
                ("blocks".into(), "Blocks the handoff".into()),
            ];
            fields::pick(
                format!("{anchor}-needs-{}", f.control()),
                format!("Handoff: {}", f.label()),
                options,
                value,
                on,
            )
        })
        .collect_view();
    let close = Part::ALL
        .into_iter()
        .map(|part| {
            let k = key.clone();
            let value = Signal::derive(move || {
                s.with(|p| {
                    p.level(k.id())
                        .is_some_and(|l| l.close_requires.contains(&part))
                })
            });
            let k = key.clone();
            let on = Callback::new(move |on: bool| {
                s.change(&k, |i| {
                    if let Item::Level(l) = i {
                        l.close_requires.retain(|x| *x != part);
                        if on {
                            l.close_requires.push(part);
                            l.close_requires
                                .sort_by_key(|x| Part::ALL.iter().position(|y| y == x));
                        }
                    }
                });
            });
            fields::check(
                format!("{anchor}-close-{}", part.key()),
                format!("To close: {}", part.label()),
                value,
                on,
            )
        })
        .collect_view();
    let k = key.clone();
    let around =
        Signal::derive(move || s.with(|p| p.level(k.id()).is_some_and(|l| l.around_the_clock)));
    let k = key.clone();
    let set_around = Callback::new(move |on: bool| {
        s.change(&k, |i| {
            if let Item::Level(l) = i {
                l.around_the_clock = on;
            }
        })
    });
    let k = key.clone();
    let preview = move || {
        s.with(|p| {
            p.level(k.id()).map(|l| {
                let text = customer_message(
                    &l.customer_message,
                    "Dana Whitfield",
                    "ESC-2026-0042",
                    &l.receiver,
                    "today at 15:30",
                    "tomorrow at 12:00",
                    "today at 17:00",
                );
                let unknown = studio::unknown_placeholders(&l.customer_message);
                (text, unknown)
            })
        })
    };
    let fields = view! {
        {thing_field(s, &key, "name", "Level name", false,
            |i| match i { Item::Level(l) => l.name.clone(), _ => String::new() },
            |i, v| if let Item::Level(l) = i { l.name = v })}
        {thing_field(s, &key, "receiver", "Receiver", false,
            |i| match i { Item::Level(l) => l.receiver.clone(), _ => String::new() },
            |i, v| if let Item::Level(l) = i { l.receiver = v })}
        {level_number(s, &key, "rank", "Rank", |l| u32::from(l.rank), |l, n| l.rank = u8::try_from(n.min(9)).unwrap_or(9))}
        <details class="field-wide studio-more">
        <summary>"Targets, handoff, closing and the customer message"</summary>
        <div class="field-grid">
        {level_target(s, &key, "response", "First response (minutes)", |l| l.response_minutes, |l, n| l.response_minutes = n)}
        {level_number(s, &key, "update", "Next update (minutes)", |l| l.update_minutes, |l, n| l.update_minutes = n)}
        {level_target(s, &key, "resolution", "Resolution (minutes)", |l| l.resolution_minutes, |l, n| l.resolution_minutes = n)}
        {level_number(s, &key, "silence", "Silence timeout (minutes)", |l| l.silence_minutes, |l, n| l.silence_minutes = n)}
        {fields::check(format!("{anchor}-around"), "Counted around the clock, not in working time".into(), around, set_around)}
        {handoff}
        {close}
        {thing_field(s, &key, "message", "Customer message", true,
            |i| match i { Item::Level(l) => l.customer_message.clone(), _ => String::new() },
            |i, v| if let Item::Level(l) = i { l.customer_message = v })}
        <div class="field-wide">
            <p class="hint">"Placeholders: {customer}, {reference}, {receiver}, {response_due}, {resolution_due}, {update_due} (the first update, for the level with no first response)."</p>
            {move || preview().map(|(text, unknown)| view! {
                <p class="studio-preview" aria-live="polite"><strong>"With a sample case: "</strong>{text}</p>
                {(!unknown.is_empty()).then(|| view! {
                    <p class="field-error">{format!("Not a placeholder, so the customer would read it as typed: {}.", unknown.join(", "))}</p>
                })}
            })}
        </div>
        </div>
        </details>
    }
    .into_any();
    card(s, key, fields)
}

/// The levels at a glance (the draft's, as the cards below edit them).
fn levels_table(p: &Playbook) -> impl IntoView {
    use studio::{minutes, optional_minutes as optional};
    view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Levels and targets, scrollable">
                <table>
                    <caption class="visually-hidden">"Levels with their receivers and targets at P3"</caption>
                    <thead><tr>
                        <th scope="col">"Level"</th>
                        <th scope="col">"Receiver"</th>
                        <th scope="col">"First response"</th>
                        <th scope="col">"Next update"</th>
                        <th scope="col">"Resolution"</th>
                        <th scope="col">"Silence timeout"</th>
                        <th scope="col">"Counted in"</th>
                        <th scope="col">"Needed to close"</th>
                    </tr></thead>
                    <tbody>
                        {p.levels_by_rank().into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{l.name.clone()}</th>
                                <td>{l.receiver.clone()}</td>
                                <td>{optional(l.response_minutes)}</td>
                                <td>{optional(l.update_minutes)}</td>
                                <td>{minutes(l.resolution_minutes)}</td>
                                <td>{optional(l.silence_minutes)}</td>
                                <td>{if l.around_the_clock { "Around the clock" } else { "Working time" }}</td>
                                <td>{if l.close_requires.is_empty() { "Nothing".to_string() } else { l.close_requires.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ") }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">"Targets shown at P3; P1 uses "
                {format!("{}%, P2 {}%, P4 {}%", p.priority.target_percent[0], p.priority.target_percent[1], p.priority.target_percent[3])}
                " of them."</p>
    }
}

// ---- Priority ----

#[component]
fn PriorityEditor() -> impl IntoView {
    let s = expect_context::<Studio>();
    let settings = move |f: &dyn Fn(&mut Settings), words: &str| {
        let mut st = Settings::of(&s.working());
        f(&mut st);
        if st != Settings::of(&s.working()) {
            s.edit(Edit::Settings(Box::new(st)), words.to_string());
        }
    };
    let cells = Grade::ALL
        .into_iter()
        .enumerate()
        .flat_map(|(u, urgency)| {
            Grade::ALL.into_iter().enumerate().map(move |(i, impact)| {
                let value =
                    Signal::derive(move || s.with(|p| p.priority.matrix[u][i].label().to_string()));
                let on = Callback::new(move |v: String| {
                    let Some(to) = Priority::ALL.into_iter().find(|x| x.label() == v) else {
                        return;
                    };
                    settings(
                        &|st: &mut Settings| st.priority.matrix[u][i] = to,
                        "Change the priority matrix",
                    );
                });
                let options = Priority::ALL
                    .into_iter()
                    .map(|x| (x.label().to_string(), x.label().to_string()))
                    .collect::<Vec<_>>();
                fields::pick(
                    format!("studio-matrix-{u}-{i}"),
                    format!(
                        "Urgency {}, impact {}",
                        crate::core::letter_case::to_lower(urgency.label()),
                        crate::core::letter_case::to_lower(impact.label())
                    ),
                    options,
                    value,
                    on,
                )
            })
        })
        .collect_view();
    let percents = Priority::ALL
        .into_iter()
        .enumerate()
        .map(|(n, prio)| {
            let value =
                Signal::derive(move || s.with(|p| p.priority.target_percent[n].to_string()));
            let on = Callback::new(move |v: String| {
                if let Ok(x) = v.trim().parse::<u32>() {
                    settings(
                        &|st: &mut Settings| st.priority.target_percent[n] = x,
                        "Change the targets per priority",
                    );
                }
            });
            fields::line(
                format!("studio-percent-{n}"),
                format!("{} targets (% of P3's)", prio.label()),
                "number",
                value,
                None,
                on,
            )
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="studio-priority-title">
            <h2 id="studio-priority-title" tabindex="-1">"Priority"</h2>
            <p class="hint">"The priority an urgency and an impact give, and how each priority scales the levels' targets."</p>
            <div class="field-grid studio-matrix">{cells}</div>
            <div class="field-grid">{percents}</div>
        </section>
    }
}

// ---- Root causes ----

#[component]
fn CausesEditor() -> impl IntoView {
    let s = expect_context::<Studio>();
    let causes = move || {
        s.with(|p| {
            p.root_causes
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let add = move |_| {
        s.add(
            studio::add_root_cause(&s.working()),
            "Add a root cause",
            "label",
        );
    };

    view! {
        <section class="panel" aria-labelledby="studio-causes-title">
            <h2 id="studio-causes-title">"Root causes"</h2>
            <p class="hint">"What a close-out can name as the root cause. Cases closed before keep the name they used."</p>
            <For each=causes key=|id| id.clone() let:id>
                {{
                    let key = Key::RootCause(id);
                    let fields = thing_field(s, &key, "label", "Root cause", false,
                        |i| match i { Item::RootCause(r) => r.label.clone(), _ => String::new() },
                        |i, v| if let Item::RootCause(r) = i { r.label = v });
                    card(s, key, fields)
                }}
            </For>
            <div class="panel-actions">
                <button type="button" class="button" on:click=add>"Add root cause"</button>
            </div>
        </section>
    }
}

// ---- Versions ----

/// Published versions kept here, and what changed between any two (or the draft).
#[component]
fn Versions() -> impl IntoView {
    let s = expect_context::<Studio>();
    let desk = s.desk;
    // Read again when a version is published (the playbook in force changes).
    let kept = Memo::new(move |_| {
        desk.playbook.track();
        desk.versions()
    });
    let options = move || {
        let mut out: Vec<(String, String)> = kept.with(|k| {
            k.iter()
                .map(|p| (p.version.to_string(), format!("Version {}", p.version)))
                .collect()
        });
        out.push((
            "in-force".into(),
            desk.playbook
                .with(|p| format!("Version {} (in force)", p.version)),
        ));
        if s.draft.with(Option::is_some) {
            out.push(("draft".into(), "The draft".into()));
        }
        out
    };
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // Unless chosen: the version before against the one in force, or the one in force against
    // the draft.
    let from_v = Signal::derive(move || {
        let f = from.get();
        if !f.is_empty() && options().iter().any(|o| o.0 == f) {
            return f;
        }
        if s.draft.with(Option::is_some) {
            "in-force".into()
        } else {
            kept.with(|k| {
                k.last()
                    .map_or("in-force".into(), |p| p.version.to_string())
            })
        }
    });
    let to_v = Signal::derive(move || {
        let t = to.get();
        if !t.is_empty() && options().iter().any(|o| o.0 == t) {
            return t;
        }
        if s.draft.with(Option::is_some) {
            "draft".into()
        } else {
            "in-force".into()
        }
    });
    let pick = move |which: &str| -> Option<Playbook> {
        match which {
            "draft" => s.draft.get(),
            "in-force" => Some(desk.playbook.get()),
            v => kept.with(|k| k.iter().find(|p| p.version.to_string() == v).cloned()),
        }
    };
    let lines = move || match (pick(&from_v.get()), pick(&to_v.get())) {
        (Some(a), Some(b)) => studio::diff(&a, &b),
        _ => Vec::new(),
    };
    view! {
        <section class="panel" aria-labelledby="studio-versions-title">
            <h2 id="studio-versions-title">"Versions"</h2>
            <p class="hint">{move || match kept.with(Vec::len) {
                0 => "Versions published here are kept to compare. None yet besides the one in force.".to_string(),
                n => format!("{} kept to compare with (the newest {}).", plural(n, "earlier version"), crate::store::KEPT_VERSIONS),
            }}</p>
            <div class="field-grid">
                {fields::pick("studio-compare-from".into(), "Compare".into(), Memo::new(move |_| options()), from_v, Callback::new(move |v| from.set(v)))}
                {fields::pick("studio-compare-to".into(), "With".into(), Memo::new(move |_| options()), to_v, Callback::new(move |v| to.set(v)))}
            </div>
            {move || {
                let l = lines();
                if l.is_empty() {
                    view! { <p role="status">"No differences."</p> }.into_any()
                } else {
                    view! {
                        <ul class="studio-diff" aria-label="Differences">
                            {l.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
