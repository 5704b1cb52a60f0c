use tutti_core::Tutti;
use tutti_core::dto::{Language, ProfileInput, SettingsPatch, Theme};

#[test]
fn settings_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let app = Tutti::open(dir.path()).unwrap();
        app.settings_update(SettingsPatch {
            language: Some(Language::En),
            theme: Some(Theme::Dark),
            first_run_done: Some(true),
        })
        .unwrap();
    }
    let app = Tutti::open(dir.path()).unwrap();
    let s = app.settings_get().unwrap();
    assert_eq!(s.language, Language::En, "language survives a restart");
    assert_eq!(s.theme, Theme::Dark);
    assert!(s.first_run_done, "the first-run screen is not shown again");
}

#[test]
fn invalid_profile_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let good = ProfileInput {
        display_name: "서연".into(),
        email: None,
        gender: None,
        birthdate: None,
    };
    app.profile_save(good.clone()).unwrap();
    let err = app
        .profile_save(ProfileInput {
            birthdate: Some("1999-13-01".into()),
            ..good
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("birthdate"), "{err}");
    assert_eq!(
        app.profile_get().unwrap().unwrap().birthdate,
        None,
        "the rejected save must not touch the stored profile"
    );
}

#[test]
fn creates_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    let app = Tutti::open(&nested).unwrap();
    assert!(nested.join(tutti_core::data_dir::DATABASE_FILE).exists());
    assert_eq!(
        app.app_info().unwrap().data_dir,
        nested.display().to_string()
    );
}
