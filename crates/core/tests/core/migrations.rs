use rusqlite::Connection;
use tutti_core::store::{MIGRATIONS, Store, latest_version, migrations_up_to};

#[test]
fn applies_all_migrations_to_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    drop(store);

    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "WAL is persistent once set on the file");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.contains(&"settings".to_owned()), "{tables:?}");
    assert!(tables.contains(&"profile".to_owned()), "{tables:?}");
}

#[test]
fn upgrades_a_database_at_the_previous_version_keeping_its_data() {
    let previous = MIGRATIONS.len() - 1;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        migrations_up_to(previous).to_latest(&mut conn).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, previous);
        conn.execute(
            "INSERT INTO profile (id, display_name) VALUES (1, '지훈')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('language', 'en')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let profile = store.profile().unwrap().expect("the old row survives");
    assert_eq!(profile.display_name, "지훈");
    assert_eq!(
        profile.gender, None,
        "columns added by the upgrade start empty"
    );
    assert_eq!(
        store.settings().unwrap().language,
        tutti_core::dto::Language::En
    );
}

#[test]
fn foreign_keys_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("fk.sqlite3")).unwrap();
    drop(store);
    // The pragma is per connection: Store::open must set it every time.
    let store = Store::open(&dir.path().join("fk.sqlite3")).unwrap();
    assert!(store.foreign_keys_enabled().unwrap());
}

/// A database at `version`, with `seed` run on it.
fn database_at(version: usize, seed: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("at.sqlite3");
    let mut conn = Connection::open(&path).unwrap();
    migrations_up_to(version).to_latest(&mut conn).unwrap();
    conn.execute_batch(seed).unwrap();
    (dir, path)
}

fn version_of(file: &str) -> usize {
    MIGRATIONS
        .iter()
        .position(|(name, _)| *name == file)
        .expect("the migration is listed")
        + 1
}

#[test]
fn a_new_installation_starts_with_the_first_run_screen() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("new.sqlite3")).unwrap();
    assert!(!store.settings().unwrap().first_run_done);
}

#[test]
fn an_installation_used_before_the_first_run_screen_skips_it() {
    let before = version_of("0009_first_run.sql") - 1;
    let (_dir, used) = database_at(
        before,
        "INSERT INTO profile (id, display_name) VALUES (1, '민지');",
    );
    assert!(
        Store::open(&used)
            .unwrap()
            .settings()
            .unwrap()
            .first_run_done,
        "someone with a profile has used Tutti already"
    );
    let (_dir, untouched) = database_at(before, "");
    assert!(
        !Store::open(&untouched)
            .unwrap()
            .settings()
            .unwrap()
            .first_run_done,
        "a database that was created but never used still gets the first-run screen"
    );
}
