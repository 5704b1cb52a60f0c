//! The mentor flow as pure code: what the mentor says at each stage and how a
//! learner's message moves a room on. No SQL, no HTTP — [`super::room`] applies
//! the [`Step`] this module decides in one store transaction.
//!
//! ```text
//! awaiting_hobby ──hobby named──▶ level_test ──submitted──▶ awaiting_challenge_count
//!      │  (none: ask again)            (no question bank: level assumed beginner) ──▶
//!      ▼                                                       ──challenges given──▶ free_conversation
//! ```

use tutti_mentor::{Extraction, HobbyLabel, Lang, Level, TEST_LENGTH, extract_hobby, level_bank};

use super::dto::{MentorCard, MentorLevel, MentorStage, MessageRole};
use crate::dto::Language;
use crate::store::mentor::{NewMessage, RoomChange};

/// Fewest and most challenges a learner may ask for.
pub const CHALLENGES_MIN: u32 = 1;
pub const CHALLENGES_MAX: u32 = 10;

/// The mentor's language for a UI language.
pub(crate) fn lang(language: Language) -> Lang {
    match language {
        Language::Ko => Lang::Ko,
        Language::En => Lang::En,
    }
}

pub(crate) fn level_of(level: MentorLevel) -> Level {
    match level {
        MentorLevel::Beginner => Level::Beginner,
        MentorLevel::Intermediate => Level::Intermediate,
        MentorLevel::Advanced => Level::Advanced,
    }
}

pub(crate) fn mentor_level(level: Level) -> MentorLevel {
    match level {
        Level::Beginner => MentorLevel::Beginner,
        Level::Intermediate => MentorLevel::Intermediate,
        Level::Advanced => MentorLevel::Advanced,
    }
}

/// A new room's title, until the hobby is known.
pub(crate) fn initial_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "AI 멘토",
        Lang::En => "AI mentor",
    }
}

pub(crate) fn greeting(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "안녕하세요! 저는 Tutti AI 멘토예요. 무엇을 배우고 싶으신가요?",
        Lang::En => "Hello! I'm Tutti's AI mentor. What would you like to learn?",
    }
}

/// What one learner action does to a room: the change and the messages to
/// append (the learner's own first, when there is one).
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub change: RoomChange,
    pub messages: Vec<NewMessage>,
}

pub(crate) fn mentor_says(text: impl Into<String>, card: Option<MentorCard>) -> NewMessage {
    NewMessage {
        role: MessageRole::Mentor,
        text: text.into(),
        card,
        model: None,
    }
}

pub(crate) fn learner_says(text: &str) -> NewMessage {
    NewMessage {
        role: MessageRole::Learner,
        text: text.to_owned(),
        card: None,
        model: None,
    }
}

/// The mentor's answer to a learner's message in the offline flow (`hobby` is
/// the room's hobby id, once known). `None` at
/// [`MentorStage::FreeConversation`]: that needs the LLM.
pub(crate) fn on_learner_text(
    stage: MentorStage,
    hobby: Option<&str>,
    text: &str,
    lang: Lang,
) -> Option<Step> {
    let mut step = match stage {
        MentorStage::AwaitingHobby => on_hobby_answer(&extract_hobby(text), lang),
        MentorStage::LevelTest => Step {
            change: RoomChange::default(),
            messages: vec![mentor_says(
                match lang {
                    Lang::Ko => "먼저 레벨 테스트를 볼까요? 아래 버튼을 누르면 5문제가 나와요.",
                    Lang::En => {
                        "Let's take the level test first: the button below opens its 5 questions."
                    }
                },
                // The offer again, so its button is right below the reminder.
                hobby.map(|hobby| MentorCard::LevelTestOffer {
                    hobby: hobby.to_owned(),
                    question_count: TEST_LENGTH as u32,
                }),
            )],
        },
        MentorStage::AwaitingChallengeCount => Step {
            change: RoomChange::default(),
            messages: vec![count_prompt(lang)],
        },
        MentorStage::FreeConversation => return None,
    };
    step.messages.insert(0, learner_says(text));
    Some(step)
}

fn on_hobby_answer(extraction: &Extraction, lang: Lang) -> Step {
    let (Some(label), Some(name), Some(title)) = (
        extraction.hobby,
        extraction.display_name(lang),
        extraction.room_title(lang),
    ) else {
        return Step {
            change: RoomChange::default(),
            messages: vec![mentor_says(ask_again(lang), None)],
        };
    };
    let hobby = (label.as_str().to_owned(), extraction.mention.clone());
    let has_test = matches!(label, HobbyLabel::Known(id) if level_bank(id).is_some());
    if has_test {
        let text = match lang {
            Lang::Ko => format!(
                "좋아요, {name}{} 함께 배워 봐요! 먼저 {TEST_LENGTH}문제짜리 레벨 테스트로 지금 실력을 알아볼까요?",
                object_particle(&name)
            ),
            Lang::En => format!(
                "Great, let's learn {name} together! First, shall we find your level with a {TEST_LENGTH}-question test?"
            ),
        };
        return Step {
            change: RoomChange {
                stage: Some(MentorStage::LevelTest),
                title: Some(title),
                hobby: Some(hobby),
                level: None,
            },
            messages: vec![mentor_says(
                text,
                Some(MentorCard::LevelTestOffer {
                    hobby: label.as_str().to_owned(),
                    question_count: TEST_LENGTH as u32,
                }),
            )],
        };
    }
    let text = match lang {
        Lang::Ko => format!(
            "좋아요, {name}{} 함께 배워 봐요! {name}에는 아직 레벨 테스트가 없어서 초급부터 시작할게요.",
            object_particle(&name)
        ),
        Lang::En => format!(
            "Great, let's learn {name} together! There is no level test for {name} yet, so we'll start at beginner level."
        ),
    };
    Step {
        change: RoomChange {
            stage: Some(MentorStage::AwaitingChallengeCount),
            title: Some(title),
            hobby: Some(hobby),
            level: Some(MentorLevel::Beginner),
        },
        messages: vec![mentor_says(text, None), count_prompt(lang)],
    }
}

fn ask_again(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => {
            "어떤 걸 배우고 싶으신지 잘 모르겠어요. 배우고 싶은 취미를 알려 주세요. 예: 기타, 피아노, 요리, 그림"
        }
        Lang::En => {
            "I couldn't tell what you'd like to learn. Please name the hobby, e.g. guitar, piano, cooking or drawing."
        }
    }
}

/// "How many challenges?" with its picker.
pub(crate) fn count_prompt(lang: Lang) -> NewMessage {
    let text = match lang {
        Lang::Ko => format!("도전 과제를 몇 개 받아 볼까요? ({CHALLENGES_MIN}~{CHALLENGES_MAX}개)"),
        Lang::En => {
            format!("How many challenges would you like? ({CHALLENGES_MIN}–{CHALLENGES_MAX})")
        }
    };
    mentor_says(
        text,
        Some(MentorCard::ChallengeCountPrompt {
            min: CHALLENGES_MIN,
            max: CHALLENGES_MAX,
        }),
    )
}

/// The level test's result, then the count prompt.
pub(crate) fn after_level_test(
    score: u32,
    total: u32,
    level: MentorLevel,
    hobby_name: &str,
    lang: Lang,
) -> Vec<NewMessage> {
    let label = level_of(level).label(lang);
    let text = match lang {
        Lang::Ko => {
            format!("{total}문제 중 {score}문제를 맞혔어요. {hobby_name} 레벨은 {label}이에요.")
        }
        Lang::En => {
            format!("You got {score} of {total} right. Your {hobby_name} level is {label}.")
        }
    };
    vec![
        mentor_says(
            text,
            Some(MentorCard::LevelResult {
                score,
                total,
                level,
            }),
        ),
        count_prompt(lang),
    ]
}

/// The mentor's line when a graded take is added to the level test.
pub(crate) fn after_performance(
    percent: u32,
    part_title: &str,
    level: Option<MentorLevel>,
    lang: Lang,
) -> NewMessage {
    let cheer = match (percent, lang) {
        (80.., Lang::Ko) => "훌륭해요!",
        (50..80, Lang::Ko) => "잘했어요!",
        (_, Lang::Ko) => "천천히 다시 연습하면 금방 늘어요.",
        (80.., Lang::En) => "Excellent!",
        (50..80, Lang::En) => "Well done!",
        (_, Lang::En) => "Practise it slowly and it will come quickly.",
    };
    let text = match (lang, level) {
        (Lang::Ko, Some(level)) => format!(
            "연주 파트 「{part_title}」 정확도는 {percent}%예요. {cheer} 레벨은 필기 테스트로 정한 {} 그대로예요.",
            level_of(level).label(lang)
        ),
        (Lang::Ko, None) => format!("연주 파트 「{part_title}」 정확도는 {percent}%예요. {cheer}"),
        (Lang::En, Some(level)) => format!(
            "Your performance of \"{part_title}\" was {percent}% accurate. {cheer} Your level stays {} from the written part.",
            level_of(level).label(lang)
        ),
        (Lang::En, None) => {
            format!("Your performance of \"{part_title}\" was {percent}% accurate. {cheer}")
        }
    };
    mentor_says(text, None)
}

/// Announces the challenges just given.
pub(crate) fn challenges_ready(
    count: u32,
    asked: u32,
    level: MentorLevel,
    hobby_name: &str,
    lang: Lang,
) -> NewMessage {
    let label = level_of(level).label(lang);
    let text = match lang {
        Lang::Ko => {
            let fewer = if count < asked {
                format!(" 지금 레벨에 맞는 과제는 {count}개라서 {count}개만 골랐어요.")
            } else {
                String::new()
            };
            format!(
                "{hobby_name} {label} 도전 과제 {count}개를 준비했어요.{fewer} 과제를 열어 단계를 하나씩 체크해 보세요. 이제 궁금한 건 무엇이든 물어보세요."
            )
        }
        Lang::En => {
            let fewer = if count < asked {
                format!(" Only {count} fit your level right now, so you get {count}.")
            } else {
                String::new()
            };
            format!(
                "I've prepared {count} {label} {hobby_name} challenges.{fewer} Open one and tick its steps as you go. Ask me anything from here on."
            )
        }
    };
    mentor_says(text, Some(MentorCard::ChallengesReady { count }))
}

/// 을 after a final consonant, 를 after a vowel; 을(를) when it cannot tell.
pub(crate) fn object_particle(word: &str) -> &'static str {
    match word.trim().chars().last() {
        Some(c @ '가'..='힣') => {
            if (u32::from(c) - 0xAC00) % 28 == 0 {
                "를"
            } else {
                "을"
            }
        }
        _ => "을(를)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_follow_the_final_consonant() {
        assert_eq!(object_particle("기타"), "를");
        assert_eq!(object_particle("요가"), "를");
        assert_eq!(object_particle("한식 요리"), "를");
        assert_eq!(object_particle("베이킹"), "을");
        assert_eq!(object_particle("사진"), "을");
        assert_eq!(object_particle("K-pop"), "을(를)");
    }

    #[test]
    fn a_named_hobby_with_a_bank_offers_the_test_and_retitles() {
        let step = on_learner_text(
            MentorStage::AwaitingHobby,
            None,
            "기타를 배우고 싶어요",
            Lang::Ko,
        )
        .expect("the offline flow answers");
        assert_eq!(step.change.title.as_deref(), Some("기타 AI 멘토"));
        assert_eq!(step.change.stage, Some(MentorStage::LevelTest));
        assert_eq!(
            step.messages.len(),
            2,
            "the learner's message and the offer"
        );
        assert_eq!(step.messages[0].role, MessageRole::Learner);
        assert!(matches!(
            step.messages[1].card,
            Some(MentorCard::LevelTestOffer { ref hobby, question_count: 5 }) if hobby == "guitar"
        ));
        assert!(
            step.messages[1].text.contains("기타를"),
            "{}",
            step.messages[1].text
        );
    }

    #[test]
    fn english_works_too() {
        let step = on_learner_text(
            MentorStage::AwaitingHobby,
            None,
            "I want to learn the piano",
            Lang::En,
        )
        .unwrap();
        assert_eq!(step.change.title.as_deref(), Some("piano AI mentor"));
        assert_eq!(
            step.change.hobby.as_ref().map(|h| h.0.as_str()),
            Some("piano")
        );
    }

    #[test]
    fn no_hobby_means_ask_again_and_no_change() {
        let step = on_learner_text(
            MentorStage::AwaitingHobby,
            None,
            "음… 잘 모르겠어요",
            Lang::Ko,
        )
        .unwrap();
        assert!(step.change.stage.is_none() && step.change.hobby.is_none());
        assert_eq!(step.messages.len(), 2);
        assert!(step.messages[1].text.contains("배우고 싶은 취미"));
    }

    #[test]
    fn an_unlisted_hobby_skips_the_test_at_beginner_level() {
        let step = on_learner_text(
            MentorStage::AwaitingHobby,
            None,
            "마술을 배우고 싶어요",
            Lang::Ko,
        )
        .unwrap();
        assert_eq!(
            step.change.hobby.as_ref().map(|h| h.0.as_str()),
            Some("other")
        );
        assert_eq!(step.change.stage, Some(MentorStage::AwaitingChallengeCount));
        assert_eq!(step.change.level, Some(MentorLevel::Beginner));
        assert!(matches!(
            step.messages.last().and_then(|m| m.card.clone()),
            Some(MentorCard::ChallengeCountPrompt { min: 1, max: 10 })
        ));
    }

    #[test]
    fn free_conversation_is_not_the_offline_flow() {
        assert!(
            on_learner_text(
                MentorStage::FreeConversation,
                Some("guitar"),
                "안녕",
                Lang::Ko
            )
            .is_none()
        );
    }
}
