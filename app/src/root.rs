//! The HTML shell and the root component: routes and app-wide context.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Link, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::components::flash::Flash;
use crate::components::navigation_target::TrackNavigationTarget;
use crate::components::shell::AppShell;
use crate::lazy_routes::*;
use crate::pages::not_found;

/// Where the pages link the browser files from: `/b/<build>` (the server keeps a build's files
/// there for good, `server/src/http/static_files.rs`), or empty for `/pkg/` itself.
#[derive(Clone, Debug, Default)]
pub struct BrowserFilesRoot(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let root = use_context::<BrowserFilesRoot>().unwrap_or_default().0;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos" root=root.clone()/>
                <HydrationScripts options root/>
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
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Title formatter=|page: String| if page.is_empty() { "Hookline".to_owned() } else { format!("{page} · Hookline") }/>
        <Router>
            <TrackNavigationTarget/>
            <Routes fallback=not_found::NotFoundPage>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()}/>
                <ParentRoute path=path!("") view=AppShell>
                    <Route path=path!("") view=|| view! { <Redirect path="/campaigns"/> }/>
                    <Route path=path!("campaigns") view={Lazy::<CampaignsRoute>::new()}/>
                    // Static paths first: the router takes the first route that matches.
                    <Route path=path!("campaigns/new") view={Lazy::<ChooseChannelRoute>::new()}/>
                    <Route path=path!("campaigns/new/setup") view={Lazy::<WizardRoute>::new()}/>
                    <Route path=path!("campaigns/:id") view={Lazy::<CampaignRoute>::new()}/>
                    <Route path=path!("campaigns/:id/:step") view={Lazy::<WizardRoute>::new()}/>
                    <Route path=path!("segments") view={Lazy::<SegmentsRoute>::new()}/>
                    <Route path=path!("segments/new") view={Lazy::<SegmentEditorRoute>::new()}/>
                    <Route path=path!("segments/:id") view={Lazy::<SegmentEditorRoute>::new()}/>
                    <Route path=path!("webhooks") view={Lazy::<WebhooksRoute>::new()}/>
                    <Route path=path!("webhooks/new") view={Lazy::<WebhookEditorRoute>::new()}/>
                    <Route path=path!("webhooks/:id") view={Lazy::<WebhookEditorRoute>::new()}/>
                    <Route path=path!("settings") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("settings/linked") view={Lazy::<LinkedContentRoute>::new()}/>
                    <Route path=path!("settings/linked/new") view={Lazy::<LinkedEditorRoute>::new()}/>
                    <Route path=path!("settings/linked/:id") view={Lazy::<LinkedEditorRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
