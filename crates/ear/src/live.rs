//! Live pitch for the recording screen: push microphone samples as they
//! come, get note name, cents and level every 10 ms from the last ~40 ms.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::pitch::Yin;
use crate::played::voicing::VOICED_AP;
use crate::resample::{StreamDecimator, decimation_factor};

/// Seconds between readings (100 readings per second).
pub const LIVE_HOP_S: f64 = 0.01;
/// Input quieter than this (dBFS, RMS over the analysis window) reads as silence.
pub const LIVE_SILENCE_DBFS: f32 = -60.0;

const NAMES: [&str; 12] = [
    "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
];

/// Scientific pitch name of a MIDI note number (60 = "C4", 69 = "A4").
pub fn note_name(midi: i32) -> String {
    format!(
        "{}{}",
        NAMES[midi.rem_euclid(12) as usize],
        midi.div_euclid(12) - 1
    )
}

/// One live reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveReading {
    /// Time of the newest sample the reading covers, seconds since the tracker started.
    pub time_s: f64,
    /// Input level, dBFS (RMS over the analysis window; -120 for digital silence).
    pub level_db: f32,
    /// Whether a steady pitch was heard.
    pub voiced: bool,
    /// Fractional MIDI pitch (69.0 = A4 = 440 Hz), when voiced.
    pub midi: Option<f64>,
    /// Nearest note name, e.g. "A4", when voiced.
    pub note_name: Option<String>,
    /// Cents from that note (-50..50), when voiced.
    pub cents: Option<f64>,
}

/// Streaming pitch tracker: 10 ms hop, 40 ms window (YIN), any sample rate.
#[derive(Debug)]
pub struct LivePitch {
    decimator: StreamDecimator,
    rate: f64,
    yin: Yin,
    hop: usize,
    buf: Vec<f32>,
    scratch: Vec<f32>,
    since_reading: usize,
    consumed: u64,
}

impl LivePitch {
    /// A tracker for input at `sample_rate` Hz (within [`crate::SAMPLE_RATE_RANGE`]).
    pub fn new(sample_rate: u32) -> Result<LivePitch, Error> {
        let (min_rate, max_rate) = crate::SAMPLE_RATE_RANGE;
        if !(min_rate..=max_rate).contains(&sample_rate) {
            return Err(Error::UnsupportedSampleRate(sample_rate));
        }
        let k = decimation_factor(sample_rate);
        let rate = f64::from(sample_rate) / k as f64;
        let yin = Yin::new(rate);
        Ok(LivePitch {
            decimator: StreamDecimator::new(k),
            hop: (LIVE_HOP_S * rate).round().max(1.0) as usize,
            buf: Vec::with_capacity(4 * yin.frame_len()),
            scratch: Vec::with_capacity(1024),
            yin,
            rate,
            since_reading: 0,
            consumed: 0,
        })
    }

    /// Samples the analysis window covers, seconds.
    pub fn window_s(&self) -> f64 {
        self.yin.frame_len() as f64 / self.rate
    }

    /// Feeds mono samples; returns the readings that became due (one per hop).
    pub fn push(&mut self, samples: &[f32]) -> Vec<LiveReading> {
        self.scratch.clear();
        self.decimator.push(samples, &mut self.scratch);
        let mut readings = Vec::new();
        let frame_len = self.yin.frame_len();
        for i in 0..self.scratch.len() {
            let v = self.scratch[i];
            self.buf.push(v);
            self.consumed += 1;
            self.since_reading += 1;
            if self.since_reading >= self.hop && self.buf.len() >= frame_len {
                self.since_reading = 0;
                let start = self.buf.len() - frame_len;
                let frame = self.buf[start..].to_vec();
                readings.push(self.read(&frame));
            }
            if self.buf.len() >= 4 * frame_len {
                self.buf.drain(..self.buf.len() - frame_len);
            }
        }
        readings
    }

    fn read(&mut self, frame: &[f32]) -> LiveReading {
        let power = frame.iter().map(|v| v * v).sum::<f32>() / frame.len() as f32;
        let level_db = if power > 0.0 {
            (10.0 * power.log10()).max(-120.0)
        } else {
            -120.0
        };
        let time_s = self.consumed as f64 / self.rate;
        let est = if level_db > LIVE_SILENCE_DBFS {
            Some(self.yin.estimate(frame))
        } else {
            None
        };
        match est {
            Some(e) if e.hz > 0.0 && e.aperiodicity < VOICED_AP => {
                let midi = 69.0 + 12.0 * (f64::from(e.hz) / 440.0).log2();
                let nearest = midi.round();
                LiveReading {
                    time_s,
                    level_db,
                    voiced: true,
                    midi: Some(midi),
                    note_name: Some(note_name(nearest as i32)),
                    cents: Some(100.0 * (midi - nearest)),
                }
            }
            _ => LiveReading {
                time_s,
                level_db,
                voiced: false,
                midi: None,
                note_name: None,
                cents: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, rate: u32, seconds: f64, amp: f32) -> Vec<f32> {
        let n = (seconds * f64::from(rate)) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                amp * ((2.0 * std::f64::consts::PI * hz * t).sin()
                    + 0.5 * (4.0 * std::f64::consts::PI * hz * t).sin())
                    as f32
            })
            .collect()
    }

    #[test]
    fn names_follow_scientific_pitch_notation() {
        assert_eq!(note_name(69), "A4");
        assert_eq!(note_name(60), "C4");
        assert_eq!(note_name(61), "C#4");
        assert_eq!(note_name(23), "B0");
    }

    #[test]
    fn steady_tone_reads_a4_a_hundred_times_a_second() {
        let mut live = LivePitch::new(48_000).unwrap();
        assert!(live.window_s() <= 0.041, "window {} s", live.window_s());
        let mut readings = Vec::new();
        for chunk in tone(440.0, 48_000, 1.0, 0.3).chunks(480) {
            readings.extend(live.push(chunk));
        }
        assert!(readings.len() >= 95, "{} readings in 1 s", readings.len());
        let voiced: Vec<_> = readings.iter().filter(|r| r.voiced).collect();
        assert!(voiced.len() >= 90);
        for r in voiced {
            assert_eq!(r.note_name.as_deref(), Some("A4"));
            assert!(r.cents.is_some_and(|c| c.abs() < 5.0), "{r:?}");
            assert!(
                (r.level_db + 12.5).abs() < 1.0,
                "partials of 0.3 and 0.15 have a mean power of 0.05625, -12.5 dBFS: {}",
                r.level_db
            );
        }
    }

    #[test]
    fn a_note_shows_within_60_ms_of_its_onset() {
        let rate = 44_100;
        let mut input = vec![0.0f32; rate as usize / 2];
        input.extend(tone(329.63, rate, 0.5, 0.2)); // E4 starting at 0.5 s
        let mut live = LivePitch::new(rate).unwrap();
        let mut first = None;
        for chunk in input.chunks(441) {
            for r in live.push(chunk) {
                if first.is_none() && r.note_name.as_deref() == Some("E4") {
                    first = Some(r.time_s);
                }
            }
        }
        let latency = first.expect("the tone was recognised") - 0.5;
        assert!(
            (0.0..0.06).contains(&latency),
            "note shown {latency:.3} s after its onset"
        );
    }

    #[test]
    fn silence_and_noise_read_unvoiced() {
        assert!(matches!(
            LivePitch::new(0),
            Err(Error::UnsupportedSampleRate(0))
        ));
        let mut live = LivePitch::new(4_000).unwrap();
        assert!(live.push(&[]).is_empty());
        let mut live = LivePitch::new(16_000).unwrap();
        let silent = live.push(&vec![0.0; 16_000]);
        assert!(silent.iter().all(|r| !r.voiced && r.level_db <= -119.0));
        let mut state = 7u32;
        let noise: Vec<f32> = (0..16_000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.5
            })
            .collect();
        let noisy = live.push(&noise);
        let voiced = noisy.iter().filter(|r| r.voiced).count();
        assert!(
            voiced * 20 < noisy.len(),
            "{voiced} of {} noise readings voiced",
            noisy.len()
        );
    }
}
