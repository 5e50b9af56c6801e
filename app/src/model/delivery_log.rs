//! The delivery log's pages: which deliveries to show (status, failure reason, user), and a page of them
//! with how many match.

use serde::{Deserialize, Serialize};

use super::DeliveryId;
use super::campaign_report::{DeliveryOut, DeliveryStatus};

/// Deliveries per page unless asked otherwise, and the most a page holds.
pub const DELIVERY_PAGE_SIZE: u32 = 50;
pub const MAX_DELIVERY_PAGE: u32 = 500;

/// Which of a campaign's deliveries the log shows; every part left out matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeliveryStatus>,
    /// A failure reason as "Failures by reason" lists it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A user's identity, email or object id: the deliveries that went to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl DeliveryFilter {
    /// Blank parts dropped, the others trimmed.
    pub fn normalized(self) -> Self {
        let keep = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        Self {
            status: self.status,
            reason: keep(self.reason),
            user: keep(self.user),
        }
    }

    /// The filter as a URL query (`status=failed&user=ann`), for the CSV export's link.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        for (name, value) in [("reason", &self.reason), ("user", &self.user)] {
            if let Some(value) = value {
                parts.push(format!("{name}={}", percent_encode(value)));
            }
        }
        parts.join("&")
    }
}

/// A page of the log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryPageOut {
    pub deliveries: Vec<DeliveryOut>,
    /// Deliveries matching the filter, on every page.
    pub total: u64,
    /// Pass as `before` for the next (older) page; none on the last page.
    pub next: Option<DeliveryId>,
}

/// Everything but unreserved characters (RFC 3986) as `%XX` of its UTF-8 bytes.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_a_query_string_with_blank_parts_dropped() {
        let filter = DeliveryFilter {
            status: Some(DeliveryStatus::Failed),
            reason: Some("HTTP 500 Internal Server Error".into()),
            user: Some("  ".into()),
        }
        .normalized();
        assert_eq!(filter.user, None);
        assert_eq!(
            filter.to_query(),
            "status=failed&reason=HTTP%20500%20Internal%20Server%20Error"
        );
        let user = DeliveryFilter {
            user: Some("zoë&co".into()),
            ..Default::default()
        };
        assert_eq!(user.to_query(), "user=zo%C3%AB%26co");
        assert_eq!(DeliveryFilter::default().to_query(), "");
    }
}
