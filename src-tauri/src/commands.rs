//! Tauri commands: one core call each.

use tauri::State;
use tutti_core::Tutti;
use tutti_core::dto::{ApiError, AppInfo, Profile, ProfileInput, Settings, SettingsPatch};

type CmdResult<T> = Result<T, ApiError>;

/// The UI painted its first screen: logs the time once, for the start-up
/// benchmark (`scripts/bench-app.sh` reads `unix_ms` against the moment it
/// started the process). Later calls do nothing.
#[tauri::command]
pub fn app_first_paint(startup: State<'_, crate::Startup>) {
    startup.first_paint();
}

#[tauri::command]
pub fn app_info(core: State<'_, Tutti>) -> CmdResult<AppInfo> {
    Ok(core.app_info()?)
}

#[tauri::command]
pub fn settings_get(core: State<'_, Tutti>) -> CmdResult<Settings> {
    Ok(core.settings_get()?)
}

#[tauri::command]
pub fn settings_update(core: State<'_, Tutti>, patch: SettingsPatch) -> CmdResult<Settings> {
    Ok(core.settings_update(patch)?)
}

#[tauri::command]
pub fn profile_get(core: State<'_, Tutti>) -> CmdResult<Option<Profile>> {
    Ok(core.profile_get()?)
}

#[tauri::command]
pub fn profile_save(core: State<'_, Tutti>, input: ProfileInput) -> CmdResult<Profile> {
    Ok(core.profile_save(input)?)
}
