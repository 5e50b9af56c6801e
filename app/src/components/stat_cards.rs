//! A campaign's counts as a row of cards: targeted, sent, delivered, failed users and requests still
//! pending. They follow the counts as the page refreshes.

use leptos::prelude::*;

use super::format::format_count;
use crate::model::campaign::CampaignStats;

#[component]
pub fn StatCards(#[prop(into)] stats: Signal<CampaignStats>) -> impl IntoView {
    let card = move |label: &'static str,
                     hint: &'static str,
                     tone: &'static str,
                     value: fn(&CampaignStats) -> u64| {
        view! {
            <div class=format!("stat-card {tone}") title=hint>
                <dt>{label}</dt>
                <dd>{move || stats.with(|s| format_count(value(s)))}</dd>
            </div>
        }
    };
    view! {
        <dl class="stat-cards">
            {card("Targeted", "Users the segment selected, without the control group", "", |s| s.targeted)}
            {card("Control", "Users held out as the control group: sent nothing", "", |s| s.control)}
            {card("Sent", "Users in requests sent at least once", "", |s| s.sent)}
            {card("Delivered", "Users in requests answered 2xx", "stat-good", |s| s.delivered)}
            {card("Failed", "Users in requests that failed for good", "stat-bad", |s| s.failed)}
            {card("Pending requests", "Requests waiting to be sent or retried", "", |s| s.pending_requests)}
            {card("Conversions", "Targeted users who did the goal event within the window", "stat-good", |s| s.conversions)}
            {card("Control conversions", "Control users who did the goal event within the window", "", |s| s.control_conversions)}
        </dl>
    }
}
