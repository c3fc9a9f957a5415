//! The parent's journey over HTTP: arrive, read, sign, keep the receipt.

mod codes;
mod kept;
mod languages;
mod signing;
