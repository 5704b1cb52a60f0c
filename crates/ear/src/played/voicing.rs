//! From raw frame pitches to a voiced pitch track: activity gate, voicing,
//! octave-error folding, voiced regions and the global tuning estimate.

use super::frames::Frames;

/// Largest aperiodicity of a voiced frame.
pub const VOICED_AP: f32 = 0.4;
/// Frames are active only within this many dB of the loudest frame.
pub const DYNAMIC_RANGE_DB: f32 = super::frames::ACTIVE_RANGE_DB;
/// Unvoiced frames bridged inside one voiced region.
pub const MAX_GAP_FRAMES: usize = 2;
/// Half-width, in frames, of the running median octave errors are judged against.
const OCTAVE_REF_HALF: usize = 10;

pub(crate) fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let k = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(k, f32::total_cmp);
    *m
}

/// Energy threshold of an active frame: above the noise floor and within
/// [`DYNAMIC_RANGE_DB`] of the loudest frame.
pub fn activity_gate(f: &Frames) -> f32 {
    let peak = f.excess.iter().copied().fold(0.0f32, f32::max);
    (peak * 10f32.powf(-DYNAMIC_RANGE_DB / 10.0)).max(f.noise_floor)
}

/// Pitch of each voiced frame (`None` = unvoiced or inactive). Frames an
/// octave (or two) away from the running median of their neighbourhood are
/// folded onto it: in a monophonic line those are estimator errors, while a
/// real octave leap moves the median with it.
pub fn voiced_track(f: &Frames) -> Vec<Option<f32>> {
    let gate = activity_gate(f);
    let n = f.midi.len();
    let raw: Vec<Option<f32>> = (0..n)
        .map(|i| {
            (f.excess[i] > gate && f.aperiodicity[i] < VOICED_AP && f.midi[i] > 0.0)
                .then_some(f.midi[i])
        })
        .collect();
    let mut out = raw.clone();
    let mut buf = Vec::with_capacity(2 * OCTAVE_REF_HALF + 1);
    for i in 0..n {
        let Some(p) = raw[i] else { continue };
        buf.clear();
        buf.extend(
            (i.saturating_sub(OCTAVE_REF_HALF)..(i + OCTAVE_REF_HALF + 1).min(n))
                .filter_map(|j| raw[j]),
        );
        if buf.len() < 5 {
            continue;
        }
        let reference = median(&mut buf);
        let d = p - reference;
        if d.abs() > 9.0 {
            let octaves = (d / 12.0).round();
            let folded = p - 12.0 * octaves;
            if (folded - reference).abs() < 2.0 {
                out[i] = Some(folded);
            } else {
                out[i] = None;
            }
        }
    }
    out
}

/// Maximal runs of voiced frames, bridging up to [`MAX_GAP_FRAMES`] unvoiced
/// ones; `(first, last)` inclusive.
pub fn regions(track: &[Option<f32>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last = 0;
    for (t, v) in track.iter().enumerate() {
        if v.is_some() {
            match start {
                Some(_) if t - last > MAX_GAP_FRAMES + 1 => {
                    out.push((start.unwrap_or(t), last));
                    start = Some(t);
                }
                Some(_) => {}
                None => start = Some(t),
            }
            last = t;
        }
    }
    if let Some(s) = start {
        out.push((s, last));
    }
    out
}

/// Frame offsets from the semitone grid must agree at least this well
/// (resultant length of their circular mean, 0..1) to be trusted.
const MIN_TUNING_AGREEMENT: f64 = 0.4;

/// First guess of the global tuning in semitones (-0.5..0.5): circular mean of
/// the voiced frames' offsets from the nearest equal-tempered semitone, or 0
/// when they do not agree (wide vibrato spreads them around the circle).
pub fn tuning(track: &[Option<f32>]) -> f32 {
    let (mut s, mut c, mut n) = (0.0f64, 0.0f64, 0usize);
    for p in track.iter().flatten() {
        let phase = 2.0 * std::f64::consts::PI * f64::from(p - p.round());
        s += phase.sin();
        c += phase.cos();
        n += 1;
    }
    if n == 0 || (s * s + c * c).sqrt() / (n as f64) < MIN_TUNING_AGREEMENT {
        0.0
    } else {
        (s.atan2(c) / (2.0 * std::f64::consts::PI)) as f32
    }
}
