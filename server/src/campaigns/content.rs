//! The server's checks of a draft's content, beyond the model's: its Liquid compiles (the error at
//! its field and line), the linked content it names exists, and a JSON body that is the same for
//! every user renders as valid JSON.

use app::model::FieldErrors;
use app::model::campaign::{BodyFormat, CampaignDraft, ContentType};

use crate::Engine;
use crate::error::EngineResult;
use crate::render::content::Content;
use crate::render::liquid::uses;
use crate::store::named::LINKED_CONTENT;

/// The draft's content compiled, or why it cannot be sent.
pub async fn checked(engine: &Engine, id: i64, draft: &CampaignDraft) -> EngineResult<Content> {
    let content = Content::compile(id, &draft.name, &draft.what)?;
    let mut errors = FieldErrors::default();
    let wanted: Vec<String> = content.linked().iter().cloned().collect();
    if !wanted.is_empty() {
        let saved = LINKED_CONTENT.with_names(&engine.db, &wanted).await?;
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
    if !content.personal()
        && draft.what.format == BodyFormat::Custom
        && draft.what.content_type == ContentType::Json
        && let Ok(rendered) = content.batch(&[], false)
        && let Some(problem) = rendered.invalid_json
    {
        errors.add("what.template", problem);
    }
    errors.into_result()?;
    Ok(content)
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
