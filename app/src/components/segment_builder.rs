//! The segment builder for a single-action segment (one `did` rule): which event, an optional
//! event-property filter, how many times, and in which time window. The fields hold what was typed (numbers as text), so
//! nothing is lost on an error; the model's rules say what is wrong.

use std::time::Duration;

use leptos::prelude::*;

use super::error_banner::field_error;
use super::field::TextField;
use super::timing::debounced;
use crate::api::segments::event_properties;
use crate::model::ApiError;
use crate::model::segment::{Count, CountOp, Did, Filter, Op, Operand, Rule, Segment, TimeWindow};

/// The operators this builder offers (one text value each).
const OPS: [Op; 6] = [
    Op::Equals,
    Op::NotEquals,
    Op::Contains,
    Op::GreaterThan,
    Op::LessThan,
    Op::Exists,
];

/// Where the model's checks report this builder's fields.
const RULE: &str = "who.segment.rules.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    Ever,
    LastDays,
    Between,
}

impl WindowKind {
    const ALL: [(WindowKind, &'static str, &'static str); 3] = [
        (Self::Ever, "ever", "Ever"),
        (Self::LastDays, "last_days", "In the last \u{2026} days"),
        (Self::Between, "between", "Between dates"),
    ];
}

/// What the builder's inputs hold.
#[derive(Debug, Clone, Copy)]
pub struct SegmentFields {
    pub event: RwSignal<String>,
    pub filter_on: RwSignal<bool>,
    pub property: RwSignal<String>,
    pub op: RwSignal<Op>,
    pub value: RwSignal<String>,
    pub min_count: RwSignal<String>,
    pub window: RwSignal<WindowKind>,
    pub days: RwSignal<String>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
}

impl SegmentFields {
    pub fn new(segment: &Segment) -> Self {
        let segment = match segment.rules.first() {
            Some(Rule::Did(did)) => did.clone(),
            _ => Did::default(),
        };
        let filter = segment.filters.first().cloned();
        let (window, days, from, to) = match &segment.window {
            TimeWindow::Ever => (WindowKind::Ever, 30, String::new(), String::new()),
            TimeWindow::LastDays { days } => {
                (WindowKind::LastDays, *days, String::new(), String::new())
            }
            TimeWindow::Between { from, to } => (WindowKind::Between, 30, from.clone(), to.clone()),
        };
        Self {
            event: RwSignal::new(segment.event.clone()),
            filter_on: RwSignal::new(filter.is_some()),
            property: RwSignal::new(
                filter
                    .as_ref()
                    .map(|f| f.property.clone())
                    .unwrap_or_default(),
            ),
            op: RwSignal::new(filter.as_ref().map(|f| f.op).unwrap_or_default()),
            value: RwSignal::new(filter.map(|f| value_text(&f.value)).unwrap_or_default()),
            min_count: RwSignal::new(segment.count.value.to_string()),
            window: RwSignal::new(window),
            days: RwSignal::new(days.to_string()),
            from: RwSignal::new(from),
            to: RwSignal::new(to),
        }
    }

    /// The segment as typed (reactive: tracks every field it reads).
    pub fn segment(&self) -> Segment {
        let op = self.op.get();
        Segment::of(Rule::Did(Did {
            event: self.event.get(),
            filters: self
                .filter_on
                .get()
                .then(|| Filter {
                    property: self.property.get(),
                    op,
                    value: if op.operand() == Operand::None {
                        serde_json::Value::Null
                    } else {
                        serde_json::Value::String(self.value.get())
                    },
                })
                .into_iter()
                .collect(),
            count: Count {
                op: CountOp::AtLeast,
                value: parse_count(&self.min_count.get()),
            },
            window: match self.window.get() {
                WindowKind::Ever => TimeWindow::Ever,
                WindowKind::LastDays => TimeWindow::LastDays {
                    days: parse_count(&self.days.get()),
                },
                WindowKind::Between => TimeWindow::Between {
                    from: self.from.get(),
                    to: self.to.get(),
                },
            },
        }))
    }
}

/// A filter's value as text in the value field.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A whole number as typed; anything else is 0, which the model's rules reject with a message.
pub fn parse_count(text: &str) -> u32 {
    text.trim()
        .parse::<u64>()
        .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

#[component]
pub fn SegmentBuilder(
    fields: SegmentFields,
    /// Names of the events ingested so far, offered as suggestions.
    event_names: Vec<String>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let no_events = event_names.is_empty();
    view! {
        <TextField id="who-event" label="Event" value=fields.event list="event-names"
            placeholder="App Launched" error=field_error(error, format!("{RULE}.event"))/>
        <datalist id="event-names">
            {event_names.into_iter().map(|name| view! { <option value=name/> }).collect_view()}
        </datalist>
        {no_events.then(|| view! {
            <p class="hint">
                "No events have been ingested yet. Apps send them to "<code>"POST /1/upload"</code>
                "; the credentials are under "<a href="/settings">"Settings"</a>"."
            </p>
        })}
        <div class="check-field">
            <input id="who-filter-on" type="checkbox" bind:checked=fields.filter_on/>
            <label for="who-filter-on">"Filter by an event property"</label>
        </div>
        <Show when=move || fields.filter_on.get()>
            <PropertyFilterFields fields error/>
        </Show>
        <div class="field-row">
            <div class="field-narrow">
                <TextField id="who-min-count" label="At least (times)" value=fields.min_count
                    input_type="number" min="1" error=field_error(error, format!("{RULE}.count.value"))/>
            </div>
        </div>
        <TimeWindowFields fields error/>
    }
}

#[component]
fn PropertyFilterFields(fields: SegmentFields, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let event = debounced(
        Signal::derive(move || fields.event.get().trim().to_owned()),
        Duration::from_millis(400),
    );
    let properties = Resource::new(
        move || event.get(),
        |event| async move {
            if event.is_empty() {
                Ok(Vec::new())
            } else {
                event_properties(event).await
            }
        },
    );
    let op = fields.op;
    view! {
        <div class="field-row filter-row">
            <TextField id="who-filter-property" label="Property" value=fields.property
                list="event-properties" placeholder="amount" error=field_error(error, format!("{RULE}.filters.0.property"))/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let names = properties.await.unwrap_or_default();
                    view! {
                        <datalist id="event-properties">
                            {names.into_iter().map(|name| view! { <option value=name/> }).collect_view()}
                        </datalist>
                    }
                })}
            </Transition>
            <div class="field field-narrow">
                <label for="who-filter-op">"Condition"</label>
                <select
                    id="who-filter-op"
                    prop:value=move || op.get().as_str()
                    on:change=move |ev| {
                        if let Some(o) = Op::parse(&event_target_value(&ev)) {
                            op.set(o);
                        }
                    }
                >
                    {OPS
                        .map(|o| view! { <option value=o.as_str() selected=move || op.get() == o>{o.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            {move || (op.get().operand() != Operand::None).then(|| view! {
                <TextField id="who-filter-value" label="Value" value=fields.value
                    error=field_error(error, format!("{RULE}.filters.0.value"))/>
            })}
        </div>
    }
}

#[component]
fn TimeWindowFields(fields: SegmentFields, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let window = fields.window;
    view! {
        <fieldset class="radio-group">
            <legend>"Time window"</legend>
            {WindowKind::ALL
                .map(|(kind, value, label)| {
                    let id = format!("who-window-{value}");
                    view! {
                        <div class="radio-option">
                            <input type="radio" id=id.clone() name="who-window" value=value
                                prop:checked=move || window.get() == kind
                                on:change=move |_| window.set(kind)/>
                            <label for=id>{label}</label>
                        </div>
                    }
                })
                .collect_view()}
            {move || match window.get() {
                WindowKind::Ever => None,
                WindowKind::LastDays => Some(view! {
                    <div class="radio-detail field-row">
                        <div class="field-narrow">
                            <TextField id="who-window-days" label="Days" value=fields.days input_type="number"
                                min="1" error=field_error(error, format!("{RULE}.window.days"))/>
                        </div>
                    </div>
                }.into_any()),
                WindowKind::Between => Some(view! {
                    <div class="radio-detail field-row">
                        <TextField id="who-window-from" label="From" value=fields.from input_type="date"
                            error=field_error(error, format!("{RULE}.window.from"))/>
                        <TextField id="who-window-to" label="To" value=fields.to input_type="date"
                            error=field_error(error, format!("{RULE}.window.to"))/>
                    </div>
                }.into_any()),
            }}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_as_typed() {
        assert_eq!(parse_count(" 12 "), 12);
        assert_eq!(parse_count(""), 0);
        assert_eq!(parse_count("-3"), 0);
        assert_eq!(parse_count("2.5"), 0);
        assert_eq!(parse_count("99999999999"), u32::MAX);
    }
}
