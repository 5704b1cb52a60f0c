//! The AI answer: on the asker's request, the configured AI provider (the
//! one the mentor uses) answers the question, and the text is stored as the
//! asker's answer document labelled `ai: { model }` for good. Such an answer
//! can be marked helpful but never accepted.

use tutti_llm::{ChatMessage, LlmError};
use tutti_sync::community::{AiLabel, MAX_BODY_CHARS, Question};

use super::check_id;
use super::dto::AnswerView;
use crate::api::Tutti;
use crate::{Error, Result};

/// What the model is told before the question.
pub(crate) fn system_prompt(q: &Question) -> String {
    format!(
        "You answer questions in Tutti's community Q&A, where people learning a hobby help each \
         other. This question is about the hobby `{}`. Answer it like a helpful, experienced \
         member would: directly, concretely, with short steps or a short list when that helps. \
         Answer in the language of the question. Say so when you are not sure, and never claim \
         to be a person.",
        q.hobby
    )
}

/// The question as the model reads it.
pub(crate) fn user_prompt(q: &Question) -> String {
    format!("{}\n\n{}", q.title, q.body)
}

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
        let text: String = completion
            .content
            .trim()
            .chars()
            .take(MAX_BODY_CHARS)
            .collect();
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(LlmError::Malformed {
                what: "the reply was empty".into(),
            }
            .into());
        }
        let model = completion
            .model
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| client.config().model.clone());
        let model: String = model
            .chars()
            .take(tutti_sync::community::MAX_MODEL_CHARS)
            .collect();
        self.write_answer(question_id, &me, text, Some(AiLabel { model }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_carries_the_hobby_title_and_body() {
        let q = Question {
            question_id: "q".into(),
            asker_id: tutti_sync::UserId::new("a"),
            hobby: "guitar".into(),
            title: "바레코드".into(),
            body: "손가락이 아파요".into(),
            created_at: 0,
            edited_at: None,
            deleted: false,
            accepted_answer: None,
        };
        assert!(system_prompt(&q).contains("`guitar`"));
        assert!(system_prompt(&q).contains("never claim to be a person"));
        assert_eq!(user_prompt(&q), "바레코드\n\n손가락이 아파요");
    }
}
