//! The pages as lazily loaded routes: each page's code is a chunk of its own in the browser bundle
//! (`cargo leptos build --split`), fetched when the page is first opened (on the server, rendered as
//! any view; the page's chunks are preloaded by the HTML of a page opened directly). Each route type
//! only wraps its page component; the page loads its own data.
//!
//! Written out one by one: `#[lazy_route]` names each chunk after where it is written. A new item's
//! page and a saved one's are one route (`names_saved_item`): they share nearly all their code, and
//! the bundle splitter gives every set of routes sharing code a file of its own, so as two routes
//! they split into many more small files (the wizard: 170 files to load, 135 as one route).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::{LazyRoute, lazy_route};

use crate::components::next_page::NextPage;
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
        // The next page is the wizard, the heaviest of all: its code downloads while the channel
        // is being chosen (in the browser only; effects do not run on the server). A failed
        // download is handled as a failed navigation would be (`frontend::chunk_failure`).
        Effect::new(|_| leptos::task::spawn_local(WizardRoute::preload()));
        interactive(campaign_wizard::channel::ChooseChannelPage())
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

/// The Who/What/When wizard: a new campaign's first step, or a saved campaign's steps.
pub struct WizardRoute {
    saved: bool,
}

#[lazy_route]
impl LazyRoute for WizardRoute {
    fn data() -> Self {
        Self {
            saved: names_saved_item(),
        }
    }

    fn view(this: Self) -> AnyView {
        // Publishing, on the last step, opens the campaign's report.
        NextPage::provide(|| leptos::task::spawn_local(CampaignRoute::preload()));
        if this.saved {
            interactive(campaign_wizard::page::WizardPage())
        } else {
            interactive(campaign_wizard::page::NewCampaignSetupPage())
        }
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

/// A new segment, or a saved one.
pub struct SegmentEditorRoute {
    saved: bool,
}

#[lazy_route]
impl LazyRoute for SegmentEditorRoute {
    fn data() -> Self {
        Self {
            saved: names_saved_item(),
        }
    }

    fn view(this: Self) -> AnyView {
        if this.saved {
            interactive(segments::edit::EditSegmentPage())
        } else {
            interactive(segments::edit::NewSegmentPage())
        }
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

/// A new template, or a saved one.
pub struct WebhookEditorRoute {
    saved: bool,
}

#[lazy_route]
impl LazyRoute for WebhookEditorRoute {
    fn data() -> Self {
        Self {
            saved: names_saved_item(),
        }
    }

    fn view(this: Self) -> AnyView {
        if this.saved {
            interactive(webhooks::edit::EditWebhookPage())
        } else {
            interactive(webhooks::new::NewWebhookPage())
        }
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

/// A new linked content source, or a saved one.
pub struct LinkedEditorRoute {
    saved: bool,
}

#[lazy_route]
impl LazyRoute for LinkedEditorRoute {
    fn data() -> Self {
        Self {
            saved: names_saved_item(),
        }
    }

    fn view(this: Self) -> AnyView {
        if this.saved {
            interactive(linked::edit::EditLinkedPage())
        } else {
            interactive(linked::edit::NewLinkedPage())
        }
    }
}

/// Whether the route's address names a saved item (an `:id`), rather than a new one.
fn names_saved_item() -> bool {
    use_params_map().with_untracked(|params| params.get("id").is_some())
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
