//! What an AI answer is made of, the same wherever it is written — by the
//! asker's own provider in the app, or by the server's community assistant:
//! the prompt the model reads, the reply turned into an answer body, and the
//! model name the answer is labelled with.

use super::{MAX_BODY_CHARS, MAX_MODEL_CHARS, Question};

/// What the model is told before the question.
pub fn system_prompt(q: &Question) -> String {
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
pub fn user_prompt(q: &Question) -> String {
    format!("{}\n\n{}", q.title, q.body)
}

/// The model's reply as an answer body: trimmed and cut to
/// [`MAX_BODY_CHARS`]; `None` when nothing is left.
pub fn answer_body(reply: &str) -> Option<String> {
    let text: String = reply.trim().chars().take(MAX_BODY_CHARS).collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The model an answer is labelled with: the one the provider reported, else
/// the one that was asked for; cut to [`MAX_MODEL_CHARS`].
pub fn model_label(reported: Option<&str>, requested: &str) -> String {
    reported
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or(requested.trim())
        .chars()
        .take(MAX_MODEL_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserId;

    fn question() -> Question {
        Question {
            question_id: "q".into(),
            asker_id: UserId::new("a"),
            hobby: "guitar".into(),
            title: "바레코드".into(),
            body: "손가락이 아파요".into(),
            created_at: 0,
            edited_at: None,
            deleted: false,
            accepted_answer: None,
        }
    }

    #[test]
    fn the_prompt_carries_the_hobby_title_and_body() {
        let q = question();
        assert!(system_prompt(&q).contains("`guitar`"));
        assert!(system_prompt(&q).contains("never claim to be a person"));
        assert_eq!(user_prompt(&q), "바레코드\n\n손가락이 아파요");
    }

    #[test]
    fn a_reply_becomes_a_trimmed_bounded_body() {
        assert_eq!(
            answer_body("  손목을 펴세요.\n "),
            Some("손목을 펴세요.".into())
        );
        assert_eq!(answer_body(" \n\t "), None);
        let long = "가".repeat(MAX_BODY_CHARS + 10);
        assert_eq!(
            answer_body(&long).map(|b| b.chars().count()),
            Some(MAX_BODY_CHARS)
        );
    }

    #[test]
    fn the_label_prefers_the_reported_model() {
        assert_eq!(model_label(Some(" qwen2.5-7b "), "gpt-4o"), "qwen2.5-7b");
        assert_eq!(model_label(Some("  "), "gpt-4o"), "gpt-4o");
        assert_eq!(model_label(None, "gpt-4o"), "gpt-4o");
        let long = "m".repeat(MAX_MODEL_CHARS + 5);
        assert_eq!(model_label(Some(&long), "x").len(), MAX_MODEL_CHARS);
    }
}
