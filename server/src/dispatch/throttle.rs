//! Per-template delivery limits (`max_per_second`, `max_in_flight`), across every campaign using the
//! template. A limited template's deliveries are claimed apart from the others, never more than it
//! may start within the next second or has room for in flight; each gets a start slot, evenly spaced
//! (`1 / max_per_second` apart, so no second ever holds more than the limit), and waits for it
//! without holding one of the dispatcher's permits: other templates go on at full speed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use app::model::webhook::DeliveryLimits;
use tokio::sync::Notify;

/// How far ahead start slots are handed out (µs): a claim takes at most what a template may start
/// within this window.
const WINDOW_US: i64 = 1_000_000;
/// How long the templates' limits read from the database are used before being read again (unix ms):
/// a claim round is too frequent to read them every time.
pub const LIMITS_FRESH_MS: i64 = 1000;

#[derive(Clone, Default)]
pub struct Throttle {
    gates: Arc<Mutex<HashMap<i64, Gate>>>,
    /// When the limits were last read (unix ms) and the count of template saves then; `None`: never.
    read_at: Arc<Mutex<Option<(i64, u64)>>>,
    /// Notified when a limited template's request ends (it may have room again).
    pub freed: Arc<Notify>,
}

#[derive(Debug, Default)]
struct Gate {
    limits: DeliveryLimits,
    in_flight: u32,
    /// The earliest start of the next request (unix µs).
    next_slot_us: i64,
}

impl Gate {
    fn spacing_us(&self) -> Option<i64> {
        self.limits
            .max_per_second
            .map(|n| (1_000_000 / i64::from(n.max(1))).max(1))
    }

    /// Requests it may take now: room in flight, and slots within the window.
    fn capacity(&self, now_us: i64) -> u32 {
        let room = self
            .limits
            .max_in_flight
            .map_or(u32::MAX, |max| max.saturating_sub(self.in_flight));
        let slots = self.spacing_us().map_or(u32::MAX, |spacing| {
            let ahead = now_us + WINDOW_US - self.next_slot_us.max(now_us);
            u32::try_from((ahead.max(0) + spacing - 1) / spacing).unwrap_or(u32::MAX)
        });
        room.min(slots)
    }
}

/// What the limited templates may take in this claim.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Allowance {
    /// Templates with room, and how many deliveries each may take.
    pub open: Vec<(i64, u32)>,
    /// Templates with no room now.
    pub full: Vec<i64>,
    /// When the earliest rate-limited template has a slot again (unix ms); a template full in flight
    /// has room when a request ends (`Throttle::freed`).
    pub next_slot_at: Option<i64>,
}

impl Throttle {
    /// Whether the limits should be read again: a template was saved since (`saves` counts them), or
    /// they are older than `LIMITS_FRESH_MS`.
    pub fn limits_due(&self, now_ms: i64, saves: u64) -> bool {
        let read_at = *self.read_at.lock().unwrap_or_else(|e| e.into_inner());
        read_at
            .is_none_or(|(at, seen)| seen != saves || now_ms - at >= LIMITS_FRESH_MS || now_ms < at)
    }

    /// Takes the templates' current limits, read at `now_ms` after `saves` template saves (a template
    /// no longer listed is no longer limited).
    pub fn refresh(
        &self,
        (now_ms, saves): (i64, u64),
        limited: impl IntoIterator<Item = (i64, DeliveryLimits)>,
    ) {
        *self.read_at.lock().unwrap_or_else(|e| e.into_inner()) = Some((now_ms, saves));
        let mut gates = self.gates();
        for gate in gates.values_mut() {
            gate.limits = DeliveryLimits::default();
        }
        for (template, limits) in limited {
            gates.entry(template).or_default().limits = limits;
        }
        gates.retain(|_, gate| gate.limits.is_limited() || gate.in_flight > 0);
    }

    /// The limited templates, all of which are claimed apart from the others.
    pub fn limited(&self) -> Vec<i64> {
        self.gates()
            .iter()
            .filter(|(_, gate)| gate.limits.is_limited())
            .map(|(template, _)| *template)
            .collect()
    }

    pub fn allowance(&self, now_ms: i64) -> Allowance {
        let now_us = now_ms.saturating_mul(1000);
        let mut allowance = Allowance::default();
        for (template, gate) in self.gates().iter() {
            if !gate.limits.is_limited() {
                continue;
            }
            match gate.capacity(now_us) {
                0 => {
                    allowance.full.push(*template);
                    if gate.spacing_us().is_some() && gate.next_slot_us >= now_us + WINDOW_US {
                        let at = (gate.next_slot_us - WINDOW_US + 999) / 1000 + 1;
                        allowance.next_slot_at =
                            Some(allowance.next_slot_at.map_or(at, |n| n.min(at)));
                    }
                }
                room => allowance.open.push((*template, room)),
            }
        }
        allowance
    }

    /// A start slot for one of `template`'s deliveries (`None` when it is not limited): the request
    /// counts in flight until the slot is dropped.
    pub fn take(&self, template: i64, now_ms: i64) -> Option<Slot> {
        let now_us = now_ms.saturating_mul(1000);
        let mut gates = self.gates();
        let gate = gates.get_mut(&template)?;
        if !gate.limits.is_limited() {
            return None;
        }
        gate.in_flight += 1;
        let start = gate.next_slot_us.max(now_us);
        if let Some(spacing) = gate.spacing_us() {
            gate.next_slot_us = start + spacing;
        }
        Some(Slot {
            throttle: self.clone(),
            template,
            wait: Duration::from_micros(u64::try_from(start - now_us).unwrap_or(0)),
        })
    }

    fn gates(&self) -> MutexGuard<'_, HashMap<i64, Gate>> {
        self.gates.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A limited template's request: when it may start, and its place in flight until dropped.
pub struct Slot {
    throttle: Throttle,
    template: i64,
    /// How long to wait before starting.
    pub wait: Duration,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut gates = self.throttle.gates();
        if let Some(gate) = gates.get_mut(&self.template) {
            gate.in_flight = gate.in_flight.saturating_sub(1);
            if gate.in_flight == 0 && !gate.limits.is_limited() {
                gates.remove(&self.template);
            }
        }
        drop(gates);
        self.throttle.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_per_second: Option<u32>, max_in_flight: Option<u32>) -> DeliveryLimits {
        DeliveryLimits {
            max_per_second,
            max_in_flight,
        }
    }

    #[test]
    fn slots_are_evenly_spaced_and_handed_out_a_second_ahead() {
        let throttle = Throttle::default();
        throttle.refresh((0, 0), [(1, limits(Some(5), None))]);
        let now = 1_000_000;
        assert_eq!(throttle.allowance(now).open, vec![(1, 5)]);
        let slots: Vec<Slot> = (0..5).map(|_| throttle.take(1, now).unwrap()).collect();
        let waits: Vec<u128> = slots.iter().map(|s| s.wait.as_millis()).collect();
        assert_eq!(waits, [0, 200, 400, 600, 800]);
        let full = throttle.allowance(now);
        assert_eq!((full.open, full.full), (vec![], vec![1]));
        assert_eq!(full.next_slot_at, Some(now + 1));
        // Finished requests do not make room for a rate: time does.
        drop(slots);
        assert_eq!(throttle.allowance(now + 1).open, vec![(1, 1)]);
        assert_eq!(throttle.allowance(now + 400).open, vec![(1, 2)]);
    }

    #[test]
    fn in_flight_room_frees_when_requests_end() {
        let throttle = Throttle::default();
        throttle.refresh((0, 0), [(2, limits(None, Some(2)))]);
        let a = throttle.take(2, 0).unwrap();
        let _b = throttle.take(2, 0).unwrap();
        assert_eq!(a.wait, Duration::ZERO);
        assert_eq!(throttle.allowance(0).full, vec![2]);
        assert_eq!(throttle.allowance(0).next_slot_at, None);
        drop(a);
        assert_eq!(throttle.allowance(0).open, vec![(2, 1)]);
    }

    #[test]
    fn unlimited_templates_take_no_slots_and_a_lifted_limit_forgets_the_template() {
        let throttle = Throttle::default();
        throttle.refresh((0, 0), [(3, limits(Some(1), Some(1)))]);
        assert!(throttle.take(4, 0).is_none());
        let slot = throttle.take(3, 0).unwrap();
        assert!(!throttle.limits_due(999, 0));
        assert!(throttle.limits_due(999, 1), "a template was saved");
        assert!(throttle.limits_due(1000, 0));
        throttle.refresh((1000, 1), []);
        assert!(throttle.limited().is_empty());
        assert!(throttle.take(3, 0).is_none());
        drop(slot);
        assert_eq!(throttle.allowance(0), Allowance::default());
    }
}
