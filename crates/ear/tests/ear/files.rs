//! Decoding real files: the dev FLACs, damaged copies of them, and WAV
//! re-encodings at other sample rates and channel counts.

use std::io::Cursor;

use tutti_ear::{Error, decode, transcribe};

use crate::support::transcription_dir;

fn dev_flac(name: &str) -> Vec<u8> {
    std::fs::read(
        transcription_dir()
            .join("dev/audio")
            .join(format!("{name}.flac")),
    )
    .expect("dev audio")
}

fn dev_gt(name: &str) -> Vec<tutti_score::Note> {
    let text = std::fs::read_to_string(
        transcription_dir()
            .join("dev/gt")
            .join(format!("{name}.csv")),
    )
    .expect("gt");
    tutti_ear::notes_from_csv(&text).expect("gt parses")
}

#[test]
fn dev_flac_decodes_to_mono_44k() {
    let audio = decode(&dev_flac("d01_scale_piano")).expect("decodes");
    assert_eq!((audio.sample_rate, audio.source_channels), (44_100, 1));
    assert!(
        (audio.duration_s() - 23.41).abs() < 0.01,
        "manifest says 23.41 s, got {}",
        audio.duration_s()
    );
    let peak = audio.samples.iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(
        (peak - 0.708).abs() < 0.01,
        "peak-normalised to -3 dBFS, got {peak}"
    );
}

#[test]
fn damaged_flac_gives_errors_not_panics() {
    let bytes = dev_flac("d23_leaps_piano");
    let truncated = &bytes[..bytes.len() / 2];
    match decode(truncated) {
        Err(Error::Truncated { expected, found }) => assert!(found < expected),
        other => panic!("half a FLAC file should be Truncated, got {other:?}"),
    }
    assert!(matches!(decode(&bytes[..3]), Err(Error::UnknownFormat)));
    assert!(
        matches!(decode(&bytes[..40]), Err(Error::Flac(_))),
        "{:?}",
        decode(&bytes[..40])
    );
    let mut corrupt = bytes.clone();
    let n = corrupt.len();
    for b in &mut corrupt[n / 3..n / 3 + 2000] {
        *b = 0x5a;
    }
    // a corrupted stretch either decodes around it or is reported; never a panic
    if let Err(e) = decode(&corrupt) {
        assert!(matches!(e, Error::Flac(_) | Error::Truncated { .. }), "{e}");
    }
}

fn to_wav(samples: &[f32], rate: u32, channels: u16, float: bool) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: if float { 32 } else { 16 },
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    };
    let mut cur = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut cur, spec).expect("writer");
    for &s in samples {
        for _ in 0..channels {
            if float {
                w.write_sample(s).expect("write");
            } else {
                w.write_sample((s * 32767.0) as i16).expect("write");
            }
        }
    }
    w.finalize().expect("finalize");
    cur.into_inner()
}

/// Linear-interpolation resampling, good enough to make test input at other rates.
fn resample(x: &[f32], from: u32, to: u32) -> Vec<f32> {
    let n = (x.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    (0..n)
        .map(|i| {
            let pos = i as f64 * f64::from(from) / f64::from(to);
            let j = pos as usize;
            let frac = (pos - j as f64) as f32;
            let a = x[j.min(x.len() - 1)];
            let b = x[(j + 1).min(x.len() - 1)];
            a + (b - a) * frac
        })
        .collect()
}

#[test]
fn same_recording_as_wav_at_other_rates_gives_the_same_notes() {
    let name = "d05_arpeggio_nylon_guitar";
    let gt = dev_gt(name);
    let audio = decode(&dev_flac(name)).expect("decodes");
    for (rate, channels, float) in [(48_000, 2, false), (22_050, 1, true), (16_000, 1, false)] {
        let x = resample(&audio.samples, 44_100, rate);
        let wav = decode(&to_wav(&x, rate, channels, float)).expect("wav decodes");
        assert_eq!((wav.sample_rate, wav.source_channels), (rate, channels));
        let t = transcribe(&wav.samples, wav.sample_rate, &tutti_ear::Config::default());
        let s = tutti_ear::evaluation::score_notes(&gt, &t.notes);
        assert!(
            s.onset.f1 > 0.9,
            "{rate} Hz x{channels}: onset F1 {:.3}",
            s.onset.f1
        );
    }
}

#[test]
fn silent_and_absurd_wav_files() {
    let silent =
        decode(&to_wav(&vec![0.0; 44_100 * 3], 44_100, 1, false)).expect("silence decodes");
    assert!(
        transcribe(&silent.samples, silent.sample_rate, &Default::default())
            .notes
            .is_empty()
    );
    // a header announcing 8 hours: 8 h x 3600 s x 8000 Hz x 2 channels x 4 bytes = 1.84 GB of data
    let mut eight_hours = to_wav(&[0.0; 64], 8_000, 2, true);
    let len = eight_hours.len();
    let data_size: u32 = 8 * 3600 * 8_000 * 2 * 4;
    // the data chunk's size field sits just before its 64 frames x 8 bytes
    eight_hours[len - 64 * 8 - 4..len - 64 * 8].copy_from_slice(&data_size.to_le_bytes());
    match decode(&eight_hours) {
        Err(Error::TooLong {
            seconds,
            max_seconds,
        }) => assert!(seconds > max_seconds),
        other => panic!("expected TooLong, got {other:?}"),
    }
}
