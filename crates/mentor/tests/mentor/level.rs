//! Level tests: drawing, the learner's view, grading, the level rule and the performance hook.

use std::collections::HashSet;

use tutti_mentor::{
    HobbyId, Level, LevelTest, MentorError, PerformanceKind, TEST_LENGTH, draw_test, grade_test,
    level_bank, level_test_hobbies,
};

fn id(s: &str) -> HobbyId {
    HobbyId::parse(s).expect("taxonomy id")
}

/// Answers that get exactly `k` questions right (the first `k`).
fn answers_with(test: &LevelTest, k: usize) -> Vec<usize> {
    test.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            if i < k {
                q.answer
            } else {
                (q.answer + 1) % q.options.len()
            }
        })
        .collect()
}

#[test]
fn draws_five_distinct_questions_spanning_easy_to_hard() {
    for hobby in level_test_hobbies() {
        let bank = level_bank(hobby).expect("bank");
        let easiest = bank
            .questions
            .iter()
            .map(|q| q.difficulty)
            .min()
            .expect("non-empty");
        let hardest = bank
            .questions
            .iter()
            .map(|q| q.difficulty)
            .max()
            .expect("non-empty");
        for seed in 0..40 {
            let test = draw_test(hobby, seed).expect("draws");
            assert_eq!(test.questions.len(), TEST_LENGTH);
            let ids: HashSet<&str> = test.questions.iter().map(|q| q.id.as_str()).collect();
            assert_eq!(
                ids.len(),
                TEST_LENGTH,
                "{hobby} seed {seed}: repeated question"
            );
            assert!(
                test.questions
                    .windows(2)
                    .all(|w| w[0].difficulty <= w[1].difficulty),
                "{hobby}: easiest first"
            );
            assert_eq!(
                test.questions[0].difficulty, easiest,
                "{hobby} seed {seed}: no easy question"
            );
            assert_eq!(
                test.questions[4].difficulty, hardest,
                "{hobby} seed {seed}: no hard question"
            );
        }
    }
}

#[test]
fn same_seed_same_test_and_seeds_vary_the_draw() {
    let guitar = id("guitar");
    assert_eq!(
        draw_test(guitar, 42).expect("draw"),
        draw_test(guitar, 42).expect("draw")
    );
    let distinct: HashSet<Vec<String>> = (0..30)
        .map(|s| {
            draw_test(guitar, s)
                .expect("draw")
                .questions
                .iter()
                .map(|q| q.id.clone())
                .collect()
        })
        .collect();
    assert!(
        distinct.len() > 5,
        "30 seeds gave only {} different tests",
        distinct.len()
    );
}

#[test]
fn shuffled_options_keep_the_right_answer() {
    for hobby in level_test_hobbies() {
        let bank = level_bank(hobby).expect("bank");
        for seed in 0..20 {
            for q in draw_test(hobby, seed).expect("draw").questions {
                let original = bank
                    .questions
                    .iter()
                    .find(|b| b.id == q.id)
                    .expect("question comes from the bank");
                assert_eq!(
                    q.options[q.answer], original.options[original.answer],
                    "{}: key lost in shuffling",
                    q.id
                );
                let mut a: Vec<&str> = q.options.iter().map(|o| o.en.as_str()).collect();
                let mut b: Vec<&str> = original.options.iter().map(|o| o.en.as_str()).collect();
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "{}: options changed, not just reordered", q.id);
            }
        }
    }
}

#[test]
fn level_follows_the_number_of_correct_answers() {
    let test = draw_test(id("piano"), 7).expect("draw");
    let expected = [
        Level::Beginner,
        Level::Beginner,
        Level::Intermediate,
        Level::Intermediate,
        Level::Advanced,
        Level::Advanced,
    ];
    for (k, want) in expected.into_iter().enumerate() {
        let result = grade_test(&test, &answers_with(&test, k)).expect("valid answers");
        assert_eq!(usize::from(result.score), k);
        assert_eq!(result.total, 5);
        assert_eq!(result.level, want, "{k} correct");
        assert_eq!(result.marks.iter().filter(|m| m.correct).count(), k);
        assert!(
            result.marks.iter().all(|m| !m.explanation.en.is_empty()),
            "every mark explains the answer"
        );
    }
}

#[test]
fn wrong_answer_count_or_index_is_a_clear_error() {
    let test = draw_test(id("yoga"), 1).expect("draw");
    match grade_test(&test, &[0, 1, 2, 3]) {
        Err(MentorError::AnswerCount {
            expected: 5,
            got: 4,
        }) => {}
        other => panic!("4 answers should be an AnswerCount error, got {other:?}"),
    }
    assert!(matches!(
        grade_test(&test, &[0; 6]),
        Err(MentorError::AnswerCount {
            expected: 5,
            got: 6
        })
    ));
    match grade_test(&test, &[0, 1, 4, 0, 0]) {
        Err(
            e @ MentorError::AnswerOutOfRange {
                question: 2,
                index: 4,
                options: 4,
            },
        ) => {
            assert!(
                e.to_string().contains("option 4"),
                "message names the bad option: {e}"
            );
        }
        other => panic!("index 4 should be out of range, got {other:?}"),
    }
}

#[test]
fn learner_view_hides_the_answer_key() {
    let test = draw_test(id("chess"), 3).expect("draw");
    let view = serde_json::to_value(test.for_learner()).expect("serialises");
    let text = view.to_string();
    assert!(
        !text.contains("\"answer\"") && !text.contains("\"explanation\""),
        "answer key leaked: {text}"
    );
    assert_eq!(view["questions"].as_array().map(Vec::len), Some(5));
    assert!(
        view["questions"][0]["options"][0]["ko"].is_string(),
        "options carry both languages"
    );
}

#[test]
fn stored_test_round_trips_through_json() {
    let test = draw_test(id("korean_cooking"), 99).expect("draw");
    let json = serde_json::to_string(&test).expect("serialises");
    let back: LevelTest = serde_json::from_str(&json).expect("parses");
    assert_eq!(
        back, test,
        "the core stores the drawn test with the room and grades it later"
    );
    assert!(json.contains("\"hobby\":\"korean_cooking\""));
}

#[test]
fn instruments_and_voice_get_a_performance_part_that_plugs_in() {
    for hobby in level_test_hobbies() {
        let test = draw_test(hobby, 5).expect("draw");
        assert_eq!(
            test.performance.is_some(),
            hobby.info().kind.is_musical(),
            "{hobby}"
        );
        if let Some(p) = &test.performance {
            assert!(
                p.duration_secs() > 5.0 && p.duration_secs() < 60.0,
                "{hobby}: {}s melody",
                p.duration_secs()
            );
            let expect_kind = if hobby.as_str() == "drums" {
                PerformanceKind::Percussion
            } else {
                PerformanceKind::Pitched
            };
            assert_eq!(p.kind, expect_kind, "{hobby}");
        }
    }
    let singing = draw_test(id("singing"), 0).expect("draw");
    assert!(
        singing.performance.as_ref().is_some_and(|p| p.octave_free),
        "voices may sing an octave off"
    );
    let result = grade_test(&singing, &answers_with(&singing, 3)).expect("graded");
    let with = result
        .clone()
        .with_performance(0.8)
        .expect("0.8 is a valid accuracy");
    assert_eq!(with.performance_accuracy, Some(0.8));
    assert_eq!(with.level, result.level, "the written part sets the level");
    assert!(matches!(
        result.clone().with_performance(1.5),
        Err(MentorError::PerformanceAccuracy(_))
    ));
    assert!(result.with_performance(f32::NAN).is_err());
}

#[test]
fn hobbies_without_a_bank_get_a_clear_error() {
    match draw_test(id("flute"), 0) {
        Err(e @ MentorError::NoLevelBank(_)) => assert!(e.to_string().contains("flute")),
        other => panic!("flute has no bank yet, got {other:?}"),
    }
}
