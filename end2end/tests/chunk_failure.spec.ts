import { expect, test } from '@playwright/test';
import { hydrated, signedIn } from './fixtures/pages';

// A page whose code cannot be fetched (a tab opened before a deploy, a dropped connection) stops the
// app in Leptos 0.8; the browser then opens the page that was asked for afresh, and it works.
test('a page whose code fails to load is opened afresh and works', async ({ page }) => {
  await signedIn(page, '/campaigns');
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  await page.route(/\/pkg\/split___settings_route_view_\d+\.wasm$/, (route) => route.abort(), { times: 1 });

  const reopened = page.waitForEvent('load');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await reopened;

  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  // The fresh document is hydrated: the app runs again (the marker is set by the page's own code).
  await hydrated(page);
  expect(failed.filter((url) => url.includes('split___settings_route_view'))).toHaveLength(1);

  // And it goes on working: the next page opens in the app, without a fresh document.
  let documents = 0;
  page.on('load', () => documents++);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  expect(documents).toBe(0);
});
