//! Ingestion benchmark (not a test): events per second through `POST /1/upload` with 1,000 records a
//! request and several concurrent clients, next to the same rows written without HTTP (the engine's
//! batch writer) and by a raw sqlx insert into the same schema, all in one run.
//!
//! `cargo bench --locked -p server --bench ingest` (sizes from `BENCH_REQUESTS`, `BENCH_CLIENTS`, `BENCH_USERS`)

use std::sync::Arc;
use std::time::{Duration, Instant};

use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use server::config::Config;
use server::ingest::record;
use server::{Engine, store, web};

const RECORDS_PER_REQUEST: usize = 1000;
const EVENT_NAMES: [&str; 5] = [
    "App Launched",
    "Charged",
    "Product Viewed",
    "Added To Cart",
    "Searched",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests = env_or("BENCH_REQUESTS", 200)?;
    let clients = env_or("BENCH_CLIENTS", 4)?;
    let users = env_or("BENCH_USERS", 20_000)?;
    let bodies: Vec<Vec<u8>> = (0..requests).map(|r| upload_body(r, users)).collect();
    let events = requests * RECORDS_PER_REQUEST;
    println!(
        "ingest bench: {requests} uploads x {RECORDS_PER_REQUEST} events = {events} events, {users} users, {clients} clients"
    );

    let http = through_http(&bodies, clients).await?;
    println!(
        "POST /1/upload     {:>9.0} events/s  ({:.2} s)",
        events as f64 / http.as_secs_f64(),
        http.as_secs_f64()
    );

    let engine = through_engine(&bodies).await?;
    println!(
        "engine, no HTTP    {:>9.0} events/s  ({:.2} s)",
        events as f64 / engine.as_secs_f64(),
        engine.as_secs_f64()
    );

    let raw = raw_sqlx(&bodies).await?;
    println!(
        "raw sqlx insert    {:>9.0} events/s  ({:.2} s)",
        events as f64 / raw.as_secs_f64(),
        raw.as_secs_f64()
    );
    Ok(())
}

fn env_or(name: &str, default: usize) -> anyhow::Result<usize> {
    std::env::var(name).map_or(Ok(default), |v| {
        v.parse().map_err(|e| anyhow::anyhow!("{name}: {e}"))
    })
}

/// A deterministic upload: events of `users` users spread over the last 30 days.
fn upload_body(request: usize, users: usize) -> Vec<u8> {
    let records: Vec<Value> = (0..RECORDS_PER_REQUEST)
        .map(|i| {
            let n = request * RECORDS_PER_REQUEST + i;
            json!({
                "identity": format!("user-{}", (n * 7919) % users),
                "ts": 1_790_000_000 + (n % 2_592_000) as i64,
                "type": "event",
                "evtName": EVENT_NAMES[n % EVENT_NAMES.len()],
                "evtData": {"Amount": n % 500, "Currency": "EUR", "Category": format!("c{}", n % 17)},
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "d": records })).expect("JSON literal")
}

async fn fresh_engine(dir: &tempfile::TempDir) -> anyhow::Result<Arc<Engine>> {
    let mut config = Config::for_data_dir(dir.path());
    config.account_id = Some("bench".into());
    config.account_passcode = Some("bench-passcode".into());
    Engine::start(config).await
}

async fn through_http(bodies: &[Vec<u8>], clients: usize) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/1/upload", listener.local_addr()?);
    let options = LeptosOptions::builder().output_name("hookline").build();
    tokio::spawn(web::serve(
        engine,
        options,
        listener,
        std::future::pending(),
    ));

    let client = reqwest::Client::new();
    let bodies = Arc::new(bodies.to_vec());
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
    Ok(started.elapsed())
}

/// The engine's batch writer, given already-parsed records: the cost of storage alone.
async fn through_engine(bodies: &[Vec<u8>]) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let batches: Vec<Vec<record::Record>> = bodies
        .iter()
        .map(|b| parse_all(b))
        .collect::<anyhow::Result<_>>()?;
    let started = Instant::now();
    for batch in &batches {
        store::ingest::store_batch(&engine.db, batch, &[], engine.clock.now_ms()).await?;
    }
    Ok(started.elapsed())
}

fn parse_all(body: &[u8]) -> anyhow::Result<Vec<record::Record>> {
    let payload: Value = serde_json::from_slice(body)?;
    payload["d"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| record::parse(v).map_err(|e| anyhow::anyhow!(e.error)))
        .collect()
}

/// The floor: plain prepared statements writing the same rows into the same schema, one transaction per
/// upload, each user resolved once per upload (a read, and an insert when new), one INSERT per event.
async fn raw_sqlx(bodies: &[Vec<u8>]) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let engine = fresh_engine(&dir).await?;
    let db = &engine.db;
    let batches: Vec<Vec<(String, String, i64, String)>> = bodies
        .iter()
        .map(|b| {
            let payload: Value = serde_json::from_slice(b).expect("bench JSON");
            payload["d"]
                .as_array()
                .expect("records")
                .iter()
                .map(|r| {
                    let identity = r["identity"].as_str().unwrap_or_default().to_owned();
                    let name = r["evtName"].as_str().unwrap_or_default().to_owned();
                    (
                        identity,
                        name,
                        r["ts"].as_i64().unwrap_or_default() * 1000,
                        r["evtData"].to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let started = Instant::now();
    for batch in &batches {
        let mut known = std::collections::HashMap::new();
        let mut tx = db.begin().await?;
        for (identity, name, ts, data) in batch {
            let profile_id: i64 = match known.get(identity) {
                Some(id) => *id,
                None => {
                    let found: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM profiles WHERE identity = ?1")
                            .bind(identity)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let id =
                        match found {
                            Some(id) => id,
                            None => sqlx::query_scalar(
                                "INSERT INTO profiles (identity, object_id, created_at, updated_at)
                                 VALUES (?1, ?1, 0, 0) RETURNING id",
                            )
                            .bind(identity)
                            .fetch_one(&mut *tx)
                            .await?,
                        };
                    known.insert(identity.clone(), id);
                    id
                }
            };
            sqlx::query("INSERT INTO events (profile_id, name, ts, data, received_at) VALUES (?1, ?2, ?3, ?4, 0)")
                .bind(profile_id)
                .bind(name)
                .bind(ts)
                .bind(data)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(started.elapsed())
}
