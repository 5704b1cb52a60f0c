//! The offline flow: greeting → hobby → level test → challenges → progress,
//! with no AI provider configured, and resuming it after a restart.

use tutti_core::Tutti;
use tutti_core::dto::{Language, SettingsPatch};
use tutti_core::mentor::dto::{MentorCard, MentorLevel, MentorStage, MessageRole};

use super::support::{GUITAR, answer_key, room_at_challenge_count, room_at_level_test};

const GREETING: &str = "안녕하세요! 저는 Tutti AI 멘토예요. 무엇을 배우고 싶으신가요?";

#[tokio::test]
async fn the_whole_offline_flow_from_greeting_to_challenge_progress() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    assert!(
        !app.llm_settings_get().unwrap().configured,
        "no AI provider in this test"
    );

    let created = app.mentor_room_create().unwrap();
    let room = created.room.id.clone();
    assert_eq!(created.room.stage, MentorStage::AwaitingHobby);
    assert_eq!(created.messages.len(), 1);
    assert_eq!(
        created.messages[0].text, GREETING,
        "the mentor greets first"
    );
    assert_eq!(created.messages[0].role, MessageRole::Mentor);

    // The learner names the hobby: stored, retitled, test offered.
    let turn = app.mentor_send(&room, GUITAR).unwrap();
    assert_eq!(turn.room.title, "기타 AI 멘토");
    assert_eq!(turn.room.hobby.as_deref(), Some("guitar"));
    assert_eq!(turn.room.hobby_mention.as_deref(), Some("기타"));
    assert_eq!(turn.room.stage, MentorStage::LevelTest);
    assert_eq!(
        turn.messages.len(),
        2,
        "the learner's message and the mentor's offer"
    );
    assert_eq!(turn.messages[0].text, GUITAR);
    assert!(matches!(
        &turn.messages[1].card,
        Some(MentorCard::LevelTestOffer { hobby, question_count: 5 }) if hobby == "guitar"
    ));

    // Five questions, without the answer key.
    let test = app.level_test_get(&room).unwrap();
    assert_eq!(test.questions.len(), 5);
    assert!(test.questions.iter().all(|q| q.options.len() == 4));
    let wire = serde_json::to_string(&test).unwrap();
    assert!(
        !wire.contains("\"answer\"") && !wire.contains("explanation"),
        "the learner's copy carries no answers: {wire}"
    );
    let again = app.level_test_get(&room).unwrap();
    assert_eq!(again, test, "the drawn test stays until it is submitted");

    // All five right: advanced.
    let key = answer_key(dir.path(), &room);
    let result = app.level_test_submit(&room, &key).unwrap();
    assert_eq!((result.score, result.total), (5, 5));
    assert_eq!(result.level, MentorLevel::Advanced);
    assert!(result.marks.iter().all(|m| m.correct));
    assert_eq!(result.turn.room.stage, MentorStage::AwaitingChallengeCount);
    assert_eq!(result.turn.room.level, Some(MentorLevel::Advanced));
    assert!(
        result.turn.messages[0].text.contains("고급"),
        "{}",
        result.turn.messages[0].text
    );
    assert!(matches!(
        result.turn.messages[0].card,
        Some(MentorCard::LevelResult {
            score: 5,
            total: 5,
            level: MentorLevel::Advanced
        })
    ));
    assert!(matches!(
        result.turn.messages[1].card,
        Some(MentorCard::ChallengeCountPrompt { min: 1, max: 10 })
    ));

    // Three curated challenges, easiest first.
    let given = app.challenges_generate(&room, 3).await.unwrap();
    assert_eq!(given.challenges.len(), 3);
    let difficulties: Vec<u32> = given.challenges.iter().map(|c| c.difficulty).collect();
    assert!(
        difficulties.is_sorted(),
        "ordered by difficulty: {difficulties:?}"
    );
    assert!(
        difficulties.iter().all(|&d| d >= 5),
        "an advanced learner gets the hard end of the list: {difficulties:?}"
    );
    assert_eq!(given.turn.room.stage, MentorStage::FreeConversation);
    assert!(matches!(
        given.turn.messages[0].card,
        Some(MentorCard::ChallengesReady { count: 3 })
    ));

    // One challenge in full; tick a step and mark it done.
    let detail = app.challenge_get(&room, 1).unwrap();
    assert_eq!(detail.id, given.challenges[1].id);
    assert!(detail.steps.len() >= 2 && !detail.tools.is_empty() && detail.minutes >= 5);
    assert!(!detail.method.ko.is_empty() && !detail.method.en.is_empty());
    assert!(detail.steps.iter().all(|s| !s.done) && !detail.done);
    let ticked = app.challenge_step_set(&room, 1, 1, true).unwrap();
    assert_eq!(
        ticked.steps.iter().map(|s| s.done).collect::<Vec<_>>()[..2],
        [false, true]
    );
    let done = app.challenge_done_set(&room, 1, true).unwrap();
    assert!(done.done && done.done_at.is_some());

    let detail = app.mentor_room(&room).unwrap();
    assert_eq!(detail.challenges[1].steps_done, 1);
    assert!(detail.challenges[1].done && !detail.challenges[0].done);
    let ids: Vec<i64> = detail.messages.iter().map(|m| m.id).collect();
    assert!(ids.is_sorted(), "history in order");
    assert_eq!(detail.messages.len(), 1 + 2 + 2 + 1);

    let rooms = app.mentor_rooms().unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].title, "기타 AI 멘토");
    assert_eq!(rooms[0].level, Some(MentorLevel::Advanced));
    assert_eq!(
        rooms[0].last_message.as_deref(),
        Some(given.turn.messages[0].text.as_str())
    );
}

#[tokio::test]
async fn a_restart_mid_flow_resumes_at_the_same_stage() {
    let dir = tempfile::tempdir().unwrap();
    let (room, questions) = {
        let app = Tutti::open(dir.path()).unwrap();
        let room = room_at_level_test(&app);
        let questions = app.level_test_get(&room).unwrap();
        (room, questions)
    };
    let key = {
        let app = Tutti::open(dir.path()).unwrap();
        let detail = app.mentor_room(&room).unwrap();
        assert_eq!(
            detail.room.stage,
            MentorStage::LevelTest,
            "still at the level test"
        );
        assert_eq!(detail.room.title, "기타 AI 멘토");
        assert_eq!(
            app.level_test_get(&room).unwrap(),
            questions,
            "the same questions after a restart"
        );
        let key = answer_key(dir.path(), &room);
        // Two right: intermediate.
        let answers: Vec<u32> = key
            .iter()
            .enumerate()
            .map(|(i, &a)| if i < 2 { a } else { (a + 1) % 4 })
            .collect();
        assert_eq!(
            app.level_test_submit(&room, &answers).unwrap().level,
            MentorLevel::Intermediate
        );
        key
    };
    assert_eq!(key.len(), 5);
    {
        let app = Tutti::open(dir.path()).unwrap();
        let detail = app.mentor_room(&room).unwrap();
        assert_eq!(detail.room.stage, MentorStage::AwaitingChallengeCount);
        assert_eq!(detail.room.level, Some(MentorLevel::Intermediate));
        app.challenges_generate(&room, 2).await.unwrap();
        app.challenge_step_set(&room, 0, 0, true).unwrap();
    }
    let app = Tutti::open(dir.path()).unwrap();
    let detail = app.mentor_room(&room).unwrap();
    assert_eq!(detail.room.stage, MentorStage::FreeConversation);
    assert_eq!(detail.challenges.len(), 2);
    assert_eq!(
        detail.challenges[0].steps_done, 1,
        "progress survives the restart"
    );
}

#[test]
fn the_mentor_asks_again_until_a_hobby_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = app.mentor_room_create().unwrap().room.id;
    let turn = app.mentor_send(&room, "글쎄요, 뭐가 좋을까요?").unwrap();
    assert_eq!(turn.room.stage, MentorStage::AwaitingHobby);
    assert_eq!(turn.room.title, "AI 멘토", "no hobby, no new title");
    assert_eq!(turn.room.hobby, None);
    assert!(
        turn.messages[1].text.contains("배우고 싶은 취미"),
        "{}",
        turn.messages[1].text
    );
    let turn = app.mentor_send(&room, "요리 말고 베이킹이요").unwrap();
    assert_eq!(turn.room.hobby.as_deref(), Some("baking"));
    assert_eq!(turn.room.title, "베이킹 AI 멘토");
}

#[test]
fn english_settings_get_an_english_mentor_and_english_hobbies_are_understood() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    app.settings_update(SettingsPatch {
        language: Some(Language::En),
        ..Default::default()
    })
    .unwrap();
    let created = app.mentor_room_create().unwrap();
    assert_eq!(
        created.messages[0].text,
        "Hello! I'm Tutti's AI mentor. What would you like to learn?"
    );
    let turn = app
        .mentor_send(&created.room.id, "I'd love to learn the piano")
        .unwrap();
    assert_eq!(turn.room.title, "piano AI mentor");
    assert_eq!(turn.room.hobby.as_deref(), Some("piano"));
}

#[test]
fn a_hobby_without_a_question_bank_skips_the_test_at_beginner_level() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = app.mentor_room_create().unwrap().room.id;
    let turn = app.mentor_send(&room, "마술을 배우고 싶어요").unwrap();
    assert_eq!(turn.room.hobby.as_deref(), Some("other"));
    assert_eq!(turn.room.hobby_mention.as_deref(), Some("마술"));
    assert_eq!(turn.room.title, "마술 AI 멘토");
    assert_eq!(turn.room.stage, MentorStage::AwaitingChallengeCount);
    assert_eq!(turn.room.level, Some(MentorLevel::Beginner));
}

#[test]
fn rooms_are_listed_most_recently_active_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let first = app.mentor_room_create().unwrap().room.id;
    let second = app.mentor_room_create().unwrap().room.id;
    let ids: Vec<String> = app
        .mentor_rooms()
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [second.clone(), first.clone()], "newest first");
    std::thread::sleep(std::time::Duration::from_millis(5));
    app.mentor_send(&first, GUITAR).unwrap();
    let ids: Vec<String> = app
        .mentor_rooms()
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        ids,
        [first, second],
        "a new message brings a room to the top"
    );
}

#[test]
fn the_scripted_mentor_points_at_the_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_at_level_test(&app);
    let turn = app.mentor_send(&room, "테스트는 나중에 할래요").unwrap();
    assert_eq!(
        turn.room.stage,
        MentorStage::LevelTest,
        "writing does not skip the test"
    );
    assert!(matches!(
        turn.messages[1].card,
        Some(MentorCard::LevelTestOffer { .. })
    ));

    let room = room_at_challenge_count(&app, dir.path(), 0);
    let turn = app.mentor_send(&room, "음").unwrap();
    assert_eq!(turn.room.level, Some(MentorLevel::Beginner));
    assert!(matches!(
        turn.messages[1].card,
        Some(MentorCard::ChallengeCountPrompt { .. })
    ));
}
