//! A campaign's content, compiled once per campaign and rendered per request: the query parameters
//! (Liquid in their values), and the body — the Profile variables payload or a custom Liquid template
//! sent as JSON or plain text.
//!
//! A campaign whose body or query names `Profile`, `Event` or `Linked` is *personal*: one request per
//! user. Otherwise one request carries a batch of users, rendered once per batch.

use std::collections::BTreeSet;

use app::model::FieldErrors;
use app::model::campaign::{BodyFormat, ContentType, What};

use super::liquid::{self, Namespace, Template, Variables, uses};
use super::payload::{self, PayloadSpec, TriggeringEvent};
use super::variables;
use crate::store::outbox::Recipient;

pub struct Content {
    content_type: ContentType,
    payload: PayloadSpec,
    /// The custom body.
    body: Option<Template>,
    /// Each query parameter's name and compiled value.
    query: Vec<(String, Template)>,
    uses: uses::Uses,
    campaign: Namespace,
}

/// A request's query string (URL-encoded, appended to the template's URL) and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub query: String,
    pub body: Vec<u8>,
    /// With a JSON content type, why the body does not parse ("Invalid JSON after rendering: …"):
    /// such a request is not sent.
    pub invalid_json: Option<String>,
}

impl Content {
    /// Compiles `what` for campaign `id` named `name`; compile errors are keyed by field
    /// (`what.template`, `what.query.{i}.value`).
    pub fn compile(id: i64, name: &str, what: &What) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut compile = |field: String, source: &str| {
            liquid::compile(source)
                .map_err(|e| errors.add(field, e.to_string()))
                .ok()
        };
        let query: Vec<(String, Option<Template>)> = what
            .query
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let field = format!("what.query.{i}.value");
                (p.name.trim().to_owned(), compile(field, &p.value))
            })
            .collect();
        let body = match what.format {
            BodyFormat::Custom => compile("what.template".into(), &what.template),
            BodyFormat::ProfileVariables => None,
        };
        errors.into_result()?;
        Ok(Self {
            content_type: what.content_type(),
            payload: PayloadSpec::new(id, what),
            body,
            query: query
                .into_iter()
                .filter_map(|(name, t)| Some((name, t?)))
                .collect(),
            uses: what.uses(),
            campaign: variables::campaign(id, name),
        })
    }

    /// Whether each user gets a request of their own.
    pub fn personal(&self) -> bool {
        self.uses.personal
    }

    /// The linked content the templates name.
    pub fn linked(&self) -> &BTreeSet<String> {
        &self.uses.linked
    }

    pub fn content_type(&self) -> ContentType {
        self.content_type
    }

    /// The variables of a render for `profile` with `linked` answers.
    pub fn variables(&self, profile: Namespace, linked: Namespace) -> Variables {
        Variables {
            profile,
            campaign: self.campaign.clone(),
            event: Namespace::default_lax(),
            linked,
        }
    }

    /// The variables of a live campaign's render: `variables` with its triggering event's properties.
    pub fn with_event(variables: Variables, event: Option<TriggeringEvent<'_>>) -> Variables {
        match event {
            Some(event) => Variables {
                event: variables::event(event.data),
                ..variables
            },
            None => variables,
        }
    }

    /// The request carrying `recipients` of a campaign that is not personal.
    pub fn batch(&self, recipients: &[Recipient], is_test: bool) -> Result<Rendered, String> {
        let variables = Variables {
            campaign: self.campaign.clone(),
            ..Default::default()
        };
        let query = self.render_query(&variables)?;
        match &self.body {
            Some(template) => self.render_body(template, &variables, query),
            None => Ok(Rendered {
                query,
                body: payload::body(&self.payload, recipients, is_test),
                invalid_json: None,
            }),
        }
    }

    /// The request for one user of a personal campaign, with its `variables` (`Self::variables`), or
    /// for the user whose `event` triggered a live campaign.
    pub fn for_user(
        &self,
        recipient: &Recipient,
        event: Option<TriggeringEvent<'_>>,
        variables: &Variables,
        is_test: bool,
    ) -> Result<Rendered, String> {
        let query = self.render_query(variables)?;
        match &self.body {
            Some(template) => self.render_body(template, variables, query),
            None => Ok(Rendered {
                query,
                body: payload::body_of_one(&self.payload, recipient, event, is_test),
                invalid_json: None,
            }),
        }
    }

    fn render_query(&self, variables: &Variables) -> Result<String, String> {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, template) in &self.query {
            let value = liquid::render(template, variables)
                .map_err(|e| format!("Query parameter {name}: {e}"))?;
            query.append_pair(name, &value);
        }
        Ok(query.finish())
    }

    fn render_body(
        &self,
        template: &Template,
        variables: &Variables,
        query: String,
    ) -> Result<Rendered, String> {
        let body = liquid::render(template, variables)?;
        let invalid_json = match self.content_type {
            ContentType::Json => serde_json::from_str::<serde::de::IgnoredAny>(&body)
                .err()
                .map(|e| format!("Invalid JSON after rendering: {e}")),
            ContentType::Text => None,
        };
        Ok(Rendered {
            query,
            body: body.into_bytes(),
            invalid_json,
        })
    }
}

#[cfg(test)]
mod tests {
    use app::model::campaign::Param;

    use super::*;

    fn recipient(name: &str) -> Recipient {
        Recipient {
            id: 7,
            identity: Some("u7".into()),
            object_id: "obj7".into(),
            email: Some("u7@example.com".into()),
            push_token: None,
            profile_data: serde_json::json!({"Name": name, "City": "Porto"}).to_string(),
        }
    }

    fn custom(template: &str, content_type: ContentType) -> What {
        What {
            format: BodyFormat::Custom,
            content_type,
            template: template.into(),
            ..Default::default()
        }
    }

    fn render_for(content: &Content, r: &Recipient) -> Result<Rendered, String> {
        let variables = content.variables(variables::profile(r), Namespace::default());
        content.for_user(r, None, &variables, false)
    }

    #[test]
    fn a_custom_json_body_is_rendered_per_user() {
        let what = custom(
            r#"{"text": {{ "Hi " | append: Profile.Name | json }}, "campaign": {{ Campaign.id }}}"#,
            ContentType::Json,
        );
        let content = Content::compile(5, "Spring", &what).unwrap();
        assert!(content.personal());
        let rendered = render_for(&content, &recipient("Ana \"A\"")).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&rendered.body).unwrap();
        assert_eq!(v["text"], "Hi Ana \"A\"");
        assert_eq!(v["campaign"], 5);
    }

    #[test]
    fn invalid_json_after_rendering_is_an_error_for_that_user() {
        let what = custom(r#"{"name": "{{ Profile.Name }}"}"#, ContentType::Json);
        let content = Content::compile(1, "c", &what).unwrap();
        assert_eq!(
            render_for(&content, &recipient("Ana"))
                .unwrap()
                .invalid_json,
            None
        );
        let rendered = render_for(&content, &recipient("say \"hi\"")).unwrap();
        let e = rendered.invalid_json.unwrap();
        assert!(e.starts_with("Invalid JSON after rendering: "), "{e}");
        assert!(e.contains("line 1 column"), "{e}");
    }

    #[test]
    fn plain_text_is_not_checked_as_json() {
        let what = custom("Hello {{ Profile.Name }}!", ContentType::Text);
        let content = Content::compile(1, "c", &what).unwrap();
        assert_eq!(content.content_type().mime(), "text/plain; charset=utf-8");
        assert_eq!(
            render_for(&content, &recipient("Jo")).unwrap().body,
            b"Hello Jo!"
        );
    }

    #[test]
    fn liquid_query_makes_profile_variables_personal() {
        let what = What {
            query: vec![
                Param {
                    name: "city".into(),
                    value: "{{ Profile.City }}".into(),
                },
                Param {
                    name: "src".into(),
                    value: "hook line".into(),
                },
            ],
            ..Default::default()
        };
        let content = Content::compile(3, "c", &what).unwrap();
        assert!(content.personal());
        let rendered = render_for(&content, &recipient("Ana")).unwrap();
        assert_eq!(rendered.query, "city=Porto&src=hook+line");
        let v: serde_json::Value = serde_json::from_slice(&rendered.body).unwrap();
        assert_eq!(v["profiles"]["Identity"], "u7");
    }

    #[test]
    fn campaign_only_content_keeps_batching() {
        let what = What {
            query: vec![Param {
                name: "c".into(),
                value: "{{ Campaign.name | downcase }}".into(),
            }],
            ..Default::default()
        };
        let content = Content::compile(3, "Spring", &what).unwrap();
        assert!(!content.personal());
        let rendered = content
            .batch(&[recipient("a"), recipient("b")], false)
            .unwrap();
        assert_eq!(rendered.query, "c=spring");
        let v: serde_json::Value = serde_json::from_slice(&rendered.body).unwrap();
        assert_eq!(v["profiles"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn compile_errors_are_keyed_by_field() {
        let mut what = custom("{% if Profile.Vip %}", ContentType::Json);
        what.query = vec![Param {
            name: "a".into(),
            value: "{{ x | nope }}".into(),
        }];
        let e = Content::compile(1, "c", &what).err().unwrap();
        assert!(e.get("what.template").unwrap().starts_with("Line 1: "));
        assert!(e.get("what.query.0.value").unwrap().contains("nope"));
    }
}
