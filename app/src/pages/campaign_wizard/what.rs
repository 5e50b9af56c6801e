//! Step 3, What: the request each delivery makes. The template gives method and URL; the campaign adds
//! URL query parameters, picks the profile variables of the JSON body and its `key_values`. A preview
//! and a test send follow.

use leptos::prelude::*;

use super::form::WizardForm;
use super::preview::RequestPreview;
use crate::components::error_banner::field_error;
use crate::components::key_value_editor::KeyValueEditor;
use crate::model::campaign::ProfileFields;
use crate::model::campaign_report::TemplateChoice;
use crate::model::{ApiError, CampaignId};

#[component]
pub fn WhatStep(
    id: CampaignId,
    form: WizardForm,
    templates: Vec<TemplateChoice>,
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
                }.into_any(),
                None => view! {
                    <dt>"Webhook template"</dt>
                    <dd>"None chosen yet: pick one in Setup."</dd>
                }.into_any(),
            }}
        </dl>
        <p>"Content type: " <strong>"JSON"</strong></p>
        <fieldset>
            <legend>"URL query parameters"</legend>
            <p class="hint">"Added to the template's URL on every request."</p>
            <KeyValueEditor rows=form.query item="Query parameter" field_prefix="what.query" error
                add_label="Add query parameter"/>
        </fieldset>
        <ProfileVariables form error/>
        <fieldset>
            <legend>"key_values"</legend>
            <p class="hint">"Sent as the payload's " <code>"key_values"</code> " object, the same for every user."</p>
            <KeyValueEditor rows=form.key_values item="Key-value" field_prefix="what.key_values" error
                add_label="Add key-value"/>
        </fieldset>
        <RequestPreview id form error/>
    }
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
    fn every_payload_key_has_its_flag() {
        let mut fields = ProfileFields::default();
        for (key, _) in ProfileFields::default().entries() {
            *flag(&mut fields, key).unwrap() = false;
        }
        assert!(!fields.any());
        assert!(flag(&mut fields, "Event_properties").is_none());
    }
}
