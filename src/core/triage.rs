//! Triage: the checklist and tree answers saved on a case, the walk through the decision tree,
//! the recommendation with its reasons, and the decision the agent takes.
//!
//! [`evaluate`] is pure and total: for any playbook and any answers it returns, in at most one
//! step per question, either the next question to ask or a recommended level, and always the
//! path and reasons that led there.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::json::{deserialize_by_hand, write_fields, Fields, FromJson, Object, Read, ToJson};

use super::case::{Case, Entry, Event, LevelMove, Status};
use super::clock::{due_from, Hours, Targets};
use super::playbook::{Grade, Level, Next, Playbook, Priority, Suggest};

/// Which playbook a triage used: changing the playbook later never rewrites a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaybookRef {
    pub id: String,
    pub version: u32,
}

impl PlaybookRef {
    pub fn of(p: &Playbook) -> PlaybookRef {
        PlaybookRef {
            id: p.id.clone(),
            version: p.version,
        }
    }

    pub fn label(&self) -> String {
        format!("{} v{}", self.id, self.version)
    }
}

/// The agent's work so far on the checklist and the tree, saved as they go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Triage {
    pub triggers: Vec<String>,
    /// Triggers ticked at the start from facts already on the case (see `Suggest`).
    pub suggested: Vec<String>,
    /// Answers the agent gave or changed, by question id: they win over pre-answers.
    pub answers: Vec<(String, String)>,
    pub urgency: Option<Grade>,
    pub impact: Option<Grade>,
    /// The playbook version the triage started with: it keeps that version when another is
    /// published meanwhile, until the agent re-runs it with the new one (`None`: a triage
    /// from before this was kept, which follows the playbook in force).
    pub playbook: Option<PlaybookRef>,
}

impl Triage {
    pub fn has_trigger(&self, id: &str) -> bool {
        self.triggers.iter().any(|t| t == id)
    }

    pub fn toggled(&self, trigger: &str, on: bool) -> Triage {
        let mut t = self.clone();
        t.triggers.retain(|x| x != trigger);
        if on {
            t.triggers.push(trigger.to_string());
        }
        t
    }

    pub fn answered(&self, question: &str, answer: &str) -> Triage {
        let mut t = self.clone();
        t.answers.retain(|(q, _)| q != question);
        t.answers.push((question.to_string(), answer.to_string()));
        t
    }

    /// Several answers at once (questions ruled out together).
    pub fn answered_all(&self, answers: &[(String, String)]) -> Triage {
        answers
            .iter()
            .fold(self.clone(), |t, (q, a)| t.answered(q, a))
    }

    /// Forgets the agent's own answer to a question (a pre-answer applies again).
    pub fn unanswered(&self, question: &str) -> Triage {
        let mut t = self.clone();
        t.answers.retain(|(q, _)| q != question);
        t
    }

    fn answer(&self, question: &str) -> Option<&str> {
        self.answers
            .iter()
            .find(|(q, _)| q == question)
            .map(|(_, a)| a.as_str())
    }
}

/// Where an answer came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Agent,
    /// Pre-answered because this trigger is checked.
    Trigger(String),
    /// Nothing checked and nothing chosen: the playbook's default.
    Default,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathStep {
    pub question: String,
    pub question_text: String,
    pub answer: String,
    pub answer_label: String,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub path: Vec<PathStep>,
    /// The question to ask next, when the walk is not finished.
    pub pending: Option<String>,
    /// The recommended level, when it is.
    pub level: Option<String>,
    pub urgency: (Grade, Source),
    pub impact: (Grade, Source),
    pub priority: Priority,
}

impl Walk {
    /// Why this recommendation: the checked triggers that answered questions, and each answer.
    pub fn reasons(&self, p: &Playbook) -> Vec<String> {
        let mut reasons: Vec<String> = self
            .path
            .iter()
            .map(|s| {
                let why = match &s.source {
                    Source::Agent => "your answer".to_string(),
                    Source::Trigger(t) => format!(
                        "checked: {}",
                        p.trigger(t).map(|t| t.label.as_str()).unwrap_or(t)
                    ),
                    Source::Default => "default".to_string(),
                };
                format!("{} {} ({why})", s.question_text, s.answer_label)
            })
            .collect();
        let grade = |what: &str, (g, src): &(Grade, Source)| {
            let why = match src {
                Source::Agent => "your choice".to_string(),
                Source::Trigger(t) => format!(
                    "checked: {}",
                    p.trigger(t).map(|t| t.label.as_str()).unwrap_or(t)
                ),
                Source::Default => "nothing pointed higher or lower".to_string(),
            };
            format!("{what}: {} ({why})", g.label())
        };
        reasons.push(grade("Urgency", &self.urgency));
        reasons.push(grade("Impact", &self.impact));
        reasons
    }
}

/// The grade the checked triggers give (the highest hint wins), or the agent's choice.
fn grade_of(
    chosen: Option<Grade>,
    hints: &[super::playbook::GradeHint],
    triage: &Triage,
) -> (Grade, Source) {
    if let Some(g) = chosen {
        return (g, Source::Agent);
    }
    hints
        .iter()
        .filter(|h| triage.has_trigger(&h.trigger))
        .min_by_key(|h| h.grade)
        .map(|h| (h.grade, Source::Trigger(h.trigger.clone())))
        .unwrap_or((Grade::Medium, Source::Default))
}

/// Walks the tree as far as the answers go. Terminates on any playbook, valid or not: it stops
/// at a question it has already visited, at a missing question, or at an unknown answer.
pub fn evaluate(p: &Playbook, triage: &Triage) -> Walk {
    let urgency = grade_of(triage.urgency, &p.priority.urgency, triage);
    let impact = grade_of(triage.impact, &p.priority.impact, triage);
    let priority = p.priority.priority(urgency.0, impact.0);
    let mut walk = Walk {
        path: Vec::new(),
        pending: None,
        level: None,
        urgency,
        impact,
        priority,
    };
    let mut current = p.start.clone();
    let mut seen: Vec<String> = Vec::new();
    loop {
        if seen.contains(&current) {
            return walk;
        }
        seen.push(current.clone());
        let Some(q) = p.question(&current) else {
            return walk;
        };
        let chosen = triage
            .answer(&q.id)
            .map(|a| (a.to_string(), Source::Agent))
            .or_else(|| {
                q.preanswers
                    .iter()
                    .find(|pre| triage.has_trigger(&pre.trigger))
                    .map(|pre| (pre.answer.clone(), Source::Trigger(pre.trigger.clone())))
            });
        let Some((answer_id, source)) = chosen else {
            walk.pending = Some(q.id.clone());
            return walk;
        };
        let Some(answer) = q.answers.iter().find(|a| a.id == answer_id) else {
            walk.pending = Some(q.id.clone());
            return walk;
        };
        walk.path.push(PathStep {
            question: q.id.clone(),
            question_text: q.text.clone(),
            answer: answer.id.clone(),
            answer_label: answer.label.clone(),
            source,
        });
        match &answer.next {
            Next::Question(next) => current = next.clone(),
            Next::Level(level) => {
                walk.level = Some(level.clone());
                return walk;
            }
        }
    }
}

/// The open questions an agent can rule out in one go: from the walk's next question, along
/// the one answer of each that leads on to another question ("No" in the default playbook),
/// up to a question the checklist or the agent already answered. Offered only when that is at
/// least two questions (one is just the question on screen), and the walk goes on from an
/// answer already given, so the agent sees where it leads before ruling them out.
pub fn rule_out(p: &Playbook, triage: &Triage, walk: &Walk) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let Some(mut current) = walk.pending.clone() else {
        return out;
    };
    loop {
        if out.iter().any(|(q, _)| *q == current) {
            return Vec::new();
        }
        let Some(q) = p.question(&current) else {
            return Vec::new();
        };
        let answered = triage.answer(&q.id).is_some()
            || q.preanswers
                .iter()
                .any(|pre| triage.has_trigger(&pre.trigger));
        if answered {
            break;
        }
        let mut onward = q.answers.iter().filter_map(|a| match &a.next {
            Next::Question(next) => Some((a, next)),
            Next::Level(_) => None,
        });
        let (Some((a, next)), None) = (onward.next(), onward.next()) else {
            return Vec::new();
        };
        out.push((q.id.clone(), a.id.clone()));
        current = next.clone();
    }
    if out.len() < 2 {
        out.clear();
    }
    out
}

/// A level's targets at a priority, in minutes. A target the level has stays at least a
/// minute however tight the priority.
pub fn targets(p: &Playbook, level: &Level, priority: Priority) -> Targets {
    let percent = i64::from(p.priority.percent(priority));
    let scale = |minutes: u32| {
        let m = i64::from(minutes);
        if m == 0 {
            0
        } else {
            (m * percent / 100).max(1)
        }
    };
    Targets {
        response: scale(level.response_minutes),
        update: scale(level.update_minutes),
        resolution: scale(level.resolution_minutes),
        silence: scale(level.silence_minutes),
        business: !level.around_the_clock,
    }
}

/// The team calendar of a playbook, ready for counting; every minute counts if it is broken
/// (validation refuses such a playbook, so this is only a guard).
pub fn hours(p: &Playbook) -> Hours {
    Hours::of(&p.calendar).unwrap_or_else(|_| Hours::always())
}

/// Fills in a customer message template. Times are given already formatted for the reader.
pub fn customer_message(
    template: &str,
    customer: &str,
    reference: &str,
    receiver: &str,
    response_due: &str,
    resolution_due: &str,
    update_due: &str,
) -> String {
    // With no name, the greeting goes rather than reading "Thank you, there."
    let template = if customer.trim().is_empty() {
        let bare = template
            .replace(", {customer}", "")
            .replace("{customer}, ", "")
            .replace(" {customer}", "")
            .replace("{customer}", "");
        super::letter_case::upper_first(&bare)
    } else {
        template.replace("{customer}", customer.trim())
    };
    template
        .replace("{reference}", reference)
        .replace("{receiver}", receiver)
        .replace("{response_due}", response_due)
        .replace("{resolution_due}", resolution_due)
        .replace("{update_due}", update_due)
}

/// What a level promises from `now`: its targets at the priority, when they fall due on the
/// team calendar, and the customer message filled in with those times.
struct Promise {
    targets: Targets,
    response_due: DateTime<Utc>,
    resolution_due: DateTime<Utc>,
    customer_message: String,
}

/// When a level's first update falls due from `from`, if it has an update target: for the
/// level with no first response (staying at tier 1) the update clock starts at once, and this is
/// the one revisit time the case screen, the triage and the customer message all give.
pub fn update_due(hours: &Hours, from: DateTime<Utc>, targets: &Targets) -> Option<DateTime<Utc>> {
    (targets.response == 0 && targets.update > 0)
        .then(|| due_from(hours, from, targets.update, targets.business))
}

impl Promise {
    fn of(
        case: &Case,
        p: &Playbook,
        level: &Level,
        priority: Priority,
        now: DateTime<Utc>,
        show_time: &dyn Fn(DateTime<Utc>) -> String,
    ) -> Promise {
        let targets = targets(p, level, priority);
        let hours = hours(p);
        let response_due = due_from(&hours, now, targets.response, targets.business);
        let resolution_due = due_from(&hours, now, targets.resolution, targets.business);
        let update = update_due(&hours, now, &targets).unwrap_or(resolution_due);
        Promise {
            targets,
            response_due,
            resolution_due,
            customer_message: customer_message(
                &level.customer_message,
                &case.details.customer.name,
                &case.reference,
                &level.receiver,
                &show_time(response_due),
                &show_time(resolution_due),
                &show_time(update),
            ),
        }
    }
}

/// What the agent decided, kept on the case for good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub at: DateTime<Utc>,
    pub playbook: PlaybookRef,
    pub recommended: String,
    pub recommended_name: String,
    pub chosen: String,
    pub chosen_name: String,
    /// Required when `chosen` differs from `recommended`.
    pub override_reason: Option<String>,
    pub priority: Priority,
    pub receiver: String,
    pub response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
    pub reasons: Vec<String>,
    pub triggers: Vec<String>,
    /// What the customer is told, as it was filled in at the time.
    pub customer_message: String,
    /// The targets in force from this decision on. Decisions from before targets were
    /// recorded have none: their due times, in calendar time, stand in.
    pub targets: Option<Targets>,
    /// Set when the level changed outside a triage (by hand, or on silence).
    pub moved: Option<LevelMove>,
    /// The answers given in the tree, so that another playbook can be tried on the same
    /// triage (`replay`). `None` on decisions from before they were kept.
    pub answers: Option<Vec<(String, String)>>,
    /// Urgency and impact the agent chose rather than let the ticks give.
    pub urgency: Option<Grade>,
    pub impact: Option<Grade>,
    /// The team's time zone the decision's clocks count in, as its playbook named it: a case
    /// opened by a desk in another zone keeps its deadlines (`None` on decisions from before
    /// it was kept, which count in the zone of the playbook in force).
    pub zone: Option<String>,
}

impl Decision {
    /// The triage this decision was taken on, as far as it was kept.
    pub fn triage(&self) -> Triage {
        Triage {
            triggers: self.triggers.clone(),
            suggested: Vec::new(),
            answers: self.answers.clone().unwrap_or_default(),
            urgency: self.urgency,
            impact: self.impact,
            playbook: None,
        }
    }

    pub fn targets(&self) -> Targets {
        self.targets.unwrap_or(Targets {
            response: (self.response_due - self.at).num_minutes().max(0),
            update: 0,
            resolution: (self.resolution_due - self.at).num_minutes().max(0),
            silence: 0,
            business: false,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    #[error("The questions are not all answered yet.")]
    Unfinished,
    #[error("Level “{0}” is not in the playbook.")]
    UnknownLevel(String),
    #[error("Say why you chose another level than the one recommended.")]
    ReasonRequired,
}

/// The case after the agent accepts the recommendation (`chosen == None`) or picks another
/// level with a reason. Its status becomes escalated (or stays, at tier 1), the decision and a
/// timeline entry are recorded, and the triage in progress is closed.
pub fn decide(
    case: &Case,
    p: &Playbook,
    chosen: Option<&str>,
    reason: &str,
    now: DateTime<Utc>,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> Result<Case, DecideError> {
    let triage = case.triage.clone().unwrap_or_default();
    let walk = evaluate(p, &triage);
    let recommended = walk.level.clone().ok_or(DecideError::Unfinished)?;
    let chosen_id = chosen.unwrap_or(&recommended).to_string();
    let overridden = chosen_id != recommended;
    if overridden && reason.trim().is_empty() {
        return Err(DecideError::ReasonRequired);
    }
    let level = p
        .level(&chosen_id)
        .ok_or_else(|| DecideError::UnknownLevel(chosen_id.clone()))?;
    let recommended_name = p
        .level(&recommended)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| recommended.clone());
    let promise = Promise::of(case, p, level, walk.priority, now, show_time);
    let decision = Decision {
        targets: Some(promise.targets),
        moved: None,
        customer_message: promise.customer_message,
        at: now,
        playbook: PlaybookRef::of(p),
        recommended: recommended.clone(),
        recommended_name,
        chosen: chosen_id.clone(),
        chosen_name: level.name.clone(),
        override_reason: overridden.then(|| reason.trim().to_string()),
        priority: walk.priority,
        receiver: level.receiver.clone(),
        response_due: promise.response_due,
        resolution_due: promise.resolution_due,
        reasons: walk.reasons(p),
        triggers: triage.triggers.clone(),
        answers: Some(triage.answers.clone()),
        urgency: triage.urgency,
        impact: triage.impact,
        zone: Some(p.calendar.time_zone.clone()),
    };
    let mut next = case.clone();
    next.timeline.push(Entry {
        at: now,
        event: Event::Triaged {
            level: level.name.clone(),
            recommended: decision.recommended_name.clone(),
            priority: walk.priority,
            override_reason: decision.override_reason.clone(),
            playbook: decision.playbook.label(),
        },
    });
    let target = if level.rank == 0 {
        None
    } else {
        Some(Status::Escalated)
    };
    if let Some(to) = target {
        if next.status != to {
            next.timeline.push(Entry {
                at: now,
                event: Event::StatusChanged {
                    from: next.status,
                    to,
                },
            });
            next.status = to;
        }
    }
    next.decisions.push(decision);
    next.triage = None;
    next.updated_at = now;
    Ok(next)
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("Say why the case changes level.")]
    ReasonRequired,
    #[error("Level “{0}” is not in the playbook.")]
    UnknownLevel(String),
    #[error("Escalating goes to a higher level than {0}; de-escalating to a lower one.")]
    WrongWay(String),
    #[error("A resolved or closed case doesn't change level; reopen it first.")]
    NotOpen,
}

/// The level in force and its rank: the last decision's, or tier 1 (rank 0) before any.
pub fn current_level<'a>(case: &'a Case, p: &Playbook) -> (Option<&'a Decision>, u8) {
    let decision = case.decision();
    let rank = decision
        .and_then(|d| p.level(&d.chosen))
        .map_or(0, |l| l.rank);
    (decision, rank)
}

/// The case moved to another level outside a triage: escalated by hand or on silence (up), or
/// de-escalated (down), always with a reason. The new level's clocks start now, at the priority
/// in force; a move to tier 1 leaves the case de-escalated, any other awaits acknowledgement.
pub fn move_level(
    case: &Case,
    p: &Playbook,
    to: &str,
    how: LevelMove,
    reason: &str,
    now: DateTime<Utc>,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> Result<Case, MoveError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(MoveError::ReasonRequired);
    }
    if !case.status.is_open() {
        return Err(MoveError::NotOpen);
    }
    let level = p
        .level(to)
        .ok_or_else(|| MoveError::UnknownLevel(to.to_string()))?;
    let (previous, rank) = current_level(case, p);
    let from_name = previous.map_or_else(
        || {
            p.levels_by_rank()
                .first()
                .map_or("tier 1".to_string(), |l| l.name.clone())
        },
        |d| d.chosen_name.clone(),
    );
    let upward = how != LevelMove::DeEscalated;
    if (upward && level.rank <= rank) || (!upward && level.rank >= rank) {
        return Err(MoveError::WrongWay(from_name));
    }
    let priority = previous.map_or(Priority::P3, |d| d.priority);
    let promise = Promise::of(case, p, level, priority, now, show_time);
    let decision = Decision {
        at: now,
        playbook: PlaybookRef::of(p),
        recommended: level.id.clone(),
        recommended_name: level.name.clone(),
        chosen: level.id.clone(),
        chosen_name: level.name.clone(),
        override_reason: None,
        priority,
        receiver: level.receiver.clone(),
        response_due: promise.response_due,
        resolution_due: promise.resolution_due,
        reasons: vec![reason.to_string()],
        triggers: previous.map(|d| d.triggers.clone()).unwrap_or_default(),
        customer_message: promise.customer_message,
        targets: Some(promise.targets),
        moved: Some(how),
        answers: None,
        urgency: None,
        impact: None,
        zone: Some(p.calendar.time_zone.clone()),
    };
    let mut next = case.clone();
    next.timeline.push(Entry {
        at: now,
        event: Event::LevelChanged {
            from: from_name,
            to: level.name.clone(),
            how,
            reason: reason.to_string(),
        },
    });
    let status = if level.rank == 0 {
        Status::DeEscalated
    } else {
        Status::Escalated
    };
    if next.status != status {
        next.timeline.push(Entry {
            at: now,
            event: Event::StatusChanged {
                from: next.status,
                to: status,
            },
        });
        next.status = status;
    }
    next.decisions.push(decision);
    next.triage = None;
    next.updated_at = now;
    Ok(next)
}

/// The level in force was notified again after its silence timeout: its silence timer restarts.
pub fn renotify(case: &Case, now: DateTime<Utc>) -> Case {
    let mut next = case.clone();
    let level = case
        .decision()
        .map(|d| d.chosen_name.clone())
        .unwrap_or_default();
    next.timeline.push(Entry {
        at: now,
        event: Event::Renotified { level },
    });
    next.updated_at = now;
    next
}

/// What a ticked trigger did in a walk: every tick is named in the result, none vanishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// It answered a question on the way to the recommended level.
    Decided,
    /// It set the urgency, or the impact, and so the priority.
    Urgency,
    Impact,
    /// Its answer leads to another level than the one recommended (another question was
    /// decisive first): the agent may choose that level instead.
    PointsTo {
        level: String,
        name: String,
    },
    /// It changes nothing in this playbook; it stays on the record.
    Noted,
}

/// Every ticked trigger of `triage` with what it did in `walk`, in the checklist's order.
pub fn roles(p: &Playbook, triage: &Triage, walk: &Walk) -> Vec<(String, String, Role)> {
    let ticked = p
        .groups
        .iter()
        .flat_map(|g| &g.triggers)
        .filter(|t| triage.has_trigger(&t.id));
    ticked
        .map(|t| {
            let id = &t.id;
            let by = |s: &Source| matches!(s, Source::Trigger(x) if x == id);
            let role = if walk.path.iter().any(|s| by(&s.source)) {
                Role::Decided
            } else if let Some((level, name)) =
                points_to(p, id).filter(|(level, _)| walk.level.as_deref() != Some(level.as_str()))
            {
                Role::PointsTo { level, name }
            } else if by(&walk.urgency.1) {
                Role::Urgency
            } else if by(&walk.impact.1) {
                Role::Impact
            } else {
                Role::Noted
            };
            (id.clone(), t.label.clone(), role)
        })
        .collect()
}

/// The level a trigger's own pre-answer leads to straight away, if one does.
fn points_to(p: &Playbook, trigger: &str) -> Option<(String, String)> {
    p.questions.iter().find_map(|q| {
        let pre = q.preanswers.iter().find(|pre| pre.trigger == trigger)?;
        let answer = q.answers.iter().find(|a| a.id == pre.answer)?;
        match &answer.next {
            Next::Level(level) => p.level(level).map(|l| (l.id.clone(), l.name.clone())),
            Next::Question(_) => None,
        }
    })
}

/// The one thing to do next on a case, the primary action of its screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// A draft, or escalated without a level: decide whether and where it goes.
    Triage,
    /// A triage was started and not decided.
    ContinueTriage,
    /// A level above tier 1 was decided and nothing was handed off since.
    Handoff,
    /// The status move that takes the case on.
    Move(Status),
    /// Closed: nothing left to do.
    Nothing,
}

/// What to do next on `case`, by its status, its decision and whether it was handed off.
pub fn next_step(case: &Case, p: &Playbook) -> NextStep {
    if case.triage.is_some() {
        return NextStep::ContinueTriage;
    }
    let Some(decision) = case.decision() else {
        return match case.status {
            Status::Draft | Status::Escalated => NextStep::Triage,
            other => by_status(other),
        };
    };
    let rank = p.level(&decision.chosen).map_or(1, |l| l.rank);
    let handed_off = case
        .timeline
        .iter()
        .any(|e| e.at >= decision.at && matches!(e.event, Event::HandedOff { .. }));
    if case.status.is_open() && rank > 0 && !handed_off {
        return NextStep::Handoff;
    }
    if rank == 0 && case.status == Status::Draft {
        // Kept at tier 1: the agent solves it now.
        return NextStep::Move(Status::Resolved);
    }
    by_status(case.status)
}

fn by_status(status: Status) -> NextStep {
    NextStep::Move(match status {
        Status::Draft | Status::InProgress | Status::Reopened | Status::DeEscalated => {
            Status::Resolved
        }
        Status::Escalated => Status::Acknowledged,
        Status::Acknowledged | Status::WaitingOnCustomer | Status::WaitingOnThirdParty => {
            Status::InProgress
        }
        Status::Resolved => Status::Closed,
        Status::Closed => return NextStep::Nothing,
    })
}

/// The triggers that facts already on the case suggest, by the playbook's rules.
pub fn suggested(case: &Case, p: &Playbook, now: DateTime<Utc>) -> Vec<String> {
    let d = &case.details;
    p.groups
        .iter()
        .flat_map(|g| &g.triggers)
        .filter(|t| match t.suggested_when {
            None => false,
            Some(Suggest::Vip) => d.customer.vip,
            Some(Suggest::Contacts { at_least }) => d.contact_count >= at_least,
            Some(Suggest::Deadline { within_hours }) => d
                .deadline
                .is_some_and(|due| due - now < chrono::TimeDelta::hours(within_hours.into())),
        })
        .map(|t| t.id.clone())
        .collect()
}

/// Starts (or restarts, with new facts) a triage on a case, with the triggers its facts
/// suggest already ticked; the earlier decisions stay.
pub fn start(case: &Case, p: &Playbook, now: DateTime<Utc>) -> Case {
    let mut next = case.clone();
    let mut triage = Triage {
        playbook: Some(PlaybookRef::of(p)),
        ..Triage::default()
    };
    for id in suggested(case, p, now) {
        triage.triggers.push(id.clone());
        triage.suggested.push(id);
    }
    next.triage = Some(triage);
    next.timeline.push(Entry {
        at: now,
        event: Event::TriageStarted {
            playbook: PlaybookRef::of(p).label(),
        },
    });
    next.updated_at = now;
    next
}

impl FromJson for PlaybookRef {
    fn from_json(v: &Value) -> Read<PlaybookRef> {
        let f = Fields::of(v)?;
        Ok(PlaybookRef {
            id: f.get("id")?,
            version: f.get("version")?,
        })
    }
}

impl FromJson for Triage {
    fn from_json(v: &Value) -> Read<Triage> {
        let f = Fields::of(v)?;
        Ok(Triage {
            triggers: f.get("triggers")?,
            suggested: f.get_or_default("suggested")?,
            answers: f.get("answers")?,
            urgency: f.get("urgency")?,
            impact: f.get("impact")?,
            playbook: f.get_or_default("playbook")?,
        })
    }
}

impl FromJson for Decision {
    fn from_json(v: &Value) -> Read<Decision> {
        let f = Fields::of(v)?;
        Ok(Decision {
            at: f.get("at")?,
            playbook: f.get("playbook")?,
            recommended: f.get("recommended")?,
            recommended_name: f.get("recommended_name")?,
            chosen: f.get("chosen")?,
            chosen_name: f.get("chosen_name")?,
            override_reason: f.get("override_reason")?,
            priority: f.get("priority")?,
            receiver: f.get("receiver")?,
            response_due: f.get("response_due")?,
            resolution_due: f.get("resolution_due")?,
            reasons: f.get("reasons")?,
            triggers: f.get("triggers")?,
            customer_message: f.get("customer_message")?,
            targets: f.get_or_default("targets")?,
            moved: f.get_or_default("moved")?,
            answers: f.get_or_default("answers")?,
            urgency: f.get_or_default("urgency")?,
            impact: f.get_or_default("impact")?,
            zone: f.get_or_default("zone")?,
        })
    }
}

deserialize_by_hand!(PlaybookRef, Triage, Decision);

write_fields!(PlaybookRef { id, version });

impl ToJson for Triage {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("triggers", &self.triggers)
            .field_if(!self.suggested.is_empty(), "suggested", &self.suggested)
            .field("answers", &self.answers)
            .field("urgency", &self.urgency)
            .field("impact", &self.impact)
            .field_if(self.playbook.is_some(), "playbook", &self.playbook)
            .end();
    }
}

/// `"agent"`, `"default"`, or `{"trigger": "vip"}`.
impl ToJson for Source {
    fn write_json(&self, out: &mut String) {
        match self {
            Source::Agent => super::json::write_text(out, "agent"),
            Source::Default => super::json::write_text(out, "default"),
            Source::Trigger(id) => Object::new(out).field("trigger", id).end(),
        }
    }
}

write_fields!(PathStep {
    question,
    question_text,
    answer,
    answer_label,
    source,
});

impl ToJson for Decision {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("at", &self.at)
            .field("playbook", &self.playbook)
            .field("recommended", &self.recommended)
            .field("recommended_name", &self.recommended_name)
            .field("chosen", &self.chosen)
            .field("chosen_name", &self.chosen_name)
            .field("override_reason", &self.override_reason)
            .field("priority", &self.priority)
            .field("receiver", &self.receiver)
            .field("response_due", &self.response_due)
            .field("resolution_due", &self.resolution_due)
            .field("reasons", &self.reasons)
            .field("triggers", &self.triggers)
            .field("customer_message", &self.customer_message)
            .field("targets", &self.targets)
            .field("moved", &self.moved)
            .field_if(self.answers.is_some(), "answers", &self.answers)
            .field_if(self.urgency.is_some(), "urgency", &self.urgency)
            .field_if(self.impact.is_some(), "impact", &self.impact)
            .field_if(self.zone.is_some(), "zone", &self.zone)
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::Details;
    use crate::core::playbook::default_playbook;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 7, 10, 0, 0).unwrap()
    }

    fn show(t: DateTime<Utc>) -> String {
        t.format("%H:%M").to_string()
    }

    fn with(triggers: &[&str]) -> Triage {
        Triage {
            triggers: triggers.iter().map(|s| s.to_string()).collect(),
            ..Triage::default()
        }
    }

    /// Issue 33.5: a triage records the version it started with, kept through storage; an
    /// older stored triage without one still reads.
    #[test]
    fn a_triage_keeps_the_version_it_started_with() {
        let p = default_playbook();
        let case = Case::open("c1".into(), 1, Details::default(), now());
        let started = start(&case, &p, now());
        let t = started.triage.clone().unwrap();
        assert_eq!(t.playbook, Some(PlaybookRef::of(&p)));
        let back = Triage::from_json(
            &super::super::json::parse_value(&super::super::json::to_string(&t)).unwrap(),
        )
        .unwrap();
        assert_eq!(back, t);
        let old = Triage::from_json(
            &super::super::json::parse_value(
                r#"{"triggers":[],"answers":[],"urgency":null,"impact":null}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(old.playbook, None);
        // Written without the field when it has none: stored triages stay byte for byte.
        assert!(!super::super::json::to_string(&old).contains("playbook"));
    }

    #[test]
    fn every_ticked_trigger_is_named_with_what_it_did() {
        let p = default_playbook();
        // A customer insisting on a manager, on a case that also needs the specialists.
        let t = with(&[
            "demands_supervisor",
            "policy_dispute",
            "frustration",
            "high_value",
        ])
        .answered("critical", "no")
        .answered("defect", "no");
        let walk = evaluate(&p, &t);
        let roles = roles(&p, &t, &walk);
        let of = |id: &str| {
            roles
                .iter()
                .find(|(t, _, _)| t == id)
                .map(|(_, _, r)| r.clone())
        };
        assert_eq!(roles.len(), 4, "{roles:?}");
        assert_eq!(of("policy_dispute"), Some(Role::Decided), "{walk:?}");
        match of("demands_supervisor") {
            Some(Role::PointsTo { level, .. }) => assert_ne!(Some(level), walk.level),
            other => panic!("demands_supervisor: {other:?}"),
        }
        // Frustration sets the urgency, and its own answer would also lead to level 1.
        assert!(matches!(
            of("frustration"),
            Some(Role::PointsTo { .. } | Role::Urgency)
        ));
        assert!(matches!(of("high_value"), Some(Role::Impact | Role::Noted)));
    }

    #[test]
    fn questions_before_a_ticked_answer_are_ruled_out_together() {
        let p = default_playbook();
        // "Insists on a manager" answers the supervisor question; three come before it.
        let t = with(&["demands_supervisor"]);
        let walk = evaluate(&p, &t);
        let chain = rule_out(&p, &t, &walk);
        let ids: Vec<&str> = chain.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(ids, ["critical", "defect", "specialist"]);
        assert!(chain.iter().all(|(_, a)| a == "no"), "{chain:?}");
        let done = evaluate(&p, &t.answered_all(&chain));
        assert_eq!(done.level.as_deref(), Some("level1"), "{done:?}");
        assert_eq!(done.pending, None);
        // Answering one by one shortens the chain; with one question left it is not offered.
        let t2 = t.answered("critical", "no").answered("defect", "no");
        assert!(rule_out(&p, &t2, &evaluate(&p, &t2)).is_empty());
        // Nothing ticked: nothing settles what follows, so nothing is offered.
        let none = Triage::default();
        assert!(rule_out(&p, &none, &evaluate(&p, &none)).is_empty());
        // A walk already finished offers nothing.
        assert!(rule_out(&p, &t.answered_all(&chain), &done).is_empty());
    }

    #[test]
    fn the_next_step_follows_the_case() {
        let p = default_playbook();
        let draft = Case::open("c".into(), 1, Details::default(), now());
        assert_eq!(next_step(&draft, &p), NextStep::Triage);
        let started = start(&draft, &p, now());
        assert_eq!(next_step(&started, &p), NextStep::ContinueTriage);
        // A legal threat goes to a level: the handoff is next, then the receiver acknowledges.
        let mut c = started.clone();
        c.triage = Some(with(&["legal"]));
        let decided = decide(&c, &p, None, "", now(), &show).unwrap();
        assert_eq!(next_step(&decided, &p), NextStep::Handoff);
        let sent = crate::core::handoff::exported(
            &decided,
            crate::core::handoff::Format::Markdown,
            "copied",
            false,
            &[],
            now(),
        );
        assert_eq!(next_step(&sent, &p), NextStep::Move(Status::Acknowledged));
        // Escalated by an older version without a level: it needs one.
        let mut bare = draft.clone();
        bare.status = Status::Escalated;
        assert_eq!(next_step(&bare, &p), NextStep::Triage);
        let closed = draft
            .transitioned(Status::Resolved, now())
            .and_then(|c| c.transitioned(Status::Closed, now()))
            .unwrap();
        assert_eq!(next_step(&closed, &p), NextStep::Nothing);
    }

    #[test]
    fn a_message_without_a_name_drops_the_greeting() {
        let m = |t: &str, who: &str| customer_message(t, who, "ESC-1", "", "10:30", "", "");
        assert_eq!(
            m("Thank you, {customer}. Case {reference}.", ""),
            "Thank you. Case ESC-1."
        );
        assert_eq!(m("{customer}, this is {reference}.", " "), "This is ESC-1.");
        assert_eq!(m("Thank you, {customer}.", " Ana "), "Thank you, Ana.");
    }

    #[test]
    fn facts_on_the_case_suggest_their_triggers() {
        let p = default_playbook();
        let plain = Case::open(
            "c".into(),
            1,
            Details {
                contact_count: 1,
                ..Details::default()
            },
            now(),
        );
        assert!(suggested(&plain, &p, now()).is_empty());
        let mut d = plain.details.clone();
        d.customer.vip = true;
        d.contact_count = 3;
        d.deadline = Some(now() + chrono::TimeDelta::hours(5));
        let case = Case::open("c".into(), 1, d.clone(), now());
        let started = start(&case, &p, now());
        let t = started.triage.unwrap();
        for id in ["repeated_contact", "target_breached", "high_value"] {
            assert!(t.has_trigger(id), "{id} not ticked");
            assert!(
                t.suggested.iter().any(|s| s == id),
                "{id} not marked suggested"
            );
        }
        // A deadline far off suggests nothing; a past one does.
        d.deadline = Some(now() + chrono::TimeDelta::days(5));
        let far = Case::open("c".into(), 1, d.clone(), now());
        assert!(!suggested(&far, &p, now()).contains(&"target_breached".to_string()));
        d.deadline = Some(now() - chrono::TimeDelta::hours(1));
        let past = Case::open("c".into(), 1, d, now());
        assert!(suggested(&past, &p, now()).contains(&"target_breached".to_string()));
    }

    #[test]
    fn nothing_checked_asks_the_first_question() {
        let w = evaluate(&default_playbook(), &Triage::default());
        assert_eq!(w.pending.as_deref(), Some("critical"));
        assert_eq!(w.level, None);
        assert_eq!(w.priority, Priority::P3);
    }

    #[test]
    fn a_legal_threat_goes_to_level_4_and_says_why() {
        let p = default_playbook();
        let w = evaluate(&p, &with(&["legal", "many_affected", "outage"]));
        assert_eq!(w.level.as_deref(), Some("level4"));
        assert_eq!(w.path[0].source, Source::Trigger("legal".into()));
        assert_eq!(w.priority, Priority::P1);
        let reasons = w.reasons(&p);
        assert!(reasons[0].contains("checked: Legal threat"));
        assert!(reasons
            .iter()
            .any(|r| r == "Urgency: High (checked: Outage or emergency)"));
    }

    #[test]
    fn the_agent_can_change_a_preanswer() {
        let p = default_playbook();
        let t = with(&["legal"]).answered("critical", "no");
        let w = evaluate(&p, &t);
        assert_eq!(w.path[0].source, Source::Agent);
        assert_eq!(w.pending.as_deref(), Some("defect"));
        assert_eq!(
            evaluate(&p, &t.unanswered("critical")).level.as_deref(),
            Some("level4")
        );
    }

    #[test]
    fn every_path_through_the_default_tree_ends_at_a_level() {
        let p = default_playbook();
        // Every combination of answers to every question.
        let n = p.questions.len();
        let mut levels = std::collections::HashSet::new();
        for mask in 0..(1u32 << n) {
            let mut t = Triage::default();
            for (i, q) in p.questions.iter().enumerate() {
                t = t.answered(&q.id, if mask & (1 << i) != 0 { "yes" } else { "no" });
            }
            let w = evaluate(&p, &t);
            let level = w.level.expect("every full answer set ends at a level");
            assert!(p.level(&level).is_some());
            assert!(!w.path.is_empty());
            levels.insert(level);
        }
        assert_eq!(levels.len(), p.levels.len());
    }

    #[test]
    fn deciding_records_recommendation_override_and_deadlines() {
        let p = default_playbook();
        let mut case = Case::open("c".into(), 1, Details::default(), now());
        case = start(&case, &p, now());
        case.triage = Some(
            with(&["demands_supervisor"])
                .answered("critical", "no")
                .answered("defect", "no")
                .answered("specialist", "no"),
        );
        assert_eq!(
            decide(&case, &p, Some("level2"), "  ", now(), &show),
            Err(DecideError::ReasonRequired)
        );
        let accepted = decide(&case, &p, None, "", now(), &show).unwrap();
        let d = &accepted.decisions[0];
        assert_eq!(d.chosen, "level1");
        assert_eq!(d.override_reason, None);
        assert_eq!(d.priority, Priority::P3);
        assert_eq!(d.response_due, now() + chrono::Duration::minutes(30));
        assert_eq!(d.playbook.label(), "default v2");
        assert_eq!(accepted.status, Status::Escalated);
        assert_eq!(
            d.customer_message,
            "Thank you for your patience. I've passed your case ESC-2026-0001 to my team lead, who will contact you by 10:30."
        );
        assert!(accepted.triage.is_none());

        let overridden = decide(
            &case,
            &p,
            Some("level2"),
            "Billing owns refunds",
            now(),
            &show,
        )
        .unwrap();
        let d = &overridden.decisions[0];
        assert_eq!(
            (d.recommended.as_str(), d.chosen.as_str()),
            ("level1", "level2")
        );
        assert_eq!(d.override_reason.as_deref(), Some("Billing owns refunds"));
        assert!(overridden
            .timeline
            .iter()
            .any(|e| e.event.describe().contains("Billing owns refunds")));
    }

    #[test]
    fn priority_tightens_targets() {
        let p = default_playbook();
        let l1 = p.level("level1").unwrap();
        let (p1, p4) = (targets(&p, l1, Priority::P1), targets(&p, l1, Priority::P4));
        assert_eq!((p1.response, p1.resolution), (15, 120));
        assert_eq!((p4.response, p4.resolution), (45, 360));
    }

    #[test]
    fn messages_are_filled_in() {
        let p = default_playbook();
        let m = customer_message(
            &p.level("level1").unwrap().customer_message,
            "Zoë",
            "ESC-2026-0001",
            "Team lead",
            "14:30",
            "18:00",
            "16:00",
        );
        assert_eq!(m, "Thank you for your patience, Zoë. I've passed your case ESC-2026-0001 to my team lead, who will contact you by 14:30.");
    }

    /// Issue 33.6: a case kept at tier 1 has one revisit time: the customer is told the moment
    /// its next-update clock falls due, and its state says "Kept at tier 1", not "Draft".
    #[test]
    fn a_case_kept_at_tier_one_has_one_revisit_time() {
        use crate::core::case::State;
        let p = default_playbook();
        let at = DateTime::parse_from_rfc3339("2026-11-23T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let case = Case::open("k1".into(), 1, Details::default(), at);
        assert_eq!(case.state(), State::Status(Status::Draft));
        let mut started = start(&case, &p, at);
        let mut t = started.triage.take().unwrap();
        t.triggers.push("frustration".into());
        for (q, a) in [
            ("critical", "no"),
            ("defect", "no"),
            ("specialist", "no"),
            ("supervisor", "no"),
        ] {
            t.answers.push((q.into(), a.into()));
        }
        started.triage = Some(t);
        let walk = evaluate(&p, started.triage.as_ref().unwrap());
        assert_eq!(walk.level.as_deref(), Some("tier1"), "{:?}", walk.level);
        let show = |t: DateTime<Utc>| t.to_rfc3339();
        let kept = decide(&started, &p, None, "", at, &show).unwrap();
        assert_eq!(kept.state(), State::KeptAtTier1);
        assert_eq!(kept.state().label(), "Kept at tier 1");
        let clocks = crate::core::clock::clocks(&kept, &hours(&p), at);
        let next_update = clocks
            .current
            .iter()
            .find(|d| d.target == crate::core::clock::Target::Update)
            .and_then(|d| d.due)
            .unwrap();
        let message = &kept.decision().unwrap().customer_message;
        assert!(message.contains(&show(next_update)), "{message}");
    }
}
