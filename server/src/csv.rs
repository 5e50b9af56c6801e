//! Writing CSV (RFC 4180) for exports: fields quoted when they need it, and cells a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@` first) defused with a leading `'`.

/// Appends one row, ended by CRLF.
pub fn row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field_into(out, field);
    }
    out.push_str("\r\n");
}

fn field_into(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || field.contains([',', '"', '\n', '\r']);
    if !quote {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

/// Unix ms as an RFC 3339 UTC time; empty for none.
pub fn timestamp(unix_ms: Option<i64>) -> String {
    unix_ms
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_it_and_defuses_formulas() {
        let mut out = String::new();
        row(
            &mut out,
            ["plain", "a,b", "say \"hi\"", "two\nlines", "=1+1", "-3", ""],
        );
        assert_eq!(
            out,
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=1+1\",\"'-3\",\r\n"
        );
        assert_eq!(timestamp(Some(0)), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(None), "");
    }
}
