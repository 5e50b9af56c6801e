//! What the When step of a live campaign holds while it is typed: the trigger event and its filters,
//! the delay, the "unless … within", the frequency cap, start and end.

use leptos::prelude::*;

use crate::components::segment_builder::SegmentForm;
use crate::components::segment_builder::state::{EventFields, parse_count};
use crate::model::campaign::CampaignDraft;
use crate::model::live::{CapPeriod, DeliveryType, FrequencyCap, LiveSettings, Unless, new_unless};
use crate::model::segment::{EventMatch, Match, Segment, TimeUnit, Within};

#[derive(Debug, Clone, Copy)]
pub struct LiveForm {
    pub delivery: RwSignal<DeliveryType>,
    /// Live: whether only users in the Who segment are sent to (else everyone who does the trigger).
    pub segment_on: RwSignal<bool>,
    /// Gives the trigger's and the "unless" event's filter rows their ids and owner.
    pub filter_form: SegmentForm,
    pub trigger: EventFields,
    pub delay_on: RwSignal<bool>,
    pub delay: WaitFields,
    pub unless_on: RwSignal<bool>,
    pub unless: EventFields,
    pub unless_within: WaitFields,
    pub cap_on: RwSignal<bool>,
    pub cap_max: RwSignal<String>,
    pub cap_per: RwSignal<CapPeriod>,
    /// `YYYY-MM-DDTHH:MM`, empty for none.
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
}

/// A time as typed and its unit.
#[derive(Debug, Clone, Copy)]
pub struct WaitFields {
    pub value: RwSignal<String>,
    pub unit: RwSignal<TimeUnit>,
}

impl WaitFields {
    fn new(within: Within) -> Self {
        Self {
            value: RwSignal::new(within.value.to_string()),
            unit: RwSignal::new(within.unit),
        }
    }

    fn within(&self) -> Within {
        Within {
            value: parse_count(&self.value.get()),
            unit: self.unit.get(),
        }
    }
}

impl LiveForm {
    pub fn new(draft: &CampaignDraft) -> Self {
        let filter_form = SegmentForm::new(&Segment {
            match_: Match::All,
            rules: Vec::new(),
        });
        let ids = filter_form.ids;
        let delivery = draft.delivery;
        let segment_on = draft.is_live() && !draft.who.segment.rules.is_empty();
        let draft = &draft.live;
        let unless = draft.unless.clone().unwrap_or_else(new_unless);
        let cap = draft.frequency_cap.unwrap_or_default();
        Self {
            delivery: RwSignal::new(delivery),
            segment_on: RwSignal::new(segment_on),
            filter_form,
            trigger: EventFields::new(&ids, &draft.trigger.event, &draft.trigger.filters),
            delay_on: RwSignal::new(draft.delay.is_some()),
            delay: WaitFields::new(draft.delay.unwrap_or(Within {
                value: 30,
                unit: TimeUnit::Minutes,
            })),
            unless_on: RwSignal::new(draft.unless.is_some()),
            unless: EventFields::new(&ids, &unless.event, &unless.filters),
            unless_within: WaitFields::new(unless.within),
            cap_on: RwSignal::new(draft.frequency_cap.is_some()),
            cap_max: RwSignal::new(cap.max.to_string()),
            cap_per: RwSignal::new(cap.per),
            start: RwSignal::new(draft.start.clone().unwrap_or_default()),
            end: RwSignal::new(draft.end.clone().unwrap_or_default()),
        }
    }

    /// Writes what is typed into `draft`.
    pub fn fill(&self, draft: &mut CampaignDraft) {
        let text = |s: RwSignal<String>| Some(s.get()).filter(|t| !t.trim().is_empty());
        draft.delivery = self.delivery.get();
        if draft.is_live() && !self.segment_on.get() {
            draft.who.segment.rules.clear();
            draft.who.segment_id = None;
            draft.who.cap = None;
        }
        draft.live = LiveSettings {
            trigger: EventMatch {
                event: self.trigger.event.get(),
                filters: self.trigger.filters(),
            },
            delay: self.delay_on.get().then(|| self.delay.within()),
            unless: self.unless_on.get().then(|| Unless {
                event: self.unless.event.get(),
                filters: self.unless.filters(),
                within: self.unless_within.within(),
            }),
            frequency_cap: self.cap_on.get().then(|| FrequencyCap {
                max: parse_count(&self.cap_max.get()),
                per: self.cap_per.get(),
            }),
            start: text(self.start),
            end: text(self.end),
        };
    }
}
