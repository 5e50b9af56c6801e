//! One record of a CleverTap-format upload: parsed and validated, or refused with CleverTap's error code.

use super::json::{Json, Object};
use super::stored_json;

pub use crate::store::ingest::{Record, RecordBody, UserRef};

/// A refused record: CleverTap's code and a message saying what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: u16,
    pub error: String,
}

pub const EVENT_NAME_MISSING: u16 = 509;
pub const BAD_STRUCTURE: u16 = 512;
pub const IDENTITY_MISSING: u16 = 523;
pub const NOT_EVENT_OR_PROFILE: u16 = 524;
pub const TIMESTAMP_NOT_EPOCH: u16 = 525;
pub const BAD_OBJECT_ID: u16 = 526;

const MAX_ID_LEN: usize = 1024;
const MAX_EVENT_NAME_LEN: usize = 512;
/// 3000-01-01 in unix seconds: later timestamps are almost certainly milliseconds sent as seconds.
const MAX_TS_SECS: i64 = 32_503_680_000;

fn reject(code: u16, error: impl Into<String>) -> Rejection {
    Rejection {
        code,
        error: error.into(),
    }
}

pub fn parse(value: &Json) -> Result<Record, Rejection> {
    let Some(record) = value.as_object() else {
        return Err(reject(BAD_STRUCTURE, "a record must be a JSON object"));
    };
    let kind = record.get("type").and_then(Json::as_str);
    if !matches!(kind, Some("event" | "profile")) {
        return Err(reject(
            NOT_EVENT_OR_PROFILE,
            "\"type\" must be \"event\" or \"profile\"",
        ));
    }
    let user = parse_user(record)?;
    let ts_ms = parse_ts(record.get("ts"))?;
    let body = if kind == Some("event") {
        parse_event(record)?
    } else {
        parse_profile(record)?
    };
    Ok(Record { user, ts_ms, body })
}

fn parse_user(record: &Object) -> Result<UserRef, Rejection> {
    let named: Vec<(&str, &Json)> = ["identity", "objectId", "FBID", "GPID"]
        .into_iter()
        .filter_map(|key| record.get(key).filter(|v| !v.is_null()).map(|v| (key, v)))
        .collect();
    let (key, value) = match named.as_slice() {
        [] => {
            return Err(reject(
                IDENTITY_MISSING,
                "the record names no user: give one of identity, objectId, FBID, GPID",
            ));
        }
        [one] => *one,
        _ => {
            return Err(reject(
                BAD_STRUCTURE,
                "name the user by exactly one of identity, objectId, FBID, GPID",
            ));
        }
    };
    let id = match value {
        Json::String(s) => s.to_string(),
        Json::Number(n) if key == "identity" => n.to_string(),
        _ => return Err(reject(BAD_STRUCTURE, format!("{key} must be a string"))),
    };
    if id.is_empty() {
        return Err(reject(IDENTITY_MISSING, format!("{key} is empty")));
    }
    if id.len() > MAX_ID_LEN {
        return Err(reject(
            BAD_STRUCTURE,
            format!("{key} is longer than {MAX_ID_LEN} bytes"),
        ));
    }
    Ok(match key {
        "identity" => UserRef::Identity(id),
        "objectId" if is_valid_object_id(&id) => UserRef::ObjectId(id),
        "objectId" => {
            return Err(reject(
                BAD_OBJECT_ID,
                "objectId must be 1 to 64 letters, digits, '-' or '_'",
            ));
        }
        "FBID" => UserRef::Fbid(id),
        _ => UserRef::Gpid(id),
    })
}

pub fn is_valid_object_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse_ts(ts: Option<&Json>) -> Result<i64, Rejection> {
    let secs = match ts {
        Some(Json::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64)),
        Some(Json::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        None => {
            return Err(reject(
                TIMESTAMP_NOT_EPOCH,
                "ts is missing: give the time as epoch seconds",
            ));
        }
        _ => None,
    };
    match secs {
        Some(s) if (1..=MAX_TS_SECS).contains(&s) => Ok(s * 1000),
        Some(_) => Err(reject(
            TIMESTAMP_NOT_EPOCH,
            "ts is out of range: give epoch seconds, not milliseconds",
        )),
        None => Err(reject(TIMESTAMP_NOT_EPOCH, "ts must be epoch seconds")),
    }
}

fn parse_event(record: &Object) -> Result<RecordBody, Rejection> {
    let name = match record.get("evtName") {
        None | Some(Json::Null) => return Err(reject(EVENT_NAME_MISSING, "evtName is missing")),
        Some(Json::String(s)) if s.trim().is_empty() => {
            return Err(reject(EVENT_NAME_MISSING, "evtName is empty"));
        }
        Some(Json::String(s)) if s.len() > MAX_EVENT_NAME_LEN => {
            return Err(reject(
                BAD_STRUCTURE,
                format!("evtName is longer than {MAX_EVENT_NAME_LEN} bytes"),
            ));
        }
        Some(Json::String(s)) => s.to_string(),
        Some(_) => return Err(reject(BAD_STRUCTURE, "evtName must be a string")),
    };
    let (data, properties) = match record.get("evtData") {
        None | Some(Json::Null) => ("{}".to_owned(), Vec::new()),
        Some(Json::Object(object)) => stored_json::event_data(object).map_err(unwritable)?,
        Some(_) => return Err(reject(BAD_STRUCTURE, "evtData must be an object")),
    };
    Ok(RecordBody::Event {
        name,
        data,
        properties,
    })
}

/// Writing a parsed value back as JSON cannot fail; said plainly if it ever did.
fn unwritable(_: serde_json::Error) -> Rejection {
    reject(
        BAD_STRUCTURE,
        "the record could not be written back as JSON",
    )
}

fn parse_profile(record: &Object) -> Result<RecordBody, Rejection> {
    let data = match record.get("profileData") {
        Some(Json::Object(object)) => object,
        None | Some(Json::Null) => return Err(reject(BAD_STRUCTURE, "profileData is missing")),
        Some(_) => return Err(reject(BAD_STRUCTURE, "profileData must be an object")),
    };
    let (email_key, email) = lifted_string(data, &["Email", "email"])?;
    let (token_key, push_token) = lifted_string(data, &["Push_token", "push_token"])?;
    Ok(RecordBody::Profile {
        email,
        push_token,
        data: stored_json::profile_data(data, [email_key, token_key]).map_err(unwritable)?,
    })
}

/// The first of `keys` present in `data`, which must hold a string (or null: none), and that key.
fn lifted_string<'a>(
    data: &Object,
    keys: &[&'a str],
) -> Result<(Option<&'a str>, Option<String>), Rejection> {
    let Some(key) = keys.iter().find(|k| data.contains_key(k)) else {
        return Ok((None, None));
    };
    match data.get(key) {
        Some(Json::String(s)) => Ok((Some(key), Some(s.to_string()))),
        Some(Json::Null) => Ok((Some(key), None)),
        _ => Err(reject(
            BAD_STRUCTURE,
            format!("profileData.{key} must be a string"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;

    /// `value` sent as JSON text and parsed as an upload's record is.
    fn parse_sent(value: &Value) -> Result<Record, Rejection> {
        let text = value.to_string();
        parse(&Json::parse(text.as_bytes()).unwrap())
    }

    fn code(v: Value) -> u16 {
        parse_sent(&v).unwrap_err().code
    }

    #[test]
    fn parses_an_event() {
        let r = parse_sent(&json!({"identity":"u1","ts":1700000000,"type":"event","evtName":"Charged","evtData":{"Amount":12}}))
            .unwrap();
        assert_eq!(r.user, UserRef::Identity("u1".into()));
        assert_eq!(r.ts_ms, 1_700_000_000_000);
        assert!(
            matches!(r.body, RecordBody::Event { ref name, ref data, ref properties } if name == "Charged" && data == r#"{"Amount":12}"# && properties == &[("Amount".to_owned(), "12".to_owned())])
        );
    }

    #[test]
    fn parses_a_profile_lifting_email_and_token() {
        let r = parse_sent(
            &json!({"objectId":"__abc","ts":"1700000000","type":"profile",
            "profileData":{"Email":"a@b.co","push_token":"tok","Plan":"gold"}}),
        )
        .unwrap();
        assert_eq!(r.user, UserRef::ObjectId("__abc".into()));
        let RecordBody::Profile {
            email,
            push_token,
            data,
        } = r.body
        else {
            panic!("not a profile")
        };
        assert_eq!(email.as_deref(), Some("a@b.co"));
        assert_eq!(push_token.as_deref(), Some("tok"));
        assert_eq!(data, r#"{"Plan":"gold"}"#);
    }

    #[test]
    fn profile_records_are_read_as_the_plain_way_reads_them() {
        for (data, plain) in crate::ingest::json::tests::random_objects(14, 2_000) {
            let record =
                format!(r#"{{"identity":"u","ts":1,"type":"profile","profileData":{data}}}"#);
            match (
                parse(&Json::parse(record.as_bytes()).unwrap()),
                plain_profile(plain),
            ) {
                (Ok(Record { body, .. }), Ok(plain)) => assert_eq!(body, plain),
                (Err(e), Err(plain)) => assert_eq!(e, plain),
                (ours, plain) => panic!("{ours:?} against {plain:?}"),
            }
        }
    }

    /// `profileData` the plain way: a copy with the email and push token taken out, written.
    fn plain_profile(mut data: Map<String, Value>) -> Result<RecordBody, Rejection> {
        let mut take = |keys: [&str; 2]| {
            let Some(key) = keys.into_iter().find(|k| data.contains_key(*k)) else {
                return Ok(None);
            };
            match data.remove(key) {
                Some(Value::String(s)) => Ok(Some(s)),
                Some(Value::Null) => Ok(None),
                _ => Err(reject(
                    BAD_STRUCTURE,
                    format!("profileData.{key} must be a string"),
                )),
            }
        };
        let email = take(["Email", "email"])?;
        let push_token = take(["Push_token", "push_token"])?;
        Ok(RecordBody::Profile {
            email,
            push_token,
            data: Value::Object(data).to_string(),
        })
    }

    #[test]
    fn numeric_identity_is_a_string() {
        let r = parse_sent(&json!({"identity":42,"ts":1,"type":"event","evtName":"x"})).unwrap();
        assert_eq!(r.user, UserRef::Identity("42".into()));
    }

    #[test]
    fn clevertap_codes() {
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"event"})),
            EVENT_NAME_MISSING
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"event","evtName":"  "})),
            EVENT_NAME_MISSING
        );
        assert_eq!(code(json!([1, 2])), BAD_STRUCTURE);
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"event","evtName":"x","evtData":[1]})),
            BAD_STRUCTURE
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"profile"})),
            BAD_STRUCTURE
        );
        assert_eq!(
            code(json!({"identity":"u","objectId":"o","ts":1,"type":"profile","profileData":{}})),
            BAD_STRUCTURE
        );
        assert_eq!(
            code(json!({"ts":1,"type":"event","evtName":"x"})),
            IDENTITY_MISSING
        );
        assert_eq!(
            code(json!({"identity":"","ts":1,"type":"event","evtName":"x"})),
            IDENTITY_MISSING
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"click","evtName":"x"})),
            NOT_EVENT_OR_PROFILE
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1,"evtName":"x"})),
            NOT_EVENT_OR_PROFILE
        );
        assert_eq!(
            code(json!({"identity":"u","ts":"yesterday","type":"event","evtName":"x"})),
            TIMESTAMP_NOT_EPOCH
        );
        assert_eq!(
            code(json!({"identity":"u","type":"event","evtName":"x"})),
            TIMESTAMP_NOT_EPOCH
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1700000000000_i64,"type":"event","evtName":"x"})),
            TIMESTAMP_NOT_EPOCH
        );
        assert_eq!(
            code(json!({"objectId":"bad id!","ts":1,"type":"event","evtName":"x"})),
            BAD_OBJECT_ID
        );
        assert_eq!(
            code(json!({"identity":"u","ts":1,"type":"profile","profileData":{"Email":5}})),
            BAD_STRUCTURE
        );
    }
}
