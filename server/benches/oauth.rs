//! OAuth benchmark (not a test): what OAuth 2.0 costs a template's sends. Key generation per size (done
//! once per template, off the async threads), client assertion signing per algorithm (once per token
//! request), and the shared-token lookup every OAuth delivery makes, with many deliveries at once.
//!
//! `cargo bench --locked -p server --bench oauth`

use std::sync::Arc;
use std::time::Instant;

use app::model::TemplateId;
use app::model::oauth::{GrantType, JwtAlgorithm, OAuthSettings};
use server::config::Config;
use server::oauth::OAuth;
use server::oauth::assertion;
use server::oauth::keys::{self, SigningKey};
use server::{Engine, templates};
use tokio::task::JoinSet;

const SIGNATURES: u32 = 300;
const LOOKUP_TASKS: u32 = 64;
const LOOKUPS_PER_TASK: u32 = 5_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::for_data_dir(dir.path());
    config.allow_destinations = vec!["127.0.0.0/8".parse()?];
    let engine = Engine::start(config).await?;

    for (bits, runs) in [(2048, 3), (3072, 2), (4096, 1)] {
        let started = Instant::now();
        let mut key_set = None;
        for _ in 0..runs {
            let key = templates::generate_key(&engine, key_set.take(), bits)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            key_set = Some(key.key_set);
        }
        println!(
            "key generation {bits} bits: {:>6.0} ms per key ({runs} keys)",
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
        );
    }

    let key = templates::generate_key(&engine, None, 2048)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let signing = keys::signing_key(&engine.db, &engine.secrets, &key.key_set)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    for alg in JwtAlgorithm::ALL {
        println!(
            "client assertion {} (2048-bit key): {:>6.0} signatures/s",
            alg.as_str(),
            signatures_per_sec(&signing, alg)
        );
    }

    let token_url = start_token_endpoint().await?;
    let oauth = Arc::new(OAuth {
        settings: OAuthSettings {
            grant: GrantType::ClientCredentials,
            client_id: "bench".into(),
            access_token_url: token_url,
            ..Default::default()
        },
        client_secret: "secret".into(),
        password: String::new(),
    });
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..LOOKUP_TASKS {
        let (engine, oauth) = (engine.clone(), oauth.clone());
        tasks.spawn(async move {
            for _ in 0..LOOKUPS_PER_TASK {
                let token = engine
                    .tokens
                    .bearer(
                        &engine.oauth(),
                        TemplateId(1),
                        "https://crm.example",
                        &oauth,
                    )
                    .await;
                assert_eq!(token.as_deref(), Ok("bench-token"));
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done?;
    }
    let lookups = f64::from(LOOKUP_TASKS * LOOKUPS_PER_TASK);
    println!(
        "shared token lookups, {LOOKUP_TASKS} deliveries at once: {:>9.0} lookups/s ({:.1} µs each; one token request in all)",
        lookups / started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64() * 1e6 / lookups
    );
    Ok(())
}

fn signatures_per_sec(key: &SigningKey, alg: JwtAlgorithm) -> f64 {
    let mut settings = OAuthSettings {
        client_id: "bench".into(),
        access_token_url: "https://auth.example/token".into(),
        ..Default::default()
    };
    settings.jwt.header.alg = alg;
    let started = Instant::now();
    for _ in 0..SIGNATURES {
        assertion::sign(&settings, key, 1_700_000_000);
    }
    f64::from(SIGNATURES) / started.elapsed().as_secs_f64()
}

/// A token endpoint answering every request with the same long-lived token.
async fn start_token_endpoint() -> anyhow::Result<String> {
    let app = axum::Router::new().fallback(|| async {
        axum::Json(serde_json::json!({"access_token": "bench-token", "expires_in": 3600}))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/token", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}
