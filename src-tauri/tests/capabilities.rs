//! The UI may call exactly the commands the shell registers, no more: the
//! command list in build.rs (the app manifest), the handlers registered in
//! lib.rs, the `#[tauri::command]` functions (commands.rs, mentor.rs,
//! practice.rs, account.rs, chat.rs, courses.rs, community.rs) and the
//! capability's permissions must all name the same set.

use std::collections::BTreeSet;

fn quoted_names(src: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = src.find(start).expect("start marker present") + start.len();
    let to = from + src[from..].find(end).expect("end marker present");
    src[from..to]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn manifest_commands() -> BTreeSet<String> {
    // After `COMMANDS: &[&str] = &[`, up to the closing `];`.
    quoted_names(include_str!("../build.rs"), "= &[", "];")
}

fn registered_handlers() -> BTreeSet<String> {
    quoted_names(include_str!("../src/lib.rs"), "generate_handler![", "]")
        .into_iter()
        .map(|s| {
            s.trim_start_matches("commands::")
                .trim_start_matches("mentor::")
                .trim_start_matches("practice::")
                .trim_start_matches("account::")
                .trim_start_matches("chat::")
                .trim_start_matches("courses::")
                .trim_start_matches("community::")
                .to_owned()
        })
        .collect()
}

fn command_functions() -> BTreeSet<String> {
    // Every file that defines commands.
    let src = [
        include_str!("../src/commands.rs"),
        include_str!("../src/mentor.rs"),
        include_str!("../src/practice.rs"),
        include_str!("../src/account.rs"),
        include_str!("../src/chat.rs"),
        include_str!("../src/courses.rs"),
        include_str!("../src/community.rs"),
    ]
    .concat();
    src.split("#[tauri::command]")
        .skip(1)
        .map(|rest| {
            let after = &rest[rest.find("fn ").expect("a fn follows the attribute") + 3..];
            after[..after.find('(').expect("fn name ends at (")]
                .trim()
                .to_owned()
        })
        .collect()
}

fn granted_permissions() -> BTreeSet<String> {
    let caps: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

#[test]
fn every_command_is_registered_listed_and_granted_once() {
    let functions = command_functions();
    assert!(!functions.is_empty());
    assert_eq!(
        manifest_commands(),
        functions,
        "build.rs COMMANDS vs commands.rs"
    );
    assert_eq!(
        registered_handlers(),
        functions,
        "generate_handler! vs commands.rs"
    );
    assert_eq!(
        granted_permissions(),
        functions,
        "capabilities/default.json grants exactly the app's own commands"
    );
}

#[test]
fn the_ui_gets_no_broad_plugin_permissions() {
    let caps: serde_json::Value =
        serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
    let others: Vec<&str> = caps["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.starts_with("allow-"))
        .collect();
    // Only Tauri's event permissions (to receive progress events) are allowed
    // beyond our own commands; no fs, shell or http scope reaches the webview.
    assert!(
        others.iter().all(|p| p.starts_with("core:event:")),
        "unexpected permissions: {others:?}"
    );
}
