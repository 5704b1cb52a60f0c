//! Locating the eval data.

use std::path::PathBuf;

/// `$TUTTI_EVAL_DIR/transcription`, else the repository's `eval/transcription`;
/// panics with instructions when it is not there.
pub fn transcription_dir() -> PathBuf {
    let base = std::env::var_os("TUTTI_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../eval"));
    let dir = base.join("transcription");
    assert!(
        dir.join("dev/audio").is_dir() && dir.join("dev/gt").is_dir(),
        "transcription eval data not found at {} (expected dev/audio and dev/gt there); \
         set TUTTI_EVAL_DIR to the folder that holds `transcription/`",
        dir.display()
    );
    dir
}

/// Sorted file stems with the given extension in `dir`.
pub fn stems(dir: &std::path::Path, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    v.sort();
    v
}
