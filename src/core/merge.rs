//! Merging two versions of one case (this browser's and one from a file), by field group.
//!
//! Each side's own history is the timeline entries the other side lacks. A group only one side
//! changed takes that side's values; a group both sides changed to different values is a real
//! conflict, and the person decides. Both timelines are always kept, and so are every triage
//! decision of both sides: nothing is overwritten silently.

use chrono::{DateTime, Utc};

use super::case::{Case, Entry, Event};
use super::handoff::mask_contact;
use super::sort;

/// The parts of a case that merge as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Customer,
    Issue,
    Expectation,
    Steps,
    NextTier,
    Status,
    /// What resolved the case and what it taught (`closeouts`).
    CloseOut,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Customer,
        Group::Issue,
        Group::Expectation,
        Group::Steps,
        Group::NextTier,
        Group::Status,
        Group::CloseOut,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Group::Customer => "Customer",
            Group::Issue => "Issue (subject, description, channel, product, owner)",
            Group::Expectation => "What the customer expects, and by when",
            Group::Steps => "Steps already taken",
            Group::NextTier => "Impact and evidence",
            Group::Status => "Status",
            Group::CloseOut => {
                "Close-out (resolution, root cause, lessons, follow-ups, satisfaction)"
            }
        }
    }

    /// The group an edited field (as named by `case::changed_fields`) belongs to.
    fn of_field(field: &str) -> Option<Group> {
        Some(match field {
            "customer name" | "contact" | "account" | "VIP" => Group::Customer,
            "channel" | "product" | "subject" | "description" | "contact count" | "owner" => {
                Group::Issue
            }
            "expectation" | "deadline" => Group::Expectation,
            "steps" => Group::Steps,
            "impact" | "evidence" => Group::NextTier,
            _ => return None,
        })
    }

    fn touched_by(self, event: &Event) -> bool {
        match event {
            Event::Edited { fields } => fields.iter().any(|f| Group::of_field(f) == Some(self)),
            Event::StepAdded { .. } => self == Group::Steps,
            Event::StatusChanged { .. } => self == Group::Status,
            Event::Resolution { .. }
            | Event::RootCause { .. }
            | Event::LessonLearned { .. }
            | Event::FollowUpAdded { .. }
            | Event::FollowUpDone { .. }
            | Event::SatisfactionRecorded { .. }
            | Event::CloseOutSkipped { .. } => self == Group::CloseOut,
            _ => false,
        }
    }

    fn same(self, a: &Case, b: &Case) -> bool {
        let (x, y) = (&a.details, &b.details);
        match self {
            Group::Customer => x.customer == y.customer,
            Group::Issue => {
                (
                    x.channel,
                    &x.product,
                    &x.subject,
                    &x.description,
                    x.contact_count,
                    &x.owner,
                ) == (
                    y.channel,
                    &y.product,
                    &y.subject,
                    &y.description,
                    y.contact_count,
                    &y.owner,
                )
            }
            Group::Expectation => (&x.expectation, x.deadline) == (&y.expectation, y.deadline),
            Group::Steps => x.steps == y.steps,
            Group::NextTier => (&x.impact, &x.evidence) == (&y.impact, &y.evidence),
            Group::Status => a.status == b.status,
            Group::CloseOut => a.closeouts == b.closeouts,
        }
    }

    /// Copies this group's values from `from` into `into`.
    fn copy(self, from: &Case, into: &mut Case) {
        let (f, t) = (&from.details, &mut into.details);
        match self {
            Group::Customer => t.customer = f.customer.clone(),
            Group::Issue => {
                t.channel = f.channel;
                t.product = f.product.clone();
                t.subject = f.subject.clone();
                t.description = f.description.clone();
                t.contact_count = f.contact_count;
                t.owner = f.owner.clone();
            }
            Group::Expectation => {
                t.expectation = f.expectation.clone();
                t.deadline = f.deadline;
            }
            Group::Steps => t.steps = f.steps.clone(),
            Group::NextTier => {
                t.impact = f.impact.clone();
                t.evidence = f.evidence.clone();
            }
            Group::Status => into.status = from.status,
            Group::CloseOut => into.closeouts = from.closeouts.clone(),
        }
    }
}

/// The fields of `group` that `own` (one side's own timeline entries) edited, when only edits
/// of named fields touched it; `None` when something else did (a status move, a step added,
/// a close-out), so the group can't be split by field.
fn fields_edited<'a>(own: &[&'a Entry], group: Group) -> Option<Vec<&'a str>> {
    let mut fields = Vec::new();
    for e in own.iter().filter(|e| group.touched_by(&e.event)) {
        match &e.event {
            Event::Edited { fields: f } => fields.extend(
                f.iter()
                    .map(String::as_str)
                    .filter(|f| Group::of_field(f) == Some(group)),
            ),
            _ => return None,
        }
    }
    Some(fields)
}

/// Copies one edited field (as named by `case::changed_fields`) from `from` into `into`;
/// false for a field this can't copy alone.
fn copy_field(field: &str, from: &Case, into: &mut Case) -> bool {
    let (f, t) = (&from.details, &mut into.details);
    match field {
        "customer name" => t.customer.name = f.customer.name.clone(),
        "contact" => {
            t.customer.contact = f.customer.contact.clone();
            t.customer.contact_masked = f.customer.contact_masked;
        }
        "account" => t.customer.account = f.customer.account.clone(),
        "VIP" => t.customer.vip = f.customer.vip,
        "channel" => t.channel = f.channel,
        "product" => t.product = f.product.clone(),
        "subject" => t.subject = f.subject.clone(),
        "description" => t.description = f.description.clone(),
        "contact count" => t.contact_count = f.contact_count,
        "owner" => t.owner = f.owner.clone(),
        "expectation" => t.expectation = f.expectation.clone(),
        "deadline" => t.deadline = f.deadline,
        "impact" => t.impact = f.impact.clone(),
        "evidence" => t.evidence = f.evidence.clone(),
        _ => return false,
    }
    true
}

/// Both sides changed `group`, but different fields of it (one the product, the other the
/// description): each keeps its own, no question asked. False when they overlap or when
/// the group can't be split.
fn merge_fields(
    group: Group,
    mine: &[&Entry],
    theirs_own: &[&Entry],
    theirs: &Case,
    into: &mut Case,
) -> bool {
    let (Some(m), Some(t)) = (fields_edited(mine, group), fields_edited(theirs_own, group)) else {
        return false;
    };
    if t.is_empty() || m.iter().any(|f| t.contains(f)) {
        return false;
    }
    let mut trial = into.clone();
    if !t.iter().all(|f| copy_field(f, theirs, &mut trial)) {
        return false;
    }
    *into = trial;
    true
}

/// Which side a conflicted group takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Mine,
    Theirs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub case: Case,
    /// Groups both sides changed differently: the case above holds this browser's values for
    /// them until [`resolve`] is called with the person's choices.
    pub conflicts: Vec<Group>,
}

/// `side` with its contact read as the real one where it holds only the masked form of
/// `other`'s (a redacted handoff came back): a masked value is not a change, so it never
/// overwrites or conflicts with the real contact. Marked masked, or equal to the mask of
/// `other`'s contact (files from before the mark), it counts as masked.
fn unmasked(side: &Case, other: &Case) -> Case {
    let (mine, real) = (&side.details.customer, &other.details.customer);
    let masked = mine.contact_masked || mask_contact(&real.contact) == mine.contact.trim();
    let mut side = side.clone();
    if masked && !real.contact_masked && !real.contact.trim().is_empty() {
        side.details.customer.contact = real.contact.clone();
        side.details.customer.contact_masked = false;
    }
    side
}

/// `theirs` carries a contact its side typed over the masked form of `mine`'s real one, and
/// it differs from that real one: the person chooses between them.
fn typed_over_mask(mine: &Case, theirs: &Case) -> bool {
    let (m, t) = (&mine.details.customer, &theirs.details.customer);
    t.contact_over_mask
        && !m.contact_over_mask
        && !m.contact_masked
        && !m.contact.trim().is_empty()
        && m.contact.trim() != t.contact.trim()
}

fn own_entries<'a>(side: &'a Case, other: &Case) -> Vec<&'a Entry> {
    side.timeline
        .iter()
        .filter(|e| !other.timeline.contains(e))
        .collect()
}

/// Merges `theirs` into `mine` (the same case), group by group.
pub fn merge(mine: &Case, theirs: &Case, now: DateTime<Utc>) -> Merged {
    resolve(mine, theirs, &[], now)
}

/// How the two sides are named on the timeline: an import is this browser against the file.
pub const IMPORT: [&str; 2] = ["this browser's", "the file's"];
/// Two tabs of one browser saving the same case.
pub const TABS: [&str; 2] = ["this tab's", "the other tab's"];
/// Team mode taking in the team's version of a case this browser changed a moment ago (its
/// change is on its way to the team): merged without a timeline entry, as the two versions
/// are one agent's edit and the team's copy of the case, not two people's.
pub const QUIET: [&str; 2] = ["", ""];

/// Merges with the person's choice for each conflicted group; groups not chosen stay conflicts.
pub fn resolve(
    mine: &Case,
    theirs: &Case,
    choices: &[(Group, Side)],
    now: DateTime<Utc>,
) -> Merged {
    resolve_named(mine, theirs, choices, IMPORT, now)
}

/// [`resolve`], with the sides named for the timeline (`[mine, theirs]`).
pub fn resolve_named(
    mine: &Case,
    theirs: &Case,
    choices: &[(Group, Side)],
    names: [&str; 2],
    now: DateTime<Utc>,
) -> Merged {
    let original = mine;
    let (mine, theirs) = (&unmasked(mine, theirs), &unmasked(theirs, mine));
    let mine_own = own_entries(mine, theirs);
    let theirs_own = own_entries(theirs, mine);
    let mut case = mine.clone();
    let mut conflicts = Vec::new();
    for group in Group::ALL {
        if group.same(mine, theirs) {
            continue;
        }
        let mine_touched = mine_own.iter().any(|e| group.touched_by(&e.event));
        let theirs_touched = theirs_own.iter().any(|e| group.touched_by(&e.event));
        let chosen = choices.iter().find(|(g, _)| *g == group).map(|(_, s)| *s);
        match (mine_touched, theirs_touched, chosen) {
            (_, _, Some(Side::Theirs)) => group.copy(theirs, &mut case),
            (_, _, Some(Side::Mine)) => {}
            // A contact the other side typed over a masked one is asked beside the real one.
            (_, _, None) if group == Group::Customer && typed_over_mask(mine, theirs) => {
                conflicts.push(group)
            }
            (true, false, None) => {}
            (false, true, None) => group.copy(theirs, &mut case),
            (true, true, None)
                if merge_fields(group, &mine_own, &theirs_own, theirs, &mut case) => {}
            // Both changed it, or neither says so (old data): the person decides.
            _ => conflicts.push(group),
        }
    }
    for entry in &theirs.timeline {
        if !case.timeline.contains(entry) {
            case.timeline.push(entry.clone());
        }
    }
    sort::sort_by_key(&mut case.timeline, |e| e.at);
    for decision in &theirs.decisions {
        if !case.decisions.contains(decision) {
            case.decisions.push(decision.clone());
        }
    }
    sort::sort_by_key(&mut case.decisions, |d| d.at);
    // Reviews are records, like decisions: both sides' are kept.
    for review in &theirs.reviews {
        if !case.reviews.contains(review) {
            case.reviews.push(review.clone());
        }
    }
    sort::sort_by_key(&mut case.reviews, |r| r.at);
    if case.triage.is_none() {
        case.triage = theirs.triage.clone();
    }
    if case.ticket_id.is_none() {
        case.ticket_id = theirs.ticket_id.clone();
    }
    // Whether this side's contact was typed over a mask is this side's own fact.
    case.details.customer.contact_over_mask = mine.details.customer.contact_over_mask;
    case.rev = mine.rev.max(theirs.rev);
    case.updated_at = mine.updated_at.max(theirs.updated_at);
    if conflicts.is_empty() && case != *original && !names[0].is_empty() {
        let kept = if choices.is_empty() {
            "changes from both sides".to_string()
        } else {
            choices
                .iter()
                .map(|(g, s)| {
                    format!(
                        "{}: {}",
                        g.label(),
                        if *s == Side::Mine { names[0] } else { names[1] }
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        case.timeline.push(Entry {
            at: now,
            event: Event::ConflictResolved { kept },
        });
        case.updated_at = now;
    }
    Merged { case, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::case::{Details, Status};
    use chrono::{Duration, TimeZone};

    fn t(m: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap() + Duration::minutes(m)
    }

    fn base() -> Case {
        let d = Details {
            subject: "Base".into(),
            ..Details::default()
        };
        Case::open("c".into(), 1, d, t(0))
    }

    fn edit(c: &Case, f: impl FnOnce(&mut Details), at: i64) -> Case {
        let mut d = c.details.clone();
        f(&mut d);
        c.edited(d, t(at)).unwrap()
    }

    fn masked(c: &Case) -> Case {
        let mut c = c.clone();
        c.details.customer.contact = mask_contact(&c.details.customer.contact);
        c.details.customer.contact_masked = true;
        c
    }

    #[test]
    fn a_masked_contact_coming_back_never_replaces_the_real_one() {
        let b = edit(
            &base(),
            |d| d.customer.contact = "nina@example.com".into(),
            1,
        );
        // The receiver got a redacted handoff and changed only the name.
        let theirs = edit(&masked(&b), |d| d.customer.name = "Nina Ortiz".into(), 2);
        let m = merge(&b, &theirs, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.case.details.customer.name, "Nina Ortiz");
        assert_eq!(m.case.details.customer.contact, "nina@example.com");
        assert!(!m.case.details.customer.contact_masked);
        // A file from before the mark: the masked form alone is recognised.
        let mut old = theirs.clone();
        old.details.customer.contact_masked = false;
        let m = merge(&b, &old, t(9));
        assert_eq!(m.case.details.customer.contact, "nina@example.com");
        // Nothing else changed: the masked copy alone is no update.
        assert_eq!(merge(&b, &masked(&b), t(9)).case, b);
        // The receiver cleared the masked form (the form keeps the mark on an emptied or
        // still-asterisked contact): no value of its own, the real one stays.
        let cleared = edit(&masked(&b), |d| d.customer.contact = String::new(), 3);
        assert!(cleared.details.customer.contact_masked);
        let m = merge(&b, &cleared, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.case.details.customer.contact, "nina@example.com");
    }

    #[test]
    fn different_fields_of_one_group_merge_without_a_question() {
        let b = base();
        let mine = edit(&b, |d| d.product = "Payments".into(), 2);
        let theirs = edit(&b, |d| d.description = "Two charges".into(), 3);
        let m = merge(&mine, &theirs, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(
            (
                m.case.details.product.as_str(),
                m.case.details.description.as_str()
            ),
            ("Payments", "Two charges")
        );
        // The same field both sides changed still asks.
        let theirs = edit(&b, |d| d.product = "Billing".into(), 3);
        assert_eq!(merge(&mine, &theirs, t(9)).conflicts, vec![Group::Issue]);
        // A masked contact on one side and the account on the other: both kept.
        let mine = edit(&b, |d| d.customer.account = "Gold".into(), 2);
        let theirs = edit(&b, |d| d.customer.name = "Nina Ortiz".into(), 3);
        let m = merge(&mine, &theirs, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(
            (
                m.case.details.customer.account.as_str(),
                m.case.details.customer.name.as_str()
            ),
            ("Gold", "Nina Ortiz")
        );
    }

    #[test]
    fn a_masked_contact_in_a_conflict_still_keeps_the_real_one() {
        let b = edit(
            &base(),
            |d| d.customer.contact = "nina@example.com".into(),
            1,
        );
        let mine = edit(&b, |d| d.customer.name = "Nina O.".into(), 2);
        let theirs = edit(&masked(&b), |d| d.customer.name = "Nina Ortiz".into(), 3);
        let m = merge(&mine, &theirs, t(9));
        assert_eq!(m.conflicts, vec![Group::Customer]);
        let r = resolve(&mine, &theirs, &[(Group::Customer, Side::Theirs)], t(9));
        assert_eq!(r.case.details.customer.name, "Nina Ortiz");
        assert_eq!(r.case.details.customer.contact, "nina@example.com");
    }

    #[test]
    fn the_masked_side_learns_the_real_contact_and_a_new_real_contact_wins() {
        let b = edit(
            &base(),
            |d| d.customer.contact = "nina@example.com".into(),
            1,
        );
        let mut held = masked(&b);
        let m = merge(&held, &b, t(9));
        assert_eq!(m.case.details.customer.contact, "nina@example.com");
        // The receiver typed a new real contact: that is a change like any other.
        held = edit(
            &held,
            |d| {
                d.customer.contact = "nina@new.example".into();
                d.customer.contact_masked = false;
            },
            2,
        );
        // The form marks a contact typed over a mask: coming back, it is asked beside the
        // real one, and taken only when chosen.
        held.details.customer.contact_over_mask = true;
        let m = merge(&b, &held, t(9));
        assert_eq!(m.conflicts, vec![Group::Customer]);
        assert_eq!(m.case.details.customer.contact, "nina@example.com");
        let r = resolve(&b, &held, &[(Group::Customer, Side::Theirs)], t(9));
        assert!(r.conflicts.is_empty());
        assert_eq!(r.case.details.customer.contact, "nina@new.example");
        assert!(!r.case.details.customer.contact_over_mask);
    }

    #[test]
    fn different_groups_merge_without_asking() {
        let b = base();
        let mine = edit(&b, |d| d.subject = "Mine".into(), 1);
        let theirs = edit(&b, |d| d.customer.name = "Theirs".into(), 2)
            .transitioned(Status::Resolved, t(3))
            .unwrap();
        let m = merge(&mine, &theirs, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.case.details.subject, "Mine");
        assert_eq!(m.case.details.customer.name, "Theirs");
        assert_eq!(m.case.status, Status::Resolved);
        // Opened + 3 edits of both sides + the merge note.
        assert_eq!(m.case.timeline.len(), 5);
    }

    #[test]
    fn the_same_group_changed_on_both_sides_is_a_conflict_the_person_settles() {
        let b = base();
        let mine = edit(&b, |d| d.subject = "Mine".into(), 1);
        let theirs = edit(&b, |d| d.subject = "Theirs".into(), 2);
        let m = merge(&mine, &theirs, t(9));
        assert_eq!(m.conflicts, vec![Group::Issue]);
        assert_eq!(m.case.details.subject, "Mine");
        let settled = resolve(&mine, &theirs, &[(Group::Issue, Side::Theirs)], t(9));
        assert!(settled.conflicts.is_empty());
        assert_eq!(settled.case.details.subject, "Theirs");
        assert!(settled
            .case
            .timeline
            .iter()
            .any(|e| e.event.describe().contains("the file's")));
    }

    #[test]
    fn close_outs_merge_as_their_own_group_and_reviews_are_all_kept() {
        use crate::core::closeout::{CloseOut, Review};
        let b = base().transitioned(Status::Resolved, t(1)).unwrap();
        let close = |c: &Case, why: &str, at: i64| {
            let mut c = c.transitioned(Status::Closed, t(at)).unwrap();
            c.closeouts = vec![CloseOut {
                resolution: why.into(),
                closed_at: Some(t(at)),
                ..CloseOut::default()
            }];
            c.timeline.push(Entry {
                at: t(at),
                event: Event::Resolution {
                    summary: why.into(),
                },
            });
            c
        };
        // Only the file closed it: its close-out comes in with no question.
        let theirs = close(&b, "Refunded", 2);
        let m = merge(&b, &theirs, t(9));
        assert!(m.conflicts.is_empty());
        assert_eq!(m.case.closeouts, theirs.closeouts);
        // Both closed it differently: the person decides, and both histories stay.
        let mine = close(&b, "Credit note", 3);
        let m = merge(&mine, &theirs, t(9));
        assert!(m.conflicts.contains(&Group::CloseOut));
        let r = resolve(
            &mine,
            &theirs,
            &[(Group::CloseOut, Side::Theirs), (Group::Status, Side::Mine)],
            t(9),
        );
        assert_eq!(r.case.closeouts[0].resolution, "Refunded");
        assert!(r
            .case
            .timeline
            .iter()
            .any(|e| e.event.describe() == "Resolution: Credit note"));
        // Reviews from both sides are kept, oldest first.
        let review = |who: &str, at: i64| Review {
            at: t(at),
            reviewer: who.into(),
            went_well: "ok".into(),
            ..Review::default()
        };
        let mut a = theirs.clone();
        a.reviews.push(review("Lee", 5));
        let mut c = theirs.clone();
        c.reviews.push(review("Kim", 4));
        let m = merge(&a, &c, t(9));
        let who: Vec<&str> = m.case.reviews.iter().map(|r| r.reviewer.as_str()).collect();
        assert_eq!(who, ["Kim", "Lee"]);
    }

    #[test]
    fn identical_versions_change_nothing() {
        let b = base();
        let m = merge(&b, &b, t(9));
        assert_eq!(m.case, b);
        assert!(m.conflicts.is_empty());
    }
}
