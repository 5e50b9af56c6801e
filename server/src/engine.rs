//! The engine: configuration, database, secret box, outgoing client and ingestion credentials, created
//! once at start and shared by the HTTP routes, the server functions and the workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::auth::sessions::bootstrap_admin;
use crate::config::Config;
use tokio::sync::Notify;

use crate::dispatch::client::OutboundClient;
use crate::dispatch::retry::RetryPolicy;
use crate::dispatch::ssrf::DestinationPolicy;
use crate::ingest::Ingestor;
use crate::ingest::credentials::IngestCredentials;
use crate::oauth::token_cache::TokenCache;
use crate::secrets::SecretBox;
use crate::store::{self, Db};

pub struct Engine {
    pub config: Config,
    pub db: Db,
    pub secrets: SecretBox,
    pub outbound: OutboundClient,
    pub ingest_credentials: IngestCredentials,
    pub ingestor: Ingestor,
    /// The project time zone.
    pub zone: jiff::tz::TimeZone,
    pub retry: RetryPolicy,
    /// OAuth access tokens shared by each template's deliveries.
    pub tokens: TokenCache,
    /// Wakes the dispatcher when deliveries were written.
    pub dispatch_wake: Notify,
    /// Wakes the scheduler when a campaign was scheduled.
    pub schedule_wake: Notify,
    /// Whether an account exists: decides between first-run setup and login. Never goes back to false.
    admin_exists: AtomicBool,
}

impl Engine {
    pub async fn start(config: Config) -> anyhow::Result<Arc<Self>> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db = store::open(&config.database_url).await?;
        let secrets = SecretBox::load_or_create(config.secret_key.as_deref(), &config.data_dir)?;
        let policy = DestinationPolicy::new(config.allow_destinations.clone());
        let outbound = OutboundClient::new(policy, config.request_timeout())?;
        let ingest_credentials = IngestCredentials::resolve(&config, &db).await?;
        bootstrap_admin(&config, &db).await?;
        let admin_exists = AtomicBool::new(store::users::any_exist(&db).await?);
        let ingestor = Ingestor::new(db.clone());
        let zone = config.zone();
        let retry = RetryPolicy {
            delays: config.retry_delays(),
            max_retry_after: config.max_retry_after(),
        };
        Ok(Arc::new(Self {
            config,
            db,
            secrets,
            outbound,
            ingest_credentials,
            ingestor,
            zone,
            retry,
            tokens: TokenCache::default(),
            dispatch_wake: Notify::new(),
            schedule_wake: Notify::new(),
            admin_exists,
        }))
    }

    pub fn admin_exists(&self) -> bool {
        self.admin_exists.load(Ordering::Acquire)
    }

    pub fn note_admin_created(&self) {
        self.admin_exists.store(true, Ordering::Release);
    }
}
