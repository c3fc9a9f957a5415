//! Slowing, then refusing, repeated failures: wrong signing codes from one address, wrong
//! passwords for one account or from one address. Every lock ends when its window does.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::GuessLimits;

/// What to do with the next attempt from an address.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Go,
    Wait(Duration),
    Refuse,
}

pub struct GuessLimiter<K> {
    limits: GuessLimits,
    failures: Mutex<HashMap<K, (u32, Instant)>>,
}

impl<K: Hash + Eq + Clone> GuessLimiter<K> {
    pub fn new(limits: GuessLimits) -> Self {
        GuessLimiter {
            limits,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Asked before trying a code.
    pub fn check(&self, key: &K) -> Verdict {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(key) {
            Some((n, since)) if since.elapsed() < self.limits.window => {
                if *n >= self.limits.max {
                    Verdict::Refuse
                } else if *n >= self.limits.free {
                    Verdict::Wait(self.limits.delay * (n - self.limits.free + 1))
                } else {
                    Verdict::Go
                }
            }
            _ => Verdict::Go,
        }
    }

    /// Counts a failure. A success is not counted and forgives nothing, so one good code cannot
    /// be used to reset the count while guessing others.
    pub fn failed(&self, key: K) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 50_000 {
            let window = self.limits.window;
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = map.entry(key).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.limits.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    /// Forgets a key's failures (a staff member who signed in correctly).
    pub fn clear(&self, key: &K) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slows_then_refuses() {
        let l = GuessLimiter::new(GuessLimits {
            free: 2,
            max: 4,
            delay: Duration::from_millis(10),
            window: Duration::from_secs(60),
        });
        let ip: std::net::IpAddr = [10, 0, 0, 1].into();
        let other: std::net::IpAddr = [10, 0, 0, 2].into();
        assert_eq!(l.check(&ip), Verdict::Go);
        l.failed(ip);
        l.failed(ip);
        assert_eq!(l.check(&ip), Verdict::Wait(Duration::from_millis(10)));
        l.failed(ip);
        assert_eq!(l.check(&ip), Verdict::Wait(Duration::from_millis(20)));
        l.failed(ip);
        assert_eq!(l.check(&ip), Verdict::Refuse);
        assert_eq!(l.check(&other), Verdict::Go);
    }
}
