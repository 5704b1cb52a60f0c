//! The canonical hobby ids (`data/taxonomy.json`, a copy of `eval/hobby/taxonomy.json`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::MentorError;
use crate::text::Lang;

const TAXONOMY_JSON: &str = include_str!("../data/taxonomy.json");

/// What kind of hobby an id is; instruments and voice get a performance part in level tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HobbyKind {
    /// A musical instrument.
    Instrument,
    /// Singing.
    Voice,
    /// Cooking and baking.
    Cooking,
    /// Drawing, painting, photography, lettering.
    Visual,
    /// Hand crafts and gardening.
    Craft,
    /// Sports and movement.
    Fitness,
    /// Board games.
    Game,
    /// Programming.
    Tech,
}

impl HobbyKind {
    /// Whether the level test for this kind includes a performance part.
    pub fn is_musical(self) -> bool {
        matches!(self, Self::Instrument | Self::Voice)
    }
}

/// One taxonomy entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HobbyInfo {
    /// Korean display name, e.g. "기타".
    pub ko: String,
    /// English display name, e.g. "guitar".
    pub en: String,
    /// Kind of hobby.
    pub kind: HobbyKind,
}

#[derive(Deserialize)]
struct TaxonomyFile {
    hobbies: BTreeMap<String, HobbyInfo>,
}

static TAXONOMY: LazyLock<BTreeMap<String, HobbyInfo>> = LazyLock::new(|| {
    // The file is embedded at compile time and covered by tests, so a parse failure is a build defect.
    match serde_json::from_str::<TaxonomyFile>(TAXONOMY_JSON) {
        Ok(file) => file.hobbies,
        Err(e) => panic!("embedded data/taxonomy.json is malformed: {e}"),
    }
});

/// A canonical hobby id from the taxonomy (e.g. `guitar`, `korean_cooking`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HobbyId(&'static str);

impl HobbyId {
    /// The id if `id` is in the taxonomy.
    pub fn parse(id: &str) -> Result<Self, MentorError> {
        TAXONOMY
            .get_key_value(id)
            .map(|(k, _)| Self(k.as_str()))
            .ok_or_else(|| MentorError::UnknownHobby(id.to_owned()))
    }

    /// The id as text.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The taxonomy entry.
    pub fn info(self) -> &'static HobbyInfo {
        // Construction goes through `parse`, so the entry exists.
        &TAXONOMY[self.0]
    }

    /// Display name in `lang` ("기타" / "guitar").
    pub fn name(self, lang: Lang) -> &'static str {
        let info = self.info();
        match lang {
            Lang::Ko => &info.ko,
            Lang::En => &info.en,
        }
    }

    /// Every id in the taxonomy, sorted.
    pub fn all() -> impl Iterator<Item = HobbyId> {
        TAXONOMY.keys().map(|k| Self(k.as_str()))
    }
}

impl fmt::Debug for HobbyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HobbyId({})", self.0)
    }
}

impl fmt::Display for HobbyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for HobbyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for HobbyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_has_the_24_shared_ids() {
        assert_eq!(
            HobbyId::all().count(),
            24,
            "eval/hobby/taxonomy.json lists 24 hobbies"
        );
        let guitar = HobbyId::parse("guitar").expect("guitar is canonical");
        assert_eq!(guitar.name(Lang::Ko), "기타");
        assert!(guitar.info().kind.is_musical());
        assert!(
            HobbyId::parse("other").is_err(),
            "`other` is a label, not a taxonomy id"
        );
    }
}
