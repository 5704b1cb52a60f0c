//! Tauri commands of the community Q&A: one core call each. Posting works
//! offline (stored at once, uploaded by the running sync, see `chat.rs`);
//! lists and threads fall back to this device's copies (`fromCache`); votes,
//! helpful marks and the AI answer need the server or the AI provider.

use tauri::State;
use tutti_core::Tutti;
use tutti_core::community::dto::{
    AnswerStatus, AnswerView, QuestionEditInput, QuestionFilter, QuestionList, QuestionSummary,
    QuestionView, ThreadView,
};
use tutti_core::dto::ApiError;

type CmdResult<T> = Result<T, ApiError>;

/// Stored at once, also offline; the sync uploads it.
#[tauri::command]
pub async fn community_ask(
    core: State<'_, Tutti>,
    hobby: String,
    title: String,
    body: String,
) -> CmdResult<QuestionView> {
    Ok(core.community_ask(&hobby, &title, &body)?)
}

#[tauri::command]
pub async fn community_answer(
    core: State<'_, Tutti>,
    question_id: String,
    body: String,
) -> CmdResult<AnswerView> {
    Ok(core.community_answer(&question_id, &body)?)
}

/// The asker asks for an AI answer: their own AI provider, else the server's community
/// assistant; the answer is labelled with the model.
#[tauri::command]
pub async fn community_answer_ai(
    core: State<'_, Tutti>,
    question_id: String,
) -> CmdResult<AnswerView> {
    Ok(core.community_answer_ai(&question_id).await?)
}

#[tauri::command]
pub async fn community_edit_question(
    core: State<'_, Tutti>,
    question_id: String,
    edit: QuestionEditInput,
) -> CmdResult<QuestionView> {
    Ok(core.community_edit_question(&question_id, edit)?)
}

#[tauri::command]
pub async fn community_edit_answer(
    core: State<'_, Tutti>,
    answer_id: String,
    body: String,
) -> CmdResult<AnswerView> {
    Ok(core.community_edit_answer(&answer_id, &body)?)
}

#[tauri::command]
pub async fn community_delete_question(
    core: State<'_, Tutti>,
    question_id: String,
) -> CmdResult<()> {
    Ok(core.community_delete_question(&question_id)?)
}

#[tauri::command]
pub async fn community_delete_answer(core: State<'_, Tutti>, answer_id: String) -> CmdResult<()> {
    Ok(core.community_delete_answer(&answer_id)?)
}

/// `answer_id: None` takes the acceptance back.
#[tauri::command]
pub async fn community_accept(
    core: State<'_, Tutti>,
    question_id: String,
    answer_id: Option<String>,
) -> CmdResult<QuestionView> {
    Ok(core.community_accept(&question_id, answer_id.as_deref())?)
}

#[tauri::command]
pub async fn community_questions(
    core: State<'_, Tutti>,
    filter: QuestionFilter,
) -> CmdResult<QuestionList> {
    Ok(core.community_questions(filter).await?)
}

#[tauri::command]
pub async fn community_thread(
    core: State<'_, Tutti>,
    question_id: String,
) -> CmdResult<ThreadView> {
    Ok(core.community_thread(&question_id).await?)
}

#[tauri::command]
pub async fn community_my_questions(core: State<'_, Tutti>) -> CmdResult<Vec<QuestionSummary>> {
    Ok(core.community_my_questions()?)
}

/// 1 up, -1 down, 0 takes the vote back.
#[tauri::command]
pub async fn community_vote(
    core: State<'_, Tutti>,
    answer_id: String,
    value: i8,
) -> CmdResult<AnswerStatus> {
    Ok(core.community_vote(&answer_id, value).await?)
}

#[tauri::command]
pub async fn community_helpful(
    core: State<'_, Tutti>,
    answer_id: String,
    helpful: bool,
) -> CmdResult<AnswerStatus> {
    Ok(core.community_helpful(&answer_id, helpful).await?)
}
