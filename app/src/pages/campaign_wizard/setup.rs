//! Step 1, Setup: the campaign's name, its delivery type, the webhook template it sends through and an
//! optional goal event.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::form::WizardForm;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::{SelectField, time_units};
use crate::model::campaign_report::{TemplateChoice, WizardOptionsOut};
use crate::model::live::DeliveryType;
use crate::model::{ApiError, TemplateId};

#[component]
pub fn SetupStep(
    form: WizardForm,
    options: WizardOptionsOut,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    view! {
        <TextField id="setup-name" label="Campaign name" value=form.name
            placeholder="Win back lapsed buyers" error=field_error(error, "name")/>
        <DeliveryChooser delivery=form.live.delivery/>
        <TemplatePicker template_id=form.template_id templates=options.templates error/>
        <TextField id="setup-goal" label="Goal event (optional)" value=form.goal_event list="event-names"
            placeholder="Charged" error=field_error(error, "goal_event")
            hint="Users who do this event after the webhook count as conversions."/>
        <Show when=move || !form.goal_event.with(|g| g.trim().is_empty())>
            <div class="field-row reveal">
                <div class="field-narrow">
                    <TextField id="setup-conversion-window" label="Conversion window" value=form.conversion_value
                        input_type="number" min="1" error=field_error(error, "conversion_window")
                        hint="How long after the send the goal still counts (90 days at most)."/>
                </div>
                <SelectField id="setup-conversion-unit" label="Unit" value=form.conversion_unit narrow=true
                    choices=time_units()/>
            </div>
        </Show>
        <datalist id="event-names">
            {options.event_names.into_iter().map(|name| view! { <option value=name/> }).collect_view()}
        </datalist>
    }
}

#[component]
fn DeliveryChooser(delivery: RwSignal<DeliveryType>) -> impl IntoView {
    view! {
        <fieldset class="radio-group">
            <legend>"Delivery type"</legend>
            {DeliveryType::ALL
                .map(|kind| {
                    let id = format!("delivery-{}", kind.as_str().replace('_', "-"));
                    let hint_id = format!("{id}-hint");
                    view! {
                        <div class="radio-option">
                            <input type="radio" id=id.clone() name="delivery-type" value=kind.as_str()
                                aria-describedby=hint_id.clone()
                                prop:checked=move || delivery.get() == kind
                                on:change=move |_| delivery.set(kind)/>
                            <label for=id>{kind.label()}</label>
                            <p class="hint" id=hint_id>{kind.hint()}</p>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[component]
fn TemplatePicker(
    template_id: RwSignal<Option<TemplateId>>,
    templates: Vec<TemplateChoice>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let message = field_error(error, "template_id");
    let add_link = view! { <a href="/webhooks/new">"+ Add a webhook template"</a> };
    if templates.is_empty() {
        return view! {
            <div class="field" class:has-error=move || message.get().is_some()>
                <p class="label">"Webhook template"</p>
                <p class="hint">"There are no webhook templates yet: campaigns send their requests through one. " {add_link}</p>
                {move || message.get().map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
        }
        .into_sync_any();
    }
    let choices = templates
        .into_iter()
        .map(|t| {
            let id = t.id;
            view! {
                <option value=id.to_string() selected=move || template_id.get() == Some(id)>
                    {format!("{} ({} {})", t.name, t.method, t.url)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for="setup-template">"Webhook template"</label>
            <select
                id="setup-template"
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=move || message.get().map(|_| "setup-template-error")
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    template_id.set(value.parse::<i64>().ok().map(TemplateId));
                }
            >
                <option value="" selected=move || template_id.get().is_none()>"Choose a template\u{2026}"</option>
                {choices}
            </select>
            {move || message.get().map(|m| view! { <p class="field-error" id="setup-template-error">{m}</p> })}
            <p class="hint">{add_link}</p>
        </div>
    }
    .into_sync_any()
}
