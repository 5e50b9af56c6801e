//! Liquid templates (the `liquid` crate with its standard tags and filters, and a `json` filter):
//! compiled once per campaign, rendered once per user. Errors are one line a person can act on: a
//! compile error names its line, a render error the variable it could not find.
//!
//! Two limits keep a template from exhausting the server: a range (`(1..5)`) must have whole-number
//! bounds and at most `MAX_RANGE_STEPS` steps (the crate builds a range's whole list before looping,
//! and a bound read from ingested data could be a billion), and a render stops at `MAX_RENDERED_BYTES`.

pub mod json_filter;
pub mod namespace;

pub use app::model::template_uses as uses;

use std::io::Write;
use std::sync::OnceLock;

pub use namespace::{Namespace, Variables};

/// A compiled template.
pub type Template = liquid::Template;

/// Why a template does not compile: the message, and the line (from 1) when it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "Line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn parser() -> &'static liquid::Parser {
    static PARSER: OnceLock<liquid::Parser> = OnceLock::new();
    PARSER.get_or_init(|| {
        liquid::ParserBuilder::with_stdlib()
            .filter(json_filter::Json)
            .build()
            .expect("the standard library and the json filter register without conflicts")
    })
}

/// The most steps a range may have.
pub const MAX_RANGE_STEPS: i64 = 1000;
/// The most a render may write.
pub const MAX_RENDERED_BYTES: usize = 1024 * 1024;

pub fn compile(source: &str) -> Result<Template, CompileError> {
    check_ranges(source)?;
    parser()
        .parse(source)
        .map_err(|e| compile_error(source, &e.to_string()))
}

/// Renders `template` with `variables`; the error is one line.
pub fn render(template: &Template, variables: &Variables) -> Result<String, String> {
    let mut out = Capped(Vec::new());
    match template.render_to(&mut out, variables) {
        Ok(()) => Ok(String::from_utf8_lossy(&out.0).into_owned()),
        Err(_) if out.0.len() >= MAX_RENDERED_BYTES => Err(format!(
            "The rendered text is larger than {} KB.",
            MAX_RENDERED_BYTES / 1024
        )),
        Err(e) => Err(one_line(&e.to_string())),
    }
}

/// A buffer that refuses to grow past `MAX_RENDERED_BYTES`.
struct Capped(Vec<u8>);

impl Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + bytes.len() > MAX_RENDERED_BYTES {
            self.0.resize(MAX_RENDERED_BYTES, 0);
            return Err(std::io::Error::other("the rendered text is too large"));
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every range in the markup has whole-number bounds and at most `MAX_RANGE_STEPS` steps.
fn check_ranges(source: &str) -> Result<(), CompileError> {
    static RANGE: OnceLock<regex::Regex> = OnceLock::new();
    let range = RANGE.get_or_init(|| {
        regex::Regex::new(r"\(\s*([^()]*?)\s*\.\.\s*([^()]*?)\s*\)").expect("a valid pattern")
    });
    for (offset, markup) in uses::markup(source) {
        for found in range.captures_iter(markup) {
            let bound = |i: usize| found[i].trim().parse::<i64>().ok();
            let fits = matches!((bound(1), bound(2)), (Some(low), Some(high)) if high.saturating_sub(low) < MAX_RANGE_STEPS);
            if !fits {
                let at = offset + found.get(0).map_or(0, |m| m.start());
                return Err(CompileError {
                    line: Some(source[..at].matches('\n').count() + 1),
                    message: format!(
                        "Ranges need whole-number bounds and at most {MAX_RANGE_STEPS} steps, such as (1..5); \u{201c}{}\u{201d} is not one.",
                        &found[0]
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The parser's error text (`liquid:  --> 3:7 | … = Unclosed block.`, or `liquid: Unknown filter` with
/// context lines) as a message and a line.
fn compile_error(source: &str, text: &str) -> CompileError {
    let position = text
        .lines()
        .find_map(|l| l.split_once("-->").map(|(_, p)| p))
        .and_then(|p| p.trim().split(':').next()?.parse::<usize>().ok());
    if let Some(line) = position {
        let message = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("= "))
            .collect::<Vec<_>>()
            .join(" ");
        let message = if message.is_empty() {
            "This template cannot be read.".to_owned()
        } else {
            message
        };
        return CompileError {
            line: Some(line),
            message,
        };
    }
    // Errors without a position name what they could not find (a filter, a tag): point at the first
    // line that uses it.
    let requested = text.lines().find_map(|l| {
        let (key, value) = l.trim().split_once('=')?;
        key.starts_with("requested ")
            .then(|| value.trim().to_owned())
    });
    let headline = headline(text);
    match requested {
        Some(name) => CompileError {
            line: source
                .lines()
                .position(|l| l.contains(name.as_str()))
                .map(|i| i + 1),
            message: format!("{headline} \u{201c}{name}\u{201d}."),
        },
        None => CompileError {
            line: None,
            message: headline,
        },
    }
}

fn headline(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default().trim();
    first
        .strip_prefix("liquid:")
        .unwrap_or(first)
        .trim()
        .to_owned()
}

/// `liquid: Unknown index\n  with:\n    variable=Linked\n    requested index=x` as
/// `Unknown index (variable=Linked, requested index=x)`.
fn one_line(text: &str) -> String {
    let context: Vec<&str> = text
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.ends_with(':'))
        .collect();
    if context.is_empty() {
        headline(text)
    } else {
        format!("{} ({})", headline(text), context.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use liquid_core::model::{Object, Value};

    use super::*;

    fn variables() -> Variables {
        let mut profile = Object::new();
        profile.insert("Name".into(), Value::scalar("Ana \"A\" López\n"));
        profile.insert("Age".into(), Value::scalar(31i64));
        profile.insert("Score".into(), Value::scalar(1.5f64));
        profile.insert("Vip".into(), Value::scalar(true));
        profile.insert("Code".into(), Value::scalar("007"));
        profile.insert("Bio".into(), Value::scalar("😀\u{1}\t"));
        profile.insert(
            "Items".into(),
            Value::Array(vec![Value::scalar("a"), Value::scalar("b")]),
        );
        let mut campaign = Object::new();
        campaign.insert("id".into(), Value::scalar(42i64));
        campaign.insert("name".into(), Value::scalar("Spring"));
        let mut weather = Object::new();
        weather.insert("temp".into(), Value::scalar(21i64));
        let mut linked = Object::new();
        linked.insert("weather".into(), Value::Object(weather));
        Variables {
            profile: Namespace::lax(profile),
            campaign: Namespace::lax(campaign),
            event: Namespace::lax(Object::new()),
            linked: Namespace::strict(linked),
        }
    }

    fn render_text(source: &str) -> Result<String, String> {
        render(&compile(source).map_err(|e| e.to_string())?, &variables())
    }

    #[test]
    fn every_kind_of_variable_renders() {
        assert_eq!(
            render_text(
                "{{ Profile.Age }}/{{ Campaign.id }}/{{ Campaign.name }}/{{ Linked.weather.temp }}"
            )
            .unwrap(),
            "31/42/Spring/21"
        );
        assert_eq!(
            render_text("{% for i in Profile.Items %}{{ i | upcase }}{% endfor %}").unwrap(),
            "AB"
        );
        assert_eq!(
            render_text("{% if Profile.Vip %}gold{% else %}basic{% endif %}").unwrap(),
            "gold"
        );
    }

    #[test]
    fn a_missing_profile_or_event_variable_is_nil() {
        assert_eq!(render_text("[{{ Profile.Nickname }}]").unwrap(), "[]");
        assert_eq!(
            render_text("Hi {{ Profile.Nickname | default: \"there\" }}").unwrap(),
            "Hi there"
        );
        assert_eq!(render_text("{{ Event.Amount | json }}").unwrap(), "null");
        assert_eq!(
            render_text("{% if Profile.Nickname %}x{% else %}none{% endif %}").unwrap(),
            "none"
        );
    }

    #[test]
    fn missing_linked_content_and_unknown_roots_are_errors() {
        let e = render_text("{{ Linked.news.title }}").unwrap_err();
        assert!(e.starts_with("Unknown index"), "{e}");
        assert!(e.contains("news"), "{e}");
        let e = render_text("{{ Profil.Name }}").unwrap_err();
        assert!(
            e.contains("Unknown variable") && e.contains("Profil"),
            "{e}"
        );
    }

    #[test]
    fn json_filter_writes_literals() {
        assert_eq!(
            render_text("{{ Profile.Name | json }}").unwrap(),
            r#""Ana \"A\" López\n""#
        );
        assert_eq!(
            render_text("{{ Profile.Age | json }},{{ Profile.Score | json }},{{ Profile.Vip | json }},{{ Profile.Code | json }}")
                .unwrap(),
            r#"31,1.5,true,"007""#
        );
        assert_eq!(
            render_text("{{ Profile.Items | json }}").unwrap(),
            r#"["a","b"]"#
        );
        assert_eq!(
            render_text("{{ Linked.weather | json }}").unwrap(),
            r#"{"temp":21}"#
        );
        let body = render_text(
            r#"{"name": {{ Profile.Name | json }}, "emoji": {{ Profile.Bio | json }}}"#,
        )
        .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["name"], "Ana \"A\" López\n");
        assert_eq!(parsed["emoji"], "😀\u{1}\t");
        assert!(body.contains(r#""😀\u0001\t""#), "{body}");
    }

    fn compile_error_of(source: &str) -> CompileError {
        compile(source).err().expect("a compile error")
    }

    #[test]
    fn ranges_are_bounded_and_renders_capped() {
        assert!(compile("{% for i in (1..1000) %}{{ i }}{% endfor %}").is_ok());
        let e = compile_error_of("line\n{% for i in (1..Profile.N) %}{% endfor %}");
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.starts_with("Ranges need whole-number bounds"),
            "{e:?}"
        );
        assert!(compile("{% for i in (0..1000) %}{% endfor %}").is_err());
        // Text outside markup is not a range.
        assert!(compile("(a..b) {{ Profile.Name }}").is_ok());
        let big = compile("{% for i in (1..1000) %}{% for j in (1..1000) %}{{ Campaign.name }}{% endfor %}{% endfor %}")
            .ok()
            .unwrap();
        let mut variables = variables();
        let mut campaign = Object::new();
        campaign.insert("name".into(), Value::scalar("x".repeat(10)));
        variables.campaign = Namespace::lax(campaign);
        let e = render(&big, &variables).unwrap_err();
        assert_eq!(e, "The rendered text is larger than 1024 KB.");
    }

    #[test]
    fn compile_errors_name_their_line() {
        let e = compile_error_of("{\n  \"a\": 1,\n  {% if Profile.Vip %}\n}");
        assert_eq!(e.line, Some(4), "{e:?}");
        assert!(e.message.contains("endif"), "{e:?}");
        let e = compile_error_of("one\ntwo {{ Profile.Name | shout }}");
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message, "Unknown filter \u{201c}shout\u{201d}.");
        assert_eq!(
            e.to_string(),
            "Line 2: Unknown filter \u{201c}shout\u{201d}."
        );
        let e = compile_error_of("{{ 'x' | date: }}");
        assert_eq!(e.line, Some(1));
        assert!(!e.message.is_empty());
    }
}
