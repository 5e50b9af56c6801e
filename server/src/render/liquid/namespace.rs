//! The variables a template sees: `Profile`, `Campaign`, `Event` and `Linked`, each a namespace.
//!
//! `Profile`, `Campaign` and `Event` read a missing key as nil, as Shopify's Liquid does, so
//! `{{ Profile.Nickname | default: "there" }}` works for a profile without a nickname (the `liquid`
//! crate would stop with "Unknown index"). `Linked` stays strict: a template naming linked content that
//! was not fetched fails for that user, with a reason, rather than sending a body without it.

use std::fmt;

use liquid_core::model::{DisplayCow, KStringCow, Object, ObjectView, State, Value, ValueView};

static NIL: Value = Value::Nil;

/// One namespace of variables (`Default`: empty and strict).
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    values: Object,
    /// Whether a missing key reads as nil (otherwise it is an error).
    lax: bool,
}

impl Namespace {
    /// A namespace whose missing keys read as nil.
    pub fn lax(values: Object) -> Self {
        Self { values, lax: true }
    }

    /// An empty namespace whose keys all read as nil.
    pub fn default_lax() -> Self {
        Self::lax(Object::new())
    }

    /// A namespace whose missing keys are errors.
    pub fn strict(values: Object) -> Self {
        Self { values, lax: false }
    }
}

impl ValueView for Namespace {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        self.values.render()
    }
    fn source(&self) -> DisplayCow<'_> {
        self.values.source()
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        self.values.query_state(state)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        self.values.to_kstr()
    }
    fn to_value(&self) -> Value {
        Value::Object(self.values.clone())
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Namespace {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        ObjectView::size(&self.values)
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        ObjectView::keys(&self.values)
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        ObjectView::values(&self.values)
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        ObjectView::iter(&self.values)
    }
    fn contains_key(&self, index: &str) -> bool {
        self.lax || self.values.contains_key(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match self.values.get(index) {
            Some(value) => Some(value.as_view()),
            None if self.lax => Some(&NIL),
            None => None,
        }
    }
}

/// Every variable of one render: the template's globals.
#[derive(Debug, Clone)]
pub struct Variables {
    pub profile: Namespace,
    pub campaign: Namespace,
    pub event: Namespace,
    pub linked: Namespace,
}

impl Default for Variables {
    /// Nothing known: every `Profile`, `Campaign` and `Event` variable is nil, no linked content.
    fn default() -> Self {
        Self {
            profile: Namespace::default_lax(),
            campaign: Namespace::default_lax(),
            event: Namespace::default_lax(),
            linked: Namespace::default(),
        }
    }
}

impl Variables {
    const NAMES: [&'static str; 4] = ["Profile", "Campaign", "Event", "Linked"];

    fn namespace(&self, name: &str) -> Option<&Namespace> {
        Some(match name {
            "Profile" => &self.profile,
            "Campaign" => &self.campaign,
            "Event" => &self.event,
            "Linked" => &self.linked,
            _ => return None,
        })
    }

    fn all(&self) -> [&Namespace; 4] {
        [&self.profile, &self.campaign, &self.event, &self.linked]
    }
}

impl ValueView for Variables {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"")
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"")
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        matches!(state, State::Truthy)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_static("")
    }
    fn to_value(&self) -> Value {
        let mut object = Object::new();
        for (name, namespace) in Self::NAMES.into_iter().zip(self.all()) {
            object.insert(name.into(), namespace.to_value());
        }
        Value::Object(object)
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Variables {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        Self::NAMES.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(Self::NAMES.into_iter().map(KStringCow::from_static))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.all().into_iter().map(|n| n as &dyn ValueView))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            Self::NAMES
                .into_iter()
                .map(KStringCow::from_static)
                .zip(self.all().into_iter().map(|n| n as &dyn ValueView)),
        )
    }
    fn contains_key(&self, index: &str) -> bool {
        self.namespace(index).is_some()
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.namespace(index).map(|n| n as &dyn ValueView)
    }
}
