//! The validated catalogue, its queries and its content version.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::validation::validate;
use crate::{CatalogueError, Course, Hobby, Level, known_hobbies};

const CATALOGUE_JSON: &str = include_str!("../data/catalogue.json");

static BUNDLED: LazyLock<Catalogue> =
    LazyLock::new(|| match Catalogue::from_json(CATALOGUE_JSON) {
        Ok(catalogue) => catalogue,
        // The file is compiled in and validated by the tests.
        Err(e) => panic!("embedded data/catalogue.json is invalid: {e}"),
    });

/// A validated course catalogue.
///
/// Serialises as `{ "version": "<sha256 hex>", "courses": [...] }`, the shape
/// the sync server serves and the app caches; [`Catalogue::from_json`] reads
/// that shape back (and the bundled file, which has no `version`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalogue {
    version: String,
    courses: Vec<Course>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The document shape [`Catalogue::from_json`] reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogueDoc {
    #[serde(default)]
    version: Option<String>,
    courses: Vec<Course>,
}

impl Catalogue {
    /// The catalogue shipped in this build (`data/catalogue.json`), parsed
    /// and validated once.
    pub fn bundled() -> &'static Catalogue {
        &BUNDLED
    }

    /// Parses and validates a catalogue document. A stated `version` must
    /// match the courses' content, so a damaged cache is refused rather than
    /// shown.
    pub fn from_json(json: &str) -> Result<Catalogue, CatalogueError> {
        let doc: CatalogueDoc = serde_json::from_str(json)?;
        let catalogue = Catalogue::from_courses(doc.courses)?;
        if let Some(stated) = doc.version
            && stated != catalogue.version
        {
            return Err(CatalogueError::VersionMismatch {
                stated,
                computed: catalogue.version,
            });
        }
        Ok(catalogue)
    }

    /// Validates `courses` as a catalogue, keeping their order.
    pub fn from_courses(courses: Vec<Course>) -> Result<Catalogue, CatalogueError> {
        let index = validate(&courses)?;
        let version = content_version(&courses);
        Ok(Catalogue {
            version,
            courses,
            index,
        })
    }

    /// The content version: the SHA-256 (lower-case hex) of the courses'
    /// canonical JSON. Equal catalogues have equal versions whatever the
    /// source's whitespace, so it serves as an HTTP `ETag`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Every course, in catalogue order (by hobby, then level).
    pub fn courses(&self) -> &[Course] {
        &self.courses
    }

    /// Number of courses.
    pub fn len(&self) -> usize {
        self.courses.len()
    }

    /// Whether there are no courses.
    pub fn is_empty(&self) -> bool {
        self.courses.is_empty()
    }

    /// The course with this id.
    pub fn get(&self, id: &str) -> Option<&Course> {
        self.index.get(id).map(|&i| &self.courses[i])
    }

    /// The hobby's courses, at one level or at all of them, easiest first
    /// and otherwise in catalogue order.
    pub fn by_hobby_level(&self, hobby: &str, level: Option<Level>) -> Vec<&Course> {
        let mut out: Vec<&Course> = self
            .courses
            .iter()
            .filter(|c| c.hobby == hobby && level.is_none_or(|l| c.level == l))
            .collect();
        out.sort_by_key(|c| c.level);
        out
    }

    /// The hobbies that have at least one course, in taxonomy order.
    pub fn hobbies(&self) -> Vec<&'static Hobby> {
        known_hobbies()
            .iter()
            .filter(|h| self.courses.iter().any(|c| c.hobby == h.id))
            .collect()
    }

    /// The course's prerequisites, resolved, in the order listed.
    pub fn prerequisites_of(&self, id: &str) -> Vec<&Course> {
        self.get(id)
            .map(|c| c.prerequisites.iter().filter_map(|p| self.get(p)).collect())
            .unwrap_or_default()
    }
}

fn content_version(courses: &[Course]) -> String {
    // Serialising plain structs, strings and integers cannot fail.
    let canonical = serde_json::to_vec(courses).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
