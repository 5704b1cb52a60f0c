//! The AI answer: on the asker's request, the configured AI provider (the
//! one the mentor uses) answers the question, and the text is stored as the
//! asker's answer document labelled `ai: { model }` for good. Such an answer
//! can be marked helpful but never accepted.

use tutti_llm::{ChatMessage, LlmError};
use tutti_sync::community::AiLabel;
use tutti_sync::community::ai::{answer_body, model_label, system_prompt, user_prompt};

use super::check_id;
use super::dto::AnswerView;
use crate::api::Tutti;
use crate::{Error, Result};

impl Tutti {
    /// The asker asks the configured AI provider for an answer to their
    /// question; it is stored at once as their answer, labelled with the
    /// model, and synced like any answer. No provider: `llm_not_configured`,
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
        let client = self.llm_client()?;
        let messages = [
            ChatMessage::system(system_prompt(&question)),
            ChatMessage::user(user_prompt(&question)),
        ];
        let completion = client.complete(&messages).await?;
        let text = answer_body(&completion.content).ok_or_else(|| LlmError::Malformed {
            what: "the reply was empty".into(),
        })?;
        let model = model_label(completion.model.as_deref(), &client.config().model);
        self.write_answer(question_id, &me, text, Some(AiLabel { model }))
    }
}
