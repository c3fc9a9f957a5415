//! Integration tests: one binary, the real app on a temporary database, driven over HTTP and in
//! Chromium.
#![allow(clippy::unwrap_used)]

mod access;
mod bench_smoke;
pub mod browser;
mod browser_arabic;
mod browser_messages;
mod browser_roster;
mod browser_staff;
mod browser_trust;
mod browser_welsh;
mod checkpoint;
mod durability;
mod erasure;
mod erasure_requests;
mod errors;
mod export_all;
mod fakes;
mod fuzz;
mod helpers;
mod host_links;
mod hostile;
mod hosts;
mod isolation;
mod messages;
mod migrate;
mod office;
mod pages;
mod parent;
mod probe;
mod proxy;
mod revisions;
mod roster;
mod school_contact;
mod schools;
mod security;
mod staff;
mod stamps;
mod translations;
mod trust;
mod trust_code;
mod trusts;
