//! The HTTP client every outgoing request goes through (test requests, campaign deliveries, token
//! requests). The SSRF guard sits in its DNS resolver, so the check applies to the addresses actually
//! connected to (no DNS-rebinding gap); literal IP hosts are checked before sending. No redirects are
//! followed and no proxy is used, as either would bypass the guard.

use std::error::Error as StdError;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Method, Url};

use super::ssrf::{DestinationPolicy, Reserved};

/// How much of a response body is kept for display and logs.
pub const EXCERPT_BYTES: usize = 1024;

#[derive(Debug, Clone)]
pub struct OutboundRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body and its content type.
    pub body: Option<(&'static str, Vec<u8>)>,
}

/// What a destination answered (any status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// Time until the response headers arrived.
    pub latency: Duration,
    pub body_excerpt: String,
    /// Whether reading the body stopped at its end or at the bytes kept, not at an error or timeout.
    pub body_read: bool,
    /// The wait the destination asked for (`Retry-After`, seconds or an HTTP date).
    pub retry_after: Option<Duration>,
}

/// Why no answer was had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the URL is not valid: {0}")]
    BadUrl(String),
    #[error("{}", refusal_message(host, *addr, *reason))]
    Refused {
        host: String,
        addr: IpAddr,
        reason: Reserved,
    },
    #[error("could not resolve {host}: {detail}")]
    Dns { host: String, detail: String },
    #[error("no response within {} ms (timeout)", .0.as_millis())]
    Timeout(Duration),
    #[error("could not connect to {target}: {detail}")]
    Connect { target: String, detail: String },
    #[error("the request failed: {0}")]
    Other(String),
}

fn refusal_message(host: &str, addr: IpAddr, reason: Reserved) -> String {
    let literal = host
        .trim_matches(['[', ']'])
        .parse::<IpAddr>()
        .is_ok_and(|h| h == addr);
    let subject = if literal {
        format!("{addr} is")
    } else {
        format!("{host} resolves to {addr},")
    };
    format!(
        "{subject} {}, which webhooks may not reach (see HOOKLINE_ALLOW_DESTINATIONS)",
        reason.describe()
    )
}

#[derive(Clone)]
pub struct OutboundClient {
    http: reqwest::Client,
    policy: Arc<DestinationPolicy>,
    timeout: Duration,
}

impl OutboundClient {
    pub fn new(policy: DestinationPolicy, timeout: Duration) -> reqwest::Result<Self> {
        let policy = Arc::new(policy);
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver {
                policy: policy.clone(),
            }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Hookline/", env!("CARGO_PKG_VERSION")))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            http,
            policy,
            timeout,
        })
    }

    /// Sends `request`, keeping the first `EXCERPT_BYTES` of the answer's body.
    pub async fn send(&self, request: OutboundRequest) -> Result<Answer, SendError> {
        self.send_keeping(request, EXCERPT_BYTES).await
    }

    /// Sends `request`, keeping the first `keep` bytes of the answer's body.
    pub async fn send_keeping(
        &self,
        request: OutboundRequest,
        keep: usize,
    ) -> Result<Answer, SendError> {
        self.send_within(request, keep, self.timeout).await
    }

    /// Sends `request` with its own `timeout`, keeping the first `keep` bytes of the answer's body.
    pub async fn send_within(
        &self,
        request: OutboundRequest,
        keep: usize,
        timeout: Duration,
    ) -> Result<Answer, SendError> {
        let url = Url::parse(&request.url).map_err(|e| SendError::BadUrl(e.to_string()))?;
        let host = url
            .host_str()
            .ok_or_else(|| SendError::BadUrl("it has no host".into()))?
            .to_owned();
        if let Some(addr) = literal_ip(&url) {
            self.policy
                .check(addr)
                .map_err(|reason| SendError::Refused {
                    host: host.clone(),
                    addr,
                    reason,
                })?;
        }
        let target = format!("{host}:{}", url.port_or_known_default().unwrap_or(0));
        let mut builder = self.http.request(request.method, url).timeout(timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some((content_type, body)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let started = Instant::now();
        let mut response = builder
            .send()
            .await
            .map_err(|e| classify(e, &host, &target, timeout))?;
        let latency = started.elapsed();
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let mut excerpt = Vec::new();
        let mut body_read = true;
        // Keep the start of the body; stop reading there (a timeout or error mid-body keeps what came).
        while excerpt.len() < keep {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    excerpt.extend_from_slice(&chunk[..chunk.len().min(keep - excerpt.len())]);
                }
                Ok(None) => break,
                Err(_) => {
                    body_read = false;
                    break;
                }
            }
        }
        Ok(Answer {
            status,
            latency,
            body_excerpt: String::from_utf8_lossy(&excerpt).into_owned(),
            body_read,
            retry_after,
        })
    }
}

fn classify(error: reqwest::Error, host: &str, target: &str, timeout: Duration) -> SendError {
    if let Some(refused) = find_in_chain::<DestinationRefused>(&error) {
        return SendError::Refused {
            host: host.to_owned(),
            addr: refused.addr,
            reason: refused.reason,
        };
    }
    if let Some(lookup) = find_in_chain::<LookupFailed>(&error) {
        return SendError::Dns {
            host: host.to_owned(),
            detail: lookup.0.clone(),
        };
    }
    if error.is_timeout() {
        return SendError::Timeout(timeout);
    }
    if error.is_connect() {
        let detail = find_in_chain::<std::io::Error>(&error)
            .map_or_else(|| innermost(&error), |e| e.to_string());
        return SendError::Connect {
            target: target.to_owned(),
            detail,
        };
    }
    SendError::Other(innermost(&error))
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` (a date in the past means now).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

fn find_in_chain<'a, T: StdError + 'static>(error: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

fn innermost(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

#[derive(Debug, thiserror::Error)]
#[error("{addr} is {}", reason.describe())]
struct DestinationRefused {
    addr: IpAddr,
    reason: Reserved,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct LookupFailed(String);

/// Resolves with the system resolver, then keeps only the addresses the policy admits.
struct GuardedResolver {
    policy: Arc<DestinationPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| {
                    Box::new(LookupFailed(e.to_string())) as Box<dyn StdError + Send + Sync>
                })?
                .collect();
            let mut first_refusal = None;
            let admitted: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|a| match policy.check(a.ip()) {
                    Ok(()) => true,
                    Err(reason) => {
                        first_refusal.get_or_insert(DestinationRefused {
                            addr: a.ip(),
                            reason,
                        });
                        false
                    }
                })
                .collect();
            match (admitted.is_empty(), first_refusal) {
                (true, Some(refused)) => Err(Box::new(refused) as Box<dyn StdError + Send + Sync>),
                (true, None) => Err(Box::new(LookupFailed("no addresses found".into()))
                    as Box<dyn StdError + Send + Sync>),
                (false, _) => Ok(Box::new(admitted.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(90);
        let header =
            jiff::fmt::rfc2822::to_string(&soon.to_zoned(jiff::tz::TimeZone::UTC)).unwrap();
        let wait = parse_retry_after(&header).unwrap();
        assert!(
            (Duration::from_secs(85)..=Duration::from_secs(90)).contains(&wait),
            "{wait:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn refusals_name_the_host_and_what_it_resolved_to() {
        let refused = |host: &str, addr: &str| {
            SendError::Refused {
                host: host.into(),
                addr: addr.parse().unwrap(),
                reason: Reserved::Loopback,
            }
            .to_string()
        };
        assert!(refused("127.0.0.1", "127.0.0.1").starts_with("127.0.0.1 is a loopback address"));
        assert!(refused("[::1]", "::1").starts_with("::1 is a loopback address"));
        assert!(
            refused("localhost", "127.0.0.1")
                .starts_with("localhost resolves to 127.0.0.1, a loopback address")
        );
    }
}
