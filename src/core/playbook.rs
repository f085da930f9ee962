//! The playbook: everything a team may tune about escalating. Trigger groups, the decision
//! tree, the levels with their targets and messages, and the urgency x impact priority matrix.
//! [`default_playbook`] is built from the facts in PRODUCT.md and the seeds; [`validate`] says
//! exactly where a broken playbook is broken, and a playbook that fails it is never used.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::json::{deserialize_by_hand, text_enum, Fields, FromJson, Read};

use super::clock::{Calendar, CalendarError, Hours};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Playbook {
    /// Stable name of this playbook, recorded on each triage with [`Playbook::version`].
    pub id: String,
    /// Raised by the team lead with every change, so a case shows which rules triaged it.
    pub version: u32,
    pub name: String,
    pub groups: Vec<TriggerGroup>,
    /// The first question of the decision tree.
    pub start: String,
    pub questions: Vec<Question>,
    pub levels: Vec<Level>,
    pub priority: PriorityRules,
    /// Communication tips shown when the case stays at tier 1.
    pub tier1_tips: Vec<String>,
    /// The team's working time, which business-time targets count in.
    pub calendar: Calendar,
    /// A clock warns once this percent of its time is used.
    pub warn_percent: u32,
}

fn default_warn_percent() -> u32 {
    75
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TriggerGroup {
    pub id: String,
    pub label: String,
    pub triggers: Vec<Trigger>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trigger {
    pub id: String,
    pub label: String,
    /// One line of help, shown on demand.
    pub help: String,
    /// A fact already on the case that ticks this trigger when a triage starts (the agent
    /// can untick it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_when: Option<Suggest>,
}

/// Facts of a case that suggest a trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Suggest {
    /// The customer is marked VIP or high-value.
    Vip,
    /// The customer contacted us this many times or more about it.
    Contacts { at_least: u32 },
    /// The customer's own deadline is this close, or already past.
    Deadline { within_hours: u32 },
}

impl Suggest {
    /// Why the trigger was ticked, in the agent's words.
    pub fn reason(self) -> String {
        match self {
            Suggest::Vip => "the customer is marked VIP".into(),
            Suggest::Contacts { at_least } => {
                format!("{at_least} or more contacts so far")
            }
            Suggest::Deadline { within_hours } => {
                format!("the customer's deadline is less than {within_hours} hours away, or past")
            }
        }
    }
}

impl FromJson for Suggest {
    fn from_json(v: &Value) -> Read<Suggest> {
        let f = Fields::of(v)?;
        let fact: String = f.get("fact")?;
        Ok(match fact.as_str() {
            "vip" => Suggest::Vip,
            "contacts" => Suggest::Contacts {
                at_least: f.get("at_least")?,
            },
            "deadline" => Suggest::Deadline {
                within_hours: f.get("within_hours")?,
            },
            other => return Err(super::json::unknown("case fact", other)),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: String,
    pub answers: Vec<Answer>,
    /// Checked triggers that answer this question before the agent is asked: the first rule
    /// whose trigger is checked gives the answer (the agent can still change it).
    pub preanswers: Vec<Preanswer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub id: String,
    pub label: String,
    pub next: Next,
}

/// Where an answer leads: another question, or a level (the end of the walk).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    Question(String),
    Level(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preanswer {
    pub trigger: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Level {
    pub id: String,
    /// 0 for tier 1, then 1 to 4: what "next level" means.
    pub rank: u8,
    pub name: String,
    /// Who receives the case at this level.
    pub receiver: String,
    /// Minutes to first response and to resolution, at priority P3 (the others scale them).
    pub response_minutes: u32,
    pub resolution_minutes: u32,
    /// Longest time between two updates to the customer once acknowledged (0: none).
    pub update_minutes: u32,
    /// How long the level may leave an escalation unacknowledged before the app proposes
    /// the next level (0: never).
    pub silence_minutes: u32,
    /// Targets count every minute, not only the calendar's working hours.
    pub around_the_clock: bool,
    /// What the handoff must contain before it can go.
    pub handoff_requires: Vec<Requirement>,
    /// What to tell the customer. `{customer}`, `{reference}`, `{receiver}`, `{response_due}`
    /// and `{resolution_due}` are filled in.
    pub customer_message: String,
}

/// A part of the case a handoff must carry. `blocks`: a handoff missing it does not go;
/// otherwise the agent may send it anyway, acknowledging the gap on the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub field: Field,
    pub blocks: bool,
}

/// The case fields a handoff can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Description,
    Steps,
    Expectation,
    Contact,
    Evidence,
    Impact,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Description => "Description of the issue",
            Field::Steps => "Steps already taken",
            Field::Expectation => "What the customer expects",
            Field::Contact => "Customer contact details",
            Field::Evidence => "Evidence or logs referenced",
            Field::Impact => "Impact (who and what is affected)",
        }
    }

    /// The id of the form control that fills it.
    pub fn control(self) -> &'static str {
        match self {
            Field::Description => "field-description",
            Field::Steps => "step-action",
            Field::Expectation => "field-expectation",
            Field::Contact => "field-contact",
            Field::Evidence => "field-evidence",
            Field::Impact => "field-impact",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    High,
    Medium,
    Low,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Grade::High, Grade::Medium, Grade::Low];

    pub fn label(self) -> &'static str {
        match self {
            Grade::High => "High",
            Grade::Medium => "Medium",
            Grade::Low => "Low",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Grade::High => "high",
            Grade::Medium => "medium",
            Grade::Low => "low",
        }
    }

    pub fn from_key(key: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.key() == key)
    }

    fn index(self) -> usize {
        match self {
            Grade::High => 0,
            Grade::Medium => 1,
            Grade::Low => 2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriorityRules {
    /// Rows: urgency high, medium, low; columns: impact high, medium, low.
    pub matrix: [[Priority; 3]; 3],
    /// Percent of a level's targets that applies at P1, P2, P3, P4 (lower is tighter).
    pub target_percent: [u32; 4],
    /// Triggers that set urgency when checked (the highest wins).
    pub urgency: Vec<GradeHint>,
    /// Triggers that set impact when checked (the highest wins).
    pub impact: Vec<GradeHint>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GradeHint {
    pub trigger: String,
    pub grade: Grade,
}

impl PriorityRules {
    pub fn priority(&self, urgency: Grade, impact: Grade) -> Priority {
        self.matrix[urgency.index()][impact.index()]
    }

    pub fn percent(&self, priority: Priority) -> u32 {
        self.target_percent[priority as usize]
    }
}

impl Playbook {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }

    pub fn trigger(&self, id: &str) -> Option<&Trigger> {
        self.groups
            .iter()
            .flat_map(|g| g.triggers.iter())
            .find(|t| t.id == id)
    }

    /// Levels from tier 1 up.
    pub fn levels_by_rank(&self) -> Vec<&Level> {
        let mut levels: Vec<&Level> = self.levels.iter().collect();
        super::sort::sort_by_key(&mut levels, |l| l.rank);
        levels
    }
}

/// One thing wrong with a playbook, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("The playbook has no levels.")]
    NoLevels,
    #[error("The id “{0}” is used more than once; ids must be unique.")]
    DuplicateId(String),
    #[error("The tree starts at question “{0}”, which doesn't exist.")]
    MissingStart(String),
    #[error("Question “{0}” has no answers.")]
    NoAnswers(String),
    #[error("Question “{question}”, answer “{answer}”: leads to question “{target}”, which doesn't exist.")]
    MissingQuestion {
        question: String,
        answer: String,
        target: String,
    },
    #[error(
        "Question “{question}”, answer “{answer}”: leads to level “{target}”, which doesn't exist."
    )]
    MissingLevel {
        question: String,
        answer: String,
        target: String,
    },
    #[error("Question “{question}” is pre-answered by trigger “{trigger}”, which doesn't exist.")]
    UnknownTrigger { question: String, trigger: String },
    #[error(
        "Question “{question}” is pre-answered with “{answer}”, which is not one of its answers."
    )]
    UnknownAnswer { question: String, answer: String },
    #[error("The priority rules name trigger “{0}”, which doesn't exist.")]
    UnknownHintTrigger(String),
    #[error("The questions loop: {0}.")]
    Loop(String),
    #[error("Question “{0}” can't be reached from the start of the tree.")]
    UnreachableQuestion(String),
    #[error("Level “{0}” can't be reached: no path through the tree ends there.")]
    UnreachableLevel(String),
    #[error("Level “{0}” has a resolution target shorter than its response target.")]
    Targets(String),
    #[error("The team calendar: {0}")]
    Calendar(CalendarError),
    #[error("The warning threshold must be between 1 and 99 percent, not {0}.")]
    WarnPercent(u32),
}

/// Everything wrong with a playbook; empty when it can be used.
pub fn validate(p: &Playbook) -> Vec<Problem> {
    let mut problems = Vec::new();
    if p.levels.is_empty() {
        problems.push(Problem::NoLevels);
    }
    // Ids are unique within their kind: a trigger and a question may share a name.
    let kinds: [Vec<&String>; 4] = [
        p.groups.iter().map(|g| &g.id).collect(),
        p.groups
            .iter()
            .flat_map(|g| g.triggers.iter().map(|t| &t.id))
            .collect(),
        p.questions.iter().map(|q| &q.id).collect(),
        p.levels.iter().map(|l| &l.id).collect(),
    ];
    for ids in kinds {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id.as_str()) {
                problems.push(Problem::DuplicateId(id.clone()));
            }
        }
    }
    for q in &p.questions {
        let mut answer_ids = HashSet::new();
        for a in &q.answers {
            if !answer_ids.insert(a.id.as_str()) {
                problems.push(Problem::DuplicateId(format!("{}/{}", q.id, a.id)));
            }
        }
    }
    if p.question(&p.start).is_none() {
        problems.push(Problem::MissingStart(p.start.clone()));
    }
    for q in &p.questions {
        if q.answers.is_empty() {
            problems.push(Problem::NoAnswers(q.id.clone()));
        }
        for a in &q.answers {
            match &a.next {
                Next::Question(t) if p.question(t).is_none() => {
                    problems.push(Problem::MissingQuestion {
                        question: q.id.clone(),
                        answer: a.id.clone(),
                        target: t.clone(),
                    })
                }
                Next::Level(t) if p.level(t).is_none() => problems.push(Problem::MissingLevel {
                    question: q.id.clone(),
                    answer: a.id.clone(),
                    target: t.clone(),
                }),
                _ => {}
            }
        }
        for pre in &q.preanswers {
            if p.trigger(&pre.trigger).is_none() {
                problems.push(Problem::UnknownTrigger {
                    question: q.id.clone(),
                    trigger: pre.trigger.clone(),
                });
            }
            if !q.answers.iter().any(|a| a.id == pre.answer) {
                problems.push(Problem::UnknownAnswer {
                    question: q.id.clone(),
                    answer: pre.answer.clone(),
                });
            }
        }
    }
    for hint in p.priority.urgency.iter().chain(&p.priority.impact) {
        if p.trigger(&hint.trigger).is_none() {
            problems.push(Problem::UnknownHintTrigger(hint.trigger.clone()));
        }
    }
    for l in &p.levels {
        if l.resolution_minutes < l.response_minutes {
            problems.push(Problem::Targets(l.id.clone()));
        }
    }
    if let Err(e) = Hours::of(&p.calendar) {
        problems.push(Problem::Calendar(e));
    }
    if !(1..=99).contains(&p.warn_percent) {
        problems.push(Problem::WarnPercent(p.warn_percent));
    }
    if let Some(cycle) = find_loop(p) {
        problems.push(Problem::Loop(cycle));
    }
    if p.question(&p.start).is_some() {
        let (questions, levels) = reachable(p);
        for q in &p.questions {
            if !questions.contains(q.id.as_str()) {
                problems.push(Problem::UnreachableQuestion(q.id.clone()));
            }
        }
        for l in &p.levels {
            if !levels.contains(l.id.as_str()) {
                problems.push(Problem::UnreachableLevel(l.id.clone()));
            }
        }
    }
    problems
}

/// The questions and levels some path from the start reaches.
fn reachable(p: &Playbook) -> (HashSet<&str>, HashSet<&str>) {
    let mut questions = HashSet::new();
    let mut levels = HashSet::new();
    let mut stack = vec![p.start.as_str()];
    while let Some(id) = stack.pop() {
        if !questions.insert(id) {
            continue;
        }
        let Some(q) = p.question(id) else { continue };
        for a in &q.answers {
            match &a.next {
                Next::Question(t) => stack.push(t),
                Next::Level(t) => {
                    levels.insert(t.as_str());
                }
            }
        }
    }
    (questions, levels)
}

/// A cycle among the questions, written "a → b → a", if there is one.
fn find_loop(p: &Playbook) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let index: HashMap<&str, usize> = p
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut marks = vec![Mark::New; p.questions.len()];
    let mut path: Vec<usize> = Vec::new();
    fn visit(
        i: usize,
        p: &Playbook,
        index: &HashMap<&str, usize>,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<String> {
        marks[i] = Mark::Open;
        path.push(i);
        for a in &p.questions[i].answers {
            if let Next::Question(t) = &a.next {
                let Some(&j) = index.get(t.as_str()) else {
                    continue;
                };
                if marks[j] == Mark::Open {
                    let from = path.iter().position(|&k| k == j).unwrap_or(0);
                    let mut names: Vec<&str> = path[from..]
                        .iter()
                        .map(|&k| p.questions[k].id.as_str())
                        .collect();
                    names.push(p.questions[j].id.as_str());
                    return Some(names.join(" → "));
                }
                if marks[j] == Mark::New {
                    if let Some(found) = visit(j, p, index, marks, path) {
                        return Some(found);
                    }
                }
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        None
    }
    for i in 0..p.questions.len() {
        if marks[i] == Mark::New {
            if let Some(found) = visit(i, p, &index, &mut marks, &mut path) {
                return Some(found);
            }
        }
    }
    None
}

/// The file a team lead hands to the team.
pub const FILE_FORMAT: &str = "escalation-desk/playbook";
/// No playbook file comes near this; a larger file is refused before it is read.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'a str,
    v: u32,
    playbook: &'a Playbook,
}

pub fn export_file(p: &Playbook) -> String {
    serde_json::to_string_pretty(&FileOut {
        format: FILE_FORMAT,
        v: super::migrate::PLAYBOOK_SCHEMA,
        playbook: p,
    })
    .unwrap_or_default()
}

pub fn file_name(p: &Playbook) -> String {
    let id: String =
        p.id.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
    format!("escalation-playbook-{id}-v{}.json", p.version)
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("The file is larger than 1 MB; no playbook is that large.")]
    TooLarge,
    #[error("The file is empty.")]
    Empty,
    #[error("{0}")]
    NotText(super::file_text::TextError),
    #[error("This is not an Escalation Desk playbook. {0}")]
    NotJson(super::json::SyntaxError),
    #[error("This is not an Escalation Desk playbook: {0}.")]
    NotAPlaybook(String),
    #[error("This playbook was made by a newer version of Escalation Desk (format {0}).")]
    Newer(u32),
    #[error("This playbook is broken, so it was not used: {}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(" "))]
    Invalid(Vec<Problem>),
}

impl From<super::json::ReadError> for FileError {
    fn from(e: super::json::ReadError) -> FileError {
        FileError::NotAPlaybook(e.to_string())
    }
}

/// Reads a playbook file as picked: too large is refused before anything else, then its bytes
/// are decoded (UTF-8, or UTF-16 with a byte-order mark; see `file_text`) and parsed.
pub fn parse_file_bytes(raw: &[u8]) -> Result<Playbook, FileError> {
    if raw.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    parse_file(&super::file_text::decode(raw).map_err(FileError::NotText)?)
}

/// Reads a playbook file and validates it; a playbook that fails validation is refused.
pub fn parse_file(raw: &str) -> Result<Playbook, FileError> {
    if raw.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    if raw.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut file = super::json::parse_value(raw).map_err(FileError::NotJson)?;
    let (format, v): (String, u32) = {
        let f = Fields::of(&file)?;
        (f.get("format")?, f.get("v")?)
    };
    if format != FILE_FORMAT {
        return Err(FileError::NotAPlaybook(format!(
            "its format is \"{}\"",
            format.chars().take(40).collect::<String>()
        )));
    }
    if v > super::migrate::PLAYBOOK_SCHEMA {
        return Err(FileError::Newer(v));
    }
    let data = file
        .get_mut("playbook")
        .map(Value::take)
        .ok_or_else(|| FileError::NotAPlaybook("it holds no playbook".into()))?;
    let data = super::migrate::migrate_playbook(v, data)
        .map_err(|e| FileError::NotAPlaybook(e.to_string()))?;
    let playbook = Playbook::from_json(&data)?;
    let problems = validate(&playbook);
    if problems.is_empty() {
        Ok(playbook)
    } else {
        Err(FileError::Invalid(problems))
    }
}

fn trigger(id: &str, label: &str, help: &str) -> Trigger {
    Trigger {
        id: id.into(),
        label: label.into(),
        help: help.into(),
        suggested_when: None,
    }
}

fn suggested(mut t: Trigger, when: Suggest) -> Trigger {
    t.suggested_when = Some(when);
    t
}

fn yes_no(
    id: &str,
    text: &str,
    help: &str,
    yes: Next,
    no: Next,
    preanswered_yes_by: &[&str],
) -> Question {
    Question {
        id: id.into(),
        text: text.into(),
        help: help.into(),
        answers: vec![
            Answer {
                id: "yes".into(),
                label: "Yes".into(),
                next: yes,
            },
            Answer {
                id: "no".into(),
                label: "No".into(),
                next: no,
            },
        ],
        preanswers: preanswered_yes_by
            .iter()
            .map(|t| Preanswer {
                trigger: (*t).into(),
                answer: "yes".into(),
            })
            .collect(),
    }
}

fn need(field: Field, blocks: bool) -> Requirement {
    Requirement { field, blocks }
}

fn hint(trigger: &str, grade: Grade) -> GradeHint {
    GradeHint {
        trigger: trigger.into(),
        grade,
    }
}

/// The playbook every team starts from, drawn from the escalation seeds.
pub fn default_playbook() -> Playbook {
    use Next::{Level as L, Question as Q};
    let groups = vec![
        TriggerGroup {
            id: "customer".into(),
            label: "Customer signals".into(),
            triggers: vec![
                trigger("demands_supervisor", "Insists on a supervisor or manager", "The customer asked, more than once or firmly, to speak to someone senior."),
                trigger("frustration", "Frustration escalating", "Tone is getting worse despite active listening and empathy."),
                suggested(trigger("repeated_contact", "Repeated contact about the same issue", "This is not the first time the customer has contacted us about it."), Suggest::Contacts { at_least: 2 }),
                trigger("promise_broken", "Expectations or promises not met", "Something we promised (a call back, a fix, a refund) did not happen."),
                trigger("threatens_leave", "Threatens to leave or to complain publicly", "Cancellation, a switch to a competitor, or a public complaint was mentioned."),
            ],
        },
        TriggerGroup {
            id: "time".into(),
            label: "Time".into(),
            triggers: vec![
                trigger("delayed", "Resolution delayed beyond the target", "The issue is older than the time we aim to resolve it in."),
                trigger("no_progress", "No progress within the agreed time", "The time agreed with the customer passed with nothing to show."),
                suggested(trigger("target_breached", "Response or resolution target at risk or breached", "A service target, or the customer's own deadline, is about to be missed, or already was."), Suggest::Deadline { within_hours: 24 }),
            ],
        },
        TriggerGroup {
            id: "impact".into(),
            label: "Impact and urgency".into(),
            triggers: vec![
                trigger("outage", "Outage or emergency", "The service is down or unusable for this customer right now."),
                trigger("operations_disrupted", "Customer's operations disrupted", "Their business can't run normally because of this."),
                trigger("many_affected", "Many customers affected", "Others report the same problem, or it is clearly not limited to this account."),
                trigger("data_security", "Data loss or security concern", "Data is missing or exposed, or an account may be compromised."),
                trigger("money_at_stake", "Significant money at stake", "A large charge, refund, contract or renewal depends on the outcome."),
                suggested(trigger("high_value", "High-value account", "A key, VIP or strategic customer."), Suggest::Vip),
            ],
        },
        TriggerGroup {
            id: "complexity".into(),
            label: "Complexity and authority".into(),
            triggers: vec![
                trigger("specialist", "Needs specialised knowledge", "The fix needs technical depth, billing or policy expertise tier 1 doesn't have."),
                trigger("needs_authority", "Needs authority you lack", "A refund, credit or policy exception beyond what you may grant."),
                trigger("policy_dispute", "Policy misunderstanding or dispute", "The customer disputes a policy, a bill or how a rule was applied."),
                trigger("defect", "Suspected defect", "The product seems not to work as designed."),
                trigger("root_cause_unknown", "Root cause unknown after standard troubleshooting", "The knowledge base steps were followed and the cause is still unclear."),
            ],
        },
        TriggerGroup {
            id: "risk".into(),
            label: "Risk".into(),
            triggers: vec![
                trigger("legal", "Legal threat", "A lawyer, legal action or a formal claim was mentioned."),
                trigger("regulatory", "Regulatory or privacy complaint", "A regulator, data-protection request or privacy complaint is involved."),
                trigger("safety", "Safety issue", "Someone's health or safety may be at risk."),
                trigger("media", "Media or social exposure", "Press, influencers or a public post with reach are involved."),
            ],
        },
    ];
    let questions = vec![
        yes_no(
            "critical",
            "Is there a legal, regulatory, safety or security risk, media exposure, or an outage hitting many customers?",
            "These go to management or incident response whatever else is true.",
            L("level4".into()),
            Q("defect".into()),
            &["legal", "regulatory", "safety", "media", "data_security", "many_affected"],
        ),
        yes_no(
            "defect",
            "Does it look like a defect, or is the root cause unknown after standard troubleshooting?",
            "Engineering or product needs to look at the product itself.",
            L("level3".into()),
            Q("specialist".into()),
            &["defect", "root_cause_unknown"],
        ),
        yes_no(
            "specialist",
            "Does it need a specialised team: technical depth, billing, or a policy question?",
            "A team with the knowledge, and usually the authority, for this kind of issue.",
            L("level2".into()),
            Q("supervisor".into()),
            &["specialist", "policy_dispute"],
        ),
        yes_no(
            "supervisor",
            "Does it need a supervisor: the customer insists, you lack the authority, emotions are escalating, or time or promises have run out?",
            "A team lead can take over the conversation, grant exceptions and unblock the case.",
            L("level1".into()),
            L("tier1".into()),
            &[
                "demands_supervisor",
                "needs_authority",
                "frustration",
                "threatens_leave",
                "promise_broken",
                "delayed",
                "no_progress",
                "target_breached",
                "repeated_contact",
            ],
        ),
    ];
    let levels = vec![
        Level {
            id: "tier1".into(),
            rank: 0,
            name: "Stay at tier 1".into(),
            receiver: "You (tier 1)".into(),
            response_minutes: 0,
            resolution_minutes: 4 * 60,
            update_minutes: 2 * 60,
            silence_minutes: 0,
            around_the_clock: false,
            handoff_requires: vec![need(Field::Steps, false)],
            customer_message: "Thank you for bearing with me, {customer}. I'm staying on your case {reference} myself and will update you by {resolution_due}.".into(),
        },
        Level {
            id: "level1".into(),
            rank: 1,
            name: "Level 1: supervisor or team lead".into(),
            receiver: "Supervisor or team lead".into(),
            response_minutes: 30,
            resolution_minutes: 4 * 60,
            update_minutes: 60,
            silence_minutes: 15,
            around_the_clock: false,
            handoff_requires: vec![need(Field::Description, true), need(Field::Steps, false), need(Field::Expectation, false), need(Field::Contact, false)],
            customer_message: "Thank you for your patience, {customer}. I've passed your case {reference} to my team lead, who will contact you by {response_due}.".into(),
        },
        Level {
            id: "level2".into(),
            rank: 2,
            name: "Level 2: specialised team".into(),
            receiver: "Specialised team (technical, billing or policy)".into(),
            response_minutes: 2 * 60,
            resolution_minutes: 16 * 60,
            update_minutes: 4 * 60,
            silence_minutes: 60,
            around_the_clock: false,
            handoff_requires: vec![need(Field::Description, true), need(Field::Steps, true), need(Field::Expectation, false), need(Field::Contact, false), need(Field::Evidence, false)],
            customer_message: "Thank you, {customer}. Your case {reference} is now with our specialist team. They will get back to you by {response_due}, and we aim to resolve it by {resolution_due}.".into(),
        },
        Level {
            id: "level3".into(),
            rank: 3,
            name: "Level 3: engineering or product".into(),
            receiver: "Engineering or product team".into(),
            response_minutes: 4 * 60,
            resolution_minutes: 40 * 60,
            update_minutes: 8 * 60,
            silence_minutes: 2 * 60,
            around_the_clock: false,
            handoff_requires: vec![need(Field::Description, true), need(Field::Steps, true), need(Field::Evidence, false), need(Field::Impact, false)],
            customer_message: "Thank you, {customer}. We've asked our engineers to investigate case {reference}. You will hear from us by {response_due} with what they found.".into(),
        },
        Level {
            id: "level4".into(),
            rank: 4,
            name: "Level 4: management or incident response".into(),
            receiver: "Management or the incident response team".into(),
            response_minutes: 15,
            resolution_minutes: 4 * 60,
            update_minutes: 60,
            silence_minutes: 10,
            around_the_clock: true,
            handoff_requires: vec![need(Field::Description, true), need(Field::Impact, true), need(Field::Steps, false), need(Field::Contact, false)],
            customer_message: "{customer}, this has our most senior attention. Case {reference} is with our management and incident team; you will hear from them by {response_due}.".into(),
        },
    ];
    Playbook {
        id: "default".into(),
        version: 2,
        name: "Default escalation playbook".into(),
        groups,
        start: "critical".into(),
        questions,
        levels,
        priority: PriorityRules {
            matrix: [
                [Priority::P1, Priority::P2, Priority::P3],
                [Priority::P2, Priority::P3, Priority::P4],
                [Priority::P3, Priority::P4, Priority::P4],
            ],
            target_percent: [50, 75, 100, 150],
            urgency: vec![
                hint("outage", Grade::High),
                hint("safety", Grade::High),
                hint("data_security", Grade::High),
                hint("target_breached", Grade::High),
                hint("legal", Grade::Medium),
                hint("frustration", Grade::Medium),
                hint("threatens_leave", Grade::Medium),
                hint("delayed", Grade::Medium),
                hint("no_progress", Grade::Medium),
            ],
            impact: vec![
                hint("many_affected", Grade::High),
                hint("operations_disrupted", Grade::High),
                hint("money_at_stake", Grade::High),
                hint("media", Grade::High),
                hint("regulatory", Grade::High),
                hint("high_value", Grade::Medium),
            ],
        },
        tier1_tips: vec![
            "Listen actively: let the customer finish, then repeat the problem back in their words.".into(),
            "Acknowledge the feeling before the facts: \"I understand how disruptive this is.\"".into(),
            "Set a clear expectation: what you will do next and by when, and keep it.".into(),
            "Give the customer a choice where you can (a call back or an email update).".into(),
            "Revisit by the time shown; if there is no progress then, triage again.".into(),
        ],
        calendar: Calendar::default(),
        warn_percent: default_warn_percent(),
    }
}

impl FromJson for Playbook {
    fn from_json(v: &Value) -> Read<Playbook> {
        let f = Fields::of(v)?;
        Ok(Playbook {
            id: f.get("id")?,
            version: f.get("version")?,
            name: f.get("name")?,
            groups: f.get("groups")?,
            start: f.get("start")?,
            questions: f.get("questions")?,
            levels: f.get("levels")?,
            priority: f.get("priority")?,
            tier1_tips: f.get("tier1_tips")?,
            calendar: f.get_or_default("calendar")?,
            warn_percent: f.get_or("warn_percent", default_warn_percent)?,
        })
    }
}

impl FromJson for TriggerGroup {
    fn from_json(v: &Value) -> Read<TriggerGroup> {
        let f = Fields::of(v)?;
        Ok(TriggerGroup {
            id: f.get("id")?,
            label: f.get("label")?,
            triggers: f.get("triggers")?,
        })
    }
}

impl FromJson for Trigger {
    fn from_json(v: &Value) -> Read<Trigger> {
        let f = Fields::of(v)?;
        Ok(Trigger {
            id: f.get("id")?,
            label: f.get("label")?,
            help: f.get("help")?,
            suggested_when: f.get("suggested_when")?,
        })
    }
}

impl FromJson for Question {
    fn from_json(v: &Value) -> Read<Question> {
        let f = Fields::of(v)?;
        Ok(Question {
            id: f.get("id")?,
            text: f.get("text")?,
            help: f.get("help")?,
            answers: f.get("answers")?,
            preanswers: f.get_or_default("preanswers")?,
        })
    }
}

impl FromJson for Answer {
    fn from_json(v: &Value) -> Read<Answer> {
        let f = Fields::of(v)?;
        Ok(Answer {
            id: f.get("id")?,
            label: f.get("label")?,
            next: f.get("next")?,
        })
    }
}

/// Written `{"question": "q2"}` or `{"level": "l1"}`.
impl FromJson for Next {
    fn from_json(v: &Value) -> Read<Next> {
        let f = Fields::of(v)?;
        if let Some(q) = f.get::<Option<String>>("question")? {
            Ok(Next::Question(q))
        } else if let Some(l) = f.get::<Option<String>>("level")? {
            Ok(Next::Level(l))
        } else {
            Err("expected a question or a level".into())
        }
    }
}

impl FromJson for Preanswer {
    fn from_json(v: &Value) -> Read<Preanswer> {
        let f = Fields::of(v)?;
        Ok(Preanswer {
            trigger: f.get("trigger")?,
            answer: f.get("answer")?,
        })
    }
}

impl FromJson for Level {
    fn from_json(v: &Value) -> Read<Level> {
        let f = Fields::of(v)?;
        Ok(Level {
            id: f.get("id")?,
            rank: f.get("rank")?,
            name: f.get("name")?,
            receiver: f.get("receiver")?,
            response_minutes: f.get("response_minutes")?,
            resolution_minutes: f.get("resolution_minutes")?,
            update_minutes: f.get_or_default("update_minutes")?,
            silence_minutes: f.get_or_default("silence_minutes")?,
            around_the_clock: f.get_or_default("around_the_clock")?,
            handoff_requires: f.get("handoff_requires")?,
            customer_message: f.get("customer_message")?,
        })
    }
}

impl FromJson for Requirement {
    fn from_json(v: &Value) -> Read<Requirement> {
        let f = Fields::of(v)?;
        Ok(Requirement {
            field: f.get("field")?,
            blocks: f.get_or_default("blocks")?,
        })
    }
}

text_enum!(Field {
    Description = "description",
    Steps = "steps",
    Expectation = "expectation",
    Contact = "contact",
    Evidence = "evidence",
    Impact = "impact",
});

text_enum!(Grade via Grade::from_key);

text_enum!(Priority {
    P1 = "P1",
    P2 = "P2",
    P3 = "P3",
    P4 = "P4",
});

impl FromJson for PriorityRules {
    fn from_json(v: &Value) -> Read<PriorityRules> {
        let f = Fields::of(v)?;
        Ok(PriorityRules {
            matrix: f.get("matrix")?,
            target_percent: f.get("target_percent")?,
            urgency: f.get("urgency")?,
            impact: f.get("impact")?,
        })
    }
}

impl FromJson for GradeHint {
    fn from_json(v: &Value) -> Read<GradeHint> {
        let f = Fields::of(v)?;
        Ok(GradeHint {
            trigger: f.get("trigger")?,
            grade: f.get("grade")?,
        })
    }
}

deserialize_by_hand!(
    Playbook,
    TriggerGroup,
    Trigger,
    Question,
    Answer,
    Next,
    Preanswer,
    Level,
    Requirement,
    Field,
    Grade,
    Priority,
    PriorityRules,
    GradeHint,
);

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(f: impl FnOnce(&mut Playbook)) -> Vec<Problem> {
        let mut p = default_playbook();
        f(&mut p);
        validate(&p)
    }

    #[test]
    fn the_default_playbook_is_valid() {
        assert_eq!(validate(&default_playbook()), vec![]);
    }

    #[test]
    fn an_answer_that_leads_nowhere_is_named() {
        let problems = broken(|p| p.questions[1].answers[0].next = Next::Question("nope".into()));
        assert!(problems.contains(&Problem::MissingQuestion {
            question: "defect".into(),
            answer: "yes".into(),
            target: "nope".into()
        }));
        assert_eq!(
            problems[0].to_string(),
            "Question “defect”, answer “yes”: leads to question “nope”, which doesn't exist."
        );
    }

    #[test]
    fn a_missing_level_is_named() {
        let problems = broken(|p| p.questions[0].answers[0].next = Next::Level("level9".into()));
        assert!(problems.contains(&Problem::MissingLevel {
            question: "critical".into(),
            answer: "yes".into(),
            target: "level9".into()
        }));
    }

    #[test]
    fn a_loop_is_named_with_its_path() {
        let problems = broken(|p| p.questions[3].answers[1].next = Next::Question("defect".into()));
        assert!(problems.contains(&Problem::Loop(
            "defect → specialist → supervisor → defect".into()
        )));
    }

    #[test]
    fn an_unknown_trigger_is_named() {
        let problems = broken(|p| p.questions[0].preanswers[0].trigger = "ghost".into());
        assert!(problems.contains(&Problem::UnknownTrigger {
            question: "critical".into(),
            trigger: "ghost".into()
        }));
        let problems = broken(|p| p.priority.urgency[0].trigger = "ghost".into());
        assert!(problems.contains(&Problem::UnknownHintTrigger("ghost".into())));
    }

    #[test]
    fn a_preanswer_that_is_not_an_answer_is_named() {
        let problems = broken(|p| p.questions[0].preanswers[0].answer = "maybe".into());
        assert!(problems.contains(&Problem::UnknownAnswer {
            question: "critical".into(),
            answer: "maybe".into()
        }));
    }

    #[test]
    fn an_outcome_no_path_reaches_is_named() {
        let problems = broken(|p| p.questions[2].answers[0].next = Next::Level("level1".into()));
        assert!(problems.contains(&Problem::UnreachableLevel("level2".into())));
        let problems =
            broken(|p| p.questions[0].answers[1].next = Next::Question("specialist".into()));
        assert!(problems.contains(&Problem::UnreachableQuestion("defect".into())));
    }

    #[test]
    fn duplicate_ids_are_named() {
        let problems = broken(|p| p.levels[2].id = "level1".into());
        assert!(problems.contains(&Problem::DuplicateId("level1".into())));
        let problems = broken(|p| p.groups[1].triggers[0].id = "frustration".into());
        assert!(problems.contains(&Problem::DuplicateId("frustration".into())));
        let problems = broken(|p| p.questions[0].answers[1].id = "yes".into());
        assert!(problems.contains(&Problem::DuplicateId("critical/yes".into())));
    }

    #[test]
    fn a_missing_start_no_answers_no_levels_and_bad_targets_are_named() {
        assert!(
            broken(|p| p.start = "begin".into()).contains(&Problem::MissingStart("begin".into()))
        );
        assert!(broken(|p| p.questions[3].answers.clear())
            .contains(&Problem::NoAnswers("supervisor".into())));
        assert!(broken(|p| p.levels.clear()).contains(&Problem::NoLevels));
        assert!(broken(|p| p.levels[1].resolution_minutes = 5)
            .contains(&Problem::Targets("level1".into())));
    }

    #[test]
    fn a_version_1_file_keeps_calendar_time_targets() {
        // What version 1 wrote: no calendar, no update or silence targets.
        let mut v1: serde_json::Value =
            serde_json::from_str(&export_file(&default_playbook())).unwrap();
        v1["v"] = 1.into();
        let playbook = v1["playbook"].as_object_mut().unwrap();
        playbook.remove("calendar");
        playbook.remove("warn_percent");
        for level in playbook["levels"].as_array_mut().unwrap() {
            let level = level.as_object_mut().unwrap();
            for key in ["update_minutes", "silence_minutes", "around_the_clock"] {
                level.remove(key);
            }
        }
        let read = parse_file(&v1.to_string()).unwrap();
        assert!(read.levels.iter().all(|l| l.around_the_clock));
        assert!(read.levels.iter().all(|l| l.silence_minutes == 0));
        assert_eq!(read.calendar, Calendar::default());
        assert_eq!(read.warn_percent, 75);
    }

    #[test]
    fn playbook_files_round_trip_and_broken_ones_are_refused() {
        let p = default_playbook();
        assert_eq!(parse_file(&export_file(&p)).unwrap(), p);
        assert_eq!(file_name(&p), "escalation-playbook-default-v2.json");
        let mut bad = p.clone();
        bad.questions[0].answers[0].next = Next::Level("level9".into());
        let err = parse_file(&export_file(&bad)).unwrap_err();
        assert!(err
            .to_string()
            .contains("leads to level “level9”, which doesn't exist"));
        assert!(matches!(parse_file("{}"), Err(FileError::NotAPlaybook(_))));
        assert_eq!(
            parse_file("{\"format\":").unwrap_err().to_string(),
            "This is not an Escalation Desk playbook. It is not valid JSON: it ends too early, as if cut off (line 1, column 10)."
        );
        assert_eq!(
            parse_file(&"[".repeat(200)).unwrap_err().to_string(),
            "This is not an Escalation Desk playbook. It is nested too deeply to be a file of ours (line 1, column 128)."
        );
        assert!(matches!(
            parse_file(r#"{"format":"escalation-desk/playbook","v":5,"playbook":{}}"#),
            Err(FileError::Newer(5))
        ));
    }

    #[test]
    fn playbook_files_are_read_from_their_bytes_as_the_data_page_reads_exports() {
        let p = default_playbook();
        let text = export_file(&p);
        assert_eq!(parse_file_bytes(text.as_bytes()).unwrap(), p);
        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(parse_file_bytes(&utf16).unwrap(), p);
        // The same words as the Data page for an empty file.
        assert_eq!(
            parse_file_bytes(b"").unwrap_err().to_string(),
            "The file is empty."
        );
        assert_eq!(
            parse_file_bytes(b" \r\n").unwrap_err().to_string(),
            crate::core::bundle::parse_bytes(b" \r\n")
                .unwrap_err()
                .to_string()
        );
        assert_eq!(
            parse_file_bytes(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Err(FileError::NotText(
                crate::core::file_text::TextError::NotText
            ))
        );
        assert_eq!(
            parse_file_bytes(&vec![b'x'; MAX_FILE_BYTES + 1]),
            Err(FileError::TooLarge)
        );
    }

    #[test]
    fn the_priority_matrix_reads_urgency_by_impact() {
        let p = default_playbook();
        assert_eq!(p.priority.priority(Grade::High, Grade::High), Priority::P1);
        assert_eq!(
            p.priority.priority(Grade::Medium, Grade::Medium),
            Priority::P3
        );
        assert_eq!(p.priority.priority(Grade::Low, Grade::Low), Priority::P4);
        assert_eq!(p.priority.percent(Priority::P1), 50);
    }
}
