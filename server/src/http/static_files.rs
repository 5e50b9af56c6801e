//! How browsers fetch and keep the files under `/pkg/` (the WASM, its chunks, scripts, stylesheet).
//!
//! The build's files keep their names from one build to the next, so the pages link them under a
//! path naming the build: `/b/<build>/pkg/…`, `<build>` a digest of every file in the directory, taken
//! when the server starts. A browser keeps those for good and opens a page without asking again for
//! its code (on a slow connection, a round trip per file saved). A page of an earlier build asks
//! for its own build's path, which is not served (404): its code fails to load and the app opens
//! the page afresh (`frontend/src/chunk_failure.rs`), never mixing two builds' files. The files stay
//! at `/pkg/…` too, revalidated on every use (`no-cache`; the file handler answers 304); a server run
//! by `cargo leptos watch`, which rebuilds the files under it, links only those.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use axum::extract::Request;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Where the pages link the build's files from: `/b/<build>` (followed by `/pkg/…`), or `None`
/// when there is no directory of browser files (a server built without its front end).
pub fn build_prefix(pkg_dir: &Path) -> Option<String> {
    let mut files: Vec<_> = std::fs::read_dir(pkg_dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        // The compressed copies follow from the files.
        .filter(|path| path.is_file() && !matches!(extension(path), "br" | "gz"))
        .collect();
    if files.is_empty() {
        return None;
    }
    files.sort();
    let mut digest = DefaultHasher::new();
    for path in files {
        digest.write(path.file_name()?.as_encoded_bytes());
        digest.write(&std::fs::read(&path).ok()?);
    }
    Some(format!("/b/{:016x}", digest.finish()))
}

fn extension(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or("")
}

pub async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let of_a_build = path.starts_with("/b/");
    let is_browser_file = of_a_build || path.starts_with("/pkg/");
    let mut response = next.run(request).await;
    if is_browser_file {
        let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
        // A file that is not there is not kept: a later build may have it.
        let policy = if of_a_build && found {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .entry(CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(policy));
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

    async fn cache_control_of(path: &str) -> Option<String> {
        let app = Router::new()
            .route("/b/{build}/pkg/hookline.wasm", get(|| async { "wasm" }))
            .route("/pkg/hookline.wasm", get(|| async { "wasm" }))
            .route("/campaigns", get(|| async { "page" }))
            .layer(middleware::from_fn(cache_control));
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        response
            .headers()
            .get(CACHE_CONTROL)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn a_builds_files_are_kept_and_the_others_revalidated() {
        assert_eq!(
            cache_control_of("/b/0123abcd/pkg/hookline.wasm")
                .await
                .as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(
            cache_control_of("/b/0123abcd/pkg/missing.wasm")
                .await
                .as_deref(),
            Some("no-cache")
        );
        assert_eq!(
            cache_control_of("/pkg/hookline.wasm").await.as_deref(),
            Some("no-cache")
        );
        assert_eq!(cache_control_of("/campaigns").await, None);
    }

    #[test]
    fn the_build_prefix_changes_with_any_file_and_not_with_compressed_copies() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(build_prefix(dir.path()), None);
        assert_eq!(build_prefix(&dir.path().join("missing")), None);
        std::fs::write(dir.path().join("hookline.wasm"), "main").unwrap();
        std::fs::write(dir.path().join("chunk_1.wasm"), "one").unwrap();
        let first = build_prefix(dir.path()).unwrap();
        assert!(first.starts_with("/b/") && first.len() == 19, "{first}");
        std::fs::write(dir.path().join("chunk_1.wasm.br"), "compressed").unwrap();
        assert_eq!(build_prefix(dir.path()).unwrap(), first);
        std::fs::write(dir.path().join("chunk_1.wasm"), "two").unwrap();
        assert_ne!(build_prefix(dir.path()).unwrap(), first);
    }
}
