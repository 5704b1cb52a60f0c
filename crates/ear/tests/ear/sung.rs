//! A voice-like phrase made here (vowels, vibrato, scoops, consonants,
//! breaths, free intonation, room noise) is transcribed and graded as a
//! singer would expect: a vibrato note is one note, a scoop into a note is
//! not a wrong note, a breath is not a missed note, and a few target notes
//! moved away from what was sung are exactly the ones flagged.

use tutti_score::{Note, Verdict};

/// One sung note of the phrase.
#[derive(Debug, Clone, Copy)]
struct Sung {
    on: f64,
    off: f64,
    /// The written note (MIDI).
    written: f64,
    /// How far the singer is from it, cents.
    off_cents: f64,
    /// Vibrato depth (cents), starting 150 ms into the note, 5.6 Hz.
    vibrato_cents: f64,
    /// The note starts this many semitones flat and glides up in 90 ms.
    scoop: f64,
    /// A 60 ms unvoiced consonant before the vowel ("s", "t").
    consonant: bool,
    /// A 70 ms voiced nasal ("m") at the note's pitch before the vowel.
    nasal: bool,
    /// Vowel formants (Hz).
    vowel: [f64; 3],
}

const A: [f64; 3] = [800.0, 1200.0, 2600.0];
const O: [f64; 3] = [500.0, 900.0, 2500.0];
const E: [f64; 3] = [450.0, 1900.0, 2600.0];
const I: [f64; 3] = [300.0, 2300.0, 3000.0];

fn note(on: f64, off: f64, written: f64, off_cents: f64, vowel: [f64; 3]) -> Sung {
    Sung {
        on,
        off,
        written,
        off_cents,
        vibrato_cents: 0.0,
        scoop: 0.0,
        consonant: false,
        nasal: false,
        vowel,
    }
}

/// The murmur of a nasal consonant: most energy at its first resonance.
const M: [f64; 3] = [250.0, 2200.0, 2800.0];

/// Deterministic noise in -1..1.
struct Noise(u32);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        f64::from(self.0 >> 8) / f64::from(1u32 << 23) - 1.0
    }
}

/// Gain of a partial at `hz` through three formant resonances.
fn formants(hz: f64, vowel: &[f64; 3]) -> f64 {
    vowel
        .iter()
        .zip([1.0, 0.6, 0.3])
        .map(|(&f, g)| {
            let bw = 0.12 * f;
            g / (1.0 + ((hz - f) / bw).powi(2))
        })
        .sum::<f64>()
        + 0.02
}

/// Renders the phrase at `rate` Hz.
fn render(notes: &[Sung], breaths: &[(f64, f64)], rate: u32) -> Vec<f32> {
    let r = f64::from(rate);
    let end = notes.iter().map(|n| n.off).fold(0.0, f64::max) + 0.6;
    let mut out = vec![0f64; (end * r) as usize];
    let mut noise = Noise(2024);
    // room noise, -50 dB
    for v in out.iter_mut() {
        *v += 0.003 * noise.next();
    }
    for n in notes {
        if n.nasal {
            // "m": the note's pitch through a nasal tract, 12 dB down
            let a = ((n.on - 0.07) * r) as usize;
            let mut phase = 0.0f64;
            let hz = 440.0 * 2f64.powf((n.written + n.off_cents / 100.0 - 69.0) / 12.0);
            for o in &mut out[a..(n.on * r) as usize] {
                phase += 2.0 * std::f64::consts::PI * hz / r;
                let mut s = 0.0;
                let mut k = 1.0;
                while k * hz < 0.45 * r && k <= 40.0 {
                    s += formants(k * hz, &M) * formants(k * hz, &M) / k * (k * phase).sin();
                    k += 1.0;
                }
                *o += 0.04 * s;
            }
        }
        let first = (n.on * r) as usize;
        let last = (((n.off + 0.06) * r) as usize).min(out.len());
        let mut phase = 0.0f64;
        let mut wander = 0.0f64;
        for (i, o) in out.iter_mut().enumerate().take(last).skip(first) {
            let t = i as f64 / r - n.on;
            let scoop = if t < 0.09 {
                n.scoop * (1.0 - t / 0.09)
            } else {
                0.0
            };
            let vib = if t > 0.15 {
                n.vibrato_cents / 100.0 * (2.0 * std::f64::consts::PI * 5.6 * (t - 0.15)).sin()
            } else {
                0.0
            };
            wander = 0.999 * wander + 0.0004 * noise.next();
            let midi = n.written + n.off_cents / 100.0 - scoop + vib + wander;
            let hz = 440.0 * 2f64.powf((midi - 69.0) / 12.0);
            phase += 2.0 * std::f64::consts::PI * hz / r;
            let env = if t < 0.04 {
                t / 0.04
            } else if t > n.off - n.on {
                (1.0 - (t - (n.off - n.on)) / 0.06).max(0.0)
            } else {
                1.0
            };
            let mut s = 0.0;
            let mut k = 1.0;
            while k * hz < 0.45 * r && k <= 40.0 {
                s += formants(k * hz, &n.vowel) / k * (k * phase).sin();
                k += 1.0;
            }
            *o += 0.15 * env * s;
        }
        if n.consonant {
            // a hissing consonant just before the vowel: high-passed noise
            let a = ((n.on - 0.07).max(0.0) * r) as usize;
            let b = ((n.on - 0.01) * r) as usize;
            let mut prev = 0.0;
            for o in &mut out[a..b] {
                let w = noise.next();
                *o += 0.04 * (w - prev);
                prev = w;
            }
        }
    }
    for &(a, b) in breaths {
        for o in &mut out[(a * r) as usize..(b * r) as usize] {
            *o += 0.012 * noise.next();
        }
    }
    out.into_iter().map(|v| v as f32).collect()
}

/// Two phrases of a folk-like tune with a breath between them.
fn phrase() -> (Vec<Sung>, Vec<(f64, f64)>) {
    let mut notes = vec![
        note(0.50, 0.90, 60.0, -15.0, A),
        note(1.00, 1.40, 62.0, 20.0, O),
        note(1.50, 1.90, 64.0, -25.0, E),
        note(2.00, 3.00, 67.0, 10.0, A), // long, with vibrato
        note(3.10, 3.50, 65.0, -20.0, I),
        note(3.60, 4.00, 64.0, 15.0, O),
        // a breath 4.15 .. 4.45
        note(4.60, 5.00, 62.0, -10.0, E),
        note(5.10, 5.50, 64.0, 25.0, A),
        note(5.60, 6.00, 62.0, -20.0, O),
        note(6.10, 6.49, 60.0, 10.0, I),
        note(6.56, 7.60, 60.0, 10.0, A), // "ma", same pitch; long, with vibrato
    ];
    notes[10].nasal = true;
    notes[3].vibrato_cents = 55.0;
    notes[10].vibrato_cents = 45.0;
    notes[1].scoop = 1.2;
    notes[4].scoop = 0.8;
    notes[7].scoop = 1.5;
    notes[2].consonant = true;
    notes[5].consonant = true;
    notes[8].consonant = true;
    (notes, vec![(4.15, 4.45)])
}

fn written(notes: &[Sung]) -> Vec<Note> {
    notes
        .iter()
        .map(|n| Note {
            onset_s: n.on,
            offset_s: n.off,
            midi_pitch: n.written,
        })
        .collect()
}

fn transcribed() -> (Vec<Sung>, tutti_ear::Transcription) {
    let (notes, breaths) = phrase();
    let audio = render(&notes, &breaths, 44_100);
    let t = tutti_ear::transcribe(&audio, 44_100, &tutti_ear::Config::default());
    (notes, t)
}

#[test]
fn a_sung_phrase_is_heard_as_a_voice_with_one_note_per_sung_note() {
    let (notes, t) = transcribed();
    let brief: Vec<String> = t
        .notes
        .iter()
        .map(|n| format!("{:.2}-{:.2}:{:.2}", n.onset_s, n.offset_s, n.midi_pitch))
        .collect();
    assert_eq!(
        t.heard_as,
        tutti_ear::Source::Voice,
        "free intonation (tens of cents either way) is a voice"
    );
    assert_eq!(
        t.notes.len(),
        notes.len(),
        "vibrato, scoops, consonants and the breath add no notes: {brief:?}"
    );
    for (got, want) in t.notes.iter().zip(&notes) {
        let sung = want.written + want.off_cents / 100.0;
        assert!(
            (got.midi_pitch - sung).abs() < 0.25,
            "a note sung at {sung:.2} reads {:.2} (vibrato is heard at its centre, a scoop does not pull it down): {brief:?}",
            got.midi_pitch
        );
        assert!(
            (got.onset_s - want.on).abs() < 0.06,
            "onset {:.3} for a note starting at {:.3}: {brief:?}",
            got.onset_s,
            want.on
        );
    }
}

#[test]
fn a_sung_phrase_grades_right_against_what_was_written() {
    let (notes, t) = transcribed();
    let g = tutti_score::grade(&written(&notes), &t.notes).expect("grades");
    let verdicts: Vec<Verdict> = g.notes.iter().map(|n| n.verdict).collect();
    assert!(
        g.notes.iter().all(|n| n.verdict == Verdict::Right),
        "every note is sung within 25 cents of the melody, on time: {verdicts:?}"
    );
    assert!(
        g.extras.is_empty(),
        "the breath is no extra note: {:?}",
        g.extras
    );
    assert!(g.total_score >= 95.0, "total {}", g.total_score);
}

#[test]
fn moved_target_notes_are_exactly_the_ones_flagged() {
    let (notes, t) = transcribed();
    let mut target = written(&notes);
    let moved = [2usize, 5, 8];
    for &i in &moved {
        target[i].midi_pitch += 2.0;
    }
    let g = tutti_score::grade(&target, &t.notes).expect("grades");
    for (i, n) in g.notes.iter().enumerate() {
        let want = if moved.contains(&i) {
            Verdict::Flat
        } else {
            Verdict::Right
        };
        assert_eq!(
            n.verdict, want,
            "note {i}: the singer sang the written melody, so only the moved target notes are off"
        );
    }
}
