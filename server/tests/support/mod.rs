//! Test support: the real server on port 0 with a temporary SQLite file, and a real HTTP receiver whose
//! answers the test controls and which records every request it gets.
#![allow(dead_code)] // each test file uses its own part of the support

pub mod content;
pub mod flow;
pub mod oauth_server;
pub mod process;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;
use serde_json::Value;
use server::clock::SharedClock;
use server::config::Config;
use server::workers::Workers;
use server::{Engine, web};

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "correct horse battery";
pub const ACCOUNT_ID: &str = "TEST-ACCOUNT";
pub const PASSCODE: &str = "test-passcode";

pub struct TestServer {
    pub client: Client,
    pub engine: Arc<Engine>,
    dir: Arc<tempfile::TempDir>,
    workers: Option<Workers>,
    web: Option<(
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    )>,
}

/// Calls the server's HTTP API as a script would (used through `TestServer` or on its own for a server
/// in another process).
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl std::ops::Deref for TestServer {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl TestServer {
    /// A server with an admin account, ingestion credentials, loopback destinations allowed and a 1 s
    /// request timeout.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        Self::start_in(Arc::new(tempfile::tempdir().expect("temp dir")), tweak).await
    }

    /// A server reading the time from `clock` (tests that need time to pass move it).
    pub async fn start_with_clock(clock: SharedClock, tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
        Self::start_in_with_clock(dir, clock, tweak).await
    }

    /// This server stopped, then another started on its data folder (database and generated key), as
    /// after a restart.
    pub async fn restart_with(mut self, tweak: impl FnOnce(&mut Config)) -> Self {
        self.shut_down().await;
        Self::start_in(self.dir.clone(), tweak).await
    }

    /// Stops serving and the workers, and gives up the database, as the process does at exit.
    pub async fn shut_down(&mut self) {
        self.stop_workers().await;
        if let Some((stop, web)) = self.web.take() {
            let _ = stop.send(());
            let _ = web.await;
        }
        self.engine.close().await;
    }

    /// A server on the data folder `dir` (a test may have prepared its database).
    pub async fn start_in(dir: Arc<tempfile::TempDir>, tweak: impl FnOnce(&mut Config)) -> Self {
        Self::start_in_with_clock(dir, server::clock::system(), tweak).await
    }

    async fn start_in_with_clock(
        dir: Arc<tempfile::TempDir>,
        clock: SharedClock,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let mut config = Config::for_data_dir(dir.path());
        config.admin_email = Some(ADMIN_EMAIL.into());
        config.admin_password = Some(ADMIN_PASSWORD.into());
        config.account_id = Some(ACCOUNT_ID.into());
        config.account_passcode = Some(PASSCODE.into());
        config.allow_destinations = vec!["127.0.0.0/8".parse().unwrap()];
        config.request_timeout_ms = 1000;
        config.retry_delays_ms = vec![50, 50];
        config.secret_key = None;
        tweak(&mut config);
        let engine = Engine::start_with_clock(config, clock)
            .await
            .expect("engine starts");
        let workers = Workers::start(engine.clone()).await.expect("workers start");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let options = LeptosOptions::builder().output_name("hookline").build();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let web = tokio::spawn({
            let engine = engine.clone();
            async move {
                let _ = web::serve(engine, options, listener, async {
                    let _ = stopped.await;
                })
                .await;
            }
        });
        Self {
            client: Client::new(base),
            engine,
            dir,
            workers: Some(workers),
            web: Some((stop, web)),
        }
    }

    /// Stops the scheduler and dispatcher the way a shutdown does (in-flight requests finish).
    pub async fn stop_workers(&mut self) {
        if let Some(workers) = self.workers.take() {
            workers.shutdown().await;
        }
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Client {
    pub fn new(base: String) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { base, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `POST /1/upload` with the right credentials.
    pub async fn upload(&self, body: &Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url("/1/upload"))
            .header("X-CleverTap-Account-Id", ACCOUNT_ID)
            .header("X-CleverTap-Passcode", PASSCODE)
            .json(body)
            .send()
            .await
            .unwrap();
        json_of(response).await
    }

    /// Signs in as the admin; returns the `Cookie` header value to send.
    pub async fn login(&self) -> String {
        let response = self
            .http
            .post(self.url("/api/auth/login"))
            .json(&serde_json::json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "login failed");
        cookie_of(&response).expect("login sets the session cookie")
    }

    /// Calls a server function the way a script would.
    pub async fn api(&self, cookie: &str, endpoint: &str, body: &Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Cookie", cookie)
            .json(body)
            .send()
            .await
            .unwrap();
        json_of(response).await
    }
}

/// `name=value` of the session cookie a response sets.
pub fn cookie_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("hookline_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

pub async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// What the receiver answers.
#[derive(Debug, Clone)]
pub struct Behaviour {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub headers: Vec<(&'static str, String)>,
}

impl Behaviour {
    pub fn status(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn slow(delay: Duration) -> Self {
        Self {
            status: 200,
            body: "late".into(),
            delay,
            headers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Received {
    /// When it arrived.
    pub at: std::time::Instant,
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Default)]
struct ReceiverState {
    behaviour: Mutex<Option<Behaviour>>,
    /// Answers used once each, in order, before `behaviour`.
    script: Mutex<VecDeque<Behaviour>>,
    /// Answers for requests whose path and query contain a text, before the others.
    by_path: Mutex<Vec<(String, Behaviour)>>,
    received: Mutex<Vec<Received>>,
}

/// A local HTTP endpoint standing in for the customer's server.
pub struct Receiver {
    pub url: String,
    state: Arc<ReceiverState>,
}

impl Receiver {
    pub async fn start(behaviour: Behaviour) -> Self {
        let state = Arc::new(ReceiverState::default());
        *state.behaviour.lock().unwrap() = Some(behaviour);
        let app = axum::Router::new()
            .fallback(receive)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, state }
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.state.behaviour.lock().unwrap() = Some(behaviour);
    }

    /// Answers the next requests with `script`, one each, then goes back to the set behaviour.
    pub fn script(&self, script: Vec<Behaviour>) {
        *self.state.script.lock().unwrap() = script.into();
    }

    /// Answers requests whose path and query contain `needle` with `behaviour`.
    pub fn set_for(&self, needle: &str, behaviour: Behaviour) {
        self.state
            .by_path
            .lock()
            .unwrap()
            .push((needle.to_owned(), behaviour));
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }
}

async fn receive(State(state): State<Arc<ReceiverState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 10 << 20)
        .await
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let for_path = state
        .by_path
        .lock()
        .unwrap()
        .iter()
        .find(|(needle, _)| path.contains(needle.as_str()))
        .map(|(_, b)| b.clone());
    state.received.lock().unwrap().push(Received {
        at: std::time::Instant::now(),
        method: parts.method.to_string(),
        path,
        headers: parts.headers,
        body,
    });
    let scripted = for_path.or_else(|| state.script.lock().unwrap().pop_front());
    let behaviour = scripted.unwrap_or_else(|| {
        state
            .behaviour
            .lock()
            .unwrap()
            .clone()
            .expect("behaviour set")
    });
    tokio::time::sleep(behaviour.delay).await;
    let mut response = (
        StatusCode::from_u16(behaviour.status).unwrap(),
        behaviour.body,
    )
        .into_response();
    for (name, value) in behaviour.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// A URL on which nothing listens: connecting is refused.
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/hook")
}
