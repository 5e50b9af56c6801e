//! The top of a signed-in page: its title (also the browser tab's), a one-line description, and an
//! optional main action.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PageHeader(
    title: &'static str,
    lead: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <div class="page-header">
            <div>
                <h1>{title}</h1>
                <p class="lead">{lead}</p>
            </div>
            {children.map(|action| action())}
        </div>
    }
}
