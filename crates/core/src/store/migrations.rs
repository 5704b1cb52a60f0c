//! The embedded, append-only list of local migrations.

use rusqlite_migration::{M, Migrations};

/// Every migration file of `migrations/app/`, in order: (file name, SQL).
/// Append new files here; never edit or reorder an applied one. A test checks
/// that this list and the folder agree.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        include_str!("../../../../migrations/app/0001_init.sql"),
    ),
    (
        "0002_profile_details.sql",
        include_str!("../../../../migrations/app/0002_profile_details.sql"),
    ),
    (
        "0003_ai_mentor.sql",
        include_str!("../../../../migrations/app/0003_ai_mentor.sql"),
    ),
    (
        "0004_practice.sql",
        include_str!("../../../../migrations/app/0004_practice.sql"),
    ),
    (
        "0005_chat.sql",
        include_str!("../../../../migrations/app/0005_chat.sql"),
    ),
    (
        "0006_level_performance.sql",
        include_str!("../../../../migrations/app/0006_level_performance.sql"),
    ),
    (
        "0007_community.sql",
        include_str!("../../../../migrations/app/0007_community.sql"),
    ),
    (
        "0008_courses.sql",
        include_str!("../../../../migrations/app/0008_courses.sql"),
    ),
    (
        "0009_first_run.sql",
        include_str!("../../../../migrations/app/0009_first_run.sql"),
    ),
    (
        "0010_insecure_servers.sql",
        include_str!("../../../../migrations/app/0010_insecure_servers.sql"),
    ),
];

/// The schema version a fully migrated database has.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|(_, sql)| M::up(sql)).collect())
}

/// Migrations up to and including `version` (for upgrade tests).
pub fn migrations_up_to(version: usize) -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS[..version]
            .iter()
            .map(|(_, sql)| M::up(sql))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_list_matches_the_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/app");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations folder exists")
            .map(|e| {
                e.expect("readable entry")
                    .file_name()
                    .into_string()
                    .unwrap()
            })
            .filter(|name| name.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            on_disk, listed,
            "every file in migrations/app must be embedded, in name order"
        );
    }

    #[test]
    fn migrations_are_valid() {
        migrations()
            .validate()
            .expect("each migration applies in order on an empty database");
    }
}
