//! Building the server: state, router and listener. `Application::build` binds (port 0 picks
//! a free port, which tests use) and `port()` tells which.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Settings;
use crate::rate_limit::{self, Limits};
use crate::request_limits::{self, RequestLimits};
use crate::routes;
use crate::serve::{self, ConnectionLimits};
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("settings", &self.settings).finish_non_exhaustive()
    }
}

/// The whole HTTP application for `state`.
pub fn router(state: AppState) -> Router {
    let body_limit = state.settings.max_body_bytes;
    let web_root = state.settings.web_root.clone();
    let mut app = Router::new()
        .nest(
            "/api/v1",
            routes::api().fallback(routes::not_found).method_not_allowed_fallback(routes::method_not_allowed),
        )
        .route("/health", axum::routing::get(routes::meta::health));
    app = match web_root {
        // The web app: its files, and for each part's own paths (/card, /scan/history,
        // /staff/cards, ...) the page that loads that part (the app's `Part::page`).
        Some(dir) => {
            let page = |name: &str| tower_http::services::ServeFile::new(dir.join(name));
            app.nest_service("/scan", page("scan.html"))
                .nest_service("/staff", page("staff.html"))
                .fallback_service(tower_http::services::ServeDir::new(&dir).fallback(page("index.html")))
        }
        None => app.fallback(routes::not_found),
    };
    // Outermost last: a rate-limited request is refused before it takes an in-flight place or
    // has its body read.
    let request_limits = Arc::new(RequestLimits::new(&state.settings));
    let rate_limits = Arc::new(Limits::new(&state.settings));
    app.layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestDecompressionLayer::new())
        .layer(axum::middleware::from_fn(known_content_encoding))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(move |req, next| request_limits::guard(request_limits.clone(), req, next)))
        .layer(axum::middleware::from_fn(move |req, next| rate_limit::limit(rate_limits.clone(), req, next)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Refuses a body in an encoding the decompression layer cannot read, with a JSON error (the
/// layer itself would answer 415 with an empty body). Runs before that layer.
async fn known_content_encoding(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    match req.headers().get(axum::http::header::CONTENT_ENCODING).map(|v| v.as_bytes()) {
        None | Some(b"gzip" | b"zstd" | b"identity") => next.run(req).await,
        Some(other) => crate::error::ApiError::UnsupportedMediaType(format!(
            "Content-Encoding '{}' is not supported: send the body uncompressed, or as gzip or zstd",
            String::from_utf8_lossy(other)
        ))
        .into_response(),
    }
}

/// A bound, ready-to-run server.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
}

impl Application {
    pub async fn build(state: AppState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(state.settings.addr).await?;
        Ok(Self { listener, limits: ConnectionLimits::new(&state.settings), router: router(state) })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until `shutdown` completes, then lets requests under way finish for at most
    /// `shutdown_deadline_secs` (see [`serve::serve`]).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        serve::serve(self.listener, self.router, self.limits, shutdown).await
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(std::future::pending()).await
    }
}
