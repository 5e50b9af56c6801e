//! A campaign's conversion rates: of the users sent to, and of the control group, with the uplift the
//! webhook made. Shown when the campaign has a goal event.

use leptos::prelude::*;

use crate::model::campaign::CampaignStats;

#[component]
pub fn ConversionRates(
    #[prop(into)] stats: Signal<CampaignStats>,
    /// The goal event, and its window in words.
    goal: String,
) -> impl IntoView {
    view! {
        <section class="card conversion-rates" aria-labelledby="conversions-heading">
            <h2 id="conversions-heading">{format!("Conversions: {goal}")}</h2>
            <p>{move || stats.with(describe)}</p>
        </section>
    }
}

/// `12.0 % of the users sent to converted (30 of 250), against 8.0 % of the control group (2 of 25): +4.0 points.`
fn describe(stats: &CampaignStats) -> String {
    let rate = |n: u64, of: u64| (of > 0).then(|| n as f64 * 100.0 / of as f64);
    let sent = rate(stats.conversions, stats.targeted);
    let control = rate(stats.control_conversions, stats.control);
    let Some(sent) = sent else {
        return "Nobody has been sent this campaign yet.".to_owned();
    };
    let mut text = format!(
        "{sent:.1} % of the users sent to converted ({} of {})",
        stats.conversions, stats.targeted
    );
    match control {
        Some(control) => text.push_str(&format!(
            ", against {control:.1} % of the control group ({} of {}): {:+.1} points.",
            stats.control_conversions,
            stats.control,
            sent - control
        )),
        None => text.push_str("; with no control group there is nothing to compare with."),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_uplift_in_words() {
        let stats = CampaignStats {
            targeted: 250,
            conversions: 30,
            control: 25,
            control_conversions: 2,
            ..Default::default()
        };
        assert_eq!(
            describe(&stats),
            "12.0 % of the users sent to converted (30 of 250), against 8.0 % of the control group (2 of 25): +4.0 points."
        );
        let no_control = CampaignStats {
            targeted: 4,
            conversions: 1,
            ..Default::default()
        };
        assert!(describe(&no_control).ends_with("nothing to compare with."));
        assert_eq!(
            describe(&CampaignStats::default()),
            "Nobody has been sent this campaign yet."
        );
    }
}
