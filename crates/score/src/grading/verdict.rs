//! The grade of a take: per-note verdicts and the overall scores, in the
//! shape the UI receives (serde camelCase, verdicts as lowercase strings).

use serde::{Deserialize, Serialize};

use crate::note::Note;

/// What happened to one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Right pitch at the right time.
    Right,
    /// Played, but higher than the target (out of tune or a wrong note).
    Sharp,
    /// Played, but lower than the target.
    Flat,
    /// Right pitch, but before its time.
    Early,
    /// Right pitch, but after its time.
    Late,
    /// A target note the take does not have.
    Missed,
    /// A take note the target does not have.
    Extra,
}

impl Verdict {
    /// The verdict as the wire writes it ("right", "sharp", …).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Sharp => "sharp",
            Verdict::Flat => "flat",
            Verdict::Early => "early",
            Verdict::Late => "late",
            Verdict::Missed => "missed",
            Verdict::Extra => "extra",
        }
    }

    /// A colour for notation (`#RRGGBB`): green right, red/blue for pitch,
    /// orange/purple for timing, grey missed, brown extra.
    pub fn colour(self) -> &'static str {
        match self {
            Verdict::Right => "#2E7D32",
            Verdict::Sharp => "#C62828",
            Verdict::Flat => "#1565C0",
            Verdict::Early => "#EF6C00",
            Verdict::Late => "#6A1B9A",
            Verdict::Missed => "#9E9E9E",
            Verdict::Extra => "#795548",
        }
    }
}

/// The grade of one target note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteGrade {
    /// Index of the note in the target as given.
    pub target_index: usize,
    /// Index of the take note it was matched with, as given; `None` when missed.
    pub take_index: Option<usize>,
    pub verdict: Verdict,
    /// Take minus target pitch in cents after the forgiven tuning offset
    /// (and transposition, when forgiven).
    pub pitch_error_cents: Option<f64>,
    /// How late (positive) or early (negative) the note came, in seconds at
    /// the target's tempo, after following the take's own tempo.
    pub timing_error_s: Option<f64>,
    pub target: Note,
    pub take: Option<Note>,
}

/// A take note that matches no target note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraNote {
    pub take_index: usize,
    pub take: Note,
}

/// How many notes got each verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerdictCounts {
    pub right: usize,
    pub sharp: usize,
    pub flat: usize,
    pub early: usize,
    pub late: usize,
    pub missed: usize,
    pub extra: usize,
}

impl VerdictCounts {
    pub(crate) fn add(&mut self, verdict: Verdict) {
        let slot = match verdict {
            Verdict::Right => &mut self.right,
            Verdict::Sharp => &mut self.sharp,
            Verdict::Flat => &mut self.flat,
            Verdict::Early => &mut self.early,
            Verdict::Late => &mut self.late,
            Verdict::Missed => &mut self.missed,
            Verdict::Extra => &mut self.extra,
        };
        *slot += 1;
    }
}

/// A take graded against a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    /// One entry per target note, in target order.
    pub notes: Vec<NoteGrade>,
    /// Take notes that match no target note, in take order. Those between
    /// melody notes lower the scores; those before or after the melody do not.
    pub extras: Vec<ExtraNote>,
    /// The verdict of each take note as given (its target's verdict, or
    /// extra), for colouring the take's own notation.
    pub take_verdicts: Vec<Verdict>,
    pub counts: VerdictCounts,
    /// 0–100: share of target notes sung or played at the right pitch (an
    /// extra note inside the melody counts as half a target note).
    pub pitch_score: f64,
    /// 0–100: share of target notes on time, relative to the take's tempo.
    pub rhythm_score: f64,
    /// 0–100: 60% pitch, 40% rhythm.
    pub total_score: f64,
    /// Global tuning of the take against the target in cents (-50…50),
    /// forgiven before judging pitch.
    pub tuning_offset_cents: f64,
    /// Whole semitones the take is shifted from the target (12 = an octave up).
    pub transposition_semitones: i32,
    /// Whether that shift was forgiven (octaves by default).
    pub transposition_forgiven: bool,
    /// Take duration per target duration: 1.1 for a take 10% slower.
    pub tempo_ratio: f64,
}
