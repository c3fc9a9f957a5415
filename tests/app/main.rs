//! Integration tests: one binary, the real app on a temporary database, driven over HTTP and in
#![allow(clippy::unwrap_used)]
//! Chromium.

pub mod browser;
mod helpers;
mod office;
mod parent;
mod security;
mod staff;
