//! Insights (console): the figures a team lead runs the team on, over a period and with
//! filters, each beside the period before and linked to the cases behind it; a few charts
//! drawn as plain SVG, each with its data as a table; CSV and Markdown downloads.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::case::Channel;
use crate::core::insights::{self, figures, Figures, Filters, Group, Line, Period, Span};
use crate::core::playbook::Priority;

use super::desk::Desk;
use super::files;
use super::nav;
use super::time;

const PRIORITIES: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

/// "Mon 6 Apr 2026 to Sun 19 Apr 2026".
fn period_words(p: &Period, zone: &crate::core::zone::Zone) -> String {
    let first = zone.local(p.from).date();
    let last = zone.local(p.to).date() - chrono::Duration::days(1);
    format!("{} to {}", time::day(first), time::day(last))
}

/// "Week of 2 Nov", the week's first day in the team calendar's zone.
fn week_label(from: chrono::DateTime<chrono::Utc>, zone: &crate::core::zone::Zone) -> String {
    format!("Week of {}", time::day_month(zone.local(from).date()))
}

/// A link to the cases behind a figure (none: no link).
fn cases_link(ids: &[String]) -> impl IntoView {
    let n = ids.len();
    (n > 0).then(|| {
        view! {
            <a href=nav::cases_href(ids) target=nav::target(&crate::core::link::Route::Cases)>
                {format!("{n} case{}", if n == 1 { "" } else { "s" })}
            </a>
        }
    })
}

/// A bar chart that is also its own data table: each row a label, a bar, its count and the
/// cases behind it, under a title and a one-line summary.
fn bars(
    id: &'static str,
    title: String,
    summary: String,
    rows: Vec<(String, usize, Vec<String>)>,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (labelled_by, title_id) = (format!("{id}-title"), format!("{id}-title"));
    view! {
        <figure class="panel chart" aria-labelledby=labelled_by>
            <h3 id=title_id>{title}</h3>
            <p class="hint">{summary}</p>
            <table class="chart-data">
                <thead><tr><th scope="col">"Label"</th><th scope="col"><span class="visually-hidden">"Bar"</span></th><th scope="col">"Count"</th><th scope="col">"Cases"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, v, ids)| {
                        let width = if v == 0 { 0 } else { (v * 100).div_ceil(max).max(1) };
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="bar-cell"><svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="bar" width=width height="10" rx="1"></rect></svg></td>
                                <td>{v}</td>
                                <td>{cases_link(&ids)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

fn groups(list: &[Group]) -> Vec<(String, usize, Vec<String>)> {
    list.iter()
        .map(|g| (g.label.clone(), g.cases.len(), g.cases.clone()))
        .collect()
}

/// A table of counts, each cell shaded by its share of the largest: the recommended x chosen
/// matrix, the breaches by weekday and hour.
struct Heat {
    id: &'static str,
    title: &'static str,
    summary: String,
    corner: &'static str,
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<usize>>,
    /// Marks the diagonal (chosen as recommended).
    diagonal: bool,
}

fn heat(h: Heat) -> impl IntoView {
    let max = h.cells.iter().flatten().copied().max().unwrap_or(0).max(1);
    let (labelled_by, title_id) = (format!("{}-title", h.id), format!("{}-title", h.id));
    let region = format!("{}, scrollable", h.title);
    view! {
        <figure class="panel chart chart-wide" aria-labelledby=labelled_by>
            <h3 id=title_id>{h.title}</h3>
            <p class="hint">{h.summary}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                <table class="matrix">
                    <thead><tr><th scope="col">{h.corner}</th>
                        {h.columns.into_iter().map(|n| view! { <th scope="col">{n}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {h.cells.iter().zip(h.rows).enumerate().map(|(r, (row, name))| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                {row.iter().enumerate().map(|(c, n)| {
                                    // Five steps of shade (a class each: the page's policy allows no inline style).
                                    let shade = if *n == 0 { 0 } else { (*n * 5).div_ceil(max).clamp(1, 5) };
                                    view! { <td class=format!("shade-{shade}") class:diagonal=h.diagonal && r == c>{*n}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

fn matrix(f: &Figures) -> impl IntoView {
    let names: Vec<String> = f.levels.iter().map(|l| l.name.clone()).collect();
    heat(Heat {
        id: "matrix",
        title: "Recommended level × chosen level",
        summary: format!(
            "{} of {} triage decisions chose another level than recommended.",
            f.overridden, f.decisions
        ),
        corner: "Recommended ↓ / chosen →",
        rows: names.clone(),
        columns: names,
        cells: f.matrix.clone(),
        diagonal: true,
    })
}

fn breach_hours(f: &Figures) -> impl IntoView {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let total: usize = f.heat.iter().flatten().sum();
    let busiest = f
        .heat
        .iter()
        .enumerate()
        .flat_map(|(d, row)| row.iter().enumerate().map(move |(h, n)| (*n, d, h)))
        .max()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, d, h)| format!(" Most: {} {h:02}:00-{:02}:00 ({n}).", DAYS[d], h + 1))
        .unwrap_or_default();
    heat(Heat {
        id: "breach-hours",
        title: "Deadlines missed by weekday and hour",
        summary: format!("{total} deadlines fell due unmet, by the hour they fell due (team calendar's time zone).{busiest}"),
        corner: "Day ↓ / hour →",
        rows: DAYS.map(String::from).to_vec(),
        columns: (0..24).map(|h| format!("{h:02}")).collect(),
        cells: f.heat.clone(),
        diagonal: false,
    })
}

/// A headline figure: its value, the period before, and the cases behind it.
fn tile(line: Option<&Line>) -> impl IntoView {
    line.map(|l| {
        tile_of(
            l.name.clone(),
            l.value.clone(),
            format!("Before: {}", l.previous),
            &l.cases,
        )
    })
}

fn tile_of(name: String, value: String, below: String, cases: &[String]) -> impl IntoView {
    view! {
        <div class="tile">
            <p class="tile-name">{name}</p>
            <p class="tile-value">{value}</p>
            <p class="hint">{below} " " {cases_link(cases)}</p>
        </div>
    }
}

/// A duration's median as the headline, its 90th percentile and the period before below it.
fn time_tile(
    name: &str,
    now: &insights::Spread,
    before: &insights::Spread,
    cases: &[String],
) -> impl IntoView {
    let words = |s: &insights::Spread| {
        s.median
            .map_or_else(|| "–".to_string(), crate::core::clock::span_words)
    };
    let p90 = now
        .p90
        .map_or_else(|| "–".to_string(), crate::core::clock::span_words);
    tile_of(
        format!("{name}, median"),
        words(now),
        format!("90th percentile {p90}. Before: {}.", words(before)),
        cases,
    )
}

/// A labelled dropdown; the first option is chosen to begin with. One shape for every choice
/// on the screen (each distinct view shape costs download).
fn choice(
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: String,
    on: Callback<String>,
) -> AnyView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| on.run(event_target_value(&ev))>
                {options.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// A labelled input whose value is taken when it changes.
fn entry(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    on: Callback<String>,
) -> AnyView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete="off" value=value on:change=move |ev| on.run(event_target_value(&ev))/>
        </div>
    }
    .into_any()
}

#[component]
pub fn InsightsScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    // The choices come from the address (a reload, a deep link, "Back" from the cases behind
    // a figure) and are written back to it, without a new history entry, as they change.
    let hash = nav::nav().map(|n| n.hash_untracked()).unwrap_or_default();
    let (span0, filters0) = insights::from_query(hash.split_once('?').map_or("", |(_, q)| q));
    let (from0, to0) = match span0 {
        Span::Days(a, b) => (time::iso_day(a), time::iso_day(b)),
        _ => (String::new(), String::new()),
    };
    let span = RwSignal::new(span0);
    let custom_from = RwSignal::new(from0.clone());
    let custom_to = RwSignal::new(to0.clone());
    let filters = RwSignal::new(filters0.clone());
    Effect::new(move |_| {
        let query = filters.with(|f| insights::to_query(span.get(), f));
        let url = if query.is_empty() {
            "#/insights".to_string()
        } else {
            format!("#/insights?{query}")
        };
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
    // Tickets the team handled in the period, as the lead enters them (for escalations
    // relative to all tickets: the app sees only its cases). Kept per period, so the figure
    // is there again next time the same period is shown.
    let tickets_typed = RwSignal::new(0u32);
    let more = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<String, String>>);

    let zone = move || desk.playbook.with(|p| crate::core::triage::hours(p).zone());
    let period = Memo::new(move |_| {
        let zone = zone();
        let today = zone.local(desk.now.get()).date();
        span.get().period(today, &zone)
    });
    let tickets_box = Memo::new(move |_| {
        period.with(|p| format!("tickets-{}-{}", p.from.timestamp(), p.to.timestamp()))
    });
    // Read from storage once per period or entry, not by each reader.
    let tickets_text = Memo::new(move |_| {
        tickets_typed.track();
        desk.note("insights", &tickets_box.get())
    });
    let tickets = Memo::new(move |_| {
        tickets_text.with(|t| t.trim().parse::<usize>().ok().filter(|n| *n > 0))
    });
    // Worked out again when the cases, the period or a filter change, not on every tick; a
    // new result always counts as changed (comparing two would cost as much as drawing it).
    let computed = Memo::new_with_compare(
        move |_| {
            let (period, filters) = (period.get(), filters.get());
            let now = desk.now.get_untracked();
            desk.playbook.with(|p| {
                desk.rows.with(|rows| {
                    let cases = || rows.iter().map(|r| &r.case);
                    let f = figures(cases(), p, &period, &filters, now);
                    let before = figures(cases(), p, &period.previous(), &filters, now);
                    let lines = insights::lines(&f, &before, tickets.get());
                    (f, before, lines)
                })
            })
        },
        |_, _| true,
    );
    // The report's title says the period and every filter in force.
    let title = move || {
        let mut t = format!("Escalations, {}", period_words(&period.get(), &zone()));
        filters.with(|f| {
            let level = f.level.as_ref().map(|id| {
                desk.playbook
                    .with(|p| p.level(id).map_or(id.clone(), |l| l.name.clone()))
            });
            for (what, value) in [
                ("level", level),
                ("priority", f.priority.map(|p| p.label().to_string())),
                ("channel", f.channel.map(|c| c.label().to_string())),
                (
                    "owner",
                    Some(f.owner.trim().to_string()).filter(|s| !s.is_empty()),
                ),
                (
                    "product or area",
                    Some(f.product.trim().to_string()).filter(|s| !s.is_empty()),
                ),
            ] {
                if let Some(v) = value {
                    t.push_str(&format!(", {what}: {v}"));
                }
            }
        });
        t
    };

    let download = move |csv: bool| {
        let lines = computed.with_untracked(|(_, _, l)| l.clone());
        let (first, last) = period.with_untracked(|p| {
            let zone = zone();
            (
                zone.local(p.from).date(),
                zone.local(p.to).date() - chrono::Duration::days(1),
            )
        });
        let day = format!("{}-to-{}", time::iso_day(first), time::iso_day(last));
        let (name, mime, text) = if csv {
            (
                format!("escalation-insights-{day}.csv"),
                "text/csv",
                insights::csv(&lines),
            )
        } else {
            (
                format!("escalation-insights-{day}.md"),
                "text/markdown",
                insights::markdown(&lines, &title()),
            )
        };
        message.set(Some(
            files::download(&name, mime, &text).map(|()| format!("Downloaded {name}.")),
        ));
    };
    // Both days given: the period is theirs, and the Period choice says so.
    let set_custom = move || {
        if let (Some(a), Some(b)) = (
            time::parse_day(&custom_from.get_untracked()),
            time::parse_day(&custom_to.get_untracked()),
        ) {
            span.set(Span::Days(a, b));
            if let Some(select) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("insights-period"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                select.set_value("custom");
            }
        }
    };
    let levels = move || {
        desk.playbook.with(|p| {
            p.levels_by_rank()
                .into_iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div class="screen-head">
            <h1>"Insights"</h1>
        </div>
        <form class="filters" aria-label="Which cases count" on:submit=|ev| ev.prevent_default()>
            {choice("insights-period", "Period", vec![
                ("four".into(), "Last 4 weeks".into()),
                ("week".into(), "This week".into()),
                ("quarter".into(), "This quarter".into()),
                ("custom".into(), "Custom dates".into()),
            ], match span0 {
                Span::ThisWeek => "week",
                Span::ThisQuarter => "quarter",
                Span::Days(..) => "custom",
                Span::LastFourWeeks => "four",
            }.to_string(), Callback::new(move |v: String| match v.as_str() {
                "week" => span.set(Span::ThisWeek),
                "quarter" => span.set(Span::ThisQuarter),
                "custom" => set_custom(),
                _ => span.set(Span::LastFourWeeks),
            }))}
            {entry("insights-from", "First day", "date", from0, Callback::new(move |v| { custom_from.set(v); set_custom(); }))}
            {entry("insights-to", "Last day", "date", to0, Callback::new(move |v| { custom_to.set(v); set_custom(); }))}
            // On a narrow screen the filters fold away behind this button (as on the case
            // list), so the figures start in the first screen.
            <button type="button" class="button filters-toggle"
                aria-controls="insights-more"
                aria-expanded=move || more.get().to_string()
                on:click=move |_| more.update(|m| *m = !*m)>
                {move || if filters.with(|f| *f == Filters::default()) { "Filters".to_string() } else { "Filters (on)".to_string() }}
            </button>
            <div id="insights-more" class="filters-more" class:filters-open=move || more.get()>
            {move || {
                let mut options = vec![(String::new(), "Any level".to_string())];
                options.extend(levels());
                let selected = filters.with_untracked(|f| f.level.clone().unwrap_or_default());
                choice("insights-level", "Level", options, selected, Callback::new(move |v: String| filters.update(|f| f.level = (!v.is_empty()).then_some(v))))
            }}
            {choice("insights-priority", "Priority",
                std::iter::once((String::new(), "Any priority".to_string())).chain(PRIORITIES.map(|p| (p.label().to_string(), p.label().to_string()))).collect(),
                filters0.priority.map(|p| p.label().to_string()).unwrap_or_default(),
                Callback::new(move |v: String| filters.update(|f| f.priority = PRIORITIES.into_iter().find(|p| p.label() == v))))}
            {choice("insights-channel", "Channel",
                std::iter::once((String::new(), "Any channel".to_string())).chain(Channel::ALL.map(|c| (c.key().to_string(), c.label().to_string()))).collect(),
                filters0.channel.map(|c| c.key().to_string()).unwrap_or_default(),
                Callback::new(move |v: String| filters.update(|f| f.channel = Channel::from_key(&v))))}
            {entry("insights-owner", "Owner", "text", filters0.owner.clone(), Callback::new(move |v| filters.update(|f| f.owner = v)))}
            {entry("insights-product", "Product or area", "text", filters0.product.clone(), Callback::new(move |v| filters.update(|f| f.product = v)))}
            {super::fields::line("insights-tickets".into(), "Tickets the team handled (optional)".into(), "number", tickets_text.into(), None, Callback::new(move |v: String| {
                desk.keep_note("insights", &tickets_box.get_untracked(), &v);
                tickets_typed.update(|n| *n += 1);
            }))}
            </div>
        </form>
        <p class="lede" role="status">{move || {
            let n = computed.with(|(f, _, _)| f.opened.len());
            let days = (period.get().to - period.get().from).num_days();
            let filtered = filters.with(|f| *f != Filters::default());
            format!(
                "{}: {n} case{} opened{}. {}",
                period_words(&period.get(), &zone()),
                if n == 1 { "" } else { "s" },
                if filtered { " (filtered)" } else { "" },
                if n == 0 {
                    "Nothing to show for this period: choose another, or loosen the filters.".to_string()
                } else {
                    format!("Each figure beside the {} before.", if days == 1 { "day".to_string() } else { format!("{days} days") })
                }
            )
        }}</p>
        <div class="panel-actions">
            <button type="button" class="button" on:click=move |_| download(true)>"Download CSV"</button>
            <button type="button" class="button" on:click=move |_| download(false)>"Download report (Markdown)"</button>
        </div>
        <super::notices::OutcomeMessage outcome=message/>
        {move || computed.with(|(f, before, lines)| {
            let find = |name: &str| lines.iter().find(|l| l.name == name);
            let zone = zone();
            let weeks_esc: Vec<(String, usize, Vec<String>)> = f.weeks.iter().map(|w| (week_label(w.from, &zone), w.escalated.len(), w.escalated.clone())).collect();
            let weeks_breach: Vec<(String, usize, Vec<String>)> = f.weeks.iter().zip(&weeks_esc).map(|(w, (label, _, _))| (label.clone(), w.breaches, Vec::new())).collect();
            let per_level: Vec<(String, usize, Vec<String>)> = f.levels.iter().filter(|l| l.rank > 0).map(|l| (l.name.clone(), l.escalated.len(), l.escalated.clone())).collect();
            let top = f.triggers.first().map(|g| format!("Most ticked: “{}” ({} case{}).", g.label, g.cases.len(), if g.cases.len() == 1 { "" } else { "s" })).unwrap_or_else(|| "No triage decisions in this period.".into());
            let esc_total: usize = weeks_esc.iter().map(|w| w.1).sum();
            let breach_total: usize = weeks_breach.iter().map(|w| w.1).sum();
            view! {
                <section aria-labelledby="headline-title">
                    <h2 id="headline-title">"At a glance"</h2>
                    <div class="tiles">
                        {tile(find("Cases opened"))}
                        {tile(find("Escalated above tier 1"))}
                        {tile(find("Escalation rate (escalated / triaged)"))}
                        {tile(find("Recommendation overridden"))}
                        {tile(find("Cases with a deadline missed"))}
                        {time_tile("Time to escalate (working time)", &f.to_escalate.working, &before.to_escalate.working, &f.escalated)}
                        {tile(find("Customer satisfaction (average)"))}
                    </div>
                </section>
                <section aria-labelledby="charts-title">
                    <h2 id="charts-title">"Trends and patterns"</h2>
                    <div class="charts">
                        {bars("weekly-escalations", "Escalations per week".into(), format!("{esc_total} escalations over {} weeks.", weeks_esc.len()), weeks_esc)}
                        {bars("weekly-breaches", "Deadlines breached per week".into(), format!("{breach_total} deadlines fell due unmet."), weeks_breach)}
                        {bars("per-level", "Escalations per level".into(), format!("{} cases escalated above tier 1.", f.escalated.len()), per_level)}
                        {bars("top-triggers", "Top triggers".into(), top, groups(&f.triggers))}
                        {bars("root-causes", "Root causes".into(), match f.root_causes.first() {
                            Some(g) => format!("From the close-outs of cases closed so far; most often “{}” ({}).", g.label, g.cases.len()),
                            None => "No case opened in this period was closed with a root cause yet.".into(),
                        }, groups(&f.root_causes))}
                        {bars("satisfaction", "Customer satisfaction".into(), format!("Scores given at close-out: {}.", crate::core::insights::satisfaction_text(&f.satisfaction)),
                            f.satisfaction.iter().enumerate().map(|(i, ids)| (format!("{} of 5", i + 1), ids.len(), ids.clone())).collect())}
                        {matrix(f)}
                        {breach_hours(f)}
                    </div>
                </section>
                <section class="panel" aria-labelledby="all-title">
                    <h2 id="all-title">"Every figure"</h2>
                    <p class="hint">"Definitions: README, “Metric definitions”. Durations are medians and 90th percentiles, never averages."</p>
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Every figure, scrollable">
                        <table class="figures">
                            <thead><tr><th scope="col">"Figure"</th><th scope="col">"This period"</th><th scope="col">"Before"</th><th scope="col">"Cases"</th></tr></thead>
                            <tbody>
                                {lines.iter().map(|l| view! {
                                    <tr><th scope="row"><span class="hint">{l.section}" · "</span>{l.name.clone()}</th><td>{l.value.clone()}</td><td>{l.previous.clone()}</td><td>{cases_link(&l.cases)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
            .into_any()
        })}
    }
}
