import { expect, test } from '@playwright/test';
import { signedIn } from './fixtures/pages';
import { ACCOUNT_ID } from './fixtures/credentials';

// Every screen renders with its title and without console errors, opened by its address and by
// navigation (each page's code is a chunk loaded when it is first opened); screenshots land in
// test-results/screens.
test('each screen renders cleanly', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/login');
  await page.screenshot({ path: 'test-results/screens/login.png', fullPage: true });
  await signedIn(page, '/campaigns');
  const screens: [string, string][] = [
    ['/campaigns', 'Campaigns'],
    ['/segments', 'Segments'],
    ['/webhooks', 'Webhooks'],
    ['/webhooks/new', 'Add webhook'],
    ['/segments/new', 'New segment'],
    ['/campaigns/new', 'Choose a channel'],
    ['/settings/linked', 'Linked content'],
    ['/settings/linked/new', 'New linked content'],
    // Last: the account id below is on this page.
    ['/settings', 'Settings'],
  ];
  for (const [path, title] of screens) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(`${title} · Hookline`);
    await page.screenshot({ path: `test-results/screens/${path.slice(1).replaceAll('/', '-')}.png`, fullPage: true });
  }
  await expect(page.getByText(ACCOUNT_ID, { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('each screen opens by navigation from a page loaded directly, and works there', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));

  await signedIn(page, '/settings');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, title] of [['Campaigns', 'Campaigns'], ['Segments', 'Segments'], ['Webhooks', 'Webhooks'], ['Settings', 'Settings']]) {
    await nav.getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  }
  await nav.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('link', { name: '+ Add Webhook' }).first().click();
  await expect(page.getByRole('heading', { name: 'Add webhook', level: 1 })).toBeVisible();
  // The form reached by navigation is interactive: its validation runs in the browser.
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('Enter a name for the template.')).toBeVisible();
  expect(errors).toEqual([]);
});
