//! What every part of the builder needs: where errors are reported, the names to suggest, the form.

use leptos::prelude::*;

use super::state::SegmentForm;
use crate::components::error_banner::field_message;
use crate::model::ApiError;
use crate::model::saved_segment::SegmentSuggestions;

#[derive(Debug, Clone, Copy)]
pub struct Builder {
    pub form: SegmentForm,
    /// Error keys are `{prefix}.rules.{i}...` (`who.segment` in the wizard, `segment` on the Segments
    /// page).
    pub prefix: StoredValue<String>,
    pub error: RwSignal<Option<ApiError>>,
    pub suggestions: Signal<SegmentSuggestions>,
    pub scope: ErrorScope,
}

/// Where a builder's fields report their errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorScope {
    /// A segment's rules: `{prefix}.rules.{position}.{field}`.
    Rules,
    /// One event outside a segment (a live campaign's trigger): `{prefix}.{field}`.
    Event,
}

impl Builder {
    /// The message for field `field` of rule `rule` (found by id: positions move as rules go).
    pub fn rule_error(&self, rule: usize, field: impl Into<String>) -> Signal<Option<String>> {
        let this = *self;
        let field = field.into();
        Signal::derive(move || {
            let key = match this.scope {
                ErrorScope::Rules => {
                    let position = this.form.position(rule)?;
                    format!("{}.rules.{position}.{field}", this.prefix.get_value())
                }
                ErrorScope::Event => format!("{}.{field}", this.prefix.get_value()),
            };
            this.error.with(|e| field_message(e.as_ref(), &key))
        })
    }

    /// The id of the datalist of `event`'s property names, if the event has been seen.
    pub fn event_properties_list(&self, event: RwSignal<String>) -> Signal<Option<String>> {
        let suggestions = self.suggestions;
        Signal::derive(move || {
            let name = event.get();
            suggestions.with(|s| {
                s.events
                    .iter()
                    .position(|e| e.name == name.trim())
                    .map(|i| format!("segment-event-properties-{i}"))
            })
        })
    }

    /// A hint for an event name never seen in ingested data.
    pub fn unknown_event_hint(&self, event: RwSignal<String>) -> Signal<Option<String>> {
        let suggestions = self.suggestions;
        Signal::derive(move || {
            let name = event.get();
            let name = name.trim();
            let known = suggestions.with(|s| s.events.iter().any(|e| e.name == name));
            (!name.is_empty() && !known)
                .then(|| format!("No “{name}” events have been ingested yet."))
        })
    }
}
