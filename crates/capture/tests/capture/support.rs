//! A capture device without a sound card: an ALSA `file` PCM whose `infile`
//! holds known audio becomes the default capture device (see PLATFORM.md).
//!
//! ALSA reads its configuration once per process, from `ALSA_CONFIG_PATH`,
//! and setting environment variables in a running test is `unsafe`. So each
//! capture scenario runs in a child process of this same test binary: the
//! test re-executes itself, filtered to itself, with the environment set,
//! and in the child (where [`Fixture::in_child`] finds the fixture) it runs
//! the scenario and asserts.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tutti_capture::CaptureEvent;

/// The device's format: what cpal asks the `file` PCM for (a `plug` in
/// front to convert would lose frames at period boundaries under cpal).
pub const RATE: u32 = 48_000;
pub const CHANNELS: usize = 2;

const CHILD_ENV: &str = "TUTTI_CAPTURE_TEST_FIXTURE";

/// A note of the source melody: MIDI number, onset and length in seconds.
#[derive(Debug, Clone, Copy)]
pub struct SourceNote {
    pub midi: i32,
    pub onset_s: f64,
    pub duration_s: f64,
}

/// C4 D4 E4 G4, 0.4 s each with 0.1 s gaps, after `lead_in_s` of silence.
pub fn melody(lead_in_s: f64) -> Vec<SourceNote> {
    [60, 62, 64, 67]
        .iter()
        .enumerate()
        .map(|(i, &midi)| SourceNote {
            midi,
            onset_s: lead_in_s + 0.5 * i as f64,
            duration_s: 0.4,
        })
        .collect()
}

/// Mono samples of `notes` (a harmonic tone with 5 ms attack and 20 ms
/// release), `total_s` long.
pub fn render(notes: &[SourceNote], total_s: f64) -> Vec<f32> {
    let rate = f64::from(RATE);
    let mut out = vec![0.0f32; (total_s * rate) as usize];
    for n in notes {
        let hz = 440.0 * 2f64.powf((f64::from(n.midi) - 69.0) / 12.0);
        let start = (n.onset_s * rate).round() as usize;
        let len = (n.duration_s * rate).round() as usize;
        for i in 0..len {
            let t = i as f64 / rate;
            let env = (t / 0.005).min(1.0) * ((n.duration_s - t) / 0.02).clamp(0.0, 1.0);
            let w = 2.0 * std::f64::consts::PI * hz * t;
            let v = 0.25 * (w.sin() + 0.4 * (2.0 * w).sin() + 0.2 * (3.0 * w).sin());
            if let Some(slot) = out.get_mut(start + i) {
                *slot = (env * v) as f32;
            }
        }
    }
    out
}

/// A temp folder holding the ALSA configuration, the raw input and the take.
#[derive(Debug)]
pub struct Fixture {
    _dir: Option<tempfile::TempDir>,
    pub root: PathBuf,
}

impl Fixture {
    /// Writes `mono` as the device's input (F32 little-endian, both channels
    /// equal, interleaved) and an ALSA configuration making it the default
    /// capture device.
    pub fn new(mono: &[f32]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_owned();
        let infile = root.join("input.raw");
        let mut raw = Vec::with_capacity(mono.len() * CHANNELS * 4);
        for v in mono {
            for _ in 0..CHANNELS {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        }
        std::fs::write(&infile, raw).expect("write the input");
        Self::write_config(
            &root,
            &format!(
                "pcm.tutti_test_input {{\n    type file\n    slave.pcm \"null\"\n    file \"/dev/null\"\n    \
             infile \"{}\"\n    format \"raw\"\n}}\n\
             pcm.!default {{\n    type asym\n    playback.pcm \"null\"\n    capture.pcm \"tutti_test_input\"\n}}\n",
                infile.display()
            ),
        );
        Fixture {
            _dir: Some(dir),
            root,
        }
    }

    /// A configuration whose default capture device is a sound card that is not there.
    pub fn without_sound_card() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_owned();
        Self::write_config(&root, "pcm.!default {\n    type hw\n    card 29\n}\n");
        Fixture {
            _dir: Some(dir),
            root,
        }
    }

    fn write_config(root: &Path, text: &str) {
        let mut f = std::fs::File::create(root.join("asound.conf")).expect("create asound.conf");
        f.write_all(text.as_bytes()).expect("write asound.conf");
    }

    /// The fixture of this process when it is a scenario child.
    pub fn in_child() -> Option<Fixture> {
        std::env::var_os(CHILD_ENV).map(|root| Fixture {
            _dir: None,
            root: PathBuf::from(root),
        })
    }

    pub fn infile(&self) -> PathBuf {
        self.root.join("input.raw")
    }

    pub fn take_path(&self) -> PathBuf {
        self.root.join("takes").join("take.wav")
    }

    /// This binary again, as a child process using this fixture's ALSA
    /// configuration.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(std::env::current_exe().expect("own binary path"));
        cmd.env(CHILD_ENV, &self.root).env(
            "ALSA_CONFIG_PATH",
            format!(
                "/usr/share/alsa/alsa.conf:{}",
                self.root.join("asound.conf").display()
            ),
        );
        cmd
    }

    /// The child command that runs test `name` against this fixture.
    pub fn child(&self, name: &str) -> Command {
        let mut cmd = self.command();
        cmd.args(["--exact", name, "--nocapture", "--test-threads=1"]);
        cmd
    }

    /// Runs test `name` as a child against this fixture; fails when it fails.
    pub fn run_child(&self, name: &str) -> Output {
        let out = self.child(name).output().expect("run the scenario child");
        assert!(
            out.status.success(),
            "scenario {name} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let ran = String::from_utf8_lossy(&out.stdout);
        assert!(
            ran.contains("1 passed"),
            "the child ran the scenario: {ran}"
        );
        out
    }
}

/// Events collected from a recording's callback.
#[derive(Debug, Clone, Default)]
pub struct Events(Arc<Mutex<Vec<CaptureEvent>>>);

impl Events {
    pub fn sink(&self) -> impl FnMut(CaptureEvent) + Send + 'static {
        let events = Arc::clone(&self.0);
        move |e| events.lock().expect("events lock").push(e)
    }

    pub fn snapshot(&self) -> Vec<CaptureEvent> {
        self.0.lock().expect("events lock").clone()
    }

    /// The furthest take position any event has reported.
    pub fn position(&self) -> u64 {
        self.0
            .lock()
            .expect("events lock")
            .iter()
            .filter_map(CaptureEvent::at_sample)
            .max()
            .unwrap_or(0)
    }

    /// Waits until the events have covered `samples` of the take (the file
    /// PCM is not paced in real time, so this is usually quick).
    pub fn wait_for_position(&self, samples: u64) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.position() < samples {
            assert!(
                Instant::now() < deadline,
                "the recording reached only sample {}",
                self.position()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Reads a mono float WAV.
pub fn read_wav(path: &Path) -> (hound::WavSpec, Vec<f32>) {
    let reader = hound::WavReader::open(path).expect("a valid WAV");
    let spec = reader.spec();
    let samples = reader
        .into_samples::<f32>()
        .map(|s| s.expect("a sample"))
        .collect();
    (spec, samples)
}

/// The notes `tutti_ear` hears in `samples`, as (midi, onset_s).
pub fn transcribed(samples: &[f32]) -> Vec<(i32, f64)> {
    tutti_ear::transcribe(samples, RATE, &tutti_ear::Config::default())
        .notes
        .iter()
        .map(|n| (n.midi_pitch.round() as i32, n.onset_s))
        .collect()
}
