//! The error codes of the sync server's HTTP API (`{code, message, field}`
//! bodies), written once here because both ends depend on them: the server
//! answers with [`ServerErrorCode::as_str`], the desktop core reads them back
//! with [`ServerErrorCode::parse`] and hands them to the UI, which has a
//! Korean and an English message for each.
//!
//! A new code: one line in the list below (the enum, [`ServerErrorCode::ALL`]
//! and the wire string come from it), then its UI messages (the UI's type
//! check fails until both languages have it).

macro_rules! server_error_codes {
    ($($(#[$doc:meta])* $variant:ident => $code:literal,)*) => {
        /// A stable machine-readable code of a sync-server error response.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ServerErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ServerErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ServerErrorCode] = &[$(ServerErrorCode::$variant,)*];

            /// The code as it travels in the JSON body.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ServerErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

server_error_codes! {
    /// A request field's value is not acceptable (`field` names it).
    InvalidField => "invalid_field",
    /// A required request field is absent.
    MissingField => "missing_field",
    /// The body is not JSON.
    MalformedJson => "malformed_json",
    /// The JSON does not have the expected shape.
    InvalidBody => "invalid_body",
    /// The body could not be read.
    UnreadableBody => "unreadable_body",
    /// The body is larger than the server accepts.
    BodyTooLarge => "body_too_large",
    /// The body is not `application/json`.
    UnsupportedMediaType => "unsupported_media_type",
    /// The query string is not acceptable.
    InvalidQuery => "invalid_query",
    /// A path parameter is not acceptable.
    InvalidPath => "invalid_path",
    /// No such route.
    RouteNotFound => "route_not_found",
    /// The route does not take this method.
    MethodNotAllowed => "method_not_allowed",
    /// `/sync` was called without a WebSocket upgrade.
    NotAWebsocketUpgrade => "not_a_websocket_upgrade",
    /// No such resource (mentor, match, survey, question, answer, …).
    NotFound => "not_found",
    /// The server failed; the cause is in its log, never in the response.
    Internal => "internal",
    /// No access token was sent.
    Unauthenticated => "unauthenticated",
    /// The access token is invalid or expired.
    InvalidToken => "invalid_token",
    /// Wrong email or password.
    InvalidCredentials => "invalid_credentials",
    /// The refresh token is unknown or expired.
    InvalidRefreshToken => "invalid_refresh_token",
    /// A refresh token was used twice; the session was revoked.
    RefreshTokenReused => "refresh_token_reused",
    /// Too many failed logins; retry after the `Retry-After` seconds.
    TooManyAttempts => "too_many_attempts",
    /// An account with this email already exists.
    EmailTaken => "email_taken",
    /// Matching needs the survey first.
    SurveyRequired => "survey_required",
    /// Only a mentee may ask a mentor for a match.
    NotAMentee => "not_a_mentee",
    /// The mentor and mentee learn different hobbies.
    HobbyMismatch => "hobby_mismatch",
    /// The mentor's level is below the mentee's.
    MentorLevelTooLow => "mentor_level_too_low",
    /// The pair already has a pending or accepted match.
    MatchExists => "match_exists",
    /// The mentor has no free capacity.
    MentorAtCapacity => "mentor_at_capacity",
    /// The match was already accepted or declined.
    MatchNotPending => "match_not_pending",
    /// Only the match's mentor may accept or decline it.
    NotMatchMentor => "not_match_mentor",
    /// The match belongs to other people.
    NotMatchParty => "not_match_party",
    /// A document with this id already exists.
    DocumentExists => "document_exists",
    /// Only the asker may do this to the question.
    NotAsker => "not_asker",
    /// Nobody votes on their own answer.
    OwnAnswer => "own_answer",
    /// The question was deleted.
    QuestionDeleted => "question_deleted",
    /// There is no such question.
    QuestionNotFound => "question_not_found",
    /// The server has no community assistant.
    AssistantNotConfigured => "assistant_not_configured",
    /// The community assistant's provider failed.
    AssistantFailed => "assistant_failed",
    /// A course event names a course the catalogue does not have.
    UnknownCourse => "unknown_course",
    /// No recommendation model for the hobby yet.
    NoModel => "no_model",
}

impl ServerErrorCode {
    /// The code for a wire string; `None` for a code this build does not know
    /// (a newer server).
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for ServerErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ServerErrorCode::ALL {
            let s = code.as_str();
            assert!(
                s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{s} is snake_case (it is a JSON value and a UI message key)"
            );
            assert!(seen.insert(s), "{s} is listed twice");
            assert_eq!(ServerErrorCode::parse(s), Some(*code));
        }
        assert_eq!(ServerErrorCode::parse("from_a_newer_server"), None);
    }
}
