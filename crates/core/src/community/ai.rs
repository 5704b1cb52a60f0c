//! The AI answer: on the asker's request, an AI answers the question, and the
//! answer is labelled `ai: { model }` for good. Such an answer can be marked
//! helpful but never accepted. Who answers:
//! - the asker's own AI provider (the one the mentor uses), when one is set:
//!   the text is stored as the asker's answer document and synced like any;
//! - otherwise the sync server's community assistant, when the server has
//!   one (`POST /community/questions/{id}/ai-answer`): the server writes the
//!   answer as its assistant account, and this device follows the thread so
//!   the answer document syncs down and reads offline.

use reqwest::Method;
use tutti_llm::{ChatMessage, LlmClient, LlmError};
use tutti_sync::community::ai::{answer_body, model_label, system_prompt, user_prompt};
use tutti_sync::community::{AiLabel, Question};

use super::dto::AnswerView;
use super::{check_id, question_not_found, thread, wire};
use crate::api::Tutti;
use crate::{Error, Result};

impl Tutti {
    /// The asker asks for an AI answer to their question: from their own AI
    /// provider when one is set (stored at once as their answer), else from
    /// the server's community assistant. Neither: `llm_not_configured`,
    /// nothing stored.
    pub async fn community_answer_ai(&self, question_id: &str) -> Result<AnswerView> {
        check_id("question_id", question_id)?;
        let me = self.signed_in()?.user_id;
        let (_, question) = self.local_question(question_id)?;
        if question.asker_id.as_str() != me {
            return Err(Error::NotOwner {
                what: "question (only its asker asks for an AI answer)",
                id: question_id.to_owned(),
            });
        }
        match self.llm_client() {
            Ok(client) => self.answer_with_own_provider(&client, &question, &me).await,
            Err(Error::LlmNotConfigured) => self.answer_by_server_assistant(question_id, &me).await,
            Err(e) => Err(e),
        }
    }

    async fn answer_with_own_provider(
        &self,
        client: &LlmClient,
        question: &Question,
        me: &str,
    ) -> Result<AnswerView> {
        let messages = [
            ChatMessage::system(system_prompt(question)),
            ChatMessage::user(user_prompt(question)),
        ];
        let completion = client.complete(&messages).await?;
        let text = answer_body(&completion.content).ok_or_else(|| LlmError::Malformed {
            what: "the reply was empty".into(),
        })?;
        let model = model_label(completion.model.as_deref(), &client.config().model);
        self.write_answer(&question.question_id, me, text, Some(AiLabel { model }))
    }

    /// The server's assistant answers (or has answered: the route is
    /// idempotent). The thread is fetched and remembered at once, so the
    /// sync task downloads the answer's document like any other.
    async fn answer_by_server_assistant(&self, question_id: &str, me: &str) -> Result<AnswerView> {
        let server = self.server_client()?;
        let answer: wire::Answer = server
            .authed_json(
                Method::POST,
                &format!("/community/questions/{question_id}/ai-answer"),
                None,
            )
            .await
            .map_err(|e| match e {
                Error::ServerRejected { status: 503, .. } => Error::LlmNotConfigured,
                Error::ServerRejected { status: 404, .. } => Error::invalid(
                    "question_id",
                    "the question has not reached the server yet; ask again once it has synced",
                ),
                other => other,
            })?;
        let t = super::read::fetch_thread(&server, question_id)
            .await?
            .ok_or_else(|| question_not_found(question_id))?;
        self.follow_thread(&t)?;
        Ok(thread::server_answer(&answer, question_id, me))
    }
}
