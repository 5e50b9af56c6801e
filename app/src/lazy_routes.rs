//! The pages as lazily loaded routes: each page's code is a chunk of its own in the browser bundle
//! (`cargo leptos build --split`), fetched when the page is first opened (on the server, rendered as
//! any view; the page's chunks are preloaded by the HTML of a page opened directly). Each route type
//! only wraps its page component; the page loads its own data.
//!
//! Written out one by one: `#[lazy_route]` names each chunk after where it is written.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::sync_hydrated::IntoSyncAny;

use crate::pages::{
    campaign_wizard, campaigns, linked, login, segments, settings, setup, webhooks,
};

/// The sign-in form.
pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(login::LoginPage())
    }
}

/// First-run setup.
pub struct SetupRoute;

#[lazy_route]
impl LazyRoute for SetupRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(setup::SetupPage())
    }
}

/// The campaign list.
pub struct CampaignsRoute;

#[lazy_route]
impl LazyRoute for CampaignsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(campaigns::list::CampaignsPage())
    }
}

/// A new campaign's channel.
pub struct ChooseChannelRoute;

#[lazy_route]
impl LazyRoute for ChooseChannelRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(campaign_wizard::channel::ChooseChannelPage())
    }
}

/// A new campaign's first step.
pub struct NewCampaignSetupRoute;

#[lazy_route]
impl LazyRoute for NewCampaignSetupRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(campaign_wizard::page::NewCampaignSetupPage())
    }
}

/// A campaign's report.
pub struct CampaignRoute;

#[lazy_route]
impl LazyRoute for CampaignRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(campaigns::report::CampaignPage())
    }
}

/// The Who/What/When wizard.
pub struct WizardRoute;

#[lazy_route]
impl LazyRoute for WizardRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(campaign_wizard::page::WizardPage())
    }
}

/// The saved segments.
pub struct SegmentsRoute;

#[lazy_route]
impl LazyRoute for SegmentsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(segments::list::SegmentsPage())
    }
}

/// A new segment.
pub struct NewSegmentRoute;

#[lazy_route]
impl LazyRoute for NewSegmentRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(segments::edit::NewSegmentPage())
    }
}

/// A saved segment.
pub struct EditSegmentRoute;

#[lazy_route]
impl LazyRoute for EditSegmentRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(segments::edit::EditSegmentPage())
    }
}

/// The webhook templates.
pub struct WebhooksRoute;

#[lazy_route]
impl LazyRoute for WebhooksRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(webhooks::list::WebhooksPage())
    }
}

/// A new template.
pub struct NewWebhookRoute;

#[lazy_route]
impl LazyRoute for NewWebhookRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(webhooks::new::NewWebhookPage())
    }
}

/// A saved template.
pub struct EditWebhookRoute;

#[lazy_route]
impl LazyRoute for EditWebhookRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(webhooks::edit::EditWebhookPage())
    }
}

/// The settings.
pub struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(settings::SettingsPage())
    }
}

/// The linked content sources.
pub struct LinkedContentRoute;

#[lazy_route]
impl LazyRoute for LinkedContentRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(linked::list::LinkedContentPage())
    }
}

/// A new linked content source.
pub struct NewLinkedRoute;

#[lazy_route]
impl LazyRoute for NewLinkedRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(linked::edit::NewLinkedPage())
    }
}

/// A saved linked content source.
pub struct EditLinkedRoute;

#[lazy_route]
impl LazyRoute for EditLinkedRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        interactive(linked::edit::EditLinkedPage())
    }
}

/// `page`, marking the document interactive (`<body data-hydrated>`, which the end-to-end tests wait
/// for before they type) once it is hydrated. A lazily loaded page is built only when its chunk has
/// arrived and is hydrated in the same turn, so the effect — which runs after that turn — never marks
/// a page whose handlers are not attached yet (an effect of `App` would run while the chunk loads).
/// The page is hydrated synchronously once its chunk is there (`sync_hydrated` says why).
fn interactive(page: impl IntoView + 'static) -> AnyView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    page.into_view().into_sync_any()
}
