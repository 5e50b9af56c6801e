//! `GET /campaigns/{id}/deliveries.csv?status=&reason=&user=`: a campaign's deliveries matching the
//! delivery log's filter, newest first, as CSV (one row per delivery, with its last attempt), streamed a
//! page at a time so a large campaign's export does not sit in memory. Behind the session gate.

use std::sync::Arc;

use app::model::CampaignId;
use app::model::campaign_report::DeliveryStatus;
use app::model::delivery_log::DeliveryFilter;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::campaigns::delivery_log::{deliveries_out, log_filter};
use crate::store::delivery_pages::{self, LogFilter};
use crate::store::{self, Db};
use crate::{Engine, csv};

/// Deliveries read per page of the export.
const EXPORT_PAGE: u32 = 1000;
const HEADER: [&str; 10] = [
    "webhook_id",
    "status",
    "users",
    "attempts",
    "last_status_code",
    "last_latency_ms",
    "last_error",
    "failure_reason",
    "created_at",
    "finished_at",
];

#[derive(Deserialize)]
pub struct ExportQuery {
    status: Option<String>,
    reason: Option<String>,
    user: Option<String>,
}

pub async fn export(
    State(engine): State<Arc<Engine>>,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match DeliveryStatus::parse(s) {
            Some(status) => Some(status),
            None => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "status must be pending, delivered, failed or cancelled",
                );
            }
        },
    };
    let filter = DeliveryFilter {
        status,
        reason: query.reason,
        user: query.user,
    };
    let found = store::campaigns::get(&engine.db, id).await;
    let filter = match found {
        Ok(Some(_)) => log_filter(&engine.db, filter).await,
        Ok(None) => return text(StatusCode::NOT_FOUND, "There is no such campaign."),
        Err(e) => Err(e.into()),
    };
    let filter = match filter {
        Ok(filter) => filter,
        Err(e) => {
            tracing::error!(error = %e, "delivery export failed");
            return text(
                StatusCode::SERVICE_UNAVAILABLE,
                "The database did not answer.",
            );
        }
    };
    let pages = futures_util::stream::unfold(
        Some(Export {
            db: engine.db.clone(),
            campaign: CampaignId(id),
            filter,
            before: None,
            header: true,
        }),
        |state| async move {
            let mut export = state?;
            match export.next_page().await {
                Ok((bytes, more)) => Some((Ok::<_, sqlx::Error>(bytes), more.then_some(export))),
                Err(e) => {
                    tracing::error!(error = %e, "delivery export stopped");
                    Some((Err(e), None))
                }
            }
        },
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"campaign-{id}-deliveries.csv\""),
            ),
        ],
        Body::from_stream(pages),
    )
        .into_response()
}

struct Export {
    db: Db,
    campaign: CampaignId,
    filter: LogFilter,
    before: Option<i64>,
    header: bool,
}

impl Export {
    /// The next page's rows (after the header, first), and whether more may follow.
    async fn next_page(&mut self) -> sqlx::Result<(Bytes, bool)> {
        let (rows, attempts) = delivery_pages::page(
            &self.db,
            self.campaign.0,
            &self.filter,
            self.before,
            EXPORT_PAGE,
        )
        .await?;
        let full = rows.len() == usize::try_from(EXPORT_PAGE).unwrap_or(usize::MAX);
        self.before = rows.last().map(|r| r.id);
        let mut out = String::new();
        if std::mem::take(&mut self.header) {
            csv::row(&mut out, HEADER);
        }
        for d in deliveries_out(rows, attempts) {
            let last = d.attempts.last();
            let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
            csv::row(
                &mut out,
                [
                    d.webhook_id.as_str(),
                    d.status.as_str(),
                    &d.users.to_string(),
                    &d.attempts.len().to_string(),
                    &number(last.and_then(|a| a.status).map(u64::from)),
                    &number(last.and_then(|a| a.latency_ms)),
                    last.and_then(|a| a.error.as_deref()).unwrap_or_default(),
                    d.failure_reason.as_deref().unwrap_or_default(),
                    &csv::timestamp(Some(d.created_at)),
                    &csv::timestamp(d.finished_at),
                ],
            );
        }
        Ok((Bytes::from(out), full))
    }
}

fn text(status: StatusCode, message: &'static str) -> Response {
    (status, message).into_response()
}
