//! Rules for a campaign draft, step by step. The wizard checks a step before moving on; publishing
//! checks them all. The same rules run in the browser and on the server; the server also checks what
//! needs the database or the clock (the template exists, a *later* time is in the future).

use super::FieldErrors;
use super::campaign::{BodyFormat, CampaignDraft, Param, When, WizardStep};
use super::local_time::parse_date_time;
use super::segment::MAX_EVENT_NAME_LEN;

pub const MAX_NAME_LEN: usize = 200;
pub const MAX_PARAMS: usize = 50;
pub const MAX_PARAM_NAME_LEN: usize = 256;
pub const MAX_PARAM_VALUE_LEN: usize = 4096;
pub const MAX_CAP: u32 = 10_000_000;
pub const MAX_CONTROL_GROUP_PERCENT: u8 = 90;
pub const MAX_CONVERSION_WINDOW_MS: u64 = 90 * 86_400_000;
pub const MAX_TEMPLATE_LEN: usize = 64 * 1024;

impl CampaignDraft {
    /// Checks every step up to and including `step` (`Review` checks everything).
    pub fn check_through(&self, step: WizardStep) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        for s in WizardStep::ALL.into_iter().filter(|s| *s <= step) {
            self.check_step(s, &mut errors);
        }
        errors.into_result()
    }

    fn check_step(&self, step: WizardStep, errors: &mut FieldErrors) {
        match step {
            WizardStep::Setup => self.check_setup(errors),
            WizardStep::Who => {
                // A live campaign may target everyone who does its trigger.
                if !(self.is_live() && self.who.segment.rules.is_empty()) {
                    self.who.segment.check("who.segment", errors);
                }
                if let Some(cap) = self.who.cap
                    && !(1..=MAX_CAP).contains(&cap)
                {
                    errors.add("who.cap", format!("Enter a cap from 1 to {MAX_CAP}."));
                }
                if self.who.control_group_percent > MAX_CONTROL_GROUP_PERCENT {
                    errors.add(
                        "who.control_group_percent",
                        format!("Enter a whole percentage from 0 to {MAX_CONTROL_GROUP_PERCENT}."),
                    );
                }
            }
            WizardStep::What => {
                check_params(&self.what.query, "what.query", "query parameter", errors);
                match self.what.format {
                    BodyFormat::ProfileVariables => {
                        check_params(&self.what.key_values, "what.key_values", "key", errors);
                        if !self.what.profile_fields.any() {
                            errors.add(
                                "what.profile_fields",
                                "Tick at least one profile variable to send.",
                            );
                        }
                    }
                    BodyFormat::Custom => {
                        if self.what.template.trim().is_empty() {
                            errors.add("what.template", "Write the body to send.");
                        } else if self.what.template.len() > MAX_TEMPLATE_LEN {
                            errors.add(
                                "what.template",
                                format!("Use at most {} KB.", MAX_TEMPLATE_LEN / 1024),
                            );
                        }
                    }
                }
            }
            WizardStep::When if self.is_live() => super::live::check(&self.live, errors),
            WizardStep::When => match &self.when {
                When::Now => {}
                When::Later { at } => {
                    if parse_date_time(at).is_none() {
                        errors.add("when.at", "Enter the date and time to send at.");
                    }
                }
                When::Recurring(recurrence) => recurrence.check("when", errors),
            },
            WizardStep::Review => {}
        }
    }

    fn check_setup(&self, errors: &mut FieldErrors) {
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Enter a name for the campaign.");
        } else if name.chars().count() > MAX_NAME_LEN {
            errors.add("name", format!("Use at most {MAX_NAME_LEN} characters."));
        }
        if self.template_id.is_none() {
            errors.add("template_id", "Choose the webhook template to send with.");
        }
        if self.goal_event.len() > MAX_EVENT_NAME_LEN {
            errors.add(
                "goal_event",
                format!("Use at most {MAX_EVENT_NAME_LEN} characters."),
            );
        }
        let window = self.conversion_window;
        let window_ms = u64::from(window.value) * window.unit.millis();
        if !self.goal_event.trim().is_empty()
            && !(1..=MAX_CONVERSION_WINDOW_MS).contains(&window_ms)
        {
            errors.add(
                "conversion_window",
                "Enter a conversion window from 1 second to 90 days.",
            );
        }
    }
}

/// Names must be present and unique; `item` names one pair in messages.
fn check_params(params: &[Param], prefix: &str, item: &str, errors: &mut FieldErrors) {
    if params.len() > MAX_PARAMS {
        errors.add(prefix, format!("Use at most {MAX_PARAMS} entries."));
    }
    for (i, p) in params.iter().enumerate() {
        let name = p.name.trim();
        let name_key = format!("{prefix}.{i}.name");
        if name.is_empty() {
            errors.add(name_key, format!("Enter the {item} name."));
        } else if name.len() > MAX_PARAM_NAME_LEN {
            errors.add(
                name_key,
                format!("Use at most {MAX_PARAM_NAME_LEN} characters."),
            );
        } else if params[..i].iter().any(|q| q.name.trim() == name) {
            errors.add(name_key, format!("This {item} name is used twice."));
        }
        if p.value.len() > MAX_PARAM_VALUE_LEN {
            errors.add(
                format!("{prefix}.{i}.value"),
                format!("Use at most {MAX_PARAM_VALUE_LEN} characters."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TemplateId;
    use crate::model::campaign::ProfileFields;
    use crate::model::segment::{Did, Rule, Segment};

    const NO_PROFILE_FIELDS: ProfileFields = ProfileFields {
        email: false,
        identity: false,
        object_id: false,
        profile_data: false,
        push_token: false,
    };

    fn draft() -> CampaignDraft {
        let mut d = CampaignDraft {
            name: "Win-back".into(),
            template_id: Some(TemplateId(1)),
            ..Default::default()
        };
        d.who.segment = Segment::of(Rule::Did(Did {
            event: "App Launched".into(),
            ..Default::default()
        }));
        d
    }

    #[test]
    fn each_step_checks_only_what_came_before() {
        let mut d = draft();
        d.who.segment.rules.clear();
        assert!(d.check_through(WizardStep::Setup).is_ok());
        let e = d.check_through(WizardStep::Who).unwrap_err();
        assert!(e.get("who.segment.rules").is_some());
    }

    #[test]
    fn a_goal_needs_a_conversion_window_of_at_most_ninety_days() {
        use crate::model::segment::{TimeUnit, Within};
        let mut d = draft();
        d.goal_event = "Charged".into();
        assert!(
            d.check_through(WizardStep::Setup).is_ok(),
            "one day by default"
        );
        d.conversion_window = Within {
            value: 91,
            unit: TimeUnit::Days,
        };
        let e = d.check_through(WizardStep::Setup).unwrap_err();
        assert!(e.get("conversion_window").is_some());
        d.conversion_window.value = 0;
        assert!(d.check_through(WizardStep::Setup).is_err());
        d.goal_event.clear();
        assert!(
            d.check_through(WizardStep::Setup).is_ok(),
            "no goal, no window"
        );
    }

    #[test]
    fn setup_needs_a_name_and_a_template() {
        let d = CampaignDraft::default();
        let e = d.check_through(WizardStep::Setup).unwrap_err();
        assert!(e.get("name").is_some());
        assert!(e.get("template_id").is_some());
    }

    #[test]
    fn params_need_unique_names_and_a_profile_variable() {
        let mut d = draft();
        d.what.query = vec![
            Param {
                name: "src".into(),
                value: "a".into(),
            },
            Param {
                name: "src".into(),
                value: "b".into(),
            },
        ];
        d.what.key_values = vec![Param {
            name: String::new(),
            value: "x".into(),
        }];
        d.what.profile_fields = NO_PROFILE_FIELDS;
        let e = d.check_through(WizardStep::What).unwrap_err();
        assert_eq!(
            e.get("what.query.1.name"),
            Some("This query parameter name is used twice.")
        );
        assert!(e.get("what.key_values.0.name").is_some());
        assert!(e.get("what.profile_fields").is_some());
    }

    #[test]
    fn a_custom_body_needs_a_template_and_skips_profile_variables() {
        let mut d = draft();
        d.what.format = BodyFormat::Custom;
        d.what.profile_fields = NO_PROFILE_FIELDS;
        let e = d.check_through(WizardStep::What).unwrap_err();
        assert_eq!(e.get("what.template"), Some("Write the body to send."));
        assert!(e.get("what.profile_fields").is_none());
        d.what.template = "x".repeat(MAX_TEMPLATE_LEN + 1);
        let e = d.check_through(WizardStep::What).unwrap_err();
        assert_eq!(e.get("what.template"), Some("Use at most 64 KB."));
        d.what.template = "{\"hi\": {{ Profile.Name | json }}}".into();
        assert!(d.check_through(WizardStep::What).is_ok());
    }

    #[test]
    fn later_needs_a_date_time_and_caps_are_bounded() {
        let mut d = draft();
        d.when = When::Later {
            at: "tomorrow".into(),
        };
        d.who.cap = Some(0);
        d.who.control_group_percent = 91;
        let e = d.check_through(WizardStep::Review).unwrap_err();
        assert!(e.get("when.at").is_some());
        assert!(e.get("who.cap").is_some());
        assert_eq!(
            e.get("who.control_group_percent"),
            Some("Enter a whole percentage from 0 to 90.")
        );
        d.when = When::Later {
            at: "2026-12-01T09:00".into(),
        };
        d.who.cap = Some(500);
        d.who.control_group_percent = 90;
        assert!(d.check_through(WizardStep::Review).is_ok());
    }
}
