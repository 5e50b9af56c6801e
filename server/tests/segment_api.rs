//! Segments through the running server: campaigns saved before segments had rules are migrated, and
//! the segment index is rebuilt from the database at start.

mod support;

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{Value, json};
use server::config::Config;
use sqlx::sqlite::SqliteConnectOptions;
use support::flow::{self, event, ingest, now_secs};
use support::*;

/// The migration that turned segments into rules.
const SEGMENT_RULES: i64 = 20261128000002;

#[tokio::test]
async fn a_campaign_saved_with_a_single_action_segment_is_migrated_to_rules() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let url = Config::for_data_dir(dir.path()).database_url;
    {
        // The database as the previous version left it, with a campaign in the old form.
        let options = url
            .parse::<SqliteConnectOptions>()
            .unwrap()
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let mut migrator = sqlx::migrate!("../migrations");
        migrator.migrations = Cow::Owned(
            migrator
                .migrations
                .iter()
                .filter(|m| m.version < SEGMENT_RULES)
                .cloned()
                .collect(),
        );
        migrator.run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO webhook_templates (id, name, url, method, auth_kind, created_at, updated_at)
             VALUES (1, 'CRM', 'http://127.0.0.1:9/hook', 'POST', 'none', 0, 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let old = json!({"name": "Big spenders", "template_id": 1, "who": {"segment": {
            "event": "Charged", "min_count": 2, "window": {"type": "last_days", "days": 30},
            "filter": {"property": "amount", "op": "greater_than", "value": "50"}}, "cap": 10}});
        let plain = json!({"name": "Launchers", "template_id": 1,
            "who": {"segment": {"event": "App Launched"}}});
        for (id, definition) in [(1, &old), (2, &plain)] {
            sqlx::query(
                "INSERT INTO campaigns (id, name, template_id, definition, created_at, updated_at)
                 VALUES (?1, 'c', 1, ?2, 0, 0)",
            )
            .bind(id)
            .bind(definition.to_string())
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }

    let server = TestServer::start_in(dir, |_| {}).await;
    let stored: Vec<String> = sqlx::query_scalar("SELECT definition FROM campaigns ORDER BY id")
        .fetch_all(&server.engine.db)
        .await
        .unwrap();
    let stored: Vec<Value> = stored
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(
        stored[0]["who"]["segment"],
        json!({"match": "all", "rules": [{"type": "did", "event": "Charged",
            "filters": [{"property": "amount", "op": "greater_than", "value": "50"}],
            "count": {"op": "at_least", "value": 2},
            "window": {"type": "last_days", "days": 30}}]})
    );
    assert_eq!(stored[0]["who"]["cap"], 10, "the rest of the draft is kept");
    assert_eq!(
        stored[1]["who"]["segment"],
        json!({"match": "all", "rules": [{"type": "did", "event": "App Launched", "filters": [],
            "count": {"op": "at_least", "value": 1}, "window": {"type": "ever"}}]})
    );

    let cookie = server.login().await;
    let (status, campaign) = server
        .api(&cookie, "campaigns/get", &json!({"id": 1}))
        .await;
    assert_eq!(status, 200, "{campaign}");
    assert_eq!(
        campaign["draft"]["who"]["segment"],
        stored[0]["who"]["segment"]
    );
}

#[tokio::test]
async fn the_reach_is_the_same_after_a_restart_and_follows_new_uploads() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let now = now_secs();
    let mut records: Vec<Value> = (0..6)
        .map(|i| {
            event(
                &format!("u{i}"),
                "Charged",
                now - 60,
                json!({"amount": i * 20}),
            )
        })
        .collect();
    records.push(json!({"identity": "u1", "ts": now, "type": "profile",
        "profileData": {"Country": "Canada"}}));
    records.push(json!({"identity": "u5", "ts": now, "type": "profile",
        "profileData": {"Country": "CA"}}));
    ingest(&server, records).await;
    let segment = json!({"match": "all", "rules": [
        {"type": "did", "event": "Charged",
         "filters": [{"property": "amount", "op": "greater_than", "value": "10"}]},
        {"type": "profile", "property": "Country", "op": "in", "value": ["canada", "ca"]}]});
    assert_eq!(qualifying(&server, &cookie, &segment).await, 2);

    let server = server.restart_with(|_| {}).await;
    let cookie = server.login().await;
    assert_eq!(
        qualifying(&server, &cookie, &segment).await,
        2,
        "rebuilt from the database"
    );

    // u1 moves away; u3 (amount 60) moves to Canada.
    ingest(
        &server,
        vec![
            json!({"identity": "u1", "ts": now, "type": "profile", "profileData": {"Country": null}}),
            json!({"identity": "u3", "ts": now, "type": "profile", "profileData": {"Country": "Canada"}}),
        ],
    )
    .await;
    assert_eq!(qualifying(&server, &cookie, &segment).await, 2);
    let with_a_country = json!({"match": "all",
        "rules": [{"type": "profile", "property": "Country", "op": "exists"}]});
    let u1 = qualifying(&server, &cookie, &with_a_country).await;
    assert_eq!(u1, 2, "u1's country was removed");
}

async fn qualifying(server: &Client, cookie: &str, segment: &Value) -> Value {
    let (status, reach) = server
        .api(cookie, "segments/reach", &json!({"segment": segment}))
        .await;
    assert_eq!(status, 200, "{reach}");
    reach["qualifying"].clone()
}

#[tokio::test]
async fn saved_segments_are_created_listed_updated_and_deleted() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let now = now_secs();
    ingest(
        &server,
        (0..4)
            .map(|i| {
                event(
                    &format!("u{i}"),
                    "Charged",
                    now - 60,
                    json!({"amount": i * 30}),
                )
            })
            .collect(),
    )
    .await;
    let segment = json!({"match": "any", "rules": [
        {"type": "did", "event": "Charged",
         "filters": [{"property": "amount", "op": "between", "value": [20, 70]}]},
        {"type": "profile", "property": "Country", "op": "equals", "value": "CA"}]});
    let (status, created) = server
        .api(
            &cookie,
            "segments/create",
            &json!({"name": " Mid spenders ", "segment": segment}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["name"], "Mid spenders");
    assert_eq!(created["qualifying"], 2);
    assert!(
        created["description"]
            .as_str()
            .unwrap()
            .starts_with("Users who did “Charged”")
    );

    let (status, got) = server
        .api(&cookie, "segments/get", &json!({"id": id}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(got["segment"]["match"], "any");
    assert_eq!(
        got["segment"]["rules"][0]["filters"],
        segment["rules"][0]["filters"]
    );
    assert_eq!(
        got["segment"]["rules"][1], segment["rules"][1],
        "returned as saved"
    );

    // Bad input: a clear error per field, nothing saved.
    let (status, error) = server
        .api(
            &cookie,
            "segments/create",
            &json!({"name": "mid SPENDERS", "segment": segment}),
        )
        .await;
    assert_eq!(status, 422, "{error}");
    assert!(
        error["fields"]["name"][0]
            .as_str()
            .unwrap()
            .contains("name"),
        "{error}"
    );
    let bad = json!({"match": "all", "rules": [
        {"type": "profile", "property": "Age", "op": "greater_than", "value": "old"},
        {"type": "profile", "property": "Country", "op": "in", "value": []}]});
    let (status, error) = server
        .api(
            &cookie,
            "segments/create",
            &json!({"name": "Bad", "segment": bad}),
        )
        .await;
    assert_eq!(status, 422, "{error}");
    assert_eq!(
        error["fields"]["segment.rules.0.value"][0],
        "Enter a number to compare with."
    );
    assert_eq!(
        error["fields"]["segment.rules.1.value"][0],
        "Enter at least one value."
    );
    let (status, error) = server
        .api(
            &cookie,
            "segments/create",
            &json!({"name": "Odd", "segment": {"rules": [{"type": "sometimes"}]}}),
        )
        .await;
    assert_eq!(status, 400, "{error}");

    let narrower = json!({"match": "all", "rules": [{"type": "did", "event": "Charged",
        "filters": [{"property": "amount", "op": "greater_than", "value": 60}]}]});
    let (status, updated) = server
        .api(
            &cookie,
            "segments/update",
            &json!({"id": id, "name": "Big spenders", "segment": narrower}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["qualifying"], 1);
    let (_, list) = server.api(&cookie, "segments/list", &json!({})).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "Big spenders");
    assert_eq!(list[0]["used_by"], json!([]));

    let (status, _) = server
        .api(&cookie, "segments/delete", &json!({"id": id}))
        .await;
    assert_eq!(status, 200);
    let (status, _) = server
        .api(&cookie, "segments/get", &json!({"id": id}))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_campaign_on_a_saved_segment_keeps_the_definition_it_was_published_with() {
    let server = TestServer::start().await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let now = now_secs();
    ingest(
        &server,
        (0..5)
            .map(|i| {
                event(
                    &format!("u{i}"),
                    "Charged",
                    now - 60,
                    json!({"amount": i * 10}),
                )
            })
            .collect(),
    )
    .await;
    let template = flow::template(&server, &cookie, &receiver).await;
    let over_15 = json!({"match": "all", "rules": [{"type": "did", "event": "Charged",
        "filters": [{"property": "amount", "op": "greater_than", "value": 15}]}]});
    let (_, saved) = server
        .api(
            &cookie,
            "segments/create",
            &json!({"name": "Over 15", "segment": over_15}),
        )
        .await;
    let segment_id = saved["id"].as_i64().unwrap();
    // As saved: the parts left out are written with their defaults.
    let over_15 = saved["segment"].clone();
    assert_eq!(
        over_15["rules"][0]["count"],
        json!({"op": "at_least", "value": 1})
    );

    let mut draft = flow::draft(template, "ignored");
    draft["who"] = json!({"segment_id": segment_id});
    let later = {
        let mut d = draft.clone();
        d["name"] = json!("Later");
        d["when"] = json!({"type": "later", "at": "2099-01-01T09:00"});
        d
    };
    let scheduled = flow::create(&server, &cookie, &later).await;
    let (status, campaign) = server
        .api(&cookie, "campaigns/get", &json!({"id": scheduled}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        campaign["draft"]["who"]["segment"], over_15,
        "the draft holds a copy"
    );
    flow::publish(&server, &cookie, scheduled).await;

    // While a campaign that may still run targets it, the segment cannot be deleted.
    let (status, error) = server
        .api(&cookie, "segments/delete", &json!({"id": segment_id}))
        .await;
    assert_eq!(status, 409, "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("“Later”"),
        "{error}"
    );
    let (_, got) = server
        .api(&cookie, "segments/get", &json!({"id": segment_id}))
        .await;
    assert_eq!(got["used_by"], json!(["Later"]));

    // The scheduled campaign keeps what it was published with; a new one takes the change.
    let over_25 = json!({"match": "all", "rules": [{"type": "did", "event": "Charged",
        "filters": [{"property": "amount", "op": "greater_than", "value": 25}]}]});
    let (status, _) = server
        .api(
            &cookie,
            "segments/update",
            &json!({"id": segment_id, "name": "Over 15", "segment": over_25}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, campaign) = server
        .api(&cookie, "campaigns/get", &json!({"id": scheduled}))
        .await;
    assert_eq!(campaign["draft"]["who"]["segment"], over_15);

    let now_id = flow::launch(&server, &cookie, &draft).await;
    let report = flow::finished(&server, &cookie, now_id, std::time::Duration::from_secs(10)).await;
    assert_eq!(
        report["campaign"]["stats"]["targeted"], 2,
        "u3 and u4 spent over 25"
    );
    let identities: Vec<String> = flow::deliveries(&receiver)
        .iter()
        .flat_map(|r| r.json()["profiles"].as_array().unwrap().clone())
        .map(|p| p["Identity"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(identities.len(), 2);
    assert!(
        identities.iter().all(|i| i == "u3" || i == "u4"),
        "{identities:?}"
    );

    let (status, _) = server
        .api(&cookie, "campaigns/stop", &json!({"id": scheduled}))
        .await;
    assert_eq!(status, 200);
    let (status, error) = server
        .api(&cookie, "segments/delete", &json!({"id": segment_id}))
        .await;
    assert_eq!(
        status, 200,
        "stopped and completed campaigns keep their copy: {error}"
    );
}
