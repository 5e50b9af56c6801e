import { expect, test } from '@playwright/test';
import { signedIn } from './fixtures/pages';

// The wizard is the heaviest page: the channel page before it downloads its code while the channel is
// being chosen, so the wizard opens without fetching any.
test("the wizard's code is fetched while the channel is chosen", async ({ page }) => {
  await signedIn(page, '/campaigns');
  const wizardCode = page.waitForRequest(/\/pkg\/split___wizard_route_view_\d+\.wasm$/, { timeout: 15_000 });
  await page.getByRole('link', { name: '+ Campaign' }).first().click();
  await expect(page.getByRole('heading', { name: 'Choose a channel', level: 1 })).toBeVisible();
  await wizardCode;
  await page.waitForLoadState('networkidle');

  const fetchedAfterTheClick: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) fetchedAfterTheClick.push(request.url());
  });
  await page.getByRole('main').getByRole('link', { name: 'Webhooks' }).click();
  await expect(page).toHaveURL(/\/campaigns\/new\/setup$/);
  await expect(page.getByRole('heading', { name: 'New campaign', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Campaign name')).toBeEditable();
  expect(fetchedAfterTheClick).toEqual([]);
});
