//! `sqlx::migrate!` embeds the migrations it found at compile time; a new file in the
//! directory must rebuild the crate, or the binary silently lacks the migration.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
