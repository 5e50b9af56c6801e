//! A valid record's properties as they are stored, each written once: `evtData` with the texts of its
//! properties for the segment index sliced from the same JSON, and `profileData` without the keys
//! lifted into columns, written from the parsed object rather than a copy of it.

use std::ops::Range;

use serde_json::{Map, Value};

/// `evtData` as stored (compact JSON, as `Value::to_string` writes it) and its properties for the
/// segment index: a property's text is the JSON its value was written as (a string's own text; a
/// null has none), so it is taken from the object's JSON rather than written again.
pub fn event_data(map: &Map<String, Value>) -> serde_json::Result<(String, Vec<(String, String)>)> {
    let mut json = Vec::with_capacity(256);
    let mut values: Vec<(&String, &Value, Range<usize>)> = Vec::with_capacity(map.len());
    json.push(b'{');
    for (key, value) in map {
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
                Value::Null => return None,
                Value::String(s) => s.clone(),
                _ => json[at].to_owned(),
            };
            Some((key.clone(), text))
        })
        .collect();
    Ok((json, properties))
}

/// `profileData` as stored: the object without the `lifted` keys.
pub fn profile_data(
    data: &Map<String, Value>,
    lifted: [Option<&str>; 2],
) -> serde_json::Result<String> {
    serde_json::to_string(&Without { data, lifted })
}

struct Without<'a> {
    data: &'a Map<String, Value>,
    lifted: [Option<&'a str>; 2],
}

impl serde::Serialize for Without<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.data
                .iter()
                .filter(|(key, _)| !self.lifted.contains(&Some(key.as_str()))),
        )
    }
}

#[cfg(test)]
pub(super) mod tests {
    use rand::SeedableRng;
    use serde_json::json;

    use super::*;
    use crate::segments::index::properties_of;

    /// A random JSON value: strings with quotes, escapes and non-ASCII, numbers of every kind,
    /// nested objects and arrays.
    fn random_value(rng: &mut impl rand::Rng, depth: u32) -> Value {
        const TEXTS: [&str; 6] = [
            "",
            "plain",
            "quote \" and \\",
            "tab\tline\n",
            "café ☕",
            "\u{1}",
        ];
        match rng.gen_range(0..if depth == 0 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => json!(rng.gen_bool(0.5)),
            2 => json!(rng.gen_range(-1_000_000_i64..1_000_000)),
            3 => json!(rng.gen_range(-1e9..1e9_f64)),
            4 => json!(TEXTS[rng.gen_range(0..TEXTS.len())]),
            5 => Value::Array(
                (0..rng.gen_range(0..4))
                    .map(|_| random_value(rng, depth - 1))
                    .collect(),
            ),
            _ => Value::Object(random_object(rng, depth - 1)),
        }
    }

    /// A random object whose keys include both spellings of the keys profile records lift.
    pub(in crate::ingest) fn random_object(
        rng: &mut impl rand::Rng,
        depth: u32,
    ) -> Map<String, Value> {
        const KEYS: [&str; 7] = [
            "Amount",
            "email",
            "Email",
            "push_token",
            "a \"key\"",
            "ключ",
            "Items",
        ];
        (0..rng.gen_range(0..6))
            .map(|_| {
                (
                    KEYS[rng.gen_range(0..KEYS.len())].to_owned(),
                    random_value(rng, depth),
                )
            })
            .collect()
    }

    #[test]
    fn event_data_is_written_as_the_plain_way_writes_it() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(14);
        for _ in 0..2_000 {
            let data = random_object(&mut rng, 3);
            // The plain way: the whole object written, each property's value written again.
            let (json, properties) = event_data(&data).unwrap();
            assert_eq!(json, Value::Object(data.clone()).to_string());
            assert_eq!(properties, properties_of(&data));
        }
    }

    #[test]
    fn profile_data_is_written_as_a_copy_without_the_lifted_keys() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..2_000 {
            let data = random_object(&mut rng, 3);
            let mut copy = data.clone();
            copy.remove("Email");
            copy.remove("push_token");
            assert_eq!(
                profile_data(&data, [Some("Email"), Some("push_token")]).unwrap(),
                Value::Object(copy).to_string()
            );
        }
    }
}
