//! The team worker: team mode's shared document and the connection to the team's server, in a
//! Web Worker of its own (`team-worker.js` loads it), so the desk never downloads the sync
//! engine unless team mode is on. It talks to the page by JSON messages (README, "Team mode"):
//!
//! page -> worker: `{"start": {server, key, client, writer, found, state, playbook}, "cases":
//! [case]}` (`client` fresh for each start, `writer` the device's number),
//! `{"put": case}`, `{"delete": id}`, `{"playbook": file}`;
//! worker -> page: `{"status": {state, unsent, since, detail, team}}`,
//! `{"cases": [case], "overwritten": [..]}`, `{"deleted": [{id, by}]}` (`by`: the remover's
//! name, `""` none given, `null` no desk's record), `{"playbook": file}`,
//! `{"state": base64}`.

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;

    use escalation_desk::core::case::Case;
    use escalation_desk::core::json::FromJson;
    use escalation_desk::core::seal::{self, Seal};
    use escalation_desk::core::team::{from_base64, to_base64, Applied, Shared};
    use serde_json::{json, Value};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{BinaryType, DedicatedWorkerGlobalScope, MessageEvent, WebSocket};

    struct Team {
        shared: Shared,
        server: String,
        key: String,
        socket: Option<WebSocket>,
        /// The document holds the team (its name): cases may be shared into it.
        verified: bool,
        /// Connected and past the first exchange.
        synced: bool,
        /// Changes made since the server last had everything.
        unsent: usize,
        /// Those changes as messages, sent as soon as the connection is in sync (the next
        /// connection's first exchange carries them anyway; this covers one made in between).
        pending: Vec<Vec<u8>>,
        /// When the connection was lost (ms since the epoch), while it is.
        since: Option<f64>,
        /// The page's cases, waiting for the team to be verified.
        waiting: Vec<Case>,
        retry_ms: i32,
        state_due: bool,
        refused: Option<String>,
        /// The server has answered at least once since the page started the worker.
        reached: bool,
        /// The agent's name, written beside a removal.
        agent: String,
    }

    thread_local! {
        static TEAM: RefCell<Option<Team>> = const { RefCell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(message: Value) {
        let _ = scope().post_message(&JsValue::from_str(&message.to_string()));
    }

    fn status(t: &Team, state: &str, detail: &str) {
        post(json!({"status": {
            "state": state,
            "unsent": t.unsent,
            "since": t.since,
            "detail": detail,
            "team": t.shared.team_name(),
        }}));
    }

    fn report(t: &Team) {
        if let Some(reason) = &t.refused {
            status(t, "refused", reason);
        } else if t.synced && !t.verified {
            status(t, "no-team", "");
        } else if t.synced {
            status(t, "connected", "");
        } else if t.since.is_some() && !t.reached {
            status(t, "unreachable", "");
        } else if t.since.is_some() {
            status(t, "offline", "");
        } else {
            status(t, "connecting", "");
        }
    }

    fn send(t: &Team, bytes: Vec<u8>) -> bool {
        match &t.socket {
            Some(s) if t.synced && s.ready_state() == WebSocket::OPEN => {
                s.send_with_u8_array(&bytes).is_ok()
            }
            _ => false,
        }
    }

    /// A change of this device's: sent now when connected, else counted until the next
    /// exchange carries it.
    fn share(t: &mut Team, update: Option<Vec<u8>>) {
        if let Some(u) = update {
            let message = Shared::framed(u);
            if !send(t, message.clone()) {
                t.unsent += 1;
                t.pending.push(message);
            }
            t.state_due = true;
        }
    }

    fn share_waiting(t: &mut Team) {
        // The agent's name, so a refusal or a removal elsewhere can say whose it was.
        let agent = t.agent.clone();
        let update = t.shared.introduce(&agent);
        share(t, update);
        for case in std::mem::take(&mut t.waiting) {
            let update = t.shared.put(&case);
            share(t, update);
        }
    }

    thread_local! {
        /// What goes to the page next, in order; a flush is scheduled while it holds any.
        static OUTBOX: RefCell<Vec<Value>> = const { RefCell::new(Vec::new()) };
    }

    /// Queues a message for the page, joined with the one before when both are of a kind
    /// that lists (cases, deletions, refusals): an import of 1,000 cases on another desk
    /// arrives as a few messages the page takes in one turn each, not a thousand that each
    /// redraw the list. Order is kept; a case listed twice goes once, as it last read.
    fn post_soon(message: Value) {
        let first = OUTBOX.with(|o| {
            let mut o = o.borrow_mut();
            let was_empty = o.is_empty();
            let joined = match (o.last_mut(), &message) {
                (Some(Value::Object(last)), Value::Object(new)) => join(last, new),
                _ => false,
            };
            if !joined {
                o.push(message);
            }
            was_empty
        });
        if first {
            let f = Closure::once_into_js(|| {
                for m in OUTBOX.with(|o| std::mem::take(&mut *o.borrow_mut())) {
                    post(m);
                }
            });
            let _ = scope()
                .set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 15);
        }
    }

    /// Adds `new`'s lists to `last` when both are of one listing kind; whether it did.
    fn join(
        last: &mut serde_json::Map<String, Value>,
        new: &serde_json::Map<String, Value>,
    ) -> bool {
        let kind = |m: &serde_json::Map<String, Value>| {
            ["cases", "deleted", "refused"]
                .into_iter()
                .find(|k| m.contains_key(*k))
        };
        if kind(last).is_none() || kind(last) != kind(new) {
            return false;
        }
        for (k, v) in new {
            let (Value::Array(items), Some(Value::Array(into))) = (v, last.get_mut(k)) else {
                continue;
            };
            if k == "cases" {
                let ids: Vec<&Value> = items.iter().filter_map(|c| c.get("id")).collect();
                into.retain(|c| !c.get("id").is_some_and(|id| ids.contains(&id)));
            }
            into.extend(items.iter().cloned());
        }
        true
    }

    fn deliver(applied: Applied) {
        if !applied.cases.is_empty() || !applied.overwritten.is_empty() {
            let cases: Vec<Value> = applied
                .cases
                .iter()
                .map(escalation_desk::core::json::to_value)
                .collect();
            let overwritten: Vec<Value> = applied
                .overwritten
                .iter()
                .map(
                    |o| json!({"case": o.case, "part": o.part, "mine": o.mine, "theirs": o.theirs}),
                )
                .collect();
            post_soon(json!({"cases": cases, "overwritten": overwritten}));
        }
        if !applied.removed.is_empty() {
            let removed: Vec<Value> = applied
                .removed
                .iter()
                .map(|(id, by)| json!({"id": id, "by": by.name()}))
                .collect();
            post_soon(json!({ "deleted": removed }));
        }
        if let Some(p) = applied.playbook {
            post_soon(json!({ "playbook": p }));
        }
        // All in one message: the page shows every refusal at once, not only the last.
        if !applied.unreadable.is_empty() {
            let refused: Vec<String> = applied.unreadable.iter().map(ToString::to_string).collect();
            post_soon(json!({ "refused": refused }));
        }
    }

    /// The team key's seal, its nonces from the browser's CSPRNG.
    fn seal_of(key: &str) -> Seal {
        let crypto: Option<web_sys::Crypto> =
            js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
                .ok()
                .and_then(|c| c.dyn_into().ok());
        Seal::new(key, move || {
            let mut nonce = [0u8; 12];
            if let Some(c) = &crypto {
                let _ = c.get_random_values_with_u8_array(&mut nonce);
            }
            nonce
        })
    }

    fn connect() {
        // The room is derived one way from the key: the key never leaves this device.
        let url = TEAM.with(|t| {
            t.borrow().as_ref().map(|t| {
                let room = seal::room(&t.key);
                (
                    format!("{}/{room}", t.server.trim_end_matches('/')),
                    t.server.clone(),
                )
            })
        });
        let Some((url, server)) = url else { return };
        if let Err(e) = escalation_desk::core::team::checked_server(&server) {
            with_team(|t| {
                t.refused = Some(e.to_string());
                report(t);
            });
            return;
        }
        let socket = match WebSocket::new(&url) {
            Ok(s) => s,
            Err(_) => {
                with_team(|t| {
                    t.refused = Some(format!(
                        "“{}” is not a server address (it starts with ws:// or wss://)",
                        t.server
                    ));
                    report(t);
                });
                return;
            }
        };
        socket.set_binary_type(BinaryType::Arraybuffer);
        let onopen = Closure::<dyn FnMut()>::new(move || {
            with_team(|t| {
                t.retry_ms = 1000;
                if let Some(s) = &t.socket {
                    let _ = s.send_with_u8_array(&t.shared.hello());
                }
            });
        });
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&e.data()).to_vec();
            heard(&bytes);
        });
        let onclose = Closure::<dyn FnMut()>::new(move || {
            let again = with_team(|t| {
                t.socket = None;
                t.synced = false;
                if t.since.is_none() {
                    t.since = Some(js_sys::Date::now());
                }
                report(t);
                t.retry_ms = (t.retry_ms * 2).min(8_000);
                t.retry_ms
            });
            if let Some(ms) = again {
                let f = Closure::once_into_js(connect);
                let _ = scope()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms);
            }
        });
        socket.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        socket.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        onopen.forget();
        onmessage.forget();
        onclose.forget();
        with_team(|t| t.socket = Some(socket));
    }

    fn with_team<R>(f: impl FnOnce(&mut Team) -> R) -> Option<R> {
        TEAM.with(|t| t.borrow_mut().as_mut().map(f))
    }

    fn heard(bytes: &[u8]) {
        let applied = with_team(|t| {
            let heard = match t.shared.hear(bytes) {
                Ok(h) => h,
                Err(e) => {
                    post(json!({ "error": e.to_string() }));
                    return None;
                }
            };
            if let Some(s) = &t.socket {
                for reply in &heard.replies {
                    let _ = s.send_with_u8_array(reply);
                }
            }
            if heard.refused.is_some() {
                t.refused = heard.refused;
            }
            // The server asked what it lacks and got it: everything of ours is there.
            if !heard.replies.is_empty() || heard.synced {
                // Our answer to the server's first step carries every change of ours.
                if !heard.replies.is_empty() {
                    t.unsent = 0;
                    t.pending.clear();
                }
                if !t.synced && heard.synced {
                    t.synced = true;
                    t.reached = true;
                    t.since = None;
                    // Changes made between that answer and now.
                    for message in std::mem::take(&mut t.pending) {
                        send(t, message);
                    }
                    t.unsent = 0;
                }
            }
            if !t.verified && t.shared.team_name().is_some() {
                t.verified = true;
            }
            if t.verified && t.synced {
                share_waiting(t);
            }
            // This device's later edits written back over earlier ones that had won by the
            // document's order: after the sync answer, which doesn't carry them.
            let mut applied = heard.applied;
            for answer in std::mem::take(&mut applied.answers) {
                share(t, Some(answer));
            }
            t.state_due = true;
            report(t);
            Some(applied)
        })
        .flatten();
        if let Some(a) = applied {
            deliver(a);
        }
        save_state_soon();
    }

    thread_local! {
        /// A save of the state is scheduled: every change asks for one, one timer answers.
        static STATE_TIMER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The document's state for the page to keep, at most once a second: one timer
    /// for however many changes arrive meanwhile (an import of 1,000 cases asked a thousand
    /// times, and each answer was the whole document, several MB, packed on the page's
    /// thread). A state that lags is safe: each start writes under a fresh client id and
    /// shares the page's cases again.
    fn save_state_soon() {
        if STATE_TIMER.with(|t| t.replace(true)) {
            return;
        }
        let f = Closure::once_into_js(|| {
            STATE_TIMER.with(|t| t.set(false));
            let state = with_team(|t| {
                std::mem::take(&mut t.state_due).then(|| to_base64(&t.shared.state()))
            })
            .flatten();
            if let Some(s) = state {
                post(json!({ "state": s }));
            }
        });
        let _ =
            scope().set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 1000);
    }

    fn case_of(v: &Value) -> Option<Case> {
        Case::from_json(v).ok()
    }

    fn start(v: &Value, cases: Option<&Value>) {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        // `client`: the document's id for this start only (fresh each time, never reused);
        // `writer`: the device's own number, stamped on its values.
        let client = v.get("client").and_then(Value::as_u64).unwrap_or(1);
        let writer = v.get("writer").and_then(Value::as_u64).unwrap_or(client);
        let key = text("key");
        let state = v.get("state").and_then(Value::as_str).and_then(from_base64);
        let mut shared = state
            .as_deref()
            .and_then(|bytes| Shared::load(client, writer, seal_of(&key), bytes).ok())
            .unwrap_or_else(|| Shared::open(client, writer, seal_of(&key)));
        // A document kept before values were sealed belongs to the old room (named by the key
        // itself): this device founds the team again in the sealed room and shares its cases.
        // Looked for only when the sealed read finds no team, so a start reads its state once.
        let legacy = state
            .as_deref()
            .filter(|_| shared.team_name().is_none())
            .and_then(Shared::plain_team_name);
        if legacy.is_some() {
            shared = Shared::open(client, writer, seal_of(&key));
        }
        let founding = v
            .get("found")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(legacy);
        // Changes the server had not confirmed before the page was reloaded: they are in the
        // document's state and go with the first exchange, counted until then.
        let mut unsent = v.get("unsent").and_then(Value::as_u64).unwrap_or(0) as usize;
        if let Some(name) = founding.filter(|_| shared.team_name().is_none()) {
            shared.found(&name);
            unsent += 1;
        }
        // The page's cases; where the document holds a newer version of one (a change that
        // arrived last time and was not taken yet), the document's wins and comes back.
        let held: Vec<Case> = shared.cases().into_iter().filter_map(Result::ok).collect();
        // A case the team deleted after this device last changed it goes here too.
        let deleted_since = |c: &Case| {
            shared
                .deleted_at(&c.id)
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(&at).ok())
                .is_some_and(|at| at >= c.updated_at)
        };
        let page_cases: Vec<Case> = cases
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(case_of).collect::<Vec<_>>())
            .unwrap_or_default();
        let (gone, cases): (Vec<Case>, Vec<Case>) = page_cases
            .clone()
            .into_iter()
            .filter(|c| {
                !held
                    .iter()
                    .any(|h| h.id == c.id && h.updated_at > c.updated_at)
            })
            .partition(deleted_since);
        let verified = shared.team_name().is_some();
        let mut team = Team {
            shared,
            server: text("server"),
            key,
            socket: None,
            verified,
            synced: false,
            unsent,
            pending: Vec::new(),
            since: None,
            waiting: cases,
            retry_ms: 1000,
            state_due: true,
            refused: None,
            reached: false,
            agent: text("agent"),
        };
        // Offline-first: a device that already holds the team records its cases now.
        if verified {
            share_waiting(&mut team);
            if let Some(p) = v.get("playbook").and_then(Value::as_str) {
                let update = team.shared.put_playbook(p);
                share(&mut team, update);
            }
        }
        // What the document holds that the page lacks or has older (changes that arrived last
        // time); never a version older than the page's (an edit saved just before a reload
        // that the document didn't get in time).
        let held: Vec<Value> = held
            .iter()
            .filter(|h| {
                !page_cases
                    .iter()
                    .any(|c| c.id == h.id && c.updated_at >= h.updated_at)
            })
            .map(escalation_desk::core::json::to_value)
            .collect();
        report(&team);
        TEAM.with(|t| *t.borrow_mut() = Some(team));
        if !held.is_empty() {
            post(json!({"cases": held, "overwritten": []}));
        }
        if !gone.is_empty() {
            let removed: Vec<Value> = TEAM.with(|t| {
                let t = t.borrow();
                gone.iter()
                    .map(|c| {
                        let by = t.as_ref().map(|t| t.shared.removed_by(&c.id));
                        json!({"id": c.id, "by": by.as_ref().and_then(|b| b.name())})
                    })
                    .collect()
            });
            post(json!({ "deleted": removed }));
        }
        connect();
        save_state_soon();
    }

    pub fn run() {
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Ok(v) = escalation_desk::core::json::parse_value(&text) else {
                return;
            };
            if let Some(s) = v.get("start") {
                start(s, v.get("cases"));
            } else if let Some(c) = v.get("put").and_then(case_of) {
                with_team(|t| {
                    if t.verified {
                        let update = t.shared.put(&c);
                        share(t, update);
                        report(t);
                    } else {
                        t.waiting.retain(|w| w.id != c.id);
                        t.waiting.push(c);
                    }
                });
                save_state_soon();
            } else if let Some(id) = v.get("delete").and_then(Value::as_str) {
                let at = js_sys::Date::new_0()
                    .to_iso_string()
                    .as_string()
                    .unwrap_or_default();
                with_team(|t| {
                    t.waiting.retain(|w| w.id != id);
                    if t.verified {
                        let update = t.shared.remove(id, &at, &t.agent);
                        share(t, update);
                        report(t);
                    }
                });
                save_state_soon();
            } else if let Some(p) = v.get("playbook").and_then(Value::as_str) {
                with_team(|t| {
                    if t.verified {
                        let update = t.shared.put_playbook(p);
                        share(t, update);
                        report(t);
                    }
                });
                save_state_soon();
            }
        });
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        post(json!({"ready": true}));
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The team worker runs in the browser (team-worker.js loads it): see README.md.");
}
