//! The delivery log's filter form (status, failure reason, user) and its pager (newer / older pages).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::components::field::TextField;
use crate::components::format::format_count;
use crate::components::select_field::SelectField;
use crate::model::DeliveryId;
use crate::model::campaign_report::DeliveryStatus;
use crate::model::delivery_log::DeliveryFilter;

/// Filters as typed; applied to the log on Filter.
#[component]
pub fn LogFilterForm(
    /// The failure reasons to choose from (as "Failures by reason" lists them).
    #[prop(into)]
    reasons: Signal<Vec<String>>,
    on_apply: impl Fn(DeliveryFilter) + Send + Sync + 'static,
) -> impl IntoView {
    let status = RwSignal::new(None::<DeliveryStatus>);
    let reason = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let statuses = std::iter::once((None, "All statuses".to_owned()))
        .chain(
            [
                DeliveryStatus::Pending,
                DeliveryStatus::Delivered,
                DeliveryStatus::Failed,
                DeliveryStatus::Cancelled,
            ]
            .map(|s| (Some(s), s.label().to_owned())),
        )
        .collect();
    let on_apply = StoredValue::new(on_apply);
    let apply = move || {
        let filter = DeliveryFilter {
            status: status.get_untracked(),
            reason: Some(reason.get_untracked()),
            user: Some(user.get_untracked()),
        }
        .normalized();
        on_apply.with_value(|f| f(filter));
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        apply();
    };
    let clear = move |_| {
        status.set(None);
        reason.set(String::new());
        user.set(String::new());
        apply();
    };
    view! {
        <form class="log-filters" role="search" aria-label="Filter the delivery log" on:submit=submit>
            <SelectField id="log-status" label="Status" value=status choices=statuses narrow=true/>
            <div class="field">
                <label for="log-reason">"Failure reason"</label>
                <select id="log-reason" prop:value=move || reason.get()
                    on:change=move |ev| reason.set(event_target_value(&ev))>
                    <option value="">"Any reason"</option>
                    {move || reasons.get().into_iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                </select>
            </div>
            <TextField id="log-user" label="User" value=user
                hint="Identity, email or object ID: the requests that went to this user."/>
            <div class="form-actions">
                <button type="submit" class="btn-secondary">"Filter"</button>
                <button type="button" class="btn-link" on:click=clear>"Clear filters"</button>
            </div>
        </form>
    }
}

/// Which page is shown: a stack of the `before` cursors of the pages walked through (`None`: newest).
#[derive(Clone, Copy)]
pub struct Pages(pub RwSignal<Vec<Option<DeliveryId>>>);

impl Pages {
    pub fn new() -> Self {
        Self(RwSignal::new(vec![None]))
    }

    /// The `before` of the page shown.
    pub fn before(self) -> Option<DeliveryId> {
        self.0.with(|c| c.last().copied().flatten())
    }

    pub fn first(self) {
        self.0.set(vec![None]);
    }

    fn index(self) -> usize {
        self.0.with(|c| c.len() - 1)
    }
}

/// "Deliveries 51–100 of 230", with Newer and Older.
#[component]
pub fn Pager(pages: Pages, shown: usize, total: u64, next: Option<DeliveryId>) -> impl IntoView {
    let from = pages.index()
        * usize::try_from(crate::model::delivery_log::DELIVERY_PAGE_SIZE).unwrap_or(50);
    let range = if shown == 0 {
        "No deliveries match.".to_owned()
    } else {
        format!(
            "Deliveries {}\u{2013}{} of {}",
            format_count((from + 1) as u64),
            format_count((from + shown) as u64),
            format_count(total)
        )
    };
    view! {
        <nav class="pager" aria-label="Delivery log pages">
            <span role="status">{range}</span>
            <button type="button" class="btn-secondary btn-small" disabled=move || pages.index() == 0
                on:click=move |_| pages.0.update(|c| { c.pop(); })>"Newer"</button>
            <button type="button" class="btn-secondary btn-small" disabled=next.is_none()
                on:click=move |_| pages.0.update(|c| c.push(next))>"Older"</button>
        </nav>
    }
}
