//! The body of the test request sent when a template is saved: the campaign payload's shape
//! (SPEC §4) with `"is_test": true` and sample profiles, so the receiver can check its parsing.

use serde_json::json;

pub fn body() -> Vec<u8> {
    let profile = |n: u32, email: &str| {
        json!({
            "Email": email,
            "Identity": format!("sample-user-{n}"),
            "ObjectId": format!("__sample{n:0>26}"),
            "ProfileData": {"Plan": "gold", "Sample": true},
            "Push_token": format!("sample-push-token-{n}"),
        })
    };
    let payload = json!({
        "is_test": true,
        "targetId": 0,
        "key_values": {"key": "value"},
        "profiles": [
            profile(1, "jack@example.com"),
            profile(2, "jill@example.com"),
            profile(3, "ana@example.com"),
            profile(4, "li@example.com"),
            profile(5, "sam@example.com"),
        ],
    });
    serde_json::to_vec(&payload).expect("a JSON literal serialises")
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_marked_as_a_test_with_five_profiles() {
        let v: serde_json::Value = serde_json::from_slice(&super::body()).unwrap();
        assert_eq!(v["is_test"], true);
        assert_eq!(v["profiles"].as_array().unwrap().len(), 5);
        assert_eq!(v["profiles"][0]["Identity"], "sample-user-1");
    }
}
