//! The variables of one render, from what the engine holds: a user's profile (`Profile.*`: the
//! profileData keys, `Identity`, `Email`, `ObjectId`), the campaign (`Campaign.id`, `Campaign.name`),
//! a live campaign's triggering event (`Event.*`, its properties) and parsed answers (`Linked.<name>`).

use liquid_core::model::{Object, Value};

use super::liquid::Namespace;
use crate::store::outbox::Recipient;

pub fn profile(recipient: &Recipient) -> Namespace {
    // Stored profile data is a JSON object (ingestion checks it); anything else reads as empty.
    let mut values: Object = serde_json::from_str(&recipient.profile_data).unwrap_or_default();
    if let Some(identity) = &recipient.identity {
        values.insert("Identity".into(), Value::scalar(identity.clone()));
    }
    if let Some(email) = &recipient.email {
        values.insert("Email".into(), Value::scalar(email.clone()));
    }
    values.insert(
        "ObjectId".into(),
        Value::scalar(recipient.object_id.clone()),
    );
    Namespace::lax(values)
}

/// `Event.*`: the properties (`evtData`) of the event that triggered a live campaign's request.
pub fn event(data: &str) -> Namespace {
    Namespace::lax(serde_json::from_str(data).unwrap_or_default())
}

pub fn campaign(id: i64, name: &str) -> Namespace {
    let mut values = Object::new();
    values.insert("id".into(), Value::scalar(id));
    values.insert("name".into(), Value::scalar(name.to_owned()));
    Namespace::lax(values)
}

/// An answer as a Liquid value: its JSON, or the text when it is not JSON.
pub fn answer(body: &[u8]) -> (Value, bool) {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => (value, true),
        Err(_) => (
            Value::scalar(String::from_utf8_lossy(body).into_owned()),
            false,
        ),
    }
}

#[cfg(test)]
mod tests {
    use liquid_core::ValueView;

    use super::*;

    #[test]
    fn profile_has_data_and_identifiers() {
        let recipient = Recipient {
            id: 1,
            identity: Some("u1".into()),
            object_id: "obj".into(),
            email: None,
            push_token: None,
            profile_data: r#"{"Name":"Ana","Age":31,"Score":1.5,"Tags":["a"]}"#.into(),
        };
        let profile = profile(&recipient);
        let get = |k: &str| {
            liquid_core::ObjectView::get(&profile, k)
                .unwrap()
                .to_kstr()
                .into_owned()
        };
        assert_eq!(get("Name"), "Ana");
        assert_eq!(get("Age"), "31");
        assert_eq!(get("Score"), "1.5");
        assert_eq!(get("Identity"), "u1");
        assert_eq!(get("ObjectId"), "obj");
        assert_eq!(get("Email"), "");
    }

    #[test]
    fn answers_are_json_or_text() {
        let (value, is_json) = answer(br#"{"temp":21}"#);
        assert!(is_json && value.as_object().is_some());
        let (value, is_json) = answer(b"sunny");
        assert!(!is_json);
        assert_eq!(value.to_kstr(), "sunny");
    }
}
