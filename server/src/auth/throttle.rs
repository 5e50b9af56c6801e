//! Slowing down password (and setup code) guessing, in memory.
//!
//! Failures are counted per client address and per account e-mail. A few are free; after that each
//! further failure makes the address (or account) wait before its next try, doubling from one second
//! up to 15 minutes, and the try is refused with 429 and `Retry-After` without checking any password.
//! Failures are forgotten after an hour without one, and a success clears them.
//!
//! So that nobody can use the throttle to keep the admin out for good: the account's throttle (which
//! anyone can trip by failing with the admin's e-mail from many addresses) does not apply to a browser
//! that signed in to that account before (it holds a device cookie, `auth::device`), and no wait is
//! longer than 15 minutes.

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

    /// `Err(wait)` when this attempt must not be tried now.
    pub fn check(&self, attempt: &Attempt<'_>) -> Result<(), Duration> {
        let now = self.clock.now_ms();
        let counts = self.lock();
        let by_address = attempt
            .address
            .and_then(|a| counts.addresses.get(&a))
            .map(|f| f.blocked_until(FREE_PER_ADDRESS));
        let by_account = (!attempt.known_device)
            .then(|| counts.accounts.get(&account_key(attempt.email)))
            .flatten()
            .map(|f| f.blocked_until(FREE_PER_ACCOUNT));
        let until = by_address.into_iter().chain(by_account).max().unwrap_or(0);
        if until > now {
            let wait = u64::try_from(until - now).unwrap_or(0);
            return Err(Duration::from_millis(wait));
        }
        Ok(())
    }

    pub fn failed(&self, attempt: &Attempt<'_>) {
        let now = self.clock.now_ms();
        let mut counts = self.lock();
        if let Some(address) = attempt.address {
            count(&mut counts.addresses, address, now);
        }
        if !attempt.email.trim().is_empty() {
            count(&mut counts.accounts, account_key(attempt.email), now);
        }
    }

    pub fn succeeded(&self, attempt: &Attempt<'_>) {
        let mut counts = self.lock();
        if let Some(address) = attempt.address {
            counts.addresses.remove(&address);
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
    fn an_address_waits_after_its_free_failures_doubling_up_to_the_cap() {
        let clock = Arc::new(ManualClock::at(1_000_000));
        let throttle = LoginThrottle::new(clock.clone());
        let a = attempt("203.0.113.7", "admin@example.com", false);
        for _ in 0..FREE_PER_ADDRESS - 1 {
            assert!(throttle.check(&a).is_ok());
            throttle.failed(&a);
        }
        assert!(throttle.check(&a).is_ok());
        throttle.failed(&a);
        assert_eq!(throttle.check(&a), Err(Duration::from_secs(1)));
        clock.advance(1_000);
        throttle.failed(&a);
        assert_eq!(throttle.check(&a), Err(Duration::from_secs(2)));
        for _ in 0..30 {
            throttle.failed(&a);
        }
        assert_eq!(
            throttle.check(&a),
            Err(Duration::from_millis(MAX_WAIT_MS as u64))
        );
        // Another address is not affected.
        assert!(
            throttle
                .check(&attempt("198.51.100.1", "other@example.com", false))
                .is_ok()
        );
        throttle.succeeded(&a);
        assert!(throttle.check(&a).is_ok());
    }

    #[test]
    fn an_attacked_account_still_lets_in_a_browser_it_knows() {
        let clock = Arc::new(ManualClock::at(1_000_000));
        let throttle = LoginThrottle::new(clock.clone());
        for i in 0..50 {
            let address = format!("203.0.113.{i}");
            throttle.failed(&Attempt {
                address: Some(address.parse().unwrap()),
                email: "Admin@Example.com",
                known_device: false,
            });
        }
        assert!(
            throttle
                .check(&attempt("198.51.100.9", "admin@example.com", false))
                .is_err()
        );
        assert!(
            throttle
                .check(&attempt("198.51.100.9", "admin@example.com", true))
                .is_ok()
        );
        clock.advance(MAX_WAIT_MS);
        assert!(
            throttle
                .check(&attempt("198.51.100.9", "admin@example.com", false))
                .is_ok(),
            "no wait is longer than the cap"
        );
    }
}
