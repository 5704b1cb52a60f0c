//! A voice-like phrase made here (vowels, vibrato, scoops, consonants,
//! breaths, free intonation, room noise) is transcribed and graded as a
//! singer would expect: a vibrato note is one note, a scoop into a note is
//! not a wrong note, a breath is not a missed note, and a few target notes
//! moved away from what was sung are exactly the ones flagged.

use tutti_score::{Note, Verdict};

use crate::support::{A, E, I, O, Sung, note, render};

/// Two phrases of a folk-like tune with a breath between them.
fn phrase() -> (Vec<Sung>, Vec<(f64, f64)>) {
    let mut notes = vec![
        note(0.50, 0.90, 60.0, -15.0, A),
        note(1.00, 1.40, 62.0, 20.0, O),
        note(1.50, 1.90, 64.0, -25.0, E),
        note(2.00, 3.00, 67.0, 10.0, A), // long, with vibrato
        note(3.10, 3.50, 65.0, -20.0, I),
        note(3.60, 4.00, 64.0, 15.0, O),
        // a breath 4.15 .. 4.45
        note(4.60, 5.00, 62.0, -10.0, E),
        note(5.10, 5.50, 64.0, 25.0, A),
        note(5.60, 6.00, 62.0, -20.0, O),
        note(6.10, 6.49, 60.0, 10.0, I),
        note(6.56, 7.60, 60.0, 10.0, A), // "ma", same pitch; long, with vibrato
    ];
    notes[10].nasal = true;
    notes[3].vibrato_cents = 55.0;
    notes[10].vibrato_cents = 45.0;
    notes[1].scoop = 1.2;
    notes[4].scoop = 0.8;
    notes[7].scoop = 1.5;
    notes[2].consonant = true;
    notes[5].consonant = true;
    notes[8].consonant = true;
    (notes, vec![(4.15, 4.45)])
}

fn written(notes: &[Sung]) -> Vec<Note> {
    notes
        .iter()
        .map(|n| Note {
            onset_s: n.on,
            offset_s: n.off,
            midi_pitch: n.written,
        })
        .collect()
}

fn transcribed() -> (Vec<Sung>, tutti_ear::Transcription) {
    let (notes, breaths) = phrase();
    let audio = render(&notes, &breaths, 44_100);
    let t = tutti_ear::transcribe(&audio, 44_100, &tutti_ear::Config::default());
    (notes, t)
}

#[test]
fn a_sung_phrase_is_heard_as_a_voice_with_one_note_per_sung_note() {
    let (notes, t) = transcribed();
    let brief: Vec<String> = t
        .notes
        .iter()
        .map(|n| format!("{:.2}-{:.2}:{:.2}", n.onset_s, n.offset_s, n.midi_pitch))
        .collect();
    assert_eq!(
        t.heard_as,
        tutti_ear::Source::Voice,
        "free intonation (tens of cents either way) is a voice"
    );
    assert_eq!(
        t.notes.len(),
        notes.len(),
        "vibrato, scoops, consonants and the breath add no notes: {brief:?}"
    );
    for (got, want) in t.notes.iter().zip(&notes) {
        let sung = want.written + want.off_cents / 100.0;
        assert!(
            (got.midi_pitch - sung).abs() < 0.25,
            "a note sung at {sung:.2} reads {:.2} (vibrato is heard at its centre, a scoop does not pull it down): {brief:?}",
            got.midi_pitch
        );
        assert!(
            (got.onset_s - want.on).abs() < 0.06,
            "onset {:.3} for a note starting at {:.3}: {brief:?}",
            got.onset_s,
            want.on
        );
    }
}

#[test]
fn a_sung_phrase_grades_right_against_what_was_written() {
    let (notes, t) = transcribed();
    let g = tutti_score::grade(&written(&notes), &t.notes).expect("grades");
    let verdicts: Vec<Verdict> = g.notes.iter().map(|n| n.verdict).collect();
    assert!(
        g.notes.iter().all(|n| n.verdict == Verdict::Right),
        "every note is sung within 25 cents of the melody, on time: {verdicts:?}"
    );
    assert!(
        g.extras.is_empty(),
        "the breath is no extra note: {:?}",
        g.extras
    );
    assert!(g.total_score >= 95.0, "total {}", g.total_score);
}

#[test]
fn moved_target_notes_are_exactly_the_ones_flagged() {
    let (notes, t) = transcribed();
    let mut target = written(&notes);
    let moved = [2usize, 5, 8];
    for &i in &moved {
        target[i].midi_pitch += 2.0;
    }
    let g = tutti_score::grade(&target, &t.notes).expect("grades");
    for (i, n) in g.notes.iter().enumerate() {
        let want = if moved.contains(&i) {
            Verdict::Flat
        } else {
            Verdict::Right
        };
        assert_eq!(
            n.verdict, want,
            "note {i}: the singer sang the written melody, so only the moved target notes are off"
        );
    }
}
