//! Step 1, Setup: the campaign's name, its delivery type, the webhook template it sends through and an
//! optional goal event.

use leptos::prelude::*;

use super::form::WizardForm;
use crate::components::error_banner::field_error;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::model::campaign_report::{TemplateChoice, WizardOptionsOut};
use crate::model::segment::TimeUnit;
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
        <fieldset class="radio-group">
            <legend>"Delivery type"</legend>
            <div class="radio-option">
                <input type="radio" id="delivery-specific-time" name="delivery-type" value="specific_time"
                    checked aria-describedby="delivery-specific-time-hint"/>
                <label for="delivery-specific-time">"Specific time"</label>
                <p class="hint" id="delivery-specific-time-hint">
                    "The segment is evaluated over users' past behaviour when the campaign is sent."
                </p>
            </div>
        </fieldset>
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
                    choices=TimeUnit::ALL.iter().map(|u| (*u, u.as_str().to_owned())).collect()/>
            </div>
        </Show>
        <datalist id="event-names">
            {options.event_names.into_iter().map(|name| view! { <option value=name/> }).collect_view()}
        </datalist>
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
        .into_any();
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
    .into_any()
}
