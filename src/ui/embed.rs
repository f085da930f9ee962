//! Embedded in a helpdesk page (`?embed=1`): the browser side of the contract in
//! [`crate::core::embed`]. Talks only to the host origin that `embed.json` allows, always with
//! that exact target origin; ignores every other message.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::case::{Channel, Details};
use crate::core::embed::{
    encode, namespace, origin_allowed, parse_config, parse_host_message, AppMessage, HostMessage,
    Ticket,
};
use crate::core::link::Route;

use super::desk::Desk;
use super::nav::go;

/// Present in context when the app runs embedded.
#[derive(Clone, Copy)]
pub struct Embed {
    /// The host origin the app talks to, once `embed.json` allowed it.
    pub host: RwSignal<Option<String>>,
    /// Why the app can't talk to its host, shown on screen.
    pub problem: RwSignal<Option<String>>,
    /// The allowed origins, while the host's own origin is still unknown.
    allowed: StoredValue<Vec<String>>,
}

fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// Whether the page was opened as an embedded panel.
pub fn requested() -> bool {
    query_param("embed").as_deref() == Some("1")
}

/// The storage namespace of this embedding.
pub fn storage_namespace() -> String {
    namespace(query_param("ns").as_deref())
}

fn parent() -> Option<web_sys::Window> {
    web_sys::window()?.parent().ok().flatten()
}

impl Embed {
    pub fn start(desk: Desk) -> Embed {
        let embed = Embed {
            host: RwSignal::new(None),
            problem: RwSignal::new(None),
            allowed: StoredValue::new(Vec::new()),
        };
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.class_list().add_1("embedded");
        }
        leptos::task::spawn_local(async move {
            match connect().await {
                Ok(Connection::Known(origin)) => {
                    embed.host.set(Some(origin));
                    embed.post(&AppMessage::Ready);
                }
                Ok(Connection::Candidates(origins, allowed)) => {
                    // The host's origin is hidden (no referrer, and no ancestorOrigins in this
                    // browser): say "ready" to each exact origin the file names. The browser
                    // delivers it only to the one the parent really has, and the first message
                    // that parent sends from an allowed origin connects the panel.
                    embed.allowed.set_value(allowed);
                    if let Some(parent) = parent() {
                        let value = js_sys::JSON::parse(&encode(&AppMessage::Ready))
                            .unwrap_or(JsValue::NULL);
                        for origin in origins {
                            let _ = parent.post_message(&value, &origin);
                        }
                    }
                }
                Err(why) => embed.problem.set(Some(why)),
            }
        });
        let listener = window_event_listener(leptos::ev::message, move |ev| {
            embed.receive(desk, ev);
        });
        on_cleanup(move || listener.remove());
        // Tell the host about every save, and the panel's height as it changes.
        Effect::new(move || {
            if let Some(case) = desk.last_saved.get() {
                embed.post(&AppMessage::CaseSaved {
                    case_id: case.id.clone(),
                    reference: case.reference.clone(),
                    ticket_id: case.ticket_id.clone(),
                    status: case.status.key().to_string(),
                    level: case.decision().map(|d| d.chosen.clone()),
                });
            }
        });
        let last_height = StoredValue::new(0u32);
        set_interval(
            move || {
                let height = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                    .map(|e| e.scroll_height().max(0) as u32)
                    .unwrap_or(0);
                if height != last_height.get_value() && embed.host.with_untracked(Option::is_some) {
                    last_height.set_value(height);
                    embed.post(&AppMessage::Resize { height });
                }
            },
            std::time::Duration::from_millis(300),
        );
        embed
    }

    /// Sends a message to the host, with its exact origin as the target; nothing if none.
    pub fn post(&self, message: &AppMessage) {
        let Some(origin) = self.host.get_untracked() else {
            return;
        };
        let Some(parent) = parent() else {
            return;
        };
        let value = js_sys::JSON::parse(&encode(message)).unwrap_or(JsValue::NULL);
        let _ = parent.post_message(&value, &origin);
    }

    fn receive(&self, desk: Desk, ev: web_sys::MessageEvent) {
        let host = match self.host.get_untracked() {
            Some(host) => host,
            // Not connected yet: a message from the parent, from an allowed origin, connects.
            None if origin_allowed(&ev.origin(), &self.allowed.get_value()) => ev.origin(),
            None => return,
        };
        if ev.origin() != host {
            return;
        }
        let from_parent = match (ev.source(), parent()) {
            (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        if !from_parent {
            return;
        }
        let data = ev.data();
        let text = data.as_string().or_else(|| {
            js_sys::JSON::stringify(&data)
                .ok()
                .and_then(|s| s.as_string())
        });
        let Some(message) = text.as_deref().and_then(parse_host_message) else {
            return;
        };
        if self.host.get_untracked().is_none() {
            self.host.set(Some(host));
            self.problem.set(None);
        }
        match message {
            HostMessage::Context(ticket) => open_ticket(desk, ticket),
        }
    }
}

/// How the panel knows its host: the origin (checked), or only the exact origins it may be.
enum Connection {
    Known(String),
    Candidates(Vec<String>, Vec<String>),
}

/// The embedding page's origin, where the browser tells: `location.ancestorOrigins`
/// (Chromium, WebKit), else the referrer (hidden by a `no-referrer` policy).
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    // Not in web-sys: read it as a plain property (absent in Firefox).
    let from_ancestors = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|list| list.is_object())
        .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from(0)).ok())
        .and_then(|first| first.as_string());
    let from_referrer = || {
        let referrer = window.document()?.referrer();
        web_sys::Url::new(&referrer).ok().map(|u| u.origin())
    };
    from_ancestors
        .filter(|o| !o.is_empty() && o != "null")
        .or_else(from_referrer)
}

/// Reads `embed.json` and checks the embedding page's origin against it.
async fn connect() -> Result<Connection, String> {
    let window = web_sys::window().ok_or("no window")?;
    if parent().is_none_or(|p| js_sys::Object::is(&p, &window)) {
        return Err("this page is not inside a helpdesk page".into());
    }
    let response = JsFuture::from(window.fetch_with_str("embed.json"))
        .await
        .map_err(|_| "embed.json could not be fetched".to_string())?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!(
            "embed.json could not be fetched (HTTP {})",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(|_| "embed.json can't be read")?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("embed.json can't be read")?;
    let config = parse_config(&text)?;
    let Some(origin) = parent_origin(&window) else {
        let exact: Vec<String> = config
            .allowed_origins
            .iter()
            .filter(|o| !o.contains('*'))
            .cloned()
            .collect();
        if exact.is_empty() {
            return Err("the helpdesk page's address is hidden (no referrer), and embed.json names no exact origin to answer".into());
        }
        return Ok(Connection::Candidates(exact, config.allowed_origins));
    };
    if origin_allowed(&origin, &config.allowed_origins) {
        Ok(Connection::Known(origin))
    } else {
        Err(format!(
            "the page at {origin} is not in the allowedOrigins of embed.json, so this panel ignores it"
        ))
    }
}

/// Opens the case of a ticket, or a new one filled from it: one case per ticket id. Waits
/// until every stored case is read, so a ticket's case is never opened twice.
fn open_ticket(desk: Desk, ticket: Ticket) {
    if desk.loading.get_untracked().is_some() {
        set_timeout(
            move || open_ticket(desk, ticket),
            std::time::Duration::from_millis(50),
        );
        return;
    }
    let existing = desk.rows.with_untracked(|rows| {
        rows.iter()
            .find(|r| r.case.ticket_id.as_deref() == Some(ticket.id.as_str()))
            .map(|r| r.case.id.clone())
    });
    if let Some(id) = existing {
        go(&Route::Case(id));
        return;
    }
    let details = Details {
        subject: ticket.subject.clone(),
        customer: crate::core::case::Customer {
            name: ticket.requester.name.clone(),
            contact: ticket.requester.email.clone(),
            ..Default::default()
        },
        channel: Channel::from_key(&ticket.channel.to_ascii_lowercase()).unwrap_or_default(),
        contact_count: 1,
        ..Details::default()
    };
    if let Some(mut case) = desk.create(details) {
        case.ticket_id = Some(ticket.id.clone());
        let id = case.id.clone();
        desk.save(case, &format!("Case opened for ticket {}", ticket.id));
        go(&Route::Case(id));
    }
}
