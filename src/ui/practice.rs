//! Practice (console): role-play scenarios triaged with the real checklist, tree and grades,
//! in a sandbox (its own storage namespace, so a run never reaches the case list, the queue,
//! Insights or an export), then scored against the playbook in force. The trainee's runs stay
//! on the device and go to their lead as a file; the lead reads such files here.

use chrono::Utc;
use leptos::prelude::*;

use crate::core::link::Route;
use crate::core::practice::{self, History, Run, Scenario, Score};
use crate::core::triage::{self, evaluate};

use super::desk::Desk;
use super::studio::plural;
use super::{fields, files, time};

/// The sandbox's storage namespace.
const SANDBOX: &str = "escdesk-practice";

/// The sandbox: a desk of its own, triaging with the team's playbook.
fn sandbox() -> Desk {
    let desk = expect_context::<Desk>();
    let sandbox = Desk::open(SANDBOX);
    Effect::new(move || sandbox.playbook.set(desk.playbook.get()));
    sandbox
}

fn history(sandbox: Desk) -> History {
    let raw = sandbox.note("practice", "history");
    let runs = crate::core::json::parse::<Vec<Run>>(&raw).unwrap_or_default();
    History {
        trainee: sandbox.note("practice", "trainee"),
        runs,
    }
}

fn keep_runs(sandbox: Desk, runs: &[Run]) {
    sandbox.keep_note("practice", "history", &crate::core::json::to_string(runs));
}

/// The team's own scenarios (written by its lead, or made from closed cases), kept with the
/// team's data, not in the sandbox.
pub fn team_scenarios(desk: Desk) -> Vec<Scenario> {
    crate::core::json::parse::<Vec<Scenario>>(&desk.note("practice", "scenarios"))
        .unwrap_or_default()
}

/// Keeps the team's scenarios, changed by `change`, and gives them back.
fn change_scenarios(desk: Desk, change: impl FnOnce(&mut Vec<Scenario>)) -> Vec<Scenario> {
    let mut list = team_scenarios(desk);
    change(&mut list);
    desk.keep_note(
        "practice",
        "scenarios",
        &crate::core::json::to_string(&list),
    );
    list
}

/// Adds scenarios to the team's; one with the id of another replaces it.
pub fn keep_scenarios(desk: Desk, add: Vec<Scenario>) -> Vec<Scenario> {
    change_scenarios(desk, |list| {
        for s in add {
            list.retain(|x| x.id != s.id);
            list.push(s);
        }
    })
}

/// Every scenario: the built-in ones, then the team's.
fn all_scenarios(desk: Desk) -> Vec<Scenario> {
    let mut all = practice::library();
    all.extend(team_scenarios(desk));
    all
}

fn scenario(desk: Desk, id: &str) -> Option<Scenario> {
    all_scenarios(desk).into_iter().find(|s| s.id == id)
}

/// A scenario not tried yet if there is one, else any; picked by the clock.
fn surprise(all: Vec<Scenario>, runs: &[Run]) -> Option<String> {
    let fresh: Vec<&Scenario> = all
        .iter()
        .filter(|s| !runs.iter().any(|r| r.scenario == s.id))
        .collect();
    let pool: Vec<&Scenario> = if fresh.is_empty() {
        all.iter().collect()
    } else {
        fresh
    };
    let n = Utc::now().timestamp_subsec_nanos() as usize;
    pool.get(n % pool.len().max(1)).map(|s| s.id.clone())
}

fn points(n: u32) -> String {
    format!("{n} of 100")
}

#[component]
pub fn PracticeScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let sandbox = sandbox();
    let mine = RwSignal::new(history(sandbox));
    let trainee = Signal::derive(move || mine.with(|h| h.trainee.clone()));
    let set_trainee = Callback::new(move |v: String| {
        sandbox.keep_note("practice", "trainee", &v);
        mine.update(|h| h.trainee = v);
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    let download = move |_| {
        let h = mine.get_untracked();
        if h.runs.is_empty() {
            message.set(Some(Err("No runs yet: practise a scenario first.".into())));
            return;
        }
        let name = if h.trainee.trim().is_empty() {
            "trainee".to_string()
        } else {
            h.trainee
                .trim()
                .replace(|c: char| !c.is_alphanumeric(), "-")
        };
        if let Err(e) = files::download(
            &format!("escalation-practice-{name}.json"),
            "application/json",
            &practice::export_history(&h),
        ) {
            message.set(Some(Err(e)));
        }
    };
    // Trainees' files read by the lead (kept on screen only).
    let team = RwSignal::new(Vec::<History>::new());
    let read = move |ev: leptos::ev::Event| {
        read_picked(&ev, "a practice file", move |name, text| {
            let result = text.and_then(|t| practice::parse_history(&t));
            match result {
                Ok(h) => {
                    message.set(Some(Ok(format!(
                        "Read {name}: {} by {}.",
                        plural(h.runs.len(), "run"),
                        trainee_name(&h)
                    ))));
                    team.update(|t| t.push(h));
                }
                Err(e) => message.set(Some(Err(format!("{name} was not read. {e}")))),
            }
        });
    };
    let go_surprise = move |_| {
        if let Some(id) = mine.with_untracked(|h| surprise(all_scenarios(desk), &h.runs)) {
            super::nav::go(&Route::PracticeRun(id));
        }
    };
    let team_list = RwSignal::new(team_scenarios(desk));
    let rows = move || {
        let best = mine.with(|h| practice::best(&h.runs));
        let mut all = practice::library();
        all.extend(team_list.get());
        desk.playbook.with(|p| {
            all.into_iter()
                .map(|s| {
                    let state = match best.get(&s.id) {
                        Some(b) => format!("Best: {}", points(*b)),
                        None => "Not tried yet".to_string(),
                    };
                    let moved = practice::moved(p, &s);
                    let href = super::nav::href(&Route::PracticeRun(s.id.clone()));
                    view! {
                        <li class="list-row">
                            <a href=href>{s.title.clone()}</a>
                            <span class="hint">{format!(" · {state}")}</span>
                            {moved.then(|| view! { <span class="status status-feedback">"Expected result changed since it was written"</span> })}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="screen-head"><h1>"Practice"</h1></div>
        <p class="lede">"Role-play an escalation and get scored against the team's playbook. Runs happen in a sandbox: they never reach the case list, the queue, Insights or an export."</p>
        <section class="panel" aria-labelledby="practice-list-title">
            <h2 id="practice-list-title">"Scenarios"</h2>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=go_surprise>"Surprise me"</button>
            </div>
            <ul class="practice-list" aria-label="Scenarios">{rows}</ul>
        </section>
        <TeamScenarios list=team_list/>
        <section class="panel" aria-labelledby="practice-mine-title">
            <h2 id="practice-mine-title">"Your results"</h2>
            {fields::line("practice-trainee".into(), "Your name (on the results file)".into(), "text", trainee, None, set_trainee)}
            {move || {
                let h = mine.get();
                if h.runs.is_empty() {
                    view! { <p class="hint">"No runs yet."</p> }.into_any()
                } else {
                    results_table("Your runs, newest first", &h)
                }
            }}
            <div class="panel-actions">
                <button type="button" class="button" on:click=download>"Download my results"</button>
                <label class="button file-button">
                    "Read a trainee's file…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=read/>
                </label>
            </div>
            <super::notices::OutcomeMessage outcome=message/>
        </section>
        {move || (!team.with(Vec::is_empty)).then(|| view! {
            <section class="panel" aria-labelledby="practice-team-title">
                <h2 id="practice-team-title">"Team results"</h2>
                {team.get().iter().map(|h| results_table(&format!("{}: {}, average {}", trainee_name(h), plural(h.runs.len(), "run"), average(&h.runs)), h)).collect_view()}
            </section>
        })}
    }
}

/// The text of the file picked in a change event, read in the background: `done` gets the
/// file's name and its text, or why it couldn't be read.
fn read_picked(
    ev: &leptos::ev::Event,
    what: &'static str,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) {
    let Some(file) = files::picked(ev) else {
        return;
    };
    let name = file.name();
    leptos::task::spawn_local(async move {
        let text = files::read_bytes(
            file,
            4 * 1024 * 1024,
            format!("It is too large for {what}."),
        )
        .await
        .and_then(|b| crate::core::file_text::decode(&b).map_err(|e| e.to_string()));
        done(name, text);
    });
}

fn trainee_name(h: &History) -> String {
    if h.trainee.trim().is_empty() {
        "A trainee".into()
    } else {
        h.trainee.trim().to_string()
    }
}

fn average(runs: &[Run]) -> String {
    if runs.is_empty() {
        return "none".into();
    }
    points(runs.iter().map(|r| r.points).sum::<u32>() / runs.len() as u32)
}

/// A history's runs as a table, newest first.
fn results_table(caption: &str, h: &History) -> AnyView {
    let mut runs = h.runs.clone();
    runs.reverse();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=format!("{caption}, scrollable")>
            <table>
                <caption>{caption.to_string()}</caption>
                <thead><tr>
                    <th scope="col">"Scenario"</th>
                    <th scope="col">"When"</th>
                    <th scope="col">"Score"</th>
                    <th scope="col">"Level"</th>
                    <th scope="col">"Time"</th>
                </tr></thead>
                <tbody>
                    {runs.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.title.clone()}</th>
                            <td>{time::local(r.at)}</td>
                            <td>{points(r.points)}</td>
                            <td>{match r.off_by {
                                0 => format!("Right: {}", r.expected),
                                n if n > 0 => format!("{} too high: {} for {}", plural(n as usize, "level"), r.chosen, r.expected),
                                n => format!("{} too low: {} for {}", plural(n.unsigned_abs() as usize, "level"), r.chosen, r.expected),
                            }}</td>
                            <td>{format!("{} min {} s", r.seconds / 60, r.seconds % 60)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One run of a scenario: the case as an agent sees it, what the customer says as the trainee
/// asks, the real checklist, tree and grades, then the trainee's decision and the score card.
#[component]
pub fn PracticeRun(id: String) -> impl IntoView {
    // "Try it again" draws a fresh run of the same scenario.
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let id = id.clone();
        view! { <RunOnce id attempt/> }
    }
}

#[component]
fn RunOnce(id: String, attempt: RwSignal<u32>) -> impl IntoView {
    let Some(s) = scenario(expect_context::<Desk>(), &id) else {
        return view! {
            <div class="screen-head"><h1>"Practice"</h1></div>
            <p role="alert">"This scenario doesn't exist (any more). "<a href=super::nav::href(&Route::Practice)>"Pick another"</a></p>
        }
        .into_any();
    };
    let sandbox = sandbox();
    provide_context(sandbox);
    // The run's case in the sandbox: resumed after a reload, else opened and triage started.
    let case_id = {
        let kept = sandbox.note("practice", &format!("run-{}", s.id));
        match sandbox.case(&kept) {
            Some(c) => c.id,
            None => {
                let opened = sandbox.create(practice::details(&s, Utc::now()));
                match opened {
                    Some(c) => {
                        let started = sandbox
                            .playbook
                            .with_untracked(|p| triage::start(&c, p, Utc::now()));
                        sandbox.save(started, "");
                        sandbox.keep_note("practice", &format!("run-{}", s.id), &c.id);
                        c.id
                    }
                    None => String::new(),
                }
            }
        }
    };
    let case = {
        let id = case_id.clone();
        Memo::new(move |_| sandbox.case(&id))
    };
    let triage = Memo::new(move |_| case.with(|c| c.as_ref().and_then(|c| c.triage.clone())));
    let walk = Memo::new(move |_| {
        triage.with(|t| {
            t.as_ref()
                .map(|t| sandbox.playbook.with(|p| evaluate(p, t)))
        })
    });
    let read_only = Signal::derive(|| false);
    let heard = RwSignal::new(1usize);
    let says = s.says.clone();
    let said = move || {
        says.iter()
            .take(heard.get())
            .cloned()
            .map(|l| view! { <li>{l}</li> })
            .collect_view()
    };
    let more = s.says.len();
    let chosen = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(Score, u64)>);
    let error = RwSignal::new(String::new());
    let levels = Signal::derive(move || {
        sandbox.playbook.with(|p| {
            p.levels_by_rank()
                .into_iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen_or_walk = Signal::derive(move || {
        let c = chosen.get();
        if c.is_empty() {
            walk.with(|w| w.as_ref().and_then(|w| w.level.clone()))
                .unwrap_or_default()
        } else {
            c
        }
    });
    let sc = s.clone();
    let submit = move |_| {
        let level = chosen_or_walk.get_untracked();
        let (Some(c), Some(t)) = (case.get_untracked(), triage.get_untracked()) else {
            return;
        };
        if level.is_empty() {
            error.set(
                "Choose a level first, or answer the tree's questions until they lead to one."
                    .into(),
            );
            super::focus::after_render("#practice-level");
            return;
        }
        error.set(String::new());
        let score = sandbox
            .playbook
            .with_untracked(|p| practice::score(p, &sc, &c, &t, &level));
        let seconds = (Utc::now() - c.created_at).num_seconds().max(0) as u64;
        let mut runs = history(sandbox).runs;
        runs.push(Run::of(&sc, &score, Utc::now(), seconds));
        keep_runs(sandbox, &runs);
        // The run is over: the next one starts from a fresh case.
        sandbox.keep_note("practice", &format!("run-{}", sc.id), "");
        sandbox.delete(&c);
        sandbox.notice.set(None);
        result.set(Some((score, seconds)));
        super::focus::after_render("#score-title");
    };
    let explanation = s.explanation.clone();
    let again = Callback::new(move |()| attempt.update(|n| *n += 1));
    let facts = s.clone();
    view! {
        <div class="screen-head">
            <a class="back-link" href=super::nav::href(&Route::Practice)>"Back to the scenarios"</a>
            <h1>{format!("Practice: {}", s.title)}</h1>
        </div>
        <Show when=move || result.with(Option::is_none) fallback=move || {
            let explanation = explanation.clone();
            result.get().map(|(r, seconds)| score_card(r, seconds, explanation, again)).unwrap_or_else(|| ().into_any())
        }>
            <p class="lede">"A practice case, in a sandbox. Read it as you would on a call, ask the customer, then triage it."</p>
            {case_facts(&facts)}
            <section class="panel" aria-labelledby="says-title">
                <h2 id="says-title">"What the customer says"</h2>
                <ul class="reasons" aria-live="polite">{said.clone()}</ul>
                <div class="panel-actions">
                    <button type="button" class="button" disabled=move || { heard.get() >= more }
                        on:click=move |_| heard.update(|n| *n += 1)>"Ask the customer"</button>
                </div>
            </section>
            <div class="triage-layout">
                <super::triage::Checklist case triage read_only/>
                <div class="triage-main">
                    <super::triage::Tree case triage walk read_only/>
                    <super::triage::Grades case triage walk read_only/>
                    <section class="panel" aria-labelledby="decide-title">
                        <h2 id="decide-title">"Your decision"</h2>
                        <p class="hint">{move || walk.with(|w| match w.as_ref().and_then(|w| w.level.clone()) {
                            Some(l) => format!("Your answers lead to {}. Keep it, or choose another level.", sandbox.playbook.with(|p| p.level(&l).map(|l| l.name.clone()).unwrap_or_default())),
                            None => "Answer the tree's questions, or choose a level yourself.".to_string(),
                        })}</p>
                        {fields::pick("practice-level".into(), "Level".into(),
                            Signal::derive(move || { let mut o = vec![(String::new(), "Choose a level".to_string())]; o.extend(levels.get()); o }),
                            chosen_or_walk, Callback::new(move |v| chosen.set(v)))}
                        <p class="field-error" role="alert">{move || error.get()}</p>
                        <div class="panel-actions">
                            <button type="button" class="button button-primary" on:click=submit.clone()>"Submit my decision"</button>
                        </div>
                    </section>
                </div>
            </div>
        </Show>
    }
    .into_any()
}

/// The practice case as an agent would read it.
fn case_facts(s: &Scenario) -> AnyView {
    let mut rows = vec![
        (
            "Customer",
            format!("{}{}", s.customer, if s.vip { " (VIP)" } else { "" }),
        ),
        ("Contact", s.contact.clone()),
        ("Channel", s.channel.label().to_string()),
        ("Product or area", s.product.clone()),
        ("Subject", s.subject.clone()),
        ("Description", s.description.clone()),
        ("What the customer expects", s.expectation.clone()),
        ("Contacts so far", s.contacts.max(1).to_string()),
    ];
    if let Some(h) = s.deadline_hours {
        rows.push(("Customer's deadline", format!("in {h} hours")));
    }
    if !s.steps.is_empty() {
        rows.push(("Steps already taken", s.steps.join("; ")));
    }
    view! {
        <section class="panel" aria-labelledby="practice-case-title">
            <h2 id="practice-case-title">"The case"</h2>
            <dl class="facts">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        </section>
    }
    .into_any()
}

/// The score card: the verdict per part, both paths, the author's explanation.
fn score_card(r: Score, seconds: u64, explanation: String, again: Callback<()>) -> AnyView {
    // Each list named by the heading above it.
    let list = |items: Vec<String>, none: &'static str, name: &'static str| {
        if items.is_empty() {
            view! { <p>{none}</p> }.into_any()
        } else {
            view! { <ul class="reasons" aria-label=name>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
        }
    };
    view! {
        <section class="panel" aria-labelledby="score-title">
            <h2 id="score-title" tabindex="-1">{format!("Score: {}", points(r.points))}</h2>
            <dl class="facts">
                <dt>"Level"</dt>
                <dd>{format!("{}: the playbook says {}, you chose {}.", r.level.words(), r.expected_level, r.chosen_level)}</dd>
                <dt>"Priority"</dt>
                <dd>{if r.expected_priority == r.chosen_priority {
                    format!("Right: {}.", r.expected_priority.label())
                } else {
                    format!("The facts give {}; your grades gave {}.", r.expected_priority.label(), r.chosen_priority.label())
                }}</dd>
                <dt>"Time taken"</dt>
                <dd>{format!("{} min {} s", seconds / 60, seconds % 60)}</dd>
            </dl>
            <h3>"Triggers you missed"</h3>
            {list(r.missed, "None.", "Triggers you missed")}
            <h3>"Ticked without reason"</h3>
            {list(r.extra, "None.", "Ticked without reason")}
            <h3>"Handoff parts the case would still need"</h3>
            {list(r.handoff_missing, "None: the handoff could go as it is.", "Handoff parts the case would still need")}
            <div class="practice-paths">
                <div>
                    <h3>"The playbook's path"</h3>
                    {list(r.expected_path, "No steps.", "The playbook's path")}
                </div>
                <div>
                    <h3>"Your path"</h3>
                    {list(r.chosen_path, "No steps.", "Your path")}
                </div>
            </div>
            <h3>"Why"</h3>
            <p>{explanation}</p>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=move |_| again.run(())>"Try it again"</button>
                <a class="button" href=super::nav::href(&Route::Practice)>"Back to the scenarios"</a>
            </div>
        </section>
    }
    .into_any()
}

/// The team's own scenarios: handed out as a file and taken in from one; each removable.
#[component]
fn TeamScenarios(list: RwSignal<Vec<Scenario>>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let message = RwSignal::new(None::<Result<String, String>>);
    let download = move |_| {
        let l = list.get_untracked();
        if l.is_empty() {
            message.set(Some(
                Err("The team has no scenarios of its own yet.".into()),
            ));
            return;
        }
        if let Err(e) = files::download(
            "escalation-scenarios.json",
            "application/json",
            &practice::export_scenarios(&l),
        ) {
            message.set(Some(Err(e)));
        }
    };
    let take = move |ev: leptos::ev::Event| {
        read_picked(&ev, "a scenarios file", move |name, text| {
            let result = text.and_then(|t| practice::parse_scenarios(&t));
            match result {
                Ok(new) => {
                    let n = new.len();
                    list.set(keep_scenarios(desk, new));
                    message.set(Some(Ok(format!(
                        "{} from {name} added to Practice.",
                        plural(n, "scenario")
                    ))));
                }
                Err(e) => message.set(Some(Err(format!("{name} was not read. {e}")))),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="practice-team-scenarios-title">
            <h2 id="practice-team-scenarios-title">"The team's scenarios"</h2>
            <p class="hint">"Made from closed cases (a review's “Make it a practice scenario”) or taken from a lead's file. Their expected result is worked out by the playbook in force, like the built-in ones."</p>
            {move || {
                let l = list.get();
                (!l.is_empty()).then(|| view! {
                    <ul class="practice-list" aria-label="The team's scenarios">
                        {l.into_iter().map(|s| {
                            let id = s.id.clone();
                            view! {
                                <li>{s.title.clone()}" "
                                    <button type="button" class="button button-small button-quiet" aria-label=format!("Remove {}", s.title)
                                        on:click=move |_| { list.set(change_scenarios(desk, |l| l.retain(|x| x.id != id))); }>"Remove"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
            <ScenarioForm list/>
            <div class="panel-actions">
                <button type="button" class="button" on:click=download>"Download the team's scenarios"</button>
                <label class="button file-button">
                    "Use a scenarios file…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=take/>
                </label>
            </div>
            <super::notices::OutcomeMessage outcome=message/>
        </section>
    }
}

/// The non-empty lines of a box, trimmed.
fn one_per_line(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// A lead writes a scenario: the case, what the customer says, the facts that are true and
/// why; the result the playbook in force gives those facts is shown as they are set. The form
/// is kept as it is typed.
#[component]
fn ScenarioForm(list: RwSignal<Vec<Scenario>>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let kept = crate::core::json::parse::<Scenario>(&desk.note("practice", "scenario-draft"))
        .unwrap_or_default();
    let draft = RwSignal::new(kept);
    let keep = move || {
        desk.keep_note(
            "practice",
            "scenario-draft",
            &draft.with_untracked(crate::core::json::to_string),
        );
    };
    let error = RwSignal::new(String::new());
    let text = move |get: fn(&Scenario) -> String| Signal::derive(move || draft.with(get));
    // A box of one item per line shows what was typed (a space, a new empty line) while it
    // still holds the draft's list; when the draft changes otherwise (saved, cleared), the list.
    let (says_typed, steps_typed) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let lines = move |typed: RwSignal<String>, get: fn(&Scenario) -> &Vec<String>| {
        Signal::derive(move || {
            let typed = typed.get();
            draft.with(|d| {
                if one_per_line(&typed) == *get(d) {
                    typed
                } else {
                    get(d).join("\n")
                }
            })
        })
    };
    let set_lines = move |typed: RwSignal<String>, put: fn(&mut Scenario, Vec<String>)| {
        Callback::new(move |v: String| {
            draft.update(|d| put(d, one_per_line(&v)));
            typed.set(v);
            keep();
        })
    };
    let set = move |put: fn(&mut Scenario, String)| {
        Callback::new(move |v: String| {
            draft.update(|d| put(d, v));
            keep();
        })
    };
    let result = move || {
        draft.with(|d| {
            desk.playbook.with(|p| {
                let w = practice::expected(p, d);
                match w.level.as_deref().and_then(|l| p.level(l)) {
                    Some(l) => format!(
                        "With the playbook in force, these facts lead to {} ({}).",
                        l.name,
                        w.priority.label()
                    ),
                    None => {
                        let q = w
                            .pending
                            .as_deref()
                            .and_then(|q| p.question(q))
                            .map(|q| q.text.clone())
                            .unwrap_or_default();
                        format!("Not decided yet: answer “{q}”.")
                    }
                }
            })
        })
    };
    let triggers = move || {
        desk.playbook.with(|p| {
            p.groups
                .iter()
                .flat_map(|g| g.triggers.iter())
                .map(|t| {
                    let id = t.id.clone();
                    let on = id.clone();
                    fields::check(
                        format!("scenario-tick-{id}"),
                        t.label.clone(),
                        Signal::derive(move || draft.with(|d| d.ticks.contains(&on))),
                        Callback::new(move |v: bool| {
                            draft.update(|d| {
                                d.ticks.retain(|x| *x != id);
                                if v {
                                    d.ticks.push(id.clone());
                                }
                            });
                            keep();
                        }),
                    )
                })
                .collect_view()
        })
    };
    let answers = move || {
        desk.playbook.with(|p| {
            p.questions
                .iter()
                .map(|q| {
                    let qid = q.id.clone();
                    let get = qid.clone();
                    let mut options = vec![(String::new(), "Not set".to_string())];
                    options.extend(q.answers.iter().map(|a| (a.id.clone(), a.label.clone())));
                    fields::pick(
                        format!("scenario-answer-{qid}"),
                        q.text.clone(),
                        options,
                        Signal::derive(move || {
                            draft.with(|d| {
                                d.answers
                                    .iter()
                                    .find(|(x, _)| *x == get)
                                    .map(|(_, a)| a.clone())
                                    .unwrap_or_default()
                            })
                        }),
                        Callback::new(move |v: String| {
                            draft.update(|d| {
                                d.answers.retain(|(x, _)| *x != qid);
                                if !v.is_empty() {
                                    d.answers.push((qid.clone(), v));
                                }
                            });
                            keep();
                        }),
                    )
                })
                .collect_view()
        })
    };
    let save = move |_| {
        let mut d = draft.get_untracked();
        if d.title.trim().is_empty() || d.subject.trim().is_empty() || d.says.is_empty() {
            error.set(
                "Give the scenario a title, a subject and at least one line the customer says."
                    .into(),
            );
            return;
        }
        let level = desk
            .playbook
            .with_untracked(|p| practice::expected(p, &d).level);
        let Some(level) = level else {
            error.set("The facts don't lead to a level yet: answer the questions the playbook still asks.".into());
            return;
        };
        d.meant = level;
        let taken: Vec<String> = all_scenarios(desk).into_iter().map(|s| s.id).collect();
        d.id = crate::core::studio::new_id(
            taken.iter().map(String::as_str),
            &format!("team {}", d.title),
        )
        .replace('_', "-");
        error.set(String::new());
        list.set(keep_scenarios(desk, vec![d.clone()]));
        draft.set(Scenario::default());
        desk.keep_note("practice", "scenario-draft", "");
        desk.say(format!("Scenario “{}” added to Practice", d.title));
    };
    view! {
        <details class="studio-more">
            <summary>"Write a scenario"</summary>
            <form class="field-grid" aria-label="Write a scenario" novalidate on:submit=|ev| ev.prevent_default()>
                {fields::line("scenario-title".into(), "Title".into(), "text", text(|d| d.title.clone()), None, set(|d, v| d.title = v))}
                {fields::line("scenario-customer".into(), "Customer (a made-up name)".into(), "text", text(|d| d.customer.clone()), None, set(|d, v| d.customer = v))}
                {fields::line("scenario-subject".into(), "Subject".into(), "text", text(|d| d.subject.clone()), None, set(|d, v| d.subject = v))}
                {fields::pick("scenario-channel".into(), "Channel".into(),
                    crate::core::case::Channel::ALL.map(|c| (c.key().to_string(), c.label().to_string())).to_vec(),
                    text(|d| d.channel.key().to_string()), set(|d, v| d.channel = crate::core::case::Channel::from_key(&v).unwrap_or_default()))}
                {fields::text("scenario-description".into(), "Description".into(), "", text(|d| d.description.clone()), set(|d, v| d.description = v))}
                {fields::text("scenario-says".into(), "What the customer says".into(), "One line each, in the order the trainee hears them.",
                    lines(says_typed, |d| &d.says), set_lines(says_typed, |d, v| d.says = v))}
                {fields::text("scenario-steps".into(), "Steps already taken".into(), "One per line.",
                    lines(steps_typed, |d| &d.steps), set_lines(steps_typed, |d, v| d.steps = v))}
                {fields::check("scenario-vip".into(), "The customer is VIP".into(), Signal::derive(move || draft.with(|d| d.vip)),
                    Callback::new(move |v| { draft.update(|d| d.vip = v); keep(); }))}
                <fieldset class="field-wide studio-card">
                    <legend>"Triggers that honestly apply"</legend>
                    <div class="field-grid">{triggers}</div>
                </fieldset>
                <fieldset class="field-wide studio-card">
                    <legend>"The true answer to each question"</legend>
                    <div class="field-grid">{answers}</div>
                </fieldset>
                {fields::text("scenario-explanation".into(), "Why the right answer is right".into(), "The trainee reads it on the score card.", text(|d| d.explanation.clone()), set(|d, v| d.explanation = v))}
                <p class="field-wide studio-preview" role="status">{result}</p>
                <p class="field-wide field-error" role="alert">{move || error.get()}</p>
                <div class="panel-actions field-wide">
                    <button type="button" class="button button-primary" on:click=save>"Save scenario"</button>
                </div>
            </form>
        </details>
    }
}
