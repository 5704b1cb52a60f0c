//! The one error type of the crate, with stable codes the UI branches on.

use std::path::PathBuf;

/// Why capture could not start, or why a take ended early.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The system has no microphone (no default input device could be opened).
    #[error("no microphone found: {detail}")]
    NoInputDevice {
        /// What the audio backend said.
        detail: String,
    },
    /// The input device the caller named does not exist.
    #[error("no input device named {name:?}")]
    DeviceNotFound {
        /// The id or name that was asked for.
        name: String,
    },
    /// The operating system refused access to the microphone.
    #[error("access to the microphone was denied: {detail}")]
    PermissionDenied {
        /// What the audio backend said.
        detail: String,
    },
    /// The device disappeared while recording (unplugged, or its driver or server went away).
    #[error("the microphone was disconnected: {detail}")]
    DeviceLost {
        /// What the audio backend said.
        detail: String,
    },
    /// The device offers no stream format this crate can record.
    #[error("unsupported input format: {format}")]
    UnsupportedFormat {
        /// The format the device offered, or what was wrong with it.
        format: String,
    },
    /// Reading or writing the take's file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Any other audio-backend failure.
    #[error("audio backend error: {0}")]
    Backend(String),
}

impl CaptureError {
    /// Stable machine-readable code (the UI branches on this, never on the message).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoInputDevice { .. } => "capture_no_input_device",
            Self::DeviceNotFound { .. } => "capture_device_not_found",
            Self::PermissionDenied { .. } => "capture_permission_denied",
            Self::DeviceLost { .. } => "capture_device_lost",
            Self::UnsupportedFormat { .. } => "capture_unsupported_format",
            Self::Io { .. } => "capture_io",
            Self::Backend(_) => "capture_backend",
        }
    }

    /// Maps a cpal error from opening or configuring a device.
    ///
    /// `asked_for` is the name the caller chose (`None` = the system default):
    /// a device that is not there is `DeviceNotFound` when named and
    /// `NoInputDevice` when it was the default.
    pub(crate) fn opening(err: &cpal::Error, asked_for: Option<&str>) -> CaptureError {
        let detail = err.to_string();
        match err.kind() {
            cpal::ErrorKind::PermissionDenied => Self::PermissionDenied { detail },
            cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::HostUnavailable => {
                match asked_for {
                    Some(name) => Self::DeviceNotFound {
                        name: name.to_owned(),
                    },
                    None => Self::NoInputDevice { detail },
                }
            }
            cpal::ErrorKind::UnsupportedConfig | cpal::ErrorKind::UnsupportedOperation => {
                Self::UnsupportedFormat { format: detail }
            }
            _ => Self::Backend(detail),
        }
    }

    /// Maps a cpal error reported by a running stream; `None` when the stream
    /// goes on (an overrun or a rerouting the backend handled).
    pub(crate) fn streaming(err: &cpal::Error) -> Option<CaptureError> {
        let detail = err.to_string();
        match err.kind() {
            cpal::ErrorKind::Xrun
            | cpal::ErrorKind::DeviceChanged
            | cpal::ErrorKind::RealtimeDenied => None,
            cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated => {
                Some(Self::DeviceLost { detail })
            }
            cpal::ErrorKind::PermissionDenied => Some(Self::PermissionDenied { detail }),
            _ => Some(Self::Backend(detail)),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> CaptureError {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn wav(path: impl Into<PathBuf>, err: hound::Error) -> CaptureError {
        let source = match err {
            hound::Error::IoError(e) => e,
            other => std::io::Error::other(other.to_string()),
        };
        Self::io(path, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let all = [
            CaptureError::NoInputDevice { detail: "d".into() },
            CaptureError::DeviceNotFound { name: "n".into() },
            CaptureError::PermissionDenied { detail: "d".into() },
            CaptureError::DeviceLost { detail: "d".into() },
            CaptureError::UnsupportedFormat { format: "f".into() },
            CaptureError::io("/x", std::io::Error::other("e")),
            CaptureError::Backend("b".into()),
        ];
        let mut codes: Vec<_> = all.iter().map(CaptureError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("capture_")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "every variant has its own code");
    }

    #[test]
    fn a_missing_device_is_not_found_when_named_and_no_device_when_default() {
        let gone = cpal::Error::new(cpal::ErrorKind::DeviceNotAvailable);
        assert_eq!(
            CaptureError::opening(&gone, Some("USB mic")).code(),
            "capture_device_not_found"
        );
        assert_eq!(
            CaptureError::opening(&gone, None).code(),
            "capture_no_input_device"
        );
        let denied = cpal::Error::new(cpal::ErrorKind::PermissionDenied);
        assert_eq!(
            CaptureError::opening(&denied, None).code(),
            "capture_permission_denied"
        );
    }

    #[test]
    fn overruns_keep_the_stream_and_unplugging_ends_it() {
        assert!(CaptureError::streaming(&cpal::Error::new(cpal::ErrorKind::Xrun)).is_none());
        let lost = CaptureError::streaming(&cpal::Error::new(cpal::ErrorKind::DeviceNotAvailable));
        assert_eq!(lost.map(|e| e.code()), Some("capture_device_lost"));
    }
}
