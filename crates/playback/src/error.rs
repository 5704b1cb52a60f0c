//! The crate's one error type.

/// What can stop a melody from being played.
#[derive(Debug, thiserror::Error)]
pub enum PlaybackError {
    /// The melody has no notes.
    #[error("the melody has no notes to play")]
    Empty,
    /// An output rate the synthesizers are not made for.
    #[error("sample rate {0} Hz is outside 8000..=192000 Hz")]
    SampleRate(u32),
    /// An option out of its range: which one, and why.
    #[error("playback option {field}: {reason}")]
    Option {
        /// The option's name as the UI sends it (camelCase).
        field: &'static str,
        reason: String,
    },
}

impl PlaybackError {
    /// A stable code for callers and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            PlaybackError::Empty => "playback_empty",
            PlaybackError::SampleRate(_) => "playback_sample_rate",
            PlaybackError::Option { .. } => "playback_option",
        }
    }
}
