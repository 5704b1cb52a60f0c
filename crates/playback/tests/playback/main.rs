//! The player's audio heard by Tutti's own ear: what it sings is the melody,
//! at the tempo asked, after the count-in asked, looping the bars asked.

use tutti_playback::{PlaybackError, PlaybackOptions, Player};
use tutti_score::{Melody, parse_abc};

const RATE: u32 = 44_100;

/// Two bars of 4/4 at 120 bpm: C D E F | G E C2 (in quarters).
fn melody() -> Melody {
    parse_abc("X:1\nT:t\nM:4/4\nL:1/4\nQ:1/4=120\nK:C\nCDEF|GEC2|\n").expect("parses")
}

fn render_all(player: &mut Player, max_s: f64) -> Vec<f32> {
    let mut out = Vec::new();
    let mut block = vec![0f32; 512];
    while out.len() < (max_s * f64::from(RATE)) as usize {
        let n = player.render(&mut block);
        out.extend_from_slice(&block[..n]);
        if n < block.len() {
            break;
        }
    }
    out
}

fn heard(audio: &[f32]) -> Vec<tutti_score::Note> {
    tutti_ear::transcribe(audio, RATE, &tutti_ear::Config::default()).notes
}

fn quiet(o: PlaybackOptions) -> PlaybackOptions {
    PlaybackOptions {
        metronome: false,
        count_in_bars: 0,
        ..o
    }
}

#[test]
fn the_voice_sings_the_melody_note_for_note_on_time() {
    let m = melody();
    let mut p = Player::new(&m, RATE, quiet(PlaybackOptions::default())).unwrap();
    let audio = render_all(&mut p, 10.0);
    assert!(p.position().finished, "the melody ends");
    let notes = heard(&audio);
    let want: Vec<u8> = m.notes.iter().map(|n| n.midi_pitch).collect();
    let got: Vec<i32> = notes.iter().map(|n| n.midi_pitch.round() as i32).collect();
    assert_eq!(
        got,
        want.iter().map(|&x| i32::from(x)).collect::<Vec<_>>(),
        "{notes:?}"
    );
    for (g, w) in notes.iter().zip(&m.notes) {
        assert!(
            (g.onset_s - w.onset_s).abs() < 0.04,
            "onset {} for {}",
            g.onset_s,
            w.onset_s
        );
        assert!(
            (g.midi_pitch - f64::from(w.midi_pitch)).abs() < 0.2,
            "in tune: {}",
            g.midi_pitch
        );
    }
}

#[test]
fn tempo_count_in_and_transposition_move_the_notes() {
    let m = melody();
    // half speed, one bar of count-in (4 beats at 60 bpm = 4 s), a fifth up
    let opts = PlaybackOptions {
        tempo_percent: 50.0,
        count_in_bars: 1,
        metronome: false,
        transpose: 7,
        ..PlaybackOptions::default()
    };
    let mut p = Player::new(&m, RATE, opts).unwrap();
    assert!(p.position().counting_in);
    let audio = render_all(&mut p, 20.0);
    // the count-in's clicks are heard as high notes before the music
    let notes: Vec<_> = heard(&audio)
        .into_iter()
        .filter(|n| n.onset_s > 3.9)
        .collect();
    assert_eq!(notes.len(), m.notes.len(), "{notes:?}");
    for (g, w) in notes.iter().zip(&m.notes) {
        let want_on = 4.0 + 2.0 * w.onset_s;
        assert!(
            (g.onset_s - want_on).abs() < 0.05,
            "onset {} for {want_on}",
            g.onset_s
        );
        assert_eq!(g.midi_pitch.round() as i32, i32::from(w.midi_pitch) + 7);
    }
}

#[test]
fn the_count_in_clicks_every_beat_with_the_first_accented() {
    let m = melody();
    let opts = PlaybackOptions {
        count_in_bars: 1,
        metronome: false,
        melody: false,
        ..PlaybackOptions::default()
    };
    let mut p = Player::new(&m, RATE, opts).unwrap();
    let audio = render_all(&mut p, 2.0); // the count-in lasts 2 s at 120 bpm
    // click onsets: the envelope jumps from silence
    let block = 441;
    let mut onsets = Vec::new();
    let mut was_quiet = true;
    for (i, c) in audio.chunks(block).enumerate() {
        let peak = c.iter().fold(0f32, |a, v| a.max(v.abs()));
        if peak > 0.05 && was_quiet {
            onsets.push(i as f64 * block as f64 / f64::from(RATE));
        }
        was_quiet = peak < 0.01;
    }
    assert_eq!(onsets.len(), 4, "four clicks in a 4/4 count-in: {onsets:?}");
    for (k, t) in onsets.iter().enumerate() {
        assert!((t - 0.5 * k as f64).abs() < 0.015, "click {k} at {t}");
    }
    // pitch of each click from its zero crossings over 20 ms
    let pitch = |t: f64| {
        let a = (t * f64::from(RATE)) as usize;
        let w = &audio[a..a + 882];
        let crossings = w
            .windows(2)
            .filter(|p| (p[0] < 0.0) != (p[1] < 0.0))
            .count();
        crossings as f64 / 2.0 / 0.02
    };
    let hz: Vec<f64> = onsets.iter().map(|&t| pitch(t)).collect();
    assert!(
        hz[0] > 1.2 * hz[1] && (hz[1] - hz[2]).abs() < 100.0,
        "the bar's first click is higher: {hz:?}"
    );
}

#[test]
fn a_bar_loop_plays_its_bars_over_and_over() {
    let m = parse_abc("X:1\nT:t\nM:2/4\nL:1/4\nQ:1/4=120\nK:C\nCD|EF|GA|Bc|\n").unwrap();
    let opts = quiet(PlaybackOptions {
        loop_bars: Some((2, 3)),
        ..PlaybackOptions::default()
    });
    let mut p = Player::new(&m, RATE, opts).unwrap();
    // three passes of bars 2-3 (4 beats = 2 s each)
    let audio = render_all(&mut p, 6.0);
    assert!(!p.position().finished, "a loop never ends");
    let got: Vec<i32> = heard(&audio)
        .iter()
        .map(|n| n.midi_pitch.round() as i32)
        .collect();
    assert_eq!(got, [64, 65, 67, 69].repeat(3), "E F G A, three times");
    let pos = p.position();
    assert!((2..=3).contains(&pos.bar), "inside the loop: {pos:?}");
}

#[test]
fn options_out_of_range_name_the_option() {
    let m = melody();
    let bad = |o: PlaybackOptions| match Player::new(&m, RATE, o) {
        Err(PlaybackError::Option { field, .. }) => field,
        other => panic!("expected an option error, got {other:?}"),
    };
    let d = PlaybackOptions::default;
    assert_eq!(
        bad(PlaybackOptions {
            tempo_percent: 200.0,
            ..d()
        }),
        "tempoPercent"
    );
    assert_eq!(
        bad(PlaybackOptions {
            count_in_bars: 3,
            ..d()
        }),
        "countInBars"
    );
    assert_eq!(
        bad(PlaybackOptions {
            transpose: 30,
            ..d()
        }),
        "transpose"
    );
    assert_eq!(
        bad(PlaybackOptions {
            loop_bars: Some((2, 5)),
            ..d()
        }),
        "loopBars"
    );
    assert_eq!(
        bad(PlaybackOptions {
            loop_bars: Some((0, 1)),
            ..d()
        }),
        "loopBars"
    );
    assert!(matches!(
        Player::new(&m, 1_000, d()),
        Err(PlaybackError::SampleRate(1_000))
    ));
    let empty = Melody {
        title: "e".into(),
        tempo_bpm: 100.0,
        time: None,
        notes: vec![],
    };
    assert!(matches!(
        Player::new(&empty, RATE, d()),
        Err(PlaybackError::Empty)
    ));
}
