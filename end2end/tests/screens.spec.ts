import { expect, test } from '@playwright/test';
import { signedIn } from './fixtures/pages';
import { ACCOUNT_ID } from './fixtures/credentials';

// Every screen renders with its title and without console errors; screenshots land in test-results/screens.
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
