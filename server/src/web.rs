//! The HTTP server: Leptos pages and server functions, the ingestion and health routes, the session
//! gate in front of them all, and graceful shutdown.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use app::backend::SharedBackend;
use app::{App, BrowserFilesRoot, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::middleware;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{
    LeptosRoutes, file_and_error_handler_with_context, generate_route_list, site_pkg_dir_service,
    site_pkg_dir_service_route_path,
};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::backend::EngineBackend;
use crate::serve::Limits;
use crate::{Engine, auth, http};

/// Largest body accepted by pages and server functions (`/1/upload` has its own, configurable limit).
const MAX_API_BODY_BYTES: usize = 1024 * 1024;
/// How long a client may take to send a request's headers, and then its body.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, FromRef)]
struct AppState {
    leptos_options: LeptosOptions,
    engine: Arc<Engine>,
}

pub fn router(engine: Arc<Engine>, leptos_options: LeptosOptions) -> Router {
    let backend: SharedBackend = Arc::new(EngineBackend(engine.clone()));
    let pkg_dir = Path::new(&*leptos_options.site_root).join(&*leptos_options.site_pkg_dir);
    // Not under `cargo leptos watch` (which says so in LEPTOS_WATCH): it rebuilds the files under a
    // running server.
    let build_prefix = std::env::var_os("LEPTOS_WATCH")
        .is_none()
        .then(|| http::static_files::build_prefix(&pkg_dir))
        .flatten();
    let files_root = BrowserFilesRoot(build_prefix.clone().unwrap_or_default());
    let context = move || {
        provide_context(backend.clone());
        provide_context(files_root.clone());
    };
    let state = AppState {
        leptos_options: leptos_options.clone(),
        engine: engine.clone(),
    };
    // The browser's files: precompressed copies, and 304 to a browser revalidating its copy (the
    // fallback below serves files too, but drops the request's conditional headers).
    let browser_files = site_pkg_dir_service(&leptos_options);
    let mut pages = Router::new().route_service(
        &site_pkg_dir_service_route_path(&leptos_options),
        browser_files.clone(),
    );
    if let Some(prefix) = &build_prefix {
        // `/b/<build>/pkg/…` is `/pkg/…` of this build.
        pages = pages.nest_service(prefix, browser_files);
    }
    pages
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            context.clone(),
            move || shell(leptos_options.clone()),
        )
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_API_BODY_BYTES))
        .merge(http::routes().with_state(engine.clone()))
        .layer(middleware::from_fn_with_state(
            engine.clone(),
            auth::gate::gate,
        ))
        .layer(middleware::from_fn_with_state(
            engine,
            http::client_address::resolve,
        ))
        .layer(middleware::from_fn(http::csrf::guard))
        .layer(middleware::from_fn(http::api_status::api_error_status))
        .layer(middleware::map_response(http::security_headers::add))
        .layer(middleware::from_fn(http::static_files::cache_control))
}

/// Serves until `shutdown` completes, then lets the requests in flight finish (up to the configured
/// deadline).
pub async fn serve(
    engine: Arc<Engine>,
    leptos_options: LeptosOptions,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let limits = Limits {
        max_connections: usize::try_from(engine.config.max_connections).unwrap_or(1024),
        header_timeout: HEADER_TIMEOUT,
        shutdown_deadline: engine.config.shutdown_deadline(),
    };
    let app = router(engine, leptos_options).layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT));
    crate::serve::serve(listener, app, limits, shutdown).await;
}
