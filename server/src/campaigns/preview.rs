//! The wizard's helpers: what to choose from, the live reach estimate, and the exact request a campaign
//! would make (previewed, or sent once as a test).

use app::model::campaign::{CampaignDraft, WizardStep};
use app::model::campaign_report::{PreviewOut, ReachOut, TemplateChoice, WizardOptionsOut};
use app::model::segment::Segment;
use app::model::webhook::{Header, TestResultOut};
use app::model::{CampaignId, FieldErrors};

use super::target::{self, Target};
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::outbound::OutboundRequest;
use crate::outgoing::Credentials;
use crate::render::payload::{self, PayloadSpec};
use crate::saved_segments;
use crate::segments::{self, Found};
use crate::store::{self, outbox, templates as template_table};
use crate::templates::stored::{Template, summary_from_row};
use crate::templates::{self};

/// Users shown in a preview (and sent in a test request).
const SAMPLE_USERS: usize = 3;

pub async fn options(engine: &Engine) -> EngineResult<WizardOptionsOut> {
    let templates = template_table::list(&engine.db)
        .await?
        .into_iter()
        .filter_map(|row| summary_from_row(row).ok())
        .map(|t| TemplateChoice {
            id: t.id,
            name: t.name,
            method: t.method.as_str().to_owned(),
            url: t.url,
        })
        .collect();
    let event_names = store::segments::event_names(&engine.db).await?;
    Ok(WizardOptionsOut {
        templates,
        event_names,
        time_zone: engine.config.time_zone.clone(),
        batch_size: engine.config.batch_size,
    })
}

pub async fn reach(engine: &Engine, segment: Segment, cap: Option<u32>) -> EngineResult<ReachOut> {
    let mut errors = FieldErrors::default();
    segment.check("segment", &mut errors);
    errors.into_result()?;
    let draft = CampaignDraft {
        who: app::model::campaign::Who {
            segment,
            segment_id: None,
            cap,
        },
        ..Default::default()
    };
    Ok(reach_out(&draft, &evaluate(engine, &draft, 0).await))
}

/// Who the draft's segment holds now: the reach, and the first `sample` of them.
async fn evaluate(engine: &Engine, draft: &CampaignDraft, sample: usize) -> Found {
    segments::find(
        engine.segment_index.clone(),
        draft.who.segment.clone(),
        engine.clock.now_ms(),
        engine.zone.clone(),
        sample,
    )
    .await
}

fn reach_out(draft: &CampaignDraft, found: &Found) -> ReachOut {
    let qualifying = found.count;
    let targeted = draft
        .who
        .cap
        .map_or(qualifying, |cap| qualifying.min(u64::from(cap)));
    ReachOut {
        qualifying,
        targeted,
    }
}

pub async fn event_properties(engine: &Engine, event: String) -> EngineResult<Vec<String>> {
    Ok(store::segments::event_properties(&engine.db, event.trim()).await?)
}

/// A request as it would be sent, for a sample of the users who qualify now.
struct Sample {
    template: Template,
    request: OutboundRequest,
    users: u32,
    reach: ReachOut,
}

async fn sample(
    engine: &Engine,
    id: CampaignId,
    mut draft: CampaignDraft,
    is_test: bool,
) -> EngineResult<Sample> {
    saved_segments::refresh_copy(engine, &mut draft).await?;
    let draft = &draft;
    draft.check_through(WizardStep::What)?;
    let template_id = draft
        .template_id
        .ok_or_else(|| EngineError::internal("a checked draft without a template"))?;
    let template = target::template(&engine.db, &engine.secrets, template_id)
        .await
        .map_err(|e| EngineError::field("template_id", format!("{e}.")))?;
    let url = target::with_query(&template.url, &draft.what.query)
        .map_err(|e| EngineError::field("template_id", format!("{e}.")))?;
    let found = evaluate(engine, draft, SAMPLE_USERS).await;
    let recipients = outbox::recipients_with_ids(&engine.db, &found.profile_ids).await?;
    let reach = reach_out(draft, &found);
    let spec = PayloadSpec::new(id.0, &draft.what);
    let body = payload::body(&spec, &recipients, is_test);
    let webhook_id = if is_test { "msg_test" } else { "msg_preview" };
    let target = Target { template, url };
    let request = target.request(webhook_id, &body);
    Ok(Sample {
        template: target.template,
        request,
        users: u32::try_from(recipients.len()).unwrap_or(u32::MAX),
        reach,
    })
}

pub async fn preview(
    engine: &Engine,
    id: CampaignId,
    draft: CampaignDraft,
) -> EngineResult<PreviewOut> {
    let Sample {
        template,
        mut request,
        users,
        reach,
    } = sample(engine, id, draft, false).await?;
    if matches!(template.auth, Credentials::OAuth2(_)) {
        // The token itself is requested when sending.
        request
            .headers
            .push(("Authorization".to_owned(), "Bearer <token>".to_owned()));
    }
    let mut headers: Vec<Header> = request
        .headers
        .iter()
        .map(|(name, value)| Header {
            name: name.clone(),
            value: if name.eq_ignore_ascii_case("authorization") {
                mask(value)
            } else {
                value.clone()
            },
        })
        .collect();
    let body = match &request.body {
        Some((content_type, body)) => {
            headers.push(Header {
                name: "Content-Type".into(),
                value: (*content_type).to_owned(),
            });
            serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_default()
        }
        None => String::new(),
    };
    Ok(PreviewOut {
        method: request.method.to_string(),
        url: request.url,
        headers,
        body,
        sample_users: users,
        reach,
    })
}

/// Sends the sample request with `"is_test": true`.
pub async fn send_test(
    engine: &Engine,
    id: CampaignId,
    draft: CampaignDraft,
) -> EngineResult<TestResultOut> {
    let sample = sample(engine, id, draft, true).await?;
    templates::send_test_request(engine, &sample.template, sample.request, "").await
}

/// `Basic ••••••••`: the scheme stays visible, the credentials do not.
fn mask(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ••••••••"),
        None => "••••••••".to_owned(),
    }
}
