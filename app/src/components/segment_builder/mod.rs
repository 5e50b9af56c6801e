//! The segment builder (the Who step and the Segments page): the kind of segment first (the six of
//! the seeds, each with its description and example), then its rules, each kind of rule with its
//! fields; the segment in words underneath. Names seen in ingested data are suggested, any can be
//! typed; the model's checks put each message at its field.

mod condition;
pub mod context;
pub mod event;
mod fields;
mod rule;
mod rules;
pub mod state;
mod window;

use leptos::prelude::*;

use context::{Builder, ErrorScope};
use rule::RuleEditor;
pub use state::{SegmentForm, parse_count};

use crate::api::segments::segment_builder_names;
use crate::components::select_field::SelectField;
use crate::model::ApiError;
use crate::model::saved_segment::SegmentSuggestions;
use crate::model::segment::kinds::Kind;
use crate::model::segment::{
    DateProperty, Did, DidNot, DidNotWithin, Filter, Match, Op, Rule, TimeUnit, Within,
};

/// Names seen in ingested data, fetched once the page is interactive.
pub fn load_suggestions() -> Signal<SegmentSuggestions> {
    let suggestions = RwSignal::new(SegmentSuggestions::default());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(loaded) = segment_builder_names().await {
                suggestions.set(loaded);
            }
        });
    });
    suggestions.into()
}

#[component]
pub fn SegmentBuilder(
    form: SegmentForm,
    /// Where the model reports this segment's errors: `who.segment`, `segment`.
    #[prop(into)]
    prefix: String,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let builder = Builder {
        form,
        prefix: StoredValue::new(prefix),
        error,
        suggestions: load_suggestions(),
        scope: ErrorScope::Rules,
    };
    let matches = vec![
        (Match::All, "All of the rules".to_owned()),
        (Match::Any, "Any of the rules".to_owned()),
    ];
    view! {
        <KindChooser form/>
        <Datalists suggestions=builder.suggestions/>
        <Show when=move || form.rules.with(|r| r.len() > 1)>
            <SelectField id="segment-match" label="Users must match" value=form.match_ choices=matches.clone()/>
        </Show>
        {move || builder.error.with(|e| {
            let key = format!("{}.rules", builder.prefix.get_value());
            crate::components::error_banner::field_message(e.as_ref(), &key)
        }).map(|m| view! { <p class="field-error">{m}</p> })}
        <For each=move || form.rules.get() key=|r| r.id let:rule>
            <RuleEditor builder fields=rule/>
        </For>
        <AddRule form/>
        <p class="segment-sentence" aria-live="polite">
            <strong>"In words: "</strong>{move || form.segment().describe()}
        </p>
    }
}

#[component]
fn KindChooser(form: SegmentForm) -> impl IntoView {
    view! {
        <fieldset class="radio-group segment-kinds">
            <legend>"Kind of segment"</legend>
            {Kind::ALL
                .map(|kind| {
                    let id = format!("segment-kind-{}", kind.label().to_lowercase().replace(' ', "-"));
                    let hint_id = format!("{id}-hint");
                    view! {
                        <div class="radio-option">
                            <input type="radio" id=id.clone() name="segment-kind"
                                aria-describedby=hint_id.clone()
                                prop:checked=move || form.kind.get() == kind
                                on:change=move |_| form.choose_kind(kind)/>
                            <label for=id>{kind.label()}</label>
                            <span class="hint" id=hint_id>
                                {kind.description()}" Example: "{kind.example()}
                            </span>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// Makes the rule an Add button adds.
type NewRule = fn() -> Rule;

#[component]
fn AddRule(form: SegmentForm) -> impl IntoView {
    let choices: [(&str, NewRule); 5] = [
        ("Add an action", || Rule::Did(Did::default())),
        ("Add an inaction", || Rule::DidNot(DidNot::default())),
        ("Add an inaction within time", || {
            Rule::DidNotWithin(DidNotWithin {
                within: Within {
                    value: 1,
                    unit: TimeUnit::Days,
                },
                ..Default::default()
            })
        }),
        ("Add a date condition", || {
            Rule::DateProperty(DateProperty {
                days: 1,
                ..Default::default()
            })
        }),
        ("Add a user property", || {
            Rule::Profile(Filter {
                property: String::new(),
                op: Op::Equals,
                value: serde_json::Value::Null,
            })
        }),
    ];
    view! {
        <div class="segment-add">
            {choices
                .map(|(label, rule)| view! {
                    <button type="button" class="btn-secondary" on:click=move |_| form.add_rule(rule())>
                        {label}
                    </button>
                })
                .collect_view()}
        </div>
    }
}

/// The lists of names the builder's fields suggest.
#[component]
pub fn Datalists(suggestions: Signal<SegmentSuggestions>) -> impl IntoView {
    view! {
        {move || suggestions.with(|s| view! {
            <datalist id="segment-events">
                {s.events.iter().map(|e| view! { <option value=e.name.clone()/> }).collect_view()}
            </datalist>
            <datalist id="segment-profile-properties">
                {s.profile_properties.iter().map(|p| view! { <option value=p.clone()/> }).collect_view()}
            </datalist>
            {s.events.iter().enumerate().map(|(i, e)| view! {
                <datalist id=format!("segment-event-properties-{i}")>
                    {e.properties.iter().map(|p| view! { <option value=p.clone()/> }).collect_view()}
                </datalist>
            }).collect_view()}
        })}
    }
}
