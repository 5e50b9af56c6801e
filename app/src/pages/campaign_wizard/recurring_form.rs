//! What the When step's recurring schedule holds as typed, and the `Recurrence` it makes.

use leptos::prelude::*;

use crate::components::segment_builder::parse_count;
use crate::model::recurrence::{Every, Recurrence, Weekday};

#[derive(Debug, Clone, Copy)]
pub struct RecurringForm {
    pub every: RwSignal<Every>,
    /// `HH:MM`.
    pub at: RwSignal<String>,
    pub days: RwSignal<Vec<Weekday>>,
    /// The day of the month as typed.
    pub day_of_month: RwSignal<String>,
    /// `YYYY-MM-DD`; the end may be empty (none).
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
}

impl RecurringForm {
    pub fn new(recurrence: Option<&Recurrence>) -> Self {
        let r = recurrence.cloned().unwrap_or_else(|| Recurrence {
            at: "09:00".into(),
            ..Default::default()
        });
        Self {
            every: RwSignal::new(r.every),
            at: RwSignal::new(r.at),
            days: RwSignal::new(r.days_of_week),
            day_of_month: RwSignal::new(r.day_of_month.map(|d| d.to_string()).unwrap_or_default()),
            start: RwSignal::new(r.start),
            end: RwSignal::new(r.end.unwrap_or_default()),
        }
    }

    /// The schedule as typed (reactive): days of the week only for a weekly one, a day of the month
    /// only for a monthly one (anything but a number up to 255 reads as 0, which the check refuses).
    pub fn recurrence(&self) -> Recurrence {
        let every = self.every.get();
        let mut days = if every == Every::Week {
            self.days.get()
        } else {
            Vec::new()
        };
        days.sort_unstable();
        days.dedup();
        let end = self.end.get();
        Recurrence {
            every,
            at: self.at.get(),
            days_of_week: days,
            day_of_month: (every == Every::Month)
                .then(|| u8::try_from(parse_count(&self.day_of_month.get())).unwrap_or(0)),
            start: self.start.get(),
            end: (!end.trim().is_empty()).then(|| end.trim().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_comes_back_as_it_went_in() {
        Owner::new_root(None).with(|| {
            let r = Recurrence {
                every: Every::Week,
                at: "18:30".into(),
                days_of_week: vec![Weekday::Mon, Weekday::Fri],
                day_of_month: None,
                start: "2026-12-07".into(),
                end: Some("2027-01-31".into()),
            };
            let form = RecurringForm::new(Some(&r));
            assert_eq!(form.recurrence(), r);
            // Switching to monthly drops the days and asks for a day of the month.
            form.every.set(Every::Month);
            form.day_of_month.set("31".into());
            let monthly = form.recurrence();
            assert!(monthly.days_of_week.is_empty());
            assert_eq!(monthly.day_of_month, Some(31));
        });
    }
}
