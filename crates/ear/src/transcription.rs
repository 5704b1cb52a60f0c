//! The public transcription entry point: samples in, notes and tuning out.
//!
//! Two transcribers hear a line differently (see [`Source`]): the sung-line
//! one ([`crate::sung`]) places a note where its vowel or held sound
//! establishes itself, the played-line one ([`crate::played`]) at its attack
//! on the semitones of the take's tuning. [`Source::Auto`] listens with the
//! sung-line transcriber first and hands the take to the played-line one
//! when the notes sit on a fixed semitone grid, as a keyboard's, a fretted
//! instrument's or a well-tuned wind player's do and a free voice's do not.

use serde::{Deserialize, Serialize};
use tutti_score::Note;

use crate::resample::{decimate, decimation_factor};

/// What is being listened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// Decide from the take (the default): sung-line transcription unless
    /// the notes sit on a fixed semitone grid.
    #[default]
    Auto,
    /// A voice singing (syllables, words or a vowel): notes start at their vowel.
    Voice,
    /// An instrument: notes start at their attack.
    Instrument,
}

/// Transcription settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Round each note to the nearest semitone of the estimated tuning
    /// (`true`) or report its measured pitch (`false`, the default: what was
    /// sung or played, which a score rounds and grading compares with its
    /// own tolerance).
    pub snap_to_semitones: bool,
    /// What is being listened to.
    #[serde(default)]
    pub source: Source,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            snap_to_semitones: false,
            source: Source::Auto,
        }
    }
}

/// The notes of one recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transcription {
    /// Notes in time order. With `snap_to_semitones`, `midi_pitch` is a
    /// semitone of the take's own tuning (`n + tuning_cents / 100`), else the
    /// note's measured pitch.
    pub notes: Vec<Note>,
    /// Per note: how far its measured pitch lies from the nearest semitone of
    /// the take's own tuning, cents (-50..50; + is sharp).
    pub intonation_cents: Vec<f64>,
    /// Global tuning of the take relative to A4 = 440 Hz, cents in -50..50.
    pub tuning_cents: f64,
    /// Which transcriber heard the take (never `Auto`).
    pub heard_as: Source,
}

/// A note found by a transcriber, times in seconds, measured pitch in
/// (fractional) MIDI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RawNote {
    pub onset_s: f64,
    pub offset_s: f64,
    pub midi: f64,
    /// Pitch of the note's steady middle (20 % .. 90 %), without the way
    /// into and out of it: what its intonation is judged on.
    pub steady_midi: f64,
}

/// Estimates the global tuning (cents from the 440 Hz grid) from notes'
/// median pitches: circular mean of their offsets from the nearest semitone,
/// weighted by duration.
pub fn estimate_tuning(notes: &[(f64, f64)]) -> f64 {
    let (s, c) = grid_phasor(notes);
    if s == 0.0 && c == 0.0 {
        return 0.0;
    }
    100.0 * s.atan2(c) / (2.0 * std::f64::consts::PI)
}

/// Duration-weighted sum of the notes' positions on the semitone circle.
fn grid_phasor(notes: &[(f64, f64)]) -> (f64, f64) {
    let (mut s, mut c) = (0.0, 0.0);
    for &(midi, weight) in notes {
        let phase = 2.0 * std::f64::consts::PI * (midi - midi.round());
        s += weight * phase.sin();
        c += weight * phase.cos();
    }
    (s, c)
}

/// How closely the notes sit on one semitone grid: the length (0..1) of the
/// duration-weighted mean of their positions on the semitone circle. A take
/// on a fixed-pitch instrument or by a player in tune is close to 1; the free
/// intonation of a voice (notes tens of cents either side of the grid)
/// spreads them around the circle.
pub(crate) fn grid_fit(notes: &[RawNote]) -> f64 {
    let weighted: Vec<(f64, f64)> = notes
        .iter()
        .map(|n| (n.steady_midi, n.offset_s - n.onset_s))
        .collect();
    let total: f64 = weighted.iter().map(|w| w.1).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let (s, c) = grid_phasor(&weighted);
    (s * s + c * c).sqrt() / total
}

/// Notes a take needs before [`Source::Auto`] trusts its grid fit.
const MIN_NOTES_FOR_GRID: usize = 4;
/// Grid fit from which [`Source::Auto`] hears a take as played: rendered
/// and tuned instruments measure 0.87 and more, real amateur singers 0.76
/// and less (`eval/`; the dev sets' ranges).
const PLAYED_GRID_FIT: f64 = 0.82;

/// Transcribes a mono recording of one melodic line. Silence, noise, an empty
/// slice or a sample rate outside [`crate::SAMPLE_RATE_RANGE`] give no notes.
pub fn transcribe(samples: &[f32], sample_rate: u32, cfg: &Config) -> Transcription {
    let (min_rate, max_rate) = crate::SAMPLE_RATE_RANGE;
    if !(min_rate..=max_rate).contains(&sample_rate) {
        return Transcription {
            notes: Vec::new(),
            intonation_cents: Vec::new(),
            tuning_cents: 0.0,
            heard_as: match cfg.source {
                Source::Instrument => Source::Instrument,
                _ => Source::Voice,
            },
        };
    }
    let k = decimation_factor(sample_rate);
    let x = decimate(samples, k);
    let rate = f64::from(sample_rate) / k as f64;
    let sung = |x: &[f32]| {
        let notes = crate::sung::transcribe(x, rate);
        let weighted: Vec<(f64, f64)> = notes
            .iter()
            .map(|n| (n.midi, n.offset_s - n.onset_s))
            .collect();
        let tuning = estimate_tuning(&weighted);
        (notes, tuning)
    };
    let ((raw, tuning_cents), heard_as) = match cfg.source {
        Source::Voice => (sung(&x), Source::Voice),
        Source::Instrument => (crate::played::transcribe(&x, rate), Source::Instrument),
        Source::Auto => {
            let heard = sung(&x);
            if heard.0.len() >= MIN_NOTES_FOR_GRID && grid_fit(&heard.0) >= PLAYED_GRID_FIT {
                (crate::played::transcribe(&x, rate), Source::Instrument)
            } else {
                (heard, Source::Voice)
            }
        }
    };
    let shift = tuning_cents / 100.0;
    let mut notes = Vec::with_capacity(raw.len());
    let mut intonation_cents = Vec::with_capacity(raw.len());
    for n in &raw {
        let semitone = (n.midi - shift).round() + shift;
        notes.push(Note {
            onset_s: n.onset_s,
            offset_s: n.offset_s,
            midi_pitch: if cfg.snap_to_semitones {
                semitone
            } else {
                n.midi
            },
        });
        intonation_cents.push(100.0 * (n.midi - semitone));
    }
    Transcription {
        notes,
        intonation_cents,
        tuning_cents,
        heard_as,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One synthetic note: times in seconds, MIDI pitch, vibrato depth in cents
    /// (5.5 Hz), and a scoop: start this many semitones flat and glide up in 60 ms.
    #[derive(Clone, Copy)]
    struct Tone {
        on: f64,
        off: f64,
        midi: f64,
        vibrato_cents: f64,
        scoop: f64,
    }

    fn tone(on: f64, off: f64, midi: f64) -> Tone {
        Tone {
            on,
            off,
            midi,
            vibrato_cents: 0.0,
            scoop: 0.0,
        }
    }

    /// Harmonic tones (partials 1/k) with a 15 ms attack and a 40 ms release.
    fn synth(rate: u32, tones: &[Tone], amp: f32, partials: usize) -> Vec<f32> {
        let end = tones.iter().map(|t| t.off).fold(0.0, f64::max) + 0.5;
        let mut out = vec![0f32; (end * f64::from(rate)) as usize];
        for t in tones {
            let mut phase = 0.0f64;
            let first = (t.on * f64::from(rate)) as usize;
            let last = (((t.off + 0.04) * f64::from(rate)) as usize).min(out.len());
            for (i, o) in out.iter_mut().enumerate().take(last).skip(first) {
                let time = i as f64 / f64::from(rate) - t.on;
                let scoop = if time < 0.06 {
                    t.scoop * (1.0 - time / 0.06)
                } else {
                    0.0
                };
                let vib = t.vibrato_cents / 100.0 * (2.0 * std::f64::consts::PI * 5.5 * time).sin();
                let hz = 440.0 * 2f64.powf((t.midi - scoop + vib - 69.0) / 12.0);
                phase += 2.0 * std::f64::consts::PI * hz / f64::from(rate);
                let env = if time < 0.015 {
                    time / 0.015
                } else if time > t.off - t.on {
                    0.5 * (1.0 + (std::f64::consts::PI * (time - (t.off - t.on)) / 0.04).cos())
                } else {
                    1.0
                };
                let s: f64 = (1..=partials)
                    .map(|k| (k as f64 * phase).sin() / k as f64)
                    .sum();
                *o += amp * (env * s) as f32;
            }
        }
        out
    }

    fn run(rate: u32, x: &[f32]) -> Transcription {
        transcribe(x, rate, &Config::default())
    }

    fn assert_notes(got: &[Note], want: &[Tone], onset_tol: f64) {
        let brief: Vec<String> = got
            .iter()
            .map(|n| format!("{:.3}-{:.3}:{:.2}", n.onset_s, n.offset_s, n.midi_pitch))
            .collect();
        assert_eq!(got.len(), want.len(), "note count; got {brief:?}");
        for (g, w) in got.iter().zip(want) {
            assert!(
                (g.midi_pitch - w.midi).abs() < 0.5,
                "pitch {} for {}",
                g.midi_pitch,
                w.midi
            );
            assert!(
                (g.onset_s - w.on).abs() < onset_tol,
                "onset {} for {}",
                g.onset_s,
                w.on
            );
            assert!(g.offset_s > g.onset_s);
        }
    }

    #[test]
    fn pure_tone_is_one_note_with_its_times() {
        let want = [tone(0.3, 1.3, 69.0)];
        let t = run(44_100, &synth(44_100, &want, 0.3, 1));
        assert_notes(&t.notes, &want, 0.03);
        assert!(
            (t.notes[0].offset_s - 1.3).abs() < 0.05,
            "offset {}",
            t.notes[0].offset_s
        );
        assert!(t.tuning_cents.abs() < 3.0);
    }

    #[test]
    fn harmonic_scale_at_several_sample_rates() {
        let want: Vec<Tone> = [
            48.0, 50.0, 52.0, 53.0, 55.0, 57.0, 59.0, 60.0, 72.0, 84.0, 91.0,
        ]
        .iter()
        .enumerate()
        .map(|(i, &m)| tone(0.2 + 0.3 * i as f64, 0.45 + 0.3 * i as f64, m))
        .collect();
        for rate in [8_000, 16_000, 22_050, 44_100, 48_000, 96_000] {
            // leave out partials above the Nyquist frequency of low rates
            let partials = if rate < 20_000 { 1 } else { 4 };
            let t = run(rate, &synth(rate, &want, 0.2, partials));
            assert_eq!(t.notes.len(), want.len(), "{rate} Hz: {:?}", t.notes);
            assert_notes(&t.notes, &want, 0.03);
        }
    }

    #[test]
    fn vibrato_note_is_one_note_at_its_centre() {
        let want = [Tone {
            vibrato_cents: 50.0,
            ..tone(0.2, 2.2, 64.0)
        }];
        let t = run(44_100, &synth(44_100, &want, 0.3, 4));
        assert_notes(&t.notes, &want, 0.03);
        assert!(
            t.intonation_cents[0].abs() < 15.0,
            "centre {} cents off",
            t.intonation_cents[0]
        );
    }

    #[test]
    fn scooped_attack_and_glide_between_notes_give_only_the_held_notes() {
        let scooped = Tone {
            scoop: 1.5,
            ..tone(0.2, 0.9, 62.0)
        };
        // portamento: 60.0 -> 64.0 over the first 60 ms of the second note
        let glided = Tone {
            scoop: 4.0,
            ..tone(1.0, 1.8, 64.0)
        };
        let want = [scooped, tone(0.95, 0.98, 0.0), glided];
        let t = run(44_100, &synth(44_100, &[scooped, glided], 0.3, 4));
        assert_notes(&t.notes, &[want[0], want[2]], 0.04);
    }

    #[test]
    fn silence_and_white_noise_give_no_notes() {
        assert!(run(44_100, &vec![0.0; 44_100]).notes.is_empty());
        assert!(run(44_100, &[]).notes.is_empty());
        let mut state = 99u32;
        let noise: Vec<f32> = (0..3 * 44_100)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.6
            })
            .collect();
        let t = run(44_100, &noise);
        assert!(t.notes.is_empty(), "noise gave {:?}", t.notes);
    }

    #[test]
    fn repeated_notes_with_short_gaps_stay_separate() {
        let want: Vec<Tone> = (0..6)
            .map(|i| tone(0.2 + 0.25 * i as f64, 0.2 + 0.25 * i as f64 + 0.21, 67.0))
            .collect();
        let t = run(44_100, &synth(44_100, &want, 0.3, 4));
        assert_notes(&t.notes, &want, 0.03);
    }

    #[test]
    fn melody_thirty_cents_sharp_keeps_its_note_names() {
        let written = [60.0, 62.0, 64.0, 65.0, 67.0, 65.0, 64.0, 62.0, 60.0];
        let sharp: Vec<Tone> = written
            .iter()
            .enumerate()
            .map(|(i, &m)| tone(0.2 + 0.3 * i as f64, 0.45 + 0.3 * i as f64, m + 0.3))
            .collect();
        let t = run(44_100, &synth(44_100, &sharp, 0.3, 4));
        assert!(
            (t.tuning_cents - 30.0).abs() < 5.0,
            "tuning {}",
            t.tuning_cents
        );
        let names: Vec<f64> = t
            .notes
            .iter()
            .map(|n| (n.midi_pitch - t.tuning_cents / 100.0).round())
            .collect();
        assert_eq!(
            names,
            written.to_vec(),
            "note names relative to the take's tuning"
        );
        assert_notes(&t.notes, &sharp, 0.03);
    }

    #[test]
    fn odd_inputs_never_panic() {
        for rate in [0, 1, 4_000, 8_000, 11_025, 44_100, 384_000, u32::MAX] {
            for len in [0, 1, 7, 100, 441, 1_000, 5_000] {
                let x: Vec<f32> = (0..len)
                    .map(|i| ((i * 7919) % 13) as f32 / 13.0 - 0.5)
                    .collect();
                let t = run(rate, &x);
                assert!(t.notes.iter().all(|n| n.offset_s > n.onset_s));
            }
        }
        let mut x = synth(44_100, &[tone(0.1, 0.6, 60.0)], 0.3, 3);
        x[10_000] = f32::NAN;
        x[10_001] = f32::INFINITY;
        x[20_000] = 1e30;
        let _ = run(44_100, &x);
        let clipped: Vec<f32> = synth(44_100, &[tone(0.1, 0.6, 60.0)], 50.0, 3)
            .iter()
            .map(|v| v.clamp(-1.0, 1.0))
            .collect();
        assert_eq!(
            run(44_100, &clipped).notes.len(),
            1,
            "a clipped tone is still one note"
        );
    }

    #[test]
    fn quiet_input_gives_the_same_notes() {
        let want: Vec<Tone> = [57.0, 60.0, 64.0]
            .iter()
            .enumerate()
            .map(|(i, &m)| tone(0.2 + 0.4 * i as f64, 0.5 + 0.4 * i as f64, m))
            .collect();
        let loud = run(44_100, &synth(44_100, &want, 0.3, 4));
        let quiet = run(44_100, &synth(44_100, &want, 0.003, 4));
        assert_notes(&loud.notes, &want, 0.03);
        assert_notes(&quiet.notes, &want, 0.03);
    }
}
