//! The Hookline process: parse the configuration, open the database, serve until Ctrl-C or SIGTERM.
#![forbid(unsafe_code)]

use clap::Parser;
use server::config::Config;
use server::workers::Workers;
use server::{Engine, web};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    let leptos_options = leptos::config::get_configuration(None)?.leptos_options;
    let addr = leptos_options.site_addr;
    let engine = match Engine::start(config).await {
        Ok(engine) => engine,
        Err(e) => {
            tracing::error!("Hookline cannot start: {e:#}");
            std::process::exit(1);
        }
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Hookline is listening on http://{addr}");
    let always = engine.config.require_setup_code;
    if let Some(code) = engine
        .setup_code
        .issue_if_exposed(addr, engine.admin_exists(), always)
    {
        tracing::warn!(
            "no account exists yet: open http://{addr}/setup and enter the setup code {code} to create the admin"
        );
    } else if !engine.admin_exists() {
        tracing::info!("no account exists yet: open http://{addr}/setup to create the admin");
    }
    let workers = Workers::start(engine.clone()).await?;
    web::serve(engine.clone(), leptos_options, listener, shutdown_signal()).await;
    // The webhook requests in flight finish and are recorded, within the same deadline; any left are
    // sent again at the next start.
    let deadline = engine.config.shutdown_deadline();
    if tokio::time::timeout(deadline, workers.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            ?deadline,
            "stopping with webhook requests still in flight; they are sent again at the next start"
        );
    }
    engine.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
