//! How the background workers are doing, for `GET /healthz`: a worker that died (panicked and is
//! waiting to be restarted) or whose work has been failing for longer than a grace period makes the
//! process unhealthy, so an orchestrator can restart it and an operator sees it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::clock::SharedClock;

/// How long a worker may keep failing (e.g. the database refusing writes) before health says so.
pub const FAILING_GRACE_MS: i64 = 30_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    /// Failing since this time (unix ms).
    Failing(i64),
    /// Panicked; restarted after a backoff.
    Dead,
}

pub struct WorkerHealth {
    clock: SharedClock,
    workers: Mutex<BTreeMap<&'static str, State>>,
}

/// A problem health reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub worker: &'static str,
    pub what: String,
}

impl WorkerHealth {
    pub fn new(clock: SharedClock) -> Self {
        Self {
            clock,
            workers: Mutex::new(BTreeMap::new()),
        }
    }

    /// The worker did its work (or started).
    pub fn ok(&self, worker: &'static str) {
        self.set(worker, |_| State::Running);
    }

    /// The worker's work failed; it keeps trying.
    pub fn failing(&self, worker: &'static str) {
        let now = self.clock.now_ms();
        self.set(worker, |old| match old {
            Some(State::Failing(since)) => State::Failing(since),
            _ => State::Failing(now),
        });
    }

    /// The worker panicked.
    pub fn dead(&self, worker: &'static str) {
        self.set(worker, |_| State::Dead);
    }

    /// What is wrong now, if anything.
    pub fn problems(&self) -> Vec<Problem> {
        let now = self.clock.now_ms();
        let workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        workers
            .iter()
            .filter_map(|(worker, state)| {
                let what = match *state {
                    State::Running => return None,
                    State::Failing(since) if now - since < FAILING_GRACE_MS => return None,
                    State::Failing(since) => format!("failing for {} s", (now - since) / 1000),
                    State::Dead => "stopped after a panic; restarting".to_owned(),
                };
                Some(Problem { worker, what })
            })
            .collect()
    }

    fn set(&self, worker: &'static str, next: impl FnOnce(Option<State>) -> State) {
        let mut workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        let old = workers.get(worker).copied();
        workers.insert(worker, next(old));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn failing_counts_after_the_grace_period_and_dead_at_once() {
        let clock = Arc::new(ManualClock::at(1_000_000));
        let health = WorkerHealth::new(clock.clone());
        health.ok("dispatcher");
        health.failing("dispatcher");
        assert!(health.problems().is_empty());
        clock.advance(FAILING_GRACE_MS - 1);
        health.failing("dispatcher");
        assert!(
            health.problems().is_empty(),
            "still within the grace period"
        );
        clock.advance(1);
        assert_eq!(health.problems()[0].worker, "dispatcher");
        health.ok("dispatcher");
        assert!(health.problems().is_empty());
        health.dead("scheduler");
        assert_eq!(health.problems()[0].worker, "scheduler");
    }
}
