//! The sync server's JSON shapes (snake_case) and their conversion to the
//! IPC types of [`super::dto`].

use serde::{Deserialize, Serialize};

use super::dto;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Survey {
    pub role: String,
    pub hobby: String,
    pub gender: String,
    pub age_group: String,
    pub location: String,
    pub activity_level: String,
    pub level: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mentee_gender: Option<String>,
}

impl From<Survey> for dto::Survey {
    fn from(s: Survey) -> Self {
        Self {
            role: s.role,
            hobby: s.hobby,
            gender: s.gender,
            age_group: s.age_group,
            location: s.location,
            activity_level: s.activity_level,
            level: s.level,
            capacity: s.capacity,
            preferred_mentee_gender: s.preferred_mentee_gender,
        }
    }
}

impl From<dto::Survey> for Survey {
    fn from(s: dto::Survey) -> Self {
        Self {
            role: s.role,
            hobby: s.hobby,
            gender: s.gender,
            age_group: s.age_group,
            location: s.location,
            activity_level: s.activity_level,
            level: s.level,
            capacity: s.capacity,
            preferred_mentee_gender: s.preferred_mentee_gender,
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct MentorListing {
    pub user_id: String,
    pub name: String,
    pub hobby: String,
    pub gender: String,
    pub age_group: String,
    pub location: String,
    pub activity_level: String,
    pub level: u8,
    pub capacity: u32,
    pub accepted_count: u32,
    pub available: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Reason {
    pub code: String,
    pub ko: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Recommendation {
    pub mentor: MentorListing,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Recommendations {
    pub recommendations: Vec<Recommendation>,
}

impl From<Recommendation> for dto::Recommendation {
    fn from(r: Recommendation) -> Self {
        let m = r.mentor;
        Self {
            mentor: dto::MentorListing {
                user_id: m.user_id,
                name: m.name,
                hobby: m.hobby,
                gender: m.gender,
                age_group: m.age_group,
                location: m.location,
                activity_level: m.activity_level,
                level: m.level,
                capacity: m.capacity,
                accepted_count: m.accepted_count,
                available: m.available,
            },
            score: r.score,
            reasons: r
                .reasons
                .into_iter()
                .map(|x| dto::MatchReason {
                    code: x.code,
                    ko: x.ko,
                    en: x.en,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Match {
    pub id: String,
    pub mentor_id: String,
    pub mentor_name: String,
    pub mentee_id: String,
    pub mentee_name: String,
    pub hobby: String,
    pub status: String,
    pub my_role: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct MatchList {
    pub matches: Vec<Match>,
}

impl From<Match> for dto::Match {
    fn from(m: Match) -> Self {
        Self {
            id: m.id,
            mentor_id: m.mentor_id,
            mentor_name: m.mentor_name,
            mentee_id: m.mentee_id,
            mentee_name: m.mentee_name,
            hobby: m.hobby,
            status: m.status,
            my_role: m.my_role,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}
