//! The handoff: what the next tier needs to act without a question back, in the structure
//! clinicians use for handoffs (SBAR: situation, background, assessment, recommendation), and
//! rendered as Markdown, plain text, JSON or the customer's message alone.
//!
//! Everything is rendered from the case and the playbook by pure functions; user text is
//! escaped for each format. Times are formatted by the caller (the browser's time zone).

use chrono::{DateTime, Utc};

use super::case::{Case, Event};
use super::clock::{clocks, Hours};
use super::json::{write_fields, Object, ToJson};
use super::playbook::{Field, Level, Playbook};

pub const FORMAT: &str = "escalation-desk/handoff";
pub const VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Text,
    Json,
    Customer,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Markdown,
        Format::Text,
        Format::Json,
        Format::Customer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Text => "Plain text",
            Format::Json => "JSON",
            Format::Customer => "Customer message",
        }
    }

    /// Where the format is meant to go.
    pub fn hint(self) -> &'static str {
        match self {
            Format::Markdown => "for tools that show Markdown (Jira, GitHub, Slack, Teams)",
            Format::Text => "for any ticket field, email or chat: no formatting marks",
            Format::Json => "for another Escalation Desk: the receiver imports the whole case",
            Format::Customer => "what the customer was told, to send them",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Json => "json",
            Format::Customer => "customer",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Text | Format::Customer => "txt",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown",
            Format::Json => "application/json",
            Format::Text | Format::Customer => "text/plain",
        }
    }
}

/// A file name with the case reference: `ESC-2026-0042-handoff.md`.
pub fn file_name(case: &Case, format: Format, redacted: bool) -> String {
    let what = if format == Format::Customer {
        "customer-message"
    } else {
        "handoff"
    };
    let redacted = if redacted { "-redacted" } else { "" };
    format!("{}-{what}{redacted}.{}", case.reference, format.extension())
}

/// One part of the handoff still empty, and whether it stops the handoff from going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missing {
    pub field: Field,
    pub blocks: bool,
}

/// Whether the case has `field` (what a level's handoff may require).
pub fn filled(case: &Case, field: Field) -> bool {
    let d = &case.details;
    match field {
        Field::Description => !d.description.trim().is_empty(),
        Field::Steps => !d.steps.is_empty(),
        Field::Expectation => !d.expectation.trim().is_empty(),
        Field::Contact => !d.customer.contact.trim().is_empty(),
        Field::Evidence => !d.evidence.trim().is_empty(),
        Field::Impact => !d.impact.trim().is_empty(),
    }
}

/// What the level requires that the case still lacks.
pub fn missing(case: &Case, level: &Level) -> Vec<Missing> {
    level
        .handoff_requires
        .iter()
        .filter(|r| !filled(case, r.field))
        .map(|r| Missing {
            field: r.field,
            blocks: r.blocks,
        })
        .collect()
}

/// The level of the decision in force, from the playbook the case was triaged with if it is
/// the one in use (else the current playbook's level of the same id).
pub fn level_of<'a>(case: &Case, p: &'a Playbook) -> Option<&'a Level> {
    case.decision().and_then(|d| p.level(&d.chosen))
}

/// Masks contact details for handoffs that leave the support team: `z***@example.com`,
/// `*******89`.
pub fn mask_contact(contact: &str) -> String {
    let contact = contact.trim();
    if contact.is_empty() {
        return String::new();
    }
    if let Some((user, domain)) = contact.split_once('@') {
        let first: String = user.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let total = contact.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    contact
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen + 2 > total {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    /// One value, or several (a list).
    pub values: Vec<String>,
    pub list: bool,
}

fn row(label: &str, value: impl Into<String>) -> Row {
    Row {
        label: label.into(),
        values: vec![value.into()],
        list: false,
    }
}

fn list(label: &str, values: Vec<String>) -> Row {
    Row {
        label: label.into(),
        values,
        list: true,
    }
}

fn or_none(s: &str) -> String {
    if s.trim().is_empty() {
        "(not recorded)".into()
    } else {
        s.trim().into()
    }
}

/// The SBAR summary of a case.
pub fn summary(
    case: &Case,
    p: &Playbook,
    redacted: bool,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> Summary {
    let d = &case.details;
    let decision = case.decision();
    let mut situation = vec![row("Subject", or_none(&d.subject))];
    match decision {
        Some(dec) => {
            situation.push(row(
                "Level",
                format!("{} ({})", dec.chosen_name, dec.priority.label()),
            ));
            situation.push(row("Receiver", dec.receiver.clone()));
            situation.push(row("First response by", show_time(dec.response_due)));
            situation.push(row("Resolution by", show_time(dec.resolution_due)));
        }
        None => situation.push(row("Level", "Not triaged yet")),
    }
    situation.push(row("Status", case.status.label()));
    if let Some(deadline) = d.deadline {
        situation.push(row("Customer's deadline", show_time(deadline)));
    }

    let customer = match (d.customer.name.trim(), d.customer.vip) {
        ("", _) => "(not recorded)".to_string(),
        (name, true) => format!("{name} (VIP)"),
        (name, false) => name.to_string(),
    };
    let contact = if redacted {
        mask_contact(&d.customer.contact)
    } else {
        d.customer.contact.trim().to_string()
    };
    let mut background = vec![
        row("Customer", customer),
        row("Contact", or_none(&contact)),
        row("Account or plan", or_none(&d.customer.account)),
        row("Channel", d.channel.label()),
        row("Product or area", or_none(&d.product)),
        row("Description", or_none(&d.description)),
        row("Contacts so far", d.contact_count.to_string()),
        row("Opened", show_time(case.created_at)),
    ];
    let steps: Vec<String> = d
        .steps
        .iter()
        .map(|s| {
            if s.outcome.trim().is_empty() {
                format!("{}: {}", show_time(s.at), s.action)
            } else {
                format!("{}: {} → {}", show_time(s.at), s.action, s.outcome)
            }
        })
        .collect();
    background.push(if steps.is_empty() {
        row("Steps already taken", "(none recorded)")
    } else {
        list("Steps already taken", steps)
    });

    let mut assessment = Vec::new();
    if let Some(dec) = decision {
        let triggers: Vec<String> = dec
            .triggers
            .iter()
            .map(|t| {
                p.trigger(t)
                    .map(|t| t.label.clone())
                    .unwrap_or_else(|| t.clone())
            })
            .collect();
        assessment.push(if triggers.is_empty() {
            row("Triggers", "(none ticked)")
        } else {
            list("Triggers", triggers)
        });
        // The reasons were written to the agent ("your answer"); the summary is read by the
        // next tier.
        let reasons = dec
            .reasons
            .iter()
            .map(|r| {
                r.replace("(your answer)", "(the agent's answer)")
                    .replace("(your choice)", "(the agent's choice)")
            })
            .collect();
        assessment.push(list("Decision path", reasons));
        if let Some(reason) = &dec.override_reason {
            assessment.push(row(
                "Level chosen instead of the recommendation",
                format!(
                    "{} recommended; chosen because: {reason}",
                    dec.recommended_name
                ),
            ));
        }
        assessment.push(row("Playbook", dec.playbook.label()));
    }
    assessment.push(row("Impact", or_none(&d.impact)));
    assessment.push(row("Evidence", or_none(&d.evidence)));

    let mut recommendation = vec![row(
        "Asked of the next tier",
        if d.expectation.trim().is_empty() {
            "Take the case over and contact the customer.".to_string()
        } else {
            format!(
                "Take the case over and contact the customer. They expect: {}",
                d.expectation.trim()
            )
        },
    )];
    if let Some(dec) = decision {
        recommendation.push(row("Customer was told", dec.customer_message.clone()));
        recommendation.push(row(
            "Next contact promised to the customer by",
            show_time(dec.response_due),
        ));
    }
    recommendation.push(row("Owner", or_none(&d.owner)));

    let mut sections = vec![
        Section {
            title: "Situation".into(),
            rows: situation,
        },
        Section {
            title: "Background".into(),
            rows: background,
        },
        Section {
            title: "Assessment".into(),
            rows: assessment,
        },
        Section {
            title: "Recommendation".into(),
            rows: recommendation,
        },
    ];
    // Resolved or closed: what resolved it, and what it taught (the latest close-out).
    if let Some(c) = case.closeouts.last() {
        let mut rows: Vec<Row> = c
            .rows()
            .into_iter()
            .map(|(label, values)| match values.len() {
                1 if label != "Lessons learned" && label != "Follow-up actions" => {
                    row(label, values.into_iter().next().unwrap_or_default())
                }
                _ => list(label, values),
            })
            .collect();
        if let Some(at) = c.closed_at {
            rows.push(row("Closed", show_time(at)));
        }
        if case.closeouts.len() > 1 {
            let n = case.closeouts.len() - 1;
            rows.push(row(
                "Resolved before",
                if n == 1 {
                    "Once; that close-out is in the case's history".to_string()
                } else {
                    format!("{n} times; those close-outs are in the case's history")
                },
            ));
        }
        sections.push(Section {
            title: "Close-out".into(),
            rows,
        });
    }
    Summary {
        title: format!("Escalation {}", case.reference),
        sections,
    }
}

/// Escapes user text for Markdown, so it shows as typed and never becomes a link, HTML,
/// code or formatting: the characters that mean something anywhere in a line are backslashed,
/// and those that only mean something at its start (lists, headings, quotes) only there.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push_str("  \n");
        }
        let trimmed = line.trim_start();
        out.push_str(&line[..line.len() - trimmed.len()]);
        if trimmed.starts_with(['-', '+', '=']) || starts_with_ordinal(trimmed) {
            out.push('\\');
        }
        for c in trimmed.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// "1. " or "1) " at the start of a line would become a numbered list.
fn starts_with_ordinal(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'))
}

pub fn markdown(s: &Summary) -> String {
    let mut out = format!("# {}\n", escape_markdown(&s.title));
    for section in &s.sections {
        out.push_str(&format!("\n## {}\n\n", section.title));
        for r in &section.rows {
            if r.list {
                out.push_str(&format!("**{}:**\n\n", r.label));
                for v in &r.values {
                    out.push_str(&format!("- {}\n", escape_markdown(v).replace('\n', "\n  ")));
                }
                out.push('\n');
            } else {
                let v = r.values.first().map(String::as_str).unwrap_or("");
                out.push_str(&format!("**{}:** {}  \n", r.label, escape_markdown(v)));
            }
        }
    }
    out
}

pub fn text(s: &Summary) -> String {
    let mut out = format!("{}\n{}\n", s.title, "=".repeat(s.title.chars().count()));
    for section in &s.sections {
        out.push_str(&format!(
            "\n{}\n{}\n",
            section
                .title
                .chars()
                .map(super::letter_case::upper)
                .collect::<String>(),
            "-".repeat(section.title.chars().count())
        ));
        for r in &section.rows {
            if r.list {
                out.push_str(&format!("{}:\n", r.label));
                for v in &r.values {
                    out.push_str(&format!("  * {}\n", v.replace('\n', "\n    ")));
                }
            } else {
                let v = r.values.first().map(String::as_str).unwrap_or("");
                out.push_str(&format!("{}: {}\n", r.label, v.replace('\n', "\n  ")));
            }
        }
    }
    out
}

write_fields!(Summary { title, sections });
write_fields!(Section { title, rows });

impl ToJson for Row {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("label", &self.label)
            .field("values", &self.values)
            .field_if(self.list, "list", &true)
            .end();
    }
}

struct JsonOut<'a> {
    format: &'a str,
    v: u32,
    exported_at: DateTime<Utc>,
    redacted: bool,
    /// The schema of `case`, so an importer migrates it like any stored case.
    case_schema: u32,
    summary: &'a Summary,
    /// The whole case, so the receiving tier can import it with its history.
    case: &'a Case,
}

write_fields!(JsonOut<'_> {
    format,
    v,
    exported_at,
    redacted,
    case_schema,
    summary,
    case,
});

pub fn json(case: &Case, s: &Summary, redacted: bool, now: DateTime<Utc>) -> String {
    let mut shared = case.clone();
    if redacted {
        shared.details.customer.contact = mask_contact(&case.details.customer.contact);
        shared.details.customer.contact_masked = true;
    }
    super::json::pretty(&JsonOut {
        format: FORMAT,
        v: VERSION,
        exported_at: now,
        redacted,
        case_schema: super::migrate::CASE_SCHEMA,
        summary: s,
        case: &shared,
    })
}

/// The customer's message on its own, as recorded with the decision.
pub fn customer_text(case: &Case) -> Option<String> {
    case.decision().map(|d| d.customer_message.clone())
}

/// Everything a format needs, in one call.
pub fn render(
    case: &Case,
    p: &Playbook,
    format: Format,
    redacted: bool,
    now: DateTime<Utc>,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> String {
    let s = summary(case, p, redacted, show_time);
    match format {
        Format::Markdown => markdown(&s),
        Format::Text => text(&s),
        Format::Json => json(case, &s, redacted, now),
        Format::Customer => customer_text(case).unwrap_or_default(),
    }
}

/// The case with the export on its timeline.
pub fn exported(
    case: &Case,
    format: Format,
    how: &str,
    redacted: bool,
    acknowledged: &[Missing],
    now: DateTime<Utc>,
) -> Case {
    let mut next = case.clone();
    next.timeline.push(super::case::Entry {
        at: now,
        event: Event::HandedOff {
            format: format.label().to_string(),
            how: how.to_string(),
            redacted,
            playbook: case.decision().map(|d| d.playbook.label()),
            sent_without: acknowledged
                .iter()
                .map(|m| m.field.label().to_string())
                .collect(),
        },
    });
    next.updated_at = now;
    next
}

/// One CSV cell: quoted, quotes doubled, and a cell a spreadsheet would run as a formula
/// (starting with = + - @ tab or carriage return) prefixed with an apostrophe.
pub fn csv_cell(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// One row per case for spreadsheets, RFC 4180: every cell quoted, quotes doubled, and cells
/// that a spreadsheet would run as a formula (starting with = + - @ tab or carriage return)
/// prefixed with an apostrophe.
/// Every case as one CSV row; "Due" is the next deadline of a clock still counting.
pub fn csv(
    cases: &[Case],
    hours: &Hours,
    now: DateTime<Utc>,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> String {
    let header = [
        "Reference",
        "Status",
        "Subject",
        "Customer",
        "Account",
        "Channel",
        "Product",
        "Level",
        "Priority",
        "Owner",
        "Opened",
        "Updated",
        "Due",
    ];
    let mut out = header.map(csv_cell).join(",");
    out.push_str("\r\n");
    for c in cases {
        let d = &c.details;
        let decision = c.decision();
        let row = [
            c.reference.clone(),
            c.status.label().to_string(),
            d.subject.clone(),
            d.customer.name.clone(),
            d.customer.account.clone(),
            d.channel.label().to_string(),
            d.product.clone(),
            decision.map(|x| x.chosen_name.clone()).unwrap_or_default(),
            decision
                .map(|x| x.priority.label().to_string())
                .unwrap_or_default(),
            d.owner.clone(),
            show_time(c.created_at),
            show_time(c.updated_at),
            clocks(c, hours, now)
                .next_due()
                .map(show_time)
                .unwrap_or_default(),
        ];
        out.push_str(
            &row.iter()
                .map(|s| csv_cell(s))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_carries_no_formatting_marks() {
        let s = Summary {
            title: "ESC-2026-0001 · 50% off *today* #1".into(),
            sections: vec![],
        };
        let t = text(&s);
        assert!(t.starts_with("ESC-2026-0001 · 50% off *today* #1\n"));
        assert!(!t.contains('\\'));
        assert!(markdown(&s).contains("\\*today\\*"));
    }

    #[test]
    fn contacts_are_masked() {
        assert_eq!(mask_contact("zoe.muller@example.com"), "z***@example.com");
        assert_eq!(mask_contact("+44 7700 900123"), "+** **** ****23");
        assert_eq!(mask_contact(""), "");
    }

    #[test]
    fn markdown_escaping_neutralises_links_html_and_formatting() {
        assert_eq!(
            escape_markdown("<script>alert(1)</script> [x](javascript:y) *b* # h"),
            "\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:y) \\*b\\* \\# h"
        );
        assert_eq!(
            escape_markdown("a\n- b\n2. c\nESC-1"),
            "a  \n\\- b  \n\\2. c  \nESC-1"
        );
    }
}
