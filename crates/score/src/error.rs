//! The one error type of the crate.

/// Everything that can go wrong reading a target or grading a take.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// Grading needs at least one target note to compare against.
    #[error("the target melody has no notes")]
    EmptyTarget,
    /// A note has a non-finite time or pitch, or ends before it starts.
    #[error("{melody} note {index} is invalid: {reason}")]
    InvalidNote {
        /// Which melody the note belongs to: "target" or "take".
        melody: &'static str,
        index: usize,
        reason: &'static str,
    },
    /// The text is not well-formed XML.
    #[error("MusicXML is not well-formed XML: {0}")]
    Xml(#[from] roxmltree::Error),
    /// Well-formed XML that is not a MusicXML document this crate reads.
    #[error("unsupported MusicXML: {0}")]
    MusicXml(String),
    /// The text is not ABC this crate reads (what and where).
    #[error("ABC: {0}")]
    Abc(String),
    /// The bytes are not a standard MIDI file.
    #[error("not a standard MIDI file: {0}")]
    Midi(String),
    /// The file parsed but holds no pitched notes to use as a melody.
    #[error("the {format} file holds no notes")]
    NoNotes {
        /// "MusicXML", "MIDI" or "ABC".
        format: &'static str,
    },
}
