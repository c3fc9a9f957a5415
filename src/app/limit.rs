//! Slowing repeated failures: wrong passwords for one account or from one address, wrong signing
//! codes from one network. Every count ends when its window does.
//!
//! An attempt is counted *before* the slow part (the password hash, the code look-up) and settled
//! after, so requests sent all at once see each other: the limit cannot be raced.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::{CodeLimits, GuessLimits};

/// The key for limits by address: an IPv4 address, or an IPv6 address's /64 (one household or
/// phone gets a whole /64, so counting single IPv6 addresses would count nothing).
pub fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6([s[0], s[1], s[2], s[3], 0, 0, 0, 0].into())
            }
        },
    }
}

/// What to do with an attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Go,
    Wait(Duration),
    Refuse,
}

/// Counts failures per key: after `free`, each attempt waits longer; at `max`, refused until the
/// window ends.
pub struct GuessLimiter<K> {
    limits: GuessLimits,
    /// key → (attempts counted, when the window started)
    counts: Mutex<HashMap<K, (u32, Instant)>>,
}

impl<K: Hash + Eq + Clone> GuessLimiter<K> {
    pub fn new(limits: GuessLimits) -> Self {
        GuessLimiter {
            limits,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt as a failure now (unless refused), and says whether to go or wait first.
    /// Call [`GuessLimiter::succeeded`] when it turns out right.
    pub fn reserve(&self, key: &K) -> Verdict {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 50_000 {
            let window = self.limits.window;
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
        let entry = map.entry(key.clone()).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.limits.window {
            *entry = (0, Instant::now());
        }
        let n = entry.0;
        if n >= self.limits.max {
            return Verdict::Refuse;
        }
        entry.0 += 1;
        if n >= self.limits.free {
            Verdict::Wait(self.limits.delay * (n - self.limits.free + 1))
        } else {
            Verdict::Go
        }
    }

    /// Takes back one reserved attempt: it was not a failure.
    pub fn succeeded(&self, key: &K) {
        let mut map = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = map.get_mut(key) {
            entry.0 = entry.0.saturating_sub(1);
        }
    }

    /// Forgets a key's failures (a staff member who signed in correctly).
    pub fn clear(&self, key: &K) {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// One network's wrong codes, and the gate its attempts pass once it is being slowed.
struct Network {
    wrong: u32,
    in_flight: u32,
    since: Instant,
    gate: Arc<Semaphore>,
}

/// Limits on guessing signing codes, built for shared addresses: a school's wifi or a mobile
/// network's carrier-grade NAT puts many parents behind one address. A right code is never
/// counted. Once `free` attempts are wrong or still being checked, the network's attempts pass
/// `at_once` at a time (a crowd of right codes just queues briefly); once `free` are wrong, each
/// also waits a delay growing by `step` to `max_delay`. Guessing then runs at most
/// `at_once / max_delay` codes a second per network.
pub struct CodeGuard {
    limits: CodeLimits,
    networks: Arc<Mutex<HashMap<IpAddr, Network>>>,
}

/// Permission to check one code; say how it went with [`CodeGuard::settle`]. Dropped unsettled
/// (an error on the way), it ends the attempt without counting it.
pub struct CodePass {
    key: IpAddr,
    networks: Arc<Mutex<HashMap<IpAddr, Network>>>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Drop for CodePass {
    fn drop(&mut self) {
        let mut map = self.networks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.key) {
            n.in_flight = n.in_flight.saturating_sub(1);
        }
    }
}

/// The network has more attempts waiting than it may.
#[derive(Debug)]
pub struct Busy;

impl CodeGuard {
    pub fn new(limits: CodeLimits) -> Self {
        CodeGuard {
            limits,
            networks: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Waits for this network's turn (at once, unless it has had many wrong codes lately).
    pub async fn admit(&self, ip: IpAddr) -> Result<CodePass, Busy> {
        let key = network(ip);
        let gate = {
            let mut map = self.networks.lock().unwrap_or_else(|e| e.into_inner());
            if map.len() > 50_000 {
                let window = self.limits.window;
                map.retain(|_, n| n.in_flight > 0 || n.since.elapsed() < window);
            }
            let n = map.entry(key).or_insert_with(|| Network {
                wrong: 0,
                in_flight: 0,
                since: Instant::now(),
                gate: Arc::new(Semaphore::new(self.limits.at_once)),
            });
            if n.since.elapsed() >= self.limits.window && n.in_flight == 0 {
                n.wrong = 0;
                n.since = Instant::now();
            }
            // Attempts still being checked may all turn out wrong: they count towards the gate.
            let seen = n.wrong + n.in_flight;
            n.in_flight += 1;
            (seen >= self.limits.free).then(|| n.gate.clone())
        };
        let permit = match gate {
            None => None,
            Some(gate) => {
                match tokio::time::timeout(self.limits.queue_wait, gate.acquire_owned()).await {
                    Ok(Ok(p)) => Some(p),
                    _ => {
                        drop(CodePass {
                            key,
                            networks: self.networks.clone(),
                            _permit: None,
                        });
                        return Err(Busy);
                    }
                }
            }
        };
        // The delay follows the wrong codes counted by the time it is this attempt's turn, so a
        // crowd of right codes passes the gate without waiting.
        let wrong = {
            let map = self.networks.lock().unwrap_or_else(|e| e.into_inner());
            map.get(&key).map_or(0, |n| n.wrong)
        };
        if permit.is_some() && wrong >= self.limits.free {
            let over = wrong - self.limits.free + 1;
            tokio::time::sleep((self.limits.step * over).min(self.limits.max_delay)).await;
        }
        Ok(CodePass {
            key,
            networks: self.networks.clone(),
            _permit: permit,
        })
    }

    /// Ends an attempt: a wrong code counts against the network, a right one does not.
    pub fn settle(&self, pass: CodePass, right: bool) {
        if !right {
            let mut map = self.networks.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(n) = map.get_mut(&pass.key) {
                n.wrong += 1;
            }
        }
        drop(pass);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slows_then_refuses_and_attempts_count_before_they_finish() {
        let l = GuessLimiter::new(GuessLimits {
            free: 2,
            max: 4,
            delay: Duration::from_millis(10),
            window: Duration::from_secs(60),
        });
        let ip: IpAddr = [10, 0, 0, 1].into();
        let other: IpAddr = [10, 0, 0, 2].into();
        assert_eq!(l.reserve(&ip), Verdict::Go);
        assert_eq!(l.reserve(&ip), Verdict::Go);
        assert_eq!(l.reserve(&ip), Verdict::Wait(Duration::from_millis(10)));
        assert_eq!(l.reserve(&ip), Verdict::Wait(Duration::from_millis(20)));
        assert_eq!(l.reserve(&ip), Verdict::Refuse, "four still unsettled");
        l.succeeded(&ip);
        assert_eq!(l.reserve(&ip), Verdict::Wait(Duration::from_millis(20)));
        assert_eq!(l.reserve(&other), Verdict::Go);
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network(a), network(b));
        assert_ne!(network(a), network(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(network(mapped), IpAddr::from([192, 0, 2, 7]));
    }

    fn guard() -> CodeGuard {
        CodeGuard::new(CodeLimits {
            free: 3,
            step: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
            at_once: 2,
            queue_wait: Duration::from_millis(300),
            window: Duration::from_secs(60),
        })
    }

    #[tokio::test]
    async fn a_network_of_wrong_codes_is_slowed_and_queued_but_right_codes_get_through() {
        let g = guard();
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..3 {
            let p = g.admit(ip).await.unwrap();
            g.settle(p, false);
        }
        let t = Instant::now();
        let p = g.admit(ip).await.unwrap();
        assert!(t.elapsed() >= Duration::from_millis(20), "slowed");
        g.settle(p, true);
        // Two waiting at once fill the gate; a third waits its turn rather than being refused...
        let (a, b) = (g.admit(ip).await.unwrap(), g.admit(ip).await.unwrap());
        let third = g.admit(ip);
        tokio::pin!(third);
        assert!(
            tokio::time::timeout(Duration::from_millis(100), &mut third)
                .await
                .is_err()
        );
        g.settle(a, false);
        let c = third.await.expect("admitted once a turn is free");
        g.settle(b, false);
        g.settle(c, true);
        // ...unless the queue does not move at all.
        let held: Vec<CodePass> = vec![g.admit(ip).await.unwrap(), g.admit(ip).await.unwrap()];
        assert!(g.admit(ip).await.is_err());
        drop(held);
    }

    #[tokio::test]
    async fn many_wrong_codes_at_once_cannot_race_past_the_limit() {
        let g = Arc::new(guard());
        let ip: IpAddr = [10, 0, 0, 9].into();
        let t = Instant::now();
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let g = g.clone();
                tokio::spawn(async move {
                    if let Ok(p) = g.admit(ip).await {
                        g.settle(p, false);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        // Three free, then seven through a gate of two with growing delays.
        assert!(
            t.elapsed() >= Duration::from_millis(60),
            "{:?}",
            t.elapsed()
        );
    }
}
