//! The contract with a helpdesk page that embeds the app: which origins may talk to it, and the
//! small versioned message schema both sides speak. Every message is a JSON object
//! `{"ns": "escalation-desk", "v": 1, "type": "...", ...}`; anything else is ignored.

use serde_json::Value;

use super::json::{deserialize_by_hand, write_fields, Fields, FromJson, Object, Read, ToJson};

pub const NS: &str = "escalation-desk";
pub const VERSION: u32 = 1;
/// No host message is read past this size.
const MAX_MESSAGE_BYTES: usize = 16 * 1024;
const MAX_FIELD: usize = 500;

/// `embed.json`, served beside `index.html`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `allowedOrigins` in the file.
    pub allowed_origins: Vec<String>,
}

pub fn parse_config(raw: &str) -> Result<Config, String> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err("embed.json is too large".into());
    }
    super::json::parse(raw).map_err(|e| format!("embed.json can't be read ({e})"))
}

/// Whether `origin` matches one of the patterns. A `*` stands for exactly one subdomain level:
/// `https://*.example.com` allows `https://desk.example.com`, not `https://a.b.example.com` nor
/// `https://example.com`. Scheme and port must match exactly.
pub fn origin_allowed(origin: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| matches_pattern(origin, p))
}

fn matches_pattern(origin: &str, pattern: &str) -> bool {
    if origin == "null" || origin.is_empty() {
        return false;
    }
    let Some((scheme, rest)) = pattern.split_once("://") else {
        return false;
    };
    let Some(host_port) = origin.strip_prefix(&format!("{scheme}://")) else {
        return false;
    };
    match rest.strip_prefix("*.") {
        None => origin == pattern,
        Some(suffix) => {
            let Some(label) = host_port.strip_suffix(&format!(".{suffix}")) else {
                return false;
            };
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
    }
}

/// The ticket a host hands over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ticket {
    pub id: String,
    pub subject: String,
    pub requester: Requester,
    pub channel: String,
    pub priority: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requester {
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMessage {
    Context(Ticket),
}

/// Reads a message from the host; `None` for anything that is not ours or not valid (ignored,
/// with no effect).
pub fn parse_host_message(raw: &str) -> Option<HostMessage> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return None;
    }
    let m = super::json::parse_value(raw).ok()?;
    let m = Fields::of(&m).ok()?;
    if m.get::<String>("ns").ok()? != NS || m.get::<u32>("v").ok()? != VERSION {
        return None;
    }
    match m.get::<String>("type").ok()?.as_str() {
        "context" => {
            let t: Ticket = m.get::<Option<Ticket>>("ticket").ok()??;
            let ok = |s: &str| s.chars().count() <= MAX_FIELD;
            let valid = !t.id.trim().is_empty()
                && t.id.chars().count() <= 100
                && [
                    &t.subject,
                    &t.requester.name,
                    &t.requester.email,
                    &t.channel,
                    &t.priority,
                ]
                .iter()
                .all(|s| ok(s));
            valid.then_some(HostMessage::Context(t))
        }
        _ => None,
    }
}

/// Messages the app sends to the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppMessage {
    Ready,
    Resize {
        height: u32,
    },
    CaseSaved {
        case_id: String,
        reference: String,
        ticket_id: Option<String>,
        status: String,
        level: Option<String>,
    },
    Handoff {
        format: String,
        text: String,
    },
}

write_fields!(Ticket {
    id,
    subject,
    requester,
    channel,
    priority,
});
write_fields!(Requester { name, email });

/// `{"type": "case.saved", "caseId": ...}`: the names the host-page contract gives.
impl ToJson for AppMessage {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            AppMessage::Ready => o.field("type", "ready"),
            AppMessage::Resize { height } => o.field("type", "resize").field("height", height),
            AppMessage::CaseSaved {
                case_id,
                reference,
                ticket_id,
                status,
                level,
            } => o
                .field("type", "case.saved")
                .field("caseId", case_id)
                .field("reference", reference)
                .field("ticketId", ticket_id)
                .field("status", status)
                .field("level", level),
            AppMessage::Handoff { format, text } => o
                .field("type", "handoff")
                .field("format", format)
                .field("text", text),
        };
        o.end();
    }
}

/// The JSON of a message to the host, with the namespace and version.
pub fn encode(message: &AppMessage) -> String {
    let mut value = super::json::to_value(message);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("ns".into(), NS.into());
        obj.insert("v".into(), VERSION.into());
    }
    super::json::to_string(&value)
}

/// A storage namespace for an embedding, from the `ns` URL parameter: lowercase letters,
/// digits and dashes, at most 32; anything else falls back to the default embed namespace.
pub fn namespace(param: Option<&str>) -> String {
    match param {
        Some(p)
            if !p.is_empty()
                && p.len() <= 32
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            format!("escdesk-embed-{p}")
        }
        _ => "escdesk-embed".to_string(),
    }
}

impl FromJson for Config {
    fn from_json(v: &Value) -> Read<Config> {
        Ok(Config {
            allowed_origins: Fields::of(v)?.get_or_default("allowedOrigins")?,
        })
    }
}

impl FromJson for Ticket {
    fn from_json(v: &Value) -> Read<Ticket> {
        let f = Fields::of(v)?;
        Ok(Ticket {
            id: f.get("id")?,
            subject: f.get_or_default("subject")?,
            requester: f.get_or_default("requester")?,
            channel: f.get_or_default("channel")?,
            priority: f.get_or_default("priority")?,
        })
    }
}

impl FromJson for Requester {
    fn from_json(v: &Value) -> Read<Requester> {
        let f = Fields::of(v)?;
        Ok(Requester {
            name: f.get_or_default("name")?,
            email: f.get_or_default("email")?,
        })
    }
}

deserialize_by_hand!(Config, Ticket, Requester);

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Vec<String> {
        vec![
            "https://*.example-helpdesk.com".into(),
            "http://localhost:8081".into(),
        ]
    }

    #[test]
    fn a_wildcard_is_one_subdomain_level() {
        let p = patterns();
        assert!(origin_allowed("https://acme.example-helpdesk.com", &p));
        assert!(!origin_allowed("https://a.b.example-helpdesk.com", &p));
        assert!(!origin_allowed("https://example-helpdesk.com", &p));
        assert!(!origin_allowed("http://acme.example-helpdesk.com", &p));
        assert!(!origin_allowed(
            "https://acme.example-helpdesk.com.evil.com",
            &p
        ));
        assert!(!origin_allowed("https://evilexample-helpdesk.com", &p));
        assert!(origin_allowed("http://localhost:8081", &p));
        assert!(!origin_allowed("http://localhost:8082", &p));
        assert!(!origin_allowed("null", &p));
    }

    #[test]
    fn only_valid_context_messages_are_read() {
        let ok = r#"{"ns":"escalation-desk","v":1,"type":"context","ticket":{"id":"T-1","subject":"Printer on fire","requester":{"name":"Ana","email":"ana@example.com"},"channel":"email","priority":"high"}}"#;
        match parse_host_message(ok) {
            Some(HostMessage::Context(t)) => {
                assert_eq!(t.id, "T-1");
                assert_eq!(t.requester.email, "ana@example.com");
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            "",
            "not json",
            r#"{"ns":"other","v":1,"type":"context","ticket":{"id":"T"}}"#,
            r#"{"ns":"escalation-desk","v":2,"type":"context","ticket":{"id":"T"}}"#,
            r#"{"ns":"escalation-desk","v":1,"type":"delete-everything"}"#,
            r#"{"ns":"escalation-desk","v":1,"type":"context","ticket":{"id":""}}"#,
            r#"{"ns":"escalation-desk","v":1,"type":"context"}"#,
        ] {
            assert_eq!(parse_host_message(bad), None, "{bad}");
        }
        let huge = ok.replace("Printer on fire", &"x".repeat(600));
        assert_eq!(parse_host_message(&huge), None);
    }

    #[test]
    fn messages_to_the_host_carry_namespace_and_version() {
        let m = encode(&AppMessage::Resize { height: 640 });
        let v: serde_json::Value = serde_json::from_str(&m).expect("the message is JSON");
        assert_eq!(v["ns"], "escalation-desk");
        assert_eq!(v["v"], 1);
        assert_eq!(v["type"], "resize");
        assert_eq!(v["height"], 640);
        let saved = encode(&AppMessage::CaseSaved {
            case_id: "c".into(),
            reference: "ESC-2026-0001".into(),
            ticket_id: Some("T-1".into()),
            status: "draft".into(),
            level: None,
        });
        assert!(saved.contains(r#""type":"case.saved""#));
        assert!(saved.contains(r#""ticketId":"T-1""#));
    }

    #[test]
    fn embed_namespaces_are_safe() {
        assert_eq!(namespace(Some("acme-desk")), "escdesk-embed-acme-desk");
        assert_eq!(namespace(Some("../x")), "escdesk-embed");
        assert_eq!(namespace(None), "escdesk-embed");
    }
}
