import { defineConfig } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ACCOUNT_ID, PASSCODE } from './tests/fixtures/credentials';

// The app under test: the release build with split bundles from `cargo leptos build --release --split`
// (`scripts/test.sh`), on its own port and a fresh data folder.
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: 'rm -rf .data && mkdir -p .data && exec ../target/release/server',
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      LEPTOS_OUTPUT_NAME: 'hookline',
      LEPTOS_SITE_ROOT: '../target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_ENV: 'PROD',
      HOOKLINE_DATABASE_URL: 'sqlite://.data/hookline.db',
      HOOKLINE_DATA_DIR: '.data',
      HOOKLINE_ADMIN_EMAIL: ADMIN_EMAIL,
      HOOKLINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HOOKLINE_ACCOUNT_ID: ACCOUNT_ID,
      HOOKLINE_ACCOUNT_PASSCODE: PASSCODE,
      HOOKLINE_ALLOW_DESTINATIONS: '127.0.0.0/8',
      HOOKLINE_REQUEST_TIMEOUT_MS: '2000',
      RUST_LOG: 'info,sqlx=warn',
    },
  },
});
