//! Microphone capture (cpal): choosing the input device, recording a take to
//! a WAV file, and streaming the live level and pitch while it records.
//!
//! This crate owns the desktop side of recording and nothing else: it is
//! Tauri-free (the shell calls [`list_input_devices`], [`Recorder::start`]
//! and [`Recording::stop`] and forwards [`CaptureEvent`]s to the UI), and the
//! listening itself lives in `tutti-ear` ([`tutti_ear::LivePitch`]).
//!
//! How a take flows:
//! - the cpal audio callback ([`input`]) mixes each frame to mono and pushes
//!   it into a wait-free ring; it never locks, allocates or does I/O;
//! - a writer thread ([`recorder`]) drains the ring into the WAV ([`take`]),
//!   whose header is rewritten every [`take::FLUSH_INTERVAL_S`] of audio so
//!   a crash or an unplugged device leaves a playable file, and feeds the
//!   [`monitor::Monitor`], which turns samples into level and pitch events
//!   stamped with their sample position in the take;
//! - a stream error that ends the device (unplugged) finalises the file and
//!   reports [`CaptureEvent::Error`] with [`CaptureError::DeviceLost`].
//!
//! To extend: new event kinds go in [`event`] (produced by the monitor, which
//! is sans-IO and unit-tested on plain samples); new device properties in
//! [`device`]; backend error mapping in [`error`].

pub mod device;
mod error;
pub mod event;
pub mod input;
pub mod monitor;
pub mod recorder;
pub mod take;

pub use device::{InputConfig, InputDevice, list_input_devices};
pub use error::CaptureError;
pub use event::{CaptureEvent, EVENT_INTERVAL_S, PITCH_INTERVAL_S};
pub use monitor::Monitor;
pub use recorder::{RecordOptions, Recorder, Recording, RecordingInfo, WRITER_POLL_S};
pub use take::{Interruption, Take};
