//! The HTML shell and the root component: routes and app-wide context.

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::flash::Flash;
use crate::components::shell::AppShell;
use crate::pages::{
    campaign_wizard, campaigns, linked, login, not_found, segments, settings, setup, webhooks,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(Flash::default());
    // Effects run only in the browser: this marks the page as interactive (tests wait for it).
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/hookline.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=|page: String| if page.is_empty() { "Hookline".to_owned() } else { format!("{page} · Hookline") }/>
        <Router>
            <Routes fallback=not_found::NotFoundPage>
                <Route path=path!("/login") view=login::LoginPage/>
                <Route path=path!("/setup") view=setup::SetupPage/>
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("") view=|| view! { <Redirect path="/campaigns"/> }/>
                    <Route path=path!("campaigns") view=campaigns::list::CampaignsPage/>
                    // Static paths first: the router takes the first route that matches.
                    <Route path=path!("campaigns/new") view=campaign_wizard::channel::ChooseChannelPage/>
                    <Route path=path!("campaigns/new/setup") view=campaign_wizard::page::NewCampaignSetupPage/>
                    <Route path=path!("campaigns/:id") view=campaigns::report::CampaignPage/>
                    <Route path=path!("campaigns/:id/:step") view=campaign_wizard::page::WizardPage/>
                    <Route path=path!("segments") view=segments::list::SegmentsPage/>
                    <Route path=path!("segments/new") view=segments::edit::NewSegmentPage/>
                    <Route path=path!("segments/:id") view=segments::edit::EditSegmentPage/>
                    <Route path=path!("webhooks") view=webhooks::list::WebhooksPage/>
                    <Route path=path!("webhooks/new") view=webhooks::new::NewWebhookPage/>
                    <Route path=path!("webhooks/:id") view=webhooks::edit::EditWebhookPage/>
                    <Route path=path!("settings") view=settings::SettingsPage/>
                    <Route path=path!("settings/linked") view=linked::list::LinkedContentPage/>
                    <Route path=path!("settings/linked/new") view=linked::edit::NewLinkedPage/>
                    <Route path=path!("settings/linked/:id") view=linked::edit::EditLinkedPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
