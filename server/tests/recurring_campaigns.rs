//! Recurring campaigns against a real receiver, on an injected clock in a non-UTC project time zone:
//! runs fall on the days the schedule's rule says (the recurring-day rule, month ends, daylight
//! saving), each re-evaluates the segment and keeps its own statistics, a schedule ends, a pause skips
//! the runs it covers, and bad schedules are refused at their fields.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use server::clock::{Clock, ManualClock};
use support::flow::{self, event};
use support::{Behaviour, Receiver, TestServer};

const PARIS: &str = "Europe/Paris";

/// Unix ms of an RFC 3339 instant.
fn at(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn recurring(template: i64, when: Value) -> Value {
    json!({
        "name": "Monthly digest",
        "template_id": template,
        "goal_event": "Charged",
        "conversion_window": {"value": 1, "unit": "days"},
        "who": {"segment": {"event": "App Launched"}, "control_group_percent": 50},
        "what": {"key_values": [{"name": "edition", "value": "monthly"}]},
        "when": when
    })
}

/// A server in Paris time on a clock stopped at `now`, signed in, with a receiver and a template.
async fn paris_at(now: &str) -> (TestServer, Arc<ManualClock>, String, Receiver, i64) {
    let clock = Arc::new(ManualClock::at(at(now)));
    let server = TestServer::start_with_clock(clock.clone(), |c| c.time_zone = PARIS.into()).await;
    let cookie = server.login().await;
    let receiver = Receiver::start(Behaviour::status(200, "ok")).await;
    let template = flow::template(&server, &cookie, &receiver).await;
    (server, clock, cookie, receiver, template)
}

/// Users who launched the app (the segment) at the clock's time.
async fn launched(server: &TestServer, clock: &ManualClock, users: &[&str]) {
    let ts = clock.now_ms() / 1000;
    let records = users
        .iter()
        .map(|u| event(u, "App Launched", ts, json!({})))
        .collect();
    flow::ingest(server, records).await;
}

/// Moves the clock to `to` and wakes the scheduler, as its timer would; returns a new session (the
/// last one may have expired meanwhile).
async fn move_to(server: &TestServer, clock: &ManualClock, to: i64) -> String {
    clock.advance(to - clock.now_ms());
    server.engine.schedule_wake.notify_one();
    server.login().await
}

/// Polls until the campaign's `runs`-th run has sent all its requests and the campaign waits for its
/// next run (or completed); returns the campaign, read afterwards (the report reads the campaign before
/// its runs, so its campaign may predate the run).
async fn run_finished(server: &TestServer, cookie: &str, id: i64, runs: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let report = flow::report(server, cookie, id).await;
        let all = report["runs"].as_array().unwrap();
        let latest = &all.first().map_or(json!({}), |r| r["stats"].clone());
        if all.len() == runs && latest["requests"] != 0 && latest["pending_requests"] == 0 {
            let got = flow::campaign(server, cookie, id).await;
            if matches!(got["status"].as_str(), Some("scheduled" | "completed")) {
                return got;
            }
        }
        assert!(
            Instant::now() < deadline,
            "run {runs} did not finish: {report}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The identities of the users the receiver's campaign requests carried, sorted.
fn sent_to(receiver: &Receiver) -> Vec<String> {
    let mut users: Vec<String> = flow::deliveries(receiver)
        .iter()
        .flat_map(|r| r.json()["profiles"].as_array().cloned().unwrap_or_default())
        .map(|p| p["Identity"].as_str().unwrap().to_owned())
        .collect();
    users.sort();
    users
}

#[tokio::test]
async fn monthly_runs_fall_on_the_rule_days_across_month_ends_and_daylight_saving_each_with_its_stats()
 {
    // Made on 2027-01-20, to run on the 31st of each month from 2027-01-25 at 09:00 Paris time.
    let (server, clock, cookie, receiver, template) = paris_at("2027-01-20T12:00:00Z").await;
    launched(&server, &clock, &["ann", "bob", "cat", "dan"]).await;
    let when = json!({"type": "recurring", "every": "month", "at": "09:00", "day_of_month": 31,
                      "start": "2027-01-25"});
    let id = flow::launch(&server, &cookie, &recurring(template, when)).await;
    let published = flow::campaign(&server, &cookie, id).await;
    assert_eq!(published["status"], "scheduled", "{published}");
    // 09:00 in Paris in winter is 08:00Z.
    let first = at("2027-01-31T08:00:00Z");
    assert_eq!(published["next_run_at"], first, "{published}");

    // Nothing runs before its time.
    move_to(&server, &clock, first - 60_000).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(flow::deliveries(&receiver).is_empty());

    let cookie = move_to(&server, &clock, first).await;
    let after_first = run_finished(&server, &cookie, id, 1).await;
    assert_eq!(after_first["status"], "scheduled", "{after_first}");
    // February has no 31st: its last day. Still winter time.
    assert_eq!(after_first["next_run_at"], at("2027-02-28T08:00:00Z"));
    let first_sent = sent_to(&receiver);
    assert_eq!(first_sent.len(), 2, "half held out: {first_sent:?}");
    // One of them converts within the window; a goal event after the window does not count.
    let converted = &first_sent[0];
    let ts = clock.now_ms() / 1000;
    flow::ingest(
        &server,
        vec![event(
            converted,
            "Charged",
            ts + 3600,
            json!({"Amount": 12}),
        )],
    )
    .await;

    // A new user before the second run: each run evaluates the segment again.
    launched(&server, &clock, &["eve", "fay"]).await;
    let cookie = move_to(&server, &clock, at("2027-02-28T08:00:00Z")).await;
    let after_second = run_finished(&server, &cookie, id, 2).await;
    // 2027-03-28 starts summer time: 09:00 in Paris is 07:00Z on the 31st.
    assert_eq!(after_second["next_run_at"], at("2027-03-31T07:00:00Z"));
    assert_eq!(
        after_second["stats"]["targeted"], 5,
        "2 + 3: {after_second}"
    );
    assert_eq!(after_second["stats"]["control"], 5, "2 + 3");

    let report = flow::report(&server, &cookie, id).await;
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{report}");
    let (second, first_run) = (&runs[0], &runs[1]);
    assert_eq!(first_run["number"], 1);
    assert_eq!(first_run["scheduled_at"], first);
    assert_eq!(first_run["stats"]["targeted"], 2);
    assert_eq!(first_run["stats"]["control"], 2);
    assert_eq!(first_run["stats"]["delivered"], 2);
    assert_eq!(first_run["stats"]["conversions"], 1, "{first_run}");
    assert_eq!(second["number"], 2);
    assert_eq!(second["stats"]["targeted"], 3, "6 users, half held out");
    assert_eq!(second["stats"]["control"], 3);
    assert_eq!(second["stats"]["delivered"], 3);
    assert_eq!(
        second["stats"]["conversions"], 0,
        "the charge was a month before this run"
    );
    assert_eq!(report["campaign"]["stats"]["conversions"], 1);
    assert_eq!(report["clock"]["name"], PARIS);

    let cookie = move_to(&server, &clock, at("2027-03-31T07:00:00Z")).await;
    let third = run_finished(&server, &cookie, id, 3).await;
    // April has 30 days.
    assert_eq!(third["next_run_at"], at("2027-04-30T07:00:00Z"));
}

#[tokio::test]
async fn weekly_runs_start_on_the_first_chosen_day_after_the_start_and_end_with_the_schedule() {
    // Wednesday 2027-06-02; runs on Mondays and Fridays from Saturday 2027-06-05 until 2027-06-11.
    let (server, clock, cookie, receiver, template) = paris_at("2027-06-02T10:00:00Z").await;
    launched(&server, &clock, &["ann"]).await;
    let when = json!({"type": "recurring", "every": "week", "at": "18:30",
                      "days_of_week": ["mon", "fri"], "start": "2027-06-05", "end": "2027-06-11"});
    let mut draft = recurring(template, when);
    draft["who"]["control_group_percent"] = json!(0);
    let id = flow::launch(&server, &cookie, &draft).await;
    // Not Friday 2027-06-04 (before the start): Monday 2027-06-07, 18:30 in Paris = 16:30Z.
    let monday = at("2027-06-07T16:30:00Z");
    assert_eq!(
        flow::campaign(&server, &cookie, id).await["next_run_at"],
        monday
    );

    let cookie = move_to(&server, &clock, monday).await;
    let after_monday = run_finished(&server, &cookie, id, 1).await;
    let friday = at("2027-06-11T16:30:00Z");
    assert_eq!(after_monday["next_run_at"], friday, "{after_monday}");
    let cookie = move_to(&server, &clock, friday).await;
    let done = run_finished(&server, &cookie, id, 2).await;
    assert_eq!(
        done["status"], "completed",
        "the end date has no later run: {done}"
    );
    assert_eq!(done["next_run_at"], Value::Null);
    assert_eq!(flow::deliveries(&receiver).len(), 2);
    let report = flow::report(&server, &cookie, id).await;
    assert_eq!(report["runs"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_paused_recurring_campaign_skips_the_runs_it_missed() {
    let (server, clock, cookie, receiver, template) = paris_at("2027-06-02T10:00:00Z").await;
    launched(&server, &clock, &["ann"]).await;
    let when = json!({"type": "recurring", "every": "day", "at": "09:00", "start": "2027-06-03"});
    let id = flow::launch(&server, &cookie, &recurring(template, when)).await;
    let (status, paused) = server
        .api(&cookie, "campaigns/pause", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{paused}");
    assert_eq!(paused["status"], "paused");

    // Two run times pass while paused: nothing is sent.
    let cookie = move_to(&server, &clock, at("2027-06-04T12:00:00Z")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(flow::deliveries(&receiver).is_empty());
    assert_eq!(flow::report(&server, &cookie, id).await["runs"], json!([]));

    let (status, resumed) = server
        .api(&cookie, "campaigns/resume", &json!({"id": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    assert_eq!(resumed["status"], "scheduled");
    // It goes on with the next run to come (09:00 Paris = 07:00Z in summer), not the missed ones.
    assert_eq!(resumed["next_run_at"], at("2027-06-05T07:00:00Z"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(flow::deliveries(&receiver).is_empty());
}

#[tokio::test]
async fn bad_recurring_schedules_are_refused_at_their_fields() {
    let (server, _clock, cookie, _receiver, template) = paris_at("2027-06-02T10:00:00Z").await;
    let save = |when: Value| {
        let draft = recurring(template, when);
        let (server, cookie) = (&server, &cookie);
        async move {
            let id = flow::create(server, cookie, &draft).await;
            server
                .api(
                    cookie,
                    "campaigns/save",
                    &json!({"id": id, "draft": draft, "step": "when"}),
                )
                .await
        }
    };
    let cases = [
        (
            json!({"type": "recurring", "every": "week", "at": "09:00", "start": "2027-06-03"}),
            "when.days_of_week",
        ),
        (
            json!({"type": "recurring", "every": "month", "at": "09:00", "day_of_month": 32,
                   "start": "2027-06-03"}),
            "when.day_of_month",
        ),
        (
            json!({"type": "recurring", "every": "day", "at": "9am", "start": "2027-06-03"}),
            "when.at",
        ),
        (
            json!({"type": "recurring", "every": "day", "at": "09:00", "start": "2027-02-30"}),
            "when.start",
        ),
        (
            json!({"type": "recurring", "every": "day", "at": "09:00", "start": "2027-05-01",
                   "end": "2027-05-31"}),
            "when.end",
        ),
    ];
    for (when, field) in cases {
        let (status, answer) = save(when.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{when}: {answer}");
        assert!(
            answer["fields"][field].is_array(),
            "{when} should be refused at {field}: {answer}"
        );
    }
}
