//! The cpal input stream: the audio callback mixes each frame to mono and
//! hands it to the writer thread through a wait-free ring (no locks, no
//! allocation, no I/O on the audio thread).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use cpal::traits::DeviceTrait;
use cpal::{FromSample, SizedSample};

use crate::error::CaptureError;

/// Seconds of audio the ring between callback and writer holds: the writer
/// may stall this long (a slow disk) before samples are dropped.
pub const RING_S: f64 = 6.0;
/// Callback period asked of the device, seconds (part of the live-pitch
/// latency: a sample waits up to one period before the callback sees it).
pub const TARGET_PERIOD_S: f64 = 0.01;

/// State shared by the audio callback, the error callback, the writer thread
/// and the [`crate::Recording`] handle.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Set by `stop` once the stream is closed: the writer drains and finishes.
    pub stop: AtomicBool,
    /// Samples the callback could not queue because the ring was full.
    pub dropped: AtomicU64,
    /// Overruns the backend reported (the stream goes on).
    pub xruns: AtomicU64,
    /// Set with `failure` when the stream died.
    pub failed: AtomicBool,
    /// The error that ended the stream (taken by the writer).
    pub failure: Mutex<Option<CaptureError>>,
    /// Set by the writer thread when it has finished the take.
    pub writer_done: AtomicBool,
}

impl Shared {
    pub(crate) fn take_failure(&self) -> Option<CaptureError> {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

/// An open (not yet playing) input stream and the reading end of its ring.
pub(crate) struct OpenStream {
    pub stream: cpal::Stream,
    pub samples: rtrb::Consumer<f32>,
}

/// Builds the input stream for `config`, asking for a ~10 ms period when the
/// device states a buffer-size range (falling back to its default).
pub(crate) fn open(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
    shared: &Arc<Shared>,
    asked_for: Option<&str>,
) -> Result<OpenStream, CaptureError> {
    let mut stream_config = config.config();
    let fixed = match *config.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => {
            let target = (TARGET_PERIOD_S * f64::from(config.sample_rate())).round() as u32;
            Some(target.clamp(min, max.max(min)))
        }
        cpal::SupportedBufferSize::Unknown => None,
    };
    if let Some(frames) = fixed {
        stream_config.buffer_size = cpal::BufferSize::Fixed(frames);
        match build(device, stream_config, config.sample_format(), shared) {
            Ok(open) => return Ok(open),
            Err(e) => {
                tracing::debug!(error = %e, frames, "fixed period refused; using the device default");
            }
        }
    }
    stream_config.buffer_size = cpal::BufferSize::Default;
    build(device, stream_config, config.sample_format(), shared)
        .map_err(|e| CaptureError::opening(&e, asked_for))
}

fn build(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    format: cpal::SampleFormat,
    shared: &Arc<Shared>,
) -> Result<OpenStream, cpal::Error> {
    use cpal::SampleFormat as F;
    let capacity = ((RING_S * f64::from(config.sample_rate)) as usize).max(4096);
    let (producer, samples) = rtrb::RingBuffer::new(capacity);
    let stream = match format {
        F::F32 => build_typed::<f32>(device, config, producer, shared),
        F::F64 => build_typed::<f64>(device, config, producer, shared),
        F::I8 => build_typed::<i8>(device, config, producer, shared),
        F::I16 => build_typed::<i16>(device, config, producer, shared),
        F::I24 => build_typed::<cpal::I24>(device, config, producer, shared),
        F::I32 => build_typed::<i32>(device, config, producer, shared),
        F::I64 => build_typed::<i64>(device, config, producer, shared),
        F::U8 => build_typed::<u8>(device, config, producer, shared),
        F::U16 => build_typed::<u16>(device, config, producer, shared),
        F::U24 => build_typed::<cpal::U24>(device, config, producer, shared),
        F::U32 => build_typed::<u32>(device, config, producer, shared),
        F::U64 => build_typed::<u64>(device, config, producer, shared),
        other => Err(cpal::Error::with_message(
            cpal::ErrorKind::UnsupportedConfig,
            format!("sample format {other} cannot be recorded"),
        )),
    }?;
    Ok(OpenStream { stream, samples })
}

fn build_typed<T>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    mut producer: rtrb::Producer<f32>,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let scale = 1.0 / channels as f32;
    let data_shared = Arc::clone(shared);
    let error_shared = Arc::clone(shared);
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _: &cpal::InputCallbackInfo| {
            let frames = data.len() / channels;
            let n = frames.min(producer.slots());
            if n < frames {
                data_shared
                    .dropped
                    .fetch_add((frames - n) as u64, Ordering::Relaxed);
            }
            if let Ok(chunk) = producer.write_chunk_uninit(n) {
                chunk.fill_from_iter(
                    data.chunks_exact(channels).map(|frame| {
                        frame.iter().map(|s| s.to_sample::<f32>()).sum::<f32>() * scale
                    }),
                );
            }
        },
        move |err: cpal::Error| on_stream_error(&error_shared, &err),
        None,
    )
}

/// The stream's error callback: overruns are counted, anything that ends
/// the stream is recorded once for the writer to report.
pub(crate) fn on_stream_error(shared: &Shared, err: &cpal::Error) {
    match CaptureError::streaming(err) {
        None => {
            if err.kind() == cpal::ErrorKind::Xrun {
                shared.xruns.fetch_add(1, Ordering::Relaxed);
            }
        }
        Some(failure) => {
            tracing::warn!(error = %err, "input stream failed");
            let mut slot = shared
                .failure
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !shared.failed.swap(true, Ordering::AcqRel) {
                *slot = Some(failure);
            }
        }
    }
}
