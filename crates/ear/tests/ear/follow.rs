//! Following a target through the live path (LivePitch -> Follower) with a
//! voice-like take made here: the follower's place at each note, through a
//! wrong note, a skipped bar and a restart.

use tutti_score::{FollowEvent, FollowOptions, Note, Verdict};

use crate::support::{A, E, I, O, Sung, note, render};

/// Four bars of quarter notes at 100 bpm.
const MELODY: [f64; 16] = [
    60.0, 62.0, 64.0, 65.0, 67.0, 65.0, 64.0, 62.0, 64.0, 65.0, 67.0, 69.0, 67.0, 65.0, 64.0, 60.0,
];
const BEAT: f64 = 0.6;

fn target() -> Vec<Note> {
    MELODY
        .iter()
        .enumerate()
        .map(|(i, &m)| Note {
            onset_s: BEAT * i as f64,
            offset_s: BEAT * i as f64 + 0.5,
            midi_pitch: m,
        })
        .collect()
}

/// Sings target notes `indices` one after another from `start` at the
/// target's tempo; `wrong` sings that one a major third sharp.
fn sing(start: f64, indices: &[usize], wrong: Option<usize>) -> Vec<Sung> {
    let vowels = [A, O, E, I];
    indices
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let on = start + BEAT * k as f64;
            let written = MELODY[i] + if wrong == Some(i) { 4.0 } else { 0.0 };
            let mut n = note(
                on,
                on + 0.48,
                written,
                if k % 2 == 0 { 15.0 } else { -15.0 },
                vowels[k % 4],
            );
            n.consonant = k % 3 == 1;
            n
        })
        .collect()
}

#[test]
fn the_follower_keeps_its_place_through_a_wrong_note_a_skipped_bar_and_a_restart() {
    // bar 1 with note 2 wrong, bar 2 left out, bar 3, then from the top to the end
    let mut take = sing(0.5, &[0, 1, 2, 3, 8, 9, 10, 11], Some(2));
    take.extend(sing(6.0, &(0..16).collect::<Vec<_>>(), None));
    let audio = render(&take, &[], 44_100);
    let mut f = tutti_ear::LiveFollower::new(44_100, &target(), FollowOptions::default()).unwrap();
    let mut events = Vec::new();
    for chunk in audio.chunks(441) {
        events.extend(f.push(chunk));
    }
    events.extend(f.finish());
    // the first pass, as it happened
    let first: Vec<FollowEvent> = events
        .iter()
        .copied()
        .take_while(|e| !matches!(e, FollowEvent::Restarted { .. }))
        .collect();
    let reached: Vec<(usize, Verdict)> = first
        .iter()
        .filter_map(|e| match e {
            FollowEvent::Reached { index, verdict, .. } => Some((*index, *verdict)),
            _ => None,
        })
        .collect();
    let indices: Vec<usize> = reached.iter().map(|r| r.0).collect();
    assert_eq!(indices, vec![0, 1, 2, 3, 8, 9, 10, 11], "{events:?}");
    let judged_2 = first.iter().rev().find_map(|e| match e {
        FollowEvent::Reached {
            index: 2, verdict, ..
        }
        | FollowEvent::Judged { index: 2, verdict } => Some(*verdict),
        _ => None,
    });
    assert_eq!(
        judged_2,
        Some(Verdict::Sharp),
        "the wrong note is flagged where it was sung"
    );
    let missed: Vec<usize> = first
        .iter()
        .filter_map(|e| match e {
            FollowEvent::Missed { index } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(missed, vec![4, 5, 6, 7], "the skipped bar");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, FollowEvent::Restarted { index: 0, time_s } if *time_s > 6.0)),
        "the restart is heard: {events:?}"
    );
    // after the restart, every note of the second pass is reached in order and right
    let progress = f.progress();
    for (i, p) in progress.iter().enumerate() {
        assert_eq!(p.verdict, Verdict::Right, "note {i}: {progress:?}");
        let sung_at = 6.0 + BEAT * i as f64;
        let at = p.reached_s.expect("reached");
        assert!(
            at >= sung_at && at < sung_at + 0.08,
            "note {i} confirmed {:.3} s after it was sung",
            at - sung_at
        );
    }
}

/// Mean over the recordings of a set of the share of target notes the
/// follower reached and the share it judged right, each recording followed
/// against its own annotation.
fn follow_set(set: &std::path::Path) -> (f64, f64) {
    let names = crate::support::stems(&set.join("audio"), "flac");
    let (mut reached, mut right) = (0.0, 0.0);
    for name in &names {
        let bytes = std::fs::read(set.join("audio").join(format!("{name}.flac"))).expect("audio");
        let audio = tutti_ear::decode(&bytes).expect("decodes");
        let gt = std::fs::read_to_string(set.join("gt").join(format!("{name}.csv"))).expect("gt");
        let target = tutti_ear::evaluation::read_scored_csv(&gt).0;
        let p = tutti_ear::follow_recording(
            &audio.samples,
            audio.sample_rate,
            &target,
            FollowOptions::default(),
        )
        .expect("follows");
        let n = p.len() as f64;
        reached += p.iter().filter(|x| x.reached_s.is_some()).count() as f64 / n;
        right += p.iter().filter(|x| x.verdict == Verdict::Right).count() as f64 / n;
    }
    (reached / names.len() as f64, right / names.len() as f64)
}

#[test]
fn the_rendered_set_is_followed_note_for_note() {
    let (reached, right) = follow_set(&crate::support::transcription_dir().join("dev"));
    // measured 0.970 / 0.836 when set
    assert!(
        reached >= 0.95 && right >= 0.8,
        "reached {reached:.3} of the notes, judged {right:.3} right"
    );
}

#[test]
#[ignore = "needs the real sight-singing set, which may not be redistributed: set TUTTI_REAL_SINGING_DIR"]
fn real_singing_is_followed() {
    let dir = std::env::var_os("TUTTI_REAL_SINGING_DIR").expect("TUTTI_REAL_SINGING_DIR");
    let (reached, right) = follow_set(std::path::Path::new(&dir));
    // measured 0.823 reached when set; the share judged right (0.41) is held
    // down by the annotation, whose pitches sit ~4 Hz sharp on a 5.4 Hz grid
    assert!(
        reached >= 0.8,
        "reached {reached:.3} of the notes (right {right:.3})"
    );
}
