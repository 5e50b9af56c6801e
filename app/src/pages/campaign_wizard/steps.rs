//! The wizard's frame around each step: the step indicator (Setup, Who, What, When, Overview; the
//! current one marked, earlier ones as links) and the Back / Next (or Publish) bar.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;

use super::flow::{WizardFlow, step_path};
use crate::model::campaign::WizardStep;

#[component]
pub fn StepIndicator(flow: WizardFlow, #[prop(into)] step: Signal<WizardStep>) -> impl IntoView {
    let items = WizardStep::ALL.map(|s| {
        let state = move || {
            let current = step.get();
            if s == current {
                "current"
            } else if s < current {
                "done"
            } else {
                "todo"
            }
        };
        let label = move || {
            // Earlier steps of a saved draft are links; saving first keeps what this step holds.
            match flow.id.filter(|_| s < step.get()) {
                Some(id) => view! {
                    <a href=step_path(id, s) on:click=move |ev: MouseEvent| {
                        if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
                            ev.prevent_default();
                            flow.go_to(s);
                        }
                    }>{s.label()}</a>
                }
                .into_sync_any(),
                None => view! { <span>{s.label()}</span> }.into_sync_any(),
            }
        };
        view! {
            <li class=move || format!("step step-{}", state())
                aria-current=move || (step.get() == s).then_some("step")>
                {label}
            </li>
        }
    });
    view! {
        <nav aria-label="Campaign steps">
            <ol class="steps">{items.collect_view()}</ol>
        </nav>
    }
}

/// Back and Next for the steps before the Overview; Back and Publish on it. Next and Publish submit
/// the step's form.
#[component]
pub fn StepActions(flow: WizardFlow, #[prop(into)] step: Signal<WizardStep>) -> impl IntoView {
    let saving = flow.saving();
    let publishing = flow.publishing();
    let busy = move || saving.get() || publishing.get();
    let back = move || {
        step.get()
            .previous()
            .filter(|_| flow.id.is_some())
            .map(|previous| {
                view! {
                    <button type="button" class="btn-secondary" disabled=busy
                        on:click=move |_| flow.go_to(previous)>
                        "Back"
                    </button>
                }
            })
    };
    let submit_label = move || match (step.get(), saving.get(), publishing.get()) {
        (WizardStep::Review, _, true) => "Publishing\u{2026}",
        (WizardStep::Review, _, false) => "Publish",
        (_, true, _) => "Saving\u{2026}",
        _ => "Next",
    };
    view! {
        <div class="form-actions wizard-actions">
            {back}
            <button type="submit" class="btn-primary" disabled=busy>{submit_label}</button>
        </div>
    }
}
