//! Tauri commands of practice: one core call each, plus the microphone
//! (`tutti-capture`). A recording runs into `recordings/.rec-<id>.wav`; stop
//! hands the file to the core, which grades it and keeps it even if grading
//! fails (and adopts it at the next start if the app dies mid-take). Audio
//! bytes cross IPC raw: imports as the request body, playback as a response.

use std::sync::Mutex;

use tauri::State;
use tauri::ipc::{Channel, InvokeBody, Request, Response};
use tutti_capture::{CaptureError, CaptureEvent, RecordOptions, Recorder, Recording};
use tutti_core::Tutti;
use tutti_core::dto::ApiError;
use tutti_core::practice::dto::{
    AudioInput, ExportFormat, PracticeTake, PracticeTarget, RecordEvent, TargetFormat,
};

type CmdResult<T> = Result<T, ApiError>;

/// The code of a start while recording or a stop while not.
pub(crate) const RECORDING_CODE: &str = "recording";

/// The recording in progress, with what its take will be called and graded against.
#[derive(Default)]
pub struct ActiveRecording(Mutex<Option<Active>>);

struct Active {
    recording: Recording,
    title: String,
    target_id: Option<String>,
}

fn capture_error(e: CaptureError) -> ApiError {
    ApiError {
        code: e.code().to_owned(),
        message: e.to_string(),
        field: None,
    }
}

fn invalid(field: &str, reason: &str) -> ApiError {
    ApiError {
        code: "invalid_input".into(),
        message: format!("invalid {field}: {reason}"),
        field: Some(field.to_owned()),
    }
}

/// Raw request body and a percent-encoded header (titles may be Korean).
fn body_and_header<'a>(
    request: &'a Request<'_>,
    header: &str,
) -> CmdResult<(&'a [u8], Option<String>)> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(invalid(
            "body",
            "send the file's bytes as the raw request body",
        ));
    };
    let value = match request.headers().get(header) {
        None => None,
        Some(v) => {
            let text = v
                .to_str()
                .map_err(|_| invalid(header, "must be percent-encoded ASCII"))?;
            Some(percent_decode(text).ok_or_else(|| invalid(header, "bad percent-encoding"))?)
        }
    };
    Ok((bytes, value))
}

fn header(request: &Request<'_>, name: &str) -> CmdResult<Option<String>> {
    body_and_header(request, name).map(|(_, v)| v)
}

/// Decodes `encodeURIComponent` output.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[tauri::command]
pub async fn practice_targets(core: State<'_, Tutti>) -> CmdResult<Vec<PracticeTarget>> {
    Ok(core.practice_targets()?)
}

/// Body: the file's bytes. Headers: `x-title`, `x-file-name` (its extension
/// picks the format), percent-encoded.
#[tauri::command]
pub async fn practice_target_import(
    core: State<'_, Tutti>,
    request: Request<'_>,
) -> CmdResult<PracticeTarget> {
    let (bytes, title) = body_and_header(&request, "x-title")?;
    let file_name = header(&request, "x-file-name")?.unwrap_or_default();
    let format = TargetFormat::from_file_name(&file_name)
        .ok_or_else(|| invalid("file", "use a .musicxml, .xml, .mid, .midi or .csv file"))?;
    Ok(core.practice_target_import(&title.unwrap_or_default(), format, bytes)?)
}

#[tauri::command]
pub async fn practice_target_from_level_test(
    core: State<'_, Tutti>,
    room_id: String,
) -> CmdResult<PracticeTarget> {
    Ok(core.practice_target_from_level_test(&room_id)?)
}

#[tauri::command]
pub async fn practice_target_delete(core: State<'_, Tutti>, target_id: String) -> CmdResult<()> {
    Ok(core.practice_target_delete(&target_id)?)
}

#[tauri::command]
pub async fn practice_takes(core: State<'_, Tutti>) -> CmdResult<Vec<PracticeTake>> {
    Ok(core.practice_takes()?)
}

/// Body: WAV or FLAC bytes. Headers: `x-title`, optional `x-target-id`.
#[tauri::command]
pub async fn practice_take_import(
    core: State<'_, Tutti>,
    request: Request<'_>,
) -> CmdResult<PracticeTake> {
    let (bytes, title) = body_and_header(&request, "x-title")?;
    let target = header(&request, "x-target-id")?.filter(|t| !t.is_empty());
    Ok(core.practice_take_import(&title.unwrap_or_default(), bytes, target.as_deref())?)
}

#[tauri::command]
pub async fn practice_take_grade(
    core: State<'_, Tutti>,
    take_id: String,
    target_id: String,
) -> CmdResult<PracticeTake> {
    Ok(core.practice_take_grade(&take_id, &target_id)?)
}

#[tauri::command]
pub async fn practice_take_rename(
    core: State<'_, Tutti>,
    take_id: String,
    title: String,
) -> CmdResult<PracticeTake> {
    Ok(core.practice_take_rename(&take_id, &title)?)
}

#[tauri::command]
pub async fn practice_take_delete(core: State<'_, Tutti>, take_id: String) -> CmdResult<()> {
    Ok(core.practice_take_delete(&take_id)?)
}

/// The take's WAV bytes, raw (the UI plays them from a Blob URL).
#[tauri::command]
pub async fn practice_take_audio(core: State<'_, Tutti>, take_id: String) -> CmdResult<Response> {
    Ok(Response::new(core.practice_take_audio(&take_id)?))
}

/// Writes the export under the data directory's `exports/`; returns its path.
#[tauri::command]
pub async fn practice_take_export(
    core: State<'_, Tutti>,
    take_id: String,
    format: ExportFormat,
) -> CmdResult<String> {
    let path = core.practice_take_export_file(&take_id, format)?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn practice_inputs() -> CmdResult<Vec<AudioInput>> {
    let devices = tutti_capture::list_input_devices().map_err(capture_error)?;
    Ok(devices
        .into_iter()
        .map(|d| AudioInput {
            id: d.id,
            name: d.name,
            is_default: d.is_default,
        })
        .collect())
}

/// Starts recording from `device` (the default input when absent), streaming
/// level and live pitch on `on_event`.
#[tauri::command]
pub async fn practice_record_start(
    core: State<'_, Tutti>,
    active: State<'_, ActiveRecording>,
    device: Option<String>,
    title: String,
    target_id: Option<String>,
    on_event: Channel<RecordEvent>,
) -> CmdResult<()> {
    let mut slot = active.0.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_some() {
        return Err(ApiError {
            code: RECORDING_CODE.into(),
            message: "a recording is already running: stop it first".into(),
            field: None,
        });
    }
    let path = core.practice_recording_path()?;
    let recording = Recorder::start(RecordOptions { device, path }, move |event| {
        if let Some(e) = forward(event) {
            // The window may be gone; the take is still recorded.
            let _ = on_event.send(e);
        }
    })
    .map_err(capture_error)?;
    *slot = Some(Active {
        recording,
        title,
        target_id,
    });
    Ok(())
}

/// Stops the recording and stores the take, graded against the target given
/// at start. The file is kept even when grading or storing fails.
#[tauri::command]
pub async fn practice_record_stop(
    core: State<'_, Tutti>,
    active: State<'_, ActiveRecording>,
) -> CmdResult<PracticeTake> {
    let taken = active.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    let Some(a) = taken else {
        return Err(ApiError {
            code: RECORDING_CODE.into(),
            message: "no recording is running".into(),
            field: None,
        });
    };
    let take = a.recording.stop().map_err(capture_error)?;
    Ok(core.practice_take_from_recording(&take.path, &a.title, a.target_id.as_deref())?)
}

fn forward(event: CaptureEvent) -> Option<RecordEvent> {
    Some(match event {
        CaptureEvent::Started {
            device_name,
            sample_rate,
            ..
        } => RecordEvent::Started {
            device_name,
            sample_rate,
        },
        CaptureEvent::Level {
            time_s,
            rms_dbfs,
            peak_dbfs,
            ..
        } => RecordEvent::Level {
            time_s,
            rms_dbfs,
            peak_dbfs,
        },
        CaptureEvent::Pitch {
            time_s,
            note_name,
            midi,
            cents,
            ..
        } => RecordEvent::Pitch {
            time_s,
            note_name,
            midi,
            cents,
        },
        CaptureEvent::Unvoiced { time_s, .. } => RecordEvent::Unvoiced { time_s },
        CaptureEvent::Error { code, message, .. } => RecordEvent::Error { code, message },
        CaptureEvent::Overrun { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn titles_arrive_percent_encoded() {
        assert_eq!(
            percent_decode("%EC%95%84%EC%B9%A8%20take").as_deref(),
            Some("아침 take")
        );
        assert_eq!(percent_decode("%E"), None, "a cut escape is an error");
    }
}
