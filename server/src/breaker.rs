//! The circuit breaker per destination host. After `failures` consecutive failed attempts (timeouts,
//! connection errors, 408, 429, 5xx) a host is *open*: its deliveries wait, unclaimed and without
//! spending attempts, for a cool-down that doubles after every failed probe up to a maximum. When the
//! cool-down has passed one delivery is let through as the probe: its success closes the circuit, its
//! failure opens it again. An operator can close it by hand. Kept in memory: a restart closes every
//! circuit (the next failures open it again).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// A probe whose result never came (its send was lost) stops holding the host after this long.
const PROBE_EXPIRES_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerConfig {
    /// Consecutive failures that open a host's circuit.
    pub failures: u32,
    /// The first cool-down; each failed probe doubles it.
    pub cool_down: Duration,
    pub max_cool_down: Duration,
}

/// What an attempt said about its destination host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostHealth {
    /// The host answered (a success, or a refusal such as 400 that says nothing about its health).
    Up,
    /// It did not answer, or answered that it cannot cope (408, 429, 5xx).
    Down,
    /// Nothing was learnt (the request did not reach the host: a token failure, a refused address).
    Unknown,
}

/// Whether a delivery to a host may be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Send,
    /// Send it as the probe that decides whether the circuit closes.
    Probe,
    /// The circuit is open: give the delivery back without an attempt.
    Hold,
}

/// An open circuit, as shown and measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCircuit {
    pub host: String,
    /// When it opened (unix ms).
    pub since: i64,
    /// When the next probe may go (unix ms).
    pub probe_at: i64,
    /// Failed attempts in a row when it opened, plus failed probes since.
    pub failures: u32,
}

#[derive(Debug, Default)]
struct Host {
    failures: u32,
    open: Option<Open>,
}

#[derive(Debug)]
struct Open {
    since: i64,
    until: i64,
    cool_down: Duration,
    probe_started: Option<i64>,
}

impl Open {
    fn holds(&self, now: i64) -> bool {
        now < self.until
            || self
                .probe_started
                .is_some_and(|t| now - t < PROBE_EXPIRES_MS)
    }
}

pub struct Breakers {
    config: BreakerConfig,
    hosts: Mutex<HashMap<String, Host>>,
    /// Whether `hosts` holds any host (one that failed lately): while none did, every attempt is
    /// admitted and a success changes nothing, without taking the lock that every send would
    /// otherwise take twice. Set under the lock; a send racing the first failure of a host may
    /// still count as before it, as it could with the lock.
    watching: AtomicBool,
    /// The host each template sends to, as last seen by the dispatcher.
    routes: Mutex<HashMap<i64, String>>,
}

impl Breakers {
    pub fn new(config: BreakerConfig) -> Self {
        Self {
            config,
            hosts: Mutex::default(),
            watching: AtomicBool::new(false),
            routes: Mutex::default(),
        }
    }

    pub fn failures_to_open(&self) -> u32 {
        self.config.failures
    }

    /// Notes that `template`'s requests go to `host`, so claims can leave out its deliveries while the
    /// host's circuit is open.
    pub fn route(&self, template: i64, host: &str) {
        let mut routes = lock(&self.routes);
        if routes.get(&template).is_none_or(|h| h != host) {
            routes.insert(template, host.to_owned());
        }
    }

    /// Whether the host's deliveries must wait now (without deciding a probe).
    pub fn holds(&self, host: &str, now: i64) -> bool {
        if !self.watching.load(Ordering::Acquire) {
            return false;
        }
        lock(&self.hosts)
            .get(host)
            .and_then(|h| h.open.as_ref())
            .is_some_and(|open| open.holds(now))
    }

    /// Decides whether a delivery to `host` goes now; the first one after a cool-down is the probe.
    pub fn admit(&self, host: &str, now: i64) -> Admission {
        if !self.watching.load(Ordering::Acquire) {
            return Admission::Send;
        }
        let mut hosts = lock(&self.hosts);
        let Some(open) = hosts.get_mut(host).and_then(|h| h.open.as_mut()) else {
            return Admission::Send;
        };
        if open.holds(now) {
            return Admission::Hold;
        }
        open.probe_started = Some(now);
        Admission::Probe
    }

    /// Takes in what an attempt (the probe, if `probe`) said about `host`. Returns the host's open
    /// circuit when this result opened it.
    pub fn record(
        &self,
        host: &str,
        health: HostHealth,
        probe: bool,
        now: i64,
    ) -> Option<OpenCircuit> {
        if health == HostHealth::Unknown && !probe
            || health == HostHealth::Up && !self.watching.load(Ordering::Acquire)
        {
            return None;
        }
        let mut hosts = lock(&self.hosts);
        if health == HostHealth::Up {
            // The host answers: the circuit closes and counting starts again.
            hosts.remove(host);
            self.watching.store(!hosts.is_empty(), Ordering::Release);
            return None;
        }
        self.watching.store(true, Ordering::Release);
        let state = hosts.entry(host.to_owned()).or_default();
        match (health, state.open.as_mut()) {
            (HostHealth::Up, _) => None,
            (HostHealth::Down, Some(open)) if probe => {
                open.cool_down = (open.cool_down * 2).min(self.config.max_cool_down);
                open.until = now.saturating_add(millis(open.cool_down));
                open.probe_started = None;
                state.failures += 1;
                None
            }
            // A request sent before the circuit opened: it changes nothing.
            (HostHealth::Down, Some(_)) => None,
            (HostHealth::Down, None) => {
                state.failures += 1;
                if state.failures < self.config.failures.max(1) {
                    return None;
                }
                state.open = Some(Open {
                    since: now,
                    until: now.saturating_add(millis(self.config.cool_down)),
                    cool_down: self.config.cool_down,
                    probe_started: None,
                });
                Some(open_circuit(host, state))
            }
            (HostHealth::Unknown, Some(open)) if probe => {
                // The probe did not reach the host: the next delivery probes instead.
                open.probe_started = None;
                None
            }
            (HostHealth::Unknown, _) => None,
        }
    }

    /// Closes `host`'s circuit by hand; `false` if it was not open.
    pub fn close(&self, host: &str) -> bool {
        let mut hosts = lock(&self.hosts);
        let closed = hosts.remove(host).is_some_and(|h| h.open.is_some());
        self.watching.store(!hosts.is_empty(), Ordering::Release);
        closed
    }

    /// The open circuit of `host`, if any.
    pub fn open_circuit(&self, host: &str) -> Option<OpenCircuit> {
        let hosts = lock(&self.hosts);
        let state = hosts.get(host)?;
        state.open.as_ref()?;
        Some(open_circuit(host, state))
    }

    /// Every open circuit.
    pub fn open_circuits(&self) -> Vec<OpenCircuit> {
        lock(&self.hosts)
            .iter()
            .filter(|(_, state)| state.open.is_some())
            .map(|(host, state)| open_circuit(host, state))
            .collect()
    }

    /// The templates whose deliveries must wait now (their host's circuit is open), and when the
    /// earliest of those hosts may be probed.
    pub fn held_templates(&self, now: i64) -> (Vec<i64>, Option<i64>) {
        if !self.watching.load(Ordering::Acquire) {
            return (Vec::new(), None);
        }
        let hosts = lock(&self.hosts);
        let held = |host: &String| {
            hosts
                .get(host)
                .and_then(|h| h.open.as_ref())
                .filter(|open| open.holds(now))
        };
        let mut templates = Vec::new();
        let mut next_probe: Option<i64> = None;
        for (template, host) in lock(&self.routes).iter() {
            if let Some(open) = held(host) {
                templates.push(*template);
                let at = open
                    .probe_started
                    .map_or(open.until, |t| t + PROBE_EXPIRES_MS)
                    .max(open.until);
                next_probe = Some(next_probe.map_or(at, |n| n.min(at)));
            }
        }
        (templates, next_probe)
    }
}

/// The host (with its port) a URL's requests go to, as circuits are kept; `None` for a URL that does
/// not parse (its requests fail before leaving).
pub fn host_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

fn open_circuit(host: &str, state: &Host) -> OpenCircuit {
    let open = state.open.as_ref().expect("called for open circuits");
    OpenCircuit {
        host: host.to_owned(),
        since: open.since,
        probe_at: open.until,
        failures: state.failures,
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "hooks.example:443";

    fn breakers() -> Breakers {
        Breakers::new(BreakerConfig {
            failures: 3,
            cool_down: Duration::from_secs(10),
            max_cool_down: Duration::from_secs(25),
        })
    }

    #[test]
    fn opens_after_consecutive_failures_only() {
        let b = breakers();
        b.record(HOST, HostHealth::Down, false, 0);
        b.record(HOST, HostHealth::Down, false, 1);
        b.record(HOST, HostHealth::Up, false, 2);
        b.record(HOST, HostHealth::Down, false, 3);
        b.record(HOST, HostHealth::Unknown, false, 3);
        assert_eq!(b.record(HOST, HostHealth::Down, false, 4), None);
        assert_eq!(b.admit(HOST, 5), Admission::Send);
        let opened = b.record(HOST, HostHealth::Down, false, 6).unwrap();
        assert_eq!(
            (opened.since, opened.probe_at, opened.failures),
            (6, 10_006, 3)
        );
        assert_eq!(b.admit(HOST, 7), Admission::Hold);
        assert!(b.holds(HOST, 10_005));
    }

    #[test]
    fn one_probe_decides_and_failed_probes_double_the_cool_down_up_to_its_maximum() {
        let b = breakers();
        for t in 0..3 {
            b.record(HOST, HostHealth::Down, false, t);
        }
        b.route(7, HOST);
        assert_eq!(b.held_templates(100), (vec![7], Some(10_002)));
        assert_eq!(b.admit(HOST, 10_002), Admission::Probe);
        assert_eq!(
            b.admit(HOST, 10_003),
            Admission::Hold,
            "one probe at a time"
        );
        // A late failure of a request sent before the circuit opened changes nothing.
        b.record(HOST, HostHealth::Down, false, 10_004);
        b.record(HOST, HostHealth::Down, true, 10_005);
        assert_eq!(b.open_circuit(HOST).unwrap().probe_at, 30_005);
        assert_eq!(b.admit(HOST, 30_005), Admission::Probe);
        b.record(HOST, HostHealth::Down, true, 30_006);
        assert_eq!(b.open_circuit(HOST).unwrap().probe_at, 55_006, "capped");
        assert_eq!(b.admit(HOST, 55_006), Admission::Probe);
        b.record(HOST, HostHealth::Up, true, 55_007);
        assert_eq!(b.open_circuit(HOST), None);
        assert_eq!(b.admit(HOST, 55_008), Admission::Send);
        assert_eq!(b.held_templates(55_008), (vec![], None));
    }

    #[test]
    fn another_host_recovering_leaves_an_open_circuit_open() {
        const OTHER: &str = "other.example:443";
        let b = breakers();
        b.record(HOST, HostHealth::Down, false, 0);
        b.record(HOST, HostHealth::Down, false, 1);
        assert!(b.record(HOST, HostHealth::Down, false, 2).is_some());
        b.record(OTHER, HostHealth::Down, false, 3);
        b.record(OTHER, HostHealth::Up, false, 4);
        assert_eq!(b.admit(HOST, 5), Admission::Hold);
        assert!(b.holds(HOST, 5));
        assert_eq!(b.admit(OTHER, 5), Admission::Send);
        assert!(b.close(HOST));
        assert_eq!(b.admit(HOST, 6), Admission::Send);
        assert!(!b.holds(HOST, 6));
    }

    #[test]
    fn a_probe_that_learns_nothing_or_never_reports_lets_another_go() {
        let b = breakers();
        for t in 0..3 {
            b.record(HOST, HostHealth::Down, false, t);
        }
        assert_eq!(b.admit(HOST, 20_000), Admission::Probe);
        b.record(HOST, HostHealth::Unknown, true, 20_001);
        assert_eq!(b.admit(HOST, 20_002), Admission::Probe);
        assert_eq!(b.admit(HOST, 20_003), Admission::Hold);
        assert_eq!(b.admit(HOST, 20_002 + PROBE_EXPIRES_MS), Admission::Probe);
    }

    #[test]
    fn an_operator_closes_it_by_hand() {
        let b = breakers();
        for t in 0..3 {
            b.record(HOST, HostHealth::Down, false, t);
        }
        assert_eq!(b.open_circuits().len(), 1);
        assert!(b.close(HOST));
        assert!(!b.close(HOST));
        assert_eq!(b.admit(HOST, 3), Admission::Send);
        // Counting starts again.
        b.record(HOST, HostHealth::Down, false, 4);
        assert_eq!(b.open_circuit(HOST), None);
    }

    #[test]
    fn hosts_are_kept_with_their_port() {
        assert_eq!(
            host_of("https://Hooks.Example/in?x=1").as_deref(),
            Some("hooks.example:443")
        );
        assert_eq!(
            host_of("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
