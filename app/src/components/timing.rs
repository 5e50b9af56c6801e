//! Browser timers for reactive code: repeating a refresh while something is live, and letting a value
//! settle before acting on it. Both start from Effects, so they run only in the browser; the server
//! renders the first value and never sets a timer.

use std::time::Duration;

use leptos::prelude::*;

/// Calls `tick` every `period` while `active` is true; stops when it turns false or the page goes away.
pub fn poll_while(
    active: impl Fn() -> bool + Send + Sync + 'static,
    period: Duration,
    tick: impl Fn() + Clone + 'static,
) {
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        stop();
        if active() {
            timer.set_value(set_interval_with_handle(tick.clone(), period).ok());
        }
    });
    on_cleanup(stop);
}

/// Follows `source`, but only once it has stayed the same for `delay` (e.g. while someone types).
pub fn debounced<T>(source: Signal<T>, delay: Duration) -> Signal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let settled = RwSignal::new(source.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel = move || {
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        let value = source.get();
        cancel();
        if settled.with_untracked(|s| *s != value) {
            let handle = set_timeout_with_handle(
                move || {
                    settled.try_set(value);
                },
                delay,
            );
            timer.set_value(handle.ok());
        }
    });
    on_cleanup(cancel);
    settled.into()
}
