//! The take on disk: a mono 32-bit float WAV written as samples arrive, its
//! header rewritten every [`FLUSH_INTERVAL_S`] of audio so that a crash or
//! an unplugged device leaves a playable file with everything up to then.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CaptureError;

/// Audio time between two header updates (the most a crash can lose).
pub const FLUSH_INTERVAL_S: f64 = 0.25;
const FLOOR_DBFS: f32 = -120.0;

/// A finished recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Take {
    /// The WAV file.
    pub path: PathBuf,
    /// Length of the recording, seconds.
    pub duration_s: f64,
    /// Samples in the file.
    pub samples: u64,
    /// Sample rate, Hz (the device's rate).
    pub sample_rate: u32,
    /// Channels stored (always 1: the device's channels are mixed to mono).
    pub channels: u16,
    /// Highest absolute sample, dBFS (-120 for silence).
    pub peak_dbfs: f32,
    /// Samples the device delivered that the writer could not keep (0 normally).
    pub dropped_samples: u64,
    /// Why the take ended before `stop` was called, if it did (e.g. the
    /// device was unplugged). The file still holds everything recorded.
    pub interrupted_by: Option<Interruption>,
}

/// The error that ended a take early, in wire form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interruption {
    /// [`CaptureError::code`].
    pub code: String,
    /// Human-readable description.
    pub message: String,
}

impl From<&CaptureError> for Interruption {
    fn from(e: &CaptureError) -> Interruption {
        Interruption {
            code: e.code().to_owned(),
            message: e.to_string(),
        }
    }
}

/// Writes one take, keeping its header valid as it goes.
pub(crate) struct TakeFile {
    path: PathBuf,
    wav: hound::WavWriter<BufWriter<File>>,
    sample_rate: u32,
    samples: u64,
    peak: f32,
    unflushed: u64,
    flush_every: u64,
}

impl std::fmt::Debug for TakeFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TakeFile")
            .field("path", &self.path)
            .field("samples", &self.samples)
            .finish_non_exhaustive()
    }
}

impl TakeFile {
    /// Creates (or truncates) `path`, creating its folder if needed.
    pub(crate) fn create(path: &Path, sample_rate: u32) -> Result<TakeFile, CaptureError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| CaptureError::io(dir, e))?;
        }
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut wav =
            hound::WavWriter::create(path, spec).map_err(|e| CaptureError::wav(path, e))?;
        // A valid (empty) file from the first moment.
        wav.flush().map_err(|e| CaptureError::wav(path, e))?;
        Ok(TakeFile {
            path: path.to_owned(),
            wav,
            sample_rate,
            samples: 0,
            peak: 0.0,
            unflushed: 0,
            flush_every: ((FLUSH_INTERVAL_S * f64::from(sample_rate)) as u64).max(1),
        })
    }

    /// Appends samples; rewrites the header once per [`FLUSH_INTERVAL_S`].
    pub(crate) fn write(&mut self, samples: &[f32]) -> Result<(), CaptureError> {
        for &v in samples {
            self.wav
                .write_sample(v)
                .map_err(|e| CaptureError::wav(&self.path, e))?;
            self.peak = self.peak.max(v.abs());
        }
        self.samples += samples.len() as u64;
        self.unflushed += samples.len() as u64;
        if self.unflushed >= self.flush_every {
            self.flush()?;
        }
        Ok(())
    }

    /// Rewrites the header to cover every sample so far and flushes to the OS.
    pub(crate) fn flush(&mut self) -> Result<(), CaptureError> {
        self.unflushed = 0;
        self.wav
            .flush()
            .map_err(|e| CaptureError::wav(&self.path, e))
    }

    /// Finalises the header and closes the file.
    pub(crate) fn finish(
        self,
        dropped_samples: u64,
        interrupted_by: Option<Interruption>,
    ) -> Result<Take, CaptureError> {
        let TakeFile {
            path,
            wav,
            sample_rate,
            samples,
            peak,
            ..
        } = self;
        wav.finalize().map_err(|e| CaptureError::wav(&path, e))?;
        Ok(Take {
            path,
            duration_s: samples as f64 / f64::from(sample_rate),
            samples,
            sample_rate,
            channels: 1,
            peak_dbfs: if peak > 0.0 {
                (20.0 * peak.log10()).max(FLOOR_DBFS)
            } else {
                FLOOR_DBFS
            },
            dropped_samples,
            interrupted_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(n: usize) -> Vec<f32> {
        (0..n).map(|i| (i % 100) as f32 / 200.0).collect()
    }

    #[test]
    fn the_file_is_playable_after_every_flush_without_finishing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("takes/a.wav");
        let mut take = TakeFile::create(&path, 8000).expect("created");
        assert_eq!(
            hound::WavReader::open(&path)
                .expect("valid when empty")
                .len(),
            0
        );
        let input = ramp(5000); // 0.625 s: two flushes (at 2000 and 4000 samples)
        for chunk in input.chunks(500) {
            take.write(chunk).expect("written");
        }
        // Read while the writer is still open, as after a crash.
        let reader = hound::WavReader::open(&path).expect("header valid mid-take");
        let read: Vec<f32> = reader.into_samples().map(|s| s.expect("sample")).collect();
        assert_eq!(
            read.len(),
            4000,
            "the header covers everything up to the last flush"
        );
        assert_eq!(read, input[..4000]);
        let done = take.finish(0, None).expect("finished");
        assert_eq!(done.samples, 5000);
        assert!((done.duration_s - 0.625).abs() < 1e-9);
        assert!((done.peak_dbfs - 20.0 * (99.0f32 / 200.0).log10()).abs() < 1e-4);
        let all: Vec<f32> = hound::WavReader::open(&path)
            .expect("final")
            .into_samples()
            .map(|s| s.expect("s"))
            .collect();
        assert_eq!(all, input);
    }

    #[test]
    fn an_unwritable_path_is_an_io_error_naming_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").expect("write");
        let err =
            TakeFile::create(&blocker.join("take.wav"), 48_000).expect_err("parent is a file");
        assert_eq!(err.code(), "capture_io");
        assert!(err.to_string().contains("file"), "{err}");
    }
}
