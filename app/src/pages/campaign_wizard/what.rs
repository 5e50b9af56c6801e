//! Step 3, What: the request each delivery makes. The template gives method and URL; the campaign adds
//! URL query parameters (Liquid in their values) and the body: Profile variables (the ticked variables
//! and `key_values`) or a custom Liquid template sent as JSON or plain text. A preview for a chosen
//! user and a test send follow.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::form::WizardForm;
use super::preview::RequestPreview;
use crate::api::linked::list_linked;
use crate::api::segments::segment_builder_names;
use crate::components::error_banner::field_error;
use crate::components::key_value_editor::KeyValueEditor;
use crate::components::liquid_editor::LiquidEditor;
use crate::model::campaign::{BodyFormat, ContentType, ProfileFields};
use crate::model::campaign_report::TemplateChoice;
use crate::model::linked::LinkedContentOut;
use crate::model::live::DeliveryType;
use crate::model::saved_segment::SegmentSuggestions;
use crate::model::{ApiError, CampaignId};

#[component]
pub fn WhatStep(
    id: CampaignId,
    form: WizardForm,
    templates: Vec<TemplateChoice>,
    batch_size: u32,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let template = move || {
        let id = form.template_id.get()?;
        templates.iter().find(|t| t.id == id).cloned()
    };
    view! {
        <dl class="pairs">
            {move || match template() {
                Some(t) => view! {
                    <dt>"Webhook template"</dt>
                    <dd>{t.name}</dd>
                    <dt>"Method"</dt>
                    <dd><span class="method">{t.method}</span></dd>
                    <dt>"URL"</dt>
                    <dd><code class="url">{t.url}</code></dd>
                }.into_sync_any(),
                None => view! {
                    <dt>"Webhook template"</dt>
                    <dd>"None chosen yet: pick one in Setup."</dd>
                }.into_sync_any(),
            }}
        </dl>
        <fieldset>
            <legend>"URL query parameters"</legend>
            <p class="hint">
                "Added to the template's URL on every request. Values may use Liquid, such as "
                <code>"{{ Profile.City }}"</code> ": then each user gets a request of their own."
            </p>
            <KeyValueEditor rows=form.query item="Query parameter" field_prefix="what.query" error
                add_label="Add query parameter"/>
        </fieldset>
        <FormatChoice form/>
        {move || match form.format.get() {
            BodyFormat::ProfileVariables => view! {
                <p>"Content type: " <strong>"JSON"</strong></p>
                <ProfileVariables form error/>
                <fieldset>
                    <legend>"key_values"</legend>
                    <p class="hint">"Sent as the payload's " <code>"key_values"</code> " object, the same for every user."</p>
                    <KeyValueEditor rows=form.key_values item="Key-value" field_prefix="what.key_values" error
                        add_label="Add key-value"/>
                </fieldset>
            }.into_sync_any(),
            BodyFormat::Custom => view! { <CustomBody form error/> }.into_sync_any(),
        }}
        <RequestPreview id form error batch_size/>
    }
}

/// Radio buttons in a fieldset: one per `(value, label)`.
#[component]
fn RadioGroup<T>(
    legend: &'static str,
    name: &'static str,
    choices: Vec<(T, &'static str)>,
    value: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let radios = choices
        .into_iter()
        .enumerate()
        .map(|(i, (choice, label))| {
            let id = format!("{name}-{i}");
            view! {
                <div class="check-field">
                    <input type="radio" name=name id=id.clone() prop:checked=move || value.get() == choice
                        on:change=move |_| value.set(choice)/>
                    <label for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="radio-group">
            <legend>{legend}</legend>
            {radios}
        </fieldset>
    }
}

#[component]
fn FormatChoice(form: WizardForm) -> impl IntoView {
    let choices = [BodyFormat::ProfileVariables, BodyFormat::Custom]
        .map(|f| (f, f.label()))
        .to_vec();
    view! { <RadioGroup legend="Body" name="what-format" choices value=form.format/> }
}

/// A custom body: its content type and its Liquid template, with `@` offering the variables seen in
/// ingested data and the saved linked content.
#[component]
fn CustomBody(form: WizardForm, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let names = Action::new(|_: &()| segment_builder_names());
    let linked = Action::new(|_: &()| list_linked());
    Effect::new(move |_| {
        names.dispatch(());
        linked.dispatch(());
    });
    let variables = Signal::derive(move || {
        let suggestions = match names.value().get() {
            Some(Ok(s)) => s,
            _ => SegmentSuggestions::default(),
        };
        let linked = match linked.value().get() {
            Some(Ok(l)) => l,
            _ => Vec::new(),
        };
        // A live campaign's requests carry the event that triggered them.
        let trigger = (form.live.delivery.get() == DeliveryType::SpecificEvent)
            .then(|| form.live.trigger.event.get());
        template_variables(&suggestions, &linked, trigger.as_deref())
    });
    let types = [ContentType::Json, ContentType::Text]
        .map(|t| (t, t.label()))
        .to_vec();
    view! {
        <RadioGroup legend="Content type" name="what-content-type" choices=types value=form.content_type/>
        <LiquidEditor id="what-template" label="Body template" value=form.template variables
            error=field_error(error, "what.template")/>
    }
}

/// What `@` offers: the profile's identifiers and properties, a live campaign's triggering event
/// (`trigger`: the properties seen on that event, as `Event.*`), the campaign, and linked content, each
/// once, in that order. (Campaigns sent at a time have no event, and saving refuses `Event.*`.)
fn template_variables(
    suggestions: &SegmentSuggestions,
    linked: &[LinkedContentOut],
    trigger: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = ["Identity", "Email", "ObjectId"]
        .iter()
        .map(|k| format!("Profile.{k}"))
        .collect();
    let mut push = |name: String| {
        if !out.contains(&name) {
            out.push(name);
        }
    };
    for p in &suggestions.profile_properties {
        push(format!("Profile.{p}"));
    }
    let trigger = trigger.map(str::trim);
    for event in suggestions
        .events
        .iter()
        .filter(|e| Some(e.name.as_str()) == trigger)
    {
        for p in &event.properties {
            push(format!("Event.{p}"));
        }
    }
    push("Campaign.id".into());
    push("Campaign.name".into());
    for l in linked {
        push(format!("Linked.{}", l.content.name));
    }
    out
}

/// The flag of `ProfileFields` that a payload key names.
fn flag<'a>(fields: &'a mut ProfileFields, key: &str) -> Option<&'a mut bool> {
    Some(match key {
        "Email" => &mut fields.email,
        "Identity" => &mut fields.identity,
        "ObjectId" => &mut fields.object_id,
        "ProfileData" => &mut fields.profile_data,
        "Push_token" => &mut fields.push_token,
        _ => return None,
    })
}

#[component]
fn ProfileVariables(form: WizardForm, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let fields = form.profile_fields;
    let message = field_error(error, "what.profile_fields");
    let boxes = ProfileFields::default()
        .entries()
        .map(|(key, _)| {
            let id = format!("what-profile-{}", key.to_lowercase());
            let checked =
                move || fields.with(|f| f.entries().iter().any(|(k, on)| *k == key && *on));
            view! {
                <div class="check-field">
                    <input type="checkbox" id=id.clone() prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            fields.update(|f| {
                                if let Some(flag) = flag(f, key) {
                                    *flag = on;
                                }
                            });
                        }/>
                    <label for=id>{key}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="checkbox-group" class:has-error=move || message.get().is_some()>
            <legend>"Body: Profile variables"</legend>
            <p class="hint">"Each entry of the payload's " <code>"profiles"</code> " carries the variables ticked here."</p>
            {boxes}
            {move || message.get().map(|m| view! { <p class="field-error">{m}</p> })}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_offered_are_each_listed_once() {
        use crate::model::saved_segment::EventSuggestion;
        let suggestions = SegmentSuggestions {
            events: vec![
                EventSuggestion {
                    name: "Charged".into(),
                    properties: vec!["Amount".into()],
                },
                EventSuggestion {
                    name: "Viewed".into(),
                    properties: vec!["Amount".into(), "Page".into()],
                },
            ],
            profile_properties: vec!["Email".into(), "Name".into()],
        };
        assert_eq!(
            template_variables(&suggestions, &[], None),
            [
                "Profile.Identity",
                "Profile.Email",
                "Profile.ObjectId",
                "Profile.Name",
                "Campaign.id",
                "Campaign.name"
            ]
        );
        assert_eq!(
            template_variables(&suggestions, &[], Some("Viewed"))[4..6],
            ["Event.Amount", "Event.Page"],
            "a live campaign offers its trigger's properties"
        );
    }

    #[test]
    fn every_payload_key_has_its_flag() {
        let mut fields = ProfileFields::default();
        for (key, _) in ProfileFields::default().entries() {
            *flag(&mut fields, key).unwrap() = false;
        }
        assert!(!fields.any());
        assert!(flag(&mut fields, "Event_properties").is_none());
    }
}
