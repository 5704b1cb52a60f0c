//! Quantising performances to scores.

use tutti_score::{
    Clef, KeySignature, Mode, NoteType, NoteValue, QuantiseOptions, Score, Step, TimeSignature,
    quantise,
};

use crate::support::{Written, ode_to_joy, perform};

/// Written values of a score's sounding notes and rests, in quarters, ties joined.
fn written(score: &Score) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    let mut tie_open = false;
    for e in score.measures.iter().flat_map(|m| &m.events) {
        let length = f64::from(e.ticks) / f64::from(score.divisions);
        let pitch = e.pitch.map(|p| p.midi() as u8);
        match out.last_mut() {
            Some(last) if tie_open && e.tie_stop => last.1 += length,
            Some(last) if pitch.is_none() && last.0.is_none() => last.1 += length,
            _ => out.push((pitch, length)),
        }
        tie_open = e.tie_start;
    }
    // Trailing rest that only completes the last bar.
    if out.last().is_some_and(|l| l.0.is_none()) {
        out.pop();
    }
    out
}

#[test]
fn ode_to_joy_at_100_bpm_with_20ms_jitter_quantises_to_the_written_values() {
    let melody = ode_to_joy();
    for seed in 1..=8 {
        let performed = perform(&melody, 100.0, 0.9, 0.02, 0.0, seed);
        let score = quantise(&performed, &QuantiseOptions::default());
        assert!(
            (score.tempo_bpm - 100.0).abs() < 3.0,
            "seed {seed}: tempo {}",
            score.tempo_bpm
        );
        assert_eq!(score.time, TimeSignature::COMMON, "seed {seed}");
        assert_eq!(score.measures.len(), 8, "seed {seed}: 30 notes fill 8 bars");
        for m in &score.measures {
            let ticks: u32 = m.events.iter().map(|e| e.ticks).sum();
            assert_eq!(ticks, 16, "seed {seed}: bar {} is full", m.number);
        }
        // 90% articulation is legato playing, not rests.
        assert_eq!(written(&score), melody, "seed {seed}");
        assert_eq!(score.key, KeySignature::from_tonic(0, Mode::Major));
        assert_eq!(score.clef, Clef::Treble);
    }
}

#[test]
fn the_dotted_quarter_is_written_as_one_dotted_value() {
    let score = quantise(
        &perform(&ode_to_joy(), 100.0, 0.9, 0.02, 0.0, 3),
        &QuantiseOptions::default(),
    );
    let bar4 = &score.measures[3].events;
    assert_eq!(
        bar4[0].value,
        NoteValue {
            base: NoteType::Quarter,
            dots: 1
        }
    );
    assert_eq!(bar4[1].value.base, NoteType::Eighth);
    assert_eq!(bar4[2].value.base, NoteType::Half);
}

#[test]
fn rests_appear_where_the_gaps_are() {
    // C D (quarter rest) E | F2 (half rest) | G (eighth rest) A B C2 |
    let melody: Vec<Written> = vec![
        (Some(60), 1.0),
        (Some(62), 1.0),
        (None, 1.0),
        (Some(64), 1.0),
        (Some(65), 2.0),
        (None, 2.0),
        (Some(67), 0.5),
        (None, 0.5),
        (Some(69), 0.5),
        (Some(71), 0.5),
        (Some(72), 2.0),
    ];
    for seed in 1..=6 {
        let performed = perform(&melody, 100.0, 0.9, 0.02, 0.0, seed);
        let score = quantise(&performed, &QuantiseOptions::default());
        assert_eq!(score.time, TimeSignature::COMMON, "seed {seed}");
        assert_eq!(written(&score), melody, "seed {seed}");
        let bar2 = &score.measures[1].events;
        assert!(bar2[1].is_rest() && bar2[1].value.base == NoteType::Half);
    }
}

#[test]
fn a_note_over_the_barline_is_tied() {
    // Three quarters then a half: the half starts on beat 4 and crosses the bar.
    let melody: Vec<Written> = vec![
        (Some(60), 1.0),
        (Some(62), 1.0),
        (Some(64), 1.0),
        (Some(65), 2.0),
        (Some(64), 1.0),
        (Some(62), 1.0),
        (Some(60), 4.0),
    ];
    let opts = QuantiseOptions {
        tempo_bpm: Some(100.0),
        time: Some(TimeSignature::COMMON),
        pickup_sixteenths: Some(0),
        ..QuantiseOptions::default()
    };
    let score = quantise(&perform(&melody, 100.0, 0.95, 0.01, 0.0, 2), &opts);
    let last_of_bar1 = score.measures[0].events.last().expect("bar 1 has notes");
    let first_of_bar2 = &score.measures[1].events[0];
    assert!(last_of_bar1.tie_start && first_of_bar2.tie_stop);
    assert_eq!(last_of_bar1.pitch, first_of_bar2.pitch);
    assert_eq!(written(&score), melody);
}

#[test]
fn a_take_30_cents_sharp_gets_the_right_note_names() {
    let performed = perform(&ode_to_joy(), 100.0, 0.9, 0.02, 30.0, 5);
    let score = quantise(&performed, &QuantiseOptions::default());
    assert!((score.tuning_offset_cents - 30.0).abs() < 2.0);
    assert_eq!(written(&score), ode_to_joy());
}

#[test]
fn spelling_follows_the_key() {
    // F major scale up and down: B flat, not A sharp.
    let f_major: Vec<Written> = [65, 67, 69, 70, 72, 74, 76, 77, 76, 74, 72, 70, 69, 67, 65]
        .iter()
        .map(|&p| (Some(p), 1.0))
        .collect();
    let score = quantise(
        &perform(&f_major, 100.0, 0.9, 0.0, 0.0, 1),
        &QuantiseOptions::default(),
    );
    assert_eq!(score.key.fifths, -1, "F major has one flat");
    let notes = |score: &tutti_score::Score| -> Vec<tutti_score::SpelledPitch> {
        score
            .measures
            .iter()
            .flat_map(|m| &m.events)
            .filter_map(|e| e.pitch)
            .collect()
    };
    let b = notes(&score)[3];
    assert_eq!((b.step, b.alter), (Step::B, -1));

    // E major: D sharp, not E flat.
    let e_major: Vec<Written> = [64, 66, 68, 69, 71, 73, 75, 76, 75, 73, 71, 69, 68, 66, 64]
        .iter()
        .map(|&p| (Some(p), 1.0))
        .collect();
    let score = quantise(
        &perform(&e_major, 100.0, 0.9, 0.0, 0.0, 1),
        &QuantiseOptions::default(),
    );
    assert_eq!(score.key.fifths, 4, "E major has four sharps");
    let d = notes(&score)[6];
    assert_eq!((d.step, d.alter, d.octave), (Step::D, 1, 5));
}

#[test]
fn a_waltz_is_written_in_three_four() {
    let waltz: Vec<Written> = [
        (67, 2.0),
        (64, 1.0),
        (64, 2.0),
        (62, 1.0),
        (60, 1.0),
        (62, 1.0),
        (64, 1.0),
        (65, 3.0),
        (69, 2.0),
        (65, 1.0),
        (65, 2.0),
        (64, 1.0),
        (62, 1.0),
        (64, 1.0),
        (65, 1.0),
        (67, 3.0),
    ]
    .iter()
    .map(|&(p, l)| (Some(p), l))
    .collect();
    let score = quantise(
        &perform(&waltz, 120.0, 0.9, 0.015, 0.0, 4),
        &QuantiseOptions::default(),
    );
    assert_eq!(score.time, TimeSignature::new(3, 4));
    assert_eq!(score.measures.len(), 8);
    assert_eq!(written(&score), waltz);
}

#[test]
fn a_low_melody_is_written_in_the_bass_clef() {
    let low: Vec<Written> = ode_to_joy()
        .into_iter()
        .map(|(p, l)| (p.map(|p| p - 24), l))
        .collect();
    let score = quantise(
        &perform(&low, 100.0, 0.9, 0.0, 0.0, 1),
        &QuantiseOptions::default(),
    );
    assert_eq!(score.clef, Clef::Bass);
}

#[test]
fn tempi_from_70_to_135_bpm_with_20ms_jitter_quantise_exactly() {
    // Below ~70 BPM a melody of quarters reads equally well as eighths at
    // double tempo, and above ~140 as halves at half tempo; in between the
    // estimate must find the played tempo and every written value.
    let melody = ode_to_joy();
    for bpm in [70.0, 80.0, 90.0, 100.0, 110.0, 120.0, 135.0] {
        for seed in 1..=10 {
            let performed = perform(&melody, bpm, 0.85, 0.02, 20.0, seed);
            let score = quantise(&performed, &QuantiseOptions::default());
            assert!(
                (score.tempo_bpm / bpm - 1.0).abs() < 0.04,
                "{bpm} BPM seed {seed}: estimated {}",
                score.tempo_bpm
            );
            assert_eq!(score.time, TimeSignature::COMMON, "{bpm} BPM seed {seed}");
            assert_eq!(written(&score), melody, "{bpm} BPM seed {seed}");
        }
    }
}

#[test]
fn a_very_long_break_is_written_as_sixteen_bars_at_most() {
    let mut notes = perform(&ode_to_joy()[..4], 100.0, 0.9, 0.0, 0.0, 1);
    let later = perform(&ode_to_joy()[..4], 100.0, 0.9, 0.0, 0.0, 1);
    // The same four notes again after eight hours of silence.
    notes.extend(later.into_iter().map(|n| tutti_score::Note {
        onset_s: n.onset_s + 8.0 * 3600.0,
        offset_s: n.offset_s + 8.0 * 3600.0,
        ..n
    }));
    let score = quantise(&notes, &QuantiseOptions::default());
    let ticks: u32 = score
        .measures
        .iter()
        .flat_map(|m| &m.events)
        .map(|e| e.ticks)
        .sum();
    // Two phrases of 16 sixteenths, the break capped at 256, one bar of padding.
    assert!(ticks <= 16 + 256 + 16 + 16, "{ticks} sixteenths");
    assert_eq!(score.melody().notes.len(), 8);
}
