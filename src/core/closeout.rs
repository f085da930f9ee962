//! What an escalation taught, as plain data: the close-out an agent records when a case is
//! resolved and closed, and the review a team lead writes afterwards. Nothing here knows a case
//! or a playbook (both use these types); the rules over them are in `learning`.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::json::{deserialize_by_hand, text_enum, write_fields, Fields, FromJson, Read};

/// A day as `2026-11-27`, written by hand: chrono's formatter would add its whole strftime
/// machinery to the download.
pub fn iso_day(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The parts of a close-out a playbook level can require before a case closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Resolution,
    RootCause,
    Lessons,
    FollowUps,
    Satisfaction,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Resolution,
        Part::RootCause,
        Part::Lessons,
        Part::FollowUps,
        Part::Satisfaction,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Part::Resolution => "Resolution summary",
            Part::RootCause => "Root cause",
            Part::Lessons => "Lessons learned",
            Part::FollowUps => "Follow-up actions",
            Part::Satisfaction => "Customer satisfaction",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Part::Resolution => "resolution",
            Part::RootCause => "root_cause",
            Part::Lessons => "lessons",
            Part::FollowUps => "follow_ups",
            Part::Satisfaction => "satisfaction",
        }
    }

    pub fn from_key(key: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The id of the control that fills it on the close-out screen.
    pub fn control(self) -> &'static str {
        match self {
            Part::Resolution => "closeout-resolution",
            Part::RootCause => "closeout-root-cause",
            Part::Lessons => "lesson-0",
            Part::FollowUps => "action-what-0",
            Part::Satisfaction => "satisfaction-score",
        }
    }
}

/// One step of a "5 whys": why it happened, and because of what.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Why {
    pub why: String,
    pub because: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lesson {
    pub text: String,
    /// Shared with the team: it goes in the lessons digest.
    pub share: bool,
}

/// Something still to do after the case closes, with who does it and by when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUp {
    pub what: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// Where a satisfaction score came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// The customer's answer to the survey sent after resolution.
    #[default]
    Survey,
    /// What the customer said on the agent's closing call.
    Call,
}

impl Source {
    pub const ALL: [Source; 2] = [Source::Survey, Source::Call];

    pub fn label(self) -> &'static str {
        match self {
            Source::Survey => "Customer's survey",
            Source::Call => "Agent's closing call",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Source::Survey => "survey",
            Source::Call => "call",
        }
    }

    pub fn from_key(key: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.key() == key)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Satisfaction {
    /// 1 (very unhappy) to 5 (very happy).
    pub score: u8,
    pub comment: String,
    pub source: Source,
}

/// A required part closed without, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub part: Part,
    pub reason: String,
}

/// What one resolution of a case taught. A case reopened and closed again gets a new one; the
/// earlier ones are kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseOut {
    /// What fixed it, in the customer's terms and the team's.
    pub resolution: String,
    /// The root-cause category's id in the playbook, and its name as it was then.
    pub root_cause: String,
    pub root_cause_name: String,
    /// The "5 whys", at most five.
    pub whys: Vec<Why>,
    pub lessons: Vec<Lesson>,
    pub follow_ups: Vec<FollowUp>,
    pub satisfaction: Option<Satisfaction>,
    pub skipped: Vec<Skip>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// `None` while the case is resolved but not closed yet.
    pub closed_at: Option<DateTime<Utc>>,
}

/// At most this many whys: the technique's name is its limit.
pub const MAX_WHYS: usize = 5;

impl CloseOut {
    /// Whether a part holds something.
    pub fn has(&self, part: Part) -> bool {
        let filled = |s: &str| !s.trim().is_empty();
        match part {
            Part::Resolution => filled(&self.resolution),
            Part::RootCause => filled(&self.root_cause),
            Part::Lessons => self.lessons.iter().any(|l| filled(&l.text)),
            Part::FollowUps => self.follow_ups.iter().any(|a| filled(&a.what)),
            Part::Satisfaction => self.satisfaction.as_ref().is_some_and(|s| s.score > 0),
        }
    }

    /// The close-out as kept: blank rows dropped, text trimmed, whys cut to five.
    pub fn tidied(&self) -> CloseOut {
        let t = |s: &str| s.trim().to_string();
        let mut c = self.clone();
        c.resolution = t(&c.resolution);
        c.whys = c
            .whys
            .iter()
            .filter(|w| !w.why.trim().is_empty() || !w.because.trim().is_empty())
            .take(MAX_WHYS)
            .map(|w| Why {
                why: t(&w.why),
                because: t(&w.because),
            })
            .collect();
        c.lessons = c
            .lessons
            .iter()
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| Lesson {
                text: t(&l.text),
                share: l.share,
            })
            .collect();
        c.follow_ups = c
            .follow_ups
            .iter()
            .filter(|a| !a.what.trim().is_empty())
            .map(|a| FollowUp {
                what: t(&a.what),
                owner: t(&a.owner),
                ..a.clone()
            })
            .collect();
        c.satisfaction = c
            .satisfaction
            .filter(|s| (1..=5).contains(&s.score))
            .map(|s| Satisfaction {
                comment: t(&s.comment),
                ..s
            });
        c
    }
}

impl CloseOut {
    /// The close-out as labelled values, in the order a reader wants them (the review, the
    /// handoff's close-out section). A resolution not closed yet has only its summary.
    pub fn rows(&self) -> Vec<(&'static str, Vec<String>)> {
        let or_none = |s: &str| {
            if s.trim().is_empty() {
                "(not recorded)".to_string()
            } else {
                s.trim().to_string()
            }
        };
        let mut rows = vec![("Resolution", vec![or_none(&self.resolution)])];
        if self.closed_at.is_none() {
            return rows;
        }
        let cause = if self.root_cause_name.is_empty() {
            &self.root_cause
        } else {
            &self.root_cause_name
        };
        rows.push(("Root cause", vec![or_none(cause)]));
        let mut add = |label: &'static str, values: Vec<String>| {
            if !values.is_empty() {
                rows.push((label, values));
            }
        };
        add(
            "5 whys",
            self.whys
                .iter()
                .enumerate()
                .map(|(i, w)| format!("Why {}: {} Because: {}", i + 1, w.why, w.because))
                .collect(),
        );
        add(
            "Lessons learned",
            self.lessons
                .iter()
                .map(|l| format!("{}{}", l.text, if l.share { " (shared)" } else { "" }))
                .collect(),
        );
        add(
            "Follow-up actions",
            self.follow_ups
                .iter()
                .map(|a| {
                    let mut line = a.what.clone();
                    if !a.owner.is_empty() {
                        line.push_str(&format!(", by {}", a.owner));
                    }
                    if let Some(due) = a.due {
                        line.push_str(&format!(", due {}", iso_day(due)));
                    }
                    if a.done {
                        line.push_str(" (done)");
                    }
                    line
                })
                .collect(),
        );
        add(
            "Customer satisfaction",
            self.satisfaction
                .iter()
                .map(|s| {
                    let mut line = format!("{} of 5 ({})", s.score, s.source.label());
                    if !s.comment.is_empty() {
                        line.push_str(&format!(": {}", s.comment));
                    }
                    line
                })
                .collect(),
        );
        add(
            "Closed without",
            self.skipped
                .iter()
                .map(|s| format!("{}, because: {}", s.part.label(), s.reason))
                .collect(),
        );
        rows
    }
}

/// A team lead's review of how a case was handled: what went well, what to improve, one goal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    pub at: DateTime<Utc>,
    pub reviewer: String,
    pub went_well: String,
    pub improve: String,
    /// One specific, measurable goal, and when it is due.
    pub goal: String,
    pub goal_due: Option<NaiveDate>,
    /// Recognised as exemplary handling.
    pub exemplary: bool,
}

/// A close-out being written and not closed with yet, with the reasons typed for skipping:
/// kept as typed, so leaving the screen or the page loses none of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub closeout: CloseOut,
    pub skips: Vec<Skip>,
}

impl Draft {
    /// The reason typed for skipping `part` (empty when none).
    pub fn skip_reason(&self, part: Part) -> String {
        self.skips
            .iter()
            .find(|s| s.part == part)
            .map(|s| s.reason.clone())
            .unwrap_or_default()
    }

    pub fn set_skip_reason(&mut self, part: Part, reason: String) {
        self.skips.retain(|s| s.part != part);
        self.skips.push(Skip { part, reason });
    }
}

impl FromJson for Draft {
    fn from_json(v: &Value) -> Read<Draft> {
        let f = Fields::of(v)?;
        Ok(Draft {
            closeout: f.get_or_default("closeout")?,
            skips: f.get_or_default("skips")?,
        })
    }
}

text_enum!(Part via Part::from_key, Part::key);
text_enum!(Source via Source::from_key, Source::key);

impl FromJson for Why {
    fn from_json(v: &Value) -> Read<Why> {
        let f = Fields::of(v)?;
        Ok(Why {
            why: f.get_or_default("why")?,
            because: f.get_or_default("because")?,
        })
    }
}

impl FromJson for Lesson {
    fn from_json(v: &Value) -> Read<Lesson> {
        let f = Fields::of(v)?;
        Ok(Lesson {
            text: f.get("text")?,
            share: f.get_or_default("share")?,
        })
    }
}

impl FromJson for FollowUp {
    fn from_json(v: &Value) -> Read<FollowUp> {
        let f = Fields::of(v)?;
        Ok(FollowUp {
            what: f.get("what")?,
            owner: f.get_or_default("owner")?,
            due: f.get_or_default("due")?,
            done: f.get_or_default("done")?,
        })
    }
}

impl FromJson for Satisfaction {
    fn from_json(v: &Value) -> Read<Satisfaction> {
        let f = Fields::of(v)?;
        // 0: not scored yet (a close-out being written); tidied away when it is kept.
        let score: u8 = f.get("score")?;
        if score > 5 {
            return Err(format!("score: {score} is not 1 to 5").into());
        }
        Ok(Satisfaction {
            score,
            comment: f.get_or_default("comment")?,
            source: f.get_or_default("source")?,
        })
    }
}

impl FromJson for Skip {
    fn from_json(v: &Value) -> Read<Skip> {
        let f = Fields::of(v)?;
        Ok(Skip {
            part: f.get("part")?,
            reason: f.get("reason")?,
        })
    }
}

impl FromJson for CloseOut {
    fn from_json(v: &Value) -> Read<CloseOut> {
        let f = Fields::of(v)?;
        Ok(CloseOut {
            resolution: f.get_or_default("resolution")?,
            root_cause: f.get_or_default("root_cause")?,
            root_cause_name: f.get_or_default("root_cause_name")?,
            whys: f.get_or_default("whys")?,
            lessons: f.get_or_default("lessons")?,
            follow_ups: f.get_or_default("follow_ups")?,
            satisfaction: f.get_or_default("satisfaction")?,
            skipped: f.get_or_default("skipped")?,
            resolved_at: f.get_or_default("resolved_at")?,
            closed_at: f.get_or_default("closed_at")?,
        })
    }
}

impl FromJson for Review {
    fn from_json(v: &Value) -> Read<Review> {
        let f = Fields::of(v)?;
        Ok(Review {
            at: f.get("at")?,
            reviewer: f.get("reviewer")?,
            went_well: f.get_or_default("went_well")?,
            improve: f.get_or_default("improve")?,
            goal: f.get_or_default("goal")?,
            goal_due: f.get_or_default("goal_due")?,
            exemplary: f.get_or_default("exemplary")?,
        })
    }
}

deserialize_by_hand!(Part, Source, CloseOut, Review);

write_fields!(Why { why, because });
write_fields!(Lesson { text, share });
write_fields!(FollowUp {
    what,
    owner,
    due,
    done,
});
write_fields!(Satisfaction {
    score,
    comment,
    source,
});
write_fields!(Skip { part, reason });
write_fields!(CloseOut {
    resolution,
    root_cause,
    root_cause_name,
    whys,
    lessons,
    follow_ups,
    satisfaction,
    skipped,
    resolved_at,
    closed_at,
});
write_fields!(Review {
    at,
    reviewer,
    went_well,
    improve,
    goal,
    goal_due,
    exemplary,
});
write_fields!(Draft { closeout, skips });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tidied_close_out_keeps_what_was_written() {
        let c = CloseOut {
            resolution: "  Refunded  ".into(),
            whys: vec![Why::default(); 7]
                .into_iter()
                .enumerate()
                .map(|(i, _)| Why {
                    why: format!("w{i}"),
                    because: String::new(),
                })
                .collect(),
            lessons: vec![
                Lesson {
                    text: " ".into(),
                    share: true,
                },
                Lesson {
                    text: "Check the invoice first".into(),
                    share: true,
                },
            ],
            follow_ups: vec![FollowUp::default()],
            satisfaction: Some(Satisfaction {
                score: 0,
                ..Default::default()
            }),
            ..CloseOut::default()
        }
        .tidied();
        assert_eq!(c.resolution, "Refunded");
        assert_eq!(c.whys.len(), MAX_WHYS);
        assert_eq!(c.lessons.len(), 1);
        assert!(c.follow_ups.is_empty());
        assert_eq!(c.satisfaction, None);
        assert!(c.has(Part::Resolution) && c.has(Part::Lessons));
        assert!(!c.has(Part::RootCause) && !c.has(Part::Satisfaction));
    }

    #[test]
    fn a_score_outside_one_to_five_is_refused() {
        let v = serde_json::json!({"score": 9});
        assert!(Satisfaction::from_json(&v).is_err());
        // A draft's comment typed before its score reads back (it was lost once).
        let draft = Draft {
            closeout: CloseOut {
                resolution: "Refunded".into(),
                satisfaction: Some(Satisfaction {
                    comment: "Slow".into(),
                    ..Default::default()
                }),
                ..CloseOut::default()
            },
            skips: Vec::new(),
        };
        let text = crate::core::json::to_string(&draft);
        assert_eq!(crate::core::json::parse::<Draft>(&text).unwrap(), draft);
        let v = serde_json::json!({"score": 4, "source": "call"});
        assert_eq!(Satisfaction::from_json(&v).unwrap().source, Source::Call);
    }
}
