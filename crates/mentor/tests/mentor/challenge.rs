//! Curated challenge selection by level, and validation of LLM-generated plans.

use tutti_mentor::llm_assist::parse_generated_challenges;
use tutti_mentor::{
    HobbyId, Level, challenge_by_id, challenges_for, curated_challenges, level_window,
};

fn id(s: &str) -> HobbyId {
    HobbyId::parse(s).expect("taxonomy id")
}

#[test]
fn each_level_gets_its_window_ordered_by_difficulty() {
    for hobby in HobbyId::all() {
        let Some(all) = curated_challenges(hobby) else {
            continue;
        };
        for level in [Level::Beginner, Level::Intermediate, Level::Advanced] {
            let (start, end) = level_window(all.len(), level);
            let window: Vec<&str> = all[start..end].iter().map(|c| c.id.as_str()).collect();
            let picked = challenges_for(hobby, level, 3);
            assert_eq!(picked.len(), 3.min(end - start), "{hobby} {level:?}");
            assert!(
                picked.iter().all(|c| window.contains(&c.id.as_str())),
                "{hobby} {level:?}: outside its window"
            );
            assert!(
                picked
                    .windows(2)
                    .all(|w| w[0].difficulty <= w[1].difficulty),
                "{hobby} {level:?}: not ordered"
            );
            assert_eq!(
                picked[0].id, all[start].id,
                "{hobby} {level:?}: starts at the window's easiest"
            );
        }
        let beginner = challenges_for(hobby, Level::Beginner, 1);
        assert_eq!(
            beginner[0].id, all[0].id,
            "{hobby}: beginners start with the easiest challenge"
        );
        let advanced = challenges_for(hobby, Level::Advanced, 100);
        assert_eq!(
            advanced.last().map(|c| &c.id),
            all.last().map(|c| &c.id),
            "{hobby}: advanced reaches the hardest"
        );
    }
}

#[test]
fn ten_challenges_split_as_forty_thirty_to_seventy_sixty_to_hundred_percent() {
    let guitar = curated_challenges(id("guitar")).expect("guitar list");
    let yoga = curated_challenges(id("yoga")).expect("yoga list");
    assert_eq!(yoga.len(), 10);
    let ids = |level, n| {
        challenges_for(id("yoga"), level, n)
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    let nth = |i: usize| yoga[i].id.clone();
    assert_eq!(
        ids(Level::Beginner, 10),
        (0..4).map(nth).collect::<Vec<_>>(),
        "beginner: challenges 1–4 of 10"
    );
    assert_eq!(
        ids(Level::Intermediate, 10),
        (3..7).map(nth).collect::<Vec<_>>(),
        "intermediate: 4–7 of 10"
    );
    assert_eq!(
        ids(Level::Advanced, 10),
        (6..10).map(nth).collect::<Vec<_>>(),
        "advanced: 7–10 of 10"
    );
    assert_eq!(
        ids(Level::Intermediate, 2),
        vec![nth(3), nth(4)],
        "the first n of the window"
    );
    assert!(challenges_for(id("guitar"), Level::Advanced, 0).is_empty());
    assert!(guitar.len() >= 10);
}

#[test]
fn hobbies_without_curated_plans_get_none() {
    assert!(curated_challenges(id("flute")).is_none());
    assert!(
        challenges_for(id("flute"), Level::Beginner, 3).is_empty(),
        "the LLM generates plans for these"
    );
}

#[test]
fn challenges_are_found_by_id() {
    let first = &curated_challenges(id("baking")).expect("baking")[0];
    assert_eq!(challenge_by_id(&first.id), Some(first));
    assert!(challenge_by_id("no-such-challenge").is_none());
}

const GOOD_PLAN: &str = r#"{"challenges": [
  {"difficulty": 3, "title": {"ko": "파도 타기", "en": "Catch a wave"},
   "steps": [{"ko": "패들링", "en": "Paddle"}, {"ko": "일어서기", "en": "Pop up"}],
   "materials": [], "tools": [{"ko": "서프보드", "en": "Surfboard"}],
   "method": {"ko": "작은 파도에서", "en": "On small waves"}, "minutes": 60},
  {"difficulty": 1, "title": {"ko": "모래 위 팝업", "en": "Pop-ups on sand"},
   "steps": [{"ko": "엎드리기", "en": "Lie down"}, {"ko": "한 번에 일어서기", "en": "Jump up in one move"}],
   "materials": [], "tools": [{"ko": "수건", "en": "Towel"}],
   "method": {"ko": "20번 반복", "en": "Repeat 20 times"}, "minutes": 15}
]}"#;

#[test]
fn generated_plans_are_validated_sorted_and_given_ids() {
    let plans =
        parse_generated_challenges("room7-surfing", GOOD_PLAN).expect("a valid reply is accepted");
    assert_eq!(plans.len(), 2);
    assert_eq!(
        plans[0].title.en, "Pop-ups on sand",
        "ordered by difficulty"
    );
    assert_eq!(plans[0].id, "room7-surfing-1");
    assert_eq!(plans[1].id, "room7-surfing-2");
}

#[test]
fn malformed_generated_plans_are_rejected() {
    let broken = [
        (
            "missing English",
            GOOD_PLAN.replacen(r#""en": "Paddle""#, r#""en": """#, 1),
        ),
        (
            "one step",
            GOOD_PLAN.replacen(r#", {"ko": "일어서기", "en": "Pop up"}"#, "", 1),
        ),
        (
            "no tools",
            GOOD_PLAN.replacen(r#"[{"ko": "서프보드", "en": "Surfboard"}]"#, "[]", 1),
        ),
        (
            "zero minutes",
            GOOD_PLAN.replacen(r#""minutes": 60"#, r#""minutes": 0"#, 1),
        ),
        (
            "difficulty 11",
            GOOD_PLAN.replacen(r#""difficulty": 3"#, r#""difficulty": 11"#, 1),
        ),
        (
            "unknown field",
            GOOD_PLAN.replacen(r#""minutes": 15"#, r#""minutes": 15, "price": 3"#, 1),
        ),
        ("no challenges", r#"{"challenges": []}"#.to_owned()),
        ("not JSON", "Sure! Here are some challenges:".to_owned()),
    ];
    for (what, reply) in broken {
        assert_ne!(reply, GOOD_PLAN, "{what}: the test edit did not apply");
        assert!(
            parse_generated_challenges("x", &reply).is_err(),
            "{what} must be rejected"
        );
    }
}
