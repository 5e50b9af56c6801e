//! Live trigger latency benchmark (not a test): a live campaign triggered by `BENCH_RATE` events a second
//! (default 1,000) for `BENCH_SECONDS` (default 60), each event in a small upload through `POST
//! /1/upload` (`BENCH_BATCH` events, default 10, every `BENCH_BATCH`/`BENCH_RATE` s, sent open-loop: a
//! slow answer does not slow the schedule). For each event it measures the time from the moment its
//! upload's answer arrived to the moment a local receiver has the webhook carrying it (`seq` in
//! `Event_properties`), and prints p50, p90, p99 and the maximum; every event must arrive.
//!
//! Then, in the same run, the ingestion throughput of uploads that trigger nothing (1,000 events a
//! request, 4 clients) on a server without live campaigns and on one with a live campaign listening
//! for another event: the matcher's cost at ingestion.
//!
//! `cargo bench --locked -p server --bench live`

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::model::campaign::CampaignDraft;
use app::model::webhook::WebhookTemplateIn;
use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use server::config::Config;
use server::workers::Workers;
use server::{Engine, campaigns, templates, web};

const TRIGGER: &str = "Bench Trigger";
const USERS: usize = 10_000;
const BULK_RECORDS: usize = 1000;
const BULK_REQUESTS: usize = 100;
const BULK_CLIENTS: usize = 4;
/// Events that trigger nothing.
const OTHER_EVENTS: [&str; 3] = ["App Launched", "Charged", "Searched"];

/// When each webhook arrived, by the `seq` of the event it carries.
type Arrivals = Arc<Mutex<HashMap<u64, Instant>>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rate = env_or("BENCH_RATE", 1000)?;
    let seconds = env_or("BENCH_SECONDS", 60)?;
    let batch = env_or("BENCH_BATCH", 10)?.max(1);
    let arrivals: Arrivals = Arc::default();
    let receiver = start_receiver(arrivals.clone()).await?;

    let dir = tempfile::tempdir()?;
    let (engine, upload_url) = serve(&dir).await?;
    let workers = Workers::start(engine.clone()).await?;
    live_campaign(&engine, &receiver, TRIGGER).await?;
    let events = rate * seconds;
    println!(
        "live bench: {events} triggering events at {rate}/s for {seconds} s, {batch} per upload"
    );
    let answered = send_paced(&upload_url, rate, seconds, batch).await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while arrivals.lock().expect("arrivals").len() < events && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let arrived = arrivals.lock().expect("arrivals").clone();
    workers.shutdown().await;
    anyhow::ensure!(
        arrived.len() == events,
        "{} of {events} webhooks arrived",
        arrived.len()
    );
    // An answer can reach the client after the webhook reached the receiver (the live worker is woken
    // inside the upload): that latency counts as zero.
    let mut latencies: Vec<Duration> = answered
        .iter()
        .map(|(seq, at)| arrived[seq].saturating_duration_since(*at))
        .collect();
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    println!(
        "upload answered -> webhook received: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} events)",
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(pct(1.0)),
        latencies.len()
    );

    let without = bulk_ingest(None).await?;
    let with = bulk_ingest(Some(&receiver)).await?;
    let total = (BULK_REQUESTS * BULK_RECORDS) as f64;
    println!(
        "non-triggering uploads: {:.0} events/s without live campaigns, {:.0} events/s with one listening ({:.0} %)",
        total / without.as_secs_f64(),
        total / with.as_secs_f64(),
        without.as_secs_f64() / with.as_secs_f64() * 100.0
    );
    Ok(())
}

fn env_or(name: &str, default: usize) -> anyhow::Result<usize> {
    std::env::var(name).map_or(Ok(default), |v| {
        v.parse().map_err(|e| anyhow::anyhow!("{name}: {e}"))
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A receiver answering 200 at once, noting when each live webhook arrived.
async fn start_receiver(arrivals: Arrivals) -> anyhow::Result<String> {
    let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let arrivals = arrivals.clone();
        async move {
            let at = Instant::now();
            let payload: Value = serde_json::from_slice(&body).unwrap_or_default();
            let profiles = &payload["profiles"];
            let profile = if profiles.is_array() {
                &profiles[0]
            } else {
                profiles
            };
            if let Some(seq) = profile["Event_properties"]["seq"].as_u64() {
                arrivals.lock().expect("arrivals").insert(seq, at);
            }
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// An engine serving HTTP on a free port; returns it and its upload URL.
async fn serve(dir: &tempfile::TempDir) -> anyhow::Result<(Arc<Engine>, String)> {
    let mut config = Config::for_data_dir(dir.path());
    config.account_id = Some("bench".into());
    config.account_passcode = Some("bench-passcode".into());
    config.allow_destinations = vec!["127.0.0.0/8".parse()?];
    let engine = Engine::start(config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/1/upload", listener.local_addr()?);
    let options = LeptosOptions::builder().output_name("hookline").build();
    tokio::spawn(web::serve(
        engine.clone(),
        options,
        listener,
        std::future::pending(),
    ));
    Ok((engine, url))
}

/// Publishes a live campaign to everyone who does `trigger`, posting to `url`.
async fn live_campaign(engine: &Engine, url: &str, trigger: &str) -> anyhow::Result<()> {
    let template = templates::create(
        engine,
        WebhookTemplateIn {
            name: "Live bench".into(),
            url: url.into(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let draft: CampaignDraft = serde_json::from_value(json!({
        "name": "Live bench",
        "template_id": template.template.id,
        "delivery": "specific_event",
        "trigger": {"event": trigger, "filters": []},
        "who": {"segment": {"match": "all", "rules": []}}
    }))?;
    let campaign = campaigns::create(engine, draft)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    campaigns::publish(engine, campaign.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Sends `rate` triggering events a second for `seconds`, `batch` per upload, each upload on its own
/// task at its scheduled time; returns when each event's upload was answered, by `seq`.
async fn send_paced(
    url: &str,
    rate: usize,
    seconds: usize,
    batch: usize,
) -> anyhow::Result<Vec<(u64, Instant)>> {
    let client = reqwest::Client::new();
    let uploads = rate * seconds / batch;
    let every = Duration::from_secs_f64(batch as f64 / rate as f64);
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let started = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for upload in 0..uploads {
        tokio::time::sleep_until(started + every * u32::try_from(upload)?).await;
        let seqs: Vec<u64> = (0..batch).map(|i| (upload * batch + i) as u64).collect();
        let records: Vec<Value> = seqs
            .iter()
            .map(|seq| {
                json!({"identity": format!("user-{}", *seq as usize % USERS), "ts": ts,
                       "type": "event", "evtName": TRIGGER, "evtData": {"seq": seq}})
            })
            .collect();
        let body = serde_json::to_vec(&json!({ "d": records }))?;
        let (client, url) = (client.clone(), url.to_owned());
        tasks.spawn(async move {
            let answer: Value = post(&client, &url, body).await?;
            let at = Instant::now();
            anyhow::ensure!(answer["processed"] == seqs.len(), "{answer}");
            Ok(seqs.into_iter().map(|s| (s, at)).collect::<Vec<_>>())
        });
    }
    let mut answered = Vec::with_capacity(rate * seconds);
    while let Some(done) = tasks.join_next().await {
        answered.extend(done??);
    }
    Ok(answered)
}

async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> anyhow::Result<Value> {
    Ok(client
        .post(url)
        .header("X-CleverTap-Account-Id", "bench")
        .header("X-CleverTap-Passcode", "bench-passcode")
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await?
        .json()
        .await?)
}

/// Uploads of events that trigger nothing, as fast as `BULK_CLIENTS` clients go, on a fresh server
/// (with a live campaign listening for another event when `receiver` is given).
async fn bulk_ingest(receiver: Option<&str>) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let (engine, url) = serve(&dir).await?;
    let workers = Workers::start(engine.clone()).await?;
    if let Some(receiver) = receiver {
        live_campaign(&engine, receiver, TRIGGER).await?;
    }
    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        (0..BULK_REQUESTS)
            .map(|r| {
                let records: Vec<Value> = (0..BULK_RECORDS)
                    .map(|i| {
                        let n = r * BULK_RECORDS + i;
                        let name = OTHER_EVENTS[n % OTHER_EVENTS.len()];
                        json!({"identity": format!("user-{}", n * 7919 % 20_000),
                               "ts": 1_790_000_000 + n as i64, "type": "event", "evtName": name,
                               "evtData": {"Amount": n % 500, "Currency": "EUR"}})
                    })
                    .collect();
                serde_json::to_vec(&json!({ "d": records })).expect("JSON literal")
            })
            .collect(),
    );
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..BULK_CLIENTS {
        let (client, url, bodies, next) =
            (client.clone(), url.clone(), bodies.clone(), next.clone());
        tasks.spawn(async move {
            while let Some(body) = bodies.get(next.fetch_add(1, Ordering::Relaxed)) {
                let answer = post(&client, &url, body.clone()).await?;
                anyhow::ensure!(answer["processed"] == BULK_RECORDS, "{answer}");
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    let took = started.elapsed();
    workers.shutdown().await;
    Ok(took)
}
