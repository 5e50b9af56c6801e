//! Dashboard login, sessions, first-run setup, and the gate in front of pages and the API.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{ADMIN_EMAIL, ADMIN_PASSWORD, TestServer, cookie_of, json_of};

#[tokio::test]
async fn anonymous_api_callers_get_401_and_pages_redirect_to_login() {
    let server = TestServer::start().await;
    let (status, body) = server.api("", "webhooks/list", &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");

    let response = server
        .http
        .get(server.url("/webhooks?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fwebhooks%3Fx%3D1"
    );

    let (status, _) = server
        .api("hookline_session=forged", "auth/me", &json!({}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an unknown token is no session"
    );
}

#[tokio::test]
async fn login_sets_an_http_only_cookie_that_opens_the_api_until_logout() {
    let server = TestServer::start().await;
    let response = server
        .http
        .post(server.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax")
            && set_cookie.contains("Path=/"),
        "{set_cookie}"
    );
    let cookie = cookie_of(&response).unwrap();

    let (status, me) = server.api(&cookie, "auth/me", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], ADMIN_EMAIL);
    let page = server
        .http
        .get(server.url("/webhooks"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Webhooks"));
    let login_page = server
        .http
        .get(server.url("/login"))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        login_page.status(),
        StatusCode::SEE_OTHER,
        "a signed-in visit to /login goes home"
    );

    let (status, _) = server.api(&cookie, "auth/logout", &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.api(&cookie, "auth/me", &json!({})).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the session ended on the server, not just in the browser"
    );
}

#[tokio::test]
async fn wrong_credentials_and_bad_input_get_clear_errors() {
    let server = TestServer::start().await;
    for (email, password) in [
        (ADMIN_EMAIL, "wrong password"),
        ("nobody@example.com", ADMIN_PASSWORD),
    ] {
        let (status, body) = server
            .api(
                "",
                "auth/login",
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["message"], "The e-mail or password is wrong.");
    }
    let (status, body) = server
        .api("", "auth/login", &json!({"email": "", "password": ""}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["email"].is_array() && body["fields"]["password"].is_array());

    let response = server
        .http
        .post(server.url("/api/auth/login"))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn first_run_setup_creates_one_admin_only() {
    let server = TestServer::start_with(|c| {
        c.admin_email = None;
        c.admin_password = None;
    })
    .await;
    let response = server
        .http
        .get(server.url("/webhooks"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["location"],
        "/setup",
        "with no account, pages lead to setup"
    );
    let response = server.http.get(server.url("/setup")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let (status, body) = server
        .api(
            "",
            "auth/setup",
            &json!({"email": "me@example.com", "password": "short"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["password"].is_array());

    let response = server
        .http
        .post(server.url("/api/auth/setup"))
        .json(&json!({"email": "me@example.com", "password": "a long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = cookie_of(&response).expect("setup signs the admin in");
    assert_eq!(
        server.api(&cookie, "auth/me", &json!({})).await.1["email"],
        "me@example.com"
    );

    let (status, body) = server
        .api(
            "",
            "auth/setup",
            &json!({"email": "eve@example.com", "password": "a long password"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "conflict");
    let response = server.http.get(server.url("/setup")).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/login");
}

#[tokio::test]
async fn health_answers_without_a_session() {
    let server = TestServer::start().await;
    let response = server
        .http
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn responses_carry_security_headers_and_api_bodies_are_bounded() {
    let server = TestServer::start().await;
    let response = server.http.get(server.url("/login")).send().await.unwrap();
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    let huge = json!({"email": "a@b.co", "password": "x".repeat(2 * 1024 * 1024)});
    let response = server
        .http
        .post(server.url("/api/auth/login"))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}
