//! Property tests of the evaluator on random valid playbooks and random answers: it always
//! terminates, a finished walk always explains itself, and the same input gives the same output.
#![cfg(not(target_arch = "wasm32"))]

use escalation_desk::core::playbook::{
    default_playbook, validate, Answer, Next, Playbook, Preanswer, Question,
};
use escalation_desk::core::triage::{evaluate, Source, Triage};
use proptest::prelude::*;

/// A random tree: question i's answers lead to a later question or to a level, and the first
/// answer of each question leads to the next one, so every question is reachable.
fn playbook_strategy() -> impl Strategy<Value = Playbook> {
    (1usize..8)
        .prop_flat_map(|n| {
            let answers = prop::collection::vec(
                prop::collection::vec((any::<bool>(), 0usize..16, 0usize..5), 1..4),
                n,
            );
            let pre =
                prop::collection::vec(prop::collection::vec((0usize..24, 0usize..3), 0..3), n);
            (Just(n), answers, pre)
        })
        .prop_map(|(n, answers, pre)| {
            let mut p = default_playbook();
            let triggers: Vec<String> = p
                .groups
                .iter()
                .flat_map(|g| g.triggers.iter().map(|t| t.id.clone()))
                .collect();
            let level_ids: Vec<String> = p.levels.iter().map(|l| l.id.clone()).collect();
            p.questions = (0..n)
                .map(|i| {
                    let mut list: Vec<Answer> = answers[i]
                        .iter()
                        .enumerate()
                        .map(|(k, (to_question, q, l))| {
                            let later = n - i - 1;
                            let next = if *to_question && later > 0 {
                                Next::Question(format!("q{}", i + 1 + q % later))
                            } else {
                                Next::Level(level_ids[*l].clone())
                            };
                            Answer {
                                id: format!("a{k}"),
                                label: format!("Answer {k}"),
                                next,
                            }
                        })
                        .collect();
                    if i + 1 < n {
                        list[0].next = Next::Question(format!("q{}", i + 1));
                    }
                    let preanswers = pre[i]
                        .iter()
                        .map(|(t, a)| Preanswer {
                            trigger: triggers[t % triggers.len()].clone(),
                            answer: format!("a{}", a % list.len()),
                        })
                        .collect();
                    Question {
                        id: format!("q{i}"),
                        text: format!("Question {i}?"),
                        help: String::new(),
                        answers: list,
                        preanswers,
                    }
                })
                .collect();
            p.start = "q0".into();
            // Keep only levels some answer reaches, so the playbook is valid.
            let reached: Vec<String> = p
                .questions
                .iter()
                .flat_map(|q| q.answers.iter())
                .filter_map(|a| match &a.next {
                    Next::Level(l) => Some(l.clone()),
                    Next::Question(_) => None,
                })
                .collect();
            p.levels.retain(|l| reached.contains(&l.id));
            p
        })
}

fn triage_strategy() -> impl Strategy<Value = Triage> {
    (
        prop::collection::vec(0usize..24, 0..6),
        prop::collection::vec((0usize..8, 0usize..3), 0..10),
    )
        .prop_map(|(triggers, answers)| {
            let p = default_playbook();
            let ids: Vec<String> = p
                .groups
                .iter()
                .flat_map(|g| g.triggers.iter().map(|t| t.id.clone()))
                .collect();
            let mut t = Triage::default();
            for i in triggers {
                t = t.toggled(&ids[i % ids.len()], true);
            }
            for (q, a) in answers {
                t = t.answered(&format!("q{q}"), &format!("a{a}"));
            }
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_walk_terminates_explains_itself_and_is_deterministic(
        p in playbook_strategy(),
        t in triage_strategy(),
    ) {
        prop_assert_eq!(validate(&p), vec![]);
        let walk = evaluate(&p, &t);
        prop_assert_eq!(&walk, &evaluate(&p, &t));
        prop_assert!(walk.path.len() <= p.questions.len());
        prop_assert!(walk.pending.is_some() != walk.level.is_some());
        if let Some(level) = &walk.level {
            prop_assert!(p.level(level).is_some());
            let last = walk.path.last().expect("a level is reached through at least one answer");
            let q = p.question(&last.question).unwrap();
            let a = q.answers.iter().find(|a| a.id == last.answer).unwrap();
            prop_assert_eq!(&a.next, &Next::Level(level.clone()));
            prop_assert_eq!(walk.reasons(&p).len(), walk.path.len() + 2);
        }
        for step in &walk.path {
            if let Source::Trigger(trigger) = &step.source {
                prop_assert!(t.has_trigger(trigger));
            }
        }
    }

    #[test]
    fn answering_every_question_always_reaches_a_level(
        p in playbook_strategy(),
        picks in prop::collection::vec(0usize..3, 8),
    ) {
        let mut t = Triage::default();
        for (i, q) in p.questions.iter().enumerate() {
            t = t.answered(&q.id, &q.answers[picks[i] % q.answers.len()].id);
        }
        prop_assert!(evaluate(&p, &t).level.is_some());
    }

    #[test]
    fn the_walk_terminates_on_broken_playbooks_too(
        p in playbook_strategy(),
        t in triage_strategy(),
        from in 0usize..8,
        to in 0usize..8,
    ) {
        // Add a backward edge: a loop the validator refuses, which the walk must survive.
        let mut p = p;
        let n = p.questions.len();
        let target = format!("q{}", to % n);
        p.questions[from % n].answers[0].next = Next::Question(target);
        let walk = evaluate(&p, &t);
        prop_assert!(walk.path.len() <= n);
    }
}
