//! The campaign payload with Profile variables (SPEC §4):
//! `{"targetId":..,"key_values":{..},"profiles":[{"Email":..,"Identity":..,"ObjectId":..,
//! "ProfileData":{..},"Push_token":..}],"is_test":false}`, one per batch of users. Only the ticked
//! variables are sent; a variable the profile lacks is left out.

use app::model::campaign::{ProfileFields, What};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::store::outbox::Recipient;

/// What every request of a campaign shares.
#[derive(Debug, Clone)]
pub struct PayloadSpec {
    pub target_id: i64,
    pub key_values: Map<String, Value>,
    pub fields: ProfileFields,
}

impl PayloadSpec {
    pub fn new(target_id: i64, what: &What) -> Self {
        let key_values = what
            .key_values
            .iter()
            .map(|p| (p.name.trim().to_owned(), Value::String(p.value.clone())))
            .collect();
        Self {
            target_id,
            key_values,
            fields: what.profile_fields,
        }
    }
}

#[derive(Serialize)]
struct Payload<'a, P> {
    #[serde(rename = "targetId")]
    target_id: i64,
    key_values: &'a Map<String, Value>,
    /// The batch's entries, or the one entry of a request made for one user.
    profiles: P,
    is_test: bool,
}

/// The event that triggered a live campaign's request, carried in its profile entry as
/// `Event_name` and `Event_properties` (seed 003's sample).
#[derive(Debug, Clone, Copy)]
pub struct TriggeringEvent<'a> {
    pub name: &'a str,
    /// `evtData`, JSON object text.
    pub data: &'a str,
}

struct ProfileEntry<'a> {
    fields: ProfileFields,
    recipient: &'a Recipient,
    event: Option<TriggeringEvent<'a>>,
}

impl Serialize for ProfileEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.recipient;
        let f = self.fields;
        let mut map = serializer.serialize_map(None)?;
        if f.email
            && let Some(email) = &r.email
        {
            map.serialize_entry("Email", email)?;
        }
        if f.identity
            && let Some(identity) = &r.identity
        {
            map.serialize_entry("Identity", identity)?;
        }
        if f.object_id {
            map.serialize_entry("ObjectId", &r.object_id)?;
        }
        if f.profile_data {
            // Stored as JSON text already: copied as is, not parsed and re-serialised.
            let data = serde_json::from_str::<&RawValue>(&r.profile_data).ok();
            let empty = RawValue::NULL;
            map.serialize_entry("ProfileData", data.unwrap_or(empty))?;
        }
        if let Some(event) = self.event {
            map.serialize_entry("Event_name", event.name)?;
            let data = serde_json::from_str::<&RawValue>(event.data).ok();
            map.serialize_entry("Event_properties", data.unwrap_or(RawValue::NULL))?;
        }
        if f.push_token
            && let Some(token) = &r.push_token
        {
            map.serialize_entry("Push_token", token)?;
        }
        map.end()
    }
}

/// The body of one request carrying `recipients`.
pub fn body(spec: &PayloadSpec, recipients: &[Recipient], is_test: bool) -> Vec<u8> {
    let payload = Payload {
        target_id: spec.target_id,
        key_values: &spec.key_values,
        profiles: recipients
            .iter()
            .map(|recipient| ProfileEntry {
                fields: spec.fields,
                recipient,
                event: None,
            })
            .collect::<Vec<_>>(),
        is_test,
    };
    serde_json::to_vec(&payload).expect("serialising strings and stored JSON cannot fail")
}

/// The body of a request made for one user (its query parameters are personal, or an event of
/// theirs triggered it): `profiles` is a single object instead of an array (SPEC §4).
pub fn body_of_one(
    spec: &PayloadSpec,
    recipient: &Recipient,
    event: Option<TriggeringEvent<'_>>,
    is_test: bool,
) -> Vec<u8> {
    let payload = Payload {
        target_id: spec.target_id,
        key_values: &spec.key_values,
        profiles: ProfileEntry {
            fields: spec.fields,
            recipient,
            event,
        },
        is_test,
    };
    serde_json::to_vec(&payload).expect("serialising strings and stored JSON cannot fail")
}

/// The requests for `recipients`, `batch_size` users each (the last one may carry fewer): the number of
/// users in each and its body.
pub fn batches<'a>(
    spec: &'a PayloadSpec,
    recipients: &'a [Recipient],
    batch_size: usize,
) -> impl Iterator<Item = (usize, Vec<u8>)> + 'a {
    recipients
        .chunks(batch_size.max(1))
        .map(move |chunk| (chunk.len(), body(spec, chunk, false)))
}

#[cfg(test)]
mod tests {
    use app::model::campaign::Param;

    use super::*;

    fn recipient(n: i64) -> Recipient {
        Recipient {
            id: n,
            identity: Some(format!("user-{n}")),
            object_id: format!("obj-{n}"),
            email: (n % 2 == 0).then(|| format!("u{n}@example.com")),
            push_token: None,
            profile_data: r#"{"Plan":"gold","Age":31}"#.into(),
        }
    }

    fn what() -> What {
        What {
            key_values: vec![Param {
                name: "coupon".into(),
                value: "WELCOME10".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn shape_follows_the_spec() {
        let spec = PayloadSpec::new(42, &what());
        let body = body(&spec, &[recipient(1), recipient(2)], false);
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["targetId"], 42);
        assert_eq!(v["key_values"]["coupon"], "WELCOME10");
        assert_eq!(v["is_test"], false);
        let profiles = v["profiles"].as_array().unwrap();
        assert_eq!(profiles.len(), 2);
        assert_eq!(profiles[1]["Identity"], "user-2");
        assert_eq!(profiles[1]["Email"], "u2@example.com");
        assert_eq!(profiles[0]["ProfileData"]["Age"], 31);
        // A variable the profile lacks is left out rather than sent as null.
        assert!(profiles[0].get("Email").is_none());
        assert!(profiles[0].get("Push_token").is_none());
        // Keys keep the spec's order.
        let text = String::from_utf8(body).unwrap();
        assert!(text.starts_with(r#"{"targetId":42,"key_values":"#));
    }

    #[test]
    fn batches_split_users_in_order() {
        let spec = PayloadSpec::new(7, &what());
        let recipients: Vec<Recipient> = (1..=250).map(recipient).collect();
        let split: Vec<(usize, Vec<u8>)> = batches(&spec, &recipients, 100).collect();
        assert_eq!(
            split.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            [100, 100, 50]
        );
        let last: Value = serde_json::from_slice(&split[2].1).unwrap();
        assert_eq!(last["profiles"][0]["Identity"], "user-201");
        assert_eq!(last["profiles"].as_array().unwrap().len(), 50);
        assert_eq!(batches(&spec, &recipients, 1).count(), 250);
    }

    #[test]
    fn one_user_has_a_single_profile_object() {
        let spec = PayloadSpec::new(9, &what());
        let v: Value =
            serde_json::from_slice(&body_of_one(&spec, &recipient(2), None, false)).unwrap();
        assert_eq!(v["profiles"]["Identity"], "user-2");
        assert_eq!(v["targetId"], 9);
    }

    #[test]
    fn only_ticked_variables_are_sent() {
        let mut what = what();
        what.profile_fields = ProfileFields {
            email: false,
            identity: true,
            object_id: false,
            profile_data: false,
            push_token: false,
        };
        let spec = PayloadSpec::new(1, &what);
        let v: Value = serde_json::from_slice(&body(&spec, &[recipient(2)], true)).unwrap();
        assert_eq!(v["profiles"][0], serde_json::json!({"Identity": "user-2"}));
        assert_eq!(v["is_test"], true);
    }
}
