//! A valid record's properties as they are stored, each written once: `evtData` with the texts of its
//! properties for the segment index sliced from the same JSON, and `profileData` without the keys
//! lifted into columns, written from the parsed object rather than a copy of it.

use std::ops::Range;

use super::json::{Json, Object};

/// `evtData` as stored (compact JSON, as `Value::to_string` writes it) and its properties for the
/// segment index: a property's text is the JSON its value was written as (a string's own text; a
/// null has none), so it is taken from the object's JSON rather than written again.
pub fn event_data(object: &Object) -> serde_json::Result<(String, Vec<(String, String)>)> {
    let mut json = Vec::with_capacity(256);
    let mut values: Vec<(&str, &Json, Range<usize>)> = Vec::with_capacity(object.len());
    json.push(b'{');
    for (key, value) in object.iter() {
        if json.len() > 1 {
            json.push(b',');
        }
        serde_json::to_writer(&mut json, key)?;
        json.push(b':');
        let start = json.len();
        serde_json::to_writer(&mut json, value)?;
        values.push((key, value, start..json.len()));
    }
    json.push(b'}');
    // serde_json writes UTF-8 only.
    let json = String::from_utf8(json).map_err(serde::ser::Error::custom)?;
    let properties = values
        .into_iter()
        .filter_map(|(key, value, at)| {
            let text = match value {
                Json::Null => return None,
                Json::String(s) => s.to_string(),
                _ => json[at].to_owned(),
            };
            Some((key.to_owned(), text))
        })
        .collect();
    Ok((json, properties))
}

/// `profileData` as stored: the object without the `lifted` keys.
pub fn profile_data(object: &Object, lifted: [Option<&str>; 2]) -> serde_json::Result<String> {
    serde_json::to_string(&Without { object, lifted })
}

struct Without<'a> {
    object: &'a Object<'a>,
    lifted: [Option<&'a str>; 2],
}

impl serde::Serialize for Without<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.object
                .iter()
                .filter(|(key, _)| !self.lifted.contains(&Some(*key))),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::ingest::json::tests::random_objects;
    use crate::segments::index::properties_of;

    #[test]
    fn event_data_is_written_as_the_plain_way_writes_it() {
        for (text, plain) in random_objects(14, 2_000) {
            let parsed = Json::parse(text.as_bytes()).unwrap();
            let (json, properties) = event_data(parsed.as_object().unwrap()).unwrap();
            // The plain way: the whole object written, each property's value written again.
            assert_eq!(json, Value::Object(plain.clone()).to_string(), "{text}");
            assert_eq!(properties, properties_of(&plain), "{text}");
        }
    }

    #[test]
    fn profile_data_is_written_as_a_copy_without_the_lifted_keys() {
        for (text, mut plain) in random_objects(7, 2_000) {
            let parsed = Json::parse(text.as_bytes()).unwrap();
            plain.remove("Email");
            plain.remove("push_token");
            assert_eq!(
                profile_data(
                    parsed.as_object().unwrap(),
                    [Some("Email"), Some("push_token")]
                )
                .unwrap(),
                Value::Object(plain).to_string(),
                "{text}"
            );
        }
    }
}
