//! Close and learn: resolving with a summary, closing with a close-out (what the level requires,
//! or a reason for each part skipped), the lead's review and the agent's reading of it, the
//! review queue, a case's story for its review, and the team's lessons digest.
//!
//! Every rule is a function from a case to a new case with the change on its timeline, as in
//! `case`; the types are in `closeout`.

use chrono::{DateTime, NaiveDate, Utc};

use super::case::{Case, Entry, Event, LevelMove, Status, TransitionError};
use super::clock::{clocks, Hours};
use super::closeout::{iso_day, CloseOut, Part, Review, Skip};
use super::handoff::{escape_markdown, level_of};
use super::playbook::{Level, Playbook};
use super::sort;

/// The level whose close rules apply: the one in force, else the lowest (a case never
/// escalated closes as tier 1 does).
pub fn close_level<'a>(case: &Case, p: &'a Playbook) -> Option<&'a Level> {
    level_of(case, p).or_else(|| p.levels_by_rank().first().copied())
}

/// The parts the case's level requires before it closes.
pub fn required(case: &Case, p: &Playbook) -> Vec<Part> {
    close_level(case, p)
        .map(|l| l.close_requires.clone())
        .unwrap_or_default()
}

/// The close-out of the resolution in progress: the last one while the case is not closed
/// with it, else a new one.
pub fn current(case: &Case) -> CloseOut {
    case.closeouts
        .last()
        .filter(|c| c.closed_at.is_none())
        .cloned()
        .unwrap_or_default()
}

/// The last close-out the case was closed with.
pub fn last_closed(case: &Case) -> Option<&CloseOut> {
    case.closeouts.iter().rev().find(|c| c.closed_at.is_some())
}

fn push(case: &mut Case, at: DateTime<Utc>, event: Event) {
    case.timeline.push(Entry { at, event });
}

/// The case's open close-out replaced by `c` (or `c` added when none is open).
fn set_current(case: &mut Case, c: CloseOut) {
    match case.closeouts.last_mut() {
        Some(last) if last.closed_at.is_none() => *last = c,
        _ => case.closeouts.push(c),
    }
}

/// The case resolved, with what resolved it on its timeline.
pub fn resolved(case: &Case, summary: &str, now: DateTime<Utc>) -> Result<Case, TransitionError> {
    // The summary comes before the move on the timeline: it is what the move is about.
    let mut out = case.clone();
    push(
        &mut out,
        now,
        Event::Resolution {
            summary: summary.trim().to_string(),
        },
    );
    let mut out = out.transitioned(Status::Resolved, now)?;
    let mut c = current(case);
    c.resolution = summary.trim().to_string();
    c.resolved_at = Some(now);
    set_current(&mut out, c);
    Ok(out)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseError {
    NotAllowed(TransitionError),
    /// Required parts neither recorded nor skipped with a reason.
    Missing(Vec<Part>),
    /// A follow-up (its number, from 1) has an owner or a due date but no action.
    ActionWithoutWhat(usize),
}

impl std::fmt::Display for CloseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CloseError::NotAllowed(e) => write!(f, "{e}."),
            CloseError::ActionWithoutWhat(n) => write!(
                f,
                "Action {n} has an owner or a due date but says nothing to do: write the action, or clear it."
            ),
            CloseError::Missing(parts) => write!(
                f,
                "This level needs {} to close. Fill {} in, or say why the case closes without.",
                words(parts),
                if parts.len() == 1 && !plural_name(parts[0]) {
                    "it"
                } else {
                    "them"
                }
            ),
        }
    }
}

/// Parts whose names are plural ("lessons learned"): no "a" before them, "them" after.
fn plural_name(part: Part) -> bool {
    matches!(part, Part::Lessons | Part::FollowUps)
}

/// "a root cause", or "root cause and lessons learned": parts named in a sentence.
pub fn words(parts: &[Part]) -> String {
    let names: Vec<String> = parts
        .iter()
        .map(|p| super::letter_case::to_lower(p.label()))
        .collect();
    match (parts, names.as_slice()) {
        (_, []) => String::new(),
        ([part], [one]) if !plural_name(*part) => format!("a {one}"),
        (_, [one]) => one.clone(),
        (_, [rest @ .., last]) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The required parts that `c` lacks and no skip explains.
pub fn missing(required: &[Part], c: &CloseOut, skips: &[Skip]) -> Vec<Part> {
    required
        .iter()
        .copied()
        .filter(|p| !c.has(*p))
        .filter(|p| {
            !skips
                .iter()
                .any(|s| s.part == *p && !s.reason.trim().is_empty())
        })
        .collect()
}

/// The case closed with this close-out: resolved first if it was still open. Each part lands
/// on the timeline as its own entry; a required part left out needs a skip with a reason.
pub fn closed(
    case: &Case,
    closeout: &CloseOut,
    skips: &[Skip],
    p: &Playbook,
    now: DateTime<Utc>,
) -> Result<Case, CloseError> {
    if let Some(i) = closeout
        .follow_ups
        .iter()
        .position(|a| a.what.trim().is_empty() && (!a.owner.trim().is_empty() || a.due.is_some()))
    {
        return Err(CloseError::ActionWithoutWhat(i + 1));
    }
    let need = required(case, p);
    let mut c = closeout.tidied();
    let gaps = missing(&need, &c, skips);
    if !gaps.is_empty() {
        return Err(CloseError::Missing(gaps));
    }
    let mut out = if case.status == Status::Resolved {
        let mut out = case.clone();
        let recorded = current(case).resolution;
        if c.resolution != recorded {
            push(
                &mut out,
                now,
                Event::Resolution {
                    summary: c.resolution.clone(),
                },
            );
        }
        out
    } else {
        resolved(case, &c.resolution, now).map_err(CloseError::NotAllowed)?
    };
    if !out.status.next().contains(&Status::Closed) {
        return Err(CloseError::NotAllowed(TransitionError::NotAllowed {
            from: out.status,
            to: Status::Closed,
        }));
    }
    c.resolved_at = current(&out).resolved_at.or(Some(now));
    c.root_cause_name = p
        .root_cause(&c.root_cause)
        .map(|r| r.label.clone())
        .unwrap_or_else(|| c.root_cause_name.clone());
    if c.has(Part::RootCause) {
        let name = if c.root_cause_name.is_empty() {
            c.root_cause.clone()
        } else {
            c.root_cause_name.clone()
        };
        let whys = c.whys.len() as u32;
        push(&mut out, now, Event::RootCause { name, whys });
    }
    for l in &c.lessons {
        push(
            &mut out,
            now,
            Event::LessonLearned {
                text: l.text.clone(),
                share: l.share,
            },
        );
    }
    for a in &c.follow_ups {
        push(
            &mut out,
            now,
            Event::FollowUpAdded {
                what: a.what.clone(),
                owner: a.owner.clone(),
                due: a.due,
            },
        );
    }
    if let Some(s) = &c.satisfaction {
        push(
            &mut out,
            now,
            Event::SatisfactionRecorded {
                score: s.score,
                source: s.source,
                comment: s.comment.clone(),
            },
        );
    }
    c.skipped = skips
        .iter()
        .filter(|s| need.contains(&s.part) && !c.has(s.part) && !s.reason.trim().is_empty())
        .map(|s| Skip {
            part: s.part,
            reason: s.reason.trim().to_string(),
        })
        .collect();
    for s in &c.skipped {
        push(
            &mut out,
            now,
            Event::CloseOutSkipped {
                part: s.part,
                reason: s.reason.clone(),
            },
        );
    }
    let mut out = out
        .transitioned(Status::Closed, now)
        .map_err(CloseError::NotAllowed)?;
    c.closed_at = Some(now);
    set_current(&mut out, c);
    Ok(out)
}

/// A follow-up of a close-out ticked done (or not), with the change on the timeline.
pub fn follow_up_done(
    case: &Case,
    closeout: usize,
    action: usize,
    done: bool,
    now: DateTime<Utc>,
) -> Option<Case> {
    let a = case.closeouts.get(closeout)?.follow_ups.get(action)?;
    if a.done == done {
        return None;
    }
    let mut out = case.clone();
    let what = a.what.clone();
    out.closeouts[closeout].follow_ups[action].done = done;
    if done {
        push(&mut out, now, Event::FollowUpDone { what });
    } else {
        push(
            &mut out,
            now,
            Event::Edited {
                fields: vec![format!("follow-up “{what}” (not done after all)")],
            },
        );
    }
    out.updated_at = now;
    Some(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewError {
    NoReviewer,
    NothingSaid,
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReviewError::NoReviewer => "Add your name as the reviewer: the agent sees who wrote the feedback.",
            ReviewError::NothingSaid => "Write what went well or what to improve: a review with neither tells the agent nothing.",
        })
    }
}

/// The case with the lead's review on it.
pub fn reviewed(case: &Case, review: &Review, now: DateTime<Utc>) -> Result<Case, ReviewError> {
    let t = |s: &str| s.trim().to_string();
    let r = Review {
        at: now,
        reviewer: t(&review.reviewer),
        went_well: t(&review.went_well),
        improve: t(&review.improve),
        goal: t(&review.goal),
        goal_due: review.goal_due.filter(|_| !review.goal.trim().is_empty()),
        exemplary: review.exemplary,
    };
    if r.reviewer.is_empty() {
        return Err(ReviewError::NoReviewer);
    }
    if r.went_well.is_empty() && r.improve.is_empty() {
        return Err(ReviewError::NothingSaid);
    }
    let mut out = case.clone();
    push(
        &mut out,
        now,
        Event::Reviewed {
            reviewer: r.reviewer.clone(),
            exemplary: r.exemplary,
        },
    );
    out.reviews.push(r);
    out.updated_at = now;
    Ok(out)
}

/// Reviews the case's owner hasn't marked read.
pub fn unread_feedback(case: &Case) -> usize {
    // Most cases have no review: no need to look through their timeline.
    if case.reviews.is_empty() {
        return 0;
    }
    let read = case
        .timeline
        .iter()
        .rev()
        .find(|e| e.event == Event::FeedbackRead)
        .map(|e| e.at);
    case.reviews
        .iter()
        .filter(|r| read.is_none_or(|read| r.at > read))
        .count()
}

/// The feedback marked read; `None` when there is nothing unread.
pub fn feedback_read(case: &Case, now: DateTime<Utc>) -> Option<Case> {
    if unread_feedback(case) == 0 {
        return None;
    }
    let mut out = case.clone();
    push(&mut out, now, Event::FeedbackRead);
    out.updated_at = now;
    Some(out)
}

/// Went above tier 1 at some point.
pub fn escalated(case: &Case, p: &Playbook) -> bool {
    case.decisions
        .iter()
        .any(|d| p.level(&d.chosen).is_none_or(|l| l.rank > 0))
}

/// A deadline was missed, at any level the case passed through: worked out from the case's
/// clocks (the same facts the case screen and Insights show), not from the breaches the
/// timeline happens to record (written when a tab sees them, so a case acknowledged elsewhere
/// and merged by file has none).
pub fn breached(case: &Case, hours: &Hours, now: DateTime<Utc>) -> bool {
    !clocks(case, hours, now).breaches.is_empty()
}

/// A triage's recommendation was set aside for another level, with a reason.
pub fn overridden_in_triage(case: &Case) -> bool {
    case.decisions.iter().any(|d| d.override_reason.is_some())
}

/// The recommendation was not followed: overridden in triage, or escalated by hand ahead of it.
pub fn overridden(case: &Case) -> bool {
    overridden_in_triage(case)
        || case.timeline.iter().any(|e| {
            matches!(
                e.event,
                Event::LevelChanged {
                    how: LevelMove::Forced,
                    ..
                }
            )
        })
}

/// When the case last ended: its last close, or its last resolution.
pub fn ended_at(case: &Case) -> Option<DateTime<Utc>> {
    case.timeline
        .iter()
        .rev()
        .find(|e| {
            matches!(
                e.event,
                Event::StatusChanged {
                    to: Status::Closed | Status::Resolved,
                    ..
                }
            )
        })
        .map(|e| e.at)
}

/// Which cases the review queue shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Resolved cases too, not only closed ones.
    pub include_resolved: bool,
    /// An owner's name, as typed (case and spaces ignored); empty: everyone.
    pub owner: String,
    /// A level's id; empty: every level.
    pub level: String,
    pub breached_only: bool,
    pub overridden_only: bool,
}

/// Waiting for a review: escalated, closed (or resolved when asked), not reviewed since it
/// last ended.
pub fn needs_review(case: &Case, p: &Playbook, include_resolved: bool) -> bool {
    let ended = match case.status {
        Status::Closed => true,
        Status::Resolved => include_resolved,
        _ => false,
    };
    let since = ended_at(case);
    ended && escalated(case, p) && !case.reviews.iter().any(|r| since.is_none_or(|s| r.at >= s))
}

/// The review queue, newest ended first.
pub fn review_queue<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    p: &Playbook,
    f: &QueueFilter,
    now: DateTime<Utc>,
) -> Vec<&'a Case> {
    let hours = super::triage::hours(p);
    let owner = super::letter_case::to_lower(f.owner.trim());
    let mut out: Vec<&Case> = cases
        .into_iter()
        .filter(|c| needs_review(c, p, f.include_resolved))
        .filter(|c| {
            owner.is_empty() || super::letter_case::to_lower(&c.details.owner).contains(&owner)
        })
        .filter(|c| f.level.is_empty() || c.decision().is_some_and(|d| d.chosen == f.level))
        .filter(|c| !f.breached_only || breached(c, &hours, now))
        .filter(|c| !f.overridden_only || overridden(c))
        .collect();
    sort::sort_by_key(&mut out, |c| std::cmp::Reverse(ended_at(c)));
    out
}

/// A case's whole story, compactly, for its review: headed lists of lines.
pub fn story(
    case: &Case,
    hours: &Hours,
    now: DateTime<Utc>,
    show_time: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push((title.to_string(), lines));
        }
    };
    let mut decisions = Vec::new();
    for d in &case.decisions {
        let mut line = format!(
            "{}: {} ({})",
            show_time(d.at),
            d.chosen_name,
            d.priority.label()
        );
        if let Some(reason) = &d.override_reason {
            line.push_str(&format!(
                "; {} was recommended, chosen instead because: {reason}",
                d.recommended_name
            ));
        }
        decisions.push(line);
        decisions.extend(d.reasons.iter().map(|r| format!("  {r}")));
    }
    section("Decision path", decisions);
    let moves: Vec<String> = case
        .timeline
        .iter()
        .filter(|e| matches!(e.event, Event::LevelChanged { .. }))
        .map(|e| format!("{}: {}", show_time(e.at), e.event.describe()))
        .collect();
    section("Level moves", moves);
    // The clocks' facts, as the case screen shows them (recorded or not).
    let breaches: Vec<String> = clocks(case, hours, now)
        .breaches
        .into_iter()
        .map(|b| {
            let event = Event::Breached {
                target: b.target,
                level: b.level,
                due: b.due,
            };
            format!("{} (was due {})", event.describe(), show_time(b.due))
        })
        .collect();
    section(
        "Clocks",
        if breaches.is_empty() {
            vec!["Every deadline met".to_string()]
        } else {
            breaches
        },
    );
    let gaps: Vec<String> = case
        .timeline
        .iter()
        .filter_map(|e| match &e.event {
            Event::HandedOff { sent_without, .. } if !sent_without.is_empty() => Some(format!(
                "{}: handed off without {}",
                show_time(e.at),
                sent_without.join(", ")
            )),
            _ => None,
        })
        .collect();
    section("Handoff gaps", gaps);
    for (i, c) in case.closeouts.iter().enumerate() {
        let title = match (case.closeouts.len(), c.closed_at) {
            (1, Some(_)) => "Close-out".to_string(),
            (_, Some(at)) => format!("Close-out {} ({})", i + 1, show_time(at)),
            (_, None) => "Resolution (not closed yet)".to_string(),
        };
        section(
            &title,
            c.rows()
                .into_iter()
                .flat_map(|(label, values)| {
                    values.into_iter().map(move |v| format!("{label}: {v}"))
                })
                .collect(),
        );
    }
    out
}

/// Text from a case with the customer's name and contact taken out: the digest goes to the
/// whole team.
pub fn scrubbed(case: &Case, text: &str) -> String {
    let mut out = text.to_string();
    let contact = case.details.customer.contact.trim();
    if contact.chars().count() >= 3 {
        out = out.replace(contact, "[contact]");
    }
    let name = case.details.customer.name.trim();
    if name.chars().count() >= 3 {
        out = out.replace(name, "the customer");
    }
    // Then each part of the name on its own ("Dana was upset").
    for part in name.split_whitespace().filter(|p| p.chars().count() >= 3) {
        out = out.replace(part, "the customer");
    }
    out
}

/// The lessons digest for a team meeting, as plain text in parts (shown and printed as a
/// document, or written as Markdown): a title, one line of counts, then headed lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    pub title: String,
    pub summary: String,
    pub sections: Vec<(String, Vec<String>)>,
}

impl Digest {
    /// The digest as Markdown, every piece of user text escaped.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n{}\n", escape_markdown(&self.title), self.summary);
        for (heading, lines) in &self.sections {
            out.push_str(&format!("\n## {}\n\n", escape_markdown(heading)));
            for line in lines {
                out.push_str(&format!("- {}\n", escape_markdown(line)));
            }
        }
        out
    }
}

/// The lessons digest: lessons marked "share" from cases closed in the period, grouped by
/// root cause (largest group first), and the cases reviewed as exemplary in it; without the
/// customers' names or contacts. `day` gives an instant's date in the team's zone.
pub fn digest<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    from: NaiveDate,
    to: NaiveDate,
    day: &dyn Fn(DateTime<Utc>) -> NaiveDate,
) -> Digest {
    let within = |at: DateTime<Utc>| (from..=to).contains(&day(at));
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    let mut exemplary: Vec<String> = Vec::new();
    let mut cases: Vec<&Case> = cases.into_iter().collect();
    sort::sort_by_key(&mut cases, |c| c.reference.clone());
    let mut lessons = 0;
    let mut from_cases = 0;
    for case in &cases {
        let label = {
            let subject = scrubbed(case, case.details.subject.trim());
            if subject.is_empty() {
                case.reference.clone()
            } else {
                format!("{} · {subject}", case.reference)
            }
        };
        let mut counted = false;
        for c in &case.closeouts {
            if !c.closed_at.is_some_and(within) {
                continue;
            }
            let cause = match (c.root_cause_name.trim(), c.root_cause.trim()) {
                ("", "") => "Root cause not recorded".to_string(),
                ("", id) => id.to_string(),
                (name, _) => name.to_string(),
            };
            for l in c.lessons.iter().filter(|l| l.share) {
                let line = format!("{} ({label})", scrubbed(case, &l.text));
                match groups.iter_mut().find(|(g, _)| *g == cause) {
                    Some((_, lines)) => lines.push(line),
                    None => groups.push((cause.clone(), vec![line])),
                }
                lessons += 1;
                if !counted {
                    from_cases += 1;
                    counted = true;
                }
            }
        }
        for r in case.reviews.iter().filter(|r| r.exemplary && within(r.at)) {
            let mut line = label.clone();
            if !r.went_well.is_empty() {
                line.push_str(&format!(": {}", scrubbed(case, &r.went_well)));
            }
            line.push_str(&format!(" (reviewed by {}", r.reviewer));
            if !case.details.owner.trim().is_empty() {
                line.push_str(&format!("; handled by {}", case.details.owner.trim()));
            }
            line.push(')');
            exemplary.push(line);
        }
    }
    sort::sort_by_key(&mut groups, |(name, lines)| {
        (std::cmp::Reverse(lines.len()), name.clone())
    });
    let mut summary =
        format!(
        "{} shared from {} closed {}; {} exemplary {}. Customers' names and contacts are left out.",
        plural(lessons, "lesson", "lessons"),
        from_cases,
        if from_cases == 1 { "case" } else { "cases" },
        exemplary.len(),
        if exemplary.len() == 1 { "case" } else { "cases" },
    );
    if groups.is_empty() && exemplary.is_empty() {
        summary.push_str(" Nothing was shared or recognised in this period.");
    }
    if !exemplary.is_empty() {
        groups.push(("Exemplary handling".to_string(), exemplary));
    }
    Digest {
        title: format!("Lessons digest, {} to {}", iso_day(from), iso_day(to)),
        summary,
        sections: groups,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::Details;
    use crate::core::closeout::{FollowUp, Lesson, Satisfaction, Source, Why};
    use crate::core::playbook::default_playbook;
    use crate::core::triage::{self, Triage};
    use chrono::{Duration, TimeZone};

    fn t(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap() + Duration::minutes(m)
    }

    fn case_at(level: &str) -> Case {
        let p = default_playbook();
        let d = Details {
            subject: "Refund for Nina Ortiz".into(),
            owner: "Sam".into(),
            customer: crate::core::case::Customer {
                name: "Nina Ortiz".into(),
                contact: "nina@example.com".into(),
                ..Default::default()
            },
            ..Details::default()
        };
        let mut c = Case::open("c1".into(), 1, d, t(0));
        // Every question answered with its last answer ("no"), then the level chosen.
        let mut tri = Triage::default();
        loop {
            let walk = triage::evaluate(&p, &tri);
            let Some(q) = walk.pending else { break };
            let answer = p.question(&q).unwrap().answers.last().unwrap().id.clone();
            tri = tri.answered(&q, &answer);
        }
        c.triage = Some(tri);
        let show = |at: DateTime<Utc>| at.to_rfc3339();
        triage::decide(&c, &p, Some(level), "test", t(1), &show).unwrap()
    }

    #[test]
    fn a_level_requires_its_parts_and_a_skip_needs_a_reason() {
        let p = default_playbook();
        let c = case_at("level2");
        assert_eq!(
            required(&c, &p),
            vec![Part::Resolution, Part::RootCause, Part::Lessons]
        );
        let out = CloseOut {
            resolution: "Refund issued".into(),
            ..CloseOut::default()
        };
        let err = closed(&c, &out, &[], &p, t(10)).unwrap_err();
        assert_eq!(
            err,
            CloseError::Missing(vec![Part::RootCause, Part::Lessons])
        );
        assert!(err.to_string().contains("root cause and lessons learned"));
        // A blank reason is no reason.
        let blank = [Skip {
            part: Part::RootCause,
            reason: "  ".into(),
        }];
        assert!(closed(&c, &out, &blank, &p, t(10)).is_err());
        let skips = [
            Skip {
                part: Part::RootCause,
                reason: "Vendor never told us".into(),
            },
            Skip {
                part: Part::Lessons,
                reason: "Nothing new".into(),
            },
            // Not required: dropped.
            Skip {
                part: Part::Satisfaction,
                reason: "x".into(),
            },
        ];
        // An action with an owner and nothing to do is not dropped silently.
        let mut half = out.clone();
        half.follow_ups = vec![FollowUp {
            owner: "Ana".into(),
            ..FollowUp::default()
        }];
        assert_eq!(
            closed(&c, &half, &skips, &p, t(10)),
            Err(CloseError::ActionWithoutWhat(1))
        );
        let done = closed(&c, &out, &skips, &p, t(10)).unwrap();
        assert_eq!(done.status, Status::Closed);
        let kept = done.closeouts.last().unwrap();
        assert_eq!(kept.skipped.len(), 2);
        assert_eq!(kept.closed_at, Some(t(10)));
        let lines: Vec<String> = done.history().into_iter().map(|(_, l)| l).collect();
        assert!(lines.contains(&"Resolution: Refund issued".to_string()));
        assert!(lines
            .iter()
            .any(|l| l == "Closed without root cause, because: Vendor never told us"));
        assert!(lines
            .iter()
            .any(|l| l.contains("from In progress") || l.contains("to Resolved")));
        assert!(lines.last().unwrap().contains("to Closed"));
    }

    #[test]
    fn every_part_lands_on_the_timeline_and_reopening_keeps_the_first_close_out() {
        let p = default_playbook();
        let c = case_at("level4");
        let c = resolved(&c, " Replaced the router ", t(5)).unwrap();
        assert_eq!(current(&c).resolution, "Replaced the router");
        let out = CloseOut {
            resolution: "Replaced the router".into(),
            root_cause: "product_defect".into(),
            whys: vec![Why {
                why: "Router dropped".into(),
                because: "Firmware bug".into(),
            }],
            lessons: vec![Lesson {
                text: "Check firmware first".into(),
                share: true,
            }],
            follow_ups: vec![FollowUp {
                what: "Report to vendor".into(),
                owner: "Ana".into(),
                due: NaiveDate::from_ymd_opt(2026, 11, 9),
                done: false,
            }],
            satisfaction: Some(Satisfaction {
                score: 4,
                comment: "Quick in the end".into(),
                source: Source::Call,
            }),
            ..CloseOut::default()
        };
        let done = closed(&c, &out, &[], &p, t(10)).unwrap();
        let kinds: Vec<String> = done
            .timeline
            .iter()
            .filter(|e| e.at == t(10))
            .map(|e| e.event.describe())
            .collect();
        assert_eq!(
            kinds,
            vec![
                "Root cause: Product defect or bug (found with 1 whys)",
                "Lesson learned (shared with the team): Check firmware first",
                "Follow-up: Report to vendor, by Ana, due 2026-11-09",
                "Customer satisfaction 4 of 5 (Agent's closing call): Quick in the end",
                "Status changed from Resolved to Closed",
            ]
        );
        // Reopen, resolve and close again: two close-outs, the first unchanged.
        let again = done.transitioned(Status::Reopened, t(20)).unwrap();
        assert_eq!(current(&again), CloseOut::default());
        let again = resolved(&again, "Second fix", t(30)).unwrap();
        let second = CloseOut {
            resolution: "Second fix".into(),
            root_cause: "unknown".into(),
            lessons: vec![Lesson {
                text: "Keep the ticket open a day".into(),
                share: false,
            }],
            satisfaction: Some(Satisfaction {
                score: 2,
                ..Default::default()
            }),
            follow_ups: out.follow_ups.clone(),
            ..CloseOut::default()
        };
        let twice = closed(&again, &second, &[], &p, t(40)).unwrap();
        assert_eq!(twice.closeouts.len(), 2);
        assert_eq!(twice.closeouts[0], *done.closeouts.last().unwrap());
        assert_eq!(twice.closeouts[1].resolution, "Second fix");
        assert_eq!(last_closed(&twice).unwrap().root_cause_name, "Unknown");
        // A follow-up ticked done later.
        let ticked = follow_up_done(&twice, 0, 0, true, t(50)).unwrap();
        // Everything written reads back the same (every new field has its reader).
        let written = crate::core::json::to_value(&ticked);
        assert_eq!(
            <Case as crate::core::json::FromJson>::from_json(&written).unwrap(),
            ticked
        );
        assert!(ticked.closeouts[0].follow_ups[0].done);
        assert!(follow_up_done(&ticked, 0, 0, true, t(51)).is_none());
    }

    #[test]
    fn closing_an_open_case_resolves_it_first() {
        let p = default_playbook();
        let c = case_at("tier1");
        let out = CloseOut {
            resolution: "Explained the bill".into(),
            ..CloseOut::default()
        };
        let done = closed(&c, &out, &[], &p, t(3)).unwrap();
        assert_eq!(done.status, Status::Closed);
        let moves: Vec<String> = done
            .history()
            .into_iter()
            .map(|(_, l)| l)
            .filter(|l| l.starts_with("Status") || l.starts_with("Resolution"))
            .collect();
        assert_eq!(moves.len(), 3, "{moves:?}");
        assert_eq!(
            closed(&done, &out, &[], &p, t(4)).map(|_| ()),
            Err(CloseError::NotAllowed(TransitionError::NotAllowed {
                from: Status::Closed,
                to: Status::Resolved
            }))
        );
    }

    /// Issue 33.2: a deadline missed is a breach in the review and its filter, recorded on
    /// the timeline or not (a case acknowledged elsewhere and merged by file never gets one).
    #[test]
    fn a_missed_deadline_is_a_breach_in_the_review_whether_recorded_or_not() {
        let p = default_playbook();
        let hours = triage::hours(&p);
        let week = 60 * 24 * 7;
        let out = CloseOut {
            resolution: "Fixed".into(),
            root_cause: "billing".into(),
            lessons: vec![Lesson {
                text: "Ask for the invoice number".into(),
                share: true,
            }],
            ..CloseOut::default()
        };
        // Closed a week after the decision, never acknowledged: its first response was missed.
        let late = closed(&case_at("level2"), &out, &[], &p, t(week)).unwrap();
        let on_time = closed(&case_at("level2"), &out, &[], &p, t(10)).unwrap();
        for c in [&late, &on_time] {
            assert!(!c
                .timeline
                .iter()
                .any(|e| matches!(e.event, Event::Breached { .. })));
        }
        assert!(breached(&late, &hours, t(week)));
        assert!(!breached(&on_time, &hours, t(week)));
        let f = QueueFilter {
            breached_only: true,
            ..Default::default()
        };
        let cases = [late.clone(), on_time.clone()];
        let found = review_queue(&cases, &p, &f, t(week));
        assert_eq!(found.len(), 1);
        assert_eq!(ended_at(found[0]), ended_at(&late));
        let show = |at: DateTime<Utc>| at.to_rfc3339();
        let clocks_of = |c: &Case| {
            story(c, &hours, t(week), &show)
                .into_iter()
                .find(|(title, _)| title == "Clocks")
                .unwrap()
                .1
        };
        let lines = clocks_of(&late);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("First response breached at")),
            "{lines:?}"
        );
        assert_eq!(clocks_of(&on_time), ["Every deadline met"]);
    }

    #[test]
    fn reviews_wait_in_the_queue_until_written_and_feedback_is_read_once() {
        let p = default_playbook();
        let c = case_at("level2");
        let out = CloseOut {
            resolution: "Fixed".into(),
            root_cause: "billing".into(),
            lessons: vec![
                Lesson {
                    text: "Ask for the invoice number".into(),
                    share: true,
                },
                Lesson {
                    text: "Nina was upset; nina@example.com wrote twice".into(),
                    share: true,
                },
            ],
            ..CloseOut::default()
        };
        let done = closed(&c, &out, &[], &p, t(10)).unwrap();
        let tier1 = closed(&case_at("tier1"), &out, &[], &p, t(10)).unwrap();
        let cases = [done.clone(), tier1];
        assert_eq!(
            review_queue(&cases, &p, &QueueFilter::default(), t(10)).len(),
            1
        );
        let f = QueueFilter {
            overridden_only: true,
            ..Default::default()
        };
        assert_eq!(
            review_queue(&cases, &p, &f, t(10)).len(),
            1,
            "level2 chosen with a reason"
        );
        let f = QueueFilter {
            breached_only: true,
            ..Default::default()
        };
        assert!(review_queue(&cases, &p, &f, t(10)).is_empty());
        let f = QueueFilter {
            owner: " sam ".into(),
            ..Default::default()
        };
        assert_eq!(review_queue(&cases, &p, &f, t(10)).len(), 1);
        // Part of a name finds its owner (owner "Sam"), whatever its case.
        for part in ["SA", "am"] {
            let f = QueueFilter {
                owner: part.into(),
                ..Default::default()
            };
            assert_eq!(review_queue(&cases, &p, &f, t(10)).len(), 1, "{part}");
        }

        let empty = Review {
            reviewer: "Lee".into(),
            ..Default::default()
        };
        assert_eq!(
            reviewed(&done, &empty, t(20)),
            Err(ReviewError::NothingSaid)
        );
        let review = Review {
            reviewer: "Lee".into(),
            went_well: "Calm, clear updates".into(),
            improve: "Hand off sooner".into(),
            goal: "Hand off within 15 minutes on the next three P1s".into(),
            goal_due: NaiveDate::from_ymd_opt(2026, 12, 1),
            exemplary: true,
            ..Default::default()
        };
        let r = reviewed(&done, &review, t(20)).unwrap();
        assert!(!needs_review(&r, &p, false));
        assert_eq!(unread_feedback(&r), 1);
        let read = feedback_read(&r, t(30)).unwrap();
        assert_eq!(unread_feedback(&read), 0);
        assert!(feedback_read(&read, t(31)).is_none());
        // Reopened and closed again: it waits for a review again.
        let again = closed(
            &read.transitioned(Status::Reopened, t(40)).unwrap(),
            &out,
            &[],
            &p,
            t(50),
        )
        .unwrap();
        assert!(needs_review(&again, &p, false));

        let day = |at: DateTime<Utc>| at.date_naive();
        let d1 = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let d2 = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let md = digest([&r], d1, d2, &day).markdown();
        assert!(md.contains("## Billing or payment error"), "{md}");
        assert!(
            md.contains("- Ask for the invoice number (ESC-2026-0001 · Refund for the customer)"),
            "{md}"
        );
        assert!(md.contains("## Exemplary handling"));
        assert!(md.contains("Calm, clear updates (reviewed by Lee; handled by Sam)"));
        assert!(!md.contains("Nina") && !md.contains("nina@"), "{md}");
        assert!(
            md.contains("the customer was upset; \\[contact\\] wrote twice"),
            "{md}"
        );
        assert!(md.contains("2 lessons shared from 1 closed case; 1 exemplary case."));
        let before = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        let none = digest([&r], before, before, &day).markdown();
        assert!(none.contains("Nothing was shared"));
    }
}
