import { expect, test } from '@playwright/test';
import { hydrated, LoginPage } from './fixtures/pages';

test('a page visited while signed out leads to login, and back after signing in', async ({ page }) => {
  await page.goto('/webhooks');
  await expect(page).toHaveURL(/\/login\?next=%2Fwebhooks$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await new LoginPage(page).signIn();
  await expect(page).toHaveURL(/\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' })).toHaveAttribute('aria-current', 'page');
});

test('a wrong password is refused with a message and the e-mail is kept', async ({ page }) => {
  await page.goto('/login');
  await new LoginPage(page).signIn('admin@example.com', 'not the password');
  await expect(page.getByRole('alert')).toContainText('The e-mail or password is wrong.');
  await expect(page.getByLabel('E-mail')).toHaveValue('admin@example.com');
  await expect(page).toHaveURL(/\/login/);
});

test('signing out ends the session', async ({ page }) => {
  await page.goto('/login');
  await new LoginPage(page).signIn();
  await expect(page).toHaveURL(/\/campaigns$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
});
