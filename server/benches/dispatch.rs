//! Dispatch benchmark (not a test): a campaign to N users through the whole engine (segment → outbox →
//! a local receiver answering 200 at once, `support/raw_receiver.rs` → every attempt recorded), at
//! batch size 1 and 100, next to the raw ceiling of the same HTTP client sending the same requests
//! with no database. Each batch size runs twice: as the product does it (the dispatcher sends while
//! the outbox is written, timed from publishing), and with the whole outbox written before the
//! dispatcher starts (the dispatcher timed alone, from the last chunk's commit).
//!
//! A third case sends a custom Liquid body per user that uses each user's variables and a linked
//! content answer (fetched once from the same receiver, then cached).
//!
//! `cargo bench --locked -p server --bench dispatch` (sizes from `BENCH_USERS`, `BENCH_CONCURRENCY`)

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use app::model::campaign::{BodyFormat, CampaignOut, CampaignStatus, WizardStep};
use app::model::linked::LinkedContentIn;
use server::config::Config;
use server::outbound::ssrf::DestinationPolicy;
use server::outbound::{OutboundClient, OutboundRequest};
use server::workers::Workers;
use server::{Engine, campaigns};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

#[path = "support/raw_receiver.rs"]
mod raw_receiver;
mod support;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = env_or("BENCH_USERS", 100_000)?;
    let concurrency = env_or("BENCH_CONCURRENCY", 64)?;
    let (receiver_url, received) = raw_receiver::start().await?;
    println!("dispatch bench: {users} users, {concurrency} requests in flight at most");
    let cases = [
        ("batch   1", 1, false),
        ("batch 100", 100, false),
        ("custom, per user, linked content", 100, true),
    ];
    for (label, batch, custom) in cases {
        let case = Case {
            users,
            batch,
            concurrency,
            custom,
        };
        let overlapped = end_to_end(&case, &receiver_url, false).await?;
        let alone = end_to_end(&case, &receiver_url, true).await?;
        let before = received.load(Ordering::Relaxed);
        let raw = raw_ceiling(&alone.requests, concurrency).await?;
        assert_eq!(
            received.load(Ordering::Relaxed) - before,
            alone.requests.len() as u64
        );
        let n = alone.requests.len() as f64;
        let dispatched = alone.total - alone.outbox;
        println!(
            "{label}, {} requests: publish to all recorded {:.2} s = {:>7.0} requests/s ({:>8.0} users/s), outbox complete after {:.2} s | outbox first {:.2} s, then dispatched in {:.2} s = {:>7.0} requests/s using {:>5.1} µs CPU each | raw client {:.2} s = {:>7.0} requests/s",
            alone.requests.len(),
            overlapped.total.as_secs_f64(),
            n / overlapped.total.as_secs_f64(),
            users as f64 / overlapped.total.as_secs_f64(),
            overlapped.outbox.as_secs_f64(),
            alone.outbox.as_secs_f64(),
            dispatched.as_secs_f64(),
            n / dispatched.as_secs_f64(),
            alone.cpu_after_outbox.as_secs_f64() * 1e6 / n,
            raw.as_secs_f64(),
            n / raw.as_secs_f64(),
        );
    }
    Ok(())
}

fn env_or(name: &str, default: usize) -> anyhow::Result<usize> {
    std::env::var(name).map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| anyhow::anyhow!("{name} must be a number"))
    })
}

struct Run {
    /// From publishing until the last delivery is in the outbox (the first are sent meanwhile).
    outbox: Duration,
    /// The process's CPU time (all threads, user and system) from then until the end.
    cpu_after_outbox: Duration,
    /// From publishing until every request is sent and recorded.
    total: Duration,
    /// The requests the run made, for the raw client to repeat.
    requests: Vec<OutboundRequest>,
}

/// What a run sends.
struct Case {
    users: usize,
    batch: u32,
    concurrency: usize,
    /// A custom body per user with linked content, instead of Profile variables.
    custom: bool,
}

/// One campaign to `users` users; with `outbox_first`, the whole outbox is written before the
/// dispatcher starts.
async fn end_to_end(case: &Case, receiver_url: &str, outbox_first: bool) -> anyhow::Result<Run> {
    let &Case {
        users,
        batch,
        concurrency,
        custom,
    } = case;
    let dir = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(dir.path());
    config.allow_destinations = vec!["127.0.0.0/8".parse()?];
    config.batch_size = batch;
    config.dispatch_concurrency = u32::try_from(concurrency)?;
    let engine = Engine::start(config).await?;
    support::ingest_launches(&engine, users, true).await?;
    let mut campaign = support::campaign_to_launchers(&engine, receiver_url).await?;
    if custom {
        campaign = make_custom_with_linked(&engine, campaign, receiver_url).await?;
    }
    let started = Instant::now();
    if outbox_first {
        campaigns::publish(&engine, campaign.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        campaigns::run::prepare(&engine, campaign.id.0).await?;
    }
    let workers = Workers::start(engine.clone()).await?;
    if !outbox_first {
        campaigns::publish(&engine, campaign.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let mut outbox = None;
    let mut cpu_at_outbox = None;
    loop {
        let now = campaigns::get(&engine, campaign.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if now.status != CampaignStatus::Preparing {
            outbox.get_or_insert_with(|| started.elapsed());
            cpu_at_outbox.get_or_insert_with(process_cpu);
        }
        if now.status == CampaignStatus::Completed {
            anyhow::ensure!(now.stats.delivered == users as u64, "not all delivered");
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let total = started.elapsed();
    let cpu_after_outbox = process_cpu().saturating_sub(cpu_at_outbox.unwrap_or_default());
    workers.shutdown().await;

    let target = server::campaigns::target::load(&engine.db, &engine.secrets, campaign.id.0)
        .await
        .map_err(anyhow::Error::msg)?;
    let rows: Vec<(String, Option<String>, Vec<u8>)> =
        sqlx::query_as("SELECT webhook_id, query, body FROM deliveries WHERE campaign_id = ?1")
            .bind(campaign.id.0)
            .fetch_all(&engine.db)
            .await?;
    let requests = rows
        .iter()
        .map(|(id, query, body)| target.request(id, query.as_deref(), body))
        .collect();
    Ok(Run {
        outbox: outbox.unwrap_or(total),
        cpu_after_outbox,
        total,
        requests,
    })
}

/// CPU time this process has used, all threads, user and system (`/proc/self/stat`, in the kernel's
/// fixed 100 ticks a second); zero where that cannot be read.
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The fields after the command name (in parentheses, may hold spaces): utime is the 12th.
            let fields: Vec<u64> = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(2)
                .map(|f| f.parse().ok())
                .collect::<Option<_>>()?;
            Some(fields.iter().sum::<u64>())
        });
    Duration::from_millis(ticks.unwrap_or(0) * 10)
}

/// The same requests through the same client, `concurrency` at a time, nothing recorded.
async fn raw_ceiling(requests: &[OutboundRequest], concurrency: usize) -> anyhow::Result<Duration> {
    let policy = DestinationPolicy::new(vec!["127.0.0.0/8".parse()?]);
    let client = OutboundClient::new(policy, Duration::from_secs(5))?;
    let permits = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
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
    while let Some(done) = tasks.join_next().await {
        anyhow::ensure!(done? == Ok(200), "the receiver did not answer 200");
    }
    Ok(started.elapsed())
}

/// `campaign` turned into a custom JSON body per user, with linked content `source` fetched from
/// `url` (the same request for everyone: fetched once, then cached).
async fn make_custom_with_linked(
    engine: &Engine,
    campaign: CampaignOut,
    url: &str,
) -> anyhow::Result<CampaignOut> {
    server::linked::create(
        engine,
        LinkedContentIn {
            name: "source".into(),
            url: format!("{url}?linked=1"),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut draft = campaign.draft;
    draft.what.format = BodyFormat::Custom;
    draft.what.template = support::custom_body::CUSTOM_BODY.into();
    campaigns::save(engine, campaign.id, draft, Some(WizardStep::What))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}
