//! The crate's one error type.

/// Everything that can go wrong while reading audio or note tables.
///
/// Analysis itself ([`crate::transcribe`]) cannot fail: silence, noise or an
/// empty slice simply give no notes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input held no bytes at all.
    #[error("audio input is empty (0 bytes)")]
    EmptyInput,
    /// The bytes are neither a RIFF/WAVE nor a FLAC stream.
    #[error("unrecognised audio format: expected a WAV (RIFF/WAVE) or FLAC (fLaC) file")]
    UnknownFormat,
    /// A WAV file whose header or sample data could not be read.
    #[error("malformed WAV file: {0}")]
    Wav(String),
    /// A FLAC file whose header or frames could not be read.
    #[error("malformed FLAC file: {0}")]
    Flac(String),
    /// The file ends before the number of samples its header announces.
    #[error(
        "audio file is truncated: header announces {expected} samples per channel, found {found}"
    )]
    Truncated {
        /// Samples per channel the header promised.
        expected: u64,
        /// Samples per channel actually present.
        found: u64,
    },
    /// The header announces no sample data (a 0-length recording).
    #[error("audio file holds no samples")]
    NoSamples,
    /// Longer than [`crate::MAX_DURATION_S`] (checked on the header before decoding).
    #[error("audio is {seconds:.0} s long, over the {max_seconds:.0} s limit")]
    TooLong {
        /// Duration announced by the header (or reached while decoding).
        seconds: f64,
        /// The limit.
        max_seconds: f64,
    },
    /// A sample rate outside what the analysis supports.
    #[error("sample rate {0} Hz is outside the supported range 4000..=384000 Hz")]
    UnsupportedSampleRate(u32),
    /// A sample encoding this crate does not read (e.g. 64-bit float WAV).
    #[error("unsupported sample format: {0}")]
    UnsupportedSampleFormat(String),
    /// The target melody a follower was given cannot be followed (empty, or
    /// a note with an invalid time or pitch).
    #[error("target melody: {0}")]
    Target(tutti_score::ScoreError),
    /// A note CSV (`onset_s,offset_s,midi_pitch`) that could not be parsed.
    #[error("note CSV line {line}: {reason}")]
    Csv {
        /// 1-based line number.
        line: usize,
        /// What is wrong on that line.
        reason: String,
    },
}
