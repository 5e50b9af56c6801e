//! "Did not": the event with its filters, and the time in which it must not have happened.

use leptos::prelude::*;

use crate::components::segment_builder::context::Builder;
use crate::components::segment_builder::event::EventEditor;
use crate::components::segment_builder::state::{EventFields, WindowFields};
use crate::components::segment_builder::window::WindowEditor;

#[component]
pub fn DidNotEditor(
    builder: Builder,
    rule: usize,
    what: EventFields,
    window: WindowFields,
) -> impl IntoView {
    view! {
        <EventEditor builder rule fields=what label="Event not done" keys="" part=""/>
        <WindowEditor builder rule fields=window legend="When"/>
    }
}
