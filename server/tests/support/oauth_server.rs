//! A local OAuth 2.0 authorization server and protected destination, written for the tests. It really
//! checks what it gets: client id and secret from a Basic header or the body, the resource owner's
//! password, refresh tokens, and JWT client assertions (RFC 7523) against the JWKS it fetches from the
//! product, with an independent JWT library. Its destination `/hook` accepts only the bearer tokens it
//! issued and has not revoked. Also built as the example `oauth_server` for the browser tests.
#![allow(dead_code)] // Each test binary uses a different part.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "hookline-client";
pub const CLIENT_SECRET: &str = "client s3cret&more";
pub const USERNAME: &str = "ops@example.com";
pub const PASSWORD: &str = "owner pa55";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How a token request authenticated its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    BasicHeader,
    RequestBody,
    Assertion,
}

/// A token request as the server judged it.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub grant_type: String,
    pub client_auth: Option<ClientAuth>,
    pub scope: Option<String>,
    /// `Ok` with the issued token, or the `error` code answered.
    pub outcome: Result<String, String>,
    /// A verified assertion's header and claims.
    pub assertion: Option<(Value, Value)>,
}

#[derive(Debug, Clone)]
pub struct HookRequest {
    pub token: Option<String>,
    pub accepted: bool,
    pub body: Value,
}

struct Issued {
    expires: Instant,
    revoked: bool,
}

#[derive(Default)]
struct Settings {
    lifetime_secs: u64,
    jwks_url: Option<String>,
    refresh_fails: bool,
    /// Answered to every token request instead of a token.
    forced_error: Option<(u16, Value)>,
    token_delay: Duration,
}

struct ServerState {
    token_url: String,
    settings: Mutex<Settings>,
    issued: Mutex<HashMap<String, Issued>>,
    refresh_tokens: Mutex<HashSet<String>>,
    seen_jti: Mutex<HashSet<String>>,
    token_requests: Mutex<Vec<TokenRequest>>,
    hook_requests: Mutex<Vec<HookRequest>>,
    counter: AtomicU64,
    http: reqwest::Client,
}

pub struct OAuthServer {
    pub base: String,
    state: Arc<ServerState>,
}

impl OAuthServer {
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0").await
    }

    pub async fn start_on(addr: &str) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(ServerState {
            token_url: format!("{base}/token"),
            settings: Mutex::new(Settings {
                lifetime_secs: 3600,
                ..Default::default()
            }),
            issued: Mutex::default(),
            refresh_tokens: Mutex::default(),
            seen_jti: Mutex::default(),
            token_requests: Mutex::default(),
            hook_requests: Mutex::default(),
            counter: AtomicU64::new(0),
            http: reqwest::Client::new(),
        });
        let app = axum::Router::new()
            .route("/token", post(token))
            .route("/hook", any(hook))
            .route("/admin/jwks", post(register_jwks))
            .route("/admin/stats", get(stats))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, state }
    }

    pub fn token_url(&self) -> String {
        self.state.token_url.clone()
    }

    pub fn hook_url(&self) -> String {
        format!("{}/hook", self.base)
    }

    /// Where the client's public keys are (the product's JWKS URL).
    pub fn trust_jwks(&self, url: &str) {
        self.settings().jwks_url = Some(url.to_owned());
    }

    pub fn set_lifetime(&self, secs: u64) {
        self.settings().lifetime_secs = secs;
    }

    pub fn set_refresh_fails(&self, fails: bool) {
        self.settings().refresh_fails = fails;
    }

    pub fn force_error(&self, error: Option<(u16, Value)>) {
        self.settings().forced_error = error;
    }

    pub fn set_token_delay(&self, delay: Duration) {
        self.settings().token_delay = delay;
    }

    /// Every token issued so far stops being accepted by `/hook`.
    pub fn revoke_all(&self) {
        for issued in self.state.issued.lock().unwrap().values_mut() {
            issued.revoked = true;
        }
    }

    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.state.token_requests.lock().unwrap().clone()
    }

    pub fn hook_requests(&self) -> Vec<HookRequest> {
        self.state.hook_requests.lock().unwrap().clone()
    }

    fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.state.settings.lock().unwrap()
    }
}

type Fields = HashMap<String, String>;

async fn token(
    State(state): State<Arc<ServerState>>,
    headers: HeaderMap,
    Form(form): Form<Fields>,
) -> Response {
    let delay = state.settings.lock().unwrap().token_delay;
    tokio::time::sleep(delay).await;
    let grant_type = form.get("grant_type").cloned().unwrap_or_default();
    let mut record = TokenRequest {
        grant_type: grant_type.clone(),
        client_auth: None,
        scope: form.get("scope").cloned(),
        outcome: Err(String::new()),
        assertion: None,
    };
    let answer = answer_token(&state, &headers, &form, &mut record).await;
    record.outcome = match &answer {
        Ok(body) => Ok(body["access_token"].as_str().unwrap_or_default().to_owned()),
        Err((_, body)) => Err(body["error"].as_str().unwrap_or_default().to_owned()),
    };
    state.token_requests.lock().unwrap().push(record);
    match answer {
        Ok(body) => (StatusCode::OK, Json(body)).into_response(),
        Err((status, body)) => (status, Json(body)).into_response(),
    }
}

type Refusal = (StatusCode, Value);

fn refusal(status: StatusCode, error: &str, description: &str) -> Refusal {
    (
        status,
        json!({"error": error, "error_description": description}),
    )
}

async fn answer_token(
    state: &ServerState,
    headers: &HeaderMap,
    form: &Fields,
    record: &mut TokenRequest,
) -> Result<Value, Refusal> {
    let forced = state.settings.lock().unwrap().forced_error.clone();
    if let Some((status, body)) = forced {
        return Err((StatusCode::from_u16(status).unwrap(), body));
    }
    let (client_auth, assertion) = authenticate_client(state, headers, form).await?;
    record.client_auth = Some(client_auth);
    record.assertion = assertion;
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    match field("grant_type") {
        "client_credentials" => Ok(issue(state, false)),
        "password" if client_auth == ClientAuth::Assertion => Err(refusal(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "The password grant needs the client secret",
        )),
        "password" if field("username") == USERNAME && field("password") == PASSWORD => {
            Ok(issue(state, true))
        }
        "password" => Err(refusal(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "Wrong user name or password",
        )),
        "refresh_token" => {
            let fails = state.settings.lock().unwrap().refresh_fails;
            let known = state
                .refresh_tokens
                .lock()
                .unwrap()
                .remove(field("refresh_token"));
            if known && !fails {
                Ok(issue(state, true))
            } else {
                Err(refusal(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid or expired",
                ))
            }
        }
        other => Err(refusal(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Unsupported grant type {other:?}"),
        )),
    }
}

type Authenticated = (ClientAuth, Option<(Value, Value)>);

async fn authenticate_client(
    state: &ServerState,
    headers: &HeaderMap,
    form: &Fields,
) -> Result<Authenticated, Refusal> {
    let failed = |why: &str| refusal(StatusCode::UNAUTHORIZED, "invalid_client", why);
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = B64
            .decode(basic)
            .ok()
            .and_then(|d| String::from_utf8(d).ok())
            .ok_or_else(|| failed("Malformed Basic credentials"))?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| failed("Malformed Basic credentials"))?;
        // RFC 6749 §2.3.1: both are form-encoded inside the Basic credentials.
        let decode = |s: &str| -> String {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return if decode(id) == CLIENT_ID && decode(secret) == CLIENT_SECRET {
            Ok((ClientAuth::BasicHeader, None))
        } else {
            Err(failed(
                "Client authentication failed: wrong client id or secret",
            ))
        };
    }
    if form.get("client_assertion_type").map(String::as_str) == Some(ASSERTION_TYPE) {
        let jwt = form.get("client_assertion").cloned().unwrap_or_default();
        let verified = verify_assertion(state, &jwt)
            .await
            .map_err(|e| failed(&e))?;
        if let Some(id) = form.get("client_id")
            && id != CLIENT_ID
        {
            return Err(failed("client_id does not match the assertion"));
        }
        return Ok((ClientAuth::Assertion, Some(verified)));
    }
    match (form.get("client_id"), form.get("client_secret")) {
        (Some(id), Some(secret)) if id == CLIENT_ID && secret == CLIENT_SECRET => {
            Ok((ClientAuth::RequestBody, None))
        }
        (Some(_), Some(_)) => Err(failed(
            "Client authentication failed: wrong client id or secret",
        )),
        _ => Err(failed("No client authentication")),
    }
}

/// Verifies a client assertion against the keys published at the registered JWKS URL (fetched anew
/// every time, so a replaced key is refused at once). Returns its header and claims.
async fn verify_assertion(state: &ServerState, jwt: &str) -> Result<(Value, Value), String> {
    let header =
        jsonwebtoken::decode_header(jwt).map_err(|e| format!("Malformed assertion: {e}"))?;
    if !matches!(
        header.alg,
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512
    ) {
        return Err(format!("Algorithm {:?} is not accepted", header.alg));
    }
    let jwks_url = state
        .settings
        .lock()
        .unwrap()
        .jwks_url
        .clone()
        .ok_or("No JWKS URL is registered for this client")?;
    let jwks: Value = state
        .http
        .get(&jwks_url)
        .send()
        .await
        .map_err(|e| format!("JWKS fetch failed: {e}"))?
        .json()
        .await
        .map_err(|e| format!("JWKS is not JSON: {e}"))?;
    let kid = header.kid.clone().ok_or("The assertion has no kid")?;
    let jwk = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .ok_or_else(|| format!("Unknown key id {kid}"))?;
    let key = DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap_or_default(),
        jwk["e"].as_str().unwrap_or_default(),
    )
    .map_err(|e| format!("Bad JWK: {e}"))?;
    let mut validation = Validation::new(header.alg);
    validation.leeway = 5;
    validation.set_audience(&[state.token_url.as_str()]);
    validation.set_issuer(&[CLIENT_ID]);
    validation.sub = Some(CLIENT_ID.to_owned());
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .map_err(|e| format!("The assertion was rejected: {e}"))?
        .claims;
    let jti = claims["jti"].as_str().ok_or("The assertion has no jti")?;
    if !state.seen_jti.lock().unwrap().insert(jti.to_owned()) {
        return Err(format!("The assertion's jti {jti} was already used"));
    }
    let header = serde_json::to_value(&header).unwrap_or_default();
    Ok((header, claims))
}

fn issue(state: &ServerState, with_refresh: bool) -> Value {
    let n = state.counter.fetch_add(1, Ordering::Relaxed);
    let access = format!("at-{n}-{:016x}", rand::random::<u64>());
    let lifetime = state.settings.lock().unwrap().lifetime_secs;
    state.issued.lock().unwrap().insert(
        access.clone(),
        Issued {
            expires: Instant::now() + Duration::from_secs(lifetime),
            revoked: false,
        },
    );
    let mut body = json!({"access_token": access, "token_type": "Bearer", "expires_in": lifetime});
    if with_refresh {
        let refresh = format!("rt-{n}-{:016x}", rand::random::<u64>());
        state.refresh_tokens.lock().unwrap().insert(refresh.clone());
        body["refresh_token"] = json!(refresh);
    }
    body
}

/// The protected destination: 200 for a live token it issued, 401 otherwise.
async fn hook(State(state): State<Arc<ServerState>>, headers: HeaderMap, body: String) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let accepted = token.as_ref().is_some_and(|t| {
        state
            .issued
            .lock()
            .unwrap()
            .get(t)
            .is_some_and(|i| !i.revoked && i.expires > Instant::now())
    });
    state.hook_requests.lock().unwrap().push(HookRequest {
        token,
        accepted,
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    });
    if accepted {
        (StatusCode::OK, Json(json!({"ok": true}))).into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
            Json(json!({"error": "invalid_token"})),
        )
            .into_response()
    }
}

/// `POST /admin/jwks {"url"}`: the browser tests register the product's JWKS URL here, as a customer
/// would configure their authorization server.
async fn register_jwks(
    State(state): State<Arc<ServerState>>,
    Json(body): Json<Value>,
) -> StatusCode {
    match body["url"].as_str() {
        Some(url) => {
            state.settings.lock().unwrap().jwks_url = Some(url.to_owned());
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn stats(State(state): State<Arc<ServerState>>) -> Json<Value> {
    let tokens = state.token_requests.lock().unwrap();
    let hooks = state.hook_requests.lock().unwrap();
    Json(json!({
        "token_requests": tokens.len(),
        "tokens_issued": tokens.iter().filter(|t| t.outcome.is_ok()).count(),
        "assertions_accepted": tokens.iter().filter(|t| t.assertion.is_some()).count(),
        "hook_accepted": hooks.iter().filter(|h| h.accepted).count(),
        "hook_refused": hooks.iter().filter(|h| !h.accepted).count(),
    }))
}
