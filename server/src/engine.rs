//! The engine: configuration, database, secret box, outgoing client and ingestion credentials, created
//! once at start and shared by the HTTP routes, the server functions and the workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::Notify;

use crate::auth::sessions::bootstrap_admin;
use crate::auth::setup_code::SetupCode;
use crate::auth::throttle::LoginThrottle;
use crate::clock::{self, SharedClock};
use crate::config::Config;

use crate::breaker::Breakers;
use crate::dispatch::retry::RetryPolicy;
use crate::halts::CampaignHalts;
use crate::health::WorkerHealth;
use crate::ingest::credentials::IngestCredentials;
use crate::ingest::{Ingestor, Listeners};
use crate::linked::fetch::{Fetcher, LinkedCache};
use crate::live::LiveMatcher;
use crate::metrics::Metrics;
use crate::oauth::OAuthContext;
use crate::oauth::token_cache::TokenCache;
use crate::outbound::OutboundClient;
use crate::outbound::ssrf::DestinationPolicy;
use crate::secrets::SecretBox;
use crate::segments::{self, SharedIndex};
use crate::store::ingest::IngestWriter;
use crate::store::lock::DbLock;
use crate::store::write_gate::WriteGate;
use crate::store::{self, Db};

pub struct Engine {
    pub config: Config,
    /// Where the engine reads the time.
    pub clock: SharedClock,
    pub db: Db,
    /// Turns for the busy writers (ingestion, claims, results, outboxes).
    pub writes: WriteGate,
    /// This process's exclusive hold on the database.
    lock: DbLock,
    pub secrets: SecretBox,
    pub outbound: OutboundClient,
    pub ingest_credentials: IngestCredentials,
    pub ingestor: Ingestor,
    /// Profiles and events in columns, for evaluating segments; ingestion keeps it current.
    pub segment_index: Arc<SharedIndex>,
    /// The project time zone.
    pub zone: jiff::tz::TimeZone,
    pub retry: RetryPolicy,
    /// OAuth access tokens shared by each template's deliveries.
    pub tokens: TokenCache,
    /// Linked content answers, by rendered request.
    pub linked_cache: LinkedCache,
    /// Wakes the dispatcher when deliveries were written.
    pub dispatch_wake: Notify,
    /// Wakes the scheduler when a campaign was scheduled or published.
    pub schedule_wake: Notify,
    /// Which ingested events trigger live campaigns.
    pub live: Arc<LiveMatcher>,
    /// Wakes the live worker when triggers were written.
    pub live_wake: Arc<Notify>,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Counts template saves, so the dispatcher reads the templates' delivery limits again at once.
    pub template_saves: AtomicU64,
    /// The circuit of each destination host.
    pub breakers: Breakers,
    /// Campaigns stopped while this process runs: the dispatcher sends nothing more for them.
    pub halts: CampaignHalts,
    /// How the background workers are doing, for `/healthz`.
    pub health: WorkerHealth,
    /// Failed sign-ins, per client address and account.
    pub login_throttle: LoginThrottle,
    /// The code first-run setup asks for when the server can be reached from other computers.
    pub setup_code: SetupCode,
    /// Whether an account exists: decides between first-run setup and login. Never goes back to false.
    admin_exists: AtomicBool,
}

impl Engine {
    pub async fn start(config: Config) -> anyhow::Result<Arc<Self>> {
        Self::start_with_clock(config, clock::system()).await
    }

    /// Starts the engine reading the time from `clock` (tests move a manual clock).
    pub async fn start_with_clock(config: Config, clock: SharedClock) -> anyhow::Result<Arc<Self>> {
        std::fs::create_dir_all(&config.data_dir)?;
        // Before anything touches the database: a second process must not migrate it or take its
        // deliveries.
        let lock = DbLock::acquire(&config.database_url)?;
        let db = store::open(&config.database_url).await?;
        let secrets = SecretBox::load_or_create(config.secret_key.as_deref(), &config.data_dir)?;
        crate::templates::signing::fill_missing(&db, &secrets).await?;
        let policy = DestinationPolicy::new(config.allow_destinations.clone());
        let outbound = OutboundClient::new(policy, config.request_timeout())?;
        let ingest_credentials = IngestCredentials::resolve(&config, &db).await?;
        bootstrap_admin(&config, &db, clock.now_ms()).await?;
        let admin_exists = AtomicBool::new(store::users::any_exist(&db).await?);
        let writes = WriteGate::default();
        let segment_index = Arc::new(SharedIndex::new(segments::load::from_db(&db).await?));
        let zone = config.zone();
        let live = Arc::new(LiveMatcher::default());
        crate::live::refresh(&db, &zone, &live).await?;
        let live_wake = Arc::new(Notify::new());
        let metrics = Metrics::new();
        let ingest_writer =
            IngestWriter::start(&store::file_of(&config.database_url)?, writes.clone())?;
        let ingestor = Ingestor::new(
            ingest_writer,
            clock.clone(),
            Listeners {
                index: segment_index.clone(),
                live: live.clone(),
                live_wake: live_wake.clone(),
                ingested_events: metrics.ingested_events.clone(),
            },
        );
        let retry = RetryPolicy {
            delays: config.retry_delays(),
            max_retry_after: config.max_retry_after(),
        };
        let health = WorkerHealth::new(clock.clone());
        let login_throttle = LoginThrottle::new(clock.clone());
        let breakers = Breakers::new(config.breaker());
        Ok(Arc::new(Self {
            config,
            clock,
            db,
            writes,
            lock,
            secrets,
            outbound,
            ingest_credentials,
            ingestor,
            segment_index,
            zone,
            retry,
            tokens: TokenCache::default(),
            linked_cache: LinkedCache::default(),
            dispatch_wake: Notify::new(),
            schedule_wake: Notify::new(),
            live,
            live_wake,
            breakers,
            metrics,
            template_saves: AtomicU64::new(0),
            halts: CampaignHalts::default(),
            health,
            login_throttle,
            setup_code: SetupCode::default(),
            admin_exists,
        }))
    }

    /// What OAuth (and the outgoing pipeline) needs of the engine.
    pub fn oauth(&self) -> OAuthContext<'_> {
        OAuthContext {
            db: &self.db,
            secrets: &self.secrets,
            outbound: &self.outbound,
            clock: self.clock.as_ref(),
            tokens: &self.tokens,
        }
    }

    /// What fetching linked content needs.
    pub fn fetcher(&self) -> Fetcher<'_> {
        Fetcher {
            client: &self.outbound,
            cache: &self.linked_cache,
            clock: self.clock.as_ref(),
        }
    }

    /// Closes the database and gives up the lock on it: the end of a clean shutdown (or of a test
    /// server that another one replaces).
    pub async fn close(&self) {
        self.db.close().await;
        self.lock.release();
    }

    pub fn admin_exists(&self) -> bool {
        self.admin_exists.load(Ordering::Acquire)
    }

    pub fn note_admin_created(&self) {
        self.admin_exists.store(true, Ordering::Release);
    }
}
