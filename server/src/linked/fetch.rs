//! Fetching linked content: through the guarded HTTP client (SSRF rules apply), retried once after a
//! network error or a 5xx, and cached by rendered request for the content's cache time. Users whose
//! requests are the same share one fetch, also when they ask at the same moment (the first fetches,
//! the others wait for its answer).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use tokio::sync::OnceCell;

use crate::clock::Clock;
use crate::outbound::{OutboundClient, OutboundRequest};

/// The most bytes of an answer read; a longer one is refused.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// Cached answers kept at most; past it, expired ones are dropped, then all.
const MAX_ENTRIES: usize = 10_000;
/// Answers longer than this are used but not kept, so the cache stays within ~640 MiB at worst.
const MAX_CACHED_BYTES: usize = 64 * 1024;

/// A linked content request as rendered for a user: the cache key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkedRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// With its content type.
    pub body: Option<(&'static str, Vec<u8>)>,
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub status: u16,
    pub latency: Duration,
    pub body: String,
}

/// A fetch's result and until when it stands (unix ms).
type Outcome = (Result<Arc<Fetched>, String>, i64);

/// A failure stands this long at most (or the cache time, if shorter): users meanwhile fail at once
/// instead of each waiting for a source that is down.
const FAILURE_CACHE_MS: i64 = 10_000;

/// Answers by request, each until its expiry (unix ms).
#[derive(Default)]
pub struct LinkedCache {
    entries: Mutex<HashMap<LinkedRequest, Arc<OnceCell<Outcome>>>>,
}

impl LinkedCache {
    /// The slot of `request`: the cached one (being fetched, or fetched) unless it expired.
    fn slot(&self, request: &LinkedRequest, now: i64) -> Arc<OnceCell<Outcome>> {
        let current = |slot: &Arc<OnceCell<Outcome>>| slot.get().is_none_or(|(_, e)| *e > now);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = entries.get(request)
            && current(slot)
        {
            return slot.clone();
        }
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, slot| current(slot));
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        let slot = Arc::new(OnceCell::new());
        entries.insert(request.clone(), slot.clone());
        slot
    }

    /// Drops `slot` if it is still the one kept for `request`.
    fn forget(&self, request: &LinkedRequest, slot: &Arc<OnceCell<Outcome>>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries
            .get(request)
            .is_some_and(|kept| Arc::ptr_eq(kept, slot))
        {
            entries.remove(request);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }
}

/// What fetching needs: the client, the cache and the clock.
#[derive(Clone, Copy)]
pub struct Fetcher<'a> {
    pub client: &'a OutboundClient,
    pub cache: &'a LinkedCache,
    pub clock: &'a dyn Clock,
}

impl Fetcher<'_> {
    /// The answer to `request`, from the cache when it is younger than `cache_for`; the error says
    /// why there is none.
    pub async fn fetch(
        &self,
        request: &LinkedRequest,
        cache_for: Duration,
        timeout: Duration,
    ) -> Result<Arc<Fetched>, String> {
        if cache_for.is_zero() {
            return fetch_now(self.client, request, timeout).await.map(Arc::new);
        }
        let slot = self.cache.slot(request, self.clock.now_ms());
        let cache_ms = i64::try_from(cache_for.as_millis()).unwrap_or(i64::MAX);
        let (result, _) = slot
            .get_or_init(|| async {
                let result = fetch_now(self.client, request, timeout).await;
                let stands = match &result {
                    Ok(_) => cache_ms,
                    Err(_) => cache_ms.min(FAILURE_CACHE_MS),
                };
                (
                    result.map(Arc::new),
                    self.clock.now_ms().saturating_add(stands),
                )
            })
            .await;
        if result
            .as_ref()
            .is_ok_and(|fetched| fetched.body.len() > MAX_CACHED_BYTES)
        {
            self.cache.forget(request, &slot);
        }
        result.clone()
    }
}

/// One fetch, and one more after a network error or a 5xx.
async fn fetch_now(
    client: &OutboundClient,
    request: &LinkedRequest,
    timeout: Duration,
) -> Result<Fetched, String> {
    let outbound = OutboundRequest {
        method: request.method.clone(),
        url: request.url.clone(),
        headers: request.headers.clone(),
        body: request.body.clone(),
    };
    let send = || async {
        let answer = client
            .send_within(outbound.clone(), MAX_ANSWER_BYTES + 1, timeout)
            .await
            .map_err(|e| e.to_string())?;
        if answer.body_read {
            Ok(answer)
        } else {
            Err("the answer broke off before its end".to_owned())
        }
    };
    let mut result = send().await;
    if result.as_ref().map_or(true, |a| a.status >= 500) {
        result = send().await;
    }
    let answer = result?;
    if !(200..300).contains(&answer.status) {
        return Err(format!("the server answered {}", answer.status));
    }
    if answer.body_excerpt.len() > MAX_ANSWER_BYTES {
        return Err(format!(
            "the answer is larger than {} KB",
            MAX_ANSWER_BYTES / 1024
        ));
    }
    Ok(Fetched {
        status: answer.status,
        latency: answer.latency,
        body: answer.body_excerpt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> LinkedRequest {
        LinkedRequest {
            method: Method::GET,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn done(cell: &OnceCell<Outcome>, expires: i64) {
        let fetched = Fetched {
            status: 200,
            latency: Duration::ZERO,
            body: "{}".into(),
        };
        cell.set((Ok(Arc::new(fetched)), expires)).unwrap();
    }

    #[test]
    fn a_slot_is_shared_until_it_expires() {
        let cache = LinkedCache::default();
        let a = request("https://a.example/");
        let first = cache.slot(&a, 0);
        // Not filled yet: a second user waits for the same fetch.
        assert!(Arc::ptr_eq(&first, &cache.slot(&a, 0)));
        done(&first, 100);
        assert!(Arc::ptr_eq(&first, &cache.slot(&a, 99)));
        assert!(!Arc::ptr_eq(&first, &cache.slot(&a, 100)));
        // A failure stands until its own, shorter, expiry.
        let b = request("https://b.example/");
        let failed = cache.slot(&b, 0);
        failed.set((Err("down".into()), 10)).unwrap();
        assert!(Arc::ptr_eq(&failed, &cache.slot(&b, 9)));
        assert!(!Arc::ptr_eq(&failed, &cache.slot(&b, 10)));
        assert_eq!(cache.len(), 2);
        cache.forget(&b, &failed);
        assert_eq!(cache.len(), 2, "only the slot still kept is forgotten");
        let kept = cache.slot(&b, 1);
        cache.forget(&b, &kept);
        assert_eq!(cache.len(), 1);
    }
}
