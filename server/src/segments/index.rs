//! The segment index: an in-memory, column-wise copy of the profiles and events, kept current by
//! ingestion, that segments are evaluated on. SQLite stays the record (the index is rebuilt from it at
//! start); the index answers "who did what, when, with which properties" by scanning compact arrays
//! (a profile number and a time per event, a dictionary id per property), which is what makes a reach
//! estimate over millions of events take milliseconds.

use foldhash::HashMap;

use app::model::saved_segment::{EventSuggestion, SegmentSuggestions};
use serde_json::{Map, Value};

use super::column::Column;
use super::value::text_of;

/// The property names that read profile columns rather than `profileData` keys.
pub const IDENTITY: &str = "Identity";
pub const EMAIL: &str = "Email";

#[derive(Debug, Default)]
pub struct SegmentIndex {
    /// Database id of each profile; a profile's position here is its number in user sets.
    profile_ids: Vec<i64>,
    numbers: HashMap<i64, u32>,
    identity: Column,
    email: Column,
    profile_properties: HashMap<String, Column>,
    events: HashMap<String, EventTable>,
}

/// Every event of one name: who (profile number) and when (unix ms) per row, and its properties.
#[derive(Debug, Default)]
pub struct EventTable {
    pub users: Vec<u32>,
    pub ts: Vec<i64>,
    pub properties: HashMap<String, Column>,
}

/// A profile's current state, as stored.
#[derive(Debug, Clone)]
pub struct ProfileState<'a> {
    pub id: i64,
    pub identity: Option<&'a str>,
    pub email: Option<&'a str>,
    /// `profile_data`, a JSON object.
    pub data: &'a str,
}

impl SegmentIndex {
    /// How many profiles there are: the size of every user set.
    pub fn users(&self) -> usize {
        self.profile_ids.len()
    }

    pub fn profile_id(&self, number: u32) -> i64 {
        self.profile_ids[number as usize]
    }

    pub fn events(&self, name: &str) -> Option<&EventTable> {
        self.events.get(name)
    }

    /// Event names with their property names, and profile property names, all sorted.
    pub fn suggestions(&self) -> SegmentSuggestions {
        let sorted = |names: &mut dyn Iterator<Item = &String>| {
            let mut names: Vec<String> = names.cloned().collect();
            names.sort();
            names
        };
        let mut events: Vec<EventSuggestion> = self
            .events
            .iter()
            .map(|(name, table)| EventSuggestion {
                name: name.clone(),
                properties: sorted(&mut table.properties.keys()),
            })
            .collect();
        events.sort_by(|a, b| a.name.cmp(&b.name));
        let mut profile_properties = sorted(&mut self.profile_properties.keys());
        profile_properties.extend([EMAIL.to_owned(), IDENTITY.to_owned()]);
        profile_properties.sort();
        SegmentSuggestions {
            events,
            profile_properties,
        }
    }

    /// The profile column a profile rule reads.
    pub fn profile_column(&self, property: &str) -> Option<&Column> {
        match property {
            IDENTITY => Some(&self.identity),
            EMAIL => Some(&self.email),
            other => self.profile_properties.get(other),
        }
    }

    /// The profile's number, added (without properties) if it is new.
    pub fn number_of(&mut self, profile_id: i64) -> u32 {
        if let Some(n) = self.numbers.get(&profile_id) {
            return *n;
        }
        let n = u32::try_from(self.profile_ids.len()).expect("fewer than 4 billion profiles");
        self.profile_ids.push(profile_id);
        self.numbers.insert(profile_id, n);
        n
    }

    /// Replaces what the index holds of a profile with its stored state.
    pub fn set_profile(&mut self, profile: &ProfileState<'_>) {
        let row = self.number_of(profile.id) as usize;
        self.identity.set(row, profile.identity);
        self.email.set(row, profile.email);
        let data = parse_object(profile.data);
        for (name, column) in &mut self.profile_properties {
            if !data.contains_key(name) {
                column.set(row, None);
            }
        }
        for (name, value) in &data {
            let text = text_of(value);
            match self.profile_properties.get_mut(name) {
                Some(column) => column.set(row, text.as_deref()),
                None if text.is_some() => {
                    let mut column = Column::default();
                    column.set(row, text.as_deref());
                    self.profile_properties.insert(name.clone(), column);
                }
                None => {}
            }
        }
    }

    /// Adds an event with its properties (name and text, as `properties_of` gives them).
    pub fn add_event(
        &mut self,
        profile_id: i64,
        name: &str,
        ts: i64,
        properties: &[(String, String)],
    ) {
        let user = self.number_of(profile_id);
        let table = match self.events.get_mut(name) {
            Some(table) => table,
            None => self.events.entry(name.to_owned()).or_default(),
        };
        let row = table.users.len();
        table.users.push(user);
        table.ts.push(ts);
        for (property, text) in properties {
            let column = match table.properties.get_mut(property) {
                Some(column) => column,
                None => table.properties.entry(property.clone()).or_default(),
            };
            column.set(row, Some(text));
        }
    }
}

/// An event's properties as the index takes them: each non-null value's text.
pub fn properties_of(data: &Map<String, Value>) -> Vec<(String, String)> {
    data.iter()
        .filter_map(|(k, v)| Some((k.clone(), text_of(v)?)))
        .collect()
}

/// The same, from stored JSON text.
pub fn properties_of_text(data: &str) -> Vec<(String, String)> {
    properties_of(&parse_object(data))
}

/// A stored JSON object; anything else (never written by ingestion) reads as no properties.
fn parse_object(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The index shared by ingestion (writing) and evaluations (reading). Tokio's lock is fair: writers
/// are served in the order they asked, which ingestion relies on.
#[derive(Debug, Default)]
pub struct SharedIndex(tokio::sync::RwLock<SegmentIndex>);

impl SharedIndex {
    pub fn new(index: SegmentIndex) -> Self {
        Self(tokio::sync::RwLock::new(index))
    }

    /// For evaluations, which run on blocking threads.
    pub fn blocking_read(&self) -> tokio::sync::RwLockReadGuard<'_, SegmentIndex> {
        self.0.blocking_read()
    }

    pub async fn write(&self) -> tokio::sync::RwLockWriteGuard<'_, SegmentIndex> {
        self.0.write().await
    }

    pub async fn read(&self) -> tokio::sync::RwLockReadGuard<'_, SegmentIndex> {
        self.0.read().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_numbered_once_and_their_properties_replaced() {
        let mut index = SegmentIndex::default();
        index.add_event(
            42,
            "App Launched",
            5,
            &properties_of_text(r#"{"os":"iOS","n":3}"#),
        );
        index.set_profile(&ProfileState {
            id: 42,
            identity: Some("u1"),
            email: None,
            data: r#"{"Country":"CA","Plan":"gold"}"#,
        });
        assert_eq!(index.users(), 1);
        assert_eq!(index.profile_id(0), 42);
        index.set_profile(&ProfileState {
            id: 42,
            identity: Some("u1"),
            email: Some("a@example.com"),
            data: r#"{"Country":"US"}"#,
        });
        let plan = index.profile_column("Plan").unwrap();
        assert_eq!(plan.id_at(0), 0, "a removed key leaves no value");
        let country = index.profile_column("Country").unwrap();
        assert_eq!(&*country.values()[country.id_at(0) as usize - 1].text, "US");
        assert!(index.profile_column(EMAIL).unwrap().id_at(0) > 0);
        let launches = index.events("App Launched").unwrap();
        assert_eq!(
            (launches.users.as_slice(), launches.ts.as_slice()),
            (&[0][..], &[5][..])
        );
        assert_eq!(launches.properties["n"].values()[0].number, Some(3.0));
    }
}
