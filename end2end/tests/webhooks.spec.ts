import { expect, test } from '@playwright/test';
import { signedIn, WebhookForm, hydrated } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

test('a new webhook template is tested against its destination, saved and listed', async ({ page }) => {
  const receiver = await Receiver.start(200, 'thanks');
  try {
    await signedIn(page, '/webhooks');
    await page.getByRole('link', { name: '+ Add Webhook' }).first().click();
    await expect(page.getByRole('heading', { name: 'Add webhook' })).toBeVisible();

    const form = new WebhookForm(page);
    await form.fill({ name: 'Call centre', url: receiver.url, method: 'PUT' });
    await form.addHeader('X-Api-Key', 'k-123');
    await form.useBasicAuth('ops', 's3cret');
    await form.submit('Create');

    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('Saved “Call centre”: the test request was answered 200');
    await page.screenshot({ path: 'test-results/screens/webhooks-list.png', fullPage: true });
    const row = page.getByRole('row', { name: /Call centre/ });
    await expect(row).toContainText('PUT');
    await expect(row).toContainText(receiver.url);
    await expect(row).toContainText('Basic');

    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0];
    expect(request.method).toBe('PUT');
    expect(request.headers['x-api-key']).toBe('k-123');
    expect(request.headers['authorization']).toBe('Basic ' + Buffer.from('ops:s3cret').toString('base64'));
    const body = JSON.parse(request.body);
    expect(body.is_test).toBe(true);
    expect(body.profiles).toHaveLength(5);

    // Editing shows the saved password as •••• and keeps it when left empty.
    await row.getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    await expect(page.getByRole('heading', { name: 'Edit webhook' })).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveAttribute('placeholder', '••••');
    await expect(page.getByLabel('Password')).toHaveValue('');
    await page.getByLabel('Name', { exact: true }).fill('Call centre EU');
    await new WebhookForm(page).submit('Save');
    await expect(page.getByRole('status')).toContainText('Saved “Call centre EU”');
    expect(receiver.received[1].headers['authorization']).toBe('Basic ' + Buffer.from('ops:s3cret').toString('base64'));

    // The message belongs to that visit of the list: it is gone after leaving and coming back.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await nav.getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('row', { name: /Call centre EU/ })).toBeVisible();
    await expect(page.getByRole('status')).toHaveCount(0);
  } finally {
    await receiver.stop();
  }
});

test('a failing destination shows its answer and keeps everything typed', async ({ page }) => {
  const receiver = await Receiver.start(500, 'upstream exploded');
  try {
    await signedIn(page, '/webhooks/new');
    const form = new WebhookForm(page);
    await form.fill({ name: 'Flaky CRM', url: receiver.url });
    await form.addHeader('X-Team', 'growth');
    await form.submit('Create');

    const alert = page.getByRole('alert');
    await expect(alert).toContainText('answered the test request with 500');
    await expect(alert).toContainText('upstream exploded');
    await expect(page).toHaveURL(/\/webhooks\/new$/);
    await form.expectValues({ Name: 'Flaky CRM', 'Destination URL': receiver.url, 'Header 1 name': 'X-Team', 'Header 1 value': 'growth' });
    await page.screenshot({ path: 'test-results/screens/webhook-destination-failed.png', fullPage: true });

    // Once the destination recovers, the same form saves.
    receiver.status = 200;
    await form.submit('Create');
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole('row', { name: /Flaky CRM/ })).toBeVisible();
  } finally {
    await receiver.stop();
  }
});

test('invalid input is flagged next to its field without sending anything', async ({ page }) => {
  await signedIn(page, '/webhooks/new');
  const form = new WebhookForm(page);
  await form.fill({ name: '', url: 'ftp://example.com' });
  await form.submit('Create');
  await expect(page.getByText('Enter a name for the template.')).toBeVisible();
  await expect(page.getByText('The URL must start with http:// or https://.')).toBeVisible();
  await expect(page.getByLabel('Destination URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Destination URL')).toHaveValue('ftp://example.com');
});

test('a webhook template can be deleted after confirming', async ({ page }) => {
  const receiver = await Receiver.start();
  try {
    await signedIn(page, '/webhooks/new');
    await new WebhookForm(page).fill({ name: 'Short-lived', url: receiver.url });
    await new WebhookForm(page).submit('Create');
    await expect(page).toHaveURL(/\/webhooks$/);
    await page.getByRole('button', { name: 'Delete Short-lived' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(page.getByRole('status')).toContainText('deleted');
    await expect(page.getByRole('row', { name: /Short-lived/ })).toHaveCount(0);
  } finally {
    await receiver.stop();
  }
});
