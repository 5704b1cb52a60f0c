//! The hobby ids courses may belong to (`data/hobbies.json`, a verbatim copy of
//! `eval/hobby/taxonomy.json`; keep them equal).

use std::fmt;
use std::sync::LazyLock;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::LocalText;

const HOBBIES_JSON: &str = include_str!("../data/hobbies.json");

/// One hobby of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hobby {
    /// The canonical id (`guitar`, `korean_cooking`, …).
    pub id: String,
    /// Its display name.
    pub name: LocalText,
    /// Its family (`instrument`, `voice`, `cooking`, `visual`, `craft`, `fitness`, `game`, `tech`).
    pub kind: String,
}

#[derive(Deserialize)]
struct TaxonomyFile {
    #[serde(deserialize_with = "ordered_hobbies")]
    hobbies: Vec<Hobby>,
}

#[derive(Deserialize)]
struct TaxonomyEntry {
    ko: String,
    en: String,
    kind: String,
}

/// Reads the `hobbies` object keeping the file's order (serde_json's map
/// would sort it).
fn ordered_hobbies<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hobby>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<Hobby>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of hobby id to {ko, en, kind}")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((id, entry)) = map.next_entry::<String, TaxonomyEntry>()? {
                out.push(Hobby {
                    id,
                    name: LocalText::new(entry.ko, entry.en),
                    kind: entry.kind,
                });
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries)
}

static HOBBIES: LazyLock<Vec<Hobby>> = LazyLock::new(|| {
    match serde_json::from_str::<TaxonomyFile>(HOBBIES_JSON) {
        Ok(file) => file.hobbies,
        // The file is compiled in and checked by the tests below.
        Err(e) => panic!("embedded data/hobbies.json is malformed: {e}"),
    }
});

/// Every hobby of the taxonomy, in the taxonomy's order.
pub fn known_hobbies() -> &'static [Hobby] {
    &HOBBIES
}

/// The taxonomy hobby with this id.
pub fn hobby(id: &str) -> Option<&'static Hobby> {
    HOBBIES.iter().find(|h| h.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_copy_has_24_hobbies_in_file_order() {
        let ids: Vec<&str> = known_hobbies().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), 24, "eval/hobby/taxonomy.json lists 24 hobbies");
        assert_eq!(ids.first(), Some(&"guitar"), "the file lists guitar first");
        assert_eq!(ids.last(), Some(&"coding"), "the file lists coding last");
        assert_eq!(
            hobby("korean_cooking").map(|h| h.name.ko.as_str()),
            Some("한식 요리")
        );
        assert!(
            hobby("other").is_none(),
            "`other` is a mentor label, not a hobby"
        );
    }
}
