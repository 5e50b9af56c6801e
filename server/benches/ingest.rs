//! Ingestion benchmark (not a test): for two upload sets (`ingest_support/datasets.rs`: the original
//! events-only one and a realistic mix), records per second through `POST /1/upload` with 1,000 records
//! a request and several concurrent clients, each stage of the same work measured alone (JSON parse,
//! validation, the ingest writer, the segment index, the whole upload without HTTP), and SQLite's own
//! bulk-insert ceiling for the same rows (`ingest_support/ceiling.rs`) — every figure a ratio of that
//! ceiling, all in one run. After the HTTP run, every record must be in the database.
//!
//! `cargo bench --locked -p server --bench ingest` (sizes from `BENCH_REQUESTS`, `BENCH_USERS` for the
//! original set, `BENCH_MIX_REQUESTS`, `BENCH_MIX_USERS` for the mix, `BENCH_CLIENTS`)

use std::sync::Arc;
use std::time::{Duration, Instant};

use leptos::config::LeptosOptions;
use serde_json::Value;
use server::config::Config;
use server::ingest::json::Json;
use server::ingest::{self, record};
use server::segments::SegmentIndex;
use server::store::ingest::{IngestWriter, Stored};
use server::store::write_gate::WriteGate;
use server::{Engine, store, web};

/// The server binary's allocator (`src/main.rs`), so the in-process server runs as it does there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[path = "ingest_support/ceiling.rs"]
mod ceiling;
#[path = "ingest_support/datasets.rs"]
mod datasets;

use datasets::{Dataset, RECORDS_PER_REQUEST};

/// Runs of the SQLite ceiling and of `POST /1/upload` for each upload set, each into a fresh
/// database; the fastest of each counts.
const RUNS: usize = 3;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_or("BENCH_CLIENTS", 4)?;
    let sets = [
        datasets::flat_events(
            env_or("BENCH_REQUESTS", 200)?,
            env_or("BENCH_USERS", 20_000)?,
        ),
        datasets::realistic_mix(
            env_or("BENCH_MIX_REQUESTS", 200)?,
            env_or("BENCH_MIX_USERS", 100_000)?,
        ),
    ];
    for set in &sets {
        measure(set, clients).await?;
    }
    Ok(())
}

/// Every figure for one upload set.
async fn measure(set: &Dataset, clients: usize) -> anyhow::Result<()> {
    let rows = ceiling::Rows::of(&set.bodies)?;
    println!(
        "\n{}: {} uploads x {RECORDS_PER_REQUEST} records = {} events and {} profile updates, {} users, {clients} clients",
        set.label,
        set.bodies.len(),
        set.events,
        set.profile_records,
        rows.profiles(),
    );
    // The fastest of a few runs, each into a fresh database: this machine's speed varies from run
    // to run, and a ceiling measured slow would flatter every ratio (as a `POST` measured fast
    // would: it is measured the same way).
    let mut ceiling = Duration::MAX;
    for _ in 0..RUNS {
        let dir = tempfile::tempdir()?;
        fresh_engine(&dir).await?;
        let took = ceiling::write(&dir.path().join("hookline.db"), &rows)?;
        ceiling = ceiling.min(took);
    }
    let report = |stage: &str, took: Duration| {
        println!(
            "  {stage:<34} {:>9.0} records/s  {:>7.2} s  {:>5.2} of the ceiling",
            set.records() as f64 / took.as_secs_f64(),
            took.as_secs_f64(),
            ceiling.as_secs_f64() / took.as_secs_f64(),
        );
    };
    report("SQLite ceiling (same rows)", ceiling);

    let mut http = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        http.push(through_http(set, &rows, clients).await?);
    }
    report(
        "POST /1/upload",
        http.iter().copied().min().unwrap_or_default(),
    );
    let runs: Vec<String> = http
        .iter()
        .map(|took| format!("{:.2} s", took.as_secs_f64()))
        .collect();
    println!("    its {RUNS} runs: {}", runs.join(", "));
    report(
        "upload without HTTP, one at a time",
        without_http(set).await?,
    );

    let started = Instant::now();
    let payloads: Vec<Json> = set
        .bodies
        .iter()
        .map(|b| Json::parse(b))
        .collect::<Result<_, _>>()?;
    report("  JSON parse", started.elapsed());
    let started = Instant::now();
    let batches: Vec<Arc<[record::Record]>> = payloads
        .iter()
        .map(|p| ceiling::validate(p).map(Arc::from))
        .collect::<anyhow::Result<_>>()?;
    report("  validation", started.elapsed());
    let (took, stored) = storage(&batches, clients).await?;
    report(&format!("  storage ({clients} at once)"), took);
    let started = Instant::now();
    let mut index = SegmentIndex::default();
    for (batch, stored) in &stored {
        ingest::index_batch(&mut index, batch, stored);
    }
    report("  segment index", started.elapsed());
    Ok(())
}

fn env_or(name: &str, default: usize) -> anyhow::Result<usize> {
    std::env::var(name).map_or(Ok(default), |v| {
        v.parse().map_err(|e| anyhow::anyhow!("{name}: {e}"))
    })
}

async fn fresh_engine(dir: &tempfile::TempDir) -> anyhow::Result<Arc<Engine>> {
    let mut config = Config::for_data_dir(dir.path());
    config.account_id = Some("bench".into());
    config.account_passcode = Some("bench-passcode".into());
    Engine::start(config).await
}

/// `clients` clients sending the uploads over HTTP; then checks every record was stored.
async fn through_http(
    set: &Dataset,
    rows: &ceiling::Rows,
    clients: usize,
) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/1/upload", listener.local_addr()?);
    let options = LeptosOptions::builder().output_name("hookline").build();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(web::serve(engine.clone(), options, listener, async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let bodies = Arc::new(set.bodies.clone());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, bodies, next, url) =
            (client.clone(), bodies.clone(), next.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(i) else {
                    return anyhow::Ok(());
                };
                let response = client
                    .post(&url)
                    .header("X-CleverTap-Account-Id", "bench")
                    .header("X-CleverTap-Passcode", "bench-passcode")
                    .header("Content-Type", "application/json")
                    .body(body.clone())
                    .send()
                    .await?;
                let answer: Value = response.json().await?;
                anyhow::ensure!(
                    answer["processed"] == RECORDS_PER_REQUEST,
                    "unexpected answer: {answer}"
                );
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    let took = started.elapsed();
    let _ = stop.send(());
    let (events, profiles): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM profiles)")
            .fetch_one(&engine.db)
            .await?;
    anyhow::ensure!(
        usize::try_from(events)? == set.events && usize::try_from(profiles)? == rows.profiles(),
        "stored {events} events and {profiles} profiles; sent {} events of {} users",
        set.events,
        rows.profiles()
    );
    Ok(took)
}

/// The whole upload (parse, validate, store, index) without HTTP, one upload after the other.
async fn without_http(set: &Dataset) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let started = Instant::now();
    for body in &set.bodies {
        engine
            .ingestor
            .upload(body)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(started.elapsed())
}

/// The engine's ingest writer alone, given validated uploads, from `clients` callers at once as the
/// HTTP handlers call it; each upload with what it changed, in commit order.
async fn storage(
    batches: &[Arc<[record::Record]>],
    clients: usize,
) -> anyhow::Result<(Duration, Vec<(Arc<[record::Record]>, Stored)>)> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let path = store::file_of(&engine.config.database_url)?;
    let writer = IngestWriter::start(&path, WriteGate::default())?;
    let now = engine.clock.now_ms();
    let batches: Arc<[Arc<[record::Record]>]> = batches.into();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let callers: Vec<_> = (0..clients)
        .map(|_| {
            let (writer, batches, next) = (writer.clone(), batches.clone(), next.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(batch) = batches.get(n).cloned() else {
                        return anyhow::Ok(done);
                    };
                    let stored = writer.store(batch.clone(), Vec::new(), now).await?;
                    done.push((batch, stored));
                }
            })
        })
        .collect();
    let mut stored = Vec::with_capacity(batches.len());
    for caller in callers {
        stored.extend(caller.await??);
    }
    let took = started.elapsed();
    stored.sort_by_key(|(_, s)| s.commit);
    Ok((took, stored))
}
