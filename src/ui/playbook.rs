//! The playbook in force: its levels, targets and priority matrix, and handing it around as a
//! file. An imported playbook is validated first; a broken one changes nothing and the screen
//! says where it is broken.

use leptos::prelude::*;

use crate::core::playbook::{self, Grade, Playbook};

use super::desk::Desk;
use super::files;

fn minutes(m: u32) -> String {
    match m {
        0 => "now".into(),
        m if m % (24 * 60) == 0 => format!("{} d", m / (24 * 60)),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m if m > 60 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{m} min"),
    }
}

#[component]
pub fn PlaybookScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let read_only = Signal::derive(move || desk.read_only.with(Option::is_some));

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
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = files::picked(&ev) else {
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            let result = match files::read_text(file).await {
                Ok(text) => playbook::parse_file(&text).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            outcome.set(Some(match result {
                Ok(p) => {
                    let label = format!("“{}” v{}", p.name, p.version);
                    desk.use_playbook(p)
                        .map(|()| format!("Playbook {label} from {name} is now in use. Cases triaged before keep the playbook they were triaged with."))
                        .map_err(|e| format!("Couldn't keep the playbook: {e}"))
                }
                Err(e) => Err(format!("Nothing changed: {name} was not used. {e}")),
            }));
        });
    };
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
                <button type="button" class="button button-quiet" disabled=read_only on:click=reset>"Go back to the built-in playbook"</button>
            </div>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="message message-ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="message message-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
        {move || desk.playbook.with(levels_table)}
        {move || desk.playbook.with(matrix_table)}
    }
}

fn levels_table(p: &Playbook) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="pb-levels-title">
            <h2 id="pb-levels-title">"Levels"</h2>
            <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Levels with their receivers and targets at P3"</caption>
                    <thead><tr>
                        <th scope="col">"Level"</th>
                        <th scope="col">"Receiver"</th>
                        <th scope="col">"First response"</th>
                        <th scope="col">"Resolution"</th>
                    </tr></thead>
                    <tbody>
                        {p.levels_by_rank().into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{l.name.clone()}</th>
                                <td>{l.receiver.clone()}</td>
                                <td>{minutes(l.response_minutes)}</td>
                                <td>{minutes(l.resolution_minutes)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="hint">"Targets shown at P3; P1 uses "
                {format!("{}%, P2 {}%, P4 {}%", p.priority.target_percent[0], p.priority.target_percent[1], p.priority.target_percent[3])}
                " of them."</p>
        </section>
    }
}

fn matrix_table(p: &Playbook) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="pb-matrix-title">
            <h2 id="pb-matrix-title">"Priority: urgency by impact"</h2>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th scope="col">"Urgency \\ impact"</th>
                        {Grade::ALL.into_iter().map(|g| view! { <th scope="col">{g.label()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {Grade::ALL.into_iter().map(|u| view! {
                            <tr>
                                <th scope="row">{u.label()}</th>
                                {Grade::ALL.into_iter().map(|i| view! { <td>{p.priority.priority(u, i).label()}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
