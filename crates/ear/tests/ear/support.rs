//! Locating the eval data.

use std::path::PathBuf;

/// `$TUTTI_EVAL_DIR/transcription`, else the repository's `eval/transcription`;
/// panics with instructions when it is not there.
pub fn transcription_dir() -> PathBuf {
    let base = std::env::var_os("TUTTI_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../eval"));
    let dir = base.join("transcription");
    assert!(
        dir.join("dev/audio").is_dir() && dir.join("dev/gt").is_dir(),
        "transcription eval data not found at {} (expected dev/audio and dev/gt there); \
         set TUTTI_EVAL_DIR to the folder that holds `transcription/`",
        dir.display()
    );
    dir
}

/// Sorted file stems with the given extension in `dir`.
pub fn stems(dir: &std::path::Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}

// ---- a voice-like singer for tests ----

/// One sung note of the phrase.
#[derive(Debug, Clone, Copy)]
pub struct Sung {
    pub on: f64,
    pub off: f64,
    /// The written note (MIDI).
    pub written: f64,
    /// How far the singer is from it, cents.
    pub off_cents: f64,
    /// Vibrato depth (cents), starting 150 ms into the note, 5.6 Hz.
    pub vibrato_cents: f64,
    /// The note starts this many semitones flat and glides up in 90 ms.
    pub scoop: f64,
    /// A 60 ms unvoiced consonant before the vowel ("s", "t").
    pub consonant: bool,
    /// A 70 ms voiced nasal ("m") at the note's pitch before the vowel.
    pub nasal: bool,
    /// Vowel formants (Hz).
    pub vowel: [f64; 3],
}

pub const A: [f64; 3] = [800.0, 1200.0, 2600.0];
pub const O: [f64; 3] = [500.0, 900.0, 2500.0];
pub const E: [f64; 3] = [450.0, 1900.0, 2600.0];
pub const I: [f64; 3] = [300.0, 2300.0, 3000.0];

pub fn note(on: f64, off: f64, written: f64, off_cents: f64, vowel: [f64; 3]) -> Sung {
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
pub const M: [f64; 3] = [250.0, 2200.0, 2800.0];

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
pub fn render(notes: &[Sung], breaths: &[(f64, f64)], rate: u32) -> Vec<f32> {
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
