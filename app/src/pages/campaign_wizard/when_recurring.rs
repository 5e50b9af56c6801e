//! The When step's recurring schedule: every day, week (on chosen days) or month (on a day), at a time,
//! from a start date to an optional end, with the next three runs shown as the schedule is typed.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::recurring_form::RecurringForm;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::FieldErrors;
use crate::model::local_time::parse_date_time;
use crate::model::recurrence::{Every, Weekday, format_run};
use crate::model::time_fmt::ZoneClock;

#[component]
pub fn RecurringWhen(
    form: RecurringForm,
    clock: ZoneClock,
    /// The wall-clock time in the project time zone when the page was loaded.
    local_now: String,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let every: Vec<(Every, String)> = Every::ALL
        .iter()
        .map(|e| (*e, e.label().to_owned()))
        .collect();
    let zone = clock.name().to_owned();
    let zone_hint = format!("In {zone} (the project time zone).");
    let days = Weekday::ALL
        .map(|day| {
            let id = format!("when-day-{}", day.as_str());
            let checked = move || form.days.get().contains(&day);
            let toggle = move |_| {
                form.days.update(|days| {
                    if let Some(i) = days.iter().position(|d| *d == day) {
                        days.remove(i);
                    } else {
                        days.push(day);
                    }
                });
            };
            view! {
                <div class="check-field">
                    <input id=id.clone() type="checkbox" prop:checked=checked on:change=toggle/>
                    <label for=id>{day.label()}</label>
                </div>
            }
        })
        .collect_view();
    let days_error = field_error(error, "when.days_of_week");
    view! {
        <fieldset class="recurring">
            <legend>"Recurring schedule"</legend>
            <div class="field-row">
                <SelectField id="when-every" label="Repeat" value=form.every choices=every/>
                <div class="field-narrow">
                    <TextField id="when-time" label="At" value=form.at input_type="time"
                        hint=zone_hint error=field_error(error, "when.at")/>
                </div>
            </div>
            <Show when=move || form.every.get() == Every::Week>
                <fieldset class="weekdays">
                    <legend>"On these days"</legend>
                    {days.clone()}
                    {move || days_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                </fieldset>
            </Show>
            <Show when=move || form.every.get() == Every::Month>
                <div class="field-narrow">
                    <TextField id="when-day-of-month" label="Day of the month" value=form.day_of_month
                        input_type="number" min="1"
                        hint="1–31; in a month without that day, its last day."
                        error=field_error(error, "when.day_of_month")/>
                </div>
            </Show>
            <div class="field-row">
                <div class="field-medium">
                    <TextField id="when-start" label="Start date" value=form.start input_type="date"
                        hint="The first run is on this day or the first matching day after it."
                        error=field_error(error, "when.start")/>
                </div>
                <div class="field-medium">
                    <TextField id="when-end" label="End date (optional)" value=form.end input_type="date"
                        hint="No run after this day. Empty for none." error=field_error(error, "when.end")/>
                </div>
            </div>
            <NextRuns form clock local_now/>
        </fieldset>
    }
}

/// The next three runs of the schedule as typed, in the project time zone.
#[component]
fn NextRuns(form: RecurringForm, clock: ZoneClock, local_now: String) -> impl IntoView {
    let now = parse_date_time(&local_now);
    let zone = clock.name().to_owned();
    let runs = move || {
        let recurrence = form.recurrence();
        let mut errors = FieldErrors::default();
        recurrence.check("when", &mut errors);
        if !errors.is_empty() {
            return Err("Fill in the schedule to see its next runs.");
        }
        let runs = now
            .map(|now| recurrence.runs_after(now, 3))
            .unwrap_or_default();
        if runs.is_empty() {
            return Err("No run falls between now and the end date.");
        }
        Ok(runs)
    };
    view! {
        <section class="next-runs" aria-labelledby="next-runs-heading">
            <h3 id="next-runs-heading">"Next runs"</h3>
            {move || match runs() {
                Ok(runs) => view! {
                    <ol>
                        {runs.iter().map(|run| {
                            let day = Weekday::of(run.0).label();
                            view! { <li>{format!("{day} {} {}", format_run(run), zone)}</li> }
                        }).collect_view()}
                    </ol>
                }.into_sync_any(),
                Err(why) => view! { <p class="hint">{why}</p> }.into_sync_any(),
            }}
        </section>
    }
}
