//! The browser's files under `/pkg/` keep their names from one build to the next, so a browser must
//! ask before it reuses its copy (`Cache-Control: no-cache`; the file handler answers 304 from
//! `Last-Modified`): a main file of the previous build, cached by the browser's own heuristics, would
//! not fit the chunks and pages of the new one.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::middleware::Next;
use axum::response::Response;

pub async fn revalidate(request: Request, next: Next) -> Response {
    let is_browser_file = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if is_browser_file {
        response
            .headers_mut()
            .entry(CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-cache"));
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::middleware;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn cache_control(path: &str) -> Option<String> {
        let app = Router::new()
            .route("/pkg/hookline.wasm", get(|| async { "wasm" }))
            .route("/campaigns", get(|| async { "page" }))
            .layer(middleware::from_fn(revalidate));
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        response
            .headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn browser_files_are_revalidated_and_pages_left_alone() {
        assert_eq!(
            cache_control("/pkg/hookline.wasm").await.as_deref(),
            Some("no-cache")
        );
        assert_eq!(cache_control("/campaigns").await, None);
    }
}
