//! Live campaigns (*Specific event* delivery): sent to a user when they do the trigger event, as it is
//! ingested — after an optional delay, unless they do another event within a time, at most so many
//! times per user, between an optional start and end.

use serde::{Deserialize, Serialize};

use super::FieldErrors;
use super::local_time::parse_date_time;
use super::segment::describe::quoted;
use super::segment::event::{check_event, describe_filters};
use super::segment::{EventMatch, Filter, TimeUnit, Within};

/// The longest delay or "unless … within" time.
pub const MAX_WAIT_MS: u64 = 90 * 86_400_000;
pub const MAX_FREQUENCY: u32 = 1000;

/// How a campaign is delivered (the seeds' *Delivery type* on Setup).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryType {
    /// Now, later or recurring, to the users a segment holds then.
    #[default]
    SpecificTime,
    /// Live: to each user who does the trigger event, as it happens.
    SpecificEvent,
}

impl DeliveryType {
    pub const ALL: [DeliveryType; 2] = [Self::SpecificTime, Self::SpecificEvent];

    pub fn label(self) -> &'static str {
        match self {
            Self::SpecificTime => "Specific time",
            Self::SpecificEvent => "Specific event",
        }
    }

    /// The seeds' words under each option.
    pub fn hint(self) -> &'static str {
        match self {
            Self::SpecificTime => {
                "Send to the users of a segment now, at a later time, or on a recurring schedule."
            }
            Self::SpecificEvent => {
                "Send live, as soon as a user does an event (e.g. Added To Cart), optionally after a delay or unless they do another event in time."
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SpecificTime => "specific_time",
            Self::SpecificEvent => "specific_event",
        }
    }
}

/// A live campaign's When.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSettings {
    /// The event, with filters on its properties, that sends the campaign to its user.
    #[serde(default)]
    pub trigger: EventMatch,
    /// How long after the trigger to send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Within>,
    /// Send only if the user did not do this event within this time after the trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<Unless>,
    /// At most so many requests per user per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_cap: Option<FrequencyCap>,
    /// Triggers count from (and until) these wall-clock times in the project time zone,
    /// `YYYY-MM-DDTHH:MM`; from publishing, and without end, when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// "Unless the user does `event` (with `filters`) within `within` after the trigger": inaction within
/// time, decided when that time is up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unless {
    pub event: String,
    #[serde(default)]
    pub filters: Vec<Filter>,
    pub within: Within,
}

/// At most `max` requests per user per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequencyCap {
    pub max: u32,
    pub per: CapPeriod,
}

impl Default for FrequencyCap {
    fn default() -> Self {
        Self {
            max: 1,
            per: CapPeriod::Day,
        }
    }
}

/// The period a frequency cap counts over: the 24 hours or 7 days before a send (a sliding window, so
/// a cap of 1 per day never sends twice within 24 hours), or the campaign's whole life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapPeriod {
    #[default]
    Day,
    Week,
    Campaign,
}

impl CapPeriod {
    pub const ALL: [CapPeriod; 3] = [Self::Day, Self::Week, Self::Campaign];

    pub fn label(self) -> &'static str {
        match self {
            Self::Day => "per day (any 24 hours)",
            Self::Week => "per week (any 7 days)",
            Self::Campaign => "for the whole campaign",
        }
    }

    /// The sliding window's length; `None` for the whole campaign.
    pub fn window_ms(self) -> Option<i64> {
        match self {
            Self::Day => Some(86_400_000),
            Self::Week => Some(7 * 86_400_000),
            Self::Campaign => None,
        }
    }
}

/// Whether `within` is 1 second to 90 days.
fn wait_in_range(within: Within) -> bool {
    (1..=MAX_WAIT_MS).contains(&(u64::from(within.value) * within.unit.millis()))
}

/// The When step of a live campaign: messages keyed `trigger.*`, `delay.value`, `unless.*`,
/// `frequency_cap.max`, `start`, `end`.
pub fn check(draft: &LiveSettings, errors: &mut FieldErrors) {
    check_event(
        &draft.trigger.event,
        &draft.trigger.filters,
        "trigger",
        errors,
    );
    if let Some(delay) = draft.delay
        && !wait_in_range(delay)
    {
        errors.add("delay.value", "Enter a delay from 1 second to 90 days.");
    }
    if let Some(unless) = &draft.unless {
        check_event(&unless.event, &unless.filters, "unless", errors);
        if !wait_in_range(unless.within) {
            errors.add(
                "unless.within.value",
                "Enter a time from 1 second to 90 days.",
            );
        }
    }
    if let Some(cap) = draft.frequency_cap
        && !(1..=MAX_FREQUENCY).contains(&cap.max)
    {
        errors.add(
            "frequency_cap.max",
            format!("Enter a number of requests from 1 to {MAX_FREQUENCY}."),
        );
    }
    let start = draft.start.as_deref().map(|s| (s, parse_date_time(s)));
    let end = draft.end.as_deref().map(|s| (s, parse_date_time(s)));
    if let Some((_, None)) = start {
        errors.add("start", "Enter the date and time to start at.");
    }
    if let Some((_, None)) = end {
        errors.add("end", "Enter the date and time to end at.");
    }
    if let (Some((s, Some(_))), Some((e, Some(_)))) = (start, end)
        && parse_date_time(e) <= parse_date_time(s)
    {
        errors.add("end", "End after the start.");
    }
}

/// "when a user does “Searched” with … — after 30 minutes — unless they do “Booked” within 30
/// minutes — at most 1 per day (any 24 hours)".
pub fn describe(draft: &LiveSettings) -> String {
    let mut out = format!(
        "When a user does {}{}",
        quoted(&draft.trigger.event),
        describe_filters(&draft.trigger.filters)
    );
    if let Some(delay) = draft.delay {
        out.push_str(&format!(", wait {}", delay.words()));
    }
    if let Some(unless) = &draft.unless {
        out.push_str(&format!(
            ", unless they do {}{} within {}",
            quoted(&unless.event),
            describe_filters(&unless.filters),
            unless.within.words()
        ));
    }
    if let Some(cap) = draft.frequency_cap {
        let requests = if cap.max == 1 { "request" } else { "requests" };
        out.push_str(&format!(
            "; at most {} {requests} {}",
            cap.max,
            cap.per.label()
        ));
    }
    out
}

/// How long after the trigger its request is decided: the delay, or the "unless" time when longer.
pub fn wait_ms(draft: &LiveSettings) -> i64 {
    let delay = draft.delay.map_or(0, Within::millis);
    let unless = draft.unless.as_ref().map_or(0, |u| u.within.millis());
    delay.max(unless)
}

/// A default "unless" for the builder: the event left to choose, within 30 minutes.
pub fn new_unless() -> Unless {
    Unless {
        within: Within {
            value: 30,
            unit: TimeUnit::Minutes,
        },
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live() -> LiveSettings {
        LiveSettings {
            trigger: EventMatch {
                event: "Searched".into(),
                filters: vec![],
            },
            ..Default::default()
        }
    }

    fn keys(d: &LiveSettings) -> Vec<String> {
        let mut errors = FieldErrors::default();
        check(d, &mut errors);
        errors.0.into_keys().collect()
    }

    #[test]
    fn a_live_campaign_needs_a_trigger_and_bounded_waits() {
        assert!(keys(&live()).is_empty());
        let mut d = live();
        d.trigger.event = " ".into();
        d.delay = Some(Within {
            value: 91,
            unit: TimeUnit::Days,
        });
        d.unless = Some(new_unless());
        d.frequency_cap = Some(FrequencyCap {
            max: 0,
            per: CapPeriod::Week,
        });
        d.start = Some("2026-12-01T09:00".into());
        d.end = Some("2026-12-01T08:00".into());
        assert_eq!(
            keys(&d),
            [
                "delay.value",
                "end",
                "frequency_cap.max",
                "trigger.event",
                "unless.event"
            ]
        );
    }

    #[test]
    fn the_wait_is_the_longer_of_delay_and_unless() {
        let mut d = live();
        assert_eq!(wait_ms(&d), 0);
        d.delay = Some(Within {
            value: 10,
            unit: TimeUnit::Minutes,
        });
        d.unless = Some(new_unless());
        assert_eq!(wait_ms(&d), 30 * 60_000);
        d.unless = None;
        assert_eq!(wait_ms(&d), 10 * 60_000);
    }

    #[test]
    fn describes_the_trigger_in_words() {
        let mut d = live();
        d.unless = Some(Unless {
            event: "Booked".into(),
            ..new_unless()
        });
        d.frequency_cap = Some(FrequencyCap::default());
        assert_eq!(
            describe(&d),
            "When a user does \u{201c}Searched\u{201d}, unless they do \u{201c}Booked\u{201d} within 30 minutes; at most 1 request per day (any 24 hours)"
        );
    }
}
