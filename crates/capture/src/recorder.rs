//! Recording a take: open the device, write the WAV on a writer thread, and
//! stream level and pitch events while it runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::JoinHandle;
use std::time::Duration;

use cpal::traits::{DeviceTrait, StreamTrait};
use serde::{Deserialize, Serialize};

use crate::device::{display_name, find_input_device};
use crate::error::CaptureError;
use crate::event::CaptureEvent;
use crate::input::{self, Shared};
use crate::monitor::Monitor;
use crate::take::{Interruption, Take, TakeFile};

/// How long the writer sleeps when the ring is empty, seconds: it adds at
/// most this much wall-clock delay before an event is sent (the audio thread
/// never waits on the writer).
pub const WRITER_POLL_S: f64 = 0.002;
const WRITER_POLL: Duration = Duration::from_micros((WRITER_POLL_S * 1e6) as u64);
/// Most samples the writer takes from the ring at once.
const WRITE_CHUNK: usize = 4096;
/// Least audio time between two `Overrun` events, seconds.
const OVERRUN_REPORT_S: f64 = 0.5;

/// What to record and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordOptions {
    /// Device id or name from [`crate::list_input_devices`]; `None` = the system default.
    pub device: Option<String>,
    /// The WAV file to write (its folder is created if missing).
    pub path: PathBuf,
}

/// What a started recording is using.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingInfo {
    /// The device's display name.
    pub device_name: String,
    /// Sample rate of the device and the take, Hz.
    pub sample_rate: u32,
    /// Channels the device delivers (mixed to mono in the take).
    pub device_channels: u16,
    /// The device's sample format, e.g. `f32`.
    pub sample_format: String,
    /// Frames per audio callback, when the backend reports it.
    pub period_frames: Option<u32>,
    /// The WAV being written.
    pub path: PathBuf,
}

/// Starts recordings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Recorder;

impl Recorder {
    /// Opens the input device and starts recording to `options.path`.
    ///
    /// `on_event` runs on the recording's writer thread, never on the audio
    /// thread: it receives [`CaptureEvent::Started`], then level and pitch
    /// events at least 40 and 50 times per second of audio, and
    /// [`CaptureEvent::Error`] if the device goes away mid-take.
    pub fn start(
        options: RecordOptions,
        on_event: impl FnMut(CaptureEvent) + Send + 'static,
    ) -> Result<Recording, CaptureError> {
        let host = cpal::default_host();
        let asked_for = options.device.as_deref();
        let device = find_input_device(&host, asked_for)?;
        let config = device
            .default_input_config()
            .map_err(|e| CaptureError::opening(&e, asked_for))?;
        let shared = Arc::new(Shared::default());
        let opened = input::open(&device, &config, &shared, asked_for)?;
        let info = RecordingInfo {
            device_name: display_name(&device),
            sample_rate: config.sample_rate(),
            device_channels: config.channels(),
            sample_format: config.sample_format().to_string(),
            period_frames: opened.stream.buffer_size().ok(),
            path: options.path.clone(),
        };
        let monitor = Monitor::new(info.sample_rate)?;
        let file = TakeFile::create(&options.path, info.sample_rate)?;
        let started = CaptureEvent::Started {
            device_name: info.device_name.clone(),
            sample_rate: info.sample_rate,
            device_channels: info.device_channels,
            period_frames: info.period_frames,
        };
        let writer = {
            let shared = Arc::clone(&shared);
            let sample_rate = info.sample_rate;
            let samples = opened.samples;
            std::thread::Builder::new()
                .name("tutti-capture-writer".into())
                .spawn(move || {
                    write_take(
                        samples,
                        &shared,
                        file,
                        monitor,
                        sample_rate,
                        started,
                        on_event,
                    )
                })
                .map_err(|e| {
                    CaptureError::Backend(format!("cannot start the writer thread: {e}"))
                })?
        };
        let mut recording = Recording {
            stream: Some(opened.stream),
            shared,
            writer: Some(writer),
            info,
        };
        if let Err(e) = recording.stream.as_ref().map_or(Ok(()), StreamTrait::play) {
            let err = CaptureError::opening(&e, asked_for);
            // Nothing was recorded: close the writer and remove the empty file.
            let _ = recording.finish();
            let _ = std::fs::remove_file(&options.path);
            return Err(err);
        }
        Ok(recording)
    }
}

/// A running recording. Dropping it stops and finalises the take too.
pub struct Recording {
    stream: Option<cpal::Stream>,
    shared: Arc<Shared>,
    writer: Option<JoinHandle<Result<Take, CaptureError>>>,
    info: RecordingInfo,
}

impl std::fmt::Debug for Recording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recording")
            .field("info", &self.info)
            .field("finished", &self.is_finished())
            .finish()
    }
}

impl Recording {
    /// Device, format and file of this recording.
    pub fn info(&self) -> &RecordingInfo {
        &self.info
    }

    /// Whether the take already ended on its own (the device went away);
    /// `stop` then returns what was recorded.
    pub fn is_finished(&self) -> bool {
        self.shared.writer_done.load(Ordering::Acquire)
    }

    /// Stops recording and finalises the file. A take that the device ended
    /// early is returned with [`Take::interrupted_by`] set.
    pub fn stop(mut self) -> Result<Take, CaptureError> {
        self.finish()
    }

    fn finish(&mut self) -> Result<Take, CaptureError> {
        // Closing the stream joins the audio thread: no sample arrives after this.
        drop(self.stream.take());
        self.shared.stop.store(true, Ordering::Release);
        let writer = self
            .writer
            .take()
            .ok_or_else(|| CaptureError::Backend("the take was already stopped".into()))?;
        writer
            .join()
            .unwrap_or_else(|_| Err(CaptureError::Backend("the writer thread panicked".into())))
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if self.writer.is_some()
            && let Err(e) = self.finish()
        {
            tracing::warn!(error = %e, "finishing a dropped recording failed");
        }
    }
}

/// The writer thread: ring → WAV + monitor → events, until stopped or failed.
fn write_take(
    mut samples: rtrb::Consumer<f32>,
    shared: &Shared,
    mut file: TakeFile,
    mut monitor: Monitor,
    sample_rate: u32,
    started: CaptureEvent,
    mut on_event: impl FnMut(CaptureEvent),
) -> Result<Take, CaptureError> {
    on_event(started);
    let mut buf = vec![0.0f32; WRITE_CHUNK];
    let mut events = Vec::with_capacity(64);
    let mut overrun_reported: Option<(u64, u64)> = None; // (dropped, at_sample)
    let overrun_gap = (OVERRUN_REPORT_S * f64::from(sample_rate)) as u64;
    let result = loop {
        // Read the flags before the ring: once stop or failure is seen, an
        // empty ring means every sample delivered before it has been written.
        let stopping = shared.stop.load(Ordering::Acquire);
        let failing = shared.failed.load(Ordering::Acquire);
        let n = samples.slots().min(buf.len());
        if n > 0 {
            if let Ok(chunk) = samples.read_chunk(n) {
                let (a, b) = chunk.as_slices();
                buf[..a.len()].copy_from_slice(a);
                buf[a.len()..n].copy_from_slice(b);
                chunk.commit_all();
            }
            let block = &buf[..n];
            if let Err(e) = file.write(block) {
                break Err(e);
            }
            monitor.push(block, &mut events);
            let dropped = shared.dropped.load(Ordering::Relaxed);
            let due = match overrun_reported {
                None => dropped > 0,
                Some((reported, at)) => {
                    dropped > reported && monitor.position() >= at + overrun_gap
                }
            };
            if due {
                overrun_reported = Some((dropped, monitor.position()));
                events.push(CaptureEvent::Overrun {
                    at_sample: monitor.position(),
                    time_s: monitor.position() as f64 / f64::from(sample_rate),
                    dropped_samples: dropped,
                });
            }
            events.drain(..).for_each(&mut on_event);
            continue;
        }
        if failing {
            break Err(shared
                .take_failure()
                .unwrap_or_else(|| CaptureError::Backend("the stream failed".into())));
        }
        if stopping {
            break Ok(());
        }
        std::thread::sleep(WRITER_POLL);
    };
    let dropped = shared.dropped.load(Ordering::Relaxed);
    let xruns = shared.xruns.load(Ordering::Relaxed);
    if xruns > 0 {
        tracing::info!(xruns, "the device reported overruns during the take");
    }
    let outcome = match result {
        Ok(()) => file.finish(dropped, None),
        Err(failure) => {
            on_event(CaptureEvent::Error {
                at_sample: monitor.position(),
                time_s: monitor.position() as f64 / f64::from(sample_rate),
                code: failure.code().to_owned(),
                message: failure.to_string(),
            });
            file.finish(dropped, Some(Interruption::from(&failure)))
        }
    };
    shared.writer_done.store(true, Ordering::Release);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_can_be_handed_to_another_thread() {
        fn send<T: Send>() {}
        send::<Recording>();
        send::<Take>();
        send::<CaptureError>();
    }
}
