//! Note-level transcription scoring, a line-for-line port of what
//! `eval/transcription/score.py` computes with
//! `mir_eval.transcription.match_notes` (same rounding, same tolerances, the
//! same Hopcroft-Karp matching so even the overlap ratio agrees).

use serde::{Deserialize, Serialize};
use tutti_score::Note;

/// Tolerances of one matching (`mir_eval` names in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tolerances {
    /// Largest onset difference in seconds (`onset_tolerance`).
    pub onset_s: f64,
    /// Largest pitch difference in cents (`pitch_tolerance`).
    pub pitch_cents: f64,
    /// Offset tolerance as a fraction of the reference duration, or `None` to
    /// ignore offsets (`offset_ratio`).
    pub offset_ratio: Option<f64>,
    /// Smallest offset tolerance in seconds (`offset_min_tolerance`).
    pub offset_min_s: f64,
}

impl Tolerances {
    /// Onset-only matching as score.py's primary metric: 50 ms, 50 cents.
    pub const ONSET: Tolerances = Tolerances {
        onset_s: 0.05,
        pitch_cents: 50.0,
        offset_ratio: None,
        offset_min_s: 0.05,
    };
    /// Onset+offset matching: offsets within max(50 ms, 20 % of the reference note).
    pub const ONSET_OFFSET: Tolerances = Tolerances {
        onset_s: 0.05,
        pitch_cents: 50.0,
        offset_ratio: Some(0.2),
        offset_min_s: 0.05,
    };
}

/// `np.around(x, 4)`: scale, round half to even, unscale.
fn around4(x: f64) -> f64 {
    (x * 1e4).round_ties_even() / 1e4
}

fn midi_to_hz(m: f64) -> f64 {
    440.0 * 2f64.powf((m - 69.0) / 12.0)
}

/// Pairs reference and estimated notes one-to-one (maximum bipartite matching)
/// exactly as `mir_eval.transcription.match_notes` does; returns
/// `(reference index, estimate index)` pairs sorted by reference index.
pub fn match_notes(reference: &[Note], estimate: &[Note], tol: Tolerances) -> Vec<(usize, usize)> {
    let ref_log: Vec<f64> = reference
        .iter()
        .map(|n| midi_to_hz(n.midi_pitch).log2())
        .collect();
    let est_log: Vec<f64> = estimate
        .iter()
        .map(|n| midi_to_hz(n.midi_pitch).log2())
        .collect();
    // graph: estimate -> its reference neighbours, keys in order of first appearance
    // when the hit matrix is scanned row-major (as np.where yields them).
    let mut graph: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; estimate.len()];
    for (r, rn) in reference.iter().enumerate() {
        let off_tol = tol
            .offset_ratio
            .map(|ratio| (ratio * (rn.offset_s - rn.onset_s)).max(tol.offset_min_s));
        for (e, en) in estimate.iter().enumerate() {
            let onset_hit = around4((rn.onset_s - en.onset_s).abs()) <= tol.onset_s;
            let pitch_hit = (1200.0 * (ref_log[r] - est_log[e])).abs() <= tol.pitch_cents;
            let offset_hit =
                off_tol.is_none_or(|t| around4((rn.offset_s - en.offset_s).abs()) <= t);
            if onset_hit && pitch_hit && offset_hit {
                let k = *slot[e].get_or_insert_with(|| {
                    graph.push((e, Vec::new()));
                    graph.len() - 1
                });
                graph[k].1.push(r);
            }
        }
    }
    let matching = bipartite_match(&graph, reference.len(), estimate.len());
    let mut pairs: Vec<(usize, usize)> = matching
        .iter()
        .enumerate()
        .filter_map(|(r, e)| e.map(|e| (r, e)))
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Port of `mir_eval.util._bipartite_match` (Eppstein's Hopcroft-Karp).
/// Returns, per reference note, the matched estimate.
fn bipartite_match(
    graph: &[(usize, Vec<usize>)],
    n_ref: usize,
    n_est: usize,
) -> Vec<Option<usize>> {
    let mut matching: Vec<Option<usize>> = vec![None; n_ref];
    let neighbours = |u: usize| -> &[usize] {
        graph
            .iter()
            .find(|(k, _)| *k == u)
            .map_or(&[], |(_, v)| v.as_slice())
    };
    for (u, vs) in graph {
        if let Some(&v) = vs.iter().find(|&&v| matching[v].is_none()) {
            matching[v] = Some(*u);
        }
    }
    loop {
        // pred[u]: Some(None) = first layer (Python's `unmatched` sentinel),
        // Some(Some(v)) = reached from v, None = absent from the dict.
        let mut pred: Vec<Option<Option<usize>>> = vec![None; n_est];
        for (u, _) in graph {
            pred[*u] = Some(None);
        }
        for &u in matching.iter().flatten() {
            pred[u] = None;
        }
        let mut layer: Vec<usize> = graph
            .iter()
            .map(|(u, _)| *u)
            .filter(|&u| pred[u].is_some())
            .collect();
        let mut preds: Vec<Option<Vec<usize>>> = vec![None; n_ref];
        let mut unmatched: Vec<usize> = Vec::new();
        while !layer.is_empty() && unmatched.is_empty() {
            let mut new_layer: Vec<(usize, Vec<usize>)> = Vec::new();
            for &u in &layer {
                for &v in neighbours(u) {
                    if preds[v].is_none() {
                        match new_layer.iter_mut().find(|(k, _)| *k == v) {
                            Some((_, us)) => us.push(u),
                            None => new_layer.push((v, vec![u])),
                        }
                    }
                }
            }
            layer.clear();
            for (v, us) in new_layer {
                preds[v] = Some(us);
                match matching[v] {
                    Some(u) => {
                        layer.push(u);
                        pred[u] = Some(Some(v));
                    }
                    None => unmatched.push(v),
                }
            }
        }
        if unmatched.is_empty() {
            return matching;
        }
        fn recurse(
            v: usize,
            preds: &mut [Option<Vec<usize>>],
            pred: &mut [Option<Option<usize>>],
            matching: &mut [Option<usize>],
        ) -> bool {
            if let Some(us) = preds[v].take() {
                for u in us {
                    if let Some(pu) = pred[u].take() {
                        let found = match pu {
                            None => true,
                            Some(pv) => recurse(pv, preds, pred, matching),
                        };
                        if found {
                            matching[v] = Some(u);
                            return true;
                        }
                    }
                }
            }
            false
        }
        for v in unmatched {
            recurse(v, &mut preds, &mut pred, &mut matching);
        }
    }
}

/// Precision, recall and F-measure of one matching.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prf {
    /// Matched notes.
    pub matched: usize,
    /// matched / estimated notes.
    pub precision: f64,
    /// matched / reference notes.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn new(matched: usize, n_ref: usize, n_est: usize) -> Prf {
        let precision = if n_est > 0 {
            matched as f64 / n_est as f64
        } else {
            0.0
        };
        let recall = if n_ref > 0 {
            matched as f64 / n_ref as f64
        } else {
            0.0
        };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            matched,
            precision,
            recall,
            f1,
        }
    }
}

/// The scores of one recording, as score.py reports them per file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileScores {
    /// Reference notes.
    pub n_ref: usize,
    /// Estimated notes.
    pub n_est: usize,
    /// Onset within 50 ms and pitch within 50 cents.
    pub onset: Prf,
    /// As `onset`, and offset within max(50 ms, 20 % of the reference duration).
    pub onset_offset: Prf,
    /// Diagnostic: onset F1 with a 100 ms onset tolerance.
    pub onset100_f1: f64,
    /// Mean overlap ratio of the onset-matched pairs (0 without matches).
    pub overlap: f64,
}

fn sorted(notes: &[Note]) -> Vec<Note> {
    let mut v = notes.to_vec();
    v.sort_by(|a, b| {
        a.onset_s
            .total_cmp(&b.onset_s)
            .then(a.offset_s.total_cmp(&b.offset_s))
            .then(a.midi_pitch.total_cmp(&b.midi_pitch))
    });
    v
}

/// Scores one recording's estimate against its reference (both are sorted
/// first, as score.py's reader does).
pub fn score_notes(reference: &[Note], estimate: &[Note]) -> FileScores {
    let (r, e) = (sorted(reference), sorted(estimate));
    let (n_ref, n_est) = (r.len(), e.len());
    let run = |tol| {
        if n_ref == 0 || n_est == 0 {
            Vec::new()
        } else {
            match_notes(&r, &e, tol)
        }
    };
    let on = run(Tolerances::ONSET);
    let onoff = run(Tolerances::ONSET_OFFSET);
    let on100 = run(Tolerances {
        onset_s: 0.1,
        ..Tolerances::ONSET
    });
    let overlap = if on.is_empty() {
        0.0
    } else {
        on.iter()
            .map(|&(i, j)| {
                let (a, b) = (&r[i], &e[j]);
                (a.offset_s.min(b.offset_s) - a.onset_s.max(b.onset_s))
                    / (a.offset_s.max(b.offset_s) - a.onset_s.min(b.onset_s))
            })
            .sum::<f64>()
            / on.len() as f64
    };
    FileScores {
        n_ref,
        n_est,
        onset: Prf::new(on.len(), n_ref, n_est),
        onset_offset: Prf::new(onoff.len(), n_ref, n_est),
        onset100_f1: Prf::new(on100.len(), n_ref, n_est).f1,
        overlap,
    }
}

/// Reads a note CSV leniently, as score.py does: rows that are not valid notes
/// (unparsable, non-finite, `offset <= onset`, negative onset, pitch <= 0) are
/// dropped and counted instead of failing. Returns the notes and the count.
pub fn read_scored_csv(text: &str) -> (Vec<Note>, usize) {
    let mut notes = Vec::new();
    let mut dropped = 0;
    let mut columns: Option<Vec<String>> = None;
    for line in text.lines() {
        let row: Vec<&str> = line.split(',').collect();
        if line.trim().is_empty() || row[0].trim_start().starts_with('#') {
            continue;
        }
        let header = match &columns {
            Some(h) => h,
            None => {
                if row.len() >= 3 && row[..3].iter().all(|v| v.trim().parse::<f64>().is_ok()) {
                    columns.insert(vec![
                        "onset_s".into(),
                        "offset_s".into(),
                        "midi_pitch".into(),
                    ])
                } else {
                    columns = Some(row.iter().map(|h| h.trim().to_lowercase()).collect());
                    continue;
                }
            }
        };
        let get = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| row.get(i))
                .and_then(|v| v.trim().parse::<f64>().ok())
        };
        match (get("onset_s"), get("offset_s"), get("midi_pitch")) {
            (Some(on), Some(off), Some(p))
                if on.is_finite()
                    && off.is_finite()
                    && p.is_finite()
                    && off > on
                    && on >= 0.0
                    && p > 0.0 =>
            {
                notes.push(Note {
                    onset_s: on,
                    offset_s: off,
                    midi_pitch: p,
                });
            }
            _ => dropped += 1,
        }
    }
    (notes, dropped)
}

/// Mean of the per-file scores, score.py's headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Files scored.
    pub n_files: usize,
    /// Mean onset F1 over files.
    pub mean_onset_f1: f64,
    /// Mean onset+offset F1 over files.
    pub mean_onset_offset_f1: f64,
    /// Mean overlap ratio over files.
    pub mean_overlap: f64,
    /// Mean onset F1 at 100 ms over files.
    pub mean_onset100_f1: f64,
}

/// Averages per-file scores (the macro mean score.py prints first).
pub fn summarize(files: &[FileScores]) -> Summary {
    let n = files.len().max(1) as f64;
    let mean = |f: &dyn Fn(&FileScores) -> f64| files.iter().map(f).sum::<f64>() / n;
    Summary {
        n_files: files.len(),
        mean_onset_f1: mean(&|s| s.onset.f1),
        mean_onset_offset_f1: mean(&|s| s.onset_offset.f1),
        mean_overlap: mean(&|s| s.overlap),
        mean_onset100_f1: mean(&|s| s.onset100_f1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(on: f64, off: f64, p: f64) -> Note {
        Note {
            onset_s: on,
            offset_s: off,
            midi_pitch: p,
        }
    }

    #[test]
    fn tolerances_are_inclusive_after_rounding() {
        let r = [n(1.0, 2.0, 60.0)];
        assert_eq!(
            match_notes(&r, &[n(1.05, 2.0, 60.5)], Tolerances::ONSET),
            vec![(0, 0)],
            "50 ms and 50 cents match"
        );
        assert!(match_notes(&r, &[n(1.0501, 2.0, 60.0)], Tolerances::ONSET).is_empty());
        assert!(match_notes(&r, &[n(1.0, 2.0, 60.51)], Tolerances::ONSET).is_empty());
        // offset tolerance is 20 % of the 1 s reference: 0.2 s.
        assert_eq!(
            match_notes(&r, &[n(1.0, 2.2, 60.0)], Tolerances::ONSET_OFFSET).len(),
            1
        );
        assert!(match_notes(&r, &[n(1.0, 2.21, 60.0)], Tolerances::ONSET_OFFSET).is_empty());
    }

    #[test]
    fn matching_is_maximum_not_greedy() {
        // est 0 could take ref 0 or ref 1, est 1 only ref 0: a greedy pass that
        // gives ref 0 to est 0 finds one pair; the maximum matching finds two.
        let r = [n(1.00, 2.0, 60.0), n(1.04, 2.0, 60.0)];
        let e = [n(1.02, 2.0, 60.0), n(0.96, 2.0, 60.0)];
        assert_eq!(match_notes(&r, &e, Tolerances::ONSET).len(), 2);
    }

    #[test]
    fn file_scores_count_precision_and_recall() {
        let r = [n(1.0, 1.5, 60.0), n(2.0, 2.5, 62.0)];
        let e = [n(1.01, 1.5, 60.0), n(2.0, 2.5, 65.0), n(3.0, 3.5, 60.0)];
        let s = score_notes(&r, &e);
        assert_eq!((s.onset.matched, s.n_ref, s.n_est), (1, 2, 3));
        assert!((s.onset.f1 - 0.4).abs() < 1e-12, "P=1/3, R=1/2 -> F=0.4");
        assert!((s.overlap - 0.49 / 0.5).abs() < 1e-12);
        assert_eq!(score_notes(&r, &[]).onset.f1, 0.0);
    }

    #[test]
    fn lenient_reader_drops_and_counts_bad_rows() {
        let (notes, dropped) =
            read_scored_csv("onset_s,offset_s,midi_pitch\n1,2,60\n2,1,60\nx,3,60\n1,2,0\n\n");
        assert_eq!((notes.len(), dropped), (1, 3));
    }
}
