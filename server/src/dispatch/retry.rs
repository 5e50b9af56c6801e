//! What an attempt's result means for its delivery: delivered, retried later, or failed for good
//! ("Webhook Dispatch Failed"), and how long to wait before the retry.

use std::time::Duration;

use crate::outbound::{Answer, SendError, status_reason};
use crate::outgoing::Failure;

/// When to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait before each retry; its length is the number of retries.
    pub delays: Vec<Duration>,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    RetryIn(Duration),
    /// Failed for good, with the reason shown in the statistics.
    Failed(String),
}

/// How much shorter than scheduled a retry's wait may be drawn: retries of deliveries that failed
/// together (a destination that went down) spread out instead of coming back at once.
const JITTER: f64 = 0.2;

/// The verdict after attempt `number` (1 for the first) ended with `result`; `spread` (in `[0, 1)`,
/// drawn at random) places the retry's wait within its jitter.
pub fn judge(
    result: &Result<Answer, Failure>,
    number: u32,
    policy: &RetryPolicy,
    spread: f64,
) -> Verdict {
    let (retryable, retry_after, reason) = match result {
        Ok(answer) if (200..300).contains(&answer.status) => return Verdict::Delivered,
        Ok(answer) => (
            matches!(answer.status, 408 | 429 | 500..=599),
            answer.retry_after,
            status_reason(answer.status),
        ),
        // The request never left, or left for a refused address: trying again cannot help.
        Err(Failure::Http(e @ (SendError::BadUrl(_) | SendError::Refused { .. }))) => {
            (false, None, e.to_string())
        }
        Err(Failure::Token(failure)) => (failure.retryable, None, failure.message.clone()),
        Err(Failure::Http(e)) => (true, None, failure_kind(e).to_owned()),
    };
    match delay_before_retry(number, retry_after, policy, spread) {
        Some(delay) if retryable => Verdict::RetryIn(delay),
        _ => Verdict::Failed(reason),
    }
}

/// The wait before the retry following attempt `number`: the schedule's delay less up to a fifth
/// (`spread` of the jitter), or longer if the destination asked (capped). `None` when the retries are
/// used up.
pub fn delay_before_retry(
    number: u32,
    retry_after: Option<Duration>,
    policy: &RetryPolicy,
    spread: f64,
) -> Option<Duration> {
    let scheduled = policy
        .delays
        .get(usize::try_from(number).ok()?.checked_sub(1)?)?
        .mul_f64(1.0 - JITTER * spread.clamp(0.0, 1.0));
    let asked = retry_after.map_or(Duration::ZERO, |d| d.min(policy.max_retry_after));
    Some(scheduled.max(asked))
}

/// A short, groupable name for a network failure (the attempt keeps the full message).
fn failure_kind(error: &SendError) -> &'static str {
    match error {
        SendError::Timeout(_) => "Timeout: no response in time",
        SendError::Connect { .. } => "Connection failed",
        SendError::Dns { .. } => "DNS lookup failed",
        SendError::BadUrl(_) | SendError::Refused { .. } | SendError::Other(_) => "Request failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            delays: vec![Duration::from_secs(5), Duration::from_secs(30)],
            max_retry_after: Duration::from_secs(60),
        }
    }

    fn answer(status: u16, retry_after: Option<u64>) -> Result<Answer, Failure> {
        Ok(Answer {
            status,
            latency: Duration::from_millis(3),
            body_read: true,
            body_excerpt: String::new(),
            retry_after: retry_after.map(Duration::from_secs),
        })
    }

    #[test]
    fn delays_follow_the_schedule_then_stop() {
        let p = policy();
        assert_eq!(
            delay_before_retry(1, None, &p, 0.0),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            delay_before_retry(2, None, &p, 0.0),
            Some(Duration::from_secs(30))
        );
        assert_eq!(delay_before_retry(3, None, &p, 0.0), None);
        assert_eq!(delay_before_retry(0, None, &p, 0.0), None);
    }

    #[test]
    fn jitter_shortens_the_scheduled_wait_by_at_most_a_fifth_but_never_below_retry_after() {
        let p = policy();
        assert_eq!(
            delay_before_retry(1, None, &p, 0.5),
            Some(Duration::from_millis(4500))
        );
        assert_eq!(
            delay_before_retry(2, None, &p, 0.999_999),
            Some(Duration::from_secs(30).mul_f64(1.0 - 0.2 * 0.999_999))
        );
        assert_eq!(
            delay_before_retry(1, Some(Duration::from_secs(5)), &p, 0.9),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn retry_after_lengthens_the_wait_within_the_cap() {
        let p = policy();
        assert_eq!(
            delay_before_retry(1, Some(Duration::from_secs(20)), &p, 0.0),
            Some(Duration::from_secs(20))
        );
        assert_eq!(
            delay_before_retry(1, Some(Duration::from_secs(1)), &p, 0.0),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            delay_before_retry(1, Some(Duration::from_secs(3600)), &p, 0.0),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn which_answers_are_retried() {
        let p = policy();
        assert_eq!(judge(&answer(204, None), 1, &p, 0.0), Verdict::Delivered);
        for status in [408, 429, 500, 502, 503] {
            assert!(
                matches!(
                    judge(&answer(status, None), 1, &p, 0.0),
                    Verdict::RetryIn(_)
                ),
                "{status}"
            );
        }
        assert_eq!(
            judge(&answer(400, None), 1, &p, 0.0),
            Verdict::Failed("HTTP 400 Bad Request".into())
        );
        assert_eq!(
            judge(&answer(500, None), 3, &p, 0.0),
            Verdict::Failed("HTTP 500 Internal Server Error".into())
        );
        assert_eq!(
            judge(&answer(429, Some(40)), 1, &p, 0.0),
            Verdict::RetryIn(Duration::from_secs(40))
        );
        let timeout = Err(Failure::Http(SendError::Timeout(Duration::from_secs(5))));
        assert_eq!(
            judge(&timeout, 1, &p, 0.0),
            Verdict::RetryIn(Duration::from_secs(5))
        );
        assert_eq!(
            judge(&timeout, 3, &p, 0.0),
            Verdict::Failed("Timeout: no response in time".into())
        );
        let bad = Err(Failure::Http(SendError::BadUrl("no host".into())));
        assert!(matches!(judge(&bad, 1, &p, 0.0), Verdict::Failed(_)));
    }
}
