//! Linked content compiled for a campaign run: its URL, header values and body as Liquid templates of
//! the user's variables, rendered into a request per user and fetched (through the cache).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use app::model::FieldErrors;
use app::model::linked::{LinkedContentIn, LinkedMethod};
use liquid_core::model::Object;
use reqwest::Method;

use super::fetch::{Fetched, Fetcher, LinkedRequest};
use crate::render::liquid::{self, Namespace, Template, Variables};
use crate::render::variables;
use crate::store::Db;
use crate::store::named::{LINKED_CONTENT, NamedRow};

pub struct CompiledLinked {
    pub name: String,
    method: LinkedMethod,
    url: Template,
    headers: Vec<(String, Template)>,
    body: Option<Template>,
    cache_for: Duration,
    timeout: Duration,
}

impl CompiledLinked {
    /// Compile errors are keyed by field (`url`, `headers.{i}.value`, `body`).
    pub fn compile(input: &LinkedContentIn) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut compile = |field: String, source: &str| {
            liquid::compile(source)
                .map_err(|e| errors.add(field, e.to_string()))
                .ok()
        };
        let url = compile("url".into(), input.url.trim());
        let headers: Vec<(String, Option<Template>)> = input
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let value = compile(format!("headers.{i}.value"), &h.value);
                (h.name.trim().to_owned(), value)
            })
            .collect();
        let body = (!input.body.trim().is_empty())
            .then(|| compile("body".into(), &input.body))
            .flatten();
        errors.into_result()?;
        Ok(Self {
            name: input.name.trim().to_owned(),
            method: input.method,
            url: url.ok_or_else(FieldErrors::default)?,
            headers: headers
                .into_iter()
                .filter_map(|(name, value)| Some((name, value?)))
                .collect(),
            body,
            cache_for: Duration::from_secs(u64::from(input.cache_secs)),
            timeout: Duration::from_millis(u64::from(input.timeout_ms)),
        })
    }

    /// The request for a user with these `variables`.
    pub fn request(&self, variables: &Variables) -> Result<LinkedRequest, String> {
        let render = |what: &str, t: &Template| {
            liquid::render(t, variables).map_err(|e| format!("its {what}: {e}"))
        };
        let url = render("URL", &self.url)?.trim().to_owned();
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| Ok((name.clone(), render("header", value)?)))
            .collect::<Result<Vec<_>, String>>()?;
        let body = match &self.body {
            Some(template) => {
                let body = render("body", template)?;
                let content_type = if serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok() {
                    "application/json"
                } else {
                    "text/plain; charset=utf-8"
                };
                Some((content_type, body.into_bytes()))
            }
            None => None,
        };
        let method = match self.method {
            LinkedMethod::Get => Method::GET,
            LinkedMethod::Post => Method::POST,
        };
        Ok(LinkedRequest {
            method,
            url,
            headers,
            body,
        })
    }

    /// The answer for a user with these `variables`; the error names the content and says why.
    pub async fn fetch(
        &self,
        fetcher: Fetcher<'_>,
        variables: &Variables,
    ) -> Result<(LinkedRequest, Arc<Fetched>), String> {
        let failed = |e: String| format!("Linked content \u{201c}{}\u{201d}: {e}", self.name);
        let request = self.request(variables).map_err(failed)?;
        let fetched = fetcher
            .fetch(&request, self.cache_for, self.timeout)
            .await
            .map_err(failed)?;
        Ok((request, fetched))
    }
}

/// The linked content a campaign's templates name, compiled once per run.
#[derive(Default)]
pub struct LinkedSet(Vec<CompiledLinked>);

impl LinkedSet {
    /// The saved linked content among `names`. A name with none is left out, and so is one whose
    /// definition cannot be used (logged): a template that uses it fails for each user with a reason
    /// (saving checks names, but content can be deleted later).
    pub async fn load(db: &Db, names: &BTreeSet<String>) -> sqlx::Result<Self> {
        if names.is_empty() {
            return Ok(Self::default());
        }
        let names: Vec<String> = names.iter().cloned().collect();
        let rows = LINKED_CONTENT.with_names(db, &names).await?;
        let usable = rows.iter().filter_map(|row| {
            let compiled = parse(row).and_then(|input| {
                CompiledLinked::compile(&input)
                    .map_err(|e| format!("linked content {} does not compile: {e:?}", row.id))
            });
            compiled
                .inspect_err(|e| tracing::error!(error = %e, "linked content left out of a run"))
                .ok()
        });
        Ok(Self(usable.collect()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Linked` for a user whose other variables are `variables`: each content's answer, fetched.
    pub async fn values(
        &self,
        fetcher: Fetcher<'_>,
        variables: &Variables,
    ) -> Result<Namespace, String> {
        let mut values = Object::new();
        for content in &self.0 {
            let (_, fetched) = content.fetch(fetcher, variables).await?;
            let (value, _) = variables::answer(fetched.body.as_bytes());
            values.insert(content.name.clone().into(), value);
        }
        Ok(Namespace::strict(values))
    }
}

/// A saved row's definition.
pub fn parse(row: &NamedRow) -> Result<LinkedContentIn, String> {
    serde_json::from_str(&row.definition)
        .map_err(|e| format!("linked content {} cannot be read: {e}", row.id))
}
