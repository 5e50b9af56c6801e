//! When a rule's events must have happened. Dates are inclusive, `YYYY-MM-DD` in the project time zone.

use serde::{Deserialize, Serialize};

use super::super::FieldErrors;
use super::super::local_time::parse_date;

pub const MAX_WINDOW_DAYS: u32 = 3650;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimeWindow {
    /// The last `days` × 24 hours up to now.
    LastDays { days: u32 },
    /// Whole days from `from` to `to`, both included.
    Between { from: String, to: String },
    #[default]
    Ever,
}

impl TimeWindow {
    pub fn is_ever(&self) -> bool {
        *self == Self::Ever
    }

    /// Messages are keyed `{prefix}.days`, `{prefix}.from`, `{prefix}.to`.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        match self {
            Self::Ever => {}
            Self::LastDays { days } => {
                if !(1..=MAX_WINDOW_DAYS).contains(days) {
                    errors.add(
                        format!("{prefix}.days"),
                        format!("Enter a number of days from 1 to {MAX_WINDOW_DAYS}."),
                    );
                }
            }
            Self::Between { from, to } => {
                let start = parse_date(from);
                let end = parse_date(to);
                if start.is_none() {
                    errors.add(format!("{prefix}.from"), "Enter a start date (YYYY-MM-DD).");
                }
                if end.is_none() {
                    errors.add(format!("{prefix}.to"), "Enter an end date (YYYY-MM-DD).");
                }
                if let (Some(start), Some(end)) = (start, end)
                    && start > end
                {
                    errors.add(
                        format!("{prefix}.to"),
                        "The end date is before the start date.",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(window: &TimeWindow) -> Vec<(String, String)> {
        let mut errors = FieldErrors::default();
        window.check("w", &mut errors);
        errors
            .0
            .into_iter()
            .flat_map(|(k, v)| v.into_iter().map(move |m| (k.clone(), m)))
            .collect()
    }

    #[test]
    fn days_are_bounded_and_dates_ordered() {
        assert!(errors(&TimeWindow::Ever).is_empty());
        assert_eq!(errors(&TimeWindow::LastDays { days: 0 })[0].0, "w.days");
        assert!(errors(&TimeWindow::LastDays { days: 30 }).is_empty());
        let reversed = TimeWindow::Between {
            from: "2026-11-20".into(),
            to: "2026-11-02".into(),
        };
        assert_eq!(
            errors(&reversed),
            [(
                "w.to".to_owned(),
                "The end date is before the start date.".to_owned()
            )]
        );
    }

    #[test]
    fn json_shape_is_tagged() {
        let w: TimeWindow = serde_json::from_str(r#"{"type":"last_days","days":7}"#).unwrap();
        assert_eq!(w, TimeWindow::LastDays { days: 7 });
        let w: TimeWindow = serde_json::from_str(r#"{"type":"ever"}"#).unwrap();
        assert!(w.is_ever());
    }
}
