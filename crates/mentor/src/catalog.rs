//! Validation of everything this crate ships as data, for tests and start-up checks.

use serde::{Deserialize, Serialize};

use crate::challenge::load_challenges;
use crate::error::MentorError;
use crate::extraction::{conflicting_forms, lexicon_size};
use crate::level::load_banks;
use crate::taxonomy::HobbyId;

/// Counts of the shipped data, after validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogSummary {
    /// Canonical hobby ids.
    pub taxonomy_hobbies: usize,
    /// Compiled extraction patterns (Korean and English, inflections included).
    pub lexicon_patterns: usize,
    /// Hobbies with a level-test bank.
    pub level_banks: usize,
    /// Questions over all banks.
    pub questions: usize,
    /// Banks with a performance melody.
    pub performance_parts: usize,
    /// Hobbies with curated challenges.
    pub challenge_lists: usize,
    /// Challenges over all lists.
    pub challenges: usize,
}

/// Parses and validates every shipped data file from scratch and returns what it holds.
pub fn validate_catalog() -> Result<CatalogSummary, MentorError> {
    let conflicts = conflicting_forms()?;
    if let Some(first) = conflicts.first() {
        return Err(MentorError::invalid(
            "lexicon",
            first.clone(),
            "form listed with two meanings",
        ));
    }
    let banks = load_banks()?;
    let challenges = load_challenges()?;
    for hobby in banks.keys() {
        if !challenges.contains_key(hobby) {
            return Err(MentorError::invalid(
                "catalog",
                hobby.as_str(),
                "has a level bank but no challenges",
            ));
        }
    }
    Ok(CatalogSummary {
        taxonomy_hobbies: HobbyId::all().count(),
        lexicon_patterns: lexicon_size(),
        level_banks: banks.len(),
        questions: banks.values().map(|b| b.questions.len()).sum(),
        performance_parts: banks.values().filter(|b| b.performance.is_some()).count(),
        challenge_lists: challenges.len(),
        challenges: challenges.values().map(Vec::len).sum(),
    })
}
