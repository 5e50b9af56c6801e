//! An editable list of key–value pairs (custom headers, query parameters, key_values).
//! Each input has its own visible label ("Header 2 name"); errors come keyed as `prefix.index.name`.

use leptos::prelude::*;

use super::error_banner::field_message;
use crate::model::ApiError;

#[derive(Debug, Clone, Copy)]
pub struct KeyValueRow {
    /// Stable identity of the row while others are added and removed.
    pub key: u64,
    pub name: RwSignal<String>,
    pub value: RwSignal<String>,
}

/// The rows of an editor, and the counter that keeps their keys unique.
#[derive(Debug, Clone, Copy)]
pub struct KeyValueRows {
    pub rows: RwSignal<Vec<KeyValueRow>>,
    next_key: StoredValue<u64>,
    /// Where the rows' signals live: with the state itself, not with whatever is on screen when a row
    /// is added, so rows outlive an editor that is unmounted (a wizard step left and come back to).
    owner: StoredValue<Option<Owner>>,
}

impl KeyValueRows {
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let this = Self {
            rows: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            owner: StoredValue::new(Owner::current()),
        };
        for (name, value) in pairs {
            this.push(name, value);
        }
        this
    }

    pub fn push(&self, name: String, value: String) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let make = move || KeyValueRow {
            key,
            name: RwSignal::new(name),
            value: RwSignal::new(value),
        };
        let row = match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        };
        self.rows.update(|rows| rows.push(row));
    }

    /// Drops rows left completely empty, then returns the pairs in order (so error indices match rows).
    pub fn take_pairs(&self) -> Vec<(String, String)> {
        self.rows.update(|rows| {
            rows.retain(|r| !(r.name.with(String::is_empty) && r.value.with(String::is_empty)))
        });
        self.rows
            .with(|rows| rows.iter().map(|r| (r.name.get(), r.value.get())).collect())
    }
}

#[component]
pub fn KeyValueEditor(
    rows: KeyValueRows,
    /// What one pair is called in labels: "Header".
    item: &'static str,
    /// Prefix of the pairs' field keys in validation errors: "headers".
    field_prefix: &'static str,
    error: RwSignal<Option<ApiError>>,
    /// The add button's accessible name when a page has several editors ("Add query parameter");
    /// its visible text stays "+ Key-Value Pair".
    #[prop(optional)]
    add_label: Option<&'static str>,
) -> impl IntoView {
    let list = rows.rows;
    view! {
        <div class="kv-editor">
            <For
                each=move || list.get()
                key=|row| row.key
                children=move |row| {
                    let index = Memo::new(move |_| list.with(|rs| rs.iter().position(|r| r.key == row.key).unwrap_or(0)));
                    let name_id = format!("{field_prefix}-{}-name", row.key);
                    let value_id = format!("{field_prefix}-{}-value", row.key);
                    let name_error = Signal::derive(move || error.with(|e| field_message(e.as_ref(), &format!("{field_prefix}.{}.name", index.get()))));
                    let value_error = Signal::derive(move || error.with(|e| field_message(e.as_ref(), &format!("{field_prefix}.{}.value", index.get()))));
                    let lower = item.to_lowercase();
                    view! {
                        <div class="kv-row">
                            <div class="field" class:has-error=move || name_error.get().is_some()>
                                <label for=name_id.clone()>{move || format!("{item} {} name", index.get() + 1)}</label>
                                <input id=name_id type="text" bind:value=row.name
                                    aria-invalid=move || name_error.get().is_some().then_some("true")/>
                                {move || name_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                            </div>
                            <div class="field" class:has-error=move || value_error.get().is_some()>
                                <label for=value_id.clone()>{move || format!("{item} {} value", index.get() + 1)}</label>
                                <input id=value_id type="text" bind:value=row.value
                                    aria-invalid=move || value_error.get().is_some().then_some("true")/>
                                {move || value_error.get().map(|m| view! { <p class="field-error">{m}</p> })}
                            </div>
                            <button
                                type="button"
                                class="btn-secondary kv-remove"
                                aria-label=move || format!("Remove {lower} {}", index.get() + 1)
                                on:click=move |_| list.update(|rs| rs.retain(|r| r.key != row.key))
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            />
            <button type="button" class="btn-secondary" aria-label=add_label
                on:click=move |_| rows.push(String::new(), String::new())>
                "+ Key-Value Pair"
            </button>
        </div>
    }
}
