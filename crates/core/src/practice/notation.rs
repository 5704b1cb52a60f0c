//! Scores as ABC with one verdict per written note, in the order abcjs draws
//! them (tied continuations included, rests skipped).

use tutti_score::{Melody, Note, QuantiseOptions, Score, Verdict, quantise, to_abc};

use super::dto::{GradedNotation, NoteVerdict};

/// `verdict_of(source)` gives the verdict of the performed note a written
/// note comes from; `None` means ungraded (no verdicts at all).
fn graded(score: &Score, verdict_of: Option<&dyn Fn(usize) -> NoteVerdict>) -> GradedNotation {
    let verdicts = match verdict_of {
        None => Vec::new(),
        Some(f) => score
            .measures
            .iter()
            .flat_map(|m| &m.events)
            .filter(|e| !e.is_rest())
            .map(|e| e.source.map_or(NoteVerdict::Extra, f))
            .collect(),
    };
    GradedNotation {
        abc: to_abc(score),
        verdicts,
    }
}

/// A target melody, ungraded.
pub(crate) fn target(melody: &Melody) -> GradedNotation {
    graded(&melody.to_score(), None)
}

/// A target melody, each note coloured by what the take did with it.
pub(crate) fn graded_target(melody: &Melody, grade: &tutti_score::Grade) -> GradedNotation {
    let mut by_index = vec![NoteVerdict::Missed; melody.notes.len()];
    for n in &grade.notes {
        if let Some(slot) = by_index.get_mut(n.target_index) {
            *slot = n.verdict.into();
        }
    }
    graded(
        &melody.to_score(),
        Some(&|i| by_index.get(i).copied().unwrap_or(NoteVerdict::Missed)),
    )
}

/// A take's notes written as a score. When graded, it is written at the
/// target's metre and the take's own tempo, each note coloured.
pub(crate) fn take(
    notes: &[Note],
    title: &str,
    graded_against: Option<(&Melody, &tutti_score::Grade)>,
) -> GradedNotation {
    let mut opts = QuantiseOptions {
        title: title.to_owned(),
        ..QuantiseOptions::default()
    };
    match graded_against {
        None => graded(&quantise(notes, &opts), None),
        Some((melody, grade)) => {
            if grade.tempo_ratio.is_finite() && grade.tempo_ratio > 0.0 {
                opts.tempo_bpm = Some(melody.tempo_bpm * grade.tempo_ratio);
            }
            opts.time = melody.time;
            let verdicts: &[Verdict] = &grade.take_verdicts;
            graded(
                &quantise(notes, &opts),
                Some(&|i| verdicts.get(i).map_or(NoteVerdict::Extra, |v| (*v).into())),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(pitches: &[f64]) -> Vec<Note> {
        pitches
            .iter()
            .enumerate()
            .map(|(i, &p)| Note {
                onset_s: i as f64 * 0.5,
                offset_s: i as f64 * 0.5 + 0.45,
                midi_pitch: p,
            })
            .collect()
    }

    #[test]
    fn a_graded_take_has_one_verdict_per_written_note() {
        let target = notes(&[60.0, 62.0, 64.0, 65.0]);
        let take_notes = notes(&[60.0, 62.0, 66.0, 65.0]);
        let grade = tutti_score::grade(&target, &take_notes).unwrap();
        let melody = tutti_score::parse_midi(&tutti_score::notes_to_midi(&target, 120.0)).unwrap();
        let shown = take(&take_notes, "t", Some((&melody, &grade)));
        // Four quarter notes at the target's tempo: no ties, so four written notes.
        assert_eq!(shown.verdicts.len(), 4, "{}", shown.abc);
        assert_eq!(shown.verdicts[0], NoteVerdict::Right);
        assert_eq!(shown.verdicts[2], NoteVerdict::Sharp, "E4 sung as F#4");
        let on_target = graded_target(&melody, &grade);
        assert_eq!(on_target.verdicts.len(), 4);
        assert_eq!(on_target.verdicts[2], NoteVerdict::Sharp);
    }

    #[test]
    fn an_ungraded_take_has_notation_but_no_verdicts() {
        let shown = take(&notes(&[67.0, 69.0]), "Mine", None);
        assert!(shown.abc.contains("T:Mine"));
        assert!(shown.verdicts.is_empty());
    }
}
