import { expect, test } from '@playwright/test';
import { signedIn } from './fixtures/pages';

// A page's code comes from its build's own path, which browsers keep for good (no request to ask
// again on the next visit); a path of another build is not served, so an old tab cannot mix builds.
test("a page's code is fetched from its build's path and kept by the browser", async ({ page }) => {
  const wasm: { url: string; cacheControl?: string }[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push({ url: r.url(), cacheControl: r.headers()['cache-control'] });
  });
  await signedIn(page, '/campaigns');
  expect(wasm.length).toBeGreaterThan(1);
  for (const file of wasm) {
    expect(file.url).toMatch(/\/b\/[0-9a-f]{16}\/pkg\/[\w.]+\.wasm$/);
    expect(file.cacheControl).toBe('public, max-age=31536000, immutable');
  }
  const otherBuild = await page.request.get(wasm[0].url.replace(/\/b\/[0-9a-f]{16}\//, '/b/0000000000000000/'));
  expect(otherBuild.status()).toBe(404);
  expect(otherBuild.headers()['cache-control']).toBe('no-cache');
});
