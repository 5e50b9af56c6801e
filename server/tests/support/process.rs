//! The real `server` binary as a child process on a free port, on a database folder the test gives.

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{ACCOUNT_ID, ADMIN_EMAIL, ADMIN_PASSWORD, PASSCODE};

/// The real `server` binary on a free port, on the database in `dir`.
pub struct Process {
    child: Child,
    pub base: String,
}

impl Process {
    pub async fn start(dir: &std::path::Path) -> Self {
        let port = free_port();
        let child = command(dir, port)
            .stdout(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while reqwest::get(format!("{base}/healthz")).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, base }
    }

    /// Starts the binary on `dir` and waits for it to exit by itself (it is expected to refuse to
    /// start); `None` if it was still running after `within` (it was then killed).
    pub fn run_expecting_exit(dir: &std::path::Path, within: Duration) -> Option<Output> {
        let mut child = command(dir, free_port())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let deadline = Instant::now() + within;
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(child.wait_with_output().unwrap())
    }

    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn command(dir: &std::path::Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env(
            "HOOKLINE_DATABASE_URL",
            format!("sqlite://{}/hookline.db", dir.display()),
        )
        .env("HOOKLINE_DATA_DIR", dir)
        .env("HOOKLINE_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("HOOKLINE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("HOOKLINE_ACCOUNT_ID", ACCOUNT_ID)
        .env("HOOKLINE_ACCOUNT_PASSCODE", PASSCODE)
        .env("HOOKLINE_ALLOW_DESTINATIONS", "127.0.0.0/8")
        .env("HOOKLINE_BATCH_SIZE", "1")
        .env("HOOKLINE_DISPATCH_CONCURRENCY", "4")
        .env("HOOKLINE_RETRY_DELAYS_MS", "50,50")
        .env("LEPTOS_OUTPUT_NAME", "hookline")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn");
    command
}
