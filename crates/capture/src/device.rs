//! Input devices: listing them for the device picker and finding the one a
//! recording should use.

use cpal::traits::{DeviceTrait, HostTrait};
use serde::{Deserialize, Serialize};

use crate::error::CaptureError;

/// A microphone (or any capture device) the user can choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputDevice {
    /// Stable identifier (for ALSA the PCM name, e.g. `default` or
    /// `hw:CARD=0,DEV=0`); pass it as [`crate::RecordOptions::device`].
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Whether this is the system's default input.
    pub is_default: bool,
    /// The format a recording from it would use; `None` when the device
    /// could not be opened to ask (busy, or access denied).
    pub config: Option<InputConfig>,
}

/// A device's default capture format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputConfig {
    /// Sample rate, Hz.
    pub sample_rate: u32,
    /// Channels the device delivers.
    pub channels: u16,
    /// Sample format, e.g. `f32` or `i16`.
    pub sample_format: String,
}

impl From<&cpal::SupportedStreamConfig> for InputConfig {
    fn from(c: &cpal::SupportedStreamConfig) -> InputConfig {
        InputConfig {
            sample_rate: c.sample_rate(),
            channels: c.channels(),
            sample_format: c.sample_format().to_string(),
        }
    }
}

/// Lists the input devices of the default audio host, the default first.
///
/// Each device is opened briefly to read its default format, so call this
/// when the picker is shown, not while recording.
pub fn list_input_devices() -> Result<Vec<InputDevice>, CaptureError> {
    let host = cpal::default_host();
    let default = host.default_input_device();
    let default_id = default.as_ref().and_then(device_id);
    let mut out = Vec::new();
    if let Some(d) = &default {
        out.push(describe(d, true));
    }
    let devices = match host.input_devices() {
        Ok(devices) => devices,
        Err(e) if out.is_empty() => return Err(CaptureError::opening(&e, None)),
        Err(e) => {
            tracing::warn!(error = %e, "listing input devices failed; offering the default only");
            return Ok(out);
        }
    };
    for d in devices {
        if device_id(&d).is_some_and(|id| Some(&id) != default_id.as_ref()) {
            out.push(describe(&d, false));
        }
    }
    Ok(out)
}

/// The device to record from: the named one (matched on id, then on name)
/// or the system default.
pub(crate) fn find_input_device(
    host: &cpal::Host,
    name: Option<&str>,
) -> Result<cpal::Device, CaptureError> {
    let default = host.default_input_device();
    let Some(wanted) = name else {
        return default.ok_or_else(|| CaptureError::NoInputDevice {
            detail: format!("the {} host has no default input", host.id()),
        });
    };
    if let Some(d) = default.filter(|d| matches(d, wanted)) {
        return Ok(d);
    }
    let devices = host
        .input_devices()
        .map_err(|e| CaptureError::opening(&e, Some(wanted)))?;
    let devices: Vec<cpal::Device> = devices.collect();
    devices
        .iter()
        .find(|d| device_id(d).as_deref() == Some(wanted))
        .or_else(|| devices.iter().find(|d| display_name(d) == wanted))
        .cloned()
        .ok_or_else(|| CaptureError::DeviceNotFound {
            name: wanted.to_owned(),
        })
}

fn matches(d: &cpal::Device, wanted: &str) -> bool {
    device_id(d).as_deref() == Some(wanted) || display_name(d) == wanted
}

fn describe(d: &cpal::Device, is_default: bool) -> InputDevice {
    InputDevice {
        id: device_id(d).unwrap_or_else(|| display_name(d)),
        name: display_name(d),
        is_default,
        config: d
            .default_input_config()
            .ok()
            .as_ref()
            .map(InputConfig::from),
    }
}

fn device_id(d: &cpal::Device) -> Option<String> {
    d.id().ok().map(|id| id.id().to_owned())
}

/// The device's human-readable name (its id when it has none).
pub(crate) fn display_name(d: &cpal::Device) -> String {
    d.description()
        .map(|desc| desc.name().to_owned())
        .or_else(|_| d.id().map(|id| id.id().to_owned()))
        .unwrap_or_else(|_| "unknown device".to_owned())
}
