//! Stand-ins for the services the portal sends messages through: an SMTP server and GOV.UK
//! Notify, both real network servers on local ports that record what they were sent.

pub mod notify;
pub mod smtp;

#[cfg(test)]
mod selftest;

use std::fmt::Debug;
use std::time::Duration;

/// A plain HTTP client for talking to the portal or a fake. reqwest is built with
/// `rustls-no-provider`, so building any client panics until a rustls crypto provider is
/// installed: this installs ring's first, as the app does (a second install is harmlessly
/// refused).
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Polls `get` every 10 ms until it returns at least `n` items, and returns them.
///
/// # Panics
/// If it still has fewer than `n` when `timeout` runs out; the message names `what` and lists
/// what did arrive.
async fn wait_until<T: Debug>(
    n: usize,
    timeout: Duration,
    what: &str,
    get: impl Fn() -> Vec<T>,
) -> Vec<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let got = get();
        if got.len() >= n {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: expected at least {n} within {timeout:?}, got {}: {got:#?}",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
