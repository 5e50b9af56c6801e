//! The live reach estimate beside a segment: how many users qualify now and how many the cap leaves.
//! It asks the server only for a segment the model's rules accept, once the typing has settled.

use std::time::Duration;

use leptos::prelude::*;

use super::error_banner::redirect_if_signed_out;
use super::format::{count_of, format_count};
use super::timing::debounced;
use crate::api::segments::estimate_reach;
use crate::model::FieldErrors;
use crate::model::campaign_report::ReachOut;
use crate::model::segment::SingleAction;

#[component]
pub fn ReachEstimate(
    #[prop(into)] segment: Signal<SingleAction>,
    #[prop(into)] cap: Signal<Option<u32>>,
) -> impl IntoView {
    let query = Signal::derive(move || {
        let segment = segment.get();
        let mut errors = FieldErrors::default();
        segment.check("who", &mut errors);
        errors.is_empty().then(|| (segment, cap.get()))
    });
    let settled = debounced(query, Duration::from_millis(400));
    let reach = Resource::new(
        move || settled.get(),
        |query| async move {
            match query {
                Some((segment, cap)) => Some(estimate_reach(segment, cap).await),
                None => None,
            }
        },
    );
    view! {
        <section class="reach" aria-labelledby="reach-heading" aria-live="polite">
            <h3 id="reach-heading">"Reach estimate"</h3>
            <Transition fallback=|| view! { <p class="muted">"Estimating\u{2026}"</p> }>
                {move || Suspend::new(async move {
                    match reach.await {
                        None => view! { <p class="muted">"Choose an event to see the reach."</p> }.into_any(),
                        Some(Ok(out)) => view! { <p class="reach-figures">{describe_reach(out)}</p> }.into_any(),
                        Some(Err(e)) => {
                            redirect_if_signed_out(&e);
                            view! { <p class="field-error">{format!("The reach could not be estimated: {e}")}</p> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// `1,234 users qualify now · 1,000 will be targeted (cap)`.
fn describe_reach(reach: ReachOut) -> String {
    if reach.qualifying == 0 {
        return "No users qualify now".to_owned();
    }
    let verb = if reach.qualifying == 1 {
        "qualifies"
    } else {
        "qualify"
    };
    let qualifying = format!("{} {verb} now", count_of(reach.qualifying, "user"));
    if reach.targeted < reach.qualifying {
        format!(
            "{qualifying} \u{b7} {} will be targeted (cap)",
            format_count(reach.targeted)
        )
    } else {
        format!("{qualifying} \u{b7} all will be targeted")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_the_cap_leaves() {
        let capped = ReachOut {
            qualifying: 1_234,
            targeted: 1_000,
        };
        assert_eq!(
            describe_reach(capped),
            "1,234 users qualify now \u{b7} 1,000 will be targeted (cap)"
        );
        let one = ReachOut {
            qualifying: 1,
            targeted: 1,
        };
        assert_eq!(
            describe_reach(one),
            "1 user qualifies now \u{b7} all will be targeted"
        );
        let none = ReachOut {
            qualifying: 0,
            targeted: 0,
        };
        assert_eq!(describe_reach(none), "No users qualify now");
    }
}
