//! Rebuilds when a migration changes, so the compile-time checked queries in `store/` are checked
//! against the new schema (sqlx's macros do not notice a changed migration by themselves).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
