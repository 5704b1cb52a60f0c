//! Written pitch: letter names, accidentals and octaves, key signatures, the
//! key estimate (Krumhansl–Kessler profiles) and key-aware spelling.
//!
//! Spelling works on the line of fifths (… Bb F C G D A E B F# …): each pitch
//! class has one position per enharmonic spelling, and we pick the spelling
//! nearest the centre of the key's diatonic window.

use serde::{Deserialize, Serialize};

/// A letter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    C,
    D,
    E,
    F,
    G,
    A,
    B,
}

impl Step {
    /// Letters in line-of-fifths order, starting at F (position -1).
    const FIFTHS: [Step; 7] = [
        Step::F,
        Step::C,
        Step::G,
        Step::D,
        Step::A,
        Step::E,
        Step::B,
    ];

    /// Pitch class of the natural note (C = 0).
    pub fn pitch_class(self) -> i32 {
        match self {
            Step::C => 0,
            Step::D => 2,
            Step::E => 4,
            Step::F => 5,
            Step::G => 7,
            Step::A => 9,
            Step::B => 11,
        }
    }

    /// The letter as written in MusicXML and ABC (upper case).
    pub fn letter(self) -> char {
        match self {
            Step::C => 'C',
            Step::D => 'D',
            Step::E => 'E',
            Step::F => 'F',
            Step::G => 'G',
            Step::A => 'A',
            Step::B => 'B',
        }
    }

    /// Parses an upper- or lower-case letter name.
    pub fn from_letter(c: char) -> Option<Step> {
        Some(match c.to_ascii_uppercase() {
            'C' => Step::C,
            'D' => Step::D,
            'E' => Step::E,
            'F' => Step::F,
            'G' => Step::G,
            'A' => Step::A,
            'B' => Step::B,
            _ => return None,
        })
    }
}

/// A spelled pitch as MusicXML writes it: C#4 is `{ step: C, alter: 1, octave: 4 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpelledPitch {
    pub step: Step,
    /// Semitones of accidental: -2 double flat … +2 double sharp.
    pub alter: i8,
    /// Octave of the letter (scientific pitch notation: middle C is C4).
    pub octave: i8,
}

impl SpelledPitch {
    /// MIDI note number (C4 = 60).
    pub fn midi(self) -> i32 {
        12 * (i32::from(self.octave) + 1) + self.step.pitch_class() + i32::from(self.alter)
    }

    /// Spells MIDI note `midi` in `key`.
    pub fn spell(midi: u8, key: KeySignature) -> SpelledPitch {
        let midi = i32::from(midi);
        let pc = midi.rem_euclid(12);
        // Line-of-fifths position q satisfies 7q ≡ pc (mod 12); 7 is its own inverse.
        let base = (7 * pc).rem_euclid(12); // 0..=11
        let centre = key.spelling_centre();
        let q = [base - 12, base]
            .into_iter()
            .min_by_key(|q| ((q - centre).abs(), *q))
            .unwrap_or(base);
        let (step, alter) = from_fifths(q);
        let octave = (midi - step.pitch_class() - i32::from(alter)).div_euclid(12) - 1;
        SpelledPitch {
            step,
            alter,
            octave: octave as i8,
        }
    }

    /// Readable name such as "C#4" or "Bb3".
    pub fn name(self) -> String {
        let acc = match self.alter {
            -2 => "bb",
            -1 => "b",
            1 => "#",
            2 => "##",
            _ => "",
        };
        format!("{}{}{}", self.step.letter(), acc, self.octave)
    }
}

/// Letter and accidental of line-of-fifths position `q` (C = 0, G = 1, F = -1).
fn from_fifths(q: i32) -> (Step, i8) {
    let i = q + 1;
    (
        Step::FIFTHS[i.rem_euclid(7) as usize],
        i.div_euclid(7) as i8,
    )
}

/// Major or minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Major,
    Minor,
}

/// A key signature as MusicXML writes it: sharps positive, flats negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySignature {
    /// -7 (7 flats) … +7 (7 sharps).
    pub fifths: i8,
    pub mode: Mode,
}

impl Default for KeySignature {
    fn default() -> Self {
        KeySignature {
            fifths: 0,
            mode: Mode::Major,
        }
    }
}

impl KeySignature {
    /// The key whose tonic is pitch class `tonic_pc` (C = 0) in `mode`,
    /// written with at most six sharps or five flats.
    pub fn from_tonic(tonic_pc: u8, mode: Mode) -> KeySignature {
        let major_pc = match mode {
            Mode::Major => i32::from(tonic_pc),
            Mode::Minor => i32::from(tonic_pc) + 3,
        };
        let mut fifths = (7 * major_pc).rem_euclid(12);
        if fifths > 6 {
            fifths -= 12;
        }
        KeySignature {
            fifths: fifths as i8,
            mode,
        }
    }

    /// Line-of-fifths position of the tonic.
    fn tonic_fifths(self) -> i32 {
        i32::from(self.fifths)
            + match self.mode {
                Mode::Major => 0,
                Mode::Minor => 3,
            }
    }

    /// Centre of the spelling window: the middle of the diatonic set, moved a
    /// fifth sharpwards in minor so the raised leading tone is a sharp (G# in A minor).
    fn spelling_centre(self) -> i32 {
        i32::from(self.fifths)
            + match self.mode {
                Mode::Major => 2,
                Mode::Minor => 3,
            }
    }

    /// The accidental the key signature puts on `step` (-1, 0 or +1).
    pub fn alter_of(self, step: Step) -> i8 {
        let q = Step::FIFTHS
            .iter()
            .position(|s| *s == step)
            .map_or(0, |i| i as i32 - 1);
        let f = i32::from(self.fifths);
        // Sharps are added F C G D A E B (F at one sharp), flats B E A D G C F.
        if q <= f - 2 {
            1
        } else if q >= 6 + f {
            -1
        } else {
            0
        }
    }

    /// Tonic pitch class (C = 0).
    pub fn tonic_pitch_class(self) -> u8 {
        (7 * self.tonic_fifths()).rem_euclid(12) as u8
    }

    /// The key as ABC writes it in `K:`: "G", "Bb", "F#m", "Em".
    pub fn abc_name(self) -> String {
        let (step, alter) = from_fifths(self.tonic_fifths());
        let acc = match alter {
            -1 => "b",
            1 => "#",
            _ => "",
        };
        let m = if self.mode == Mode::Minor { "m" } else { "" };
        format!("{}{acc}{m}", step.letter())
    }
}

const MAJOR_PROFILE: [f64; 12] = [
    6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88,
];
const MINOR_PROFILE: [f64; 12] = [
    6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17,
];

/// Estimates the key of a melody from `(midi_pitch, weight)` pairs, weight
/// usually the note's length. Correlates the pitch-class histogram with the
/// Krumhansl–Kessler profiles of all 24 keys; ties go to fewer accidentals.
/// Returns C major when there is nothing to go on.
pub fn estimate_key(pitches: impl IntoIterator<Item = (u8, f64)>) -> KeySignature {
    let mut hist = [0.0f64; 12];
    for (p, w) in pitches {
        if w.is_finite() && w > 0.0 {
            hist[usize::from(p % 12)] += w;
        }
    }
    if hist.iter().sum::<f64>() <= 0.0 {
        return KeySignature::default();
    }
    let mut best = (f64::NEG_INFINITY, KeySignature::default());
    for mode in [Mode::Major, Mode::Minor] {
        let profile = if mode == Mode::Major {
            &MAJOR_PROFILE
        } else {
            &MINOR_PROFILE
        };
        for tonic in 0..12u8 {
            let rotated: Vec<f64> = (0..12)
                .map(|pc| profile[(pc + 12 - usize::from(tonic)) % 12])
                .collect();
            let r = correlation(&hist, &rotated);
            let key = KeySignature::from_tonic(tonic, mode);
            let better = r > best.0 + 1e-9
                || ((r - best.0).abs() <= 1e-9 && key.fifths.abs() < best.1.fifths.abs());
            if better {
                best = (r, key);
            }
        }
    }
    best.1
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa <= 0.0 || sbb <= 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tonic: u8, mode: Mode) -> KeySignature {
        KeySignature::from_tonic(tonic, mode)
    }

    #[test]
    fn key_signatures_from_tonics() {
        assert_eq!(key(7, Mode::Major).fifths, 1, "G major");
        assert_eq!(key(5, Mode::Major).fifths, -1, "F major");
        assert_eq!(key(9, Mode::Minor).fifths, 0, "A minor");
        assert_eq!(key(4, Mode::Minor).fifths, 1, "E minor");
        assert_eq!(key(3, Mode::Major).fifths, -3, "E flat major");
        assert_eq!(key(6, Mode::Major).fifths, 6, "F sharp major");
        assert_eq!(key(10, Mode::Minor).abc_name(), "Bbm");
        assert_eq!(key(6, Mode::Minor).abc_name(), "F#m");
    }

    #[test]
    fn black_keys_are_spelled_from_the_key() {
        let spell = |midi, k| SpelledPitch::spell(midi, k).name();
        assert_eq!(spell(70, key(5, Mode::Major)), "Bb4", "F major");
        assert_eq!(spell(66, key(7, Mode::Major)), "F#4", "G major");
        assert_eq!(
            spell(68, key(9, Mode::Minor)),
            "G#4",
            "A minor's leading tone"
        );
        assert_eq!(
            spell(61, key(2, Mode::Minor)),
            "C#4",
            "D minor's leading tone"
        );
        assert_eq!(spell(63, key(0, Mode::Major)), "Eb4", "C major, chromatic");
        // Octave follows the letter: C flat 5 sounds as B4.
        let cb = SpelledPitch::spell(
            71,
            KeySignature {
                fifths: -7,
                mode: Mode::Major,
            },
        );
        assert_eq!((cb.step, cb.alter, cb.octave), (Step::C, -1, 5));
        assert_eq!(cb.midi(), 71);
    }

    #[test]
    fn key_signature_alters_the_right_letters() {
        let d_major = key(2, Mode::Major);
        assert_eq!(d_major.alter_of(Step::F), 1);
        assert_eq!(d_major.alter_of(Step::C), 1);
        assert_eq!(d_major.alter_of(Step::G), 0);
        let e_flat = key(3, Mode::Major);
        assert_eq!(e_flat.alter_of(Step::B), -1);
        assert_eq!(e_flat.alter_of(Step::A), -1);
        assert_eq!(e_flat.alter_of(Step::D), 0);
    }

    #[test]
    fn key_estimate_reads_a_scale_and_a_minor_tune() {
        let g_major = [67, 69, 71, 72, 74, 76, 78, 79].map(|p| (p, 1.0));
        assert_eq!(estimate_key(g_major), key(7, Mode::Major));
        // A minor: tonic and dominant held long, raised leading tone.
        let a_minor = [
            (69, 3.0),
            (72, 1.0),
            (76, 2.0),
            (74, 1.0),
            (72, 1.0),
            (71, 1.0),
            (68, 1.0),
            (69, 3.0),
        ];
        assert_eq!(estimate_key(a_minor), key(9, Mode::Minor));
        assert_eq!(estimate_key([]), KeySignature::default());
    }
}
