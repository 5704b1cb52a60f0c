//! Drawing a 5-question level test from a bank and grading it.
//!
//! A drawn [`LevelTest`] carries its questions *with* the answer key so the core can store it with
//! the room and grade it later even if the bank changes; show the learner [`LevelTest::for_learner`].
//! Level rule: 0–1 correct → beginner, 2–3 → intermediate, 4–5 → advanced.

use serde::{Deserialize, Serialize};

use crate::error::MentorError;
use crate::level::{Question, level_bank};
use crate::performance::PerformancePart;
use crate::taxonomy::HobbyId;
use crate::text::{Lang, Text};

/// Questions in one level test.
pub const TEST_LENGTH: usize = 5;

/// The learner's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// 초급: 0–1 correct.
    Beginner,
    /// 중급: 2–3 correct.
    Intermediate,
    /// 고급: 4–5 correct.
    Advanced,
}

impl Level {
    /// The level for a number of correct answers out of [`TEST_LENGTH`].
    pub fn from_score(correct: usize) -> Self {
        match correct {
            0..=1 => Self::Beginner,
            2..=3 => Self::Intermediate,
            _ => Self::Advanced,
        }
    }

    /// "초급" / "beginner", …
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Beginner, Lang::Ko) => "초급",
            (Self::Intermediate, Lang::Ko) => "중급",
            (Self::Advanced, Lang::Ko) => "고급",
            (Self::Beginner, Lang::En) => "beginner",
            (Self::Intermediate, Lang::En) => "intermediate",
            (Self::Advanced, Lang::En) => "advanced",
        }
    }
}

/// A drawn test, answer key included: store this with the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelTest {
    /// The hobby tested.
    pub hobby: HobbyId,
    /// The seed it was drawn with (same seed, same bank → same test).
    pub seed: u64,
    /// Five questions, easiest first, options shuffled, `answer` remapped accordingly.
    pub questions: Vec<Question>,
    /// Melody to play or sing, for instruments and voice.
    pub performance: Option<PerformancePart>,
}

/// A question as the learner sees it: no answer key, no explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionView {
    /// Question id.
    pub id: String,
    /// 1 ..= 3.
    pub difficulty: u8,
    /// The question.
    pub prompt: Text,
    /// The options, in the order answers refer to.
    pub options: Vec<Text>,
}

/// A level test as the learner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelTestView {
    /// The hobby tested.
    pub hobby: HobbyId,
    /// The questions without their answers.
    pub questions: Vec<QuestionView>,
    /// Melody to play or sing, for instruments and voice.
    pub performance: Option<PerformancePart>,
}

/// How one answer was marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerMark {
    /// Question id.
    pub question_id: String,
    /// Option the learner chose.
    pub chosen: usize,
    /// The correct option.
    pub answer: usize,
    /// Whether they match.
    pub correct: bool,
    /// Why the answer is right.
    pub explanation: Text,
}

/// The graded test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelResult {
    /// Correct answers, 0 ..= 5.
    pub score: u8,
    /// Questions in the test.
    pub total: u8,
    /// Level from the written part (see the module doc).
    pub level: Level,
    /// Per-question marks, in test order.
    pub marks: Vec<AnswerMark>,
    /// The performance part's accuracy 0.0 ..= 1.0 once the audio grader has scored a take.
    pub performance_accuracy: Option<f32>,
}

impl LevelResult {
    /// Records the audio grader's accuracy for the performance part. The level stays the written
    /// part's (the rule is defined on the 5 answers); the UI shows both.
    pub fn with_performance(mut self, accuracy: f32) -> Result<Self, MentorError> {
        if !(0.0..=1.0).contains(&accuracy) {
            return Err(MentorError::PerformanceAccuracy(accuracy));
        }
        self.performance_accuracy = Some(accuracy);
        Ok(self)
    }
}

/// SplitMix64: tiny, seedable, good enough to draw questions.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Shuffles a question's options and remaps its answer.
fn shuffled(q: &Question, rng: &mut Rng) -> Question {
    let mut order: Vec<usize> = (0..q.options.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut out = q.clone();
    out.options = order.iter().map(|&i| q.options[i].clone()).collect();
    out.answer = order
        .iter()
        .position(|&i| i == q.answer)
        .unwrap_or(q.answer);
    out
}

/// Draws 5 distinct questions for `hobby`, one from each fifth of the difficulty-ordered bank, so
/// every test spans easy to hard. Deterministic for a given seed.
pub fn draw_test(hobby: HobbyId, seed: u64) -> Result<LevelTest, MentorError> {
    let bank =
        level_bank(hobby).ok_or_else(|| MentorError::NoLevelBank(hobby.as_str().to_owned()))?;
    let mut ordered: Vec<&Question> = bank.questions.iter().collect();
    ordered.sort_by(|a, b| {
        a.difficulty
            .cmp(&b.difficulty)
            .then_with(|| a.id.cmp(&b.id))
    });
    let n = ordered.len();
    let mut rng = Rng(seed);
    let questions = (0..TEST_LENGTH)
        .map(|k| {
            let (lo, hi) = (k * n / TEST_LENGTH, (k + 1) * n / TEST_LENGTH);
            shuffled(ordered[lo + rng.below(hi - lo)], &mut rng)
        })
        .collect();
    Ok(LevelTest {
        hobby,
        seed,
        questions,
        performance: bank.performance.clone(),
    })
}

impl LevelTest {
    /// The test without answer keys, for the UI.
    pub fn for_learner(&self) -> LevelTestView {
        LevelTestView {
            hobby: self.hobby,
            questions: self
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    difficulty: q.difficulty,
                    prompt: q.prompt.clone(),
                    options: q.options.clone(),
                })
                .collect(),
            performance: self.performance.clone(),
        }
    }
}

/// Grades `answers` (one option index per question, in test order).
pub fn grade_test(test: &LevelTest, answers: &[usize]) -> Result<LevelResult, MentorError> {
    if answers.len() != test.questions.len() {
        return Err(MentorError::AnswerCount {
            expected: test.questions.len(),
            got: answers.len(),
        });
    }
    for (i, (&chosen, q)) in answers.iter().zip(&test.questions).enumerate() {
        if chosen >= q.options.len() {
            return Err(MentorError::AnswerOutOfRange {
                question: i,
                index: chosen,
                options: q.options.len(),
            });
        }
    }
    let marks: Vec<AnswerMark> = answers
        .iter()
        .zip(&test.questions)
        .map(|(&chosen, q)| AnswerMark {
            question_id: q.id.clone(),
            chosen,
            answer: q.answer,
            correct: chosen == q.answer,
            explanation: q.explanation.clone(),
        })
        .collect();
    let score = marks.iter().filter(|m| m.correct).count();
    Ok(LevelResult {
        score: u8::try_from(score).unwrap_or(u8::MAX),
        total: u8::try_from(marks.len()).unwrap_or(u8::MAX),
        level: Level::from_score(score),
        marks,
        performance_accuracy: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_rule_matches_the_issue() {
        let levels: Vec<Level> = (0..=5).map(Level::from_score).collect();
        use Level::*;
        assert_eq!(
            levels,
            [
                Beginner,
                Beginner,
                Intermediate,
                Intermediate,
                Advanced,
                Advanced
            ]
        );
        assert_eq!(Advanced.label(Lang::Ko), "고급");
    }

    #[test]
    fn rng_is_deterministic_and_spreads() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        let xs: Vec<usize> = (0..50).map(|_| a.below(4)).collect();
        let ys: Vec<usize> = (0..50).map(|_| b.below(4)).collect();
        assert_eq!(xs, ys);
        for v in 0..4 {
            assert!(xs.contains(&v), "value {v} never drawn in 50 tries");
        }
    }
}
