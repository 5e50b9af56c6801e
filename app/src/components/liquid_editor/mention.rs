//! The `@` autocomplete's text handling, apart from the DOM: finding the `@word` being typed before the
//! caret, the variables that match it, and the text with `{{ Variable }}` in its place. Carets are in
//! UTF-16 code units, as the browser counts them.

/// Variables offered at most at once.
pub const MAX_SHOWN: usize = 12;

/// The `@…` being typed: the byte where the `@` is, and what follows it up to the caret.
pub fn mention_at(text: &str, caret_utf16: usize) -> Option<(usize, &str)> {
    let caret = byte_index(text, caret_utf16);
    let before = &text[..caret];
    let at = before.rfind('@')?;
    let query = &before[at + 1..];
    let typed_so_far = query
        .chars()
        .all(|c| c.is_alphanumeric() || c == '.' || c == '_' || c == '-');
    // An e-mail address (`ana@example.com`) is not a mention: the `@` follows a word character.
    let starts_word = before[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    (typed_so_far && starts_word).then_some((at, query))
}

/// The variables whose name, or a part of it after a dot, starts with `query` (any case), in the
/// order given, `MAX_SHOWN` at most.
pub fn matching(variables: &[String], query: &str) -> Vec<String> {
    let query = query.to_lowercase();
    variables
        .iter()
        .filter(|v| {
            let v = v.to_lowercase();
            query.is_empty()
                || v.starts_with(&query)
                || v.split('.').skip(1).any(|part| part.starts_with(&query))
        })
        .take(MAX_SHOWN)
        .cloned()
        .collect()
}

/// `text` with the mention from byte `at` to the caret replaced by `{{ variable }}`, and the caret
/// (UTF-16) after it.
pub fn insert(text: &str, at: usize, caret_utf16: usize, variable: &str) -> (String, usize) {
    // `at` came from an earlier look at the text: if it no longer falls on a character, insert at
    // the caret.
    let caret = byte_index(text, caret_utf16);
    let at = if text.is_char_boundary(at) && at <= caret {
        at
    } else {
        caret
    };
    let inserted = format!("{{{{ {} }}}}", liquid_path(variable));
    let out = format!("{}{inserted}{}", &text[..at], &text[caret..]);
    let new_caret = utf16_len(&text[..at]) + utf16_len(&inserted);
    (out, new_caret)
}

/// `Profile.First Name` as Liquid can read it: `Profile['First Name']` when a part is not a plain
/// name (Liquid strings have no escapes: the quote is the one the name does not hold).
fn liquid_path(variable: &str) -> String {
    let mut parts = variable.splitn(2, '.');
    let root = parts.next().unwrap_or_default();
    match parts.next() {
        Some(rest) if is_plain(rest) => format!("{root}.{rest}"),
        Some(rest) if rest.contains('\'') => format!("{root}[\"{rest}\"]"),
        Some(rest) => format!("{root}['{rest}']"),
        None => root.to_owned(),
    }
}

fn is_plain(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The byte index of UTF-16 offset `utf16` in `text` (its end when past it).
fn byte_index(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The line (from 1) a message such as `Line 3: Unclosed block.` points at.
pub fn error_line(message: &str) -> Option<usize> {
    let rest = message.strip_prefix("Line ")?;
    rest.split(':').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vec<String> {
        [
            "Profile.Name",
            "Profile.Email",
            "Profile.First Name",
            "Campaign.name",
            "Linked.weather",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_mention_is_an_at_sign_and_the_word_typed_after_it() {
        assert_eq!(mention_at("Hi @Na", 6), Some((3, "Na")));
        assert_eq!(mention_at("@", 1), Some((0, "")));
        assert_eq!(mention_at("Hi @Na there", 6), Some((3, "Na")));
        assert_eq!(mention_at("Hi @Na there", 12), None);
        assert_eq!(mention_at("ana@example", 11), None);
        // After a two-unit character, UTF-16 offsets differ from bytes.
        assert_eq!(mention_at("😀 @Pro", 7), Some((5, "Pro")));
    }

    #[test]
    fn variables_match_by_name_or_by_the_part_after_the_dot() {
        assert_eq!(matching(&vars(), "na"), ["Profile.Name", "Campaign.name"]);
        assert_eq!(matching(&vars(), "prof").len(), 3);
        assert_eq!(matching(&vars(), "first"), ["Profile.First Name"]);
        assert_eq!(matching(&vars(), "").len(), 5);
        assert!(matching(&vars(), "zz").is_empty());
    }

    #[test]
    fn inserting_replaces_the_mention_with_liquid() {
        assert_eq!(
            insert("Hi @Na!", 3, 6, "Profile.Name"),
            ("Hi {{ Profile.Name }}!".to_owned(), 21)
        );
        assert_eq!(
            insert("@fi", 0, 3, "Profile.First Name").0,
            "{{ Profile['First Name'] }}"
        );
        assert_eq!(
            insert("@o", 0, 2, "Profile.O'Brien").0,
            "{{ Profile[\"O'Brien\"] }}"
        );
        // A stale position inside a character falls back to the caret.
        assert_eq!(insert("😀", 1, 2, "Campaign.id").0, "😀{{ Campaign.id }}");
        let (text, caret) = insert("😀 @W", 5, 5, "Linked.weather");
        assert_eq!(text, "😀 {{ Linked.weather }}");
        assert_eq!(caret, 3 + 20);
    }

    #[test]
    fn error_lines_are_read_from_messages() {
        assert_eq!(error_line("Line 3: Unclosed block."), Some(3));
        assert_eq!(error_line("Write the body to send."), None);
    }
}
