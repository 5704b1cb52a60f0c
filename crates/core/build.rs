//! Rebuild when a migration changes or is added, so a new SQL file can never be
//! silently left out of the binary (the store also has a test that every file in
//! the folder is listed).
fn main() {
    println!("cargo::rerun-if-changed=../../migrations/app");
}
