//! The playbook studio's rules. Every change a team lead makes is a value, an [`Edit`], applied
//! to a playbook by [`apply`], which gives the new playbook and the edit that undoes it. Also
//! here: the new things "Add …" creates, where each validation problem belongs on screen
//! ([`findings`]), the readable difference between two versions ([`diff`]) and the decision
//! tree laid out as a diagram ([`layout`]).

use std::collections::{HashMap, HashSet};

use super::closeout::Part;
use super::playbook::{
    Answer, Grade, GradeHint, Level, Next, Playbook, PriorityRules, Problem, Question, RootCause,
    Trigger, TriggerGroup,
};

/// Where one thing lives in a playbook: its kind, its id, and for a trigger or an answer the
/// group or question that holds it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Group(String),
    Trigger { group: String, id: String },
    Question(String),
    Answer { question: String, id: String },
    Level(String),
    RootCause(String),
}

impl Key {
    /// The id of the thing itself.
    pub fn id(&self) -> &str {
        match self {
            Key::Group(id) | Key::Question(id) | Key::Level(id) | Key::RootCause(id) => id,
            Key::Trigger { id, .. } | Key::Answer { id, .. } => id,
        }
    }

    /// A stable id for the thing's place on screen (`studio-question-<id>`, ...).
    pub fn anchor(&self) -> String {
        match self {
            Key::Group(id) => format!("studio-group-{id}"),
            Key::Trigger { id, .. } => format!("studio-trigger-{id}"),
            Key::Question(id) => format!("studio-question-{id}"),
            Key::Answer { question, id } => format!("studio-answer-{question}-{id}"),
            Key::Level(id) => format!("studio-level-{id}"),
            Key::RootCause(id) => format!("studio-cause-{id}"),
        }
    }
}

/// One thing of a playbook, with the group or question that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Group(TriggerGroup),
    Trigger { group: String, trigger: Trigger },
    Question(Question),
    Answer { question: String, answer: Answer },
    Level(Level),
    RootCause(RootCause),
}

impl Item {
    pub fn key(&self) -> Key {
        match self {
            Item::Group(g) => Key::Group(g.id.clone()),
            Item::Trigger { group, trigger } => Key::Trigger {
                group: group.clone(),
                id: trigger.id.clone(),
            },
            Item::Question(q) => Key::Question(q.id.clone()),
            Item::Answer { question, answer } => Key::Answer {
                question: question.clone(),
                id: answer.id.clone(),
            },
            Item::Level(l) => Key::Level(l.id.clone()),
            Item::RootCause(r) => Key::RootCause(r.id.clone()),
        }
    }
}

/// The parts of a playbook that are one value each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub name: String,
    pub start: String,
    pub priority: PriorityRules,
    pub tier1_tips: Vec<String>,
    pub calendar: super::clock::Calendar,
    pub warn_percent: u32,
    pub people: Vec<String>,
}

impl Settings {
    pub fn of(p: &Playbook) -> Settings {
        Settings {
            name: p.name.clone(),
            start: p.start.clone(),
            priority: p.priority.clone(),
            tier1_tips: p.tier1_tips.clone(),
            calendar: p.calendar.clone(),
            warn_percent: p.warn_percent,
            people: p.people.clone(),
        }
    }

    fn put(self, p: &mut Playbook) {
        p.name = self.name;
        p.start = self.start;
        p.priority = self.priority;
        p.tier1_tips = self.tier1_tips;
        p.calendar = self.calendar;
        p.warn_percent = self.warn_percent;
        p.people = self.people;
    }
}

/// A change to a playbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// A new thing at a position of its list (past the end: at the end).
    Insert {
        at: usize,
        item: Item,
    },
    Remove(Key),
    /// The thing with the item's key, replaced by the item.
    Replace(Item),
    /// The thing moved to a position of its list.
    Move {
        key: Key,
        to: usize,
    },
    Settings(Box<Settings>),
    /// Several edits made (and undone) as one.
    Batch(Vec<Edit>),
}

/// Why an edit can't be made, in the lead's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("It is no longer in the draft.")]
    Missing,
    #[error("The id “{0}” is already used.")]
    Taken(String),
    #[error("{what} is still used: {uses}. Change those first.")]
    InUse { what: String, uses: String },
}

/// A kind of thing a list holds.
trait Entry: Sized {
    fn id(&self) -> &str;
    fn wrap(self, parent: &str) -> Item;
    fn unwrap(item: Item) -> Option<Self>;
}

macro_rules! entry {
    ($t:ty, |$x:ident, $parent:ident| $wrap:expr, $pat:pat => $out:expr) => {
        impl Entry for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn wrap(self, $parent: &str) -> Item {
                let $x = self;
                $wrap
            }
            fn unwrap(item: Item) -> Option<Self> {
                match item {
                    $pat => Some($out),
                    _ => None,
                }
            }
        }
    };
}

entry!(TriggerGroup, |x, _p| Item::Group(x), Item::Group(x) => x);
entry!(Trigger, |x, p| Item::Trigger { group: p.to_string(), trigger: x }, Item::Trigger { trigger, .. } => trigger);
entry!(Question, |x, _p| Item::Question(x), Item::Question(x) => x);
entry!(Answer, |x, p| Item::Answer { question: p.to_string(), answer: x }, Item::Answer { answer, .. } => answer);
entry!(Level, |x, _p| Item::Level(x), Item::Level(x) => x);
entry!(RootCause, |x, _p| Item::RootCause(x), Item::RootCause(x) => x);

fn position<T: Entry>(list: &[T], id: &str) -> Result<usize, EditError> {
    list.iter()
        .position(|t| t.id() == id)
        .ok_or(EditError::Missing)
}

/// The one list an edit touches, whatever its kind.
enum List<'a> {
    Groups(&'a mut Vec<TriggerGroup>),
    Triggers(&'a mut Vec<Trigger>),
    Questions(&'a mut Vec<Question>),
    Answers(&'a mut Vec<Answer>),
    Levels(&'a mut Vec<Level>),
    RootCauses(&'a mut Vec<RootCause>),
}

macro_rules! each {
    ($list:expr, $v:ident => $body:expr) => {
        match $list {
            List::Groups($v) => $body,
            List::Triggers($v) => $body,
            List::Questions($v) => $body,
            List::Answers($v) => $body,
            List::Levels($v) => $body,
            List::RootCauses($v) => $body,
        }
    };
}

fn list<'a>(p: &'a mut Playbook, key: &Key) -> Result<List<'a>, EditError> {
    Ok(match key {
        Key::Group(_) => List::Groups(&mut p.groups),
        Key::Trigger { group, .. } => {
            let i = position(&p.groups, group)?;
            List::Triggers(&mut p.groups[i].triggers)
        }
        Key::Question(_) => List::Questions(&mut p.questions),
        Key::Answer { question, .. } => {
            let i = position(&p.questions, question)?;
            List::Answers(&mut p.questions[i].answers)
        }
        Key::Level(_) => List::Levels(&mut p.levels),
        Key::RootCause(_) => List::RootCauses(&mut p.root_causes),
    })
}

fn parent(key: &Key) -> &str {
    match key {
        Key::Trigger { group, .. } => group,
        Key::Answer { question, .. } => question,
        _ => "",
    }
}

fn insert<T: Entry>(list: &mut Vec<T>, at: usize, item: Item) -> Result<(), EditError> {
    let t = T::unwrap(item).ok_or(EditError::Missing)?;
    if list.iter().any(|x| x.id() == t.id()) {
        return Err(EditError::Taken(t.id().to_string()));
    }
    list.insert(at.min(list.len()), t);
    Ok(())
}

fn remove<T: Entry>(list: &mut Vec<T>, id: &str, parent: &str) -> Result<(usize, Item), EditError> {
    let i = position(list, id)?;
    Ok((i, list.remove(i).wrap(parent)))
}

fn replace<T: Entry>(list: &mut [T], item: Item, parent: &str) -> Result<Item, EditError> {
    let t = T::unwrap(item).ok_or(EditError::Missing)?;
    let i = position(list, t.id())?;
    Ok(std::mem::replace(&mut list[i], t).wrap(parent))
}

fn move_to<T: Entry>(list: &mut Vec<T>, id: &str, to: usize) -> Result<usize, EditError> {
    let from = position(list, id)?;
    let t = list.remove(from);
    list.insert(to.min(list.len()), t);
    Ok(from)
}

/// Makes an edit: the new playbook and the edit that gives back this one. The version is left
/// alone (publishing raises it). An edit that would leave a reference dangling is refused
/// with what still uses the thing; any other edit is made, and [`findings`] says what is
/// left to fix.
pub fn apply(p: &Playbook, edit: &Edit) -> Result<(Playbook, Edit), EditError> {
    let mut out = p.clone();
    let undo = match edit.clone() {
        Edit::Insert { at, item } => {
            let key = item.key();
            each!(list(&mut out, &key)?, l => insert(l, at, item))?;
            Edit::Remove(key)
        }
        Edit::Remove(key) => {
            let uses = uses(p, &key);
            if !uses.is_empty() {
                return Err(EditError::InUse {
                    what: name_of(p, &key),
                    uses: uses.join("; "),
                });
            }
            let (at, item) = each!(list(&mut out, &key)?, l => remove(l, key.id(), parent(&key)))?;
            Edit::Insert { at, item }
        }
        Edit::Replace(item) => {
            let key = item.key();
            let old = each!(list(&mut out, &key)?, l => replace(l, item, parent(&key)))?;
            Edit::Replace(old)
        }
        Edit::Move { key, to } => {
            let from = each!(list(&mut out, &key)?, l => move_to(l, key.id(), to))?;
            Edit::Move { key, to: from }
        }
        Edit::Settings(s) => {
            let old = Settings::of(p);
            s.put(&mut out);
            Edit::Settings(Box::new(old))
        }
        Edit::Batch(edits) => {
            let mut undo = Vec::new();
            for e in &edits {
                let (next, back) = apply(&out, e)?;
                out = next;
                undo.push(back);
            }
            undo.reverse();
            Edit::Batch(undo)
        }
    };
    Ok((out, undo))
}

/// The thing at a key, if the playbook has it.
pub fn item(p: &Playbook, key: &Key) -> Option<Item> {
    Some(match key {
        Key::Group(id) => Item::Group(p.groups.iter().find(|g| g.id == *id)?.clone()),
        Key::Trigger { group, id } => Item::Trigger {
            group: group.clone(),
            trigger: p
                .groups
                .iter()
                .find(|g| g.id == *group)?
                .triggers
                .iter()
                .find(|t| t.id == *id)?
                .clone(),
        },
        Key::Question(id) => Item::Question(p.question(id)?.clone()),
        Key::Answer { question, id } => Item::Answer {
            question: question.clone(),
            answer: p
                .question(question)?
                .answers
                .iter()
                .find(|a| a.id == *id)?
                .clone(),
        },
        Key::Level(id) => Item::Level(p.level(id)?.clone()),
        Key::RootCause(id) => Item::RootCause(p.root_cause(id)?.clone()),
    })
}

/// The thing at `key` changed by `change`, as an edit (`None`: it is gone, or unchanged).
pub fn change(p: &Playbook, key: &Key, change: impl FnOnce(&mut Item)) -> Option<Edit> {
    let before = item(p, key)?;
    let mut after = before.clone();
    change(&mut after);
    (after != before && after.key() == *key).then_some(Edit::Replace(after))
}

/// The question and answer a trigger gives when ticked: the first pre-answer naming it.
pub fn preanswer_of(p: &Playbook, trigger: &str) -> Option<(String, String)> {
    p.questions.iter().find_map(|q| {
        q.preanswers
            .iter()
            .find(|x| x.trigger == trigger)
            .map(|x| (q.id.clone(), x.answer.clone()))
    })
}

/// Makes a ticked trigger answer one question (or none): its pre-answers elsewhere go, as
/// one edit.
pub fn set_preanswer(p: &Playbook, trigger: &str, to: Option<(String, String)>) -> Edit {
    let mut edits = Vec::new();
    for q in &p.questions {
        let mut next = q.clone();
        next.preanswers.retain(|x| x.trigger != trigger);
        if let Some((question, answer)) = &to {
            if q.id == *question {
                next.preanswers.push(super::playbook::Preanswer {
                    trigger: trigger.to_string(),
                    answer: answer.clone(),
                });
            }
        }
        if next != *q {
            edits.push(Edit::Replace(Item::Question(next)));
        }
    }
    Edit::Batch(edits)
}

/// Moving a thing one place up (`up`) or down its list; `None` at the end it moves towards.
pub fn shift(p: &Playbook, key: &Key, up: bool) -> Option<Edit> {
    let ids: Vec<&str> = match key {
        Key::Group(_) => p.groups.iter().map(|g| g.id.as_str()).collect(),
        Key::Trigger { group, .. } => p
            .groups
            .iter()
            .find(|g| g.id == *group)?
            .triggers
            .iter()
            .map(|t| t.id.as_str())
            .collect(),
        Key::Question(_) => p.questions.iter().map(|q| q.id.as_str()).collect(),
        Key::Answer { question, .. } => p
            .question(question)?
            .answers
            .iter()
            .map(|a| a.id.as_str())
            .collect(),
        Key::Level(_) => p.levels.iter().map(|l| l.id.as_str()).collect(),
        Key::RootCause(_) => p.root_causes.iter().map(|r| r.id.as_str()).collect(),
    };
    let at = ids.iter().position(|id| *id == key.id())?;
    let to = if up {
        at.checked_sub(1)?
    } else {
        Some(at + 1).filter(|&t| t < ids.len())?
    };
    Some(Edit::Move {
        key: key.clone(),
        to,
    })
}

/// The urgency and the impact a ticked trigger suggests (`None`: no hint).
pub fn grades_of(p: &Playbook, trigger: &str) -> (Option<Grade>, Option<Grade>) {
    let find = |h: &[GradeHint]| h.iter().find(|x| x.trigger == trigger).map(|x| x.grade);
    (find(&p.priority.urgency), find(&p.priority.impact))
}

/// Makes a ticked trigger suggest this urgency (`impact: false`) or impact, or none.
pub fn set_grade(p: &Playbook, trigger: &str, impact: bool, grade: Option<Grade>) -> Edit {
    let mut s = Settings::of(p);
    let hints = if impact {
        &mut s.priority.impact
    } else {
        &mut s.priority.urgency
    };
    hints.retain(|h| h.trigger != trigger);
    if let Some(grade) = grade {
        hints.push(GradeHint {
            trigger: trigger.to_string(),
            grade,
        });
    }
    Edit::Settings(Box::new(s))
}

/// What in the playbook still names this thing, in words; a thing in use can't be deleted.
pub fn uses(p: &Playbook, key: &Key) -> Vec<String> {
    let mut out = Vec::new();
    let hints = |t: &str, out: &mut Vec<String>| {
        let named = |h: &[GradeHint]| h.iter().any(|h| h.trigger == t);
        if named(&p.priority.urgency) || named(&p.priority.impact) {
            out.push(
                "it suggests an urgency or an impact (choose “None” for both on its card)"
                    .to_string(),
            );
        }
    };
    let preanswered = |t: &str, out: &mut Vec<String>| {
        for q in &p.questions {
            if q.preanswers.iter().any(|x| x.trigger == t) {
                out.push(format!("it answers the question “{}”", q.text));
            }
        }
    };
    let leads_to = |target: &Next, out: &mut Vec<String>| {
        for q in &p.questions {
            for a in q.answers.iter().filter(|a| a.next == *target) {
                out.push(format!(
                    "the answer “{}” to “{}” leads there",
                    a.label, q.text
                ));
            }
        }
    };
    match key {
        Key::Group(id) => {
            if let Some(g) = p.groups.iter().find(|g| g.id == *id) {
                for t in &g.triggers {
                    preanswered(&t.id, &mut out);
                    hints(&t.id, &mut out);
                }
            }
        }
        Key::Trigger { id, .. } => {
            preanswered(id, &mut out);
            hints(id, &mut out);
        }
        Key::Question(id) => {
            if p.start == *id {
                out.push("the tree starts there".to_string());
            }
            leads_to(&Next::Question(id.clone()), &mut out);
        }
        Key::Answer { question, id } => {
            if let Some(q) = p.question(question) {
                for pre in q.preanswers.iter().filter(|x| x.answer == *id) {
                    let t = p
                        .trigger(&pre.trigger)
                        .map_or(pre.trigger.as_str(), |t| &t.label);
                    out.push(format!("the trigger “{t}” gives this answer"));
                }
            }
        }
        Key::Level(id) => leads_to(&Next::Level(id.clone()), &mut out),
        Key::RootCause(_) => {}
    }
    dedup(out)
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    list.into_iter()
        .filter(|x| seen.insert(x.clone()))
        .collect()
}

/// A thing's name as the lead reads it: its kind and its label.
pub fn name_of(p: &Playbook, key: &Key) -> String {
    let quoted = |kind: &str, label: Option<&str>| match label {
        Some(l) if !l.trim().is_empty() => format!("{kind} “{}”", l.trim()),
        _ => format!("{kind} {}", key.id()),
    };
    match key {
        Key::Group(id) => quoted(
            "The group",
            p.groups
                .iter()
                .find(|g| g.id == *id)
                .map(|g| g.label.as_str()),
        ),
        Key::Trigger { id, .. } => quoted("The trigger", p.trigger(id).map(|t| t.label.as_str())),
        Key::Question(id) => quoted("The question", p.question(id).map(|q| q.text.as_str())),
        Key::Answer { question, id } => quoted(
            "The answer",
            p.question(question)
                .and_then(|q| q.answers.iter().find(|a| a.id == *id))
                .map(|a| a.label.as_str()),
        ),
        Key::Level(id) => quoted("The level", p.level(id).map(|l| l.name.as_str())),
        Key::RootCause(id) => quoted("The root cause", p.root_cause(id).map(|r| r.label.as_str())),
    }
}

/// An id for a new thing, from its label, not among `taken`: lower case, `_` between words.
pub fn new_id<'a>(taken: impl IntoIterator<Item = &'a str>, label: &str) -> String {
    let mut base = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.is_empty() && !base.ends_with('_') {
            base.push('_');
        }
    }
    let base = match base.trim_end_matches('_') {
        "" => "new".to_string(),
        b => b.to_string(),
    };
    let taken: HashSet<&str> = taken.into_iter().collect();
    if !taken.contains(base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken.contains(id.as_str()))
        .unwrap_or(base)
}

/// "Add trigger": a new trigger at the end of a group.
pub fn add_trigger(p: &Playbook, group: &str) -> Edit {
    let taken = p
        .groups
        .iter()
        .flat_map(|g| g.triggers.iter().map(|t| t.id.as_str()));
    Edit::Insert {
        at: usize::MAX,
        item: Item::Trigger {
            group: group.to_string(),
            trigger: Trigger {
                id: new_id(taken, "new trigger"),
                label: "New trigger".into(),
                help: String::new(),
                suggested_when: None,
            },
        },
    }
}

/// "Add group": a new, empty trigger group at the end.
pub fn add_group(p: &Playbook) -> Edit {
    Edit::Insert {
        at: usize::MAX,
        item: Item::Group(TriggerGroup {
            id: new_id(p.groups.iter().map(|g| g.id.as_str()), "new group"),
            label: "New group".into(),
            triggers: Vec::new(),
        }),
    }
}

/// "Add question": a new question with a Yes and a No that lead nowhere yet, at the end.
/// Nothing leads to it either: the draft says what is left to choose.
pub fn add_question(p: &Playbook) -> Edit {
    let answer = |id: &str, label: &str| Answer {
        id: id.into(),
        label: label.into(),
        next: Next::Level(String::new()),
    };
    Edit::Insert {
        at: usize::MAX,
        item: Item::Question(Question {
            id: new_id(p.questions.iter().map(|q| q.id.as_str()), "new question"),
            text: "New question".into(),
            help: String::new(),
            answers: vec![answer("yes", "Yes"), answer("no", "No")],
            preanswers: Vec::new(),
        }),
    }
}

/// "Add answer": a new answer to a question, leading nowhere until the lead chooses.
pub fn add_answer(p: &Playbook, question: &str) -> Edit {
    let taken: Vec<&str> = p
        .question(question)
        .map(|q| q.answers.iter().map(|a| a.id.as_str()).collect())
        .unwrap_or_default();
    Edit::Insert {
        at: usize::MAX,
        item: Item::Answer {
            question: question.to_string(),
            answer: Answer {
                id: new_id(taken, "new answer"),
                label: "New answer".into(),
                next: Next::Level(String::new()),
            },
        },
    }
}

/// "Add level": a level one rank above the highest, with modest targets to tune.
pub fn add_level(p: &Playbook) -> Edit {
    let rank = p
        .levels
        .iter()
        .map(|l| l.rank)
        .max()
        .map_or(0, |r| r.saturating_add(1));
    Edit::Insert {
        at: usize::MAX,
        item: Item::Level(Level {
            id: new_id(p.levels.iter().map(|l| l.id.as_str()), "new level"),
            rank,
            name: "New level".into(),
            receiver: String::new(),
            response_minutes: 60,
            resolution_minutes: 8 * 60,
            update_minutes: 0,
            silence_minutes: 0,
            around_the_clock: false,
            handoff_requires: Vec::new(),
            close_requires: vec![Part::Resolution],
            customer_message: "Thank you, {customer}. Your request {reference} is now with {receiver}; you will hear from them by {response_due}.".into(),
        }),
    }
}

/// "Add root cause": a new category at the end.
pub fn add_root_cause(p: &Playbook) -> Edit {
    Edit::Insert {
        at: usize::MAX,
        item: Item::RootCause(RootCause {
            id: new_id(
                p.root_causes.iter().map(|r| r.id.as_str()),
                "new root cause",
            ),
            label: "New root cause".into(),
        }),
    }
}

/// The placeholders a customer message may use.
pub const PLACEHOLDERS: [&str; 6] = [
    "{customer}",
    "{reference}",
    "{receiver}",
    "{response_due}",
    "{resolution_due}",
    "{update_due}",
];

/// Words in braces in a template that are not placeholders (a typo the customer would read).
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else { break };
        let word = &after[..=close];
        if !PLACEHOLDERS.contains(&word) {
            out.push(word.to_string());
        }
        rest = &after[close + 1..];
    }
    dedup(out)
}

/// Where on screen a problem belongs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Thing(Key),
    /// The tree as a whole (where it starts, a loop).
    Tree,
    Levels,
    Priority,
    Settings,
}

/// A validation problem in the lead's words, at its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub place: Place,
    pub text: String,
}

/// Every problem of a draft, each said with the names the lead gave (not ids) and placed
/// where the editor shows it.
pub fn findings(p: &Playbook, problems: &[Problem]) -> Vec<Finding> {
    let q_text = |id: &str| {
        p.question(id)
            .map_or_else(|| id.to_string(), |q| q.text.clone())
    };
    let answer = |q: &str, a: &str| Key::Answer {
        question: q.to_string(),
        id: a.to_string(),
    };
    problems
        .iter()
        .map(|problem| {
            let (place, text) = match problem {
                Problem::NoLevels => (Place::Levels, "Add a level: the tree has nowhere to end.".to_string()),
                Problem::MissingStart(_) => (Place::Tree, "Choose the question the tree starts with.".to_string()),
                Problem::NoAnswers(q) => (
                    Place::Thing(Key::Question(q.clone())),
                    "This question has no answers. Add one.".to_string(),
                ),
                Problem::MissingQuestion { question, answer: a, .. }
                | Problem::MissingLevel { question, answer: a, .. } => (
                    Place::Thing(answer(question, a)),
                    "This answer leads nowhere. Choose where it leads.".to_string(),
                ),
                Problem::UnknownTrigger { question, trigger } => (
                    Place::Thing(Key::Question(question.clone())),
                    format!("A pre-answer names the trigger “{trigger}”, which is gone. Remove it."),
                ),
                Problem::UnknownAnswer { question, answer: a } => (
                    Place::Thing(Key::Question(question.clone())),
                    format!("A pre-answer gives the answer “{a}”, which is gone. Remove it."),
                ),
                Problem::UnknownHintTrigger(t) => (
                    Place::Priority,
                    format!("A priority hint names the trigger “{t}”, which is gone."),
                ),
                Problem::Loop(cycle) => {
                    let names: Vec<String> = cycle.split(" → ").map(|id| format!("“{}”", q_text(id))).collect();
                    (Place::Tree, format!("The questions go round in a loop: {}. Make one of these answers lead to a level.", names.join(" → ")))
                }
                Problem::UnreachableQuestion(q) => (
                    Place::Thing(Key::Question(q.clone())),
                    "No answer leads to this question yet. Make an answer lead here, or delete it.".to_string(),
                ),
                Problem::UnreachableLevel(l) => (
                    Place::Thing(Key::Level(l.clone())),
                    "No answer leads to this level yet. Make an answer lead here, or delete it.".to_string(),
                ),
                Problem::Targets(l) => (
                    Place::Thing(Key::Level(l.clone())),
                    "The resolution target is shorter than the first response target.".to_string(),
                ),
                Problem::ZeroTarget { level, target } => (
                    Place::Thing(Key::Level(level.clone())),
                    format!("The {target} target is 0: enter a number of minutes above 0."),
                ),
                Problem::DuplicateId(id) => (Place::Settings, format!("The id “{id}” is used twice. Rename one in the file.")),
                Problem::Calendar(_) | Problem::WarnPercent(_) => (Place::Settings, problem.to_string()),
            };
            Finding { place, text }
        })
        .collect()
}

/// Why a typed target is refused, in the words shown beside its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("Enter a number of minutes above 0.")]
    NotAbove0,
    #[error("Enter a number of minutes (0 for none).")]
    NotANumber,
}

/// A target as typed into the studio, in minutes: a whole number above 0, or 0 too when
/// `zero_ok` (the rank 0 level's first response, "none"). Empty, negative, fractional and
/// non-number text is refused, never silently kept as the last good value.
pub fn target_minutes(text: &str, zero_ok: bool) -> Result<u32, TargetError> {
    let refused = if zero_ok {
        TargetError::NotANumber
    } else {
        TargetError::NotAbove0
    };
    match text.trim().parse::<u32>() {
        Ok(0) if !zero_ok => Err(refused),
        Ok(n) => Ok(n),
        Err(_) => Err(refused),
    }
}

/// How a duration reads in the studio and the diff: "now", "45 min", "4 h", "2 d", "1 h 30 min".
pub fn minutes(m: u32) -> String {
    match m {
        0 => "now".into(),
        m if m % (24 * 60) == 0 => format!("{} d", m / (24 * 60)),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m if m > 60 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{m} min"),
    }
}

/// A duration that may be "none" (0).
pub fn optional_minutes(m: u32) -> String {
    if m == 0 {
        "none".into()
    } else {
        minutes(m)
    }
}

/// A thing's facts as (name, value) pairs in words: what the diff compares.
fn facts(p: &Playbook, item: &Item) -> Vec<(&'static str, String)> {
    let next = |n: &Next| match n {
        Next::Question(q) => p.question(q).map_or_else(|| q.clone(), |q| q.text.clone()),
        Next::Level(l) => p.level(l).map_or_else(|| l.clone(), |l| l.name.clone()),
    };
    match item {
        Item::Group(g) => vec![("label", g.label.clone())],
        Item::Trigger { group, trigger: t } => vec![
            ("label", t.label.clone()),
            ("help", t.help.clone()),
            (
                "group",
                p.groups
                    .iter()
                    .find(|g| g.id == *group)
                    .map_or_else(|| group.clone(), |g| g.label.clone()),
            ),
            (
                "suggested when",
                t.suggested_when
                    .map_or_else(|| "never".into(), |s| s.reason()),
            ),
        ],
        Item::Question(q) => vec![
            ("text", q.text.clone()),
            ("help", q.help.clone()),
            (
                "answers",
                q.answers
                    .iter()
                    .map(|a| format!("{} → {}", a.label, next(&a.next)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            (
                "pre-answers",
                q.preanswers
                    .iter()
                    .map(|x| {
                        let t = p
                            .trigger(&x.trigger)
                            .map_or(x.trigger.as_str(), |t| &t.label);
                        let a = q
                            .answers
                            .iter()
                            .find(|a| a.id == x.answer)
                            .map_or(x.answer.as_str(), |a| &a.label);
                        format!("{t} → {a}")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ],
        Item::Answer { answer: a, .. } => {
            vec![("label", a.label.clone()), ("leads to", next(&a.next))]
        }
        Item::Level(l) => vec![
            ("name", l.name.clone()),
            ("rank", l.rank.to_string()),
            ("receiver", l.receiver.clone()),
            ("first response", optional_minutes(l.response_minutes)),
            ("next update", optional_minutes(l.update_minutes)),
            ("resolution", minutes(l.resolution_minutes)),
            ("silence timeout", optional_minutes(l.silence_minutes)),
            (
                "counted in",
                if l.around_the_clock {
                    "around the clock"
                } else {
                    "working time"
                }
                .into(),
            ),
            (
                "handoff needs",
                l.handoff_requires
                    .iter()
                    .map(|r| {
                        format!(
                            "{}{}",
                            r.field.label(),
                            if r.blocks { " (blocks)" } else { "" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                "close needs",
                l.close_requires
                    .iter()
                    .map(|x| x.label())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("customer message", l.customer_message.clone()),
        ],
        Item::RootCause(r) => vec![("label", r.label.clone())],
    }
}

fn settings_facts(p: &Playbook) -> Vec<(&'static str, String)> {
    let grades = |h: &[GradeHint]| {
        h.iter()
            .map(|h| {
                let t = p
                    .trigger(&h.trigger)
                    .map_or(h.trigger.as_str(), |t| &t.label);
                format!("{t}: {}", h.grade.label())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let c = &p.calendar;
    let days: Vec<&str> = super::clock::DAY_NAMES
        .iter()
        .zip(c.working_days)
        .filter(|(_, on)| *on)
        .map(|(d, _)| *d)
        .collect();
    let matrix = p
        .priority
        .matrix
        .iter()
        .map(|row| row.iter().map(|x| x.label()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" / ");
    vec![
        ("name", p.name.clone()),
        (
            "first question",
            p.question(&p.start)
                .map_or_else(|| p.start.clone(), |q| q.text.clone()),
        ),
        ("urgency x impact matrix", matrix),
        (
            "targets per priority (P1 to P4)",
            p.priority
                .target_percent
                .map(|x| format!("{x}%"))
                .join(", "),
        ),
        ("urgency hints", grades(&p.priority.urgency)),
        ("impact hints", grades(&p.priority.impact)),
        ("tier 1 tips", p.tier1_tips.join(" / ")),
        ("time zone", c.time_zone.clone()),
        ("working days", days.join(", ")),
        (
            "working hours",
            format!("{} to {}", c.opens.text(), c.closes.text()),
        ),
        (
            "holidays",
            c.holidays
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("warning threshold", format!("{}%", p.warn_percent)),
        ("people", p.people.join(", ")),
    ]
}

/// Every thing of a playbook with its key, in the order the studio shows them.
fn things(p: &Playbook) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    for g in &p.groups {
        out.push(Item::Group(g.clone()));
        out.extend(g.triggers.iter().map(|t| Item::Trigger {
            group: g.id.clone(),
            trigger: t.clone(),
        }));
    }
    out.extend(p.questions.iter().map(|q| Item::Question(q.clone())));
    out.extend(p.levels.iter().map(|l| Item::Level(l.clone())));
    out.extend(p.root_causes.iter().map(|r| Item::RootCause(r.clone())));
    out
}

fn kind(key: &Key) -> &'static str {
    match key {
        Key::Group(_) => "trigger group",
        Key::Trigger { .. } => "trigger",
        Key::Question(_) => "question",
        Key::Answer { .. } => "answer",
        Key::Level(_) => "level",
        Key::RootCause(_) => "root cause",
    }
}

fn title(item: &Item) -> String {
    let label = match item {
        Item::Group(g) => &g.label,
        Item::Trigger { trigger, .. } => &trigger.label,
        Item::Question(q) => &q.text,
        Item::Answer { answer, .. } => &answer.label,
        Item::Level(l) => &l.name,
        Item::RootCause(r) => &r.label,
    };
    format!("{} “{}”", kind(&item.key()), label)
}

/// What changed from `old` to `new`, one line each, in words: added, removed, changed (each
/// fact from -> to), and lists put in another order.
pub fn diff(old: &Playbook, new: &Playbook) -> Vec<String> {
    let mut out = Vec::new();
    let before = things(old);
    let after = things(new);
    let old_by: HashMap<Key, &Item> = before.iter().map(|i| (i.key(), i)).collect();
    let new_keys: HashSet<Key> = after.iter().map(Item::key).collect();
    let changed =
        |what: String, a: Vec<(&str, String)>, b: Vec<(&str, String)>, out: &mut Vec<String>| {
            for ((name, x), (_, y)) in a.iter().zip(&b) {
                if x != y {
                    let show = |v: &str| {
                        if v.is_empty() {
                            "nothing".to_string()
                        } else {
                            format!("“{v}”")
                        }
                    };
                    out.push(format!(
                        "Changed the {what}: {name} {} → {}.",
                        show(x),
                        show(y)
                    ));
                }
            }
        };
    for item in &after {
        match old_by.get(&item.key()) {
            None => out.push(format!("Added the {}.", title(item))),
            Some(was) => changed(title(was), facts(old, was), facts(new, item), &mut out),
        }
    }
    for item in &before {
        if !new_keys.contains(&item.key()) {
            out.push(format!("Removed the {}.", title(item)));
        }
    }
    changed(
        "settings".into(),
        settings_facts(old),
        settings_facts(new),
        &mut out,
    );
    let order = |p: &Playbook| {
        (
            p.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>(),
            p.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>(),
            p.levels.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
            p.root_causes
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>(),
        )
    };
    let (a, b) = (order(old), order(new));
    let kept = |x: &[String], y: &[String]| {
        let common: HashSet<&String> = x.iter().filter(|i| y.contains(i)).collect();
        x.iter()
            .filter(|i| common.contains(i))
            .ne(y.iter().filter(|i| common.contains(i)))
    };
    for (moved, what) in [
        (kept(&a.0, &b.0), "trigger groups"),
        (kept(&a.1, &b.1), "questions"),
        (kept(&a.2, &b.2), "levels"),
        (kept(&a.3, &b.3), "root causes"),
    ] {
        if moved {
            out.push(format!("Put the {what} in another order."));
        }
    }
    out
}

/// A box of the tree's diagram: a question or a level, in a column (its depth from the start)
/// and a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub key: Key,
    pub label: String,
    pub column: usize,
    pub row: usize,
}

/// An arrow from one box to another, named by the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    pub nodes: Vec<Node>,
    pub arrows: Vec<Arrow>,
    pub columns: usize,
    pub rows: usize,
}

/// The tree laid out top to bottom: each question in the row of its longest path from the
/// start (questions nothing leads to in the first), side by side when several share a row;
/// the levels in a column of their own on the right, by rank.
pub fn layout(p: &Playbook) -> Diagram {
    let n = p.questions.len();
    let index = p.question_index();
    // Longest path, bounded by the number of questions so a loop can't run forever.
    let mut depth = vec![0usize; n];
    for _ in 0..n {
        let mut moved = false;
        for (i, q) in p.questions.iter().enumerate() {
            for a in &q.answers {
                if let Next::Question(t) = &a.next {
                    if let Some(&j) = index.get(t.as_str()) {
                        if j != i && depth[j] < depth[i] + 1 && depth[i] + 1 < n.max(1) {
                            depth[j] = depth[i] + 1;
                            moved = true;
                        }
                    }
                }
            }
        }
        if !moved {
            break;
        }
    }
    let mut diagram = Diagram::default();
    let mut rows: HashMap<usize, usize> = HashMap::new();
    // How many boxes each row holds so far.
    let mut place = |row: usize| {
        let r = rows.entry(row).or_insert(0);
        *r += 1;
        *r - 1
    };
    let mut order: Vec<usize> = (0..n).collect();
    super::sort::sort_by_key(&mut order, |&i| (depth[i], i));
    let mut at: HashMap<Key, usize> = HashMap::new();
    for i in order {
        let q = &p.questions[i];
        at.insert(Key::Question(q.id.clone()), diagram.nodes.len());
        diagram.nodes.push(Node {
            key: Key::Question(q.id.clone()),
            label: q.text.clone(),
            column: place(depth[i]),
            row: depth[i],
        });
    }
    let last = rows.values().copied().max().unwrap_or(0);
    let question_rows = rows.len();
    for (i, l) in p.levels_by_rank().into_iter().enumerate() {
        at.insert(Key::Level(l.id.clone()), diagram.nodes.len());
        diagram.nodes.push(Node {
            key: Key::Level(l.id.clone()),
            label: l.name.clone(),
            column: last,
            row: i,
        });
    }
    for q in &p.questions {
        let from = at[&Key::Question(q.id.clone())];
        for a in &q.answers {
            let to = match &a.next {
                Next::Question(t) => at.get(&Key::Question(t.clone())),
                Next::Level(t) => at.get(&Key::Level(t.clone())),
            };
            if let Some(&to) = to {
                diagram.arrows.push(Arrow {
                    from,
                    to,
                    label: a.label.clone(),
                });
            }
        }
    }
    diagram.columns = last + 1;
    diagram.rows = question_rows.max(p.levels.len());
    diagram
}

/// The draft published: its version one above both the playbook in force and every version
/// kept, so no two published versions share a number.
pub fn published(draft: &Playbook, current: &Playbook, kept: &[Playbook]) -> Playbook {
    let top = kept
        .iter()
        .map(|k| k.version)
        .chain([current.version])
        .max()
        .unwrap_or(0);
    let mut out = draft.clone();
    out.version = top + 1;
    out
}

#[cfg(test)]
mod target_tests {
    use super::*;
    use crate::core::playbook::{default_playbook, validate, Problem};

    #[test]
    fn a_typed_target_must_be_a_number_above_zero() {
        assert_eq!(target_minutes("45", false), Ok(45));
        assert_eq!(target_minutes(" 240 ", false), Ok(240));
        for bad in ["-5", "", "  ", "abc", "1.5", "0", "4h"] {
            assert_eq!(
                target_minutes(bad, false),
                Err(TargetError::NotAbove0),
                "{bad:?}"
            );
        }
        assert_eq!(target_minutes("0", true), Ok(0));
        assert_eq!(target_minutes("-5", true), Err(TargetError::NotANumber));
        assert_eq!(
            TargetError::NotAbove0.to_string(),
            "Enter a number of minutes above 0."
        );
    }

    #[test]
    fn a_level_with_a_zero_target_is_not_ready_to_publish() {
        let mut p = default_playbook();
        assert_eq!(validate(&p), vec![]);
        let l = p.levels.iter().position(|l| l.rank > 0).unwrap();
        p.levels[l].response_minutes = 0;
        p.levels[l].resolution_minutes = 0;
        p.levels[l].update_minutes = 0;
        let id = p.levels[l].id.clone();
        let problems = validate(&p);
        assert!(problems.contains(&Problem::ZeroTarget {
            level: id.clone(),
            target: "first-response"
        }));
        assert!(problems.contains(&Problem::ZeroTarget {
            level: id.clone(),
            target: "resolution"
        }));
        let found = findings(&p, &problems);
        assert!(found
            .iter()
            .any(|f| f.place == Place::Thing(Key::Level(id.clone()))
                && f.text == "The resolution target is 0: enter a number of minutes above 0."));
        // The rank 0 level may have no first-response target, but needs a resolution one.
        let mut p = default_playbook();
        let stay = p.levels.iter().position(|l| l.rank == 0).unwrap();
        assert_eq!(p.levels[stay].response_minutes, 0);
        p.levels[stay].resolution_minutes = 0;
        assert_eq!(
            validate(&p),
            vec![Problem::ZeroTarget {
                level: p.levels[stay].id.clone(),
                target: "resolution"
            }]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::playbook::{self, default_playbook, validate};

    fn undo_gives_back(p: &Playbook, edit: &Edit) {
        let (changed, undo) = apply(p, edit).expect("edit applies");
        let (back, _) = apply(&changed, &undo).expect("undo applies");
        assert_eq!(&back, p, "{edit:?}");
    }

    #[test]
    fn every_add_is_undone() {
        let p = default_playbook();
        let group = p.groups[0].id.clone();
        let q = p.questions[0].id.clone();
        for edit in [
            add_trigger(&p, &group),
            add_group(&p),
            add_question(&p),
            add_answer(&p, &q),
            add_level(&p),
            add_root_cause(&p),
        ] {
            undo_gives_back(&p, &edit);
        }
    }

    #[test]
    fn remove_move_replace_and_settings_are_undone() {
        let p = default_playbook();
        let last = p.root_causes.last().unwrap().id.clone();
        undo_gives_back(&p, &Edit::Remove(Key::RootCause(last.clone())));
        undo_gives_back(
            &p,
            &Edit::Move {
                key: Key::RootCause(last),
                to: 0,
            },
        );
        let mut q = p.questions[1].clone();
        q.text = "Reworded".into();
        undo_gives_back(&p, &Edit::Replace(Item::Question(q)));
        let mut s = Settings::of(&p);
        s.warn_percent = 50;
        s.people = vec!["Ana".into()];
        undo_gives_back(&p, &Edit::Settings(Box::new(s)));
    }

    #[test]
    fn a_thing_in_use_is_not_deleted_and_says_by_what() {
        let p = default_playbook();
        let start = Key::Question(p.start.clone());
        let err = apply(&p, &Edit::Remove(start)).unwrap_err();
        assert!(err.to_string().contains("the tree starts there"), "{err}");
        let used = p
            .questions
            .iter()
            .flat_map(|q| &q.preanswers)
            .next()
            .unwrap()
            .trigger
            .clone();
        let group = p
            .groups
            .iter()
            .find(|g| g.triggers.iter().any(|t| t.id == used))
            .unwrap()
            .id
            .clone();
        let err = apply(&p, &Edit::Remove(Key::Trigger { group, id: used })).unwrap_err();
        assert!(err.to_string().contains("it answers the question"), "{err}");
        let (_, level) = p
            .questions
            .iter()
            .flat_map(|q| &q.answers)
            .find_map(|a| match &a.next {
                Next::Level(l) => Some(((), l.clone())),
                _ => None,
            })
            .unwrap();
        assert!(apply(&p, &Edit::Remove(Key::Level(level))).is_err());
    }

    #[test]
    fn a_new_question_with_an_answer_to_a_new_level_becomes_valid() {
        let p = default_playbook();
        let (p1, _) = apply(&p, &add_level(&p)).unwrap();
        let level = p1.levels.last().unwrap().id.clone();
        let (p2, _) = apply(&p1, &add_question(&p1)).unwrap();
        let q = p2.questions.last().unwrap().clone();
        let problems = validate(&p2);
        let found = findings(&p2, &problems);
        assert!(found
            .iter()
            .any(|f| f.place == Place::Thing(Key::Question(q.id.clone()))));
        assert!(found
            .iter()
            .any(|f| f.place == Place::Thing(Key::Level(level.clone()))));
        // The new question's Yes goes to the new level, and the start's first answer to it.
        let mut q2 = q.clone();
        q2.answers[0].next = Next::Level(level.clone());
        q2.answers[1].next = Next::Level(p.levels[0].id.clone());
        let (p3, _) = apply(&p2, &Edit::Replace(Item::Question(q2))).unwrap();
        let mut start = p3.question(&p3.start).unwrap().clone();
        start.answers[0].next = Next::Question(q.id.clone());
        let (p4, _) = apply(&p3, &Edit::Replace(Item::Question(start))).unwrap();
        let problems = validate(&p4);
        // Whatever the start's first answer used to reach may now be unreachable; nothing
        // about the new question or level is left.
        assert!(findings(&p4, &problems)
            .iter()
            .all(|f| f.place != Place::Thing(Key::Question(q.id.clone()))
                && f.place != Place::Thing(Key::Level(level.clone()))));
    }

    #[test]
    fn an_answer_leading_nowhere_is_found_at_the_answer() {
        let p = default_playbook();
        let mut q = p.questions[0].clone();
        q.answers[0].next = Next::Level("gone".into());
        let key = Key::Answer {
            question: q.id.clone(),
            id: q.answers[0].id.clone(),
        };
        let (p1, _) = apply(&p, &Edit::Replace(Item::Question(q))).unwrap();
        let found = findings(&p1, &validate(&p1));
        assert!(found
            .iter()
            .any(|f| f.place == Place::Thing(key.clone()) && f.text.contains("leads nowhere")));
    }

    #[test]
    fn a_trigger_is_made_to_answer_another_question_in_one_undoable_edit() {
        let p = default_playbook();
        let (q, _) = preanswer_of(
            &p,
            &p.questions
                .iter()
                .flat_map(|q| &q.preanswers)
                .next()
                .unwrap()
                .trigger,
        )
        .unwrap();
        let trigger = p
            .questions
            .iter()
            .flat_map(|q| &q.preanswers)
            .next()
            .unwrap()
            .trigger
            .clone();
        let other = p.questions.iter().find(|x| x.id != q).unwrap();
        let to = Some((other.id.clone(), other.answers[0].id.clone()));
        let edit = set_preanswer(&p, &trigger, to.clone());
        let (p1, _) = apply(&p, &edit).unwrap();
        assert_eq!(preanswer_of(&p1, &trigger), to);
        undo_gives_back(&p, &edit);
        let (p2, _) = apply(&p1, &set_preanswer(&p1, &trigger, None)).unwrap();
        assert_eq!(preanswer_of(&p2, &trigger), None);
    }

    #[test]
    fn a_trigger_suggests_an_urgency_and_an_impact() {
        let p = default_playbook();
        let t = p.groups[0].triggers[0].id.clone();
        let (p1, _) = apply(&p, &set_grade(&p, &t, false, Some(Grade::High))).unwrap();
        let (p2, _) = apply(&p1, &set_grade(&p1, &t, true, Some(Grade::Low))).unwrap();
        assert_eq!(grades_of(&p2, &t), (Some(Grade::High), Some(Grade::Low)));
        let (p3, _) = apply(&p2, &set_grade(&p2, &t, false, None)).unwrap();
        assert_eq!(grades_of(&p3, &t).0, None);
        assert!(playbook::validate(&p3).is_empty());
        // A trigger named by a hint is in use: deleting it says so.
        let group = p.groups[0].id.clone();
        let err = apply(&p2, &Edit::Remove(Key::Trigger { group, id: t })).unwrap_err();
        assert!(err.to_string().contains("it suggests an urgency"), "{err}");
    }

    #[test]
    fn shifting_stops_at_the_ends() {
        let p = default_playbook();
        let first = Key::RootCause(p.root_causes[0].id.clone());
        assert_eq!(shift(&p, &first, true), None);
        let (p1, _) = apply(&p, &shift(&p, &first, false).unwrap()).unwrap();
        assert_eq!(p1.root_causes[1].id, p.root_causes[0].id);
        let last = Key::RootCause(p.root_causes.last().unwrap().id.clone());
        assert_eq!(shift(&p, &last, false), None);
    }

    #[test]
    fn new_ids_are_unique_and_readable() {
        assert_eq!(new_id(["a"], "New trigger"), "new_trigger");
        assert_eq!(new_id(["new_trigger"], "New trigger"), "new_trigger_2");
        assert_eq!(
            new_id(["new_trigger", "new_trigger_2"], "New trigger"),
            "new_trigger_3"
        );
        assert_eq!(new_id([], "¿?"), "new");
    }

    #[test]
    fn placeholders_with_typos_are_named() {
        assert_eq!(
            unknown_placeholders("Hi {customer}, {refrence} {receiver}"),
            vec!["{refrence}"]
        );
        assert!(unknown_placeholders("no braces {").is_empty());
    }

    #[test]
    fn diff_names_what_changed_in_words() {
        let p = default_playbook();
        assert!(diff(&p, &p).is_empty());
        let mut l = p.levels[1].clone();
        l.response_minutes = 17;
        let (p1, _) = apply(&p, &Edit::Replace(Item::Level(l.clone()))).unwrap();
        let (p2, _) = apply(&p1, &add_root_cause(&p1)).unwrap();
        let (p3, _) = apply(
            &p2,
            &Edit::Move {
                key: Key::Level(p2.levels[0].id.clone()),
                to: 9,
            },
        )
        .unwrap();
        let lines = diff(&p, &p3);
        assert!(
            lines.iter().any(|x| x
                .starts_with(&format!("Changed the level “{}”: first response", l.name))
                && x.contains("→ “17 min”")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"Added the root cause “New root cause”.".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"Put the levels in another order.".to_string()),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 3, "{lines:?}");
    }

    #[test]
    fn the_diagram_puts_each_question_after_the_ones_leading_to_it() {
        let p = default_playbook();
        let d = layout(&p);
        assert_eq!(d.nodes.len(), p.questions.len() + p.levels.len());
        let levels_at = d.columns - 1;
        for a in &d.arrows {
            let (from, to) = (&d.nodes[a.from], &d.nodes[a.to]);
            match to.key {
                Key::Question(_) => assert!(to.row > from.row, "{a:?}"),
                _ => assert!(to.column == levels_at && from.column < levels_at, "{a:?}"),
            }
        }
        let start = d
            .nodes
            .iter()
            .find(|n| n.key == Key::Question(p.start.clone()))
            .unwrap();
        assert_eq!((start.row, start.column), (0, 0));
        // No two boxes in one place.
        let places: HashSet<(usize, usize)> = d.nodes.iter().map(|n| (n.row, n.column)).collect();
        assert_eq!(places.len(), d.nodes.len());
    }

    #[test]
    fn publishing_takes_the_next_free_version() {
        let p = default_playbook();
        let mut old = p.clone();
        old.version = 7;
        assert_eq!(published(&p, &p, &[old]).version, 8);
        assert_eq!(published(&p, &p, &[]).version, p.version + 1);
    }

    /// A small deterministic generator, so the property runs the same everywhere.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// An edit the editor offers, picked at random.
    fn some_edit(p: &Playbook, r: &mut Rng) -> Edit {
        let things = things(p);
        let thing = things[r.next(things.len())].clone();
        match r.next(7) {
            6 => {
                let t = p
                    .groups
                    .iter()
                    .flat_map(|g| &g.triggers)
                    .nth(r.next(30))
                    .map(|t| t.id.clone())
                    .unwrap_or_default();
                let q = &p.questions[r.next(p.questions.len())];
                let to = q.answers.first().map(|a| (q.id.clone(), a.id.clone()));
                set_preanswer(p, &t, to)
            }
            0 => match r.next(6) {
                0 => add_trigger(p, &p.groups[r.next(p.groups.len())].id),
                1 => add_group(p),
                2 => add_question(p),
                3 => add_answer(p, &p.questions[r.next(p.questions.len())].id),
                4 => add_level(p),
                _ => add_root_cause(p),
            },
            1 => Edit::Remove(thing.key()),
            2 => Edit::Move {
                key: thing.key(),
                to: r.next(8),
            },
            3 => {
                // Point an answer somewhere else (another question or a level).
                let mut q = p.questions[r.next(p.questions.len())].clone();
                let i = r.next(q.answers.len());
                if let Some(a) = q.answers.get_mut(i) {
                    a.next = if r.next(2) == 0 {
                        Next::Question(p.questions[r.next(p.questions.len())].id.clone())
                    } else {
                        Next::Level(p.levels[r.next(p.levels.len())].id.clone())
                    };
                }
                Edit::Replace(Item::Question(q))
            }
            4 => {
                let mut l = p.levels[r.next(p.levels.len())].clone();
                l.response_minutes = r.next(600) as u32;
                l.name = format!("Renamed {}", r.next(9));
                Edit::Replace(Item::Level(l))
            }
            _ => {
                let mut s = Settings::of(p);
                s.warn_percent = r.next(120) as u32;
                Edit::Settings(Box::new(s))
            }
        }
    }

    /// Any sequence of edits the editor offers: each one either is refused with a reason, or
    /// is made and undone exactly; every problem of the result is placed on a thing that
    /// exists; and a draft that validates replays with no change against itself.
    #[test]
    fn edits_undo_and_problems_have_places() {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..40 {
            let mut p = default_playbook();
            for _ in 0..25 {
                let edit = some_edit(&p, &mut r);
                match apply(&p, &edit) {
                    Err(e) => assert!(!e.to_string().is_empty()),
                    Ok((next, undo)) => {
                        let (back, _) = apply(&next, &undo).expect("undo applies");
                        assert_eq!(back, p, "{edit:?}");
                        let keys: HashSet<Key> = things(&next)
                            .iter()
                            .map(Item::key)
                            .chain(next.questions.iter().flat_map(|q| {
                                q.answers.iter().map(|a| Key::Answer {
                                    question: q.id.clone(),
                                    id: a.id.clone(),
                                })
                            }))
                            .collect();
                        for f in findings(&next, &validate(&next)) {
                            if let Place::Thing(k) = &f.place {
                                assert!(keys.contains(k), "{f:?}");
                            }
                            assert!(!f.text.is_empty());
                        }
                        let _ = layout(&next);
                        p = next;
                    }
                }
            }
        }
    }
}
