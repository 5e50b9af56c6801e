//! The process configuration: command-line flags with `HOOKLINE_*` environment fallbacks, parsed and
//! validated once, then shared read-only. The listen address is Leptos' own `LEPTOS_SITE_ADDR`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use ipnet::IpNet;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "hookline",
    version,
    about = "Hookline: self-hosted webhook campaigns"
)]
pub struct Config {
    /// SQLite database; the file and its folder are created if missing.
    #[arg(
        long,
        env = "HOOKLINE_DATABASE_URL",
        default_value = "sqlite://data/hookline.db"
    )]
    pub database_url: String,

    /// Folder for files Hookline generates on first run (the secret key).
    #[arg(long, env = "HOOKLINE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// E-mail of the first admin, created at start if no account exists yet.
    #[arg(long, env = "HOOKLINE_ADMIN_EMAIL", requires = "admin_password")]
    pub admin_email: Option<String>,

    /// Password of the first admin (only used when creating it).
    #[arg(
        long,
        env = "HOOKLINE_ADMIN_PASSWORD",
        requires = "admin_email",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,

    /// Account id that ingestion clients send as X-CleverTap-Account-Id; generated on first run if unset.
    #[arg(long, env = "HOOKLINE_ACCOUNT_ID", requires = "account_passcode")]
    pub account_id: Option<String>,

    /// Passcode that ingestion clients send as X-CleverTap-Passcode; generated on first run if unset.
    #[arg(
        long,
        env = "HOOKLINE_ACCOUNT_PASSCODE",
        requires = "account_id",
        hide_env_values = true
    )]
    pub account_passcode: Option<String>,

    /// Comma-separated CIDRs that webhooks may reach although they are not public addresses,
    /// e.g. `127.0.0.0/8,10.1.0.0/16`.
    #[arg(long, env = "HOOKLINE_ALLOW_DESTINATIONS", value_delimiter = ',', value_parser = parse_cidr)]
    pub allow_destinations: Vec<IpNet>,

    /// Comma-separated CIDRs of reverse proxies in front of Hookline: from them, the client's address
    /// is read from `X-Forwarded-For` (for the sign-in throttle). Empty: the connection's peer.
    #[arg(long, env = "HOOKLINE_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_cidr)]
    pub trusted_proxies: Vec<IpNet>,

    /// Ask for the one-time setup code at first-run setup even when listening on a loopback address
    /// (set this behind a reverse proxy on the same machine, which makes every visitor look local).
    #[arg(long, env = "HOOKLINE_REQUIRE_SETUP_CODE", default_value_t = false)]
    pub require_setup_code: bool,

    /// Key for secrets at rest: 32 bytes, base64 or hex. Generated into the data folder if unset.
    #[arg(long, env = "HOOKLINE_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Bearer token that `GET /metrics` (Prometheus) requires; unset, the endpoint is off (404).
    #[arg(long, env = "HOOKLINE_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Timeout of one outgoing webhook request, in milliseconds.
    #[arg(long, env = "HOOKLINE_REQUEST_TIMEOUT_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(1..=120_000))]
    pub request_timeout_ms: u64,

    /// Waits before the retries of a failed delivery, in milliseconds (one retry per value).
    #[arg(long, env = "HOOKLINE_RETRY_DELAYS_MS", value_delimiter = ',', default_value = "5000,30000",
          value_parser = clap::value_parser!(u64).range(0..=86_400_000))]
    pub retry_delays_ms: Vec<u64>,

    /// Longest `Retry-After` a destination can ask for, in seconds; longer requests wait this long.
    #[arg(long, env = "HOOKLINE_MAX_RETRY_AFTER_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub max_retry_after_secs: u64,

    /// Consecutive failed attempts (timeouts, connection errors, 408, 429, 5xx) after which a
    /// destination host's circuit opens: its deliveries wait instead of spending their retries.
    #[arg(long, env = "HOOKLINE_BREAKER_FAILURES", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub breaker_failures: u32,

    /// How long an open circuit waits before its first probe, in milliseconds; each failed probe
    /// doubles it, up to `HOOKLINE_BREAKER_MAX_COOL_DOWN_MS`.
    #[arg(long, env = "HOOKLINE_BREAKER_COOL_DOWN_MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(1..=86_400_000))]
    pub breaker_cool_down_ms: u64,

    /// The longest wait between probes of an open circuit, in milliseconds.
    #[arg(long, env = "HOOKLINE_BREAKER_MAX_COOL_DOWN_MS", default_value_t = 600_000,
          value_parser = clap::value_parser!(u64).range(1..=86_400_000))]
    pub breaker_max_cool_down_ms: u64,

    /// Days after which a delivery's body and attempts are deleted (its row, status and counts stay);
    /// 0 keeps everything.
    #[arg(long, env = "HOOKLINE_RETENTION_DAYS", default_value_t = 90,
          value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub retention_days: u32,

    /// Users per request when the body carries Profile variables.
    #[arg(long, env = "HOOKLINE_BATCH_SIZE", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub batch_size: u32,

    /// Requests the dispatcher has in flight at most.
    #[arg(long, env = "HOOKLINE_DISPATCH_CONCURRENCY", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub dispatch_concurrency: u32,

    /// How long a claim on a delivery lasts, in milliseconds. A delivery whose result is not recorded
    /// by then (its process died) is sent again. Default: six request timeouts and a minute, room for
    /// an OAuth token request, the send, a repeat after a 401 and a lagging database.
    #[arg(long, env = "HOOKLINE_CLAIM_LEASE_MS",
          value_parser = clap::value_parser!(u64).range(1..=86_400_000))]
    pub claim_lease_ms: Option<u64>,

    /// The project time zone (IANA name) in which campaign dates and times are read.
    #[arg(long, env = "HOOKLINE_TIME_ZONE", default_value = "UTC", value_parser = parse_time_zone)]
    pub time_zone: String,

    /// Largest accepted body of `POST /1/upload`, in bytes.
    #[arg(long, env = "HOOKLINE_MAX_UPLOAD_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_upload_bytes: usize,

    /// How long a dashboard login lasts, in hours.
    #[arg(long, env = "HOOKLINE_SESSION_HOURS", default_value_t = 24 * 7,
          value_parser = clap::value_parser!(u64).range(1..=24 * 365))]
    pub session_hours: u64,

    /// HTTP connections open at once; more wait in the listen backlog.
    #[arg(long, env = "HOOKLINE_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,

    /// Seconds the requests in flight (HTTP and webhook) get to finish at shutdown.
    #[arg(long, env = "HOOKLINE_SHUTDOWN_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_secs: u64,

    /// Mark the session cookie `Secure` (set this when the dashboard is served over HTTPS).
    #[arg(long, env = "HOOKLINE_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
}

impl Config {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }

    pub fn retry_delays(&self) -> Vec<Duration> {
        self.retry_delays_ms
            .iter()
            .map(|ms| Duration::from_millis(*ms))
            .collect()
    }

    pub fn claim_lease(&self) -> Duration {
        self.claim_lease_ms.map_or_else(
            || self.request_timeout() * 6 + Duration::from_secs(60),
            Duration::from_millis,
        )
    }

    pub fn breaker(&self) -> crate::breaker::BreakerConfig {
        crate::breaker::BreakerConfig {
            failures: self.breaker_failures,
            cool_down: Duration::from_millis(self.breaker_cool_down_ms),
            max_cool_down: Duration::from_millis(
                self.breaker_max_cool_down_ms.max(self.breaker_cool_down_ms),
            ),
        }
    }

    pub fn max_retry_after(&self) -> Duration {
        Duration::from_secs(self.max_retry_after_secs)
    }

    /// The project time zone; its name was checked when parsing.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    pub fn shutdown_deadline(&self) -> Duration {
        Duration::from_secs(self.shutdown_secs)
    }

    pub fn session_ttl(&self) -> Duration {
        Duration::from_secs(self.session_hours * 3600)
    }

    /// Defaults for tests and tools: a database under `data_dir`, nothing generated yet.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        let database_url = format!("sqlite://{}", data_dir.join("hookline.db").display());
        let mut config = Config::parse_from(["hookline"]);
        config.database_url = database_url;
        config.data_dir = data_dir;
        config
    }
}

fn parse_time_zone(s: &str) -> Result<String, String> {
    let s = s.trim();
    jiff::tz::TimeZone::get(s)
        .map(|_| s.to_owned())
        .map_err(|_| format!("\"{s}\" is not a time zone name like UTC or Europe/Paris"))
}

fn parse_cidr(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("\"{s}\" is not an IP network like 127.0.0.0/8 or an IP address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags_and_lists() {
        let c = Config::try_parse_from([
            "hookline",
            "--allow-destinations",
            "127.0.0.0/8, ::1",
            "--request-timeout-ms",
            "250",
            "--retry-delays-ms",
            "10,20,40",
            "--time-zone",
            "Europe/Paris",
        ])
        .unwrap();
        assert_eq!(c.retry_delays().len(), 3);
        assert_eq!(c.zone().iana_name(), Some("Europe/Paris"));
        assert_eq!(c.allow_destinations.len(), 2);
        assert_eq!(c.request_timeout(), Duration::from_millis(250));
        assert_eq!(c.database_url, "sqlite://data/hookline.db");
    }

    #[test]
    fn refuses_bad_values_and_half_pairs() {
        assert!(Config::try_parse_from(["hookline", "--allow-destinations", "localhost"]).is_err());
        assert!(Config::try_parse_from(["hookline", "--request-timeout-ms", "0"]).is_err());
        assert!(Config::try_parse_from(["hookline", "--time-zone", "Mars/Olympus"]).is_err());
        assert!(Config::try_parse_from(["hookline", "--batch-size", "0"]).is_err());
        assert!(Config::try_parse_from(["hookline", "--admin-email", "a@b.c"]).is_err());
    }
}
