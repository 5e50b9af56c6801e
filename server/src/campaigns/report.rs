//! The campaign page's data: statistics, its runs (a live campaign's days), failures grouped by
//! reason, and the delivery log with every attempt.

use std::collections::BTreeMap;

use app::model::CampaignId;
use app::model::campaign::{CampaignOut, CampaignStats};
use app::model::campaign_report::{
    CampaignReportOut, DELIVERY_LOG_LIMIT, FailureReasonOut, LIVE_DAYS, LiveDayOut, RUNS_LIMIT,
    RunOut,
};
use app::model::circuit::CircuitOut;
use app::model::local_time::format_date;
use app::model::time_fmt::ZoneClock;

use super::get;
use crate::Engine;
use crate::breaker::host_of;
use crate::error::EngineResult;
use crate::store::deliveries;
use crate::store::delivery_pages::{self, LogFilter};
use crate::store::{self, Db};
use crate::time::zone_clock::zone_clock;

pub async fn report(engine: &Engine, id: CampaignId) -> EngineResult<CampaignReportOut> {
    let campaign = get(engine, id).await?;
    let failures = deliveries::failures_by_reason(&engine.db, id.0)
        .await?
        .into_iter()
        .map(|f| FailureReasonOut {
            reason: f.reason,
            requests: u64::try_from(f.requests).unwrap_or(0),
            users: u64::try_from(f.users).unwrap_or(0),
        })
        .collect();
    let (rows, attempts) = delivery_pages::page(
        &engine.db,
        id.0,
        &LogFilter::default(),
        None,
        DELIVERY_LOG_LIMIT,
    )
    .await?;
    let deliveries = super::delivery_log::deliveries_out(rows, attempts);
    let now = engine.clock.now_ms();
    let clock = zone_clock(&engine.config.time_zone, &engine.zone, now);
    let (runs, days) = if campaign.draft.is_live() {
        let since = now - LIVE_DAYS * 86_400_000;
        (
            Vec::new(),
            live_days(&engine.db, id.0, &clock, since).await?,
        )
    } else {
        (runs(&engine.db, &campaign).await?, Vec::new())
    };
    let circuit = open_circuit(engine, &campaign).await?;
    let activity = super::charts::activity(&engine.db, id.0, &clock).await?;
    let latency = super::charts::latency(&engine.db, id.0).await?;
    Ok(CampaignReportOut {
        activity,
        latency,
        circuit,
        campaign,
        failures,
        deliveries,
        runs,
        days,
        clock,
    })
}

/// The circuit of the campaign's destination host, when it is open.
async fn open_circuit(engine: &Engine, campaign: &CampaignOut) -> EngineResult<Option<CircuitOut>> {
    let Some(template) = campaign.draft.template_id else {
        return Ok(None);
    };
    let Some(row) = store::templates::get(&engine.db, template.0).await? else {
        return Ok(None);
    };
    let Some(host) = host_of(&row.url) else {
        return Ok(None);
    };
    let circuit = crate::templates::circuit::of_host(&engine.breakers, host);
    Ok(circuit.open.is_some().then_some(circuit))
}

/// The campaign's latest runs with their statistics and conversions.
async fn runs(db: &Db, campaign: &CampaignOut) -> EngineResult<Vec<RunOut>> {
    let conversions = super::conversions_by_run(db, campaign).await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(store::runs::list(db, campaign.id.0, RUNS_LIMIT)
        .await?
        .into_iter()
        .map(|r| {
            let converted = conversions.get(&r.id).copied().unwrap_or_default();
            RunOut {
                number: u32::try_from(r.number).unwrap_or(0),
                scheduled_at: r.scheduled_at,
                started_at: r.started_at,
                stats: CampaignStats {
                    targeted: count(r.targeted_users),
                    control: count(r.control_users),
                    conversions: converted.sent,
                    control_conversions: converted.control,
                    sent: count(r.sent_users),
                    delivered: count(r.delivered_users),
                    failed: count(r.failed_users),
                    requests: count(r.requests),
                    pending_requests: count(r.pending_requests),
                },
            }
        })
        .collect())
}

/// A live campaign's triggers received from `since` (unix ms), by local day, newest first.
async fn live_days(
    db: &Db,
    id: i64,
    clock: &ZoneClock,
    since: i64,
) -> EngineResult<Vec<LiveDayOut>> {
    let mut days: BTreeMap<String, LiveDayOut> = BTreeMap::new();
    for (bucket, state, n) in store::live::triggers_by_bucket(db, id, since).await? {
        let (date, _) = clock.local(bucket);
        let day = format_date(date);
        let entry = days.entry(day.clone()).or_insert_with(|| LiveDayOut {
            day,
            triggered: 0,
            sent: 0,
            control: 0,
            skipped: 0,
            waiting: 0,
        });
        let n = u64::try_from(n).unwrap_or(0);
        entry.triggered += n;
        match state.as_str() {
            "sent" => entry.sent += n,
            "control" => entry.control += n,
            "skipped" => entry.skipped += n,
            _ => entry.waiting += n,
        }
    }
    Ok(days.into_values().rev().collect())
}
