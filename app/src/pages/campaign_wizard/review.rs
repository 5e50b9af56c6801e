//! Step 5, Overview: every choice of the saved draft in words, each section with a link back to its
//! step; the wizard's bar publishes it.

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::flow::step_path;
use super::form::WizardForm;
use crate::components::format::format_count;
use crate::components::next_page::preload_next_page;
use crate::model::CampaignId;
use crate::model::campaign::{BodyFormat, CampaignDraft, Param, What, When, WizardStep};
use crate::model::campaign_report::WizardOptionsOut;
use crate::model::live;

fn describe_params(params: &[Param]) -> String {
    if params.is_empty() {
        return "None".to_owned();
    }
    params
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether users get a request each or share batched requests, and why.
fn requests(what: &What, batch_size: u32) -> String {
    let uses = what.uses();
    if !uses.personal {
        return format!("Batched: up to {batch_size} users per request");
    }
    let mut text = "One per user (the content uses their variables)".to_owned();
    if !uses.linked.is_empty() {
        let names: Vec<String> = uses.linked.iter().map(|n| format!("Linked.{n}")).collect();
        text.push_str(&format!("; fetches {} for each user", names.join(", ")));
    }
    text
}

#[component]
pub fn ReviewStep(id: CampaignId, form: WizardForm, options: WizardOptionsOut) -> impl IntoView {
    // Publishing is what this step is for: the report's code downloads while the draft is read.
    Effect::new(|_| preload_next_page());
    // The Overview shows the draft as saved by the last Next; nothing on it can be edited in place.
    let draft: CampaignDraft = untrack(|| form.draft());
    let template = draft
        .template_id
        .and_then(|t| options.templates.iter().find(|c| c.id == t))
        .map_or_else(|| "\u{2014}".to_owned(), |t| t.name.clone());
    let goal = if draft.goal_event.trim().is_empty() {
        "None".to_owned()
    } else {
        let w = draft.conversion_window;
        format!(
            "{}, within {} {} after the send",
            draft.goal_event.trim(),
            w.value,
            w.unit.as_str()
        )
    };
    let cap = draft.who.cap.map_or_else(
        || "Everyone who qualifies".to_owned(),
        |c| format!("At most {} users", format_count(u64::from(c))),
    );
    let control = match draft.who.control_group_percent {
        0 => "None".to_owned(),
        p => format!("{p} % of the targeted users, held out at random and sent nothing"),
    };
    let variables = draft
        .what
        .profile_fields
        .entries()
        .iter()
        .filter(|(_, on)| *on)
        .map(|(key, _)| *key)
        .collect::<Vec<_>>()
        .join(", ");
    let segment = if draft.is_live() && draft.who.segment.rules.is_empty() {
        "Everyone who does the trigger event".to_owned()
    } else {
        draft.who.segment.describe()
    };
    let when = match &draft.when {
        _ if draft.is_live() => live::describe(&draft.live),
        When::Now => "Now, as soon as it is published".to_owned(),
        When::Later { at } => format!(
            "Later: {} ({})",
            at.replacen('T', " ", 1),
            options.time_zone
        ),
        When::Recurring(recurrence) => format!(
            "Recurring: {} ({})",
            recurrence.describe(),
            options.time_zone
        ),
    };
    view! {
        <p class="hint">"Check every choice, then publish. Publishing checks the whole campaign once more."</p>
        <Section id step=WizardStep::Setup>
            <dt>"Campaign name"</dt><dd>{draft.name.clone()}</dd>
            <dt>"Delivery type"</dt><dd>{draft.delivery.label()}</dd>
            <dt>"Webhook template"</dt><dd>{template}</dd>
            <dt>"Goal event"</dt><dd>{goal}</dd>
        </Section>
        <Section id step=WizardStep::Who>
            <dt>"Segment"</dt><dd>{segment}</dd>
            <dt>"Users targeted"</dt><dd>{cap}</dd>
            <dt>"Control group"</dt><dd>{control}</dd>
        </Section>
        <Section id step=WizardStep::What>
            <dt>"URL query parameters"</dt><dd>{describe_params(&draft.what.query)}</dd>
            <dt>"Body"</dt><dd>{draft.what.format.label()}</dd>
            <dt>"Content type"</dt><dd>{draft.what.content_type().label()}</dd>
            <dt>"Requests"</dt><dd>{requests(&draft.what, options.batch_size)}</dd>
            {match draft.what.format {
                BodyFormat::ProfileVariables => view! {
                    <dt>"Profile variables"</dt><dd>{variables}</dd>
                    <dt>"key_values"</dt><dd>{describe_params(&draft.what.key_values)}</dd>
                }.into_sync_any(),
                BodyFormat::Custom => view! {
                    <dt>"Template"</dt><dd><pre class="code">{draft.what.template.clone()}</pre></dd>
                }.into_sync_any(),
            }}
        </Section>
        <Section id step=WizardStep::When>
            <dt>"Send"</dt><dd>{when}</dd>
        </Section>
    }
}

#[component]
fn Section(id: CampaignId, step: WizardStep, children: Children) -> impl IntoView {
    let heading = format!("review-{}", step.slug());
    let labelled_by = heading.clone();
    view! {
        <section class="summary" aria-labelledby=labelled_by>
            <div class="section-head">
                <h3 id=heading>{step.label()}</h3>
                <a href=step_path(id, step) aria-label=format!("Edit {}", step.label())>"Edit"</a>
            </div>
            <dl class="pairs">{children()}</dl>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_say_whether_they_are_per_user() {
        let mut what = What::default();
        assert_eq!(requests(&what, 100), "Batched: up to 100 users per request");
        what.query = vec![Param {
            name: "city".into(),
            value: "{{ Profile.City }}".into(),
        }];
        assert_eq!(
            requests(&what, 100),
            "One per user (the content uses their variables)"
        );
        what.format = BodyFormat::Custom;
        what.template = "{{ Linked.weather.temp }}".into();
        assert!(requests(&what, 100).ends_with("; fetches Linked.weather for each user"));
    }

    #[test]
    fn params_read_as_pairs() {
        assert_eq!(describe_params(&[]), "None");
        let params = [
            Param {
                name: "a".into(),
                value: "1".into(),
            },
            Param {
                name: "b".into(),
                value: String::new(),
            },
        ];
        assert_eq!(describe_params(&params), "a=1, b=");
    }
}
