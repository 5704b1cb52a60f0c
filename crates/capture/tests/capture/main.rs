//! Capture through cpal for real, without a sound card: ALSA's `file` PCM
//! plays known audio as the default capture device (see `support`).

mod errors;
mod latency;
mod onset;
mod recording;
mod support;
mod unplug;
