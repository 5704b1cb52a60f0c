//! Mentor recommendation, as pure code over stored surveys: which mentors fit a
//! mentee, how well, and why (reasons in Korean and English).
//!
//! A mentor is a candidate only when the hobby is the same, the mentor's level
//! is above the mentee's (a mentor teaches at or below their own level), the
//! mentor has free capacity and, when the mentor states a preferred mentee
//! gender, the mentee has it. Candidates are scored out of 100:
//! same hobby 15, level fit 30 (1–2 levels above) or 15 (further above), same
//! location 25, same age group 15 or an adjacent one 7, preferred gender met
//! 10, same activity level 5. Ties go to the mentor with more free places,
//! then to the lower user id, so the order is deterministic.

use serde::{Deserialize, Serialize};

use crate::storage::{MentorEntry, SurveyRecord};

/// Why a mentor was recommended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// Stable code for the UI, e.g. `same_location`.
    pub code: String,
    /// Korean text.
    pub ko: String,
    /// English text.
    pub en: String,
}

fn reason(code: &str, ko: &str, en: &str) -> Reason {
    Reason {
        code: code.to_owned(),
        ko: ko.to_owned(),
        en: en.to_owned(),
    }
}

/// A scored candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub mentor: MentorEntry,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// How many mentors a mentee is shown.
pub const RECOMMENDATIONS: usize = 3;

const AGE_GROUPS: [&str; 6] = ["under_20", "20s", "30s", "40s", "50s", "60_plus"];

fn age_index(group: &str) -> Option<usize> {
    AGE_GROUPS.iter().position(|g| *g == group)
}

/// Locations compare case-insensitively with runs of spaces collapsed.
fn same_place(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// The score and reasons of one mentor for one mentee, or `None` when the
/// mentor is not a candidate.
pub fn score(mentee: &SurveyRecord, mentor: &MentorEntry) -> Option<(u32, Vec<Reason>)> {
    let m = &mentor.survey;
    if m.role != "mentor" || m.user_id == mentee.user_id || m.hobby != mentee.hobby {
        return None;
    }
    if m.level <= mentee.level {
        return None;
    }
    if mentor.accepted_count >= m.capacity.unwrap_or(0) {
        return None;
    }
    if m.preferred_mentee_gender
        .as_deref()
        .is_some_and(|g| g != mentee.gender)
    {
        return None;
    }
    let mut total = 15;
    let mut reasons = vec![reason("same_hobby", "같은 취미", "Same hobby")];
    if m.level - mentee.level <= 2 {
        total += 30;
        reasons.push(reason(
            "level_fit",
            "수준 차이가 알맞음 (1–2단계 위)",
            "A good level fit (1–2 levels above you)",
        ));
    } else {
        total += 15;
        reasons.push(reason(
            "level_far_above",
            "훨씬 높은 수준의 멘토",
            "Far more experienced than you",
        ));
    }
    if same_place(&m.location, &mentee.location) {
        total += 25;
        reasons.push(reason("same_location", "같은 지역", "Same area"));
    }
    match (age_index(&m.age_group), age_index(&mentee.age_group)) {
        (Some(a), Some(b)) if a == b => {
            total += 15;
            reasons.push(reason("same_age_group", "같은 연령대", "Same age group"));
        }
        (Some(a), Some(b)) if a.abs_diff(b) == 1 => {
            total += 7;
            reasons.push(reason(
                "similar_age_group",
                "비슷한 연령대",
                "Similar age group",
            ));
        }
        _ => {}
    }
    if m.preferred_mentee_gender.is_some() {
        total += 10;
        reasons.push(reason(
            "gender_preference_met",
            "멘토가 선호하는 멘티 성별과 일치",
            "Matches the mentor's preferred mentee gender",
        ));
    }
    if m.activity_level == mentee.activity_level {
        total += 5;
        reasons.push(reason(
            "same_activity_level",
            "활동 수준이 같음",
            "Same activity level",
        ));
    }
    Some((total, reasons))
}

/// The best [`RECOMMENDATIONS`] mentors for `mentee`, best first, skipping
/// those in `exclude` (e.g. mentors already requested).
pub fn recommend(
    mentee: &SurveyRecord,
    mentors: &[MentorEntry],
    exclude: &[String],
) -> Vec<Recommendation> {
    let mut scored: Vec<Recommendation> = mentors
        .iter()
        .filter(|m| !exclude.contains(&m.survey.user_id))
        .filter_map(|m| {
            score(mentee, m).map(|(score, reasons)| Recommendation {
                mentor: m.clone(),
                score,
                reasons,
            })
        })
        .collect();
    let free = |r: &Recommendation| r.mentor.survey.capacity.unwrap_or(0) - r.mentor.accepted_count;
    scored.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| free(b).cmp(&free(a)))
            .then_with(|| a.mentor.survey.user_id.cmp(&b.mentor.survey.user_id))
    });
    scored.truncate(RECOMMENDATIONS);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(id: &str, role: &str, level: i64, location: &str, age: &str) -> SurveyRecord {
        SurveyRecord {
            user_id: id.into(),
            role: role.into(),
            hobby: "piano".into(),
            gender: "female".into(),
            age_group: age.into(),
            location: location.into(),
            activity_level: "medium".into(),
            level,
            capacity: (role == "mentor").then_some(2),
            preferred_mentee_gender: None,
            updated_at: 0,
        }
    }

    fn mentor(id: &str, level: i64, location: &str, age: &str) -> MentorEntry {
        MentorEntry {
            survey: survey(id, "mentor", level, location, age),
            name: id.into(),
            accepted_count: 0,
        }
    }

    fn codes(r: &Recommendation) -> Vec<&str> {
        r.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn a_mentor_must_be_above_the_mentee_and_share_the_hobby() {
        let mentee = survey("me", "mentee", 3, "서울", "20s");
        assert!(score(&mentee, &mentor("same", 3, "서울", "20s")).is_none());
        assert!(score(&mentee, &mentor("below", 2, "서울", "20s")).is_none());
        let mut other = mentor("other", 5, "서울", "20s");
        other.survey.hobby = "cooking".into();
        assert!(score(&mentee, &other).is_none());
        assert!(score(&mentee, &mentor("above", 4, "서울", "20s")).is_some());
    }

    #[test]
    fn full_mentors_and_unmet_gender_preferences_are_skipped() {
        let mentee = survey("me", "mentee", 0, "서울", "20s");
        let mut full = mentor("full", 2, "서울", "20s");
        full.accepted_count = 2;
        assert!(score(&mentee, &full).is_none());
        let mut picky = mentor("picky", 2, "서울", "20s");
        picky.survey.preferred_mentee_gender = Some("male".into());
        assert!(score(&mentee, &picky).is_none());
        picky.survey.preferred_mentee_gender = Some("female".into());
        let (_, reasons) = score(&mentee, &picky).unwrap();
        assert!(reasons.iter().any(|r| r.code == "gender_preference_met"));
    }

    #[test]
    fn the_best_fit_comes_first_with_its_reasons() {
        let mentee = survey("me", "mentee", 1, "Seoul", "20s");
        let mentors = [
            mentor("far", 5, "Busan", "50s"),
            mentor("near", 2, " seoul ", "20s"),
            mentor("adjacent", 3, "Seoul", "30s"),
            mentor("remote", 2, "Jeju", "20s"),
        ];
        let recs = recommend(&mentee, &mentors, &[]);
        let order: Vec<&str> = recs.iter().map(|r| r.mentor.name.as_str()).collect();
        assert_eq!(
            order,
            ["near", "adjacent", "remote"],
            "top 3 only, best first"
        );
        assert_eq!(recs[0].score, 15 + 30 + 25 + 15 + 5);
        assert_eq!(
            codes(&recs[0]),
            [
                "same_hobby",
                "level_fit",
                "same_location",
                "same_age_group",
                "same_activity_level"
            ]
        );
        assert!(codes(&recs[1]).contains(&"similar_age_group"));
        assert!(recs.iter().all(|r| {
            r.reasons
                .iter()
                .all(|x| !x.ko.is_empty() && !x.en.is_empty())
        }));
    }

    #[test]
    fn ties_go_to_more_free_places_then_id() {
        let mentee = survey("me", "mentee", 1, "서울", "20s");
        let mut busy = mentor("a-busy", 2, "서울", "20s");
        busy.accepted_count = 1;
        let recs = recommend(
            &mentee,
            &[
                busy,
                mentor("c", 2, "서울", "20s"),
                mentor("b", 2, "서울", "20s"),
            ],
            &[],
        );
        let order: Vec<&str> = recs.iter().map(|r| r.mentor.name.as_str()).collect();
        assert_eq!(order, ["b", "c", "a-busy"]);
    }

    #[test]
    fn excluded_mentors_are_not_recommended() {
        let mentee = survey("me", "mentee", 1, "서울", "20s");
        let recs = recommend(&mentee, &[mentor("x", 2, "서울", "20s")], &["x".to_owned()]);
        assert!(recs.is_empty());
    }
}
