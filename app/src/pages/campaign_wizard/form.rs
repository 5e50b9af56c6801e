//! What the wizard's inputs hold, for every step at once: it lives as long as the wizard page, so moving
//! between steps keeps everything typed, and it turns back into a `CampaignDraft` to check and save.

use leptos::prelude::*;

use super::live_form::LiveForm;
use super::recurring_form::RecurringForm;
use crate::components::key_value_editor::KeyValueRows;
use crate::components::segment_builder::{SegmentForm, parse_count};
use crate::model::campaign::{
    BodyFormat, CampaignDraft, ContentType, Param, ProfileFields, What, When, Who,
};
use crate::model::segment::{TimeUnit, Within};
use crate::model::{SegmentId, TemplateId};

/// When a *Specific time* campaign is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendChoice {
    Now,
    Later,
    Recurring,
}

#[derive(Debug, Clone, Copy)]
pub struct WizardForm {
    pub name: RwSignal<String>,
    pub template_id: RwSignal<Option<TemplateId>>,
    pub goal_event: RwSignal<String>,
    /// The conversion window as typed, and its unit.
    pub conversion_value: RwSignal<String>,
    pub conversion_unit: RwSignal<TimeUnit>,
    pub segment: SegmentForm,
    pub segment_id: RwSignal<Option<SegmentId>>,
    pub cap_on: RwSignal<bool>,
    pub cap: RwSignal<String>,
    /// The control group's share, as typed (empty: none).
    pub control_percent: RwSignal<String>,
    pub query: KeyValueRows,
    pub format: RwSignal<BodyFormat>,
    pub content_type: RwSignal<ContentType>,
    pub template: RwSignal<String>,
    pub profile_fields: RwSignal<ProfileFields>,
    pub key_values: KeyValueRows,
    pub send: RwSignal<SendChoice>,
    pub send_at: RwSignal<String>,
    pub recurring: RecurringForm,
    /// Delivery type, and a live campaign's When.
    pub live: LiveForm,
}

impl WizardForm {
    pub fn new(draft: &CampaignDraft) -> Self {
        let pairs = |params: &[Param]| {
            params
                .iter()
                .map(|p| (p.name.clone(), p.value.clone()))
                .collect::<Vec<_>>()
        };
        let (send, send_at) = match &draft.when {
            When::Now => (SendChoice::Now, String::new()),
            When::Later { at } => (SendChoice::Later, at.clone()),
            When::Recurring(_) => (SendChoice::Recurring, String::new()),
        };
        Self {
            name: RwSignal::new(draft.name.clone()),
            template_id: RwSignal::new(draft.template_id),
            goal_event: RwSignal::new(draft.goal_event.clone()),
            conversion_value: RwSignal::new(draft.conversion_window.value.to_string()),
            conversion_unit: RwSignal::new(draft.conversion_window.unit),
            segment: SegmentForm::new(&draft.who.segment),
            segment_id: RwSignal::new(draft.who.segment_id),
            cap_on: RwSignal::new(draft.who.cap.is_some()),
            cap: RwSignal::new(draft.who.cap.map(|c| c.to_string()).unwrap_or_default()),
            control_percent: RwSignal::new(match draft.who.control_group_percent {
                0 => String::new(),
                p => p.to_string(),
            }),
            query: KeyValueRows::new(pairs(&draft.what.query)),
            format: RwSignal::new(draft.what.format),
            content_type: RwSignal::new(draft.what.content_type),
            template: RwSignal::new(draft.what.template.clone()),
            profile_fields: RwSignal::new(draft.what.profile_fields),
            key_values: KeyValueRows::new(pairs(&draft.what.key_values)),
            send: RwSignal::new(send),
            send_at: RwSignal::new(send_at),
            recurring: RecurringForm::new(match &draft.when {
                When::Recurring(r) => Some(r),
                _ => None,
            }),
            live: LiveForm::new(draft),
        }
    }

    /// The control group's share as typed (reactive): empty is none; anything but a whole number up
    /// to 255 reads as 255, past the limit, so the check says so.
    pub fn control_value(&self) -> u8 {
        let typed = self.control_percent.get();
        let typed = typed.trim();
        if typed.is_empty() {
            return 0;
        }
        typed
            .parse::<u64>()
            .map_or(u8::MAX, |n| u8::try_from(n).unwrap_or(u8::MAX))
    }

    /// The cap as typed, if the limit is on (reactive).
    pub fn cap_value(&self) -> Option<u32> {
        self.cap_on.get().then(|| parse_count(&self.cap.get()))
    }

    /// The draft as typed. Drops key–value rows left completely empty, so error indices match rows;
    /// call it from event handlers (or untracked), not while rendering.
    pub fn draft(&self) -> CampaignDraft {
        let params = |rows: KeyValueRows| {
            rows.take_pairs()
                .into_iter()
                .map(|(name, value)| Param { name, value })
                .collect()
        };
        let mut draft = CampaignDraft {
            name: self.name.get(),
            template_id: self.template_id.get(),
            goal_event: self.goal_event.get(),
            conversion_window: Within {
                value: parse_count(&self.conversion_value.get()),
                unit: self.conversion_unit.get(),
            },
            who: Who {
                segment: self.segment.segment(),
                segment_id: self.segment_id.get(),
                cap: self.cap_value(),
                control_group_percent: self.control_value(),
            },
            what: What {
                query: params(self.query),
                format: self.format.get(),
                content_type: self.content_type.get(),
                template: self.template.get(),
                profile_fields: self.profile_fields.get(),
                key_values: params(self.key_values),
            },
            when: match self.send.get() {
                SendChoice::Now => When::Now,
                SendChoice::Later => When::Later {
                    at: self.send_at.get(),
                },
                SendChoice::Recurring => When::Recurring(self.recurring.recurrence()),
            },
            ..Default::default()
        };
        self.live.fill(&mut draft);
        draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::segment::{Count, CountOp, Did, Filter, Op, Rule, Segment, TimeWindow};

    #[test]
    fn a_draft_comes_back_as_it_went_in() {
        Owner::new_root(None).with(a_draft_comes_back);
    }

    fn a_draft_comes_back() {
        let mut draft = CampaignDraft {
            name: "Win-back".into(),
            template_id: Some(TemplateId(3)),
            goal_event: "Charged".into(),
            ..Default::default()
        };
        draft.who.segment = Segment::of(Rule::Did(Did {
            event: "Charged".into(),
            count: Count {
                op: CountOp::AtLeast,
                value: 2,
            },
            filters: vec![Filter {
                property: "amount".into(),
                op: Op::GreaterThan,
                value: "10".into(),
            }],
            window: TimeWindow::Between {
                from: "2026-11-01".into(),
                to: "2026-11-20".into(),
            },
        }));
        draft.who.cap = Some(500);
        draft.who.control_group_percent = 10;
        draft.conversion_window = Within {
            value: 3,
            unit: TimeUnit::Hours,
        };
        draft.what.query = vec![Param {
            name: "src".into(),
            value: "hookline".into(),
        }];
        draft.what.profile_fields.push_token = false;
        draft.what.format = BodyFormat::Custom;
        draft.what.content_type = ContentType::Text;
        draft.what.template = "Hi {{ Profile.Name }}".into();
        draft.when = When::Later {
            at: "2026-12-01T09:00".into(),
        };
        assert_eq!(WizardForm::new(&draft).draft(), draft);
        draft.when = When::Recurring(crate::model::recurrence::Recurrence {
            every: crate::model::recurrence::Every::Month,
            at: "07:15".into(),
            day_of_month: Some(31),
            start: "2027-01-01".into(),
            ..Default::default()
        });
        assert_eq!(WizardForm::new(&draft).draft(), draft);
        assert_eq!(
            WizardForm::new(&CampaignDraft::default()).draft(),
            CampaignDraft::default()
        );
    }

    #[test]
    fn empty_rows_are_dropped_and_typed_numbers_kept_as_typed() {
        Owner::new_root(None).with(empty_rows_dropped);
    }

    fn empty_rows_dropped() {
        let form = WizardForm::new(&CampaignDraft::default());
        form.key_values.push(String::new(), String::new());
        form.key_values.push("plan".into(), String::new());
        form.cap_on.set(true);
        form.cap.set("lots".into());
        let draft = form.draft();
        assert_eq!(draft.what.key_values.len(), 1);
        assert_eq!(draft.who.cap, Some(0));
        assert_eq!(form.cap.get_untracked(), "lots");
    }
}
