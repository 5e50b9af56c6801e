//! Which variables a Liquid template uses, read from its source (shared by the server, which decides
//! batching with it, and the browser, which says so): whether it is personal (it names `Profile`,
//! `Event` or `Linked`, so each user needs a request of their own) and which linked content it needs
//! fetched. A plain scan of the `{{ }}` and `{% %}` markup (text, quoted strings, `raw` and `comment`
//! blocks left out): it may count a variable that a branch never reaches, which only costs batching.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    /// Names `Profile`, `Event` or `Linked`: rendered once per user.
    pub personal: bool,
    /// Names `Event` (the triggering event of a live campaign).
    pub event: bool,
    /// The linked content named as `Linked.<name>` or `Linked["<name>"]`.
    pub linked: BTreeSet<String>,
}

impl Uses {
    pub fn add(&mut self, other: Uses) {
        self.personal |= other.personal;
        self.event |= other.event;
        self.linked.extend(other.linked);
    }
}

pub fn of(source: &str) -> Uses {
    let mut uses = Uses::default();
    for (_, markup) in markup(source) {
        scan_markup(markup, &mut uses);
    }
    uses
}

/// The markup of each `{{ … }}` and `{% … %}` (without its delimiters) with its byte offset in
/// `source`, leaving out what `raw` and `comment` blocks hold (and those tags themselves).
pub fn markup(source: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut skipping: Option<&str> = None;
    while let Some(start) = source[offset..].find('{').map(|i| offset + i) {
        let after = &source[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            offset = start + 1;
            continue;
        };
        let body_end = after[2..].find(close).map_or(after.len(), |i| i + 2);
        let markup = &after[2..body_end];
        offset = (start + body_end + 2).min(source.len());
        if close == "%}" {
            let tag = markup
                .trim_matches(|c: char| c.is_whitespace() || c == '-')
                .split_whitespace()
                .next()
                .unwrap_or_default();
            match (skipping, tag) {
                (Some(end), t) if t == end => skipping = None,
                (Some(_), _) => {}
                (None, "raw") => skipping = Some("endraw"),
                (None, "comment") => skipping = Some("endcomment"),
                (None, _) => found.push((start + 2, markup)),
            }
        } else if skipping.is_none() {
            found.push((start + 2, markup));
        }
    }
    found
}

/// The variables named in one tag's or output's markup.
fn scan_markup(markup: &str, uses: &mut Uses) {
    let bytes = markup.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' || c == b'\'' {
            i = markup[i + 1..]
                .find(c as char)
                .map_or(bytes.len(), |j| i + j + 2);
            continue;
        }
        if !is_identifier_start(c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_identifier_part(bytes[i]) {
            i += 1;
        }
        // A path's later segments (`x.Profile`) are not roots.
        if start > 0 && bytes[start - 1] == b'.' {
            continue;
        }
        match &markup[start..i] {
            "Profile" => uses.personal = true,
            "Event" => {
                uses.personal = true;
                uses.event = true;
            }
            "Linked" => {
                uses.personal = true;
                if let Some(name) = linked_name(&markup[i..]) {
                    uses.linked.insert(name.to_owned());
                }
            }
            _ => {}
        }
    }
}

/// `name` in `.name…` or `["name"]…`.
fn linked_name(after: &str) -> Option<&str> {
    if let Some(rest) = after.strip_prefix('.') {
        let end = rest
            .bytes()
            .position(|c| !is_identifier_part(c))
            .unwrap_or(rest.len());
        return (end > 0).then(|| &rest[..end]);
    }
    let rest = after.strip_prefix('[')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    rest.find(quote).map(|end| &rest[..end])
}

fn is_identifier_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_identifier_part(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn campaign_variables_and_text_are_not_personal() {
        let uses = of("Profile {{ Campaign.name }} {% if Campaign.id > 1 %}Event{% endif %}");
        assert_eq!(uses, Uses::default());
        assert!(!of("{{ \"Profile.Name\" }} {{ 'Linked.x' }}").personal);
        assert!(
            !of(
                "{% raw %}{{ Profile.Name }}{% endraw %}{% comment %}{{ Event.x }}{% endcomment %}"
            )
            .personal
        );
    }

    #[test]
    fn profile_event_and_linked_are_personal() {
        assert!(of("{{ Profile.Name }}").personal);
        let event = of("{%- if Event.Amount > 10 -%}big{%- endif -%}");
        assert!(event.personal && event.event);
        assert!(!of("{{ Profile.Name }}").event);
        assert!(of("{% for x in Profile.Items %}{{ x }}{% endfor %}").personal);
        assert!(!of("{{ item.Profile }}").personal);
        let uses = of(
            "{{ Linked.weather.temp }} {{ Linked[\"news feed\"].title }} {{ Linked.weather.city }}",
        );
        assert!(uses.personal);
        assert_eq!(uses.linked, linked(&["news feed", "weather"]));
    }

    #[test]
    fn markup_comes_with_its_offset() {
        let source = "a {{ x }} b {% raw %}{{ y }}{% endraw %} {%- if z -%}";
        let found = markup(source);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], (4, " x "));
        assert_eq!(
            &source[found[1].0..found[1].0 + found[1].1.len()],
            found[1].1
        );
        assert_eq!(found[1].1.trim(), "- if z -");
    }

    #[test]
    fn unterminated_markup_is_scanned_to_the_end() {
        assert!(of("{{ Profile.Name").personal);
        assert!(!of("{ \"a\": 1 }").personal);
    }
}
