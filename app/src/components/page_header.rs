//! The top of a signed-in page: its title (also the browser tab's), a one-line description, and an
//! optional main action. Title and description may follow live data (a campaign's name and status).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] lead: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=move || title.get()/>
        <div class="page-header">
            <div>
                <h1>{move || title.get()}</h1>
                <p class="lead">{move || lead.get()}</p>
            </div>
            {children.map(|action| action())}
        </div>
    }
}
