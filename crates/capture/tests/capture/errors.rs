//! Clear errors when the device cannot be had: a name that is not there, no
//! sound card at all, access denied.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;

use tutti_capture::{RecordOptions, Recorder, list_input_devices};

use crate::support::{Events, Fixture, melody, render};

#[test]
fn a_device_name_that_is_not_there_is_device_not_found() {
    let Some(fixture) = Fixture::in_child() else {
        let source = render(&melody(0.1), 0.5);
        Fixture::new(&source)
            .run_child("errors::a_device_name_that_is_not_there_is_device_not_found");
        return;
    };
    let listed = list_input_devices().expect("devices listed");
    assert!(
        listed
            .iter()
            .all(|d| d.id != "USB Mic 3000" && d.name != "USB Mic 3000")
    );
    let options = RecordOptions {
        device: Some("USB Mic 3000".into()),
        path: fixture.take_path(),
    };
    let err = Recorder::start(options, Events::default().sink()).expect_err("no such device");
    assert_eq!(err.code(), "capture_device_not_found", "{err}");
    assert!(
        err.to_string().contains("USB Mic 3000"),
        "the message names the device: {err}"
    );
    assert!(!fixture.take_path().exists(), "no file is left behind");

    // The listed devices can be chosen by id and by name.
    let by_id = listed
        .iter()
        .find(|d| d.id == "tutti_test_input")
        .expect("the test PCM is listed");
    for choice in [by_id.id.clone(), by_id.name.clone()] {
        let options = RecordOptions {
            device: Some(choice.clone()),
            path: fixture.take_path(),
        };
        let recording =
            Recorder::start(options, Events::default().sink()).expect("a listed device records");
        assert_eq!(
            recording.info().device_name,
            by_id.name,
            "chosen as {choice:?}"
        );
        recording.stop().expect("stopped");
    }
}

#[test]
fn a_system_without_a_sound_card_is_no_input_device() {
    let Some(fixture) = Fixture::in_child() else {
        Fixture::without_sound_card()
            .run_child("errors::a_system_without_a_sound_card_is_no_input_device");
        return;
    };
    let listed = list_input_devices().expect("listing works without a card");
    assert!(
        listed.iter().all(|d| !d.is_default || d.config.is_none()),
        "the default cannot be opened: {listed:?}"
    );
    let err = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        Events::default().sink(),
    )
    .expect_err("nothing to record from");
    assert_eq!(err.code(), "capture_no_input_device", "{err}");
    assert!(!fixture.take_path().exists(), "no file is left behind");
}

#[test]
fn a_device_the_os_will_not_open_is_permission_denied() {
    let Some(fixture) = Fixture::in_child() else {
        let source = render(&melody(0.1), 0.5);
        let fixture = Fixture::new(&source);
        // The PCM's input cannot be read by this user: ALSA's open fails with EACCES.
        std::fs::set_permissions(fixture.infile(), std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
        std::fs::set_permissions(&fixture.root, std::fs::Permissions::from_mode(0o777))
            .expect("chmod");
        let name = "errors::a_device_the_os_will_not_open_is_permission_denied";
        let mut child = fixture.child(name);
        // Root reads any file; run the scenario as an unprivileged user then.
        if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
            child.uid(65_534).gid(65_534);
        }
        let out = child.output().expect("run the scenario child");
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
            "scenario failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    };
    let err = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        Events::default().sink(),
    )
    .expect_err("access denied");
    assert_eq!(err.code(), "capture_permission_denied", "{err}");
    let listed = list_input_devices().expect("listing still works");
    let default = listed
        .iter()
        .find(|d| d.is_default)
        .expect("the default is listed");
    assert_eq!(default.config, None, "its format cannot be read either");
}
