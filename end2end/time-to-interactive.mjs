// Time to interactive of a few pages in Chromium: from the navigation's start to `<body data-hydrated>`
// (set once the page's code is loaded and hydrated), read in the page by a MutationObserver. Each page
// is opened by address: once with an empty browser cache, then `runs` times with the cache warm.
// Signs in with the e2e credentials, so run it against a server started as playwright.config.ts does.
// With `--slow`, the network is a slow connection's (2 Mbit/s down, 1 up, 100 ms round trips: hotel
// Wi-Fi), emulated by Chromium.
//
//   node end2end/time-to-interactive.mjs http://127.0.0.1:3100 [runs] [--slow]
import { chromium } from '@playwright/test';

const PAGES = ['/campaigns', '/campaigns/new/setup', '/webhooks/new'];
const args = process.argv.slice(2).filter((a) => a !== '--slow');
const slow = process.argv.includes('--slow');
const base = args[0] ?? 'http://127.0.0.1:3100';
const runs = Number(args[1] ?? 7);
const email = process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com';
const password = process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password';

/** Records when the body is marked hydrated, in ms since the navigation started. */
function markHydration() {
  new MutationObserver((_, observer) => {
    if (document.body?.hasAttribute('data-hydrated')) {
      window.__interactiveAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
}

async function open(page, path) {
  await page.goto(base + path);
  await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 60_000 });
  return page.evaluate(() => ({
    ms: window.__interactiveAt,
    wasm: performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.wasm')).length,
  }));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const path of PAGES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.locator('body[data-hydrated]').waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    // Signing in warmed the cache with the shared files: start this page from an empty one.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    if (slow) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 100,
        downloadThroughput: 2_000_000 / 8,
        uploadThroughput: 1_000_000 / 8,
      });
    }
    await page.addInitScript(markHydration);
    const cold = await open(page, path);
    const warm = [];
    for (let i = 0; i < runs; i++) warm.push((await open(page, path)).ms);
    warm.sort((a, b) => a - b);
    const ms = (n) => `${Math.round(n)} ms`;
    console.log(
      `${path.padEnd(22)} empty cache ${ms(cold.ms).padStart(8)} (${cold.wasm} wasm files)   ` +
        `warm: median ${ms(warm[warm.length >> 1])}, ${ms(warm[0])}–${ms(warm[warm.length - 1])} (${runs} runs)`,
    );
    await context.close();
  }
} finally {
  await browser.close();
}
