//! An upload's JSON, parsed once into a tree that borrows its strings from the body (a string without
//! escapes, nearly every one, is not copied) instead of `serde_json::Value`'s owned strings and B-tree
//! maps: parsing and writing back the realistic mix takes half the time.
//!
//! An object keeps its entries sorted by key, a repeated key's last value winning, as `Value`'s map
//! keeps them, so a tree written back is exactly the text `Value::to_string` writes and
//! [`Json::to_value`] is exactly the `Value` serde_json would have parsed (a test compares them on
//! random documents).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use serde_json::{Map, Number, Value};

#[derive(Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Object<'a>),
}

/// An object's entries, sorted by key, each key once.
#[derive(Debug, PartialEq)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Json<'a>)>);

impl<'a> Json<'a> {
    /// Parses a JSON document, as `serde_json::from_slice` would (same errors).
    pub fn parse(body: &'a [u8]) -> serde_json::Result<Self> {
        serde_json::from_slice(body)
    }

    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Json::Object(object) => Some(object),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// The same document as a `Value` (for the rare record that is sent back refused).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(object) => Value::Object(object.to_map()),
        }
    }
}

impl<'a> Object<'a> {
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|at| &self.0[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json<'a>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_value()))
            .collect()
    }

    /// Entries in the order they were sent, put in key order; of a repeated key the last value stays.
    fn from_sent(mut entries: Vec<(Cow<'a, str>, Json<'a>)>) -> Self {
        if !entries.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable: of equal keys, the last sent is the last.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
        }
        Object(entries)
    }
}

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => serializer.collect_seq(items),
            Json::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

/// Builds a tree as serde_json's `Value` visitor builds a `Value` (a float JSON cannot hold is null).
impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(Key(key)) = map.next_key()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Json::Object(Object::from_sent(entries)))
    }
}

/// An object's key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // JSON's keys are strings: the visitor is given one.
        match deserializer.deserialize_str(JsonVisitor)? {
            Json::String(key) => Ok(Key(key)),
            _ => Err(serde::de::Error::custom("an object's key must be a string")),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;

    /// A random JSON text as a client might send it: keys repeated and out of order, escapes in keys
    /// and strings, numbers written every way JSON allows, whitespace between tokens.
    fn random_text(rng: &mut impl Rng, depth: u32, out: &mut String) {
        const STRINGS: [&str; 8] = [
            r#""""#,
            r#""plain""#,
            r#""quote \" and \\""#,
            r#""tab\tline\n""#,
            r#""caf\u00e9 ☕ \ud83d\ude00""#,
            r#""\/slash""#,
            r#""\u0001""#,
            r#""a@b.co""#,
        ];
        const NUMBERS: [&str; 15] = [
            "0",
            "-0",
            "12",
            "-7",
            "1.0",
            "1.50",
            "1e3",
            "2E-2",
            "-0.0",
            "977330217.5598841",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1e400",
        ];
        space(rng, out);
        match rng.gen_range(0..if depth == 0 { 5 } else { 7 }) {
            0 => out.push_str("null"),
            1 => out.push_str(if rng.gen_bool(0.5) { "true" } else { "false" }),
            2 => out.push_str(NUMBERS[rng.gen_range(0..NUMBERS.len())]),
            3 | 4 => out.push_str(STRINGS[rng.gen_range(0..STRINGS.len())]),
            5 => {
                out.push('[');
                for i in 0..rng.gen_range(0..4) {
                    if i > 0 {
                        out.push(',');
                    }
                    random_text(rng, depth - 1, out);
                }
                out.push(']');
            }
            _ => random_object_text(rng, depth - 1, out),
        }
        space(rng, out);
    }

    /// A random object's text, its keys including both spellings of the keys profile records lift.
    fn random_object_text(rng: &mut impl Rng, depth: u32, out: &mut String) {
        const KEYS: [&str; 9] = [
            r#""Amount""#,
            r#""email""#,
            r#""Email""#,
            r#""push_token""#,
            r#""Push_token""#,
            r#""a \"key\"""#,
            r#""ключ""#,
            r#""caf\u00e9""#,
            r#""Items""#,
        ];
        out.push('{');
        for i in 0..rng.gen_range(0..6) {
            if i > 0 {
                out.push(',');
            }
            space(rng, out);
            out.push_str(KEYS[rng.gen_range(0..KEYS.len())]);
            space(rng, out);
            out.push(':');
            random_text(rng, depth, out);
        }
        out.push('}');
    }

    /// Random objects as clients send them, each with the map serde_json parses from the same text
    /// (the plain way); the texts serde_json refuses (a number out of range) are left out.
    pub(crate) fn random_objects(seed: u64, count: usize) -> Vec<(String, Map<String, Value>)> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut objects = Vec::with_capacity(count);
        while objects.len() < count {
            let mut text = String::new();
            random_object_text(&mut rng, 3, &mut text);
            if let Ok(plain) = serde_json::from_str(&text) {
                objects.push((text, plain));
            }
        }
        objects
    }

    fn space(rng: &mut impl Rng, out: &mut String) {
        if rng.gen_range(0..4) == 0 {
            out.push_str([" ", "\n", "\t ", "\r\n  "][rng.gen_range(0..4)]);
        }
    }

    #[test]
    fn parses_and_writes_as_serde_json_value_does() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(14);
        for _ in 0..5_000 {
            let mut text = String::new();
            random_text(&mut rng, 4, &mut text);
            let plain: Result<Value, _> = serde_json::from_str(&text);
            match (Json::parse(text.as_bytes()), plain) {
                (Ok(ours), Ok(plain)) => {
                    assert_eq!(ours.to_value(), plain, "{text}");
                    assert_eq!(
                        serde_json::to_string(&ours).unwrap(),
                        plain.to_string(),
                        "{text}"
                    );
                }
                (Err(ours), Err(plain)) => assert_eq!(ours.to_string(), plain.to_string()),
                (ours, plain) => panic!("{text}: {ours:?} against {plain:?}"),
            }
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses_with_the_same_message() {
        let too_deep = "[".repeat(200) + &"]".repeat(200);
        for text in [
            "",
            "{",
            r#"{"d":[1,]}"#,
            r#"{"d":1} x"#,
            "{'d':1}",
            r#"{"a":"\x"}"#,
            "[1e]",
            &too_deep,
        ] {
            let plain = serde_json::from_str::<Value>(text).unwrap_err();
            let ours = Json::parse(text.as_bytes()).unwrap_err();
            assert_eq!(ours.to_string(), plain.to_string(), "{text}");
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let body = br#"{"plain":"text","escaped":"a\"b"}"#;
        let json = Json::parse(body).unwrap();
        let object = json.as_object().unwrap();
        assert!(matches!(
            object.get("plain"),
            Some(Json::String(Cow::Borrowed("text")))
        ));
        assert!(matches!(object.get("escaped"), Some(Json::String(Cow::Owned(s))) if s == "a\"b"));
        assert_eq!(
            object.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["escaped", "plain"]
        );
    }
}
