//! A case: the customer's problem as the agent records it, its status, and its timeline.
//!
//! Everything here is plain data and pure functions: the caller passes the current time in,
//! so every rule is testable with a fixed clock.

use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;

use super::clock::{Breach, Target};
use super::closeout::{CloseOut, Part, Review, Source};
use super::json::{
    deserialize_by_hand, text_enum, write_fields, Fields, FromJson, Object, Read, ToJson,
};
use super::playbook::Priority;
use super::triage::{Decision, Triage};

/// How the customer reached us.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Channel {
    #[default]
    Phone,
    Chat,
    Email,
    Social,
    InPerson,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::Chat,
        Channel::Email,
        Channel::Social,
        Channel::InPerson,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "Phone",
            Channel::Chat => "Chat",
            Channel::Email => "Email",
            Channel::Social => "Social media",
            Channel::InPerson => "In person",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::InPerson => "in_person",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Where a case is in its life. Only the moves in [`Status::next`] are allowed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Status {
    #[default]
    Draft,
    Escalated,
    Acknowledged,
    InProgress,
    /// Waiting on the customer: next update and resolution clocks pause.
    WaitingOnCustomer,
    /// Waiting on a third party (a vendor, a carrier): the clocks pause too.
    WaitingOnThirdParty,
    DeEscalated,
    Resolved,
    Closed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Draft,
        Status::Escalated,
        Status::Acknowledged,
        Status::InProgress,
        Status::WaitingOnCustomer,
        Status::WaitingOnThirdParty,
        Status::DeEscalated,
        Status::Resolved,
        Status::Closed,
        Status::Reopened,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Escalated => "Escalated",
            Status::Acknowledged => "Acknowledged",
            Status::InProgress => "In progress",
            Status::WaitingOnCustomer => "Waiting on customer",
            Status::WaitingOnThirdParty => "Waiting on third party",
            Status::DeEscalated => "De-escalated",
            Status::Resolved => "Resolved",
            Status::Closed => "Closed",
            Status::Reopened => "Reopened",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Escalated => "escalated",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in_progress",
            Status::WaitingOnCustomer => "waiting_customer",
            Status::WaitingOnThirdParty => "waiting_third_party",
            Status::DeEscalated => "de_escalated",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Reopened => "reopened",
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The statuses a case may move to from this one.
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            // A case escalates only with a level (triage, or by hand with a reason):
            // `triage::decide` and `triage::move_level` make that move, never a bare status.
            Draft => &[Resolved],
            Escalated => &[Acknowledged, InProgress, Resolved],
            Acknowledged => &[InProgress, WaitingOnCustomer, WaitingOnThirdParty, Resolved],
            InProgress => &[WaitingOnCustomer, WaitingOnThirdParty, Resolved],
            WaitingOnCustomer | WaitingOnThirdParty => &[InProgress, Resolved],
            DeEscalated => &[InProgress, Resolved],
            Resolved => &[Closed, Reopened],
            Closed => &[Reopened],
            Reopened => &[InProgress, WaitingOnCustomer, WaitingOnThirdParty, Resolved],
        }
    }

    /// The wording of the button that makes this move.
    pub fn action_label(self) -> &'static str {
        match self {
            Status::Draft => "Back to draft",
            Status::Escalated => "Escalate",
            Status::Acknowledged => "Acknowledge",
            Status::InProgress => "Start work",
            Status::WaitingOnCustomer => "Wait on customer",
            Status::WaitingOnThirdParty => "Wait on third party",
            Status::DeEscalated => "De-escalate",
            Status::Resolved => "Mark resolved",
            Status::Closed => "Close",
            Status::Reopened => "Reopen",
        }
    }

    /// Escalated with no level: stored by an older version, whose "Escalate" allowed it. Shown
    /// as needing a level (in the queue too) until it is triaged or escalated by hand.
    pub fn needs_level(case: &Case) -> bool {
        case.status == Status::Escalated && case.decisions.is_empty()
    }

    /// Open cases can fall overdue; resolved and closed ones can't.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }

    /// Waiting on someone else: the clocks that measure us pause.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            Status::WaitingOnCustomer | Status::WaitingOnThirdParty
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customer {
    pub name: String,
    /// Email address or phone number, as the customer gave it.
    pub contact: String,
    /// `contact` is the masked form a redacted handoff carries (`z***@example.com`), not the
    /// customer's real contact: a merge never lets it overwrite a real one (see `merge`).
    pub contact_masked: bool,
    /// `contact` was typed over a masked one (the receiver of a redacted handoff put in a new
    /// contact): coming back, it is asked beside the real one, never taken unasked.
    pub contact_over_mask: bool,
    /// Account, plan or contract.
    pub account: String,
    pub vip: bool,
}

/// Something the agent already tried, with what came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: DateTime<Utc>,
    pub action: String,
    pub outcome: String,
}

/// The part of a case the agent edits in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub customer: Customer,
    pub channel: Channel,
    /// Product or area concerned.
    pub product: String,
    pub subject: String,
    pub description: String,
    /// What the customer expects to happen.
    pub expectation: String,
    /// By when the customer expects it.
    pub deadline: Option<DateTime<Utc>>,
    pub steps: Vec<Step>,
    /// How many times the customer has contacted us about this, this contact included.
    pub contact_count: u32,
    pub owner: String,
    /// Who and what is affected, and how badly.
    pub impact: String,
    /// Logs, screenshots, ticket links the next tier can look at.
    pub evidence: String,
}

/// One line of a case's history. Entries are only ever appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub event: Event,
}

/// Stored as `{"type": "status_changed", "from": ..., "to": ...}`. Read back by
/// its [`FromJson`] impl, written by hand: serde's derived reader for an internally tagged
/// enum was the largest single function of the download (30 KB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Opened {
        reference: String,
    },
    Edited {
        fields: Vec<String>,
    },
    StepAdded {
        action: String,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    /// Two tabs saved the same case; the agent kept one version.
    ConflictResolved {
        kept: String,
    },
    /// The case came back from an export file.
    Restored {
        from_file: String,
    },
    TriageStarted {
        playbook: String,
    },
    /// The handoff left: copied, downloaded or printed.
    HandedOff {
        format: String,
        how: String,
        redacted: bool,
        playbook: Option<String>,
        /// Required parts that were empty, sent anyway with the agent's acknowledgement.
        sent_without: Vec<String>,
    },
    /// The agent accepted the recommended level, or chose another with a reason.
    Triaged {
        level: String,
        recommended: String,
        priority: Priority,
        override_reason: Option<String>,
        playbook: String,
    },
    /// The case moved to another level by hand, or on silence, with the reason.
    LevelChanged {
        from: String,
        to: String,
        how: LevelMove,
        reason: String,
    },
    /// The customer was given an update; the next-update clock starts again.
    UpdateLogged {
        note: String,
    },
    /// The level was notified again after its silence timeout; its silence timer restarts.
    Renotified {
        level: String,
    },
    /// A deadline passed. Recorded once, and kept whatever happens to the case later.
    Breached {
        target: Target,
        level: String,
        due: DateTime<Utc>,
    },
    /// What resolved the case, as the agent wrote it on resolving.
    Resolution {
        summary: String,
    },
    /// The close-out's root cause (its category's name as it was), after so many whys.
    RootCause {
        name: String,
        whys: u32,
    },
    LessonLearned {
        text: String,
        share: bool,
    },
    FollowUpAdded {
        what: String,
        owner: String,
        due: Option<chrono::NaiveDate>,
    },
    FollowUpDone {
        what: String,
    },
    SatisfactionRecorded {
        score: u8,
        source: Source,
        comment: String,
    },
    /// A part the level requires to close was skipped, with the reason.
    CloseOutSkipped {
        part: Part,
        reason: String,
    },
    /// A team lead reviewed how the case was handled.
    Reviewed {
        reviewer: String,
        exemplary: bool,
    },
    /// The case's owner read the feedback given so far.
    FeedbackRead,
}

/// Why a case changed level outside a triage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelMove {
    /// Escalated by hand, ahead of the triage result.
    Forced,
    /// The level did not acknowledge within its silence timeout.
    Silence,
    /// Moved down.
    DeEscalated,
}

/// Reads an event as [`Event`]'s `Serialize` writes it; an absent optional field is `None` and
/// an absent list is empty, as serde's derive had it.
impl FromJson for Event {
    fn from_json(v: &Value) -> Read<Event> {
        let f = Fields::of(v)?;
        let kind: String = f.get("type")?;
        let text = |k: &str| f.get::<String>(k);
        let maybe_text = |k: &str| f.get::<Option<String>>(k);
        let texts = |k: &str| f.get_or_default::<Vec<String>>(k);
        Ok(match kind.as_str() {
            "opened" => Event::Opened {
                reference: text("reference")?,
            },
            "edited" => Event::Edited {
                fields: texts("fields")?,
            },
            "step_added" => Event::StepAdded {
                action: text("action")?,
            },
            "status_changed" => Event::StatusChanged {
                from: f.get("from")?,
                to: f.get("to")?,
            },
            "conflict_resolved" => Event::ConflictResolved {
                kept: text("kept")?,
            },
            "restored" => Event::Restored {
                from_file: text("from_file")?,
            },
            "triage_started" => Event::TriageStarted {
                playbook: text("playbook")?,
            },
            "handed_off" => Event::HandedOff {
                format: text("format")?,
                how: text("how")?,
                redacted: f.get("redacted")?,
                playbook: maybe_text("playbook")?,
                sent_without: texts("sent_without")?,
            },
            "triaged" => Event::Triaged {
                level: text("level")?,
                recommended: text("recommended")?,
                priority: f.get("priority")?,
                override_reason: maybe_text("override_reason")?,
                playbook: text("playbook")?,
            },
            "level_changed" => Event::LevelChanged {
                from: text("from")?,
                to: text("to")?,
                how: f.get("how")?,
                reason: text("reason")?,
            },
            "update_logged" => Event::UpdateLogged {
                note: text("note")?,
            },
            "renotified" => Event::Renotified {
                level: text("level")?,
            },
            "breached" => Event::Breached {
                target: f.get("target")?,
                level: text("level")?,
                due: f.get("due")?,
            },
            "resolution" => Event::Resolution {
                summary: text("summary")?,
            },
            "root_cause" => Event::RootCause {
                name: text("name")?,
                whys: f.get_or_default("whys")?,
            },
            "lesson_learned" => Event::LessonLearned {
                text: text("text")?,
                share: f.get_or_default("share")?,
            },
            "follow_up_added" => Event::FollowUpAdded {
                what: text("what")?,
                owner: f.get_or_default("owner")?,
                due: f.get_or_default("due")?,
            },
            "follow_up_done" => Event::FollowUpDone {
                what: text("what")?,
            },
            "satisfaction_recorded" => Event::SatisfactionRecorded {
                score: f.get("score")?,
                source: f.get_or_default("source")?,
                comment: f.get_or_default("comment")?,
            },
            "close_out_skipped" => Event::CloseOutSkipped {
                part: f.get("part")?,
                reason: text("reason")?,
            },
            "reviewed" => Event::Reviewed {
                reviewer: text("reviewer")?,
                exemplary: f.get_or_default("exemplary")?,
            },
            "feedback_read" => Event::FeedbackRead,
            other => {
                return Err(format!(
                    "unknown timeline entry type “{}”",
                    other.chars().take(40).collect::<String>()
                )
                .into())
            }
        })
    }
}

impl Event {
    /// One sentence for the timeline.
    pub fn describe(&self) -> String {
        match self {
            Event::Opened { reference } => format!("Case {reference} opened"),
            Event::Edited { fields } => format!("Edited {}", fields.join(", ")),
            Event::StepAdded { action } => format!("Step recorded: {action}"),
            Event::StatusChanged { from, to } => {
                format!("Status changed from {} to {}", from.label(), to.label())
            }
            Event::ConflictResolved { kept } => {
                format!("Edited in two places at once; kept {kept}")
            }
            Event::Restored { from_file } => format!("Restored from {from_file}"),
            Event::TriageStarted { playbook } => format!("Triage started (playbook {playbook})"),
            Event::HandedOff {
                format,
                how,
                redacted,
                playbook,
                sent_without,
            } => {
                let mut text = format!(
                    "Handoff {how} as {format}{}",
                    if *redacted { ", redacted" } else { "" }
                );
                if let Some(p) = playbook {
                    text.push_str(&format!(" (playbook {p})"));
                }
                if !sent_without.is_empty() {
                    text.push_str(&format!("; sent without: {}", sent_without.join(", ")));
                }
                text
            }
            Event::LevelChanged {
                from,
                to,
                how,
                reason,
            } => {
                let verb = match how {
                    LevelMove::Forced => "Escalated by hand",
                    LevelMove::Silence => "Escalated on silence",
                    LevelMove::DeEscalated => "De-escalated",
                };
                format!("{verb} from {from} to {to}, because: {reason}")
            }
            Event::UpdateLogged { note } if note.trim().is_empty() => {
                "Customer given an update".to_string()
            }
            Event::UpdateLogged { note } => format!("Customer given an update: {note}"),
            Event::Renotified { level } => format!("{level} notified again (no acknowledgement)"),
            Event::Breached { target, level, .. } if level.is_empty() => {
                format!("{} breached", target.label())
            }
            Event::Breached { target, level, .. } => {
                format!("{} breached at {level}", target.label())
            }
            Event::Resolution { summary } if summary.trim().is_empty() => {
                "Resolved (no summary written)".to_string()
            }
            Event::Resolution { summary } => format!("Resolution: {summary}"),
            Event::RootCause { name, whys: 0 } => format!("Root cause: {name}"),
            Event::RootCause { name, whys } => {
                format!("Root cause: {name} (found with {whys} whys)")
            }
            Event::LessonLearned { text, share } => format!(
                "Lesson learned{}: {text}",
                if *share { " (shared with the team)" } else { "" }
            ),
            Event::FollowUpAdded { what, owner, due } => {
                let mut line = format!("Follow-up: {what}");
                if !owner.trim().is_empty() {
                    line.push_str(&format!(", by {owner}"));
                }
                if let Some(due) = due {
                    line.push_str(&format!(", due {}", super::closeout::iso_day(*due)));
                }
                line
            }
            Event::FollowUpDone { what } => format!("Follow-up done: {what}"),
            Event::SatisfactionRecorded {
                score,
                source,
                comment,
            } => {
                let mut line = format!("Customer satisfaction {score} of 5 ({})", source.label());
                if !comment.trim().is_empty() {
                    line.push_str(&format!(": {comment}"));
                }
                line
            }
            Event::CloseOutSkipped { part, reason } => {
                format!("Closed without {}, because: {reason}", crate::core::letter_case::to_lower(part.label()))
            }
            Event::Reviewed {
                reviewer,
                exemplary,
            } => format!(
                "Reviewed by {reviewer}{}",
                if *exemplary { ": exemplary handling" } else { "" }
            ),
            Event::FeedbackRead => "Feedback read".to_string(),
            Event::Triaged {
                level,
                recommended,
                priority,
                override_reason,
                playbook,
            } => match override_reason {
                None => format!(
                    "Triaged {}: {level} (recommended, playbook {playbook})",
                    priority.label()
                ),
                Some(reason) => format!(
                    "Triaged {}: {level} instead of the recommended {recommended}, because: {reason} (playbook {playbook})",
                    priority.label()
                ),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Stable, unique, never shown: the storage key is made from it.
    pub id: String,
    /// What people say on the phone: `ESC-2026-0042`.
    pub reference: String,
    /// Counts saves; a save based on an older revision than the stored one is a conflict.
    pub rev: u64,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub details: Details,
    pub timeline: Vec<Entry>,
    /// The checklist and tree answers of a triage in progress.
    pub triage: Option<Triage>,
    /// Every triage decision taken, oldest first; the last one is in force.
    pub decisions: Vec<Decision>,
    /// The helpdesk ticket this case belongs to, when the app is embedded in a helpdesk.
    pub ticket_id: Option<String>,
    /// What each resolution taught, oldest first; the last is still open while the case is
    /// resolved and not closed.
    pub closeouts: Vec<CloseOut>,
    /// The team lead's reviews of how the case was handled, oldest first.
    pub reviews: Vec<Review>,
}

/// What a case is called on its header, the list, the list's filter and the queue: its status,
/// except that a draft triaged to stay at tier 1 is "Kept at tier 1" (issue 33.6): the agent
/// decided and owns it, and it has clocks, which a draft has not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Status(Status),
    KeptAtTier1,
}

impl State {
    pub const ALL: [State; 11] = [
        State::Status(Status::Draft),
        State::KeptAtTier1,
        State::Status(Status::Escalated),
        State::Status(Status::Acknowledged),
        State::Status(Status::InProgress),
        State::Status(Status::WaitingOnCustomer),
        State::Status(Status::WaitingOnThirdParty),
        State::Status(Status::DeEscalated),
        State::Status(Status::Resolved),
        State::Status(Status::Closed),
        State::Status(Status::Reopened),
    ];

    pub fn label(self) -> &'static str {
        match self {
            State::Status(s) => s.label(),
            State::KeptAtTier1 => "Kept at tier 1",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            State::Status(s) => s.key(),
            State::KeptAtTier1 => "kept_at_tier1",
        }
    }

    pub fn from_key(key: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.key() == key)
    }
}

impl Case {
    /// The case's state: a draft with a triage decision in force was kept at tier 1 (a
    /// decision to any other level moves the case out of Draft).
    pub fn state(&self) -> State {
        if self.status == Status::Draft && !self.decisions.is_empty() {
            State::KeptAtTier1
        } else {
            State::Status(self.status)
        }
    }
}

/// Edits saved less than this apart, with nothing else in between, read as one on the timeline.
pub const EDIT_BURST: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// The human reference for the `seq`-th case of a year: `ESC-2026-0042`.
pub fn reference(year: i32, seq: u32) -> String {
    format!("ESC-{year}-{seq:04}")
}

/// The year and sequence number of a reference made by [`reference`].
pub fn parse_reference(reference: &str) -> Option<(i32, u32)> {
    let rest = reference.strip_prefix("ESC-")?;
    let (year, seq) = rest.split_once('-')?;
    Some((year.parse().ok()?, seq.parse().ok()?))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a case that is {} cannot become {}", .from.label(), .to.label())]
    NotAllowed { from: Status, to: Status },
}

impl Case {
    /// A new draft case with an empty form.
    pub fn open(id: String, seq: u32, details: Details, now: DateTime<Utc>) -> Case {
        let reference = reference(now.year(), seq);
        let mut timeline = vec![Entry {
            at: now,
            event: Event::Opened {
                reference: reference.clone(),
            },
        }];
        timeline.extend(details.steps.iter().map(|s| Entry {
            at: now,
            event: Event::StepAdded {
                action: s.action.clone(),
            },
        }));
        Case {
            id,
            reference,
            rev: 0,
            status: Status::Draft,
            created_at: now,
            updated_at: now,
            details,
            timeline,
            triage: None,
            decisions: Vec::new(),
            ticket_id: None,
            closeouts: Vec::new(),
            reviews: Vec::new(),
        }
    }

    /// The timeline as the agent reads it, oldest first: a burst of edits (edits saved as the
    /// agent types, each less than [`EDIT_BURST`] after the one before, with nothing else in
    /// between) reads as one line naming every field it changed. The entries stay as stored,
    /// one per save, so merges still see who touched what.
    pub fn history(&self) -> Vec<(DateTime<Utc>, String)> {
        let mut lines: Vec<(DateTime<Utc>, String)> = Vec::new();
        let mut burst: Option<(DateTime<Utc>, Vec<String>)> = None;
        for entry in &self.timeline {
            if let Event::Edited { fields } = &entry.event {
                if let Some((last, names)) = burst.as_mut() {
                    if entry.at - *last < EDIT_BURST {
                        *last = entry.at;
                        for f in fields {
                            if !names.contains(f) {
                                names.push(f.clone());
                            }
                        }
                        lines.pop();
                        lines.push((entry.at, format!("Edited {}", names.join(", "))));
                        continue;
                    }
                }
                burst = Some((entry.at, fields.clone()));
            } else {
                burst = None;
            }
            lines.push((entry.at, entry.event.describe()));
        }
        lines
    }

    /// The decision in force, if the case was triaged.
    pub fn decision(&self) -> Option<&Decision> {
        self.decisions.last()
    }

    /// The earliest of what is due: the first response while the receiving tier hasn't
    /// acknowledged, the resolution target of the decision in force, the customer's deadline.
    /// The customer was given an update (a call, a message); the next-update clock restarts.
    pub fn update_logged(&self, note: &str, now: DateTime<Utc>) -> Case {
        let mut case = self.clone();
        case.timeline.push(Entry {
            at: now,
            event: Event::UpdateLogged {
                note: note.trim().to_string(),
            },
        });
        case.updated_at = now;
        case
    }

    /// The case with these breaches recorded on its timeline, once each; `None` if all already are.
    pub fn with_breaches(&self, breaches: &[Breach], now: DateTime<Utc>) -> Option<Case> {
        if breaches.is_empty() {
            return None;
        }
        let mut case = self.clone();
        for b in breaches {
            case.timeline.push(Entry {
                at: now,
                event: Event::Breached {
                    target: b.target,
                    level: b.level.clone(),
                    due: b.due,
                },
            });
        }
        Some(case)
    }

    /// The case with the form's new details, and a timeline entry naming what changed.
    /// Returns `None` when nothing changed, so saving an untouched form writes nothing.
    pub fn edited(&self, details: Details, now: DateTime<Utc>) -> Option<Case> {
        let fields = changed_fields(&self.details, &details);
        if fields.is_empty() {
            return None;
        }
        let mut case = self.clone();
        let added_steps: Vec<String> = details
            .steps
            .iter()
            .filter(|s| !self.details.steps.contains(s))
            .map(|s| s.action.clone())
            .collect();
        let other_fields: Vec<String> = fields.into_iter().filter(|f| f != "steps").collect();
        if !other_fields.is_empty() {
            case.timeline.push(Entry {
                at: now,
                event: Event::Edited {
                    fields: other_fields,
                },
            });
        }
        let steps_removed = details.steps.len() < self.details.steps.len() + added_steps.len();
        case.timeline
            .extend(added_steps.into_iter().map(|action| Entry {
                at: now,
                event: Event::StepAdded { action },
            }));
        if steps_removed {
            case.timeline.push(Entry {
                at: now,
                event: Event::Edited {
                    fields: vec!["steps".into()],
                },
            });
        }
        case.details = details;
        case.updated_at = now;
        Some(case)
    }

    /// The case moved to `to`, with the move on its timeline.
    pub fn transitioned(&self, to: Status, now: DateTime<Utc>) -> Result<Case, TransitionError> {
        if !self.status.next().contains(&to) {
            return Err(TransitionError::NotAllowed {
                from: self.status,
                to,
            });
        }
        let mut case = self.clone();
        case.timeline.push(Entry {
            at: now,
            event: Event::StatusChanged {
                from: self.status,
                to,
            },
        });
        case.status = to;
        case.updated_at = now;
        Ok(case)
    }
}

/// The names, as an agent reads them, of the fields that differ between two forms.
pub fn changed_fields(old: &Details, new: &Details) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |differs: bool, name: &str| {
        if differs {
            out.push(name.to_string());
        }
    };
    check(old.customer.name != new.customer.name, "customer name");
    check(old.customer.contact != new.customer.contact, "contact");
    check(old.customer.account != new.customer.account, "account");
    check(old.customer.vip != new.customer.vip, "VIP");
    check(old.channel != new.channel, "channel");
    check(old.product != new.product, "product");
    check(old.subject != new.subject, "subject");
    check(old.description != new.description, "description");
    check(old.expectation != new.expectation, "expectation");
    check(old.deadline != new.deadline, "deadline");
    check(old.steps != new.steps, "steps");
    check(old.contact_count != new.contact_count, "contact count");
    check(old.owner != new.owner, "owner");
    check(old.impact != new.impact, "impact");
    check(old.evidence != new.evidence, "evidence");
    out
}

text_enum!(Channel via Channel::from_key, Channel::key);

text_enum!(Status {
    Draft = "draft",
    Escalated = "escalated",
    Acknowledged = "acknowledged",
    InProgress = "in_progress",
    WaitingOnCustomer = "waiting_on_customer",
    WaitingOnThirdParty = "waiting_on_third_party",
    DeEscalated = "de_escalated",
    Resolved = "resolved",
    Closed = "closed",
    Reopened = "reopened",
});

text_enum!(LevelMove {
    Forced = "forced",
    Silence = "silence",
    DeEscalated = "de_escalated",
});

impl FromJson for Customer {
    fn from_json(v: &Value) -> Read<Customer> {
        let f = Fields::of(v)?;
        Ok(Customer {
            name: f.get("name")?,
            contact: f.get("contact")?,
            contact_masked: f.get_or_default("contact_masked")?,
            contact_over_mask: f.get_or_default("contact_over_mask")?,
            account: f.get("account")?,
            vip: f.get("vip")?,
        })
    }
}

impl FromJson for Step {
    fn from_json(v: &Value) -> Read<Step> {
        let f = Fields::of(v)?;
        Ok(Step {
            at: f.get("at")?,
            action: f.get("action")?,
            outcome: f.get("outcome")?,
        })
    }
}

impl FromJson for Details {
    fn from_json(v: &Value) -> Read<Details> {
        let f = Fields::of(v)?;
        Ok(Details {
            customer: f.get("customer")?,
            channel: f.get("channel")?,
            product: f.get("product")?,
            subject: f.get("subject")?,
            description: f.get("description")?,
            expectation: f.get("expectation")?,
            deadline: f.get("deadline")?,
            steps: f.get("steps")?,
            contact_count: f.get("contact_count")?,
            owner: f.get("owner")?,
            impact: f.get_or_default("impact")?,
            evidence: f.get_or_default("evidence")?,
        })
    }
}

impl FromJson for Entry {
    fn from_json(v: &Value) -> Read<Entry> {
        let f = Fields::of(v)?;
        Ok(Entry {
            at: f.get("at")?,
            event: f.get("event")?,
        })
    }
}

impl FromJson for Case {
    fn from_json(v: &Value) -> Read<Case> {
        let f = Fields::of(v)?;
        Ok(Case {
            id: f.get("id")?,
            reference: f.get("reference")?,
            rev: f.get("rev")?,
            status: f.get("status")?,
            created_at: f.get("created_at")?,
            updated_at: f.get("updated_at")?,
            details: f.get("details")?,
            timeline: f.get("timeline")?,
            triage: f.get_or_default("triage")?,
            decisions: f.get_or_default("decisions")?,
            ticket_id: f.get_or_default("ticket_id")?,
            closeouts: f.get_or_default("closeouts")?,
            reviews: f.get_or_default("reviews")?,
        })
    }
}

deserialize_by_hand!(Channel, Status, LevelMove, Customer, Step, Details, Entry, Event, Case);

impl ToJson for Customer {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .field("contact", &self.contact)
            .field_if(self.contact_masked, "contact_masked", &true)
            .field_if(self.contact_over_mask, "contact_over_mask", &true)
            .field("account", &self.account)
            .field("vip", &self.vip)
            .end();
    }
}

write_fields!(Step {
    at,
    action,
    outcome
});
write_fields!(Details {
    customer,
    channel,
    product,
    subject,
    description,
    expectation,
    deadline,
    steps,
    contact_count,
    owner,
    impact,
    evidence,
});
write_fields!(Entry { at, event });

impl Event {
    /// Its `type`, as stored.
    fn kind(&self) -> &'static str {
        match self {
            Event::Opened { .. } => "opened",
            Event::Edited { .. } => "edited",
            Event::StepAdded { .. } => "step_added",
            Event::StatusChanged { .. } => "status_changed",
            Event::ConflictResolved { .. } => "conflict_resolved",
            Event::Restored { .. } => "restored",
            Event::TriageStarted { .. } => "triage_started",
            Event::HandedOff { .. } => "handed_off",
            Event::Triaged { .. } => "triaged",
            Event::LevelChanged { .. } => "level_changed",
            Event::UpdateLogged { .. } => "update_logged",
            Event::Renotified { .. } => "renotified",
            Event::Breached { .. } => "breached",
            Event::Resolution { .. } => "resolution",
            Event::RootCause { .. } => "root_cause",
            Event::LessonLearned { .. } => "lesson_learned",
            Event::FollowUpAdded { .. } => "follow_up_added",
            Event::FollowUpDone { .. } => "follow_up_done",
            Event::SatisfactionRecorded { .. } => "satisfaction_recorded",
            Event::CloseOutSkipped { .. } => "close_out_skipped",
            Event::Reviewed { .. } => "reviewed",
            Event::FeedbackRead => "feedback_read",
        }
    }
}

/// `{"type": "status_changed", "from": ..., "to": ...}`: the kind, then the fields in order.
impl ToJson for Event {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("type", self.kind());
        match self {
            Event::Opened { reference } => o.field("reference", reference),
            Event::Edited { fields } => o.field("fields", fields),
            Event::StepAdded { action } => o.field("action", action),
            Event::StatusChanged { from, to } => o.field("from", from).field("to", to),
            Event::ConflictResolved { kept } => o.field("kept", kept),
            Event::Restored { from_file } => o.field("from_file", from_file),
            Event::TriageStarted { playbook } => o.field("playbook", playbook),
            Event::HandedOff {
                format,
                how,
                redacted,
                playbook,
                sent_without,
            } => o
                .field("format", format)
                .field("how", how)
                .field("redacted", redacted)
                .field("playbook", playbook)
                .field("sent_without", sent_without),
            Event::Triaged {
                level,
                recommended,
                priority,
                override_reason,
                playbook,
            } => o
                .field("level", level)
                .field("recommended", recommended)
                .field("priority", priority)
                .field("override_reason", override_reason)
                .field("playbook", playbook),
            Event::LevelChanged {
                from,
                to,
                how,
                reason,
            } => o
                .field("from", from)
                .field("to", to)
                .field("how", how)
                .field("reason", reason),
            Event::UpdateLogged { note } => o.field("note", note),
            Event::Renotified { level } => o.field("level", level),
            Event::Breached { target, level, due } => o
                .field("target", target)
                .field("level", level)
                .field("due", due),
            Event::Resolution { summary } => o.field("summary", summary),
            Event::RootCause { name, whys } => o.field("name", name).field("whys", whys),
            Event::LessonLearned { text, share } => o.field("text", text).field("share", share),
            Event::FollowUpAdded { what, owner, due } => o
                .field("what", what)
                .field("owner", owner)
                .field("due", due),
            Event::FollowUpDone { what } => o.field("what", what),
            Event::SatisfactionRecorded {
                score,
                source,
                comment,
            } => o
                .field("score", score)
                .field("source", source)
                .field("comment", comment),
            Event::CloseOutSkipped { part, reason } => {
                o.field("part", part).field("reason", reason)
            }
            Event::Reviewed {
                reviewer,
                exemplary,
            } => o.field("reviewer", reviewer).field("exemplary", exemplary),
            Event::FeedbackRead => &mut o,
        };
        o.end();
    }
}

impl ToJson for Case {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("reference", &self.reference)
            .field("rev", &self.rev)
            .field("status", &self.status)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("details", &self.details)
            .field("timeline", &self.timeline)
            .field("triage", &self.triage)
            .field("decisions", &self.decisions)
            .field("ticket_id", &self.ticket_id)
            .field_if(!self.closeouts.is_empty(), "closeouts", &self.closeouts)
            .field_if(!self.reviews.is_empty(), "reviews", &self.reviews)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap()
    }

    fn sample() -> Case {
        let details = Details {
            subject: "Router drops every hour".into(),
            ..Details::default()
        };
        Case::open("c1".into(), 42, details, t(9))
    }

    #[test]
    fn a_new_case_is_a_draft_with_a_reference_and_an_opening_entry() {
        let case = sample();
        assert_eq!(case.reference, "ESC-2026-0042");
        assert_eq!(case.status, Status::Draft);
        assert_eq!(case.timeline.len(), 1);
        assert_eq!(
            case.timeline[0].event.describe(),
            "Case ESC-2026-0042 opened"
        );
    }

    #[test]
    fn a_burst_of_saves_reads_as_one_edit_on_the_timeline() {
        let at = |m: i64| t(9) + chrono::TimeDelta::minutes(m);
        let mut case = sample();
        let mut d = case.details.clone();
        for (m, text) in [(1, "Rou"), (2, "Router"), (3, "Router drops")] {
            d.description = text.into();
            case = case.edited(d.clone(), at(m)).unwrap();
        }
        d.customer.name = "Nina".into();
        case = case.edited(d.clone(), at(5)).unwrap();
        // Stored as saved: one entry per save.
        assert_eq!(case.timeline.len(), 5);
        let lines: Vec<String> = case.history().into_iter().map(|(_, l)| l).collect();
        assert_eq!(
            lines,
            [
                "Case ESC-2026-0042 opened",
                "Edited description, customer name"
            ]
        );
        // Something else in between, or a long pause, starts a new line.
        case = case.transitioned(Status::Resolved, at(6)).unwrap();
        d.owner = "Sam".into();
        case = case.edited(d.clone(), at(7)).unwrap();
        d.owner = "Sam Lee".into();
        case = case.edited(d, at(40)).unwrap();
        let lines: Vec<String> = case.history().into_iter().map(|(_, l)| l).collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[3], "Edited owner");
        assert_eq!(lines[4], "Edited owner");
    }

    #[test]
    fn references_round_trip() {
        assert_eq!(parse_reference(&reference(2027, 7)), Some((2027, 7)));
        assert_eq!(parse_reference("ESC-2026-12345"), Some((2026, 12345)));
        assert_eq!(parse_reference("TICKET-1"), None);
    }

    #[test]
    fn an_edit_names_the_fields_that_changed() {
        let case = sample();
        let mut d = case.details.clone();
        d.subject = "Router drops every 10 minutes".into();
        d.customer.vip = true;
        let edited = case.edited(d, t(10)).unwrap();
        assert_eq!(edited.updated_at, t(10));
        assert_eq!(
            edited.timeline.last().unwrap().event,
            Event::Edited {
                fields: vec!["VIP".into(), "subject".into()]
            }
        );
    }

    #[test]
    fn an_untouched_form_changes_nothing() {
        let case = sample();
        assert!(case.edited(case.details.clone(), t(10)).is_none());
    }

    #[test]
    fn adding_a_step_lands_on_the_timeline_as_a_step() {
        let case = sample();
        let mut d = case.details.clone();
        d.steps.push(Step {
            at: t(9),
            action: "Power-cycled the router".into(),
            outcome: "Still drops".into(),
        });
        let edited = case.edited(d, t(10)).unwrap();
        assert_eq!(edited.timeline.len(), 2);
        assert_eq!(
            edited.timeline[1].event.describe(),
            "Step recorded: Power-cycled the router"
        );
    }

    #[test]
    fn only_listed_transitions_are_allowed() {
        let case = sample();
        assert!(case.transitioned(Status::Closed, t(10)).is_err());
        // Escalating needs a level: never a bare status move.
        let err = case.transitioned(Status::Escalated, t(10)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a case that is Draft cannot become Escalated"
        );
        let resolved = case.transitioned(Status::Resolved, t(10)).unwrap();
        assert_eq!(resolved.status, Status::Resolved);
        assert_eq!(
            resolved.timeline.last().unwrap().event.describe(),
            "Status changed from Draft to Resolved"
        );
        let err = resolved
            .transitioned(Status::Acknowledged, t(11))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a case that is Resolved cannot become Acknowledged"
        );
    }

    #[test]
    fn every_kind_of_timeline_entry_reads_back_as_written() {
        let events = vec![
            Event::Opened {
                reference: "ESC-2026-0001".into(),
            },
            Event::Edited {
                fields: vec!["subject".into(), "owner".into()],
            },
            Event::StepAdded {
                action: "Rebooted".into(),
            },
            Event::StatusChanged {
                from: Status::Draft,
                to: Status::WaitingOnThirdParty,
            },
            Event::ConflictResolved {
                kept: "both".into(),
            },
            Event::Restored {
                from_file: "x.json".into(),
            },
            Event::TriageStarted {
                playbook: "default v2".into(),
            },
            Event::HandedOff {
                format: "Markdown".into(),
                how: "copied".into(),
                redacted: true,
                playbook: None,
                sent_without: vec!["Steps already taken".into()],
            },
            Event::Triaged {
                level: "Level 2".into(),
                recommended: "Level 1".into(),
                priority: Priority::P2,
                override_reason: Some("VIP".into()),
                playbook: "default v2".into(),
            },
            Event::LevelChanged {
                from: "Level 1".into(),
                to: "Level 2".into(),
                how: LevelMove::Silence,
                reason: "no answer".into(),
            },
            Event::UpdateLogged {
                note: String::new(),
            },
            Event::Renotified {
                level: "Level 1".into(),
            },
            Event::Breached {
                target: Target::Update,
                level: "Level 1".into(),
                due: t(11),
            },
            Event::Resolution {
                summary: "Refunded \"twice\"\n".into(),
            },
            Event::RootCause {
                name: "Billing bug".into(),
                whys: 3,
            },
            Event::LessonLearned {
                text: "Check the ledger".into(),
                share: true,
            },
            Event::FollowUpAdded {
                what: "Fix it".into(),
                owner: "Ana".into(),
                due: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
            },
            Event::FollowUpAdded {
                what: "Tell them".into(),
                owner: String::new(),
                due: None,
            },
            Event::FollowUpDone {
                what: "Fix it".into(),
            },
            Event::SatisfactionRecorded {
                score: 4,
                source: Source::Call,
                comment: "ok\u{1}".into(),
            },
            Event::CloseOutSkipped {
                part: Part::Lessons,
                reason: "none".into(),
            },
            Event::Reviewed {
                reviewer: "Lead".into(),
                exemplary: false,
            },
            Event::FeedbackRead,
        ];
        // Byte for byte what serde's derive wrote before the writers were written by hand.
        let written: Vec<String> = events.iter().map(crate::core::json::to_string).collect();
        assert_eq!(
            written.join("\n") + "\n",
            include_str!("../../tests/golden/events.jsonl")
        );
        for e in events {
            let json = crate::core::json::to_string(&e);
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e, "{json}");
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::from_value::<Event>(value).unwrap(), e);
        }
        // What serde's derive accepted: an absent optional field and an absent list.
        let old = r#"{"type":"handed_off","format":"Text","how":"downloaded","redacted":false}"#;
        assert!(matches!(
            serde_json::from_str::<Event>(old).unwrap(),
            Event::HandedOff { playbook: None, ref sent_without, .. } if sent_without.is_empty()
        ));
        for bad in [
            r#"{"type":"teleported"}"#,
            r#"{"reference":"x"}"#,
            r#"{"type":"opened"}"#,
            r#"{"type":"status_changed","from":"draft","to":"nowhere"}"#,
            r#"{"type":"edited","fields":"subject"}"#,
            r#"[]"#,
        ] {
            assert!(serde_json::from_str::<Event>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_status_is_reachable_from_draft_and_none_offers_itself() {
        // Escalated and de-escalated are reached by a level move (`triage::decide`,
        // `triage::move_level`), which names the level and why, never by a plain status move.
        let mut seen = vec![Status::Draft, Status::DeEscalated, Status::Escalated];
        let mut frontier = vec![Status::Draft, Status::Escalated, Status::DeEscalated];
        while let Some(s) = frontier.pop() {
            for n in s.next() {
                assert_ne!(*n, s);
                if !seen.contains(n) {
                    seen.push(*n);
                    frontier.push(*n);
                }
            }
        }
        assert_eq!(seen.len(), Status::ALL.len());
        for s in Status::ALL {
            assert_eq!(Status::from_key(s.key()), Some(s));
        }
    }

    #[test]
    fn overdue_only_while_open_and_past_the_deadline() {
        use crate::core::{clock::Hours, query::Row};
        let row = |c: &Case| Row::new(c.clone(), &Hours::always(), crate::core::letter_case::as_is);
        let mut case = sample();
        assert!(!row(&case).is_overdue(t(12)));
        case.details.deadline = Some(t(11));
        assert!(!row(&case).is_overdue(t(10)));
        assert!(row(&case).is_overdue(t(12)));
        case.status = Status::Resolved;
        assert!(!row(&case).is_overdue(t(12)));
    }
}
