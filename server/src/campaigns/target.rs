//! Where a campaign's deliveries go: its template (read when sending, so an edited header or password
//! applies to the next attempt), the URL with the query parameters, and the body's content type.

use app::model::TemplateId;
use app::model::campaign::{ContentType, Param};

use super::stored;
use crate::outbound::OutboundRequest;
use crate::outgoing::{Destination, request};
use crate::secrets::SecretBox;
use crate::store::{Db, campaigns, templates};
use crate::templates::stored::Template;

#[derive(Debug, Clone)]
pub struct Target {
    pub template: Template,
    /// The template's URL with the campaign's query parameters as written (for deliveries written
    /// before query strings were rendered per delivery).
    pub url: String,
    pub content_type: ContentType,
    /// The host (with port) its requests go to, whose circuit they follow (`None`: the URL does not
    /// parse, so they fail before leaving).
    pub host: Option<String>,
}

impl Target {
    /// The template's destination, at the URL with the campaign's query parameters.
    pub fn destination(&self) -> Destination<'_> {
        Destination {
            url: &self.url,
            ..self.template.destination()
        }
    }

    /// The URL of a delivery with `query` (rendered for it), or the campaign's query parameters.
    pub fn url_with(&self, query: Option<&str>) -> String {
        match query {
            Some(query) => append_query(&self.template.url, query),
            None => self.url.clone(),
        }
    }

    /// The request of one delivery: the template's method, headers and credentials, the stable
    /// `webhook-id`, the URL with its query, and the body.
    pub fn request(&self, webhook_id: &str, query: Option<&str>, body: &[u8]) -> OutboundRequest {
        let url = self.url_with(query);
        let destination = Destination {
            url: &url,
            ..self.template.destination()
        };
        let mut request = request::build(&destination, self.content_type.mime(), body);
        request
            .headers
            .push(("webhook-id".to_owned(), webhook_id.to_owned()));
        request
    }
}

/// `url` with an encoded `query` after any query it has.
pub fn append_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        return url.to_owned();
    }
    let (base, fragment) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let separator = match base.split_once('?') {
        Some((_, existing)) if existing.is_empty() || existing.ends_with('&') => "",
        Some(_) => "&",
        None => "?",
    };
    let mut out = format!("{base}{separator}{query}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// The target of campaign `campaign_id`, or why it has none (the reason becomes the delivery's failure).
pub async fn load(db: &Db, secrets: &SecretBox, campaign_id: i64) -> Result<Target, String> {
    let internal = |e: sqlx::Error| format!("database error: {e}");
    let row = campaigns::get(db, campaign_id)
        .await
        .map_err(internal)?
        .ok_or("the campaign was deleted")?;
    let campaign = stored::to_out(row)?;
    let template_id = campaign
        .draft
        .template_id
        .ok_or("the campaign has no webhook template")?;
    let template = template(db, secrets, template_id).await?;
    let url = with_query(&template.url, &campaign.draft.what.query)?;
    Ok(Target {
        host: crate::breaker::host_of(&template.url),
        template,
        url,
        content_type: campaign.draft.what.content_type(),
    })
}

/// A template with its secrets opened.
pub async fn template(db: &Db, secrets: &SecretBox, id: TemplateId) -> Result<Template, String> {
    let row = templates::get(db, id.0)
        .await
        .map_err(|e| format!("database error: {e}"))?
        .ok_or("the webhook template was deleted")?;
    Template::from_row(row, secrets)
        .map_err(|e| format!("the webhook template cannot be used: {e}"))
}

/// `url` with `query` appended (URL-encoded) after any query it has.
pub fn with_query(url: &str, query: &[Param]) -> Result<String, String> {
    let mut url =
        reqwest::Url::parse(url).map_err(|e| format!("the template's URL is not valid: {e}"))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for p in query {
            pairs.append_pair(p.name.trim(), &p.value);
        }
    }
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_appended_and_encoded() {
        let query = [
            Param {
                name: "src".into(),
                value: "hook line".into(),
            },
            Param {
                name: "k&v".into(),
                value: "a=b".into(),
            },
        ];
        assert_eq!(
            with_query("https://x.example/in?token=1", &query).unwrap(),
            "https://x.example/in?token=1&src=hook+line&k%26v=a%3Db"
        );
        assert_eq!(
            with_query("https://x.example/in", &[]).unwrap(),
            "https://x.example/in"
        );
    }

    #[test]
    fn a_rendered_query_goes_after_the_templates_own() {
        assert_eq!(
            append_query("https://x.example/in", "a=1"),
            "https://x.example/in?a=1"
        );
        assert_eq!(
            append_query("https://x.example/in?t=1#top", "a=1"),
            "https://x.example/in?t=1&a=1#top"
        );
        assert_eq!(
            append_query("https://x.example/in?", "a=1"),
            "https://x.example/in?a=1"
        );
        assert_eq!(
            append_query("https://x.example/in", ""),
            "https://x.example/in"
        );
    }
}
