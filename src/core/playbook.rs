//! The playbook: everything a team may tune about escalating. Trigger groups, the decision
//! tree, the levels with their targets and messages, and the urgency x impact priority matrix.
//! [`default_playbook`] is built from the facts in PRODUCT.md and the seeds; [`validate`] says
//! exactly where a broken playbook is broken, and a playbook that fails it is never used.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::json::{
    deserialize_by_hand, text_enum, write_fields, Fields, FromJson, Object, Read, ToJson,
};

use super::clock::{Calendar, CalendarError, Hours};
use super::closeout::Part;

#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// What a close-out may name as the root cause.
    pub root_causes: Vec<RootCause>,
    /// The team's people: owners, reviewers and follow-up owners are picked from them (free
    /// text is still allowed).
    pub people: Vec<String>,
}

/// A root-cause category a close-out can name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootCause {
    pub id: String,
    pub label: String,
}

fn default_warn_percent() -> u32 {
    75
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerGroup {
    pub id: String,
    pub label: String,
    pub triggers: Vec<Trigger>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub id: String,
    pub label: String,
    /// One line of help, shown on demand.
    pub help: String,
    /// A fact already on the case that ticks this trigger when a triage starts (the agent
    /// can untick it).
    pub suggested_when: Option<Suggest>,
}

/// Facts of a case that suggest a trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: String,
    pub answers: Vec<Answer>,
    /// Checked triggers that answer this question before the agent is asked: the first rule
    /// whose trigger is checked gives the answer (the agent can still change it).
    pub preanswers: Vec<Preanswer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub id: String,
    pub label: String,
    pub next: Next,
}

/// Where an answer leads: another question, or a level (the end of the walk).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    Question(String),
    Level(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preanswer {
    pub trigger: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// What a case at this level must record before it closes (or say why not).
    pub close_requires: Vec<Part>,
    /// What to tell the customer. `{customer}`, `{reference}`, `{receiver}`, `{response_due}`,
    /// `{resolution_due}` and `{update_due}` are filled in.
    pub customer_message: String,
}

/// A part of the case a handoff must carry. `blocks`: a handoff missing it does not go;
/// otherwise the agent may send it anyway, acknowledging the gap on the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub field: Field,
    pub blocks: bool,
}

/// The case fields a handoff can require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Description,
    Steps,
    Expectation,
    Contact,
    Evidence,
    Impact,
}

impl Field {
    /// Every part, in the order forms list them.
    pub const ALL: [Field; 6] = [
        Field::Description,
        Field::Steps,
        Field::Expectation,
        Field::Contact,
        Field::Evidence,
        Field::Impact,
    ];

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn label(self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, PartialEq, Eq)]
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

    /// Each question's position in [`Playbook::questions`], by id.
    pub fn question_index(&self) -> HashMap<&str, usize> {
        self.questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect()
    }

    pub fn root_cause(&self, id: &str) -> Option<&RootCause> {
        self.root_causes.iter().find(|r| r.id == id)
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
    /// A target of 0 minutes: the clock would be due the moment the case arrives. Every level
    /// needs a resolution target; a first-response target may be 0 ("none") only on the rank 0
    /// level, the one that stays with the agent who already answered.
    #[error("Level “{level}” has no {target} target: it must be above 0 minutes.")]
    ZeroTarget { level: String, target: &'static str },
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
    let kinds: [Vec<&String>; 5] = [
        p.groups.iter().map(|g| &g.id).collect(),
        p.groups
            .iter()
            .flat_map(|g| g.triggers.iter().map(|t| &t.id))
            .collect(),
        p.questions.iter().map(|q| &q.id).collect(),
        p.levels.iter().map(|l| &l.id).collect(),
        p.root_causes.iter().map(|r| &r.id).collect(),
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
        if l.response_minutes == 0 && l.rank > 0 {
            problems.push(Problem::ZeroTarget {
                level: l.id.clone(),
                target: "first-response",
            });
        }
        if l.resolution_minutes == 0 {
            problems.push(Problem::ZeroTarget {
                level: l.id.clone(),
                target: "resolution",
            });
        }
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
    let index = p.question_index();
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
struct FileOut<'a> {
    format: &'a str,
    v: u32,
    playbook: &'a Playbook,
}

write_fields!(FileOut<'_> { format, v, playbook });

pub fn export_file(p: &Playbook) -> String {
    super::json::pretty(&FileOut {
        format: FILE_FORMAT,
        v: super::migrate::PLAYBOOK_SCHEMA,
        playbook: p,
    })
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

/// The playbook every team starts from, drawn from the escalation seeds: a file like any team's
/// (`default-playbook.json`), embedded in the build and read by the same reader. To change the
/// defaults, edit that file; the tests check it stays valid, canonical and that every path ends.
pub fn default_playbook() -> Playbook {
    parse_file(DEFAULT_FILE)
        .unwrap_or_else(|e| unreachable!("the built-in playbook is valid (tested): {e}"))
}

const DEFAULT_FILE: &str = include_str!("default-playbook.json");

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
            root_causes: f.get_or_default("root_causes")?,
            people: f.get_or_default("people")?,
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
            close_requires: f.get_or_default("close_requires")?,
            customer_message: f.get("customer_message")?,
        })
    }
}

impl FromJson for RootCause {
    fn from_json(v: &Value) -> Read<RootCause> {
        let f = Fields::of(v)?;
        Ok(RootCause {
            id: f.get("id")?,
            label: f.get("label")?,
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

text_enum!(Grade via Grade::from_key, Grade::key);

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

write_fields!(Playbook {
    id,
    version,
    name,
    groups,
    start,
    questions,
    levels,
    priority,
    tier1_tips,
    calendar,
    warn_percent,
    root_causes,
    people,
});
write_fields!(RootCause { id, label });
write_fields!(TriggerGroup {
    id,
    label,
    triggers
});

impl ToJson for Trigger {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("label", &self.label)
            .field("help", &self.help)
            .field_if(
                self.suggested_when.is_some(),
                "suggested_when",
                &self.suggested_when,
            )
            .end();
    }
}

/// `{"fact": "contacts", "at_least": 3}`.
impl ToJson for Suggest {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Suggest::Vip => o.field("fact", "vip"),
            Suggest::Contacts { at_least } => {
                o.field("fact", "contacts").field("at_least", at_least)
            }
            Suggest::Deadline { within_hours } => o
                .field("fact", "deadline")
                .field("within_hours", within_hours),
        };
        o.end();
    }
}

write_fields!(Question {
    id,
    text,
    help,
    answers,
    preanswers,
});
write_fields!(Answer { id, label, next });

/// `{"question": "q2"}` or `{"level": "level1"}`.
impl ToJson for Next {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Next::Question(id) => o.field("question", id),
            Next::Level(id) => o.field("level", id),
        };
        o.end();
    }
}

write_fields!(Preanswer { trigger, answer });
write_fields!(Level {
    id,
    rank,
    name,
    receiver,
    response_minutes,
    resolution_minutes,
    update_minutes,
    silence_minutes,
    around_the_clock,
    handoff_requires,
    close_requires,
    customer_message,
});
write_fields!(Requirement { field, blocks });
write_fields!(PriorityRules {
    matrix,
    target_percent,
    urgency,
    impact,
});
write_fields!(GradeHint { trigger, grade });

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
    fn the_built_in_file_is_canonical() {
        // What "Download the playbook" writes for the built-in one is the file itself, so the
        // file is never hand-formatted into something the app wouldn't write.
        assert_eq!(export_file(&default_playbook()) + "\n", DEFAULT_FILE);
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
