//! The wizard's helpers: what to choose from, the live reach estimate, and the exact request a campaign
//! would make (previewed, or sent once as a test).

use app::model::campaign::{CampaignDraft, ContentType, WizardStep};
use app::model::campaign_report::{
    PreviewOut, PreviewUser, ReachOut, TemplateChoice, WizardOptionsOut,
};
use app::model::local_time::format_date;
use app::model::segment::Segment;
use app::model::webhook::{Header, TestResultOut};
use app::model::{CampaignId, FieldErrors};

use super::run;
use super::target::{self, Target};
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::linked::compiled::LinkedSet;
use crate::outbound::OutboundRequest;
use crate::outgoing::Credentials;
use crate::render::payload::TriggeringEvent;
use crate::render::pretty;
use crate::saved_segments;
use crate::segments::{self, Found};
use crate::store::{self, outbox, templates as template_table};
use crate::templates::stored::{Template, summary_from_row};
use crate::templates::{self};
use crate::time::recurring;
use crate::time::zone_clock::zone_clock;

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
    let now = engine.clock.now_ms();
    let local_now = recurring::local(now, &engine.zone)
        .map(|(date, (h, m))| format!("{}T{h:02}:{m:02}", format_date(date)))
        .unwrap_or_default();
    Ok(WizardOptionsOut {
        templates,
        event_names,
        time_zone: engine.config.time_zone.clone(),
        batch_size: engine.config.batch_size,
        clock: zone_clock(&engine.config.time_zone, &engine.zone, now),
        local_now,
    })
}

pub async fn reach(engine: &Engine, segment: Segment, cap: Option<u32>) -> EngineResult<ReachOut> {
    let mut errors = FieldErrors::default();
    segment.check("segment", &mut errors);
    errors.into_result()?;
    let draft = CampaignDraft {
        who: app::model::campaign::Who {
            segment,
            cap,
            ..Default::default()
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

/// A request as it would be sent to one user.
struct Sample {
    template: Template,
    request: OutboundRequest,
    personal: bool,
    /// Why this user would not be sent anything.
    problem: Option<String>,
    user: Option<PreviewUser>,
    reach: ReachOut,
}

/// The request for user `user`, or for the first who qualifies now.
async fn sample(
    engine: &Engine,
    id: CampaignId,
    mut draft: CampaignDraft,
    user: Option<i64>,
    is_test: bool,
) -> EngineResult<Sample> {
    saved_segments::refresh_copy(engine, &mut draft).await?;
    let draft = &draft;
    draft.check_through(WizardStep::What)?;
    let content = super::content::checked(&engine.db, id.0, draft).await?;
    let template_id = draft
        .template_id
        .ok_or_else(|| EngineError::internal("a checked draft without a template"))?;
    let template = target::template(&engine.db, &engine.secrets, template_id)
        .await
        .map_err(|e| EngineError::field("template_id", format!("{e}.")))?;
    let url = target::with_query(&template.url, &draft.what.query)
        .map_err(|e| EngineError::field("template_id", format!("{e}.")))?;
    let found = evaluate(engine, draft, 1).await;
    let reach = reach_out(draft, &found);
    let chosen: Vec<i64> = user.into_iter().chain(found.profile_ids).take(1).collect();
    let recipient = outbox::recipients_with_ids(&engine.db, &chosen)
        .await?
        .into_iter()
        .next();
    if user.is_some() && recipient.is_none() {
        return Err(EngineError::field("user", "This user no longer exists."));
    }
    let linked = LinkedSet::load(&engine.db, content.linked()).await?;
    // A live campaign's request carries its trigger: the user's latest such event, or one without
    // properties when they have none yet.
    let trigger = draft.live.trigger.event.trim();
    let event_data = match &recipient {
        Some(r) if draft.is_live() => Some(
            store::live::latest_event_data(&engine.db, r.id, trigger)
                .await?
                .unwrap_or_else(|| "{}".to_owned()),
        ),
        _ => None,
    };
    let event = event_data.as_deref().map(|data| TriggeringEvent {
        name: trigger,
        data,
    });
    let rendered = match &recipient {
        Some(r) if content.personal() || event.is_some() => {
            run::render_with_linked(engine.fetcher(), &content, &linked, r, event, is_test).await
        }
        Some(r) => content.batch(std::slice::from_ref(r), is_test),
        None => content.batch(&[], is_test),
    };
    let (query, body, problem) = match rendered {
        Ok(r) => (Some(r.query), r.body, r.invalid_json),
        Err(e) => (None, Vec::new(), Some(e)),
    };
    let webhook_id = if is_test { "msg_test" } else { "msg_preview" };
    let target = Target {
        host: None,
        template,
        url,
        content_type: content.content_type(),
    };
    let request = target.request(webhook_id, query.as_deref(), &body);
    Ok(Sample {
        template: target.template,
        request,
        personal: content.personal(),
        problem,
        user: recipient.as_ref().map(PreviewUser::from),
        reach,
    })
}

pub async fn preview(
    engine: &Engine,
    id: CampaignId,
    draft: CampaignDraft,
    user: Option<i64>,
) -> EngineResult<PreviewOut> {
    let Sample {
        template,
        mut request,
        personal,
        problem,
        user,
        reach,
    } = sample(engine, id, draft, user, false).await?;
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
    let (body, json_valid) = match &request.body {
        Some((content_type, body)) => {
            headers.push(Header {
                name: "Content-Type".into(),
                value: (*content_type).to_owned(),
            });
            shown_body(content_type, body)
        }
        None => (String::new(), None),
    };
    Ok(PreviewOut {
        method: request.method.to_string(),
        url: request.url,
        headers,
        body,
        personal,
        json_valid,
        problem,
        user,
        reach,
    })
}

/// The body as a person reads it: JSON pretty-printed (and whether it parsed), text as it is.
fn shown_body(content_type: &str, body: &[u8]) -> (String, Option<bool>) {
    let text = String::from_utf8_lossy(body).into_owned();
    if content_type != ContentType::Json.mime() {
        return (text, None);
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Ok(_) => (pretty::indent(&text), Some(true)),
        Err(_) => (text, Some(false)),
    }
}

/// Sends the request for user `user` (or the first who qualifies), marked `"is_test": true` when it
/// carries Profile variables. A request that would not be sent (invalid JSON, a failed linked
/// content) is not sent now either: the error says why.
pub async fn send_test(
    engine: &Engine,
    id: CampaignId,
    draft: CampaignDraft,
    user: Option<i64>,
) -> EngineResult<TestResultOut> {
    let sample = sample(engine, id, draft, user, true).await?;
    if let Some(problem) = sample.problem {
        return Err(EngineError::conflict(format!(
            "Not sent: this user would not be sent anything. {problem}"
        )));
    }
    templates::send_test_request(engine, &sample.template, sample.request, "").await
}

/// Up to ten users whose identity or e-mail starts with `text`, to preview for.
pub async fn find_users(engine: &Engine, text: String) -> EngineResult<Vec<PreviewUser>> {
    let found = outbox::search_recipients(&engine.db, &text, 10).await?;
    Ok(found.iter().map(PreviewUser::from).collect())
}

/// `Basic ••••••••`: the scheme stays visible, the credentials do not.
fn mask(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} ••••••••"),
        None => "••••••••".to_owned(),
    }
}
