//! Trying a playbook on the team's real work before anyone uses it: every case's triage
//! decision (its ticks, answers and chosen grades, kept on the decision) is walked again
//! through the other playbook, and the cases it would decide differently are named, with the
//! question or grade that made the difference.

use super::case::Case;
use super::playbook::{Playbook, Priority};
use super::triage::{evaluate, PathStep, Walk};

/// What the other playbook makes of one case's triage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A level at a priority.
    Decided { level: String, priority: Priority },
    /// The tree stops at a question the triage never answered (a new or changed question).
    Asks(String),
}

/// A case the other playbook would decide differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub case_id: String,
    pub reference: String,
    pub subject: String,
    /// The recommendation in force: level name and priority.
    pub was: (String, Priority),
    pub would: Outcome,
    /// What made the difference, in words.
    pub why: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    /// Cases with a triage decision in force, all walked again.
    pub checked: usize,
    pub changes: Vec<Change>,
    /// Decisions that can't be walked again, not even through the playbook in force: taken
    /// before their answers were kept, or on a tree that has changed since.
    pub unknown: usize,
}

/// Walks every case's decision in force again through `other`, against the same triage
/// walked through `current` (the playbook in force), and lists the cases whose
/// recommendation or priority would change. Decisions made by hand or on silence (no triage)
/// are left out; those `current` can't walk to an end either are counted as unknown.
pub fn replay(cases: &[Case], current: &Playbook, other: &Playbook) -> Replay {
    let mut out = Replay::default();
    for case in cases {
        let Some(d) = case.decision().filter(|d| d.moved.is_none()) else {
            continue;
        };
        let triage = d.triage();
        let old = evaluate(current, &triage);
        if old.level.is_none() {
            out.unknown += 1;
            continue;
        }
        out.checked += 1;
        let new = evaluate(other, &triage);
        let same =
            new.level.as_deref() == Some(d.recommended.as_str()) && new.priority == d.priority;
        if same {
            continue;
        }
        let would = match &new.level {
            Some(id) => Outcome::Decided {
                level: other
                    .level(id)
                    .map_or_else(|| id.clone(), |l| l.name.clone()),
                priority: new.priority,
            },
            None => Outcome::Asks(
                new.pending
                    .as_deref()
                    .and_then(|q| other.question(q))
                    .map_or_else(String::new, |q| q.text.clone()),
            ),
        };
        out.changes.push(Change {
            case_id: case.id.clone(),
            reference: case.reference.clone(),
            subject: case.details.subject.clone(),
            was: (d.recommended_name.clone(), d.priority),
            would,
            why: why(&old, &new),
        });
    }
    out
}

/// The first step where the two walks part, or the grades that moved the priority.
fn why(old: &Walk, new: &Walk) -> String {
    let differs = |a: &PathStep, b: &PathStep| a.question != b.question || a.answer != b.answer;
    let parted = new
        .path
        .iter()
        .enumerate()
        .find(|(i, step)| old.path.get(*i).is_none_or(|o| differs(o, step)));
    if let Some((_, step)) = parted {
        return format!("“{}” {}", step.question_text, step.answer_label);
    }
    if new.pending.is_some() {
        return "a question this triage never answered".to_string();
    }
    if new.path.len() < old.path.len() {
        return "the tree ends sooner".to_string();
    }
    if new.level != old.level {
        return "the same answers lead to another level".to_string();
    }
    format!(
        "urgency {} and impact {} give {} now",
        super::letter_case::to_lower(new.urgency.0.label()),
        super::letter_case::to_lower(new.impact.0.label()),
        new.priority.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::{Case, Details};
    use crate::core::playbook::{default_playbook, Next};
    use crate::core::triage::{decide, Triage};
    use chrono::{TimeZone, Utc};

    fn triaged(subject: &str, triage: Triage, p: &Playbook) -> Case {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let details = Details {
            subject: subject.into(),
            ..Details::default()
        };
        let mut case = Case::open(subject.replace(' ', "-"), 1, details, now);
        case.triage = Some(triage);
        decide(&case, p, None, "", now, &|t| t.to_rfc3339()).unwrap()
    }

    fn supervisor_case(p: &Playbook) -> Case {
        let mut t = Triage::default().toggled("demands_supervisor", true);
        // Answer "no" to everything asked until the walk ends.
        for _ in 0..6 {
            let w = evaluate(p, &t);
            match w.pending {
                Some(q) => t.answers.push((q, "no".into())),
                None => break,
            }
        }
        triaged("Wants the manager", t, p)
    }

    #[test]
    fn the_same_playbook_changes_nothing() {
        let p = default_playbook();
        let cases = vec![supervisor_case(&p)];
        let r = replay(&cases, &p, &p);
        assert_eq!(r.checked, 1);
        assert_eq!(r.changes, vec![]);
    }

    #[test]
    fn a_changed_answer_names_the_case_and_the_question() {
        let p = default_playbook();
        let case = supervisor_case(&p);
        let d = case.decision().unwrap().clone();
        // The last answer of the walk now leads one level up.
        let walk = evaluate(&p, &d.triage());
        let last = walk.path.last().unwrap().clone();
        let mut other = p.clone();
        let higher = other
            .levels_by_rank()
            .into_iter()
            .find(|l| l.rank > p.level(&d.recommended).unwrap().rank)
            .unwrap()
            .id
            .clone();
        let q = other
            .questions
            .iter_mut()
            .find(|q| q.id == last.question)
            .unwrap();
        q.answers
            .iter_mut()
            .find(|a| a.id == last.answer)
            .unwrap()
            .next = Next::Level(higher.clone());
        let r = replay(std::slice::from_ref(&case), &p, &other);
        assert_eq!(r.checked, 1);
        assert_eq!(r.changes.len(), 1);
        let c = &r.changes[0];
        assert_eq!(c.reference, case.reference);
        assert_eq!(c.was.0, d.recommended_name);
        assert_eq!(
            c.would,
            Outcome::Decided {
                level: other.level(&higher).unwrap().name.clone(),
                priority: d.priority
            }
        );
        assert_eq!(c.why, "the same answers lead to another level");
    }

    #[test]
    fn a_new_question_is_named_and_decisions_by_hand_are_left_out() {
        let p = default_playbook();
        let case = supervisor_case(&p);
        let mut other = p.clone();
        // A new first question that no triage has answered.
        let mut first = other.questions[0].clone();
        first.id = "new_first".into();
        first.text = "Has the customer been offered a callback?".into();
        first.preanswers.clear();
        for a in &mut first.answers {
            a.next = Next::Question(p.start.clone());
        }
        other.questions.push(first);
        other.start = "new_first".into();
        let r = replay(&[case], &p, &other);
        assert_eq!(r.changes.len(), 1);
        assert_eq!(
            r.changes[0].would,
            Outcome::Asks("Has the customer been offered a callback?".into())
        );

        let untriaged = Case::open("x".into(), 2, Details::default(), Utc::now());
        assert_eq!(replay(&[untriaged], &p, &other).checked, 0);

        // A decision from before answers were kept can't be walked again: counted, not guessed.
        let mut old = supervisor_case(&p);
        old.decisions[0].answers = None;
        let r = replay(&[old], &p, &other);
        assert_eq!((r.checked, r.unknown, r.changes.len()), (0, 1, 0));
    }
}
