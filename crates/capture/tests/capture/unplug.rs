//! A take already recorded is never lost: not when the device goes away in
//! the middle, not when the recording process is killed.

use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use tutti_capture::{CaptureEvent, RecordOptions, Recorder};

use crate::support::{Events, Fixture, RATE, melody, read_wav, render, transcribed};

/// Length of the device's input. The `file` PCM delivers it far faster than
/// real time, up to [`tutti_capture::input::RING_S`] ahead of the writer:
/// long enough that the device is unplugged before its input runs out.
const TOTAL_S: f64 = 20.0;

/// Makes the capture PCM's poll descriptor hang up, which is what the
/// kernel reports for a sound card that was unplugged: ALSA's `null` PCM
/// (the file PCM's slave) polls `/dev/full` for capture, and that descriptor
/// is replaced by the read end of a pipe whose write end is closed.
fn unplug_the_capture_device() {
    let target = std::fs::read_dir("/proc/self/fd")
        .expect("list descriptors")
        .filter_map(Result::ok)
        .find(|e| std::fs::read_link(e.path()).is_ok_and(|l| l.as_os_str() == "/dev/full"))
        .and_then(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
        .expect("the capture PCM polls /dev/full");
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(writer);
    nix::unistd::dup2(reader.as_raw_fd(), target).expect("dup2 over the PCM's descriptor");
}

#[test]
fn unplugging_the_device_mid_take_keeps_what_was_recorded() {
    let Some(fixture) = Fixture::in_child() else {
        let source = render(&melody(0.3), TOTAL_S);
        Fixture::new(&source)
            .run_child("unplug::unplugging_the_device_mid_take_keeps_what_was_recorded");
        return;
    };
    let source = render(&melody(0.3), TOTAL_S);
    let events = Events::default();
    let recording = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        events.sink(),
    )
    .expect("recording starts");
    events.wait_for_position(u64::from(RATE)); // one second in
    unplug_the_capture_device();

    let deadline = Instant::now() + Duration::from_secs(30);
    while !recording.is_finished() {
        assert!(
            Instant::now() < deadline,
            "the take did not end after the device went away"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let take = recording.stop().expect("the take is kept");
    let events = events.snapshot();

    let interruption = take
        .interrupted_by
        .as_ref()
        .expect("the take says why it ended");
    assert_eq!(interruption.code, "capture_device_lost", "{interruption:?}");
    let error = events
        .iter()
        .find(|e| matches!(e, CaptureEvent::Error { .. }))
        .expect("an error event");
    let CaptureEvent::Error {
        code, at_sample, ..
    } = error
    else {
        unreachable!()
    };
    assert_eq!(code, "capture_device_lost");
    assert_eq!(
        *at_sample, take.samples,
        "the error reports where the take ends"
    );
    assert!(
        matches!(events.last(), Some(CaptureEvent::Error { .. })),
        "nothing is reported after the error"
    );

    let (_, recorded) = read_wav(&take.path);
    assert_eq!(
        recorded.len() as u64,
        take.samples,
        "the file is finalised with every sample"
    );
    assert!(
        recorded.len() >= RATE as usize,
        "at least the first second is kept: {}",
        recorded.len()
    );
    assert!(
        recorded.len() < source.len(),
        "the take ended when the device went away"
    );
    assert_eq!(
        recorded.iter().zip(&source).position(|(a, b)| a != b),
        None,
        "what was kept is the source"
    );
}

#[test]
fn a_killed_recorder_leaves_a_playable_take() {
    let Some(fixture) = Fixture::in_child() else {
        let notes = melody(0.3);
        let source = render(&notes, TOTAL_S);
        let fixture = Fixture::new(&source);
        let mut child = fixture
            .child("unplug::a_killed_recorder_leaves_a_playable_take")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the recording child");
        // Wait until the file on disk (its header) covers the melody, then
        // kill the recorder without letting it finish anything.
        let melody_end = ((notes[3].onset_s + notes[3].duration_s + 0.1) * f64::from(RATE)) as u32;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let covered = hound::WavReader::open(fixture.take_path())
                .map(|r| r.duration())
                .unwrap_or(0);
            if covered >= melody_end {
                break;
            }
            if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
                let _ = child.kill();
                panic!("the take's header never covered the melody (covered {covered} samples)");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().expect("kill the recorder");
        let status = child.wait().expect("reap the recorder");
        assert!(
            !status.success(),
            "the recorder was killed, it did not finish: {status}"
        );

        let (spec, recorded) = read_wav(&fixture.take_path());
        assert_eq!((spec.channels, spec.sample_rate), (1, RATE));
        assert!(recorded.len() >= melody_end as usize);
        assert_eq!(recorded.iter().zip(&source).position(|(a, b)| a != b), None);
        let heard: Vec<i32> = transcribed(&recorded).iter().map(|(m, _)| *m).collect();
        assert_eq!(
            heard,
            vec![60, 62, 64, 67],
            "the killed take still holds the melody"
        );
        return;
    };
    // The child: record until killed.
    let recording = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        Events::default().sink(),
    )
    .expect("recording starts");
    loop {
        std::thread::sleep(Duration::from_millis(50));
        assert!(!recording.is_finished(), "the recording ended on its own");
    }
}
