//! The level test of a room: drawn once from the hobby's question bank with a
//! stored seed (so a restart shows the same questions), graded against the
//! stored answer key.

use tutti_mentor::{HobbyId, LevelTest, MentorError, draw_test, grade_test};

use super::dto::{
    LevelMark, LevelPerformancePart, LevelQuestion, LevelTestResult, LevelTestView, LocalText,
    MentorStage, MentorTurn, PerformanceKind,
};
use super::flow;
use crate::store::mentor::{Expect, RoomChange};
use crate::{Error, Result, Tutti};

const TAKE: Expect = Expect {
    stage: MentorStage::LevelTest,
    action: "take the level test",
};

impl Tutti {
    /// The room's level test (5 questions, no answer key). Drawn on first
    /// call; later calls return the same test until it is submitted.
    pub fn level_test_get(&self, room_id: &str) -> Result<LevelTestView> {
        let mut store = self.store();
        let room = store.mentor_room_required(room_id)?;
        check(&room.stage, TAKE)?;
        let test = match store.open_level_test(room_id)? {
            Some((_, json)) => parse_test(room_id, &json)?,
            None => {
                let hobby = room_hobby(room_id, room.hobby.as_deref())?;
                let seed = uuid::Uuid::new_v4().as_u64_pair().0;
                let drawn = draw_test(hobby, seed).map_err(|e| corrupt(room_id, &e))?;
                let json = serde_json::to_string(&drawn).expect("a level test is JSON");
                let (_, stored) =
                    store.insert_level_test(room_id, TAKE, hobby.as_str(), seed, &json)?;
                parse_test(room_id, &stored)?
            }
        };
        Ok(view(room_id, &test))
    }

    /// Grades `answers` (one option index per question, in order), stores the
    /// score and level, and the mentor tells the result and asks how many
    /// challenges to give. Wrong count or an index out of range changes
    /// nothing.
    pub fn level_test_submit(&self, room_id: &str, answers: &[u32]) -> Result<LevelTestResult> {
        let lang = self.mentor_lang()?;
        let mut store = self.store();
        let room = store.mentor_room_required(room_id)?;
        check(&room.stage, TAKE)?;
        let (test_id, json) = store.open_level_test(room_id)?.ok_or(Error::WrongStage {
            action: "submit answers before the test is drawn (call level_test_get first)",
            stage: "level_test",
        })?;
        let test = parse_test(room_id, &json)?;
        let answers: Vec<usize> = answers.iter().map(|&a| a as usize).collect();
        let result = grade_test(&test, &answers).map_err(|e| match e {
            MentorError::AnswerCount { .. } | MentorError::AnswerOutOfRange { .. } => {
                Error::invalid("answers", e.to_string())
            }
            other => corrupt(room_id, &other),
        })?;
        let level = flow::mentor_level(result.level);
        let score = u32::from(result.score);
        let total = u32::from(result.total);
        let name = test.hobby.name(lang);
        let change = RoomChange {
            stage: Some(MentorStage::AwaitingChallengeCount),
            level: Some(level),
            ..Default::default()
        };
        let messages = flow::after_level_test(score, total, level, name, lang);
        let answers_json = serde_json::to_string(&answers).expect("indexes are JSON");
        let added = store.submit_level_test(
            room_id,
            TAKE,
            test_id,
            &answers_json,
            score,
            level,
            &change,
            &messages,
        )?;
        tracing::info!(room = %room_id, score, "level test graded");
        Ok(LevelTestResult {
            score,
            total,
            level,
            marks: result
                .marks
                .into_iter()
                .map(|m| LevelMark {
                    question_id: m.question_id,
                    chosen: m.chosen as u32,
                    answer: m.answer as u32,
                    correct: m.correct,
                    explanation: local(&m.explanation),
                })
                .collect(),
            turn: MentorTurn {
                room: store.mentor_room_required(room_id)?,
                messages: added,
            },
        })
    }
}

fn check(stage: &MentorStage, expect: Expect) -> Result<()> {
    if *stage == expect.stage {
        Ok(())
    } else {
        Err(Error::WrongStage {
            action: expect.action,
            stage: crate::store::mentor::stage_to_sql(*stage),
        })
    }
}

fn room_hobby(room_id: &str, hobby: Option<&str>) -> Result<HobbyId> {
    hobby
        .and_then(|h| HobbyId::parse(h).ok())
        .ok_or_else(|| Error::CorruptRecord {
            what: "AI mentor room",
            id: room_id.to_owned(),
            reason: format!("stage level_test needs a known hobby, has {hobby:?}"),
        })
}

pub(super) fn parse_test(room_id: &str, json: &str) -> Result<LevelTest> {
    serde_json::from_str(json).map_err(|e| Error::CorruptRecord {
        what: "level test of room",
        id: room_id.to_owned(),
        reason: e.to_string(),
    })
}

pub(super) fn corrupt(room_id: &str, e: &MentorError) -> Error {
    Error::CorruptRecord {
        what: "level test of room",
        id: room_id.to_owned(),
        reason: e.to_string(),
    }
}

pub(crate) fn local(text: &tutti_mentor::Text) -> LocalText {
    LocalText {
        ko: text.ko.clone(),
        en: text.en.clone(),
    }
}

fn view(room_id: &str, test: &LevelTest) -> LevelTestView {
    let view = test.for_learner();
    LevelTestView {
        room_id: room_id.to_owned(),
        hobby: view.hobby.as_str().to_owned(),
        questions: view
            .questions
            .iter()
            .map(|q| LevelQuestion {
                id: q.id.clone(),
                difficulty: u32::from(q.difficulty),
                prompt: local(&q.prompt),
                options: q.options.iter().map(local).collect(),
            })
            .collect(),
        performance: view.performance.as_ref().map(|p| LevelPerformancePart {
            title: local(&p.title),
            instruction: local(&p.instruction),
            kind: match p.kind {
                tutti_mentor::PerformanceKind::Pitched => PerformanceKind::Pitched,
                tutti_mentor::PerformanceKind::Percussion => PerformanceKind::Percussion,
            },
            tempo_bpm: u32::from(p.tempo_bpm),
            note_count: p.notes.len() as u32,
        }),
    }
}
