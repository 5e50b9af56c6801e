//! Prometheus metrics, served at `GET /metrics` (`http/metrics.rs`) in the text format. Counters and the
//! latency histogram are atomics bumped where things happen (ingestion, each delivery attempt); the
//! gauges (pending deliveries, open circuits) are read when scraped.

use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// What became of a claimed delivery, as `hookline_deliveries_total{outcome}` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Failed, to be retried.
    Retried,
    /// Failed for good.
    Failed,
    /// A probe of an open circuit that failed.
    ProbeFailed,
    /// Not sent: its destination's circuit was open.
    Held,
    /// Not sent: its campaign was being stopped.
    Halted,
}

impl DeliveryOutcome {
    const ALL: [Self; 6] = [
        Self::Delivered,
        Self::Retried,
        Self::Failed,
        Self::ProbeFailed,
        Self::Held,
        Self::Halted,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::Retried => "retried",
            Self::Failed => "failed",
            Self::ProbeFailed => "probe_failed",
            Self::Held => "held",
            Self::Halted => "halted",
        }
    }
}

pub struct Metrics {
    registry: Registry,
    /// Events stored by `/1/upload` (bumped by ingestion).
    pub ingested_events: IntCounter,
    /// One counter per outcome, resolved once: bumping one is an atomic add.
    deliveries: [IntCounter; DeliveryOutcome::ALL.len()],
    delivery_duration: Histogram,
    outbox_pending: IntGauge,
    circuit_open: IntGauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let ingested_events = IntCounter::new(
            "hookline_ingested_events_total",
            "Events stored by POST /1/upload.",
        )
        .expect("a valid metric");
        let by_outcome = IntCounterVec::new(
            Opts::new(
                "hookline_deliveries_total",
                "Delivery attempts, and deliveries held back, by outcome.",
            ),
            &["outcome"],
        )
        .expect("a valid metric");
        let deliveries = DeliveryOutcome::ALL.map(|o| by_outcome.with_label_values(&[o.label()]));
        let delivery_duration = Histogram::with_opts(
            HistogramOpts::new(
                "hookline_delivery_duration_seconds",
                "How long delivery attempts took, from the request leaving to the answer or failure.",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
        )
        .expect("a valid metric");
        let outbox_pending = IntGauge::new(
            "hookline_outbox_pending",
            "Deliveries waiting in the outbox (pending, including those in flight).",
        )
        .expect("a valid metric");
        let circuit_open = IntGauge::new(
            "hookline_circuit_open",
            "Destination hosts whose circuit is open (their deliveries wait).",
        )
        .expect("a valid metric");
        for metric in [
            Box::new(ingested_events.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(by_outcome),
            Box::new(delivery_duration.clone()),
            Box::new(outbox_pending.clone()),
            Box::new(circuit_open.clone()),
        ] {
            registry.register(metric).expect("names are unique");
        }
        Self {
            registry,
            ingested_events,
            deliveries,
            delivery_duration,
            outbox_pending,
            circuit_open,
        }
    }

    /// Counts a delivery's outcome, with the attempt's duration when a request was made.
    pub fn delivery(&self, outcome: DeliveryOutcome, took: Option<Duration>) {
        let index = DeliveryOutcome::ALL
            .iter()
            .position(|o| *o == outcome)
            .unwrap_or(0);
        self.deliveries[index].inc();
        if let Some(took) = took {
            self.delivery_duration.observe(took.as_secs_f64());
        }
    }

    /// The text format, with the gauges read at scrape time.
    pub fn render(&self, outbox_pending: i64, circuits_open: usize) -> String {
        self.outbox_pending.set(outbox_pending);
        self.circuit_open
            .set(i64::try_from(circuits_open).unwrap_or(i64::MAX));
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("encoding into memory cannot fail");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_metric_in_the_text_format() {
        let m = Metrics::new();
        m.ingested_events.inc_by(3);
        m.delivery(DeliveryOutcome::Delivered, Some(Duration::from_millis(20)));
        m.delivery(DeliveryOutcome::Held, None);
        let text = m.render(7, 1);
        for line in [
            "hookline_ingested_events_total 3",
            "hookline_deliveries_total{outcome=\"delivered\"} 1",
            "hookline_deliveries_total{outcome=\"held\"} 1",
            "hookline_deliveries_total{outcome=\"failed\"} 0",
            "hookline_delivery_duration_seconds_bucket{le=\"0.025\"} 1",
            "hookline_delivery_duration_seconds_count 1",
            "hookline_outbox_pending 7",
            "hookline_circuit_open 1",
            "# TYPE hookline_delivery_duration_seconds histogram",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }
}
