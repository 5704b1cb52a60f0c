//! Tauri commands of the account (sync server, sign up, log in/out; tokens
//! stay in the OS keyring) and of mentor matching (survey, recommendations,
//! requests). Logging in starts the chat sync; logging out stops it.

use tauri::State;
use tutti_core::Tutti;
use tutti_core::account::dto::{
    Account, Cached, Match, Recommendation, SignupInput, Survey, SyncServer, SyncServerInput,
};
use tutti_core::dto::ApiError;

use crate::chat::SyncSlot;

type CmdResult<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn account_get(core: State<'_, Tutti>) -> CmdResult<Option<Account>> {
    Ok(core.account_get()?)
}

#[tauri::command]
pub async fn account_server_get(core: State<'_, Tutti>) -> CmdResult<SyncServer> {
    Ok(core.account_server_get()?)
}

/// Plain http:// to another computer only with `allowInsecure` (the user's
/// explicit consent for this server); `insecure_transport` otherwise.
#[tauri::command]
pub async fn account_server_set(
    core: State<'_, Tutti>,
    input: SyncServerInput,
) -> CmdResult<SyncServer> {
    Ok(core.account_server_set(input)?)
}

/// Creates the account and returns its user id (log in afterwards).
#[tauri::command]
pub async fn account_signup(core: State<'_, Tutti>, input: SignupInput) -> CmdResult<String> {
    Ok(core.account_signup(input).await?)
}

#[tauri::command]
pub async fn account_login(
    core: State<'_, Tutti>,
    sync: State<'_, SyncSlot>,
    email: String,
    password: String,
) -> CmdResult<Account> {
    let account = core.account_login(&email, &password).await?;
    sync.start(&core).await?;
    Ok(account)
}

#[tauri::command]
pub async fn account_logout(core: State<'_, Tutti>, sync: State<'_, SyncSlot>) -> CmdResult<()> {
    sync.stop().await;
    Ok(core.account_logout().await?)
}

#[tauri::command]
pub async fn survey_get(core: State<'_, Tutti>) -> CmdResult<Option<Survey>> {
    Ok(core.survey_get().await?)
}

#[tauri::command]
pub async fn survey_save(core: State<'_, Tutti>, survey: Survey) -> CmdResult<Survey> {
    Ok(core.survey_save(survey).await?)
}

#[tauri::command]
pub async fn match_recommendations(core: State<'_, Tutti>) -> CmdResult<Cached<Recommendation>> {
    Ok(core.match_recommendations().await?)
}

/// From the server, or the saved copy (`fresh: false`) when offline.
/// A newly accepted match is a new chat room: the sync restarts to join it.
#[tauri::command]
pub async fn matches_list(
    core: State<'_, Tutti>,
    sync: State<'_, SyncSlot>,
) -> CmdResult<Cached<Match>> {
    let accepted = |m: &Match| m.status == "accepted";
    let before = core
        .matches_cached()?
        .iter()
        .filter(|m| accepted(m))
        .count();
    let list = core.matches_list().await?;
    if list.items.iter().filter(|m| accepted(m)).count() > before {
        sync.start(&core).await?;
    }
    Ok(list)
}

#[tauri::command]
pub async fn match_request(core: State<'_, Tutti>, mentor_id: String) -> CmdResult<Match> {
    Ok(core.match_request(&mentor_id).await?)
}

/// The mentor accepts: the match becomes a chat room, so the sync restarts
/// to pick it up.
#[tauri::command]
pub async fn match_accept(
    core: State<'_, Tutti>,
    sync: State<'_, SyncSlot>,
    match_id: String,
) -> CmdResult<Match> {
    let accepted = core.match_accept(&match_id).await?;
    sync.start(&core).await?;
    Ok(accepted)
}

#[tauri::command]
pub async fn match_decline(core: State<'_, Tutti>, match_id: String) -> CmdResult<Match> {
    Ok(core.match_decline(&match_id).await?)
}
