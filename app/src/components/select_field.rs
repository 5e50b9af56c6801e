//! A labelled `<select>` over a fixed list of choices, bound to a signal of the chosen value.

use leptos::prelude::*;

#[component]
pub fn SelectField<T>(
    /// The select's id; the label points at it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<T>,
    /// Each choice with the text shown for it, in order.
    choices: Vec<(T, String)>,
    #[prop(optional)] narrow: bool,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let options = choices
        .iter()
        .enumerate()
        .map(|(i, (choice, text))| {
            let choice = *choice;
            view! { <option value=i.to_string() selected=move || value.get() == choice>{text.clone()}</option> }
        })
        .collect_view();
    let values: Vec<T> = choices.iter().map(|(choice, _)| *choice).collect();
    let index = {
        let values = values.clone();
        move || {
            let current = value.get();
            values
                .iter()
                .position(|v| *v == current)
                .unwrap_or_default()
                .to_string()
        }
    };
    view! {
        <div class="field" class:field-narrow=narrow>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                prop:value=index
                on:change=move |ev| {
                    if let Some(choice) = event_target_value(&ev).parse::<usize>().ok().and_then(|i| values.get(i)) {
                        value.set(*choice);
                    }
                }
            >
                {options}
            </select>
        </div>
    }
}

/// The time units as a select's choices (seconds … days).
pub fn time_units() -> Vec<(crate::model::segment::TimeUnit, String)> {
    crate::model::segment::TimeUnit::ALL
        .iter()
        .map(|u| (*u, u.as_str().to_owned()))
        .collect()
}
