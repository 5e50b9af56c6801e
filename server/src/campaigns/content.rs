//! The server's checks of a draft's content, beyond the model's: its Liquid compiles (the error at
//! its field and line), it uses no `Event` variable (only live campaigns have a triggering event), the
//! linked content it names exists, and content that is the same for every user renders (as valid
//! JSON when it is JSON).

use app::model::FieldErrors;
use app::model::campaign::{BodyFormat, CampaignDraft};

use crate::error::EngineResult;
use crate::render::content::Content;
use crate::render::liquid::uses;
use crate::store::Db;
use crate::store::named::LINKED_CONTENT;

/// The draft's content compiled, or why it cannot be sent.
pub async fn checked(db: &Db, id: i64, draft: &CampaignDraft) -> EngineResult<Content> {
    let content = Content::compile(id, &draft.name, &draft.what)?;
    let mut errors = FieldErrors::default();
    if !draft.is_live()
        && let Some(field) = event_field(draft)
    {
        errors.add(
            field,
            "Event variables hold the event that triggers a live campaign; this campaign is sent at a time, so it has none. Use Profile variables.",
        );
    }
    let wanted: Vec<String> = content.linked().iter().cloned().collect();
    if !wanted.is_empty() {
        let saved = LINKED_CONTENT.with_names(db, &wanted).await?;
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|name| !saved.iter().any(|row| &row.name == *name))
            .collect();
        if let Some(name) = missing.first() {
            errors.add(
                linked_field(draft, name),
                format!(
                    "There is no linked content named \u{201c}{name}\u{201d}: add it under Settings \u{2192} Linked content, or fix the name."
                ),
            );
        }
    }
    if !content.personal() {
        match content.batch(&[], false) {
            Ok(rendered) => {
                if let Some(problem) = rendered.invalid_json {
                    errors.add("what.template", problem);
                }
            }
            Err(problem) => errors.add(first_field_failing(draft, &problem), problem),
        }
    }
    errors.into_result()?;
    Ok(content)
}

/// The first field that uses an `Event` variable.
fn event_field(draft: &CampaignDraft) -> Option<String> {
    let what = &draft.what;
    if what.format == BodyFormat::Custom && uses::of(&what.template).event {
        return Some("what.template".into());
    }
    what.query
        .iter()
        .position(|p| uses::of(&p.value).event)
        .map(|i| format!("what.query.{i}.value"))
}

/// Where a render error of content that is the same for everyone comes from: a query parameter's
/// message names it (`Query parameter <name>: …`), anything else is the body's.
fn first_field_failing(draft: &CampaignDraft, problem: &str) -> String {
    draft
        .what
        .query
        .iter()
        .position(|p| problem.starts_with(&format!("Query parameter {}: ", p.name.trim())))
        .map_or_else(
            || "what.template".to_owned(),
            |i| format!("what.query.{i}.value"),
        )
}

/// The field that names `Linked.<name>`: the body, or the first query value using it.
fn linked_field(draft: &CampaignDraft, name: &str) -> String {
    draft
        .what
        .query
        .iter()
        .position(|p| uses::of(&p.value).linked.contains(name))
        .filter(|_| {
            draft.what.format != BodyFormat::Custom
                || !uses::of(&draft.what.template).linked.contains(name)
        })
        .map_or_else(
            || "what.template".to_owned(),
            |i| format!("what.query.{i}.value"),
        )
}
