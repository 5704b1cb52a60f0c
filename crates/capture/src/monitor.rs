//! The live monitor: mono samples in, level and pitch events out (sans-IO).
//!
//! Pitch comes from [`tutti_ear::LivePitch`] (a reading every 10 ms over the
//! last ~40 ms). Samples are fed to it in slices of its decimation factor
//! (4 samples at 48 kHz), aligned to the take, so each reading is stamped
//! with the take position at which it became available, to within a slice,
//! and the stamps do not depend on how the device chunks its input.

use std::collections::VecDeque;

use tutti_ear::{LivePitch, LiveReading};

use crate::CaptureError;
use crate::event::{CaptureEvent, EVENT_INTERVAL_S, PITCH_INTERVAL_S};

/// Readings [`CaptureEvent::Pitch::confidence`] looks back over.
const STABILITY_READINGS: usize = 4;
/// Level reported for digital silence, dBFS.
const FLOOR_DBFS: f32 = -120.0;

/// Turns the samples of a take into [`CaptureEvent`]s, positioned by sample.
#[derive(Debug)]
pub struct Monitor {
    rate: u32,
    live: LivePitch,
    /// Samples consumed so far (the take position).
    position: u64,
    slice: usize,
    level_block: usize,
    block_len: usize,
    block_sum_sq: f64,
    block_peak: f32,
    /// Readings since the last pitch/unvoiced event and the note it showed
    /// (`None` = unvoiced); `None` before the first.
    last_pitch: Option<(usize, Option<i32>)>,
    readings_per_event: usize,
    recent_notes: VecDeque<Option<i32>>,
}

impl Monitor {
    /// A monitor for mono input at `sample_rate` Hz; a rate the pitch
    /// tracker cannot work at is an [`CaptureError::UnsupportedFormat`].
    pub fn new(sample_rate: u32) -> Result<Monitor, CaptureError> {
        let rate = sample_rate;
        let live = LivePitch::new(rate).map_err(|e| CaptureError::UnsupportedFormat {
            format: format!("{rate} Hz input: {e}"),
        })?;
        Ok(Monitor {
            rate,
            live,
            position: 0,
            slice: tutti_ear::resample::decimation_factor(rate),
            level_block: ((EVENT_INTERVAL_S * f64::from(rate)).round() as usize).max(1),
            block_len: 0,
            block_sum_sq: 0.0,
            block_peak: 0.0,
            last_pitch: None,
            readings_per_event: ((PITCH_INTERVAL_S / tutti_ear::LIVE_HOP_S).round() as usize)
                .max(1),
            recent_notes: VecDeque::with_capacity(STABILITY_READINGS),
        })
    }

    /// Samples consumed so far.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Seconds the pitch analysis window covers.
    pub fn window_s(&self) -> f64 {
        self.live.window_s()
    }

    /// Feeds the next mono samples; appends the events that became due.
    pub fn push(&mut self, samples: &[f32], events: &mut Vec<CaptureEvent>) {
        let mut rest = samples;
        while !rest.is_empty() {
            let to_slice_end = self.slice - (self.position % self.slice as u64) as usize;
            let n = rest
                .len()
                .min(to_slice_end)
                .min(self.level_block - self.block_len);
            let (now, later) = rest.split_at(n);
            rest = later;
            for &v in now {
                self.block_sum_sq += f64::from(v) * f64::from(v);
                self.block_peak = self.block_peak.max(v.abs());
            }
            self.block_len += n;
            self.position += n as u64;
            for reading in self.live.push(now) {
                self.on_reading(&reading, events);
            }
            if self.block_len == self.level_block {
                events.push(self.level_event());
            }
        }
    }

    fn level_event(&mut self) -> CaptureEvent {
        let mean_sq = self.block_sum_sq / self.block_len as f64;
        let rms_dbfs = if mean_sq > 0.0 {
            ((10.0 * mean_sq.log10()) as f32).max(FLOOR_DBFS)
        } else {
            FLOOR_DBFS
        };
        let peak_dbfs = if self.block_peak > 0.0 {
            (20.0 * self.block_peak.log10()).max(FLOOR_DBFS)
        } else {
            FLOOR_DBFS
        };
        self.block_len = 0;
        self.block_sum_sq = 0.0;
        self.block_peak = 0.0;
        CaptureEvent::Level {
            at_sample: self.position,
            time_s: self.time_s(),
            rms_dbfs,
            peak_dbfs,
        }
    }

    fn on_reading(&mut self, reading: &LiveReading, events: &mut Vec<CaptureEvent>) {
        // the steady shown note (tutti_ear::NoteDisplay); through a short
        // dropout it is held and nothing new is reported
        let note = match (reading.midi, reading.note) {
            (Some(midi), Some(n)) => Some((midi, n)),
            (None, Some(_)) => return,
            _ => None,
        };
        let shown = note.map(|(_, n)| n);
        if self.recent_notes.len() == STABILITY_READINGS {
            self.recent_notes.pop_front();
        }
        self.recent_notes.push_back(shown);
        let due = match &mut self.last_pitch {
            None => true,
            Some((since, last)) => {
                *since += 1;
                *last != shown || *since >= self.readings_per_event
            }
        };
        if !due {
            return;
        }
        self.last_pitch = Some((0, shown));
        let (at_sample, time_s) = (self.position, self.time_s());
        events.push(match note {
            Some((midi_f, midi)) => {
                let agreeing = self
                    .recent_notes
                    .iter()
                    .filter(|n| **n == Some(midi))
                    .count();
                CaptureEvent::Pitch {
                    at_sample,
                    time_s,
                    note_name: reading
                        .note_name
                        .clone()
                        .unwrap_or_else(|| tutti_ear::note_name(midi)),
                    midi,
                    cents: reading.cents.unwrap_or(100.0 * (midi_f - f64::from(midi))),
                    frequency_hz: 440.0 * 2f64.powf((midi_f - 69.0) / 12.0),
                    confidence: agreeing as f32 / STABILITY_READINGS as f32,
                }
            }
            None => CaptureEvent::Unvoiced { at_sample, time_s },
        });
    }

    fn time_s(&self) -> f64 {
        self.position as f64 / f64::from(self.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: f64, rate: u32, seconds: f64) -> Vec<f32> {
        let n = (seconds * f64::from(rate)) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(rate);
                (0.3 * (2.0 * std::f64::consts::PI * hz * t).sin()) as f32
            })
            .collect()
    }

    fn run(samples: &[f32], rate: u32, chunk: usize) -> Vec<CaptureEvent> {
        let mut m = Monitor::new(rate).expect("a supported rate");
        let mut events = Vec::new();
        for c in samples.chunks(chunk) {
            m.push(c, &mut events);
        }
        assert_eq!(m.position(), samples.len() as u64);
        events
    }

    #[test]
    fn a_steady_tone_gives_forty_levels_and_fifty_pitches_a_second() {
        let rate = 48_000;
        let events = run(&tone(440.0, rate, 1.0), rate, 512);
        let levels: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, CaptureEvent::Level { .. }))
            .collect();
        assert_eq!(levels.len(), 40, "one level per 25 ms of audio");
        for e in &levels {
            let CaptureEvent::Level {
                rms_dbfs,
                peak_dbfs,
                at_sample,
                ..
            } = e
            else {
                unreachable!()
            };
            assert_eq!(at_sample % 1200, 0, "levels fall on 25 ms block boundaries");
            // A 0.3 sine: peak 20*log10(0.3) = -10.5 dBFS, RMS 3 dB lower.
            assert!((peak_dbfs + 10.46).abs() < 0.1, "{peak_dbfs}");
            assert!((rms_dbfs + 13.47).abs() < 0.1, "{rms_dbfs}");
        }
        let pitches: Vec<_> = events
            .iter()
            .filter(|e| matches!(e, CaptureEvent::Pitch { .. }))
            .collect();
        // 50 a second, less the ~40 ms before the first analysis window is full.
        assert!(pitches.len() >= 47, "{} pitch events in 1 s", pitches.len());
        let last = pitches.last().expect("voiced");
        let CaptureEvent::Pitch {
            note_name,
            midi,
            cents,
            frequency_hz,
            confidence,
            ..
        } = last
        else {
            unreachable!()
        };
        assert_eq!((note_name.as_str(), *midi), ("A4", 69));
        assert!(
            cents.abs() < 5.0 && (frequency_hz - 440.0).abs() < 2.0,
            "{cents} {frequency_hz}"
        );
        assert!(
            (confidence - 1.0).abs() < f32::EPSILON,
            "a steady note is fully confident"
        );
    }

    #[test]
    fn positions_do_not_depend_on_how_the_input_is_chunked() {
        let rate = 44_100;
        let mut input = vec![0.0f32; 11_025];
        input.extend(tone(261.63, rate, 0.5));
        let a = run(&input, rate, 64);
        let b = run(&input, rate, 4096);
        assert_eq!(a, b);
    }

    #[test]
    fn silence_reads_unvoiced_at_the_floor() {
        let events = run(&vec![0.0; 16_000], 16_000, 160);
        assert!(events.iter().all(|e| match e {
            CaptureEvent::Level {
                rms_dbfs,
                peak_dbfs,
                ..
            } => *rms_dbfs == FLOOR_DBFS && *peak_dbfs == FLOOR_DBFS,
            CaptureEvent::Unvoiced { .. } => true,
            _ => false,
        }));
        let unvoiced = events
            .iter()
            .filter(|e| matches!(e, CaptureEvent::Unvoiced { .. }))
            .count();
        assert!(
            unvoiced >= 47,
            "unvoiced is repeated at least every 20 ms: {unvoiced}"
        );
    }

    #[test]
    fn a_note_change_is_reported_at_once() {
        let rate = 48_000;
        let mut input = tone(440.0, rate, 0.3);
        input.extend(tone(493.88, rate, 0.3));
        let events = run(&input, rate, 480);
        let names: Vec<(u64, &str)> = events
            .iter()
            .filter_map(|e| match e {
                CaptureEvent::Pitch {
                    at_sample,
                    note_name,
                    ..
                } => Some((*at_sample, note_name.as_str())),
                _ => None,
            })
            .collect();
        let first_b = names.iter().find(|(_, n)| *n == "B4").expect("B4 heard");
        let latency_s = (first_b.0 as f64 - 0.3 * f64::from(rate)) / f64::from(rate);
        assert!(
            (0.0..0.06).contains(&latency_s),
            "B4 shown {latency_s:.3} s after it starts"
        );
    }
}
