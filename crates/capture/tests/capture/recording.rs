//! A melody played into the capture device comes out in the take, note for
//! note, with live pitch and level events along the way.

use tutti_capture::{CaptureEvent, RecordOptions, Recorder, list_input_devices};

use crate::support::{Events, Fixture, RATE, melody, read_wav, render, transcribed};

const LEAD_IN_S: f64 = 0.3;
const TOTAL_S: f64 = 2.6;

#[test]
fn a_melody_recorded_through_alsa_comes_back_note_for_note() {
    let Some(fixture) = Fixture::in_child() else {
        let source = render(&melody(LEAD_IN_S), TOTAL_S);
        Fixture::new(&source)
            .run_child("recording::a_melody_recorded_through_alsa_comes_back_note_for_note");
        return;
    };
    let notes = melody(LEAD_IN_S);
    let source = render(&notes, TOTAL_S);

    let devices = list_input_devices().expect("devices listed");
    let default = devices
        .iter()
        .find(|d| d.is_default)
        .expect("a default input device");
    let config = default
        .config
        .as_ref()
        .expect("the default device's format is readable");
    assert_eq!(
        (
            config.sample_rate,
            config.channels,
            config.sample_format.as_str()
        ),
        (RATE, 2, "f32")
    );

    let events = Events::default();
    let recording = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        events.sink(),
    )
    .expect("recording starts");
    assert_eq!(recording.info().sample_rate, RATE);
    events.wait_for_position(source.len() as u64);
    let take = recording.stop().expect("the take is finalised");
    let events = events.snapshot();

    // The file: mono float at the device rate, the source bit for bit (both
    // channels are equal, so their mean is exact).
    assert_eq!((take.channels, take.sample_rate), (1, RATE));
    assert!(take.interrupted_by.is_none());
    let (spec, recorded) = read_wav(&take.path);
    assert_eq!(
        (spec.channels, spec.sample_rate, spec.bits_per_sample),
        (1, RATE, 32)
    );
    assert_eq!(recorded.len() as u64, take.samples);
    assert!(
        recorded.len() >= source.len(),
        "{} of {} samples recorded",
        recorded.len(),
        source.len()
    );
    let first_difference = recorded.iter().zip(&source).position(|(a, b)| a != b);
    assert_eq!(
        first_difference, None,
        "the recording starts with the source, sample for sample"
    );
    assert!((take.duration_s - recorded.len() as f64 / f64::from(RATE)).abs() < 1e-9);
    let source_peak = source.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert!(
        (take.peak_dbfs - 20.0 * source_peak.log10()).abs() < 0.01,
        "peak {} dBFS",
        take.peak_dbfs
    );

    // Its notes, transcribed: the source's, at the source's times.
    let heard = transcribed(&recorded[..source.len()]);
    let pitches: Vec<i32> = heard.iter().map(|(m, _)| *m).collect();
    assert_eq!(pitches, vec![60, 62, 64, 67], "transcription {heard:?}");
    for ((_, onset), note) in heard.iter().zip(&notes) {
        assert!(
            (onset - note.onset_s).abs() < 0.03,
            "onset {onset:.3} s vs {:.3} s",
            note.onset_s
        );
    }

    // Live pitch: in the middle of every note the events name it.
    for note in &notes {
        let from = ((note.onset_s + 0.1) * f64::from(RATE)) as u64;
        let to = ((note.onset_s + note.duration_s - 0.05) * f64::from(RATE)) as u64;
        let names: Vec<&str> = events
            .iter()
            .filter_map(|e| match e {
                CaptureEvent::Pitch {
                    at_sample,
                    note_name,
                    ..
                } if (from..to).contains(at_sample) => Some(note_name.as_str()),
                _ => None,
            })
            .collect();
        let expected = tutti_ear::note_name(note.midi);
        assert!(
            names.len() >= 10,
            "{} pitch events in 250 ms of {expected}",
            names.len()
        );
        assert!(
            names.iter().all(|n| *n == expected),
            "during {expected}: {names:?}"
        );
    }
    // And in the lead-in silence they say nothing is sung.
    let lead_in = (LEAD_IN_S * f64::from(RATE)) as u64;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, CaptureEvent::Unvoiced { at_sample, .. } if *at_sample < lead_in))
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, CaptureEvent::Pitch { at_sample, .. } if *at_sample < lead_in))
    );

    // Levels: at least 20 per second of audio, counted by sample position.
    let levels: Vec<(u64, f32)> = events
        .iter()
        .filter_map(|e| match e {
            CaptureEvent::Level {
                at_sample,
                rms_dbfs,
                ..
            } => Some((*at_sample, *rms_dbfs)),
            _ => None,
        })
        .collect();
    let in_source = levels
        .iter()
        .filter(|(at, _)| *at <= source.len() as u64)
        .count();
    let per_second = in_source as f64 / TOTAL_S;
    assert!(
        per_second >= 20.0,
        "{per_second:.1} level events per second of audio"
    );
    assert!(
        levels.windows(2).all(|w| w[0].0 < w[1].0),
        "levels come in take order"
    );
    let at = |t: f64| {
        levels
            .iter()
            .find(|(s, _)| *s as f64 >= t * f64::from(RATE))
            .map(|l| l.1)
            .expect("level")
    };
    assert!(at(0.1) <= -119.0, "silence reads at the floor: {}", at(0.1));
    assert!(
        at(LEAD_IN_S + 0.2) > -20.0,
        "a note reads loud: {}",
        at(LEAD_IN_S + 0.2)
    );

    assert!(matches!(
        events.first(),
        Some(CaptureEvent::Started {
            sample_rate: RATE,
            device_channels: 2,
            ..
        })
    ));
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, CaptureEvent::Error { .. }))
    );
}
