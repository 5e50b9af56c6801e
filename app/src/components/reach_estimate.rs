//! The live reach estimate beside a segment: how many users qualify now and how many the cap leaves.
//! It asks the server only for a segment the model's rules accept, once the typing has settled.

use std::time::Duration;

use leptos::prelude::*;

use crate::sync_hydrated::IntoSyncAny;
use serde::{Deserialize, Serialize};

use super::error_banner::redirect_if_signed_out;
use super::format::{count_of, format_count};
use super::timing::debounced;
use crate::api::segments::estimate_reach;
use crate::model::campaign::control_size;
use crate::model::campaign_report::ReachOut;
use crate::model::segment::{Rule, Segment};
use crate::model::{ApiError, FieldErrors};

/// What the estimate can say about the segment as typed.
#[derive(Debug, Clone, PartialEq)]
enum Query {
    NoEvent,
    /// Another field breaks a rule; its message is shown beside it.
    Incomplete,
    Ready(Segment, Option<u32>),
}

/// The resource's answer; serialisable so the server-rendered estimate hydrates as is.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Estimate {
    NoEvent,
    Incomplete,
    Reach(ReachOut),
    Failed(ApiError),
}

#[component]
pub fn ReachEstimate(
    #[prop(into)] segment: Signal<Segment>,
    #[prop(into)] cap: Signal<Option<u32>>,
    /// The control group's share, if the campaign holds one out.
    #[prop(optional, into)]
    control_percent: Signal<u8>,
) -> impl IntoView {
    let query = Signal::derive(move || {
        let segment = segment.get();
        let blank = |rule: &Rule| matches!(rule, Rule::Did(did) if did.event.trim().is_empty());
        if segment.rules.iter().all(blank) {
            return Query::NoEvent;
        }
        let mut errors = FieldErrors::default();
        segment.check("who", &mut errors);
        if errors.is_empty() {
            Query::Ready(segment, cap.get())
        } else {
            Query::Incomplete
        }
    });
    let settled = debounced(query, Duration::from_millis(400));
    let reach = Resource::new(
        move || settled.get(),
        |query| async move {
            match query {
                Query::NoEvent => Estimate::NoEvent,
                Query::Incomplete => Estimate::Incomplete,
                Query::Ready(segment, cap) => match estimate_reach(segment, cap).await {
                    Ok(reach) => Estimate::Reach(reach),
                    Err(e) => Estimate::Failed(e),
                },
            }
        },
    );
    view! {
        <section class="reach" aria-labelledby="reach-heading" aria-live="polite">
            <h3 id="reach-heading">"Reach estimate"</h3>
            <Transition fallback=|| view! { <p class="muted">"Estimating\u{2026}"</p> }>
                {move || Suspend::new(async move {
                    match reach.await {
                        Estimate::NoEvent => view! { <p class="muted">"Choose an event to see the reach."</p> }.into_sync_any(),
                        Estimate::Incomplete => view! { <p class="muted">"Complete the segment to see the reach."</p> }.into_sync_any(),
                        Estimate::Reach(out) => view! {
                            <p class="reach-figures">{describe_reach(out)}</p>
                            {move || describe_control(out.targeted, control_percent.get()).map(|text| view! { <p class="hint">{text}</p> })}
                        }.into_sync_any(),
                        Estimate::Failed(e) => {
                            redirect_if_signed_out(&e);
                            view! { <p class="field-error">{format!("The reach could not be estimated: {e}")}</p> }.into_sync_any()
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

/// `25 of them are held out as the control group (10 %) and sent nothing.`
fn describe_control(targeted: u64, percent: u8) -> Option<String> {
    if percent == 0 || targeted == 0 {
        return None;
    }
    let held = control_size(targeted, percent);
    Some(format!(
        "{} of them held out as the control group ({percent} %), sent nothing; {} sent to.",
        format_count(held),
        format_count(targeted - held.min(targeted))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_how_many_the_control_group_holds_out() {
        assert_eq!(describe_control(250, 0), None);
        assert_eq!(
            describe_control(250, 10).as_deref(),
            Some("25 of them held out as the control group (10 %), sent nothing; 225 sent to.")
        );
    }

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
