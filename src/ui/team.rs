//! Team mode in the page: when it is on, the team worker (`team-worker.js`, a wasm of its own
//! that holds the shared document and the connection) is started in both pages; every case
//! this page saves goes to it, and what other agents changed comes back into the store. The
//! header's status line, the banner for a part another agent overwrote, and the Team screen
//! (console): turn team mode on, join with a link or the two values, leave.

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::case::{Case, Entry, Event};
use crate::core::json::{self, FromJson, Object, ToJson};
use crate::core::playbook::{export_file, parse_file, Playbook};
use crate::core::removed::{bursts, RemovedBy};
use crate::core::team::{self, from_base64, to_base64, Settings};

use super::desk::{Desk, Written, NAMESPACE};
use super::nav;
use super::time;

/// What the worker last said about the connection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// connecting, connected, offline, refused, no-team
    pub state: String,
    pub unsent: u64,
    /// Offline since (ms since the epoch).
    pub since: Option<f64>,
    pub detail: String,
    /// The team's name, once the document holds it.
    pub team: Option<String>,
}

/// A part of a case another agent's change replaced while this agent had changed it too.
#[derive(Clone, Debug, PartialEq)]
pub struct Overwrite {
    pub case: String,
    pub reference: String,
    pub part: String,
    pub mine: String,
    pub theirs: String,
}

#[derive(Clone, Copy)]
pub struct TeamLink {
    /// `None`: team mode is off on this device.
    pub status: RwSignal<Option<Status>>,
    pub overwritten: RwSignal<Vec<Overwrite>>,
    /// Changes from the team this desk refused (checked like an import), in words; all shown.
    pub refused: RwSignal<Vec<String>>,
    worker: StoredValue<Option<web_sys::Worker>, LocalStorage>,
    /// The playbook last received from the team, so taking it in isn't sent back.
    received: StoredValue<Option<Playbook>, LocalStorage>,
    /// While this tab holds the connection for the browser: lets the lock go.
    release: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// Counts (re)starts, so a lock granted for an earlier one is let go at once.
    generation: StoredValue<u32, LocalStorage>,
    /// The tabs of this browser: the one holding the connection tells the others its status.
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
}

/// The Web Lock held by the one tab of this browser that runs team mode's worker, and the
/// channel it tells the other tabs the connection's status on.
const LEADER: &str = "escalation-desk-team";

/// Asks for the lock `name`; `granted` runs when this tab gets it and returns the promise
/// whose end lets it go. `false` when the browser has no Web Locks (then each tab connects).
fn request_lock(name: &str, granted: impl FnOnce() -> js_sys::Promise + 'static) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let Ok(locks) = js_sys::Reflect::get(&navigator, &"locks".into()) else {
        return false;
    };
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request.filter(|_| locks.is_object()) else {
        return false;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue { granted().into() });
    request
        .call2(&locks, &JsValue::from_str(name), &callback)
        .is_ok()
}

/// A status message's `status` object as the header shows it.
fn status_of(s: &Value) -> Status {
    let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Status {
        state: text("state"),
        unsent: s.get("unsent").and_then(Value::as_u64).unwrap_or(0),
        since: s.get("since").and_then(Value::as_f64),
        detail: text("detail"),
        team: s.get("team").and_then(Value::as_str).map(str::to_string),
    }
}

fn post(worker: &web_sys::Worker, message: &str) {
    let _ = worker.post_message(&JsValue::from_str(message));
}

/// A case as JSON text, spliced into messages as it is.
fn case_json(case: &Case) -> Option<String> {
    Some(json::to_string(case))
}

/// `{"key": value}`: a message to the worker.
fn message<T: ToJson + ?Sized>(key: &str, value: &T) -> String {
    let mut out = String::new();
    Object::new(&mut out).field(key, value).end();
    out
}

impl TeamLink {
    /// Starts team mode's worker when it is on, and again whenever it is turned on, joined or
    /// left in any tab. Only the app's own storage shares: not an embedded panel's, nor the
    /// practice sandbox's.
    pub fn start(desk: Desk) -> TeamLink {
        let link = TeamLink {
            status: RwSignal::new(None),
            overwritten: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
            worker: StoredValue::new_local(None),
            received: StoredValue::new_local(None),
            release: StoredValue::new_local(None),
            generation: StoredValue::new_local(0),
            channel: StoredValue::new_local(None),
        };
        if desk.namespace() != NAMESPACE {
            return link;
        }
        // The overwritten fields not answered yet, kept across a reload.
        link.overwritten
            .set(read_overwritten(&desk.note("team", "overwritten")));
        Effect::new(move |first: Option<()>| {
            let list = link.overwritten.get();
            if first.is_some() {
                desk.keep_note("team", "overwritten", &write_overwritten(&list));
            }
        });
        // (Re)start once every case is read, and whenever team mode changes.
        Effect::new(move |_| {
            desk.team_changed.track();
            if desk.loading.with(Option::is_some) {
                return;
            }
            untrack(|| link.restart(desk));
        });
        // Every case this page saves or deletes, one by one.
        desk.watch(move |written| {
            link.worker.with_value(|w| {
                let Some(w) = w else { return };
                match written {
                    Written::Saved(case) => {
                        if let Some(json) = case_json(case) {
                            post(w, &format!("{{\"put\":{json}}}"));
                        }
                    }
                    Written::Deleted(id) => post(w, &message("delete", id)),
                }
            });
        });
        // A playbook published here (not one taken from the team).
        Effect::new(move |first: Option<()>| {
            let p = desk.playbook.get();
            if first.is_none() || link.received.with_value(|r| r.as_ref() == Some(&p)) {
                return;
            }
            link.worker.with_value(|w| {
                if let Some(w) = w {
                    post(w, &message("playbook", &export_file(&p)));
                }
            });
        });
        // Closing the tab with changes not yet on the server says so (they are kept and sent
        // next time, but the agent may expect the team to have them now).
        let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if link
                .status
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.unsent > 0))
            {
                ev.prevent_default();
                ev.set_return_value("Some changes have not reached your team yet.");
            }
        });
        on_cleanup(move || unload.remove());
        link
    }

    fn stop(&self) {
        self.worker.update_value(|w| {
            if let Some(w) = w.take() {
                w.terminate();
            }
        });
        self.release.update_value(|r| {
            if let Some(r) = r.take() {
                let _ = r.call0(&JsValue::NULL);
            }
        });
        self.generation.update_value(|g| *g += 1);
        self.status.set(None);
    }

    /// Team mode for this browser: one tab (the holder of the [`LEADER`] lock) runs the worker
    /// and the connection, and sends what every tab saves (they read it from storage); the
    /// others show its status. When it closes, the next tab takes over, starting from the
    /// stored cases, so nothing a closed tab saved waits for a reload.
    fn restart(self, desk: Desk) {
        self.stop();
        let Some(settings) = desk.team() else {
            return;
        };
        self.status.set(Some(Status {
            state: "connecting".into(),
            ..Status::default()
        }));
        self.listen();
        let generation = self.generation.get_value();
        let link = self;
        let granted = move || {
            let mut resolve = None;
            let held = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
            if link.generation.get_value() == generation && desk.team().is_some() {
                link.release.set_value(resolve);
                link.spawn(desk, settings);
            } else if let Some(r) = resolve {
                let _ = r.call0(&JsValue::NULL);
            }
            held
        };
        if !request_lock(LEADER, granted) {
            if let Some(settings) = desk.team() {
                self.spawn(desk, settings);
            }
        }
    }

    /// Hears the tab that holds the connection (its status), and answers another tab's
    /// question when this one holds it.
    fn listen(self) {
        if self.channel.with_value(Option::is_some) {
            self.ask();
            return;
        }
        let Ok(channel) = web_sys::BroadcastChannel::new(LEADER) else {
            return;
        };
        let link = self;
        let onmessage =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(v) = e
                    .data()
                    .as_string()
                    .and_then(|t| crate::core::json::parse_value(&t).ok())
                else {
                    return;
                };
                let leading = link.worker.with_value(Option::is_some);
                if leading && v.get("ask").is_some() {
                    link.tell_tabs();
                } else if let Some(s) = v.get("status").filter(|_| !leading) {
                    if link.status.with_untracked(Option::is_some) {
                        link.status.set(Some(status_of(s)));
                    }
                }
            });
        channel.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        self.channel.set_value(Some(channel));
        self.ask();
    }

    fn ask(self) {
        self.channel.with_value(|c| {
            if let Some(c) = c {
                let _ = c.post_message(&JsValue::from_str("{\"ask\":true}"));
            }
        });
    }

    /// This tab's status, for the other tabs (it holds the connection).
    fn tell_tabs(self) {
        let Some(s) = self.status.get_untracked() else {
            return;
        };
        // Written by our own writer: serde_json's would add its serializer to the download.
        let mut status = String::new();
        Object::new(&mut status)
            .field("state", &s.state)
            .field("unsent", &s.unsent)
            .field("since", &s.since.map(|ms| ms as u64))
            .field("detail", &s.detail)
            .field("team", &s.team)
            .end();
        let message = format!("{{\"status\":{status}}}");
        self.channel.with_value(|c| {
            if let Some(c) = c {
                let _ = c.post_message(&JsValue::from_str(&message));
            }
        });
    }

    /// Starts the worker in this tab.
    fn spawn(self, desk: Desk, settings: Settings) {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = match web_sys::Worker::new_with_options("team-worker.js", &options) {
            Ok(w) => w,
            Err(_) => {
                self.status.set(Some(Status {
                    state: "refused".into(),
                    detail:
                        "this browser would not start team mode's worker; cases stay on this device"
                            .into(),
                    ..Status::default()
                }));
                return;
            }
        };
        let link = self;
        let onmessage =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let Some(v) = e
                    .data()
                    .as_string()
                    .and_then(|t| crate::core::json::parse_value(&t).ok())
                else {
                    return;
                };
                link.heard(desk, &settings, &v);
            });
        // A worker that fails to load (an old cached page, a blocked script) says so.
        let onerror = Closure::<dyn FnMut()>::new(move || {
            link.status.set(Some(Status {
                state: "refused".into(),
                detail: "team mode's worker could not load; reload the page".into(),
                ..Status::default()
            }));
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        onmessage.forget();
        onerror.forget();
        self.worker.set_value(Some(worker));
    }

    fn heard(self, desk: Desk, settings: &Settings, v: &Value) {
        if v.get("ready").is_some() {
            let cases: Vec<String> = desk.all_cases().iter().filter_map(case_json).collect();
            let mut start = String::new();
            Object::new(&mut start)
                .field("server", &settings.server)
                .field("key", &settings.key)
                // A fresh id for the document on every start: the saved state may lag what
                // was sent before a reload, and Yjs never lets an id write again from an
                // older state. The device's own number marks its values.
                .field("client", &new_client())
                .field("writer", &settings.client)
                .field("agent", &settings.agent)
                .field("found", &settings.founder.then_some(&settings.name))
                .field("state", &desk.team_state().map(|s| to_base64(&s)))
                .field("unsent", &desk.team_unsent())
                .field(
                    "playbook",
                    &settings
                        .founder
                        .then(|| export_file(&desk.playbook.get_untracked())),
                )
                .end();
            let message = format!("{{\"start\":{start},\"cases\":[{}]}}", cases.join(","));
            self.worker.with_value(|w| {
                if let Some(w) = w {
                    post(w, &message);
                }
            });
        } else if let Some(s) = v.get("status") {
            let status = status_of(s);
            // Kept, so that a reload before they go (offline) still counts them and still
            // asks before the tab closes.
            if self.status.with_untracked(|s| s.as_ref().map(|s| s.unsent)) != Some(status.unsent) {
                let _ = desk.keep_team_unsent(status.unsent);
            }
            self.status.set(Some(status));
            self.tell_tabs();
        } else if let Some(cases) = v.get("cases").and_then(Value::as_array) {
            for c in cases.iter().filter_map(|c| Case::from_json(c).ok()) {
                desk.take_shared(c);
            }
            for o in v
                .get("overwritten")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.overwritten_part(desk, o);
            }
        } else if let Some(ids) = v.get("deleted").and_then(Value::as_array) {
            let many = ids.len() > 1;
            for r in ids {
                let (id, by) = match r {
                    Value::String(id) => (Some(id.as_str()), RemovedBy::Unnamed),
                    r => (
                        r.get("id").and_then(Value::as_str),
                        RemovedBy::of(r.get("by").and_then(Value::as_str)),
                    ),
                };
                if let Some(id) = id {
                    desk.take_deleted(id, by);
                }
            }
            // Many at once: one line, not one toast per case (the burst's banner says more).
            if many {
                desk.say(format!(
                    "{} cases were deleted from the team; they are kept under “Removed by the team”",
                    ids.len()
                ));
            }
        } else if let Some(file) = v.get("playbook").and_then(Value::as_str) {
            if let Ok(p) = parse_file(file) {
                if p != desk.playbook.get_untracked() {
                    self.received.set_value(Some(p.clone()));
                    let _ = desk.use_playbook(p);
                }
            }
        } else if let Some(state) = v.get("state").and_then(Value::as_str).and_then(from_base64) {
            if let Err(e) = desk.keep_team_state(&state) {
                desk.say(format!("Team mode's copy of the team's document is not kept on this device ({e}); your cases come first and are all kept. Next time the app starts it loads the team's cases from the server."));
            }
        } else if let Some(list) = v.get("refused").and_then(Value::as_array) {
            self.refused.update(|shown| {
                for text in list.iter().filter_map(Value::as_str) {
                    let text = format!("{}.", crate::core::letter_case::upper_first(text));
                    if !shown.contains(&text) {
                        shown.push(text);
                    }
                }
                // The newest twenty: enough to see what is happening, never a wall.
                let over = shown.len().saturating_sub(20);
                shown.drain(..over);
            });
        } else if let Some(e) = v.get("error").and_then(Value::as_str) {
            desk.say(format!("Team mode: {e}."));
        }
    }

    /// Records the overwrite on the case's timeline (both values, so nothing is lost without a
    /// trace) and puts it in the banner.
    fn overwritten_part(self, desk: Desk, o: &Value) {
        let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let (id, part, mine, theirs) = (text("case"), text("part"), text("mine"), text("theirs"));
        let Some(case) = desk.case(&id) else {
            return;
        };
        // Said the same on every desk (it is shared), and dated by the case, so two tabs that
        // both saw it record it once.
        let entry = Entry {
            at: case.updated_at,
            event: Event::ConflictResolved {
                kept: format!(
                    "the {} {} over {}, both set by two agents while apart",
                    part_name(&part),
                    shown(&theirs),
                    shown(&mine)
                ),
            },
        };
        if !case.timeline.contains(&entry) {
            let mut traced = case.clone();
            traced.timeline.push(entry);
            desk.save(traced, "");
        }
        self.overwritten.update(|list| {
            list.retain(|x| !(x.case == id && x.part == part));
            list.push(Overwrite {
                case: id,
                reference: case.reference,
                part,
                mine,
                theirs,
            });
        });
    }

    /// Takes this agent's value back for an overwritten part (a new change, sent to all).
    fn take_mine(self, desk: Desk, o: &Overwrite) {
        if let Some(case) = desk.case(&o.case) {
            match team::with_part(&case, &o.part, &o.mine) {
                Some(mut mine) => {
                    let now = chrono::Utc::now();
                    mine.timeline.push(Entry {
                        at: now,
                        event: Event::ConflictResolved {
                            kept: format!(
                                "the {} {} after all, chosen over {}",
                                part_name(&o.part),
                                shown(&o.mine),
                                shown(&o.theirs)
                            ),
                        },
                    });
                    mine.updated_at = now;
                    desk.save(
                        mine,
                        &format!("Your {} is back on {}", part_name(&o.part), o.reference),
                    )
                }
                None => desk.say("That value no longer fits the case; change it on the case."),
            }
        }
        self.settle(o);
    }

    fn settle(self, o: &Overwrite) {
        self.overwritten
            .update(|l| l.retain(|x| !(x.case == o.case && x.part == o.part)));
    }
}

// Its keys in the order notes kept before were written in (alphabetical).
json::write_fields!(Overwrite {
    case,
    mine,
    part,
    reference,
    theirs
});

fn write_overwritten(list: &[Overwrite]) -> String {
    if list.is_empty() {
        return String::new();
    }
    json::to_string(list)
}

fn read_overwritten(text: &str) -> Vec<Overwrite> {
    let Ok(Value::Array(items)) = crate::core::json::parse_value(text) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|o| {
            let text = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
            Some(Overwrite {
                case: text("case")?,
                reference: text("reference")?,
                part: text("part")?,
                mine: text("mine")?,
                theirs: text("theirs")?,
            })
        })
        .collect()
}

/// A part's name in words: `details.subject` -> "subject".
fn part_name(part: &str) -> String {
    part.trim_start_matches("details.").replace('_', " ")
}

/// A value as the banner shows it: text without its quotes, anything else as it is.
fn shown(json: &str) -> String {
    match crate::core::json::parse_value(json) {
        Ok(Value::String(s)) => format!("“{s}”"),
        Ok(Value::Null) => "empty".into(),
        _ => json.chars().take(200).collect(),
    }
}

/// The status in words: connected, syncing, offline since, refused.
fn status_words(s: &Status) -> String {
    let unsent = match s.unsent {
        0 => String::new(),
        1 => ", 1 change to send".into(),
        n => format!(", {n} changes to send"),
    };
    match s.state.as_str() {
        "connected" if s.unsent > 0 => format!(
            "Team: syncing {} change{}",
            s.unsent,
            if s.unsent == 1 { "" } else { "s" }
        ),
        "connected" => "Team: connected".into(),
        "offline" => match s.since {
            Some(ms) => {
                let at = chrono::DateTime::from_timestamp_millis(ms as i64).unwrap_or_default();
                let local = time::local(at);
                let hm = local.rsplit(", ").next().unwrap_or(&local);
                format!("Team: offline since {hm}{unsent}")
            }
            None => format!("Team: offline{unsent}"),
        },
        "no-team" => "Team: no team on this server has that key; check the join link".into(),
        "unreachable" => format!("Team: can't reach the team server, trying again{unsent}"),
        "refused" => format!("Team: not connected ({})", s.detail),
        _ => format!("Team: connecting{unsent}"),
    }
}

/// The header's line: team mode's state in words, a link to the Team screen; nothing when
/// team mode is off.
#[component]
pub fn StatusLine() -> impl IntoView {
    let link = expect_context::<TeamLink>();
    move || {
        link.status.get().map(|s| {
            let trouble = matches!(s.state.as_str(), "no-team" | "refused" | "unreachable");
            view! {
                <a class="team-status" class:team-trouble=trouble href=nav::href(&crate::core::link::Route::Team)
                    target=nav::target(&crate::core::link::Route::Team)>{status_words(&s)}</a>
            }
        })
    }
}

/// A button of a team banner: its label, whether it is the main one, what it does.
type Action = (String, bool, Box<dyn Fn()>);

/// One banner of team mode (overwritten, refused, removed): its words, a list, a hint, its
/// buttons. One shape for all three, drawn by one function.
fn banner(
    class: &'static str,
    text: String,
    items: Vec<String>,
    hint: Option<&'static str>,
    actions: Vec<Action>,
) -> AnyView {
    view! {
        <div class=format!("banner {class}") role="alert">
            <p>{text}</p>
            {(!items.is_empty()).then(|| view! { <ul>{items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> })}
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <div class="banner-actions">
                {actions.into_iter().map(|(label, main, act)| view! {
                    <button type="button" class="button" class:button-primary=main on:click=move |_| act()>{label}</button>
                }).collect_view()}
            </div>
        </div>
    }
    .into_any()
}

/// Team mode's banners: each part another agent overwrote (both values, "Use mine"), the
/// changes from the team this desk refused (every one, until dismissed), and many cases
/// removed at once from one source (more than five within a minute: "Restore all").
#[component]
pub fn TeamBanners() -> impl IntoView {
    let link = expect_context::<TeamLink>();
    let desk = expect_context::<Desk>();
    // The end of the last burst answered ("Keep them deleted" or restored), kept across reloads.
    let seen = RwSignal::new(desk.note("team", "bursts-seen"));
    let overwritten = move || {
        link.overwritten
            .get()
            .into_iter()
            .map(move |o| {
                let (mine, keep) = (o.clone(), o.clone());
                banner(
                    "banner-warning",
                    format!(
                        "While you were apart, another agent changed the {} of {} too. Theirs is kept: {}. Yours was: {}.",
                        part_name(&o.part),
                        o.reference,
                        shown(&o.theirs),
                        shown(&o.mine)
                    ),
                    Vec::new(),
                    None,
                    vec![
                        ("Use mine".into(), false, Box::new(move || link.take_mine(desk, &mine))),
                        ("Keep theirs".into(), false, Box::new(move || link.settle(&keep))),
                    ],
                )
            })
            .collect_view()
    };
    let refused = move || {
        let list = link.refused.get();
        (!list.is_empty()).then(|| {
            let text = if list.len() == 1 {
                "A change from your team was refused here:".to_string()
            } else {
                format!("{} changes from your team were refused here:", list.len())
            };
            banner(
                "banner-warning",
                text,
                list,
                Some("Nothing of yours was replaced. Ask whoever sent it to check their app, or the case on their desk."),
                vec![("Dismiss".into(), false, Box::new(move || link.refused.set(Vec::new())))],
            )
        })
    };
    let removed = move || {
        let after = seen.get();
        let raised: Vec<_> = desk.removed.with(|list| {
            bursts(list)
                .into_iter()
                .filter(|b| time::iso(b.to) > after)
                .collect()
        });
        raised
            .into_iter()
            .map(|b| {
                let count = b.ids.len();
                let answered = time::iso(b.to);
                let keep = answered.clone();
                let ids = b.ids.clone();
                banner(
                    "banner-error",
                    format!(
                        "{} deleted {count} cases from the team within a minute, from {}. They are kept on this desk under “Removed by the team” for 30 days: restore them unless your team meant it.",
                        b.by.subject(),
                        time::local(b.from)
                    ),
                    Vec::new(),
                    None,
                    vec![
                        (
                            format!("Restore all {count}"),
                            true,
                            Box::new(move || {
                                desk.restore_removed(&ids);
                                desk.keep_note("team", "bursts-seen", &answered);
                                seen.set(answered.clone());
                            }),
                        ),
                        (
                            "Keep them deleted".into(),
                            false,
                            Box::new(move || {
                                desk.keep_note("team", "bursts-seen", &keep);
                                seen.set(keep.clone());
                            }),
                        ),
                    ],
                )
            })
            .collect_view()
    };
    view! { {overwritten} {refused} {removed} }
}

/// The cases the team removed, below the case list: who removed each and when, "Restore".
#[component]
pub fn RemovedList() -> impl IntoView {
    let desk = expect_context::<Desk>();
    const SHOWN: usize = 20;
    move || {
        let list = desk.removed.get();
        (!list.is_empty()).then(|| {
            let total = list.len();
            let all: Vec<String> = list.iter().map(|r| r.case.id.clone()).collect();
            view! {
                <section class="panel removed-list" aria-labelledby="removed-title">
                    <h2 id="removed-title">{format!("Removed by the team ({total})")}</h2>
                    <p class="hint">"Cases your team deleted are kept on this desk for 30 days. Restoring one shares it with the team again."</p>
                    <ul>
                        {list.into_iter().take(SHOWN).map(|r| {
                            let case = r.case.clone();
                            let name = format!("Restore {}", r.case.reference);
                            view! {
                                <li class="removed-row">
                                    <span>
                                        <span><strong>{r.case.reference.clone()}</strong>{format!(" · {}", r.case.details.subject)}</span>
                                        <span class="hint">{format!("{} · {}", r.by.short(), time::local(r.at))}</span>
                                    </span>
                                    <button type="button" class="button" aria-label=name on:click=move |_| desk.undo_delete(case.clone())>"Restore"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(total > SHOWN).then(|| format!("and {} more", total - SHOWN)).map(|t| view! { <p class="hint">{t}</p> })}
                    {(total > 1).then(|| view! {
                        <div class="panel-actions">
                            <button type="button" class="button" on:click=move |_| desk.restore_removed(&all)>{format!("Restore all {total}")}</button>
                        </div>
                    })}
                </section>
            }
        })
    }
}

/// 128 random bits as 32 hex digits, from the browser's cryptographic generator.
fn random_hex(bytes: usize) -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut buf = vec![0u8; bytes];
    crypto.get_random_values_with_u8_array(&mut buf).ok()?;
    Some(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn new_client() -> u64 {
    random_hex(4)
        .and_then(|h| u64::from_str_radix(&h, 16).ok())
        .unwrap_or(1)
        .max(1)
}

/// The join link of the team on this device: the console's Team screen with the server and
/// key in the fragment (never sent to the server of these pages).
fn join_link(s: &Settings) -> String {
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = here.split('#').next().unwrap_or_default();
    let base = base.rsplit_once('/').map_or(base, |(dir, _)| dir);
    format!(
        "{base}/console.html#/team?{}",
        team::join_query(&s.server, &s.key)
    )
}

/// Copies the join link (the Clipboard API, else the selected field's text).
fn copy_link(desk: Desk) {
    let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("team-join-link"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let text = input.value();
    leptos::task::spawn_local(async move {
        let copied = match web_sys::window() {
            Some(w) => {
                wasm_bindgen_futures::JsFuture::from(w.navigator().clipboard().write_text(&text))
                    .await
                    .is_ok()
            }
            None => false,
        };
        if copied {
            desk.say("Join link copied");
        } else {
            input.select();
            desk.say("Copying was refused here: the link is selected, copy it with Ctrl+C (Cmd+C on a Mac)");
        }
    });
}

#[component]
pub fn TeamScreen() -> impl IntoView {
    let desk = expect_context::<Desk>();
    let link = expect_context::<TeamLink>();
    let hash = nav::nav().map(|n| n.hash_untracked()).unwrap_or_default();
    let joining = team::read_join(&hash);
    let name = RwSignal::new(String::new());
    let server = RwSignal::new(
        joining
            .as_ref()
            .map_or("ws://127.0.0.1:1234".to_string(), |j| j.0.clone()),
    );
    let key = RwSignal::new(joining.as_ref().map_or(String::new(), |j| j.1.clone()));
    let start_server = RwSignal::new("ws://127.0.0.1:1234".to_string());
    let agent = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let settings = Memo::new(move |_| {
        desk.team_changed.track();
        desk.team()
    });

    let turn_on = move |found: bool| {
        let typed_key = if found {
            random_hex(16).unwrap_or_default()
        } else {
            key.get_untracked()
        };
        let address = if found { start_server } else { server }.get_untracked();
        match team::checked(&address, &typed_key) {
            Err(e) => message.set(Some(e.to_string())),
            Ok(_) if found && name.get_untracked().trim().is_empty() => message.set(Some(
                "Give the team a name, so agents joining it know they are in the right one.".into(),
            )),
            Ok((server, key)) => {
                let s = Settings {
                    server,
                    key,
                    client: new_client(),
                    name: name.get_untracked().trim().to_string(),
                    founder: found,
                    agent: agent.get_untracked().trim().chars().take(80).collect(),
                };
                // The header and this screen say how it goes from here.
                match desk.set_team(Some(&s)) {
                    Ok(()) => message.set(None),
                    Err(e) => message.set(Some(format!("Team mode could not be turned on: {e}"))),
                }
            }
        }
    };
    let leave = move |_| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message("Leave team mode? Every case stays on this device; other agents' later changes no longer arrive.").ok())
            .unwrap_or(false);
        if sure {
            match desk.set_team(None) {
                Ok(()) => desk.say("Team mode is off; every case stays on this device"),
                Err(e) => message.set(Some(format!("Team mode could not be turned off: {e}"))),
            }
        }
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        super::fields::line(
            id.into(),
            label.into(),
            "text",
            value.into(),
            None,
            Callback::new(move |v| value.set(v)),
        )
    };

    view! {
        <div class="screen-head"><h1>"Team"</h1></div>
        <p class="lede">"Team mode shares your cases live with the other agents of your team, through a server your team runs. Without it, cases stay in this browser and move between agents as files."</p>
        {move || message.get().map(|m| view! { <p class="banner banner-error" role="alert">{m}</p> })}
        {move || match settings.get() {
            Some(s) if link.status.with(|st| st.as_ref().is_some_and(|st| st.state == "no-team")) => view! {
                <section class="panel" aria-labelledby="team-none-title">
                    <h2 id="team-none-title">"No team found"</h2>
                    <p role="status">{format!("No team on {} has this key, so nothing of yours was shared. Check the join link (it may have been cut short), then leave and join again with the right one.", s.server)}</p>
                    <div class="panel-actions">
                        <button type="button" class="button button-primary" on:click=leave>"Leave team mode"</button>
                    </div>
                </section>
            }.into_any(),
            Some(s) => {
                let join = join_link(&s);
                let status = move || link.status.get().map(|s| status_words(&s)).unwrap_or_else(|| "Team: starting".into());
                let named = s.name.clone();
                let title = move || {
                    let name = Some(named.clone())
                        .filter(|n| !n.is_empty())
                        .or_else(|| link.status.with(|st| st.as_ref().and_then(|st| st.team.clone())));
                    name.map_or("Your team".to_string(), |n| format!("Team “{n}”"))
                };
                view! {
                    <section class="panel" aria-labelledby="team-on-title">
                        <h2 id="team-on-title">{title}</h2>
                        <p role="status">{status}</p>
                        <p>"Server: " <code>{s.server.clone()}</code></p>
                        <div class="field">
                            <label for="team-join-link">"Join link for your team"</label>
                            <input id="team-join-link" type="text" readonly value=join/>
                            <p class="hint">"Send it to the agents of your team only: anyone with it can read and change the team's cases. It carries the team key; the key is never in an export."</p>
                        </div>
                        <div class="panel-actions">
                            <button type="button" class="button button-primary" on:click=move |_| copy_link(desk)>"Copy the join link"</button>
                            <button type="button" class="button" on:click=leave>"Leave team mode"</button>
                        </div>
                    </section>
                }.into_any()
            }
            None => view! {
                <section class="panel" aria-labelledby="team-you-title">
                    <h2 id="team-you-title">"You"</h2>
                    {field("team-agent", "Your name, as your team sees it", agent)}
                    <p class="hint">"Optional. Shown on your team's desks beside the cases you delete."</p>
                </section>
                <section class="panel" aria-labelledby="team-join-title">
                    <h2 id="team-join-title">"Join a team"</h2>
                    <p class="hint">{if joining.is_some() { "You opened a join link: check the server and join. The cases on this device are shared with the team once you are in." } else { "Open the join link your team lead sent, or paste the server address and the team key. The cases on this device are shared with the team once you are in." }}</p>
                    {field("team-server", "Server address", server)}
                    {field("team-key", "Team key", key)}
                    <div class="panel-actions">
                        <button type="button" class="button button-primary" on:click=move |_| turn_on(false)>"Join the team"</button>
                    </div>
                </section>
                <section class="panel" aria-labelledby="team-start-title">
                    <h2 id="team-start-title">"Start a team"</h2>
                    <p class="hint">"For the team lead: the server must already run (README, “Team mode”). A new random team key is made; you get the join link to send."</p>
                    {field("team-name", "Team name", name)}
                    {field("team-start-server", "Server for the new team", start_server)}
                    <div class="panel-actions">
                        <button type="button" class="button" on:click=move |_| turn_on(true)>"Turn on team mode"</button>
                    </div>
                </section>
                <p class="hint">"Every case is encrypted on this device with the team key before it is sent: the server keeps only ciphertext and never gets the key. A server on another machine needs wss:// (TLS)."</p>
            }.into_any(),
        }}
    }
}
