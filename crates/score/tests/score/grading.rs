//! Grading takes against targets.

use tutti_score::{
    Grade, GradeOptions, Note, QuantiseOptions, ScoreError, Verdict, grade, grade_with,
    parse_musicxml, quantise, to_musicxml,
};

use crate::support::{Jitter, Written, exact, ode_to_joy, perform};

fn verdicts(g: &Grade) -> Vec<Verdict> {
    g.notes.iter().map(|n| n.verdict).collect()
}

fn all(v: Verdict, n: usize) -> Vec<Verdict> {
    vec![v; n]
}

fn target() -> Vec<Note> {
    exact(&ode_to_joy(), 100.0)
}

#[test]
fn a_take_30_cents_sharp_grades_all_right() {
    let take = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 30.0, 11);
    let g = grade(&target(), &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
    assert!(
        (g.tuning_offset_cents - 30.0).abs() < 1.0,
        "{}",
        g.tuning_offset_cents
    );
    assert_eq!(g.transposition_semitones, 0);
    assert!(g.extras.is_empty());
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (100.0, 100.0, 100.0)
    );
}

#[test]
fn one_wrong_note_is_flagged_and_the_rest_align_as_right() {
    let mut melody = ode_to_joy();
    melody[6].0 = Some(66); // E → F sharp: a whole tone too high
    let mut low = ode_to_joy();
    low[20].0 = Some(64); // F → E: a semitone too low
    for (take_melody, wrong, verdict) in [(melody, 6, Verdict::Sharp), (low, 20, Verdict::Flat)] {
        let take = perform(&take_melody, 100.0, 0.9, 0.02, 0.0, 3);
        let g = grade(&target(), &take).expect("grades");
        let mut expected = all(Verdict::Right, 30);
        expected[wrong] = verdict;
        assert_eq!(verdicts(&g), expected);
        assert_eq!(
            g.notes[wrong].take_index,
            Some(wrong),
            "the wrong note is matched in place"
        );
        assert_eq!(g.counts.right, 29);
        assert!(
            g.pitch_score < 100.0 && g.pitch_score > 95.0,
            "{}",
            g.pitch_score
        );
        assert_eq!(g.rhythm_score, 100.0);
    }
}

#[test]
fn a_take_10_percent_slower_is_right_on_rhythm_relative_to_its_own_tempo() {
    let take = perform(&ode_to_joy(), 90.0, 0.9, 0.02, 0.0, 5);
    let g = grade(&target(), &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
    assert!(
        (g.tempo_ratio - 100.0 / 90.0).abs() < 0.02,
        "{}",
        g.tempo_ratio
    );
    assert_eq!(g.rhythm_score, 100.0);
}

#[test]
fn a_missing_note_is_missed_and_the_rest_right() {
    let mut melody = ode_to_joy();
    // Leave out the 10th note (second C of bar 3) but keep its time as silence.
    melody[9].0 = None;
    let take = perform(&melody, 100.0, 0.9, 0.02, 0.0, 8);
    let g = grade(&target(), &take).expect("grades");
    let mut expected = all(Verdict::Right, 30);
    expected[9] = Verdict::Missed;
    assert_eq!(verdicts(&g), expected);
    assert_eq!(g.counts.missed, 1);
    assert!(
        g.notes[10].take_index == Some(9),
        "alignment continues after the gap"
    );
}

#[test]
fn a_missing_note_whose_time_is_closed_up_still_leaves_the_rest_right() {
    // The learner skips a note and goes straight on: everything after is a beat early.
    let mut melody: Vec<Written> = ode_to_joy();
    melody.remove(4);
    let take = perform(&melody, 100.0, 0.9, 0.02, 0.0, 9);
    let g = grade(&target(), &take).expect("grades");
    let missed: Vec<usize> = (0..30)
        .filter(|&i| g.notes[i].verdict == Verdict::Missed)
        .collect();
    // Notes 3 and 4 are both G: either may be the one counted missed.
    assert_eq!(missed.len(), 1);
    assert!(missed[0] == 3 || missed[0] == 4);
    let wrong: Vec<usize> = (0..30)
        .filter(|&i| !matches!(g.notes[i].verdict, Verdict::Right | Verdict::Missed))
        .collect();
    // Only the note right after the skip comes early; the learner is followed from there.
    assert!(wrong.len() <= 1, "{wrong:?}: {:?}", verdicts(&g));
}

#[test]
fn an_extra_note_is_extra() {
    let mut take = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 0.0, 2);
    // A quick wrong grace note between notes 7 and 8.
    let t = take[7].onset_s - 0.12;
    take.insert(
        7,
        Note {
            onset_s: t,
            offset_s: t + 0.1,
            midi_pitch: 61.0,
        },
    );
    let g = grade(&target(), &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
    assert_eq!(g.extras.len(), 1);
    assert_eq!(g.extras[0].take_index, 7);
    assert_eq!(g.take_verdicts[7], Verdict::Extra);
    assert_eq!(g.counts.extra, 1);
    assert!(g.total_score < 100.0);
}

#[test]
fn an_empty_take_is_all_missed() {
    let g = grade(&target(), &[]).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Missed, 30));
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (0.0, 0.0, 0.0)
    );
}

#[test]
fn an_empty_target_is_a_clear_error() {
    let err = grade(&[], &target()).expect_err("nothing to grade against");
    assert!(matches!(err, ScoreError::EmptyTarget));
    assert_eq!(err.to_string(), "the target melody has no notes");
}

#[test]
fn invalid_notes_are_named() {
    let mut take = target();
    take[3].offset_s = f64::NAN;
    let err = grade(&target(), &take).expect_err("NaN");
    assert_eq!(
        err.to_string(),
        "take note 3 is invalid: time is not a finite number"
    );
}

#[test]
fn late_and_early_notes_are_flagged() {
    let mut take = perform(&ode_to_joy(), 100.0, 0.9, 0.01, 0.0, 4);
    take[5].onset_s += 0.2; // a third of a beat late
    take[17].onset_s -= 0.2;
    let g = grade(&target(), &take).expect("grades");
    let mut expected = all(Verdict::Right, 30);
    expected[5] = Verdict::Late;
    expected[17] = Verdict::Early;
    assert_eq!(verdicts(&g), expected);
    let late = g.notes[5].timing_error_s.expect("matched");
    assert!((late - 0.2).abs() < 0.04, "{late}");
}

#[test]
fn a_voice_an_octave_lower_is_forgiven_but_another_key_is_not() {
    let octave_down: Vec<Written> = ode_to_joy()
        .into_iter()
        .map(|(p, l)| (p.map(|p| p - 12), l))
        .collect();
    let g = grade(&target(), &perform(&octave_down, 100.0, 0.9, 0.02, 0.0, 6)).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
    assert_eq!(g.transposition_semitones, -12);
    assert!(g.transposition_forgiven);

    let tone_up: Vec<Written> = ode_to_joy()
        .into_iter()
        .map(|(p, l)| (p.map(|p| p + 2), l))
        .collect();
    let take = perform(&tone_up, 100.0, 0.9, 0.02, 0.0, 6);
    let g = grade(&target(), &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Sharp, 30), "in the wrong key");
    let forgiving = GradeOptions {
        forgive_transposition: true,
        ..GradeOptions::default()
    };
    let g = grade_with(&target(), &take, &forgiving).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
}

#[test]
fn a_take_that_speeds_up_gradually_is_followed() {
    // Tempo rises from 90 to 115 BPM over the melody.
    let melody = ode_to_joy();
    let mut t = 0.3;
    let mut take = Vec::new();
    let total: f64 = melody.iter().map(|w| w.1).sum();
    let mut beats = 0.0;
    for &(p, l) in &melody {
        let bpm = 90.0 + 25.0 * beats / total;
        let dur = l * 60.0 / bpm;
        if let Some(p) = p {
            take.push(Note {
                onset_s: t,
                offset_s: t + 0.9 * dur,
                midi_pitch: f64::from(p),
            });
        }
        t += dur;
        beats += l;
    }
    let g = grade(&target(), &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
}

#[test]
fn a_take_with_several_mistakes_is_followed_to_the_end() {
    // 25 cents flat, 8% fast, one wrong note, one missed, one extra.
    let mut melody = ode_to_joy();
    melody[3].0 = Some(69); // G → A
    melody[14].0 = None; // missed (time kept)
    let mut take = perform(&melody, 108.0, 0.85, 0.02, -25.0, 12);
    let t = take[22].onset_s + 0.15;
    take.insert(
        23,
        Note {
            onset_s: t,
            offset_s: t + 0.1,
            midi_pitch: 70.75,
        },
    );
    let g = grade(&target(), &take).expect("grades");
    let mut expected = all(Verdict::Right, 30);
    expected[3] = Verdict::Sharp;
    expected[14] = Verdict::Missed;
    assert_eq!(verdicts(&g), expected);
    assert_eq!(g.counts.extra, 1);
    assert!((g.tuning_offset_cents + 25.0).abs() < 2.0);
}

#[test]
fn a_target_imported_from_musicxml_grades_a_performance_of_it() {
    let score = quantise(
        &exact(&ode_to_joy(), 100.0),
        &QuantiseOptions {
            tempo_bpm: Some(100.0),
            ..QuantiseOptions::default()
        },
    );
    let target = parse_musicxml(&to_musicxml(&score))
        .expect("parses")
        .to_notes();
    let take = perform(&ode_to_joy(), 84.0, 0.9, 0.02, 15.0, 13);
    let g = grade(&target, &take).expect("grades");
    assert_eq!(verdicts(&g), all(Verdict::Right, 30));
}

#[test]
fn the_grade_serialises_in_camel_case_with_lowercase_verdicts() {
    let mut take = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 0.0, 1);
    take.remove(2);
    let g = grade(&target(), &take).expect("grades");
    let json = serde_json::to_value(&g).expect("serialises");
    assert_eq!(json["notes"][2]["verdict"], "missed");
    assert_eq!(json["notes"][0]["verdict"], "right");
    for key in [
        "pitchScore",
        "rhythmScore",
        "totalScore",
        "takeVerdicts",
        "tuningOffsetCents",
        "tempoRatio",
        "transpositionSemitones",
    ] {
        assert!(json.get(key).is_some(), "{key} missing in {json}");
    }
    assert!(json["notes"][0].get("targetIndex").is_some());
    assert!(json["notes"][0].get("timingErrorS").is_some());
    let back: Grade = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, g);
}

/// One random edit per take (a wrong note, a note left out, or a note split
/// in two with a wrong second half) at a random place, tempo and tuning.
#[test]
fn any_single_mistake_is_flagged_exactly_and_the_rest_stay_right() {
    let target = target();
    for seed in 1..=150u64 {
        let mut rng = Jitter::new(seed * 77);
        let kind = (rng.next(1.0).abs() * 3.0) as usize % 3;
        let pos = 1 + ((rng.next(1.0).abs() * 28.0) as usize).min(27);
        let bpm = 85.0 + rng.next(25.0);
        let cents = rng.next(40.0);
        let mut melody = ode_to_joy();
        let mut take;
        match kind {
            0 => {
                let p = melody[pos].0.unwrap_or(60);
                melody[pos].0 = Some(if rng.next(1.0) > 0.0 { p + 2 } else { p - 3 });
                take = perform(&melody, bpm, 0.88, 0.02, cents, seed);
            }
            1 => {
                melody[pos].0 = None;
                take = perform(&melody, bpm, 0.88, 0.02, cents, seed);
            }
            _ => {
                take = perform(&melody, bpm, 0.88, 0.02, cents, seed);
                let t = (take[pos].onset_s + take[pos].offset_s) / 2.0;
                take[pos].offset_s = t - 0.01;
                let pitch = 58.0 + rng.next(1.0).abs() * 20.0;
                take.insert(
                    pos + 1,
                    Note {
                        onset_s: t,
                        offset_s: t + 0.15,
                        midi_pitch: pitch,
                    },
                );
            }
        }
        let g = grade(&target, &take).expect("grades");
        let wrong: Vec<(usize, Verdict)> = g
            .notes
            .iter()
            .filter(|n| n.verdict != Verdict::Right)
            .map(|n| (n.target_index, n.verdict))
            .collect();
        let context = format!(
            "seed {seed} kind {kind} at {pos}: {wrong:?}, {} extra",
            g.extras.len()
        );
        match kind {
            0 => {
                assert_eq!(wrong.len(), 1, "{context}");
                assert_eq!(wrong[0].0, pos, "{context}");
                assert!(
                    matches!(wrong[0].1, Verdict::Sharp | Verdict::Flat),
                    "{context}"
                );
                assert!(g.extras.is_empty(), "{context}");
            }
            1 => {
                assert_eq!(wrong.len(), 1, "{context}");
                assert_eq!(wrong[0].1, Verdict::Missed, "{context}");
                // Of two equal neighbours either may be the missed one.
                assert_eq!(
                    target[wrong[0].0].midi_pitch, target[pos].midi_pitch,
                    "{context}"
                );
                assert!(g.extras.is_empty(), "{context}");
            }
            _ => {
                assert!(wrong.is_empty(), "{context}");
                assert_eq!(g.extras.len(), 1, "{context}");
            }
        }
    }
}

mod long_takes;
