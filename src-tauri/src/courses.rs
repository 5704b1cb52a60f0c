//! Tauri commands of courses: one core call each. Browsing and ranking work
//! offline; `courses_sync` talks to the sync server.

use tauri::State;
use tutti_core::Tutti;
use tutti_core::courses::dto::{
    CourseDetail, CourseEventKind, CourseHobby, CourseList, CourseRecommendations, CourseSharing,
    CourseSyncReport, SharedActivityDeleted,
};
use tutti_core::dto::ApiError;
use tutti_core::mentor::dto::MentorLevel;

type CmdResult<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn course_hobbies(core: State<'_, Tutti>) -> CmdResult<Vec<CourseHobby>> {
    Ok(core.course_hobbies()?)
}

#[tauri::command]
pub async fn courses_list(
    core: State<'_, Tutti>,
    hobby: Option<String>,
    level: Option<MentorLevel>,
) -> CmdResult<CourseList> {
    Ok(core.courses(hobby.as_deref(), level)?)
}

#[tauri::command]
pub async fn course_open(core: State<'_, Tutti>, course_id: String) -> CmdResult<CourseDetail> {
    Ok(core.course_open(&course_id)?)
}

#[tauri::command]
pub async fn course_event(
    core: State<'_, Tutti>,
    course_id: String,
    kind: CourseEventKind,
) -> CmdResult<()> {
    Ok(core.course_event(&course_id, kind)?)
}

#[tauri::command]
pub async fn course_recommendations(
    core: State<'_, Tutti>,
    hobby: String,
    level: Option<MentorLevel>,
    count: u32,
) -> CmdResult<CourseRecommendations> {
    Ok(core.course_recommendations(&hobby, level, count)?)
}

#[tauri::command]
pub async fn course_sharing_get(core: State<'_, Tutti>) -> CmdResult<CourseSharing> {
    Ok(core.course_sharing()?)
}

#[tauri::command]
pub async fn course_sharing_set(core: State<'_, Tutti>, consent: bool) -> CmdResult<CourseSharing> {
    Ok(core.course_sharing_set(consent)?)
}

/// Stops sharing and deletes the shared course activity from the server.
#[tauri::command]
pub async fn course_shared_delete(core: State<'_, Tutti>) -> CmdResult<SharedActivityDeleted> {
    Ok(core.course_shared_delete().await?)
}

#[tauri::command]
pub async fn courses_sync(
    core: State<'_, Tutti>,
    hobbies: Vec<String>,
) -> CmdResult<CourseSyncReport> {
    Ok(core.courses_sync(&hobbies).await?)
}
