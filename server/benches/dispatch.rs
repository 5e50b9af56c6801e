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
//! Last, the cost of issue 13's operating features on the sending path, before and after in one run
//! (`support/operating_cost.rs`).
//!
//! `cargo bench --locked -p server --bench dispatch` (sizes from `BENCH_USERS`, `BENCH_CONCURRENCY`,
//! `BENCH_ROUNDS` for the operating cost)

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use app::model::campaign::{BodyFormat, CampaignOut, CampaignStatus, WizardStep};
use app::model::linked::LinkedContentIn;
use server::config::Config;
use server::outbound::ssrf::DestinationPolicy;
use server::outbound::{OutboundClient, OutboundRequest};
use server::workers::Workers;
use server::{Engine, campaigns};

/// The server binary's allocator (`src/main.rs`), so the engine runs here as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[path = "support/operating_cost.rs"]
mod operating_cost;
#[path = "support/raw_receiver.rs"]
mod raw_receiver;
mod support;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = env_or("BENCH_USERS", 100_000)?;
    let concurrency = env_or("BENCH_CONCURRENCY", 64)?;
    let rounds = env_or("BENCH_ROUNDS", 10)?;
    let (receiver_url, received) = raw_receiver::start().await?;
    println!("dispatch bench: {users} users, {concurrency} requests in flight at most");
    let cases = [
        ("batch   1", 1, false),
        ("batch 100", 100, false),
        ("custom, per user, linked content", 100, true),
    ];
    let mut first_case = None;
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
        first_case.get_or_insert((alone, n / dispatched.as_secs_f64()));
    }
    if let Some((run, dispatched_per_s)) = first_case {
        operating_costs(&run, concurrency, rounds, dispatched_per_s).await?;
    }
    Ok(())
}

/// Prints issue 13's budget: the batch-1 requests sent plain and operated, `rounds` times each.
async fn operating_costs(
    run: &Run,
    concurrency: usize,
    rounds: usize,
    dispatched_per_s: f64,
) -> anyhow::Result<()> {
    let client = local_client()?;
    // Rounds of at least 100,000 requests (a few seconds each): shorter ones vary too much here.
    let requests: Vec<OutboundRequest> = run
        .requests
        .iter()
        .cycle()
        .take(run.requests.len().max(100_000))
        .cloned()
        .collect();
    let measured =
        operating_cost::measure(&client, &run.target, &requests, concurrency, rounds).await?;
    let median = |rounds: &[operating_cost::Round], f: fn(&operating_cost::Round) -> f64| {
        operating_cost::median(rounds.iter().map(f).collect())
    };
    let show = |rounds: &[operating_cost::Round]| {
        rounds
            .iter()
            .map(|r| format!("{:.0}", r.requests_per_s))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let plain = median(&measured.plain, |r| r.requests_per_s);
    let operated = median(&measured.operated, |r| r.requests_per_s);
    let (plain_cpu, operated_cpu) = (
        median(&measured.plain, |r| r.cpu_us),
        median(&measured.operated, |r| r.cpu_us),
    );
    // Each round's two runs are back to back: their ratio is less affected by the machine's drift
    // than the ratio of the medians.
    let paired = operating_cost::median(
        measured
            .plain
            .iter()
            .zip(&measured.operated)
            .map(|(p, o)| o.requests_per_s / p.requests_per_s)
            .collect(),
    );
    // The time a request gains at the ceiling, against the dispatcher's time per request in this run.
    let added_us = 1e6 / (plain * paired) - 1e6 / plain;
    println!(
        "operating features (signing, limits, circuits, metrics), {} requests, {rounds} rounds each, alternated: plain {plain:.0} requests/s ({}) using {plain_cpu:.1} µs CPU each | operated {operated:.0} requests/s ({}) using {operated_cpu:.1} µs CPU each (signing alone {:.2} µs) | paired median {:+.1} % at the raw ceiling; {added_us:+.2} µs a request = {:+.1} % of the dispatcher's {dispatched_per_s:.0} requests/s",
        requests.len(),
        show(&measured.plain),
        show(&measured.operated),
        measured.signing_us,
        (paired - 1.0) * 100.0,
        (1.0 / (1.0 + added_us * dispatched_per_s / 1e6) - 1.0) * 100.0,
    );
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
    /// Where they went.
    target: server::campaigns::target::Target,
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
        target,
    })
}

/// CPU time this process has used, all threads, user and system (`/proc/self/stat`, in the kernel's
/// fixed 100 ticks a second); zero where that cannot be read.
pub fn process_cpu() -> Duration {
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

/// The product's HTTP client, allowed to reach the local receiver.
fn local_client() -> anyhow::Result<OutboundClient> {
    let policy = DestinationPolicy::new(vec!["127.0.0.0/8".parse()?]);
    Ok(OutboundClient::new(policy, Duration::from_secs(5))?)
}

/// The same requests through the same client, `concurrency` at a time, nothing recorded.
async fn raw_ceiling(requests: &[OutboundRequest], concurrency: usize) -> anyhow::Result<Duration> {
    let client = local_client()?;
    let started = Instant::now();
    operating_cost::send_plain(&client, requests, concurrency).await?;
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
