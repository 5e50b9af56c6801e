//! What the segment builder's inputs hold, rule by rule and for the whole segment: a field (signal)
//! per input, so typing re-renders nothing and an error loses nothing.

use leptos::prelude::*;

pub use super::fields::{EventFields, FilterFields, Ids, WindowFields, WindowKind, parse_count};
use crate::model::segment::kinds::Kind;
use crate::model::segment::{
    Count, CountOp, DateOp, DateProperty, Did, DidNot, DidNotWithin, EventMatch, Match, Rule,
    Segment, TimeUnit, Within,
};

#[derive(Debug, Clone, Copy)]
pub enum RuleKind {
    Did {
        what: EventFields,
        count_op: RwSignal<CountOp>,
        count: RwSignal<String>,
        window: WindowFields,
    },
    DidNot {
        what: EventFields,
        window: WindowFields,
    },
    DidNotWithin {
        after: EventFields,
        what: EventFields,
        within: RwSignal<String>,
        unit: RwSignal<TimeUnit>,
        window: WindowFields,
    },
    DateProperty {
        property: RwSignal<String>,
        event: RwSignal<String>,
        op: RwSignal<DateOp>,
        days: RwSignal<String>,
    },
    Profile(FilterFields),
}

/// One rule's fields, with an id that stays the same while rules are added and removed.
#[derive(Debug, Clone, Copy)]
pub struct RuleFields {
    pub id: usize,
    pub kind: RuleKind,
}

impl RuleFields {
    pub fn new(ids: &Ids, rule: &Rule) -> Self {
        let kind = match rule {
            Rule::Did(r) => RuleKind::Did {
                what: EventFields::new(ids, &r.event, &r.filters),
                count_op: RwSignal::new(r.count.op),
                count: RwSignal::new(r.count.value.to_string()),
                window: WindowFields::new(&r.window),
            },
            Rule::DidNot(r) => RuleKind::DidNot {
                what: EventFields::new(ids, &r.event, &r.filters),
                window: WindowFields::new(&r.window),
            },
            Rule::DidNotWithin(r) => RuleKind::DidNotWithin {
                after: EventFields::new(ids, &r.after.event, &r.after.filters),
                what: EventFields::new(ids, &r.event, &r.filters),
                within: RwSignal::new(r.within.value.to_string()),
                unit: RwSignal::new(r.within.unit),
                window: WindowFields::new(&r.window),
            },
            Rule::DateProperty(r) => RuleKind::DateProperty {
                property: RwSignal::new(r.property.clone()),
                event: RwSignal::new(r.event.clone().unwrap_or_default()),
                op: RwSignal::new(r.op),
                days: RwSignal::new(r.days.to_string()),
            },
            Rule::Profile(f) => RuleKind::Profile(FilterFields::new(ids.next(), f)),
        };
        Self {
            id: ids.next(),
            kind,
        }
    }

    /// The rule as typed (reactive).
    pub fn rule(&self) -> Rule {
        match self.kind {
            RuleKind::Did {
                what,
                count_op,
                count,
                window,
            } => Rule::Did(Did {
                event: what.event.get(),
                filters: what.filters(),
                count: Count {
                    op: count_op.get(),
                    value: parse_count(&count.get()),
                },
                window: window.window(),
            }),
            RuleKind::DidNot { what, window } => Rule::DidNot(DidNot {
                event: what.event.get(),
                filters: what.filters(),
                window: window.window(),
            }),
            RuleKind::DidNotWithin {
                after,
                what,
                within,
                unit,
                window,
            } => Rule::DidNotWithin(DidNotWithin {
                after: EventMatch {
                    event: after.event.get(),
                    filters: after.filters(),
                },
                event: what.event.get(),
                filters: what.filters(),
                within: Within {
                    value: parse_count(&within.get()),
                    unit: unit.get(),
                },
                window: window.window(),
            }),
            RuleKind::DateProperty {
                property,
                event,
                op,
                days,
            } => Rule::DateProperty(DateProperty {
                property: property.get(),
                event: Some(event.get()).filter(|e| !e.trim().is_empty()),
                op: op.get(),
                days: if op.get() == DateOp::On {
                    0
                } else {
                    parse_count(&days.get())
                },
            }),
            RuleKind::Profile(filter) => Rule::Profile(filter.filter()),
        }
    }
}

/// The whole builder: the kind chosen, all or any, the rules. Rules typed under another kind are
/// kept, so switching kinds back and forth loses nothing.
#[derive(Debug, Clone, Copy)]
pub struct SegmentForm {
    pub kind: RwSignal<Kind>,
    pub match_: RwSignal<Match>,
    pub rules: RwSignal<Vec<RuleFields>>,
    pub ids: Ids,
    other_kinds: StoredValue<Vec<(Kind, Match, Vec<RuleFields>)>>,
    /// The owner the form was made under: fields added later (by a click in a step that will be
    /// unmounted) must live as long as the form, not as the step.
    owner: StoredValue<Owner>,
}

impl SegmentForm {
    pub fn new(segment: &Segment) -> Self {
        let ids = Ids::default();
        Self {
            kind: RwSignal::new(Kind::of(segment)),
            match_: RwSignal::new(segment.match_),
            rules: RwSignal::new(
                segment
                    .rules
                    .iter()
                    .map(|r| RuleFields::new(&ids, r))
                    .collect(),
            ),
            ids,
            other_kinds: StoredValue::new(Vec::new()),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// Runs `make` (which creates fields) under the form's owner.
    pub fn create<T>(&self, make: impl FnOnce() -> T) -> T {
        self.owner.with_value(|owner| owner.with(make))
    }

    /// The segment as typed (reactive: tracks every field).
    pub fn segment(&self) -> Segment {
        Segment {
            match_: self.match_.get(),
            rules: self.rules.get().iter().map(RuleFields::rule).collect(),
        }
    }

    /// Switches to `kind`: the rules last typed under it, or its starting rules.
    pub fn choose_kind(&self, kind: Kind) {
        let current = self.kind.get_untracked();
        if current == kind {
            return;
        }
        let mut kept = self.other_kinds.get_value();
        let earlier = kept
            .iter()
            .position(|(k, ..)| *k == kind)
            .map(|i| kept.remove(i));
        kept.push((
            current,
            self.match_.get_untracked(),
            self.rules.get_untracked(),
        ));
        self.other_kinds.set_value(kept);
        let (match_, rules) = match earlier {
            Some((_, m, rules)) => (m, rules),
            None => {
                let start = kind.starting_segment();
                let rules = self.create(|| {
                    start
                        .rules
                        .iter()
                        .map(|r| RuleFields::new(&self.ids, r))
                        .collect()
                });
                (start.match_, rules)
            }
        };
        self.match_.set(match_);
        self.rules.set(rules);
        self.kind.set(kind);
    }

    /// Shows `segment` in the builder (a saved segment picked in the wizard).
    pub fn replace(&self, segment: &Segment) {
        let rules = self.create(|| {
            segment
                .rules
                .iter()
                .map(|r| RuleFields::new(&self.ids, r))
                .collect()
        });
        self.kind.set(Kind::of(segment));
        self.match_.set(segment.match_);
        self.rules.set(rules);
    }

    pub fn add_rule(&self, rule: Rule) {
        let fields = self.create(|| RuleFields::new(&self.ids, &rule));
        self.rules.update(|rules| rules.push(fields));
    }

    pub fn remove_rule(&self, id: usize) {
        self.rules.update(|rules| rules.retain(|r| r.id != id));
    }

    /// Where rule `id` is now (error keys follow positions).
    pub fn position(&self, id: usize) -> Option<usize> {
        self.rules
            .with(|rules| rules.iter().position(|r| r.id == id))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::fields::text;
    use super::*;

    fn round_trip(segment: Value) {
        let segment: Segment = serde_json::from_value(segment).unwrap();
        let form = SegmentForm::new(&segment);
        let back = serde_json::to_value(form.segment()).unwrap();
        let again: Segment = serde_json::from_value(back).unwrap();
        let mut expected = serde_json::to_value(&segment).unwrap();
        // Numbers come back as the text typed: the same meaning, compared as numbers.
        for rule in expected["rules"].as_array_mut().unwrap() {
            let filters = rule.get_mut("filters").and_then(Value::as_array_mut);
            for f in filters.into_iter().flatten() {
                f["value"] = json!(text(&f["value"]));
            }
        }
        assert_eq!(serde_json::to_value(again).unwrap(), expected);
    }

    #[test]
    fn every_rule_type_comes_back_as_it_went_in() {
        Owner::new_root(None).with(|| {
            round_trip(json!({"match": "any", "rules": [
                {"type": "did", "event": "Charged", "count": {"op": "at_most", "value": 2},
                 "filters": [{"property": "amount", "op": "greater_than", "value": "10"}],
                 "window": {"type": "last_days", "days": 7}},
                {"type": "did_not", "event": "Viewed", "window": {"type": "between",
                 "from": "2026-11-01", "to": "2026-11-20"}},
                {"type": "did_not_within", "after": {"event": "Searched",
                 "filters": [{"property": "to", "op": "in", "value": ["LIS", "OPO"]}]},
                 "event": "Booked", "within": {"value": 30, "unit": "minutes"}},
                {"type": "date_property", "property": "Purchase Date", "event": "Charged",
                 "op": "days_after", "days": 3},
                {"type": "profile", "property": "Age", "op": "between", "value": ["25", "40"]}
            ]}));
        });
    }

    #[test]
    fn switching_kinds_keeps_what_was_typed() {
        Owner::new_root(None).with(|| {
            let form = SegmentForm::new(&Segment::default());
            let RuleKind::Did { what, .. } = form.rules.get_untracked()[0].kind else {
                panic!("a single action starts with a did rule")
            };
            what.event.set("App Launched".into());
            form.choose_kind(Kind::Inaction);
            assert_eq!(form.segment().rules.len(), 2);
            form.choose_kind(Kind::SingleAction);
            let Rule::Did(did) = &form.segment().rules[0] else {
                panic!("not a did rule")
            };
            assert_eq!(did.event, "App Launched");
        });
    }
}
