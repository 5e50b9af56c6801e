//! The HTTP server: Leptos pages and server functions, the ingestion and health routes, the session
//! gate in front of them all, and graceful shutdown.

use std::future::Future;
use std::sync::Arc;

use app::backend::SharedBackend;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::middleware;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;

use crate::backend::EngineBackend;
use crate::{Engine, auth, http};

/// Largest body accepted by pages and server functions (`/1/upload` has its own, configurable limit).
const MAX_API_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone, FromRef)]
struct AppState {
    leptos_options: LeptosOptions,
    engine: Arc<Engine>,
}

pub fn router(engine: Arc<Engine>, leptos_options: LeptosOptions) -> Router {
    let backend: SharedBackend = Arc::new(EngineBackend(engine.clone()));
    let context = move || provide_context(backend.clone());
    let state = AppState {
        leptos_options: leptos_options.clone(),
        engine: engine.clone(),
    };
    Router::new()
        .leptos_routes_with_context(&state, generate_route_list(App), context, move || {
            shell(leptos_options.clone())
        })
        .fallback(file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_API_BODY_BYTES))
        .merge(http::routes().with_state(engine.clone()))
        .layer(middleware::from_fn_with_state(engine, auth::gate::gate))
        .layer(middleware::from_fn(http::api_status::api_error_status))
        .layer(middleware::map_response(http::security_headers::add))
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    engine: Arc<Engine>,
    leptos_options: LeptosOptions,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(engine, leptos_options);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
