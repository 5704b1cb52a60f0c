//! Is this a voice singing words or syllables? The two kinds of line are
//! heard differently. A sung syllable begins with a consonant and the note
//! begins where its vowel does; consecutive syllables change vowel, so the
//! timbre moves from note to note. An instrument (or a hummed or whistled
//! line) keeps one timbre, and its notes begin with their attack.

use crate::analysis::{Analysis, TIMBRE_BANDS, timbre_similarity};
use crate::notes::RawNote;

/// Evidence about the kind of line in a recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineEvidence {
    /// Notes the evidence rests on.
    pub notes: usize,
    /// Share of the joins between close notes that hold an unvoiced sound
    /// (a consonant or a breath) of at least 10 ms.
    pub consonant_joins: f64,
    /// Median timbre dissimilarity (1 - correlation) between consecutive
    /// notes' vowels / tones.
    pub timbre_change: f64,
    /// Median over notes of how far (cents, median absolute deviation) the
    /// pitch of a note's middle strays from its own median.
    pub wobble_cents: f64,
}

/// Joins longer than this are rests, not syllable joins, seconds.
const MAX_JOIN_S: f64 = 0.3;
/// Unvoiced active frames that make a consonant, at 5 ms each.
const CONSONANT_FRAMES: usize = 2;
/// How far under the surrounding notes a consonant may be, dB.
const CONSONANT_RANGE_DB: f32 = 15.0;
/// Notes needed before the evidence is trusted.
const MIN_NOTES: usize = 6;
/// A recording is sung syllables when at least this share of its joins holds
/// a consonant ...
const SUNG_CONSONANT_JOINS: f64 = 0.25;
/// ... or its consecutive notes differ this much in timbre.
const SUNG_TIMBRE_CHANGE: f64 = 0.1;

fn body_timbre(a: &Analysis, n: &RawNote) -> [f32; TIMBRE_BANDS] {
    let hop = a.hop_s;
    let (s, e) = ((n.onset_s / hop) as usize, (n.offset_s / hop) as usize);
    let len = e.saturating_sub(s);
    let (s, e) = (s + len / 5, (s + 4 * len / 5).min(a.level_db.len()));
    let mut out = [0f32; TIMBRE_BANDS];
    if e <= s {
        return out;
    }
    for i in s..e {
        for (o, v) in out.iter_mut().zip(a.timbre_of(i)) {
            *o += v / (e - s) as f32;
        }
    }
    out
}

/// Gathers the evidence from the analysis and the notes found in it.
pub fn evidence(a: &Analysis, notes: &[RawNote]) -> LineEvidence {
    let hop = a.hop_s;
    let mut joins = 0usize;
    let mut with_consonant = 0usize;
    let mut changes: Vec<f64> = Vec::new();
    for w in notes.windows(2) {
        let gap = w[1].onset_s - w[0].offset_s;
        if gap > MAX_JOIN_S {
            continue;
        }
        joins += 1;
        // the join, widened by 30 ms into either note (a consonant often
        // sits inside the level dip the note boundaries were placed around)
        let s = ((w[0].offset_s - 0.03).max(0.0) / hop) as usize;
        let e = (((w[1].onset_s + 0.03) / hop) as usize).min(a.level_db.len());
        // a consonant is a loud unvoiced sound: within CONSONANT_RANGE_DB of
        // the notes around it (room noise and reverberation tails sit lower)
        let around = |n: &RawNote| {
            let (s, e) = ((n.onset_s / hop) as usize, ((n.offset_s / hop) as usize).min(a.raw_level_db.len()));
            crate::analysis::quantile(&a.raw_level_db[s..e.max(s + 1).min(a.raw_level_db.len())], 0.9)
        };
        let notes_level = around(&w[0]).min(around(&w[1]));
        let unvoiced = (s..e)
            .filter(|&i| {
                a.aperiodicity[i] >= crate::notes::VOICED_AP
                    && a.raw_level_db[i].max(a.high_db[i]) >= notes_level - CONSONANT_RANGE_DB
            })
            .count();
        if unvoiced >= CONSONANT_FRAMES {
            with_consonant += 1;
        }
        let (x, y) = (body_timbre(a, &w[0]), body_timbre(a, &w[1]));
        changes.push(f64::from(1.0 - timbre_similarity(&x, &y)));
    }
    changes.sort_by(f64::total_cmp);
    let mut wobble: Vec<f64> = notes
        .iter()
        .filter_map(|n| {
            let (s, e) = ((n.onset_s / hop) as usize, (n.offset_s / hop) as usize);
            let len = e.saturating_sub(s);
            let (s, e) = (s + len / 5, (s + 4 * len / 5).min(a.midi.len()));
            let mut p: Vec<f64> = (s..e)
                .filter(|&i| a.active[i] && a.aperiodicity[i] < crate::notes::VOICED_AP)
                .map(|i| f64::from(a.midi[i]))
                .collect();
            if p.len() < 5 {
                return None;
            }
            p.sort_by(f64::total_cmp);
            let m = p[p.len() / 2];
            let mut d: Vec<f64> = p.iter().map(|v| (v - m).abs()).collect();
            d.sort_by(f64::total_cmp);
            Some(100.0 * d[d.len() / 2])
        })
        .collect();
    wobble.sort_by(f64::total_cmp);
    LineEvidence {
        wobble_cents: wobble.get(wobble.len() / 2).copied().unwrap_or(0.0),
        notes: notes.len(),
        consonant_joins: if joins == 0 {
            0.0
        } else {
            with_consonant as f64 / joins as f64
        },
        timbre_change: changes.get(changes.len() / 2).copied().unwrap_or(0.0),
    }
}

impl LineEvidence {
    /// Whether the line is sung syllables (rather than played, hummed or whistled).
    pub fn is_sung(&self) -> bool {
        self.notes >= MIN_NOTES
            && (self.consonant_joins >= SUNG_CONSONANT_JOINS
                || self.timbre_change >= SUNG_TIMBRE_CHANGE)
    }
}

/// The evidence for a whole recording (decimates, analyses and segments it).
pub fn evidence_of(samples: &[f32], sample_rate: u32) -> LineEvidence {
    let k = crate::resample::decimation_factor(sample_rate);
    let x = crate::resample::decimate(samples, k);
    let a = crate::analysis::analyse(&x, f64::from(sample_rate) / k as f64);
    let notes = crate::notes::segment(&a);
    evidence(&a, &notes)
}
