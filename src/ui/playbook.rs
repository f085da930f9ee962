//! The playbook in force: its levels, targets and priority matrix, and handing it around as a
//! file. An imported playbook is validated first; a broken one changes nothing and the screen
//! says where it is broken.

use leptos::prelude::*;

use crate::core::clock::{Calendar, DayTime, DAY_NAMES};
use crate::core::link::Route;
use crate::core::playbook::{self, Playbook};
use crate::core::replay::{replay, Outcome, Replay};

use super::desk::Desk;
use super::files;

#[component]
pub fn PlaybookScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // The studio's draft, which the calendar and team forms keep in step.
    provide_context(super::studio::Studio::new(desk));
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));
    // Outlives the calendar form, which is made anew when the playbook changes.
    let calendar_outcome = RwSignal::new(None::<Result<String, String>>);

    let export = move |_| {
        let p = desk.playbook.get_untracked();
        if let Err(e) = files::download(
            &playbook::file_name(&p),
            "application/json",
            &playbook::export_file(&p),
        ) {
            outcome.set(Some(Err(e)));
        }
    };
    // A playbook tried on the cases here before it is used: the file's, its name, and what
    // it would decide differently.
    let trial = RwSignal::new(None::<(Playbook, String, Replay)>);
    let use_it = move |p: Playbook, name: &str| {
        let label = format!("“{}” v{}", p.name, p.version);
        outcome.set(Some(desk.use_playbook(p)
            .map(|()| format!("Playbook {label} from {name} is now in use. Cases triaged before keep the playbook they were triaged with."))
            .map_err(|e| format!("Couldn't keep the playbook: {e}"))));
    };
    // `try_first`: show what it would change, and use it only when the lead says so.
    let pick = move |ev: leptos::ev::Event, try_first: bool| {
        let Some(file) = files::picked(&ev) else {
            return;
        };
        let name = file.name();
        trial.set(None);
        leptos::task::spawn_local(async move {
            // The size first, as the Data page does: a 30 MB file is refused unread.
            let too_large = playbook::FileError::TooLarge.to_string();
            let result = files::read_bytes(file, playbook::MAX_FILE_BYTES, too_large)
                .await
                .and_then(|bytes| playbook::parse_file_bytes(&bytes).map_err(|e| e.to_string()));
            match result {
                Ok(p) if try_first => match desk.complete_cases() {
                    Ok(cases) => {
                        let r = desk
                            .playbook
                            .with_untracked(|current| replay(&cases, current, &p));
                        outcome.set(None);
                        trial.set(Some((p, name, r)));
                    }
                    Err(e) => outcome.set(Some(Err(format!("Nothing was tried: {e}")))),
                },
                Ok(p) => use_it(p, &name),
                Err(e) => outcome.set(Some(Err(format!(
                    "Nothing changed: {name} was not used. {e}"
                )))),
            }
        });
    };
    let import = move |ev: leptos::ev::Event| pick(ev, false);
    let try_file = move |ev: leptos::ev::Event| pick(ev, true);
    let reset = move |_| {
        outcome
            .set(Some(desk.reset_playbook().map(|()| {
                "The built-in playbook is in use again.".to_string()
            })));
    };

    view! {
        <div class="screen-head">
            <h1>"Playbook"</h1>
        </div>
        <p class="lede">
            {move || desk.playbook.with(|p| format!("In use: “{}”, version {} ({}).", p.name, p.version, p.id))}
            " Team leads tune the playbook and hand it to the team as a file."
        </p>
        <section class="panel" aria-labelledby="pb-file-title">
            <h2 id="pb-file-title">"Share"</h2>
            <div class="panel-actions">
                <button type="button" class="button button-primary" on:click=export>"Download the playbook"</button>
                <label class="button file-button" class:button-disabled=read_only>
                    "Use a playbook file…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" disabled=read_only on:change=import/>
                </label>
                <label class="button file-button">
                    "Try a playbook file on your cases…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" on:change=try_file/>
                </label>
                <button type="button" class="button button-quiet" disabled=read_only on:click=reset>"Go back to the built-in playbook"</button>
            </div>
            <p class="hint">"Trying a file shows which cases here it would decide differently, before anyone uses it."</p>
            <super::notices::OutcomeMessage outcome=outcome/>
        </section>
        {move || trial.get().map(|(p, name, r)| {
            let title = format!("What “{}” v{} would change", p.name, p.version);
            let use_name = name.clone();
            view! {
                <section class="panel" aria-labelledby="trial-title">
                    <h2 id="trial-title">{title}</h2>
                    <TrialResult replay=r/>
                    <div class="panel-actions">
                        <button type="button" class="button button-primary" disabled=read_only on:click=move |_| {
                            use_it(p.clone(), &use_name);
                            trial.set(None);
                        }>"Use this playbook"</button>
                        <button type="button" class="button" on:click=move |_| trial.set(None)>"Don't use it"</button>
                    </div>
                    <p class="hint">{format!("From {name}. Nothing changes until you choose.")}</p>
                </section>
            }
        })}
        <super::studio::StudioScreen/>
        {move || view! { <CalendarForm current=desk.playbook.get() read_only outcome=calendar_outcome/> }}
        {move || view! { <TeamForm current=desk.playbook.get() read_only/> }}
    }
}

/// The team's people (picked as owners, reviewers and follow-up owners) and the root causes a
/// close-out can name. Saving the people raises the playbook's version, as the calendar does.
#[component]
fn TeamForm(current: Playbook, read_only: Signal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let people = RwSignal::new(current.people.join("\n"));
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut p = desk.playbook.get_untracked();
        let mut names: Vec<String> = Vec::new();
        for name in people
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if !names.iter().any(|n| n == name) {
                names.push(name.chars().take(80).collect());
            }
        }
        if names == p.people {
            outcome.set(Some(Ok("Nothing changed.".into())));
            return;
        }
        p.people = names.clone();
        let p = super::studio::next_version(desk, p);
        let version = p.version;
        outcome.set(Some(desk.publish(p).map(|()| {
            expect_context::<super::studio::Studio>().follow(|d| d.people = names);
            format!(
            "Saved as version {version}. Download the playbook to share the list with the team."
        )
        })));
    };
    let causes = current
        .root_causes
        .iter()
        .map(|r| view! { <li>{r.label.clone()}</li> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="pb-team-title">
            <h2 id="pb-team-title">"Team"</h2>
            <form on:submit=save novalidate aria-label="Team">
                {super::fields::text("team-people".into(), "People on the team".into(),
                    "One name per line. Owners, reviewers and follow-up owners are picked from them; any other name can still be typed.",
                    people.into(), Callback::new(move |v| people.set(v)))}
                <div class="panel-actions">
                    <button type="submit" class="button" disabled=read_only>"Save the team"</button>
                </div>
                <super::notices::OutcomeMessage outcome=outcome/>
            </form>
            <h3>"Root causes a close-out can name"</h3>
            <ul class="reasons">{causes}</ul>
        </section>
    }
}

/// The team calendar and warning threshold, edited in place. Saving raises the playbook's
/// version, so cases show which rules counted their clocks; share the file afterwards.
#[component]
fn CalendarForm(
    current: Playbook,
    read_only: Signal<bool>,
    outcome: RwSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let calendar = RwSignal::new(current.calendar.clone());
    let warn = RwSignal::new(current.warn_percent.to_string());
    let holiday = RwSignal::new(String::new());
    // Every zone the browser knows, and the playbook's own if it is a rule or a name this
    // browser lacks.
    let mut zones = super::zones::all();
    if !zones.contains(&current.calendar.time_zone) {
        zones.insert(0, current.calendar.time_zone.clone());
    }

    let add_holiday = move |_| match super::time::parse_day(&holiday.get_untracked()) {
        Some(date) => {
            calendar.update(|c| {
                if !c.holidays.contains(&date) {
                    c.holidays.push(date);
                    crate::core::sort::sort(&mut c.holidays);
                }
            });
            holiday.set(String::new());
            outcome.set(None);
        }
        None => outcome.set(Some(Err("Pick a date for the holiday first.".into()))),
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut p = desk.playbook.get_untracked();
        let Ok(percent) = warn.get_untracked().trim().parse::<u32>() else {
            outcome.set(Some(Err(
                "The warning threshold is a whole number of percent, such as 75.".into(),
            )));
            return;
        };
        p.calendar = calendar.get_untracked();
        p.warn_percent = percent;
        let p = super::studio::next_version(desk, p);
        let problems = playbook::validate(&p);
        if !problems.is_empty() {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            outcome.set(Some(Err(format!("Not saved: {}", text.join(" ")))));
            return;
        }
        let version = p.version;
        let (cal, warn) = (p.calendar.clone(), p.warn_percent);
        outcome.set(Some(desk.publish(p).map(|()| {
            expect_context::<super::studio::Studio>().follow(|d| {
                d.calendar = cal;
                d.warn_percent = warn;
            });
            format!(
            "Saved as version {version}. Open clocks are counted with it now; download the playbook to share it with the team."
        )})));
    };

    view! {
        <section class="panel" aria-labelledby="pb-calendar-title">
            <h2 id="pb-calendar-title">"Team calendar and warnings"</h2>
            <p class="hint">"Targets in working time count only these hours; levels marked around the clock count every minute."</p>
            <form class="calendar-form" on:submit=save novalidate aria-label="Team calendar">
                <div class="field-grid">
                    <div class="field">
                        <label for="cal-zone">"Time zone"</label>
                        <select id="cal-zone" aria-describedby="cal-zone-hint" on:change=move |ev| {
                            let z = event_target_value(&ev);
                            calendar.update(|c| c.time_zone = z);
                        }>
                            {zones.into_iter().map(|z| {
                                let selected = calendar.with_untracked(|c| c.time_zone == z);
                                view! { <option value=z.clone() selected=selected>{z.replace('_', " ")}</option> }
                            }).collect_view()}
                        </select>
                        <p class="hint" id="cal-zone-hint">"Every clock, figure and customer message of the team is worked out in this zone, whatever zone a viewer's browser is set to."</p>
                    </div>
                    <div class="field">
                        <label for="cal-warn">"Warn at (% of the time used)"</label>
                        <input id="cal-warn" type="number" min="1" max="99" inputmode="numeric"
                            prop:value=move || warn.get()
                            on:input=move |ev| warn.set(event_target_value(&ev))/>
                    </div>
                    {day_time_field(calendar, "cal-opens", "Working day opens", |c| c.opens, |c, t| c.opens = t)}
                    {day_time_field(calendar, "cal-closes", "Working day closes", |c| c.closes, |c, t| c.closes = t)}
                </div>
                <fieldset class="form-section days">
                    <legend>"Working days"</legend>
                    {DAY_NAMES.iter().enumerate().map(|(i, day)| {
                        let id = format!("cal-day-{i}");
                        view! {
                            <div class="field-check">
                                <input id=id.clone() type="checkbox"
                                    prop:checked=move || calendar.with(|c| c.working_days[i])
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        calendar.update(|c| c.working_days[i] = on);
                                    }/>
                                <label for=id>{*day}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="form-section holidays">
                    <legend>"Holidays"</legend>
                    <ul class="holiday-list" aria-label="Holidays">
                        {move || calendar.with(|c| c.holidays.clone()).into_iter().map(|d| {
                            let label = super::time::day(d);
                            view! {
                                <li>
                                    <span>{label.clone()}</span>
                                    <button type="button" class="button button-small button-quiet"
                                        aria-label=format!("Remove {label}")
                                        on:click=move |_| calendar.update(|c| c.holidays.retain(|h| *h != d))>"Remove"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <div class="holiday-add">
                        <div class="field">
                            <label for="cal-holiday">"Add a holiday"</label>
                            <input id="cal-holiday" type="date"
                                prop:value=move || holiday.get()
                                on:input=move |ev| holiday.set(event_target_value(&ev))/>
                        </div>
                        <button type="button" class="button" on:click=add_holiday>"Add holiday"</button>
                    </div>
                </fieldset>
                <button type="submit" class="button button-primary" disabled=read_only>"Save calendar"</button>
            </form>
            <super::notices::OutcomeMessage outcome=outcome/>
        </section>
    }
}

/// A time-of-day input bound to one end of the working day.
fn day_time_field(
    calendar: RwSignal<Calendar>,
    id: &'static str,
    label: &'static str,
    get: fn(&Calendar) -> DayTime,
    set: fn(&mut Calendar, DayTime),
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="time"
                prop:value=move || calendar.with(|c| get(c).text())
                on:change=move |ev| {
                    if let Some(t) = DayTime::parse(&event_target_value(&ev)) {
                        calendar.update(|c| set(c, t));
                    }
                }/>
        </div>
    }
}

/// The cases a tried playbook would decide differently, each with what made the difference.
#[component]
pub fn TrialResult(replay: Replay) -> impl IntoView {
    let n = replay.changes.len();
    let summary = match (replay.checked, n) {
        (0, _) => "No case here has a triage decision to compare yet.".to_string(),
        (1, 0) => "The one triaged case would be decided the same.".to_string(),
        (1, _) => "The one triaged case would be decided differently:".to_string(),
        (all, 0) => format!("All {all} triaged cases would be decided the same."),
        (all, n) => format!("{n} of {all} triaged cases would be decided differently:"),
    };
    let unknown = (replay.unknown > 0).then(|| {
        format!(
            "{} decided before their answers were kept (or on questions since changed) could not be compared.",
            match replay.unknown {
                1 => "One case".to_string(),
                n => format!("{n} cases"),
            }
        )
    });
    view! {
        <p role="status">{summary}</p>
        <ul class="trial-list" aria-label="Cases decided differently">
            {replay.changes.into_iter().map(|c| {
                let would = match c.would {
                    Outcome::Decided { level, priority } => format!("{level} ({}), because {}", priority.label(), c.why),
                    Outcome::Asks(question) => format!("the tree would ask “{question}”, which this triage never answered"),
                };
                let route = Route::Case(c.case_id);
                view! {
                    <li>
                        <a href=super::nav::href(&route)>{format!("{} · {}", c.reference, c.subject)}</a>
                        {format!(": {} ({}) → {would}.", c.was.0, c.was.1.label())}
                    </li>
                }
            }).collect_view()}
        </ul>
        {unknown.map(|u| view! { <p class="hint">{u}</p> })}
    }
}
