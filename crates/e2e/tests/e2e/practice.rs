//! Practice in the real window: import a target (MusicXML written by
//! tutti-score) and a WAV take (synthesised here) through the screen's file
//! inputs, and see the take graded: scores and notation with every note
//! coloured by its verdict. Screenshots go to `target/e2e/practice-*.png`.
//!
//! WebDriver cannot drive native file dialogs, so the test builds a `File`
//! from base64 bytes in the page and sets it on the `<input type=file>`.

use base64::Engine as _;
use tutti_e2e::AppSession;

/// C D E F G A G, one quarter each at 120 bpm.
const MELODY: [u8; 7] = [60, 62, 64, 65, 67, 69, 67];
const RATE: u32 = 22_050;

fn notes() -> Vec<tutti_score::Note> {
    MELODY
        .iter()
        .enumerate()
        .map(|(i, &p)| tutti_score::Note {
            onset_s: 0.5 + i as f64 * 0.5,
            offset_s: 0.5 + i as f64 * 0.5 + 0.45,
            midi_pitch: f64::from(p),
        })
        .collect()
}

fn target_musicxml() -> Vec<u8> {
    let score = tutti_score::quantise(
        &notes(),
        &tutti_score::QuantiseOptions {
            title: "Scale".into(),
            tempo_bpm: Some(120.0),
            ..Default::default()
        },
    );
    tutti_score::to_musicxml(&score).into_bytes()
}

/// The melody sung as a harmonic tone with soft edges, 16-bit mono WAV.
fn take_wav() -> Vec<u8> {
    let rate = f64::from(RATE);
    let mut samples = vec![0.0f64; (4.5 * rate) as usize];
    for n in notes() {
        let f = 440.0 * 2f64.powf((n.midi_pitch - 69.0) / 12.0);
        let start = (n.onset_s * rate) as usize;
        let len = ((n.offset_s - n.onset_s) * rate) as usize;
        for i in 0..len {
            let t = i as f64 / rate;
            let env = (t / 0.02).min(1.0) * ((len - i) as f64 / (0.03 * rate)).min(1.0);
            let w = std::f64::consts::TAU * f * t;
            samples[start + i] += 0.4 * env * (w.sin() + 0.5 * (2.0 * w).sin());
        }
    }
    let mut cursor = std::io::Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for s in samples {
        w.write_sample((s * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    cursor.into_inner()
}

/// Puts a file on the `<input type=file data-testid=...>` and fires `change`.
async fn choose_file(app: &AppSession, testid: &str, name: &str, bytes: &[u8]) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    app.client
        .execute(
            r#"const [testid, name, b64] = arguments;
               const bin = atob(b64);
               const bytes = new Uint8Array(bin.length);
               for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
               const input = document.querySelector(`[data-testid="${testid}"]`);
               const file = new File([bytes], name);
               try {
                 const dt = new DataTransfer();
                 dt.items.add(file);
                 input.files = dt.files;
               } catch (e) {
                 Object.defineProperty(input, "files", { value: [file], configurable: true });
               }
               input.dispatchEvent(new Event("change", { bubbles: true }));"#,
            vec![testid.into(), name.into(), b64.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("the file is set on {testid}: {e}"));
}

async fn text(app: &AppSession, css: &str) -> String {
    app.find(css).await.text().await.unwrap()
}

/// Verdicts of the drawn notes of a notation, in order.
async fn drawn_verdicts(app: &AppSession, testid: &str) -> Vec<String> {
    let value = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll(`[data-testid=\"${arguments[0]}\"] .abcjs-note`))
                 .map((n) => n.dataset.verdict || '');",
            vec![testid.into()],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

async fn shot(app: &AppSession, name: &str) {
    let path = app.screenshot(&format!("practice-{name}")).await;
    assert!(
        path.metadata().unwrap().len() > 1000,
        "{} is a real image",
        path.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver and an X display; scripts/test.sh runs it under Xvfb"]
async fn a_wav_take_imported_against_a_target_shows_graded_notation_and_scores() {
    let data = tempfile::tempdir().unwrap();
    let app = AppSession::start(data.path()).await.unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;
    app.find("nav [data-nav=\"practice\"]")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(app.wait_for_heading("연습").await, "연습");

    // The target, drawn by abcjs.
    choose_file(&app, "target-file", "Scale.musicxml", &target_musicxml()).await;
    app.find("[data-testid=\"target-notation\"][data-drawn=\"true\"] svg")
        .await;
    let selected = text(&app, "[data-testid=\"target-select\"] option:checked").await;
    assert!(selected.contains("Scale"), "{selected}");
    shot(&app, "1-target").await;

    // The take: transcribed and graded on the device.
    choose_file(&app, "take-file", "morning.wav", &take_wav()).await;
    app.find("[data-testid=\"take-result\"]").await;
    let total: f64 = text(&app, "[data-testid=\"score-total\"]")
        .await
        .parse()
        .unwrap();
    assert!(
        total >= 90.0,
        "a clean take of the target scores high: {total}"
    );
    let right = text(&app, "[data-testid=\"count-right\"]").await;
    assert_eq!(right, "7", "every note is right");
    app.find("[data-testid=\"take-notation\"][data-drawn=\"true\"] svg")
        .await;
    let verdicts = drawn_verdicts(&app, "take-notation").await;
    assert_eq!(
        verdicts.len(),
        7,
        "one coloured note head per note: {verdicts:?}"
    );
    assert!(verdicts.iter().all(|v| v == "right"), "{verdicts:?}");
    let on_target = drawn_verdicts(&app, "graded-target-notation").await;
    assert_eq!(on_target, vec!["right"; 7]);
    // The take is in the library, kept across screens.
    let listed = text(&app, "[data-testid=\"take-title\"]").await;
    assert_eq!(listed, "morning");
    shot(&app, "2-graded").await;

    // A file that is not audio gets a clear error, in Korean, naming the input.
    choose_file(&app, "take-file", "notes.wav", b"not audio at all").await;
    let error = text(&app, "[data-testid=\"practice-error\"]").await;
    assert_eq!(
        error, "입력한 내용을 확인해 주세요. (녹음)",
        "the UI's own words, not the core's English message"
    );
    shot(&app, "3-bad-file").await;
    app.close().await;
}
