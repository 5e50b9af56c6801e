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
    /// The linked content named as `Linked.<name>` or `Linked["<name>"]`.
    pub linked: BTreeSet<String>,
}

impl Uses {
    pub fn add(&mut self, other: Uses) {
        self.personal |= other.personal;
        self.linked.extend(other.linked);
    }
}

pub fn of(source: &str) -> Uses {
    let mut uses = Uses::default();
    let mut rest = source;
    let mut skipping: Option<&str> = None;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            rest = &rest[start + 1..];
            continue;
        };
        let body_end = after[2..].find(close).map_or(after.len(), |i| i + 2);
        let markup = &after[2..body_end];
        rest = after.get(body_end + 2..).unwrap_or_default();
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
                (None, _) => scan_markup(markup, &mut uses),
            }
        } else if skipping.is_none() {
            scan_markup(markup, &mut uses);
        }
    }
    uses
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
            "Profile" | "Event" => uses.personal = true,
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
        assert!(of("{%- if Event.Amount > 10 -%}big{%- endif -%}").personal);
        assert!(of("{% for x in Profile.Items %}{{ x }}{% endfor %}").personal);
        assert!(!of("{{ item.Profile }}").personal);
        let uses = of(
            "{{ Linked.weather.temp }} {{ Linked[\"news feed\"].title }} {{ Linked.weather.city }}",
        );
        assert!(uses.personal);
        assert_eq!(uses.linked, linked(&["news feed", "weather"]));
    }

    #[test]
    fn unterminated_markup_is_scanned_to_the_end() {
        assert!(of("{{ Profile.Name").personal);
        assert!(!of("{ \"a\": 1 }").personal);
    }
}
