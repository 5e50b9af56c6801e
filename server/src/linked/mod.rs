//! Linked content: named external sources fetched for each user at send time (`Linked.<name>` in
//! templates). Saving checks the fields and compiles the templates; a test fetch renders the request
//! for a chosen user and shows the answer; deleting is refused while a campaign that may still run
//! uses it.

pub mod compiled;
pub mod fetch;

use app::model::LinkedId;
use app::model::campaign::CampaignDraft;
use app::model::campaign_report::PreviewUser;
use app::model::linked::{LinkedContentIn, LinkedContentOut, LinkedTestOut};

use self::compiled::CompiledLinked;
use crate::Engine;
use crate::error::{EngineError, EngineResult};
use crate::quoted::quoted_list;
use crate::render::liquid::Variables;
use crate::render::variables;
use crate::store::named::{LINKED_CONTENT, NamedRow};
use crate::store::{Db, campaigns as campaign_table, outbox};

pub async fn list(engine: &Engine) -> EngineResult<Vec<LinkedContentOut>> {
    let rows = LINKED_CONTENT.list(&engine.db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match out(row) {
            Ok(out) => Some(out),
            Err(e) => {
                tracing::error!(error = %e, "linked content left out of the list");
                None
            }
        })
        .collect())
}

pub async fn get(engine: &Engine, id: LinkedId) -> EngineResult<LinkedContentOut> {
    let row = LINKED_CONTENT
        .get(&engine.db, id.0)
        .await?
        .ok_or_else(|| not_found(id))?;
    out(row).map_err(EngineError::Internal)
}

pub async fn create(engine: &Engine, input: LinkedContentIn) -> EngineResult<LinkedContentOut> {
    let input = checked(input)?;
    let id = LINKED_CONTENT
        .insert(
            &engine.db,
            &input.name,
            &definition(&input),
            engine.clock.now_ms(),
        )
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    tracing::info!(linked = id, "linked content created");
    get(engine, LinkedId(id)).await
}

pub async fn update(
    engine: &Engine,
    id: LinkedId,
    input: LinkedContentIn,
) -> EngineResult<LinkedContentOut> {
    let input = checked(input)?;
    let current = LINKED_CONTENT
        .get(&engine.db, id.0)
        .await?
        .ok_or_else(|| not_found(id))?;
    if current.name != input.name {
        refuse_if_used(&engine.db, &current.name, "renamed").await?;
    }
    let updated = LINKED_CONTENT
        .update(
            &engine.db,
            id.0,
            &input.name,
            &definition(&input),
            engine.clock.now_ms(),
        )
        .await
        .map_err(|e| EngineError::or_name_taken(e, NAME_TAKEN))?;
    if !updated {
        return Err(not_found(id));
    }
    get(engine, id).await
}

pub async fn delete(engine: &Engine, id: LinkedId) -> EngineResult<()> {
    let row = LINKED_CONTENT
        .get(&engine.db, id.0)
        .await?
        .ok_or_else(|| not_found(id))?;
    refuse_if_used(&engine.db, &row.name, "deleted").await?;
    if !LINKED_CONTENT.delete(&engine.db, id.0).await? {
        return Err(not_found(id));
    }
    tracing::info!(linked = id.0, "linked content deleted");
    Ok(())
}

/// Renders `input`'s request for user `user` (the first profile when `None`) and fetches it now,
/// bypassing the cache.
pub async fn test(
    engine: &Engine,
    input: LinkedContentIn,
    user: Option<i64>,
) -> EngineResult<LinkedTestOut> {
    let mut input = checked(input)?;
    input.cache_secs = 0;
    let compiled = CompiledLinked::compile(&input)?;
    let recipient = match user {
        Some(id) => outbox::recipients_with_ids(&engine.db, &[id]).await?,
        None => outbox::search_recipients(&engine.db, "", 1).await?,
    }
    .into_iter()
    .next()
    .ok_or_else(|| {
        EngineError::field(
            "user",
            "There are no users yet: upload profiles first, then test with one of them.",
        )
    })?;
    let variables = Variables {
        profile: variables::profile(&recipient),
        ..Default::default()
    };
    let (request, fetched) = compiled
        .fetch(engine.fetcher(), &variables)
        .await
        .map_err(|e| EngineError::field("test", e))?;
    let (_, is_json) = variables::answer(fetched.body.as_bytes());
    let value = if is_json {
        crate::render::pretty::indent(&fetched.body)
    } else {
        fetched.body.clone()
    };
    Ok(LinkedTestOut {
        user: PreviewUser::from(&recipient).label(),
        method: request.method.to_string(),
        url: request.url,
        status: fetched.status,
        latency_ms: u64::try_from(fetched.latency.as_millis()).unwrap_or(u64::MAX),
        is_json,
        value,
    })
}

/// `input` checked, with its name and URL trimmed and its templates compiled; every field's problem
/// at once (a compile error only where the shape was right).
fn checked(mut input: LinkedContentIn) -> EngineResult<LinkedContentIn> {
    let mut errors = input.validate().err().unwrap_or_default();
    input.name = input.name.trim().to_owned();
    input.url = input.url.trim().to_owned();
    if let Err(compile) = CompiledLinked::compile(&input) {
        for (field, messages) in compile.0 {
            if errors.get(&field).is_none() {
                for message in messages {
                    errors.add(field.clone(), message);
                }
            }
        }
    }
    errors.into_result()?;
    Ok(input)
}

/// A conflict if a campaign that may still run uses `Linked.<name>` (it would fail every user).
async fn refuse_if_used(db: &Db, name: &str, change: &str) -> EngineResult<()> {
    let users = campaigns_using(db, name).await?;
    if users.is_empty() {
        return Ok(());
    }
    Err(EngineError::conflict(format!(
        "Campaigns use Linked.{name} ({}), so it cannot be {change}. Change their content, or delete them, first.",
        quoted_list(&users)
    )))
}

/// The names of the campaigns that may still run (draft, scheduled, preparing, running) whose
/// templates name `Linked.<name>`.
async fn campaigns_using(db: &Db, name: &str) -> EngineResult<Vec<String>> {
    let rows = campaign_table::list(db).await?;
    Ok(rows
        .into_iter()
        .filter(|row| !matches!(row.status.as_str(), "completed" | "stopped"))
        .filter(|row| {
            serde_json::from_str::<CampaignDraft>(&row.definition)
                .is_ok_and(|draft| draft.what.uses().linked.contains(name))
        })
        .map(|row| row.name)
        .collect())
}

fn definition(input: &LinkedContentIn) -> String {
    serde_json::to_string(input).unwrap_or_default()
}

fn out(row: NamedRow) -> Result<LinkedContentOut, String> {
    Ok(LinkedContentOut {
        id: LinkedId(row.id),
        content: compiled::parse(&row)?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn not_found(id: LinkedId) -> EngineError {
    EngineError::not_found(format!("There is no linked content {id}."))
}

const NAME_TAKEN: &str = "Another linked content has this name.";
