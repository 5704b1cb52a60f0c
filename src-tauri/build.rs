//! Tauri's build step. The app manifest lists every command so capabilities can
//! grant them one by one (the UI gets only what `capabilities/` names).
const COMMANDS: &[&str] = &[
    "app_info",
    "settings_get",
    "settings_update",
    "profile_get",
    "profile_save",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
