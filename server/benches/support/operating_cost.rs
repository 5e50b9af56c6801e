//! Issue 13's budget, before and after in one run: the same requests sent by the same client, 64 in
//! flight, alternately **plain** (as the dispatcher sent them before the issue) and **operated**: through
//! every piece of per-delivery work the issue added to the dispatcher, with the dispatcher's own types —
//! per claim, the delivery limits' planning (`Throttle::limits_due`, `allowance`, `limited`) and the
//! circuits' (`Breakers::held_templates`, `route`); per delivery, the held check and the start slot
//! (`holds`, `Throttle::take`), the breaker's admission, the Standard Webhooks signature (HMAC and the
//! two headers on the wire), the breaker's verdict and the Prometheus counter and histogram.
//!
//! No database and no receiver-side checks: the requests are what the raw client sends, so the
//! plain figure is the ceiling the operated one is compared with. At that ceiling a request costs less
//! than half of what it costs in the dispatcher, so the relative cost measured here is an upper bound
//! of the dispatcher's; the added time per request is also printed against the dispatcher's.

use std::sync::Arc;
use std::time::Instant;

use server::breaker::{Admission, Breakers, HostHealth};
use server::campaigns::target::Target;
use server::config::Config;
use server::dispatch::throttle::Throttle;
use server::metrics::{DeliveryOutcome, Metrics};
use server::outbound::{OutboundClient, OutboundRequest};
use server::outgoing::signing;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Deliveries per claim, as the dispatcher claims at 64 in flight (4 rounds of sends).
const CLAIM: usize = 256;

/// One round: its throughput and the process's CPU per request.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    pub requests_per_s: f64,
    pub cpu_us: f64,
}

/// The rounds of each way, alternated.
pub struct Rounds {
    pub plain: Vec<Round>,
    pub operated: Vec<Round>,
    /// CPU time of `signing::sign` alone per request, on one thread.
    pub signing_us: f64,
}

/// Sends `requests` `rounds` times each way, alternating, which goes first changing every round.
pub async fn measure(
    client: &OutboundClient,
    target: &Target,
    requests: &[OutboundRequest],
    concurrency: usize,
    rounds: usize,
) -> anyhow::Result<Rounds> {
    let mut measured = Rounds {
        plain: Vec::new(),
        operated: Vec::new(),
        signing_us: signing_alone(target, requests),
    };
    for round in 0..rounds {
        for operated in [round % 2 == 1, round % 2 == 0] {
            if operated {
                let operated = Operated::new(target)?;
                let send = operated.send(client, requests, concurrency);
                measured.operated.push(timed(requests.len(), send).await?);
            } else {
                let send = send_plain(client, requests, concurrency);
                measured.plain.push(timed(requests.len(), send).await?);
            }
        }
    }
    Ok(measured)
}

/// The time `signing::sign` takes per request (the requests' copies made beforehand).
fn signing_alone(target: &Target, requests: &[OutboundRequest]) -> f64 {
    let keys = target.destination().signing;
    let mut copies = requests.to_vec();
    let started = Instant::now();
    for request in &mut copies {
        signing::sign(request, keys, now_ms());
    }
    let took = started.elapsed();
    std::hint::black_box(copies);
    took.as_secs_f64() * 1e6 / requests.len() as f64
}

async fn timed(n: usize, run: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<Round> {
    let cpu = super::process_cpu();
    let started = Instant::now();
    run.await?;
    let took = started.elapsed();
    let cpu = super::process_cpu().saturating_sub(cpu);
    Ok(Round {
        requests_per_s: n as f64 / took.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / n as f64,
    })
}

/// The requests as they are, `concurrency` at a time.
pub async fn send_plain(
    client: &OutboundClient,
    requests: &[OutboundRequest],
    concurrency: usize,
) -> anyhow::Result<()> {
    let permits = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    for request in requests.iter().cloned() {
        let permit = permits.clone().acquire_owned().await?;
        let client = client.clone();
        tasks.spawn(async move {
            let answer = client.send(request).await;
            drop(permit);
            answer.map(|a| a.status)
        });
    }
    all_answered(tasks).await
}

async fn all_answered(
    mut tasks: JoinSet<Result<u16, server::outbound::SendError>>,
) -> anyhow::Result<()> {
    while let Some(done) = tasks.join_next().await {
        anyhow::ensure!(done? == Ok(200), "the receiver did not answer 200");
    }
    Ok(())
}

/// The dispatcher's operating state, new for each round (no circuit open, no template limited).
struct Operated {
    template: i64,
    throttle: Throttle,
    /// What each send uses, shared as the dispatcher shares a campaign's target and the engine.
    shared: Arc<Shared>,
}

struct Shared {
    host: String,
    keys: signing::SigningKeys,
    breakers: Breakers,
    metrics: Metrics,
}

impl Operated {
    fn new(target: &Target) -> anyhow::Result<Self> {
        let host = target
            .host
            .clone()
            .ok_or_else(|| anyhow::anyhow!("the target has no host"))?;
        Ok(Self {
            template: target.template.id.0,
            throttle: Throttle::default(),
            shared: Arc::new(Shared {
                host,
                keys: target.destination().signing.clone(),
                breakers: Breakers::new(Config::for_data_dir(".").breaker()),
                metrics: Metrics::new(),
            }),
        })
    }

    async fn send(
        &self,
        client: &OutboundClient,
        requests: &[OutboundRequest],
        concurrency: usize,
    ) -> anyhow::Result<()> {
        let Shared { host, breakers, .. } = &*self.shared;
        let permits = Arc::new(Semaphore::new(concurrency));
        let mut tasks = JoinSet::new();
        for claim in requests.chunks(CLAIM) {
            let now = now_ms();
            // What `dispatch::plan::round` and `load_targets` do per claim.
            if self.throttle.limits_due(now, 0) {
                self.throttle.refresh((now, 0), std::iter::empty());
            }
            let (held, _) = breakers.held_templates(now);
            let allowance = self.throttle.allowance(now);
            let mut except = self.throttle.limited();
            except.extend(&held);
            std::hint::black_box((allowance, except));
            breakers.route(self.template, host);
            for request in claim.iter().cloned() {
                anyhow::ensure!(!breakers.holds(host, now));
                anyhow::ensure!(self.throttle.take(self.template, now).is_none());
                let permit = permits.clone().acquire_owned().await?;
                let (client, shared) = (client.clone(), self.shared.clone());
                tasks.spawn(async move {
                    let mut request = request;
                    let Shared {
                        host,
                        keys,
                        breakers,
                        metrics,
                    } = &*shared;
                    let probe = breakers.admit(host, now_ms()) == Admission::Probe;
                    signing::sign(&mut request, keys, now_ms());
                    let answer = client.send(request).await;
                    drop(permit);
                    let health = match &answer {
                        Ok(a) if a.status < 500 => HostHealth::Up,
                        _ => HostHealth::Down,
                    };
                    breakers.record(host, health, probe, now_ms());
                    let took = answer.as_ref().ok().map(|a| a.latency);
                    metrics.delivery(DeliveryOutcome::Delivered, took);
                    answer.map(|a| a.status)
                });
            }
        }
        all_answered(tasks).await
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The median of `values`.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}
