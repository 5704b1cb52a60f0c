//! Performances made from written melodies, with deterministic human jitter.

use tutti_score::Note;

/// A written note: MIDI pitch (`None` = rest) and length in quarter notes.
pub type Written = (Option<u8>, f64);

/// "Ode to Joy", first two phrases: 4 bars of 4/4 at sixteen quarters each
/// phrase, with a dotted quarter and an eighth.
pub fn ode_to_joy() -> Vec<Written> {
    let q = 1.0;
    [
        (64, q),
        (64, q),
        (65, q),
        (67, q),
        (67, q),
        (65, q),
        (64, q),
        (62, q),
        (60, q),
        (60, q),
        (62, q),
        (64, q),
        (64, 1.5),
        (62, 0.5),
        (62, 2.0),
        (64, q),
        (64, q),
        (65, q),
        (67, q),
        (67, q),
        (65, q),
        (64, q),
        (62, q),
        (60, q),
        (60, q),
        (62, q),
        (64, q),
        (62, 1.5),
        (60, 0.5),
        (60, 2.0),
    ]
    .iter()
    .map(|&(p, l)| (Some(p), l))
    .collect()
}

/// Small deterministic generator (xorshift64*), so tests are repeatable.
#[derive(Debug)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Jitter {
        Jitter(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Uniform in [-amount, amount].
    pub fn next(&mut self, amount: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (x as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * amount
    }
}

/// Plays `melody` at `bpm`: each note sounds `articulation` of its written
/// length, onsets and offsets moved by up to `jitter_s`, pitches shifted by
/// `cents`.
pub fn perform(
    melody: &[Written],
    bpm: f64,
    articulation: f64,
    jitter_s: f64,
    cents: f64,
    seed: u64,
) -> Vec<Note> {
    let mut rng = Jitter::new(seed);
    let beat = 60.0 / bpm;
    let mut t = 0.5;
    let mut out = Vec::new();
    for &(pitch, length) in melody {
        if let Some(p) = pitch {
            let onset = t + rng.next(jitter_s);
            let offset = t + length * beat * articulation + rng.next(jitter_s);
            out.push(Note {
                onset_s: onset,
                offset_s: offset.max(onset + 0.03),
                midi_pitch: f64::from(p) + cents / 100.0,
            });
        }
        t += length * beat;
    }
    out
}

/// The exact (unperformed) notes of a melody at `bpm`.
pub fn exact(melody: &[Written], bpm: f64) -> Vec<Note> {
    perform(melody, bpm, 1.0, 0.0, 0.0, 1)
}
