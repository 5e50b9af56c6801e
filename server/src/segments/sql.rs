//! A single-action segment as SQL: the ids of the profiles that did the event at least N times in the
//! window, counting only events that pass the property filter. Every user value is a bound parameter;
//! the property name goes into a JSON path (it cannot contain `"`, validation sees to that).

use app::model::segment::{FilterOp, PropertyFilter, SingleAction};

use crate::store::segments::{Bind, SegmentQuery};

/// Compiles `segment` with its window already resolved to `[from, to)` unix ms.
pub fn compile(segment: &SingleAction, from: Option<i64>, to: Option<i64>) -> SegmentQuery {
    let mut sql = String::from("SELECT profile_id FROM events WHERE name = ?");
    let mut binds = vec![Bind::Text(segment.event.trim().to_owned())];
    if let Some(from) = from {
        sql.push_str(" AND ts >= ?");
        binds.push(Bind::Int(from));
    }
    if let Some(to) = to {
        sql.push_str(" AND ts < ?");
        binds.push(Bind::Int(to));
    }
    if let Some(filter) = &segment.filter {
        sql.push_str(" AND ");
        push_filter(filter, &mut sql, &mut binds);
    }
    sql.push_str(" GROUP BY profile_id");
    if segment.min_count > 1 {
        sql.push_str(" HAVING count(*) >= ?");
        binds.push(Bind::Int(i64::from(segment.min_count)));
    }
    SegmentQuery { sql, binds }
}

fn push_filter(filter: &PropertyFilter, sql: &mut String, binds: &mut Vec<Bind>) {
    let path = format!("$.\"{}\"", filter.property.trim());
    let value = filter.value.trim();
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
    match filter.op {
        FilterOp::Equals => push_equals(&path, value, number, sql, binds),
        FilterOp::NotEquals => {
            // Events without the property count as "not equal".
            sql.push_str("NOT coalesce(");
            push_equals(&path, value, number, sql, binds);
            sql.push_str(", 0)");
        }
        FilterOp::Contains => {
            sql.push_str("instr(lower(CAST(json_extract(data, ?) AS TEXT)), lower(?)) > 0");
            binds.push(Bind::Text(path));
            binds.push(Bind::Text(value.to_owned()));
        }
        FilterOp::GreaterThan | FilterOp::LessThan => {
            let op = if filter.op == FilterOp::GreaterThan {
                ">"
            } else {
                "<"
            };
            sql.push_str(&format!(
                "(json_type(data, ?) IN ('integer', 'real') AND json_extract(data, ?) {op} ?)"
            ));
            binds.push(Bind::Text(path.clone()));
            binds.push(Bind::Text(path));
            binds.push(Bind::Real(number.unwrap_or(0.0)));
        }
        FilterOp::Exists => {
            sql.push_str("coalesce(json_type(data, ?), 'null') <> 'null'");
            binds.push(Bind::Text(path));
        }
    }
}

/// Equal as text, or as a number when the value is one, or as a boolean for `true` / `false`.
fn push_equals(
    path: &str,
    value: &str,
    number: Option<f64>,
    sql: &mut String,
    binds: &mut Vec<Bind>,
) {
    match (value, number) {
        ("true" | "false", _) => {
            sql.push_str("json_type(data, ?) = ?");
            binds.push(Bind::Text(path.to_owned()));
            binds.push(Bind::Text(value.to_owned()));
        }
        (_, Some(n)) => {
            sql.push_str(
                "(json_extract(data, ?) = ? OR (json_type(data, ?) IN ('integer', 'real') \
                 AND json_extract(data, ?) = ?))",
            );
            binds.push(Bind::Text(path.to_owned()));
            binds.push(Bind::Text(value.to_owned()));
            binds.push(Bind::Text(path.to_owned()));
            binds.push(Bind::Text(path.to_owned()));
            binds.push(Bind::Real(n));
        }
        (_, None) => {
            sql.push_str("json_extract(data, ?) = ?");
            binds.push(Bind::Text(path.to_owned()));
            binds.push(Bind::Text(value.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use app::model::segment::TimeWindow;

    use super::*;

    fn segment(filter: Option<PropertyFilter>, min_count: u32) -> SingleAction {
        SingleAction {
            event: " Charged ".into(),
            filter,
            min_count,
            window: TimeWindow::Ever,
        }
    }

    fn filter(op: FilterOp, value: &str) -> Option<PropertyFilter> {
        Some(PropertyFilter {
            property: "amount".into(),
            op,
            value: value.into(),
        })
    }

    #[test]
    fn event_only() {
        let q = compile(&segment(None, 1), None, None);
        assert_eq!(
            q.sql,
            "SELECT profile_id FROM events WHERE name = ? GROUP BY profile_id"
        );
        assert_eq!(q.binds, [Bind::Text("Charged".into())]);
    }

    #[test]
    fn window_and_count() {
        let q = compile(&segment(None, 3), Some(100), Some(200));
        assert_eq!(
            q.sql,
            "SELECT profile_id FROM events WHERE name = ? AND ts >= ? AND ts < ? \
             GROUP BY profile_id HAVING count(*) >= ?"
        );
        assert_eq!(q.binds[1..], [Bind::Int(100), Bind::Int(200), Bind::Int(3)]);
    }

    #[test]
    fn numeric_comparison_binds_a_number() {
        let q = compile(
            &segment(filter(FilterOp::GreaterThan, "10.5"), 1),
            None,
            None,
        );
        assert!(q.sql.contains("json_extract(data, ?) > ?"), "{}", q.sql);
        assert_eq!(q.binds.last(), Some(&Bind::Real(10.5)));
        assert_eq!(q.binds[1], Bind::Text("$.\"amount\"".into()));
    }

    #[test]
    fn equality_matches_text_or_number() {
        let q = compile(&segment(filter(FilterOp::Equals, "10"), 1), None, None);
        assert!(q.sql.contains("json_extract(data, ?) = ? OR"), "{}", q.sql);
        let q = compile(&segment(filter(FilterOp::NotEquals, "gold"), 1), None, None);
        assert!(
            q.sql.contains("NOT coalesce(json_extract(data, ?) = ?, 0)"),
            "{}",
            q.sql
        );
        let q = compile(&segment(filter(FilterOp::Equals, "true"), 1), None, None);
        assert!(q.sql.contains("json_type(data, ?) = ?"), "{}", q.sql);
    }

    #[test]
    fn contains_and_exists() {
        let q = compile(&segment(filter(FilterOp::Contains, "Shoe"), 1), None, None);
        assert!(q.sql.contains("instr(lower("), "{}", q.sql);
        let q = compile(&segment(filter(FilterOp::Exists, ""), 1), None, None);
        assert!(
            q.sql
                .contains("coalesce(json_type(data, ?), 'null') <> 'null'")
        );
        assert_eq!(q.binds.len(), 2);
    }
}
