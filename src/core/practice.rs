//! Practice: role-play scenarios triaged against the playbook and scored. A scenario is a
//! fictional case and the facts that are true about it (the triggers that honestly apply, the
//! truthful answer to each question); what it should lead to is **computed** by the playbook's
//! own walk, never stored, so a playbook change moves it. The author's `meant` level only
//! flags a scenario whose result moved since it was written.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::case::{Case, Channel, Customer, Details, Step};
use super::json::{write_fields, Fields, FromJson, Object, Read, ToJson};
use super::playbook::{Grade, Playbook, Priority};
use super::triage::{evaluate, Triage, Walk};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub customer: String,
    pub contact: String,
    pub channel: Channel,
    pub product: String,
    pub subject: String,
    pub description: String,
    pub expectation: String,
    /// Steps already tried before the call.
    pub steps: Vec<String>,
    pub vip: bool,
    /// Contacts so far about it, this one included.
    pub contacts: u32,
    /// The customer's own deadline, hours from the start of the run.
    pub deadline_hours: Option<u32>,
    /// What the customer says, a line at a time as the trainee asks.
    pub says: Vec<String>,
    /// The triggers that honestly apply.
    pub ticks: Vec<String>,
    /// The truthful answer to each question, by question id.
    pub answers: Vec<(String, String)>,
    pub urgency: Option<Grade>,
    pub impact: Option<Grade>,
    /// Why the right answer is right, in the author's words.
    pub explanation: String,
    /// The level the author meant when writing it (under the playbook of the time).
    pub meant: String,
}

impl FromJson for Scenario {
    fn from_json(v: &Value) -> Read<Scenario> {
        let f = Fields::of(v)?;
        // Written by hand as {"question": "answer"}; written by the app as pairs.
        let mut answers: Vec<(String, String)> = match f.raw("answers") {
            Some(Value::Object(map)) => map
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|a| (k.clone(), a.to_string())))
                .collect(),
            Some(_) => f.get("answers")?,
            None => Vec::new(),
        };
        super::sort::sort(&mut answers);
        let channel: String = f.get_or("channel", || "phone".to_string())?;
        Ok(Scenario {
            id: f.get("id")?,
            title: f.get("title")?,
            customer: f.get_or_default("customer")?,
            contact: f.get_or_default("contact")?,
            channel: Channel::from_key(&channel).unwrap_or_default(),
            product: f.get_or_default("product")?,
            subject: f.get("subject")?,
            description: f.get_or_default("description")?,
            expectation: f.get_or_default("expectation")?,
            steps: f.get_or_default("steps")?,
            vip: f.get_or("vip", || false)?,
            contacts: f.get_or("contacts", || 1)?,
            deadline_hours: f.get_or_default("deadline_hours")?,
            says: f.get_or_default("says")?,
            ticks: f.get_or_default("ticks")?,
            answers,
            urgency: f
                .get_or_default::<Option<String>>("urgency")?
                .and_then(|g| Grade::from_key(&g)),
            impact: f
                .get_or_default::<Option<String>>("impact")?
                .and_then(|g| Grade::from_key(&g)),
            explanation: f.get_or_default("explanation")?,
            meant: f.get_or_default("meant")?,
        })
    }
}

const LIBRARY: &str = include_str!("practice-scenarios.json");

/// The built-in scenarios, written from the situations the seeds describe.
pub fn library() -> Vec<Scenario> {
    super::json::parse(LIBRARY)
        .unwrap_or_else(|e| unreachable!("the built-in scenarios are valid (tested): {e}"))
}

/// A closed real case as a scenario, in one step: its triage decision's ticks and answers
/// are the facts, the customer's name and contact are taken out (as in the lessons digest and a
/// redacted handoff), and what resolved it is the explanation. `None`: the case has no triage
/// decision with its answers kept.
pub fn from_case(case: &Case) -> Option<Scenario> {
    let d = case.decision().filter(|d| d.moved.is_none())?;
    let answers = d.answers.clone()?;
    let scrub = |t: &str| super::learning::scrubbed(case, t.trim());
    let details = &case.details;
    let mut says = vec![scrub(&details.description)];
    if !details.expectation.trim().is_empty() {
        says.push(format!(
            "What I'd like is this: {}",
            scrub(&details.expectation)
        ));
    }
    says.retain(|s| !s.is_empty());
    if says.is_empty() {
        says.push(scrub(&details.subject));
    }
    let resolution = case
        .closeouts
        .last()
        .map(|c| scrub(&c.resolution))
        .unwrap_or_default();
    let mut explanation = format!(
        "The real case went to {}: {}.",
        d.chosen_name,
        d.reasons
            .iter()
            .map(|r| scrub(r))
            .collect::<Vec<_>>()
            .join("; ")
    );
    if !resolution.is_empty() {
        explanation.push_str(&format!(" What resolved it: {resolution}"));
    }
    Some(Scenario {
        id: format!("case-{}", super::letter_case::to_lower(&case.reference)),
        title: scrub(&details.subject),
        customer: "A customer".into(),
        contact: super::handoff::mask_contact(&details.customer.contact),
        channel: details.channel,
        product: details.product.clone(),
        subject: scrub(&details.subject),
        description: scrub(&details.description),
        expectation: scrub(&details.expectation),
        steps: details.steps.iter().map(|s| scrub(&s.action)).collect(),
        vip: details.customer.vip,
        contacts: details.contact_count,
        deadline_hours: None,
        says,
        ticks: d.triggers.clone(),
        answers,
        urgency: d.urgency,
        impact: d.impact,
        explanation,
        meant: d.recommended.clone(),
    })
}

/// The team's own scenarios as a file to hand out.
pub const SCENARIOS_FORMAT: &str = "escalation-desk/scenarios";
struct ScenariosOut<'a> {
    format: &'a str,
    v: u32,
    scenarios: &'a [Scenario],
}

write_fields!(ScenariosOut<'_> { format, v, scenarios });
write_fields!(Scenario {
    id,
    title,
    customer,
    contact,
    channel,
    product,
    subject,
    description,
    expectation,
    steps,
    vip,
    contacts,
    deadline_hours,
    says,
    ticks,
    answers,
    urgency,
    impact,
    explanation,
    meant,
});

pub fn export_scenarios(list: &[Scenario]) -> String {
    super::json::pretty(&ScenariosOut {
        format: SCENARIOS_FORMAT,
        v: 1,
        scenarios: list,
    })
}

/// A scenarios file read back; anything else is refused with why.
pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, String> {
    let v = super::json::parse_value(text).map_err(|e| format!("It isn't JSON: {e}."))?;
    if v.get("format").and_then(Value::as_str) != Some(SCENARIOS_FORMAT) {
        return Err("It isn't a scenarios file (a lead's “Download the team's scenarios”).".into());
    }
    let f = Fields::of(&v).map_err(|e| format!("It can't be read: {e}."))?;
    f.get("scenarios")
        .map_err(|e| format!("It can't be read: {e}."))
}

/// The honest triage of a scenario: its true ticks, and the true answer to each question no
/// ticked trigger already answers (so the path says which trigger did).
pub fn honest(p: &Playbook, s: &Scenario) -> Triage {
    let preanswered = |q: &str| {
        p.question(q)
            .is_some_and(|q| q.preanswers.iter().any(|x| s.ticks.contains(&x.trigger)))
    };
    Triage {
        triggers: s.ticks.clone(),
        suggested: Vec::new(),
        answers: s
            .answers
            .iter()
            .filter(|(q, _)| !preanswered(q))
            .cloned()
            .collect(),
        urgency: s.urgency,
        impact: s.impact,
        playbook: None,
    }
}

/// Where the playbook leads the scenario's facts.
pub fn expected(p: &Playbook, s: &Scenario) -> Walk {
    evaluate(p, &honest(p, s))
}

/// The scenario's expected level moved away from the one its author meant (a playbook
/// change): its author should look at it again.
pub fn moved(p: &Playbook, s: &Scenario) -> bool {
    expected(p, s).level.as_deref() != Some(s.meant.as_str())
}

/// A scenario whose expected result another playbook changes: its title, and the result
/// before and after (level name and priority).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    pub title: String,
    pub was: String,
    pub would: String,
}

/// The scenarios whose expected level or priority `other` would change from `current`'s.
pub fn changed_by(current: &Playbook, other: &Playbook, scenarios: &[Scenario]) -> Vec<Moved> {
    let result = |p: &Playbook, s: &Scenario| {
        let w = expected(p, s);
        let level = w.level.as_deref().and_then(|id| p.level(id)).map_or_else(
            || "no level (a question it has no answer for)".to_string(),
            |l| l.name.clone(),
        );
        format!("{level} ({})", w.priority.label())
    };
    scenarios
        .iter()
        .filter_map(|s| {
            let (was, would) = (result(current, s), result(other, s));
            (was != would).then(|| Moved {
                title: s.title.clone(),
                was,
                would,
            })
        })
        .collect()
}

/// The case the trainee reads, as an agent would see it, from `now`.
pub fn details(s: &Scenario, now: DateTime<Utc>) -> Details {
    Details {
        customer: Customer {
            name: s.customer.clone(),
            contact: s.contact.clone(),
            vip: s.vip,
            ..Customer::default()
        },
        channel: s.channel,
        product: s.product.clone(),
        subject: s.subject.clone(),
        description: s.description.clone(),
        expectation: s.expectation.clone(),
        deadline: s
            .deadline_hours
            .map(|h| now + Duration::hours(i64::from(h))),
        steps: s
            .steps
            .iter()
            .map(|a| Step {
                at: now,
                action: a.clone(),
                outcome: String::new(),
            })
            .collect(),
        contact_count: s.contacts.max(1),
        ..Details::default()
    }
}

/// How the chosen level compares with the expected one, in ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelScore {
    Exact,
    Over(u8),
    Under(u8),
    /// The playbook can't say (a question the scenario has no answer for).
    Unknown,
}

impl LevelScore {
    pub fn words(self) -> String {
        match self {
            LevelScore::Exact => "Right level".into(),
            LevelScore::Over(1) => "Over-escalated by one level".into(),
            LevelScore::Over(n) => format!("Over-escalated by {n} levels"),
            LevelScore::Under(1) => "Under-escalated by one level".into(),
            LevelScore::Under(n) => format!("Under-escalated by {n} levels"),
            LevelScore::Unknown => "No expected level: the scenario needs its author".into(),
        }
    }
}

/// A practice run's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub expected_level: String,
    pub chosen_level: String,
    pub level: LevelScore,
    /// Triggers that applied and were not ticked, and ticked ones that didn't apply (labels).
    pub missed: Vec<String>,
    pub extra: Vec<String>,
    pub expected_priority: Priority,
    pub chosen_priority: Priority,
    /// The expected level's handoff parts the case would still lack (labels).
    pub handoff_missing: Vec<String>,
    /// The two decision paths, each step in words.
    pub expected_path: Vec<String>,
    pub chosen_path: Vec<String>,
    /// 0 to 100: the level half of it, the triggers 30, the priority 20.
    pub points: u32,
}

/// Scores the trainee's triage and chosen level against the scenario under the playbook.
pub fn score(p: &Playbook, s: &Scenario, case: &Case, trainee: &Triage, chosen: &str) -> Score {
    let want = expected(p, s);
    let got = evaluate(p, trainee);
    let rank = |id: &str| p.level(id).map(|l| l.rank);
    let name = |id: Option<&str>| {
        id.and_then(|id| p.level(id))
            .map_or_else(|| "none".to_string(), |l| l.name.clone())
    };
    let level = match (want.level.as_deref().and_then(rank), rank(chosen)) {
        (Some(w), Some(c)) if w == c => LevelScore::Exact,
        (Some(w), Some(c)) if c > w => LevelScore::Over(c - w),
        (Some(w), Some(c)) => LevelScore::Under(w - c),
        _ => LevelScore::Unknown,
    };
    let label = |id: &String| {
        p.trigger(id)
            .map_or_else(|| id.clone(), |t| t.label.clone())
    };
    let missed: Vec<String> = s
        .ticks
        .iter()
        .filter(|t| !trainee.has_trigger(t))
        .map(label)
        .collect();
    let extra: Vec<String> = trainee
        .triggers
        .iter()
        .filter(|t| !s.ticks.contains(t))
        .map(label)
        .collect();
    let handoff_missing = want
        .level
        .as_deref()
        .and_then(|id| p.level(id))
        .map(|l| {
            super::handoff::missing(case, l)
                .into_iter()
                .map(|m| m.field.label().to_string())
                .collect()
        })
        .unwrap_or_default();
    let level_points = match level {
        LevelScore::Exact => 50,
        LevelScore::Over(1) | LevelScore::Under(1) => 20,
        _ => 0,
    };
    let wrong = (missed.len() + extra.len()) as u32;
    let trigger_points = 30u32.saturating_sub(wrong * 30 / (s.ticks.len().max(1) as u32 + 1));
    let priority_points = if want.priority == got.priority { 20 } else { 0 };
    let path = |w: &Walk| -> Vec<String> {
        let mut out: Vec<String> = w.reasons(p).into_iter().collect();
        if let Some(q) = w.pending.as_deref().and_then(|q| p.question(q)) {
            out.push(format!("“{}” not answered", q.text));
        }
        out
    };
    Score {
        expected_level: name(want.level.as_deref()),
        chosen_level: name(Some(chosen)),
        level,
        missed,
        extra,
        expected_priority: want.priority,
        chosen_priority: got.priority,
        handoff_missing,
        // The facts answer the playbook's path, not the trainee.
        expected_path: path(&want)
            .into_iter()
            .map(|x| x.replace("(your answer)", "(the facts)"))
            .collect(),
        chosen_path: path(&got),
        points: level_points + trigger_points + priority_points,
    }
}

/// One practice run, as kept in the trainee's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub scenario: String,
    pub title: String,
    pub at: DateTime<Utc>,
    pub seconds: u64,
    pub points: u32,
    pub expected: String,
    pub chosen: String,
    /// The chosen level's rank minus the expected one's (0: right).
    pub off_by: i32,
}

impl FromJson for Run {
    fn from_json(v: &Value) -> Read<Run> {
        let f = Fields::of(v)?;
        Ok(Run {
            scenario: f.get("scenario")?,
            title: f.get_or_default("title")?,
            at: f.get("at")?,
            seconds: f.get_or("seconds", || 0)?,
            points: f.get("points")?,
            expected: f.get_or_default("expected")?,
            chosen: f.get_or_default("chosen")?,
            off_by: f.get_or("off_by", || 0)?,
        })
    }
}

impl Run {
    pub fn of(s: &Scenario, score: &Score, at: DateTime<Utc>, seconds: u64) -> Run {
        Run {
            scenario: s.id.clone(),
            title: s.title.clone(),
            at,
            seconds,
            points: score.points,
            expected: score.expected_level.clone(),
            chosen: score.chosen_level.clone(),
            off_by: match score.level {
                LevelScore::Over(n) => i32::from(n),
                LevelScore::Under(n) => -i32::from(n),
                _ => 0,
            },
        }
    }
}

/// The file a trainee hands to their lead.
pub const FILE_FORMAT: &str = "escalation-desk/practice";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub trainee: String,
    pub runs: Vec<Run>,
}

impl FromJson for History {
    fn from_json(v: &Value) -> Read<History> {
        let f = Fields::of(v)?;
        Ok(History {
            trainee: f.get_or_default("trainee")?,
            runs: f.get_or_default("runs")?,
        })
    }
}
struct FileOut<'a> {
    format: &'a str,
    v: u32,
    history: &'a History,
}

/// The format and version, then the history's own fields (serde's `flatten`).
impl ToJson for FileOut<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("format", self.format)
            .field("v", &self.v)
            .field("trainee", &self.history.trainee)
            .field("runs", &self.history.runs)
            .end();
    }
}

write_fields!(History { trainee, runs });
write_fields!(Run {
    scenario,
    title,
    at,
    seconds,
    points,
    expected,
    chosen,
    off_by,
});

pub fn export_history(h: &History) -> String {
    super::json::pretty(&FileOut {
        format: FILE_FORMAT,
        v: 1,
        history: h,
    })
}

/// A trainee's file read back; anything else is refused with why.
pub fn parse_history(text: &str) -> Result<History, String> {
    let v = super::json::parse_value(text).map_err(|e| format!("It isn't JSON: {e}."))?;
    if v.get("format").and_then(Value::as_str) != Some(FILE_FORMAT) {
        return Err("It isn't a practice file (a trainee's “Download my results”).".into());
    }
    History::from_json(&v).map_err(|e| format!("It can't be read: {e}."))
}

/// The runs' best score per scenario, and the scenarios not tried yet.
pub fn best(runs: &[Run]) -> HashMap<String, u32> {
    let mut out: HashMap<String, u32> = HashMap::new();
    for r in runs {
        let b = out.entry(r.scenario.clone()).or_insert(0);
        *b = (*b).max(r.points);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::playbook::default_playbook;

    #[test]
    fn every_built_in_scenario_leads_where_its_author_meant() {
        let p = default_playbook();
        let all = library();
        assert!(all.len() >= 12);
        for s in &all {
            let w = expected(&p, s);
            assert_eq!(w.level.as_deref(), Some(s.meant.as_str()), "{}", s.id);
            assert!(!moved(&p, s));
            for t in &s.ticks {
                assert!(p.trigger(t).is_some(), "{}: {t}", s.id);
            }
            assert!(!s.says.is_empty() && !s.explanation.is_empty(), "{}", s.id);
        }
        // Every level of the default playbook, tier 1 included, is practised.
        for l in &p.levels {
            assert!(all.iter().any(|s| s.meant == l.id), "{}", l.id);
        }
    }

    #[test]
    fn a_playbook_change_moves_the_expected_result_and_flags_the_scenario() {
        let mut p = default_playbook();
        let s = library()
            .into_iter()
            .find(|s| s.id == "credit-above-limit")
            .unwrap();
        // The supervisor's Yes now leads to level 2.
        let q = p
            .questions
            .iter_mut()
            .find(|q| q.id == "supervisor")
            .unwrap();
        q.answers[0].next = crate::core::playbook::Next::Level("level2".into());
        assert_eq!(expected(&p, &s).level.as_deref(), Some("level2"));
        assert!(moved(&p, &s));
        let all = library();
        let changed = changed_by(&default_playbook(), &p, &all);
        // Every scenario meant for level 1 moves, and only those.
        let meant_l1 = all.iter().filter(|s| s.meant == "level1").count();
        assert_eq!(changed.len(), meant_l1, "{changed:?}");
        assert!(changed.iter().any(|m| m.title == s.title
            && m.was.starts_with("Level 1")
            && m.would.starts_with("Level 2")));
        assert!(changed_by(&p, &p, &all).is_empty());
    }

    fn case_of(s: &Scenario) -> Case {
        let now = Utc::now();
        Case::open("practice".into(), 1, details(s, now), now)
    }

    #[test]
    fn a_run_is_scored_on_level_triggers_and_priority() {
        let p = default_playbook();
        let s = library()
            .into_iter()
            .find(|s| s.id == "wants-manager")
            .unwrap();
        let case = case_of(&s);
        let right = score(&p, &s, &case, &honest(&p, &s), "level1");
        assert_eq!(right.level, LevelScore::Exact);
        assert_eq!(right.points, 100);
        assert!(right.missed.is_empty() && right.extra.is_empty());

        // Ticking the wrong thing and going two levels too high.
        let mut t = Triage::default().toggled("defect", true);
        t.answers = vec![
            ("critical".into(), "no".into()),
            ("defect".into(), "yes".into()),
        ];
        let wrong = score(&p, &s, &case, &t, "level3");
        assert_eq!(wrong.level, LevelScore::Over(2));
        assert_eq!(
            wrong.missed,
            vec!["Insists on a supervisor or manager".to_string()]
        );
        assert_eq!(wrong.extra, vec!["Suspected defect".to_string()]);
        assert!(wrong.points < 50, "{}", wrong.points);
        assert!(
            wrong.chosen_path.iter().any(|x| x.contains("defect")),
            "{:?}",
            wrong.chosen_path
        );
    }

    #[test]
    fn a_closed_case_becomes_a_scenario_without_the_customer_and_leads_where_it_went() {
        let p = default_playbook();
        let now = Utc::now();
        let mut details = details(&library()[0], now);
        details.customer.name = "Dana Whitfield".into();
        details.customer.contact = "dana@example.com".into();
        details.subject = "Dana Whitfield wants a manager".into();
        details.description = "Dana called twice; dana@example.com has the thread.".into();
        let case = Case::open("c1".into(), 1, details, now);
        assert_eq!(from_case(&case), None);
        let mut t = Triage::default().toggled("demands_supervisor", true);
        t.answers = vec![
            ("critical".into(), "no".into()),
            ("defect".into(), "no".into()),
            ("specialist".into(), "no".into()),
        ];
        let mut started = case.clone();
        started.triage = Some(t);
        let decided =
            crate::core::triage::decide(&started, &p, None, "", now, &|t| t.to_rfc3339()).unwrap();
        let s = from_case(&decided).unwrap();
        let text = crate::core::json::to_string(&s);
        assert!(
            !text.contains("Dana") && !text.contains("dana@example.com"),
            "{text}"
        );
        assert_eq!(expected(&p, &s).level.as_deref(), Some("level1"));
        assert!(!moved(&p, &s));
        // Handed out as a file and read back, answers and all.
        let back = parse_scenarios(&export_scenarios(std::slice::from_ref(&s))).unwrap();
        assert_eq!(back, vec![s]);
        assert!(parse_scenarios("{}").is_err());
    }

    /// What one run reports as missed, the mirror run reports as ticked without reason; one
    /// level too high one way is one level too low the other.
    #[test]
    fn scoring_is_symmetric() {
        let p = default_playbook();
        let all = library();
        let a = all.iter().find(|s| s.id == "wants-manager").unwrap();
        let b = all.iter().find(|s| s.id == "tax-on-invoice").unwrap();
        let ab = score(&p, a, &case_of(a), &honest(&p, b), "level2");
        let ba = score(&p, b, &case_of(b), &honest(&p, a), "level1");
        assert_eq!(ab.level, LevelScore::Over(1));
        assert_eq!(ba.level, LevelScore::Under(1));
        assert_eq!(ab.missed, ba.extra);
        assert_eq!(ab.extra, ba.missed);
        assert_eq!(ab.points, ba.points);
    }

    #[test]
    fn a_history_file_reads_back_and_anything_else_is_refused() {
        let s = &library()[0];
        let p = default_playbook();
        let case = case_of(s);
        let sc = score(&p, s, &case, &honest(&p, s), &s.meant);
        let h = History {
            trainee: "Ana".into(),
            runs: vec![Run::of(s, &sc, Utc::now(), 42)],
        };
        let back = parse_history(&export_history(&h)).unwrap();
        assert_eq!(back.trainee, "Ana");
        assert_eq!(back.runs.len(), 1);
        assert_eq!(back.runs[0].points, 100);
        assert!(parse_history("{}").is_err());
        assert!(parse_history("not json").is_err());
        assert_eq!(best(&back.runs)[&s.id], 100);
    }
}
