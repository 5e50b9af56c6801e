//! The test OAuth 2.0 server as a process, for the browser tests: prints its address, then serves until
//! killed. `POST /admin/jwks {"url"}` registers the product's JWKS URL; `GET /admin/stats` counts
//! token requests and destination calls. Optional argument: the address to listen on.

#[path = "../tests/support/oauth_server.rs"]
mod oauth_server;

use std::io::Write;

#[tokio::main]
async fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let server = oauth_server::OAuthServer::start_on(&addr).await;
    println!("listening on {}", server.base);
    std::io::stdout().flush().ok();
    std::future::pending::<()>().await;
}
