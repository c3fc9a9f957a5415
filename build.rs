//! Rebuilds when a migration changes, so the compile-time checked queries in `store/` are checked
//! against the new schema (sqlx's macros do not notice a changed migration by themselves); and
//! when a message catalogue under `locales/` changes or gains a file (they are compiled in).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
}
