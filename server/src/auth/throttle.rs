//! Slowing down password (and setup code) guessing, in memory.
//!
//! Failed tries are counted per client address and per account e-mail. A few are free; after that each
//! further failure makes the address (or account) wait before its next try, doubling from one second
//! up to 15 minutes, and the try is refused with 429 and `Retry-After` without checking any password.
//! Failures are forgotten after an hour without one, and a success clears them.
//!
//! An attempt counts as a failure from the moment it is let through (before its password is even
//! checked), and a success clears the count: however many tries arrive at once, no more than the free
//! ones get through. IPv6 clients count per /64, the block one subscriber usually holds.
//!
//! So that nobody can use the throttle to keep the admin out for good (failing with the admin's
//! e-mail from many addresses, or from the address of a reverse proxy everyone shares): a browser
//! that signed in to the account before (it holds a device cookie, `auth::device`) is not held back by
//! either count, and no wait is longer than 15 minutes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::clock::SharedClock;

/// Failures an address may have before it must wait.
const FREE_PER_ADDRESS: u32 = 5;
/// Failures an account may have before it must wait (from browsers it does not know).
const FREE_PER_ACCOUNT: u32 = 10;
const FIRST_WAIT_MS: i64 = 1_000;
const MAX_WAIT_MS: i64 = 15 * 60_000;
const FORGET_AFTER_MS: i64 = 60 * 60_000;
/// Entries kept per kind at most; past it, the oldest are forgotten (memory stays bounded).
const MAX_ENTRIES: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: i64,
}

impl Failures {
    /// Unix ms before which the next try is refused.
    fn blocked_until(&self, free: u32) -> i64 {
        if self.count < free {
            return self.last;
        }
        let doublings = (self.count - free).min(20);
        let wait = (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS);
        self.last + wait
    }
}

#[derive(Default)]
struct Counts {
    addresses: HashMap<IpAddr, Failures>,
    accounts: HashMap<String, Failures>,
}

/// Who is trying: the client address (when known), the e-mail tried, and whether the browser is one
/// the account signed in from before.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    pub address: Option<IpAddr>,
    pub email: &'a str,
    pub known_device: bool,
}

pub struct LoginThrottle {
    clock: SharedClock,
    counts: Mutex<Counts>,
}

impl LoginThrottle {
    pub fn new(clock: SharedClock) -> Self {
        Self {
            clock,
            counts: Mutex::new(Counts::default()),
        }
    }

    /// Lets the attempt through, counting it as a failure until it `succeeded`; `Err(wait)` when it
    /// must not be tried now (then it is not counted).
    pub fn admit(&self, attempt: &Attempt<'_>) -> Result<(), Duration> {
        if attempt.known_device {
            return Ok(());
        }
        let now = self.clock.now_ms();
        let mut counts = self.lock();
        let address = attempt.address.map(address_key);
        let by_address = address
            .and_then(|a| counts.addresses.get(&a))
            .map(|f| f.blocked_until(FREE_PER_ADDRESS));
        let by_account = counts
            .accounts
            .get(&account_key(attempt.email))
            .map(|f| f.blocked_until(FREE_PER_ACCOUNT));
        let until = by_address.into_iter().chain(by_account).max().unwrap_or(0);
        if until > now {
            let wait = u64::try_from(until - now).unwrap_or(0);
            return Err(Duration::from_millis(wait));
        }
        if let Some(address) = address {
            count(&mut counts.addresses, address, now);
        }
        if !attempt.email.trim().is_empty() {
            count(&mut counts.accounts, account_key(attempt.email), now);
        }
        Ok(())
    }

    /// The attempt was right: its address and account start afresh.
    pub fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut counts = self.lock();
        if let Some(address) = attempt.address {
            counts.addresses.remove(&address_key(address));
        }
        counts.accounts.remove(&account_key(attempt.email));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// IPv4 addresses count alone, IPv6 ones by their /64 (an IPv4-mapped one as its IPv4 address).
fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
    }
}

fn count<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Failures>, key: K, now: i64) {
    if map.len() >= MAX_ENTRIES {
        map.retain(|_, f| now - f.last < FORGET_AFTER_MS);
        if map.len() >= MAX_ENTRIES {
            // Still full of recent failures: forget the older half.
            let mut lasts: Vec<i64> = map.values().map(|f| f.last).collect();
            lasts.sort_unstable();
            let cut = lasts[lasts.len() / 2];
            map.retain(|_, f| f.last > cut);
        }
    }
    let entry = map.entry(key).or_insert(Failures {
        count: 0,
        last: now,
    });
    if now - entry.last >= FORGET_AFTER_MS {
        entry.count = 0;
    }
    entry.count += 1;
    entry.last = now;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::ManualClock;

    fn attempt(address: &str, email: &'static str, known_device: bool) -> Attempt<'static> {
        Attempt {
            address: Some(address.parse().unwrap()),
            email,
            known_device,
        }
    }

    #[test]
    fn an_address_waits_after_its_free_tries_doubling_up_to_the_cap() {
        let clock = Arc::new(ManualClock::at(1_000_000));
        let throttle = LoginThrottle::new(clock.clone());
        let a = attempt("203.0.113.7", "admin@example.com", false);
        for _ in 0..FREE_PER_ADDRESS {
            assert!(throttle.admit(&a).is_ok(), "a free try");
        }
        assert_eq!(throttle.admit(&a), Err(Duration::from_secs(1)));
        clock.advance(1_000);
        assert!(throttle.admit(&a).is_ok(), "the wait is over");
        assert_eq!(throttle.admit(&a), Err(Duration::from_secs(2)));
        for _ in 0..30 {
            clock.advance(MAX_WAIT_MS);
            assert!(throttle.admit(&a).is_ok());
        }
        let capped = Duration::from_millis(MAX_WAIT_MS as u64);
        assert_eq!(throttle.admit(&a), Err(capped));
        // Another address (and account) is not affected; a known browser is not held back.
        let other = attempt("198.51.100.1", "other@example.com", false);
        assert!(throttle.admit(&other).is_ok());
        let known = attempt("203.0.113.7", "admin@example.com", true);
        assert!(throttle.admit(&known).is_ok());
        throttle.succeeded(&a);
        assert!(throttle.admit(&a).is_ok());
    }

    #[test]
    fn tries_that_arrive_together_get_no_more_than_the_free_ones() {
        let throttle = LoginThrottle::new(Arc::new(ManualClock::at(1_000_000)));
        let a = attempt("203.0.113.7", "admin@example.com", false);
        let admitted = (0..50).filter(|_| throttle.admit(&a).is_ok()).count();
        assert_eq!(admitted, FREE_PER_ADDRESS as usize);
    }

    #[test]
    fn ipv6_clients_count_per_64_block() {
        let throttle = LoginThrottle::new(Arc::new(ManualClock::at(1_000_000)));
        for i in 0..FREE_PER_ADDRESS {
            let rotated = attempt(&format!("2001:db8:1:2::{i:x}"), "x@example.com", false);
            assert!(throttle.admit(&rotated).is_ok());
        }
        let same_block = attempt("2001:db8:1:2::ffff", "y@example.com", false);
        assert!(throttle.admit(&same_block).is_err());
        let next_block = attempt("2001:db8:1:3::1", "y@example.com", false);
        assert!(throttle.admit(&next_block).is_ok());
    }

    #[test]
    fn an_attacked_account_still_lets_in_a_browser_it_knows() {
        let clock = Arc::new(ManualClock::at(1_000_000));
        let throttle = LoginThrottle::new(clock.clone());
        for i in 0..50 {
            let address = format!("203.0.113.{i}");
            let _ = throttle.admit(&Attempt {
                address: Some(address.parse().unwrap()),
                email: "Admin@Example.com",
                known_device: false,
            });
        }
        let stranger = attempt("198.51.100.9", "admin@example.com", false);
        assert!(throttle.admit(&stranger).is_err());
        let known = attempt("198.51.100.9", "admin@example.com", true);
        assert!(throttle.admit(&known).is_ok());
        clock.advance(MAX_WAIT_MS);
        assert!(
            throttle.admit(&stranger).is_ok(),
            "no wait is longer than the cap"
        );
    }
}
