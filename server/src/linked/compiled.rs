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
    /// The scheme and host the URL is written with (saving refuses Liquid in them): a rendered URL
    /// must keep them, so a profile value cannot send the request (and its headers) elsewhere.
    origin: Option<(String, String)>,
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
            origin: written_origin(input.url.trim()),
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
        self.check_origin(&url)?;
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

    /// A rendered URL is an http(s) URL, on the written scheme and host if there are any.
    fn check_origin(&self, url: &str) -> Result<(), String> {
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| format!("its URL {url:?} is not valid after rendering: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "its URL {url:?} is not an http(s) URL after rendering"
            ));
        }
        if let Some((scheme, host)) = &self.origin {
            let rendered_host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
            if parsed.scheme() != scheme || &rendered_host != host {
                return Err(format!(
                    "its URL must stay on {scheme}://{host}, but the user's values made it {url:?}"
                ));
            }
        }
        Ok(())
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

/// The scheme and host of `url` as written, when they hold no Liquid.
fn written_origin(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if scheme.contains('{') || authority.contains('{') || authority.contains('%') {
        return None;
    }
    let parsed = reqwest::Url::parse(&format!("{scheme}://{authority}/")).ok()?;
    Some((
        parsed.scheme().to_owned(),
        parsed.host_str()?.to_ascii_lowercase(),
    ))
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

#[cfg(test)]
mod tests {
    use liquid_core::model::Value;

    use super::*;

    /// Compiles without the model's checks (as a definition saved earlier would be).
    fn compiled(url: &str) -> CompiledLinked {
        CompiledLinked::compile(&LinkedContentIn {
            name: "w".into(),
            url: url.into(),
            ..Default::default()
        })
        .ok()
        .unwrap()
    }

    fn variables(region: &str) -> Variables {
        let mut profile = Object::new();
        profile.insert("Region".into(), Value::scalar(region.to_owned()));
        Variables {
            profile: Namespace::lax(profile),
            ..Default::default()
        }
    }

    #[test]
    fn profile_values_cannot_move_the_request_to_another_host() {
        let path = compiled("https://api.example.com/{{ Profile.Region }}/now");
        assert_eq!(
            path.request(&variables("eu")).unwrap().url,
            "https://api.example.com/eu/now"
        );
        let e = path.request(&variables("@evil.example/x")).map(|r| r.url);
        assert_eq!(e, Ok("https://api.example.com/@evil.example/x/now".into()));
        // A query value cannot end the host either.
        let query = compiled("https://api.example.com?x={{ Profile.Region }}");
        let url = query.request(&variables("1#@evil.example")).unwrap().url;
        assert!(
            url.starts_with("https://api.example.com?x=1#@evil"),
            "{url}"
        );
        // Saved content cannot have Liquid in its host, but a definition written by an earlier version
        // is still held to a http(s) URL.
        let whole = compiled("{{ Profile.Region }}");
        let e = whole.request(&variables("file:///etc/passwd")).unwrap_err();
        assert!(e.contains("not an http(s) URL"), "{e}");
    }
}
