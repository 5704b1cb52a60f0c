//! Takes much longer than their target: the melody played inside a longer
//! stretch of other notes (warming up before, noodling after, played twice).
//! The melody must be found where it is played, at the tempo it is played,
//! and not explained as the target stretched over the whole take.

use tutti_score::{Grade, GradeOptions, Note, Verdict, grade, grade_with};

use crate::support::{Jitter, Written, exact, ode_to_joy, perform};

/// A short target: ten notes, mixed lengths, at 100 BPM.
fn tune() -> Vec<Written> {
    [
        (67, 1.0),
        (64, 0.5),
        (65, 0.5),
        (67, 1.0),
        (72, 1.0),
        (71, 0.5),
        (69, 0.5),
        (67, 1.0),
        (65, 1.0),
        (64, 2.0),
    ]
    .iter()
    .map(|&(p, l)| (Some(p), l))
    .collect()
}

fn target() -> Vec<Note> {
    exact(&tune(), 100.0)
}

/// `count` notes unrelated to the tune: random pitches G3–G5, random
/// eighth to dotted-quarter lengths.
fn noodle(count: usize, seed: u64) -> Vec<Written> {
    let mut rng = Jitter::new(seed);
    (0..count)
        .map(|_| {
            let pitch = 67.0 + rng.next(12.0);
            let length = [0.5, 1.0, 1.0, 1.5][((rng.next(1.0) + 1.0) * 2.0) as usize % 4];
            (Some(pitch.round() as u8), length)
        })
        .collect()
}

fn join(parts: &[Vec<Written>]) -> Vec<Written> {
    parts.concat()
}

fn verdicts(g: &Grade) -> Vec<Verdict> {
    g.notes.iter().map(|n| n.verdict).collect()
}

fn summary(g: &Grade) -> String {
    format!(
        "pitch {} rhythm {} total {} tempo {:.3} tuning {} counts {:?}",
        g.pitch_score,
        g.rhythm_score,
        g.total_score,
        g.tempo_ratio,
        g.tuning_offset_cents,
        g.counts
    )
}

/// Every target note right, matched to the take notes `first..first + 10`,
/// every other take note extra, and the scores full.
fn assert_found_at(g: &Grade, first: usize, take_len: usize, context: &str) {
    let s = format!("{context}: {}", summary(g));
    assert_eq!(verdicts(g), vec![Verdict::Right; 10], "{s}");
    let matched: Vec<Option<usize>> = g.notes.iter().map(|n| n.take_index).collect();
    let expected: Vec<Option<usize>> = (first..first + 10).map(Some).collect();
    assert_eq!(matched, expected, "the melody is where it was played: {s}");
    assert_eq!(g.extras.len(), take_len - 10, "{s}");
    assert!(
        g.extras
            .iter()
            .all(|e| e.take_index < first || e.take_index >= first + 10),
        "{s}"
    );
}

#[test]
fn the_tune_then_noodling_grades_the_tune_right_and_lists_the_tail_as_extra() {
    let take = perform(&join(&[tune(), noodle(15, 3)]), 100.0, 0.9, 0.02, 0.0, 21);
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 0, 25, "tune then 15");
    assert!((g.tempo_ratio - 1.0).abs() < 0.03, "{}", summary(&g));
    // Notes after the melody are outside it: they do not lower the scores.
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (100.0, 100.0, 100.0)
    );
}

#[test]
fn warming_up_before_the_tune_does_not_hide_it() {
    let take = perform(&join(&[noodle(10, 5), tune()]), 100.0, 0.9, 0.02, 0.0, 22);
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 10, 20, "10 then tune");
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (100.0, 100.0, 100.0)
    );
}

#[test]
fn the_tune_played_twice_grades_one_playing_and_lists_the_other_as_extra() {
    let take = perform(&join(&[tune(), tune()]), 100.0, 0.9, 0.02, 0.0, 23);
    let g = grade(&target(), &take).expect("grades");
    let first = g.notes[0].take_index.expect("matched");
    assert!(first == 0 || first == 10, "{}", summary(&g));
    assert_found_at(&g, first, 20, "twice");
    assert!((g.tempo_ratio - 1.0).abs() < 0.03, "{}", summary(&g));
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (100.0, 100.0, 100.0)
    );
}

#[test]
fn a_slower_out_of_tune_tune_then_noodling_is_followed() {
    // 3% slow, 20 ms jitter, 30 cents sharp, then twenty other notes.
    let take = perform(&join(&[tune(), noodle(20, 7)]), 97.0, 0.9, 0.02, 30.0, 24);
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 0, 30, "slow sharp then 20");
    let s = summary(&g);
    assert!((g.tempo_ratio - 100.0 / 97.0).abs() < 0.03, "{s}");
    assert!((g.tuning_offset_cents - 30.0).abs() < 2.0, "{s}");
    assert_eq!(g.transposition_semitones, 0, "{s}");
    assert!(g.pitch_score >= 99.0 && g.rhythm_score >= 99.0, "{s}");
}

#[test]
fn a_lower_voice_between_noodling_is_forgiven_its_octave() {
    let low: Vec<Written> = tune()
        .into_iter()
        .map(|(p, l)| (p.map(|p| p - 12), l))
        .collect();
    let take = perform(
        &join(&[noodle(8, 9), low, noodle(12, 10)]),
        92.0,
        0.9,
        0.02,
        -15.0,
        25,
    );
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 8, 30, "octave low inside");
    assert_eq!(g.transposition_semitones, -12, "{}", summary(&g));
    assert!(g.transposition_forgiven);
}

#[test]
fn the_tune_at_double_tempo_is_a_fast_learner_not_a_wrong_one() {
    let take = perform(&tune(), 200.0, 0.9, 0.01, 0.0, 26);
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 0, 10, "double tempo");
    assert!((g.tempo_ratio - 0.5).abs() < 0.02, "{}", summary(&g));
    assert_eq!(
        (g.pitch_score, g.rhythm_score, g.total_score),
        (100.0, 100.0, 100.0)
    );
}

#[test]
fn a_fast_tune_then_noodling_at_another_tempo_is_followed_at_its_own_tempo() {
    let mut take = perform(&tune(), 200.0, 0.9, 0.01, 0.0, 26);
    let end = take.last().map_or(0.0, |n| n.offset_s) + 0.3;
    take.extend(
        perform(&noodle(15, 4), 100.0, 0.9, 0.02, 0.0, 5)
            .into_iter()
            .map(|n| Note {
                onset_s: n.onset_s + end,
                offset_s: n.offset_s + end,
                ..n
            }),
    );
    let g = grade(&target(), &take).expect("grades");
    assert_found_at(&g, 0, 25, "fast then noodling");
    assert!((g.tempo_ratio - 0.5).abs() < 0.02, "{}", summary(&g));
}

#[test]
fn mistakes_in_a_tune_followed_by_noodling_are_flagged_in_place() {
    // (note changed, new pitch or left out, its verdict)
    for (index, pitch, verdict) in [
        (6, Some(71), Verdict::Sharp),
        (9, Some(62), Verdict::Flat),
        (9, None, Verdict::Missed),
    ] {
        let mut melody = tune();
        melody[index].0 = pitch;
        let take = perform(&join(&[melody, noodle(15, 3)]), 100.0, 0.9, 0.02, 0.0, 21);
        let g = grade(&target(), &take).expect("grades");
        let s = summary(&g);
        let mut expected = vec![Verdict::Right; 10];
        expected[index] = verdict;
        assert_eq!(verdicts(&g), expected, "note {index}: {s}");
        assert_eq!(
            g.total_score,
            if pitch.is_some() { 94.0 } else { 90.0 },
            "{s}"
        );
    }
}

#[test]
fn a_take_of_only_other_notes_grades_badly() {
    for seed in [11, 12, 13, 14] {
        let take = perform(&noodle(25, seed), 100.0, 0.9, 0.02, 0.0, seed);
        let g = grade(&target(), &take).expect("grades");
        let s = summary(&g);
        assert!(g.counts.right <= 3, "seed {seed}: {s}");
        assert!(
            g.pitch_score < 40.0 && g.total_score < 50.0,
            "seed {seed}: {s}"
        );
    }
}

#[test]
fn noodling_in_the_middle_of_the_tune_still_costs() {
    // Four low notes, far from any of the tune's, between its 5th and 6th.
    let mut melody = tune();
    let middle = [
        (Some(57), 0.5),
        (Some(55), 0.5),
        (Some(57), 0.5),
        (Some(53), 0.5),
    ];
    melody.splice(5..5, middle);
    let take = perform(&melody, 100.0, 0.9, 0.02, 0.0, 27);
    let g = grade(&target(), &take).expect("grades");
    let s = summary(&g);
    // The note after the interruption may come late; the rest are right.
    assert!(g.counts.right >= 9, "{s}");
    assert_eq!(g.counts.right + g.counts.late, 10, "{s}");
    assert_eq!(g.extras.len(), 4, "{s}");
    assert!(
        g.extras.iter().all(|e| (5..9).contains(&e.take_index)),
        "{s}"
    );
    // Four extras at half a note each: 10 / 12 of the credit.
    assert_eq!(g.pitch_score, 83.3, "{s}");
}

#[test]
fn a_long_target_is_found_among_170_other_notes() {
    let ode = ode_to_joy();
    let take = perform(
        &join(&[noodle(80, 1), ode.clone(), noodle(90, 101)]),
        93.0,
        0.9,
        0.02,
        -20.0,
        1,
    );
    let g = grade(&exact(&ode, 100.0), &take).expect("grades");
    let s = summary(&g);
    let matched: Vec<Option<usize>> = g.notes.iter().map(|n| n.take_index).collect();
    assert_eq!(matched, (80..110).map(Some).collect::<Vec<_>>(), "{s}");
    assert_eq!(g.counts.right, 30, "{s}");
    assert_eq!(g.extras.len(), 170, "{s}");
    assert!((g.tempo_ratio - 100.0 / 93.0).abs() < 0.03, "{s}");
    assert_eq!(g.total_score, 100.0, "{s}");
}

/// Random stretches of other notes before and after the tune, at random
/// tempo and tuning: the tune is always found and graded right.
#[test]
fn the_tune_is_found_inside_any_longer_take() {
    let strict = GradeOptions::default();
    for seed in 1..=60u64 {
        let mut rng = Jitter::new(seed * 131);
        let before = ((rng.next(1.0) + 1.0) * 8.0) as usize; // 0–15
        let after = ((rng.next(1.0) + 1.0) * 10.0) as usize; // 0–19
        let bpm = 100.0 + rng.next(15.0);
        let cents = rng.next(40.0);
        let melody = join(&[
            noodle(before, seed * 3),
            tune(),
            noodle(after, seed * 3 + 1),
        ]);
        let take = perform(&melody, bpm, 0.88, 0.02, cents, seed);
        let g = grade_with(&target(), &take, &strict).expect("grades");
        let context = format!(
            "seed {seed}: {before} before, {after} after: {}",
            summary(&g)
        );
        assert_found_at(&g, before, before + 10 + after, &context);
        assert!(g.total_score >= 99.0, "{context}");
    }
}
