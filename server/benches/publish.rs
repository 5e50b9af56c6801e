//! Publish benchmark (not a test): how long writing a campaign's outbox takes and how much memory it
//! needs, for segments of growing size. N users who did an event are ingested; a campaign to all of
//! them is published and its preparation run to the end (the segment streamed, every request rendered
//! and written in chunks), without the dispatcher, so the figures are the preparation's alone. Peak
//! RSS is the process's high-water mark (`VmHWM`), reset just before publishing.
//!
//! `cargo bench --locked -p server --bench publish` (sizes from `BENCH_SIZES`, default
//! `100000,1000000`; batch size from `BENCH_BATCH`, default 1: one request per user, the most rows)

use std::time::Instant;

use server::config::Config;
use server::{Engine, campaigns};

#[path = "support/memory.rs"]
mod memory;
mod support;

use memory::memory;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let batch: u32 = std::env::var("BENCH_BATCH").map_or(Ok(1), |b| b.parse())?;
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", receiver.local_addr()?);
    tokio::spawn(async move {
        let app = axum::Router::new().fallback(|| async { "ok" });
        axum::serve(receiver, app).await
    });
    println!("publish bench: batch size {batch}");
    for users in sizes {
        let dir = tempfile::tempdir()?;
        let mut config = Config::for_data_dir(dir.path());
        config.allow_destinations = vec!["127.0.0.0/8".parse()?];
        config.batch_size = batch;
        let engine = Engine::start(config).await?;
        support::ingest_launches(&engine, users, false).await?;
        let id = support::campaign_to_launchers(&engine, &url).await?.id;

        let rss_before = memory("VmRSS")?;
        reset_peak()?;
        let started = Instant::now();
        campaigns::publish(&engine, id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        campaigns::run::prepare(&engine, id.0).await?;
        let elapsed = started.elapsed();
        let peak = memory("VmHWM")?;
        let stats = campaigns::get(&engine, id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .stats;
        anyhow::ensure!(
            stats.targeted == users as u64,
            "not every user was targeted"
        );
        println!(
            "{users:>8} recipients: outbox written in {:.2} s ({:.0} users/s, {} requests); RSS before {} MiB, peak while preparing {} MiB (+{} MiB)",
            elapsed.as_secs_f64(),
            users as f64 / elapsed.as_secs_f64(),
            stats.requests,
            rss_before / 1024,
            peak / 1024,
            peak.saturating_sub(rss_before) / 1024,
        );
        engine.close().await;
    }
    Ok(())
}

/// Resets the peak RSS (`VmHWM`) to the current RSS (Linux: `clear_refs` 5).
fn reset_peak() -> anyhow::Result<()> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(())
}
