//! Names in messages: `“A”, “B” and 3 more`.

/// `"A", "B" and 3 more`.
pub fn quoted_list(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("\u{201c}{n}\u{201d}"))
        .collect();
    match names.len().saturating_sub(SHOWN) {
        0 => quoted.join(", "),
        more => format!("{} and {more} more", quoted.join(", ")),
    }
}
