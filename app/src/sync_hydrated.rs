//! A view that is hydrated synchronously even when its parent hydrates asynchronously.
//!
//! A lazily loaded page is hydrated with `hydrate_async` (the router awaits the page's chunk), and
//! tachys implements `hydrate_async` for every element, closure and tuple as a future of its own:
//! the whole page's view tree is compiled a second time as state machines, next to the synchronous
//! `hydrate` that an `AnyView`'s table keeps anyway. Once the chunk is loaded nothing in a page
//! needs to wait (a `<Suspense>` hydrates synchronously in both paths), so the page is hydrated by
//! the synchronous code — the same code `hydrate_body` runs for a whole app — and its asynchronous
//! copy is never compiled into the browser bundle.
//!
//! The same holds for every `AnyView` in a page: its table keeps `hydrate_async` of the erased view,
//! so the app erases views with [`IntoSyncAny::into_sync_any`] instead of `IntoAny::into_any`.

use leptos::prelude::{AnyView, IntoAny};
use leptos::tachys::{
    html::attribute::{Attribute, any_attribute::AnyAttribute},
    hydration::Cursor,
    ssr::StreamBuilder,
    view::{Position, PositionState, Render, RenderHtml, add_attr::AddAnyAttr},
};

/// `into_any()` for the app's views: erases the view's type, keeping no asynchronous hydration of it.
pub trait IntoSyncAny: RenderHtml + Sized {
    #[allow(clippy::disallowed_methods)] // the one place the app erases a view
    fn into_sync_any(self) -> AnyView {
        SyncHydrated(self).into_any()
    }
}

impl<V: RenderHtml> IntoSyncAny for V {}

/// `V`, hydrated by its synchronous `hydrate` when asked for `hydrate_async`.
struct SyncHydrated<V>(V);

impl<V: Render> Render for SyncHydrated<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for SyncHydrated<V> {
    type Output<SomeNewAttr: Attribute> = SyncHydrated<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHydrated(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for SyncHydrated<V> {
    type AsyncOutput = SyncHydrated<V::AsyncOutput>;
    type Owned = SyncHydrated<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHydrated(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(
            buf,
            position,
            escape,
            mark_branches,
            extra_attrs,
        )
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<true>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        SyncHydrated(self.0.into_owned())
    }
}
