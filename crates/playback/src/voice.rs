//! The voice that sings the melody: a soft, clear "oo/ah" made of a few
//! harmonics under a vowel envelope, with a gentle vibrato once a note is
//! held, and short attack and release so notes are distinct.

use std::f64::consts::TAU;

/// Harmonic amplitudes (a rounded vowel: strong fundamental, a few partials).
const HARMONICS: [f64; 6] = [1.0, 0.45, 0.25, 0.12, 0.06, 0.03];
/// Level of the voice (peak about -10 dBFS).
const LEVEL: f64 = 0.3;
const ATTACK_S: f64 = 0.025;
const RELEASE_S: f64 = 0.06;
/// Vibrato: rate, depth in cents and when it starts.
const VIBRATO_HZ: f64 = 5.2;
const VIBRATO_CENTS: f64 = 12.0;
const VIBRATO_AFTER_S: f64 = 0.25;

#[derive(Debug, Clone)]
pub(crate) struct Voice {
    rate: f64,
    phase: f64,
    hz: f64,
    gain: f64,
    /// Gain change per sample (positive: attacking; negative: releasing).
    slope: f64,
    target: f64,
    /// Samples since the note started.
    held: u64,
}

impl Voice {
    pub(crate) fn new(rate: f64) -> Voice {
        Voice {
            rate,
            phase: 0.0,
            hz: 440.0,
            gain: 0.0,
            slope: 0.0,
            target: 0.0,
            held: 0,
        }
    }

    /// Starts singing MIDI pitch `midi` (a new note re-attacks from a dip).
    pub(crate) fn start(&mut self, midi: f64) {
        self.hz = 440.0 * 2f64.powf((midi - 69.0) / 12.0);
        self.gain *= 0.3;
        self.target = 1.0;
        self.slope = 1.0 / (ATTACK_S * self.rate);
        self.held = 0;
    }

    /// Lets the note go.
    pub(crate) fn stop(&mut self) {
        if self.target > 0.0 {
            self.target = 0.0;
            self.slope = -1.0 / (RELEASE_S * self.rate);
        }
    }

    pub(crate) fn is_silent(&self) -> bool {
        self.target == 0.0 && self.gain <= 0.0
    }

    pub(crate) fn next(&mut self) -> f64 {
        self.gain = if self.slope > 0.0 {
            (self.gain + self.slope).min(self.target)
        } else {
            (self.gain + self.slope).max(self.target)
        };
        if self.gain <= 0.0 && self.target == 0.0 {
            return 0.0;
        }
        let t = self.held as f64 / self.rate;
        self.held += 1;
        let vib = if t > VIBRATO_AFTER_S {
            let depth = ((t - VIBRATO_AFTER_S) / 0.3).min(1.0) * VIBRATO_CENTS;
            (depth / 1200.0 * (TAU * VIBRATO_HZ * t).sin()).exp2()
        } else {
            1.0
        };
        self.phase = (self.phase + TAU * self.hz * vib / self.rate) % TAU;
        let nyquist = 0.45 * self.rate;
        let s: f64 = HARMONICS
            .iter()
            .enumerate()
            .filter(|(k, _)| self.hz * (*k as f64 + 1.0) < nyquist)
            .map(|(k, a)| a * ((k as f64 + 1.0) * self.phase).sin())
            .sum();
        LEVEL * self.gain * s / 1.9
    }
}
