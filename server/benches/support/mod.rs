//! What the dispatch and publish benchmarks share: users who launched the app, and a campaign to them
//! through a template posting to a given URL.

#[path = "custom_body.rs"]
pub mod custom_body;

use app::model::campaign::{CampaignDraft, CampaignOut};
use app::model::segment::{Did, Rule, Segment};
use app::model::webhook::WebhookTemplateIn;
use server::{Engine, campaigns, templates};

const USERS_PER_UPLOAD: usize = 1000;

/// Ingests `users` users, each with one `App Launched` event and, `with_profiles`, a profile
/// (`custom_body::profile_data`).
pub async fn ingest_launches(
    engine: &Engine,
    users: usize,
    with_profiles: bool,
) -> anyhow::Result<()> {
    // An upload holds at most 1,000 records: with profiles, half as many users.
    let per_upload = if with_profiles {
        USERS_PER_UPLOAD / 2
    } else {
        USERS_PER_UPLOAD
    };
    for first in (0..users).step_by(per_upload) {
        let mut records: Vec<String> = Vec::new();
        for u in first..(first + per_upload).min(users) {
            if with_profiles {
                records.push(format!(
                    r#"{{"identity":"user-{u}","ts":1790000000,"type":"profile","profileData":{}}}"#,
                    custom_body::profile_data(u)
                ));
            }
            records.push(format!(
                r#"{{"identity":"user-{u}","ts":1790000000,"type":"event","evtName":"App Launched","evtData":{{"os":"ios"}}}}"#
            ));
        }
        let body = format!(r#"{{"d":[{}]}}"#, records.join(","));
        engine
            .ingestor
            .upload(body.as_bytes())
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    Ok(())
}

/// A draft campaign to everyone who launched the app, through a new template posting to `url`.
pub async fn campaign_to_launchers(engine: &Engine, url: &str) -> anyhow::Result<CampaignOut> {
    let template = templates::create(
        engine,
        WebhookTemplateIn {
            name: "Bench".into(),
            url: url.into(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut draft = CampaignDraft {
        name: "Bench".into(),
        template_id: Some(template.template.id),
        ..Default::default()
    };
    draft.who.segment = Segment::of(Rule::Did(Did {
        event: "App Launched".into(),
        ..Default::default()
    }));
    campaigns::create(engine, draft)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}
