import { expect, type Page, test } from '@playwright/test';
import { hydrated, signedIn, WebhookForm } from './fixtures/pages';
import { OAUTH_CLIENT_ID, OAuthServer } from './fixtures/oauth_server';

const SCREENS = 'test-results/screens';

async function chooseOAuth(page: Page, grant: string): Promise<void> {
  await page.getByLabel('Authentication type').selectOption({ label: 'OAuth 2.0' });
  await page.getByLabel('Grant Type').selectOption({ label: grant });
}

test('Client Credentials with JWT: the authorization server verifies the assertion with the JWKS, and the template saves', async ({ page }) => {
  const oauth = await OAuthServer.start();
  try {
    await signedIn(page, '/webhooks/new');
    const form = new WebhookForm(page);
    await form.fill({ name: 'Zendesk via JWT', url: oauth.hookUrl });
    await chooseOAuth(page, 'Client Credentials with JWT');
    await expect(page.getByLabel('Secret')).toHaveCount(0);
    await page.getByLabel('Client ID').fill(OAUTH_CLIENT_ID);
    await page.getByLabel('Access Token URL').fill(oauth.tokenUrl);

    // The key pair: its public half goes to the authorization server by JWKS URL.
    const publicKey = page.getByLabel('Public key (PEM)');
    await page.getByRole('button', { name: 'Generate Public Key' }).click();
    await expect(publicKey).toHaveValue(/^-----BEGIN PUBLIC KEY-----/);
    await expect(page.getByRole('button', { name: 'Regenerate Public Key' })).toBeVisible();
    const firstPem = await publicKey.inputValue();
    const jwksUrl = page.getByRole('textbox', { name: 'JWKS URL' });
    await expect(jwksUrl).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/jwks\/\S+$/);
    await oauth.trustJwks(await jwksUrl.inputValue());
    await page.screenshot({ path: `${SCREENS}/oauth-jwt-key.png`, fullPage: true });

    // Header and payload, then an assertion signed now and shown decoded.
    await page.getByLabel('Algorithm (alg)').selectOption('RS384');
    await expect(page.getByLabel('Type (typ)')).toHaveValue('JWT');
    await page.getByLabel('Issuer (iss)').fill(OAUTH_CLIENT_ID);
    await page.getByLabel('Subject (sub)').fill(OAUTH_CLIENT_ID);
    await page.getByLabel('Audience (aud)').fill(oauth.tokenUrl);
    await page.getByLabel('Lifetime in seconds').fill('120');
    await page.getByLabel('JWT ID (jti) prefix').fill('hookline-e2e-');
    await expect(page.getByLabel('Use Issued At (iat)')).toBeChecked();
    await page.getByRole('button', { name: 'Generate Client Assertion' }).click();
    await expect(page.getByLabel('Client assertion (JWT)')).toHaveValue(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    await expect(page.getByRole('figure', { name: 'Decoded header' })).toContainText('"alg": "RS384"');
    const claims = page.getByRole('figure', { name: 'Decoded claims' });
    await expect(claims).toContainText('"jti": "hookline-e2e-');
    await expect(claims).toContainText('"iat":');
    await page.screenshot({ path: `${SCREENS}/oauth-jwt-assertion.png`, fullPage: true });

    // Generate: a real token from the authorization server, shown masked.
    await page.getByRole('button', { name: 'Generate token' }).click();
    const answer = page.getByRole('status').filter({ hasText: 'The token endpoint answered' });
    await expect(answer).toContainText('answered 200');
    await expect(answer).toContainText('Expires in');
    await page.screenshot({ path: `${SCREENS}/oauth-jwt-token.png`, fullPage: true });
    expect((await oauth.stats()).assertions_accepted).toBe(1);

    // Regenerating asks first, then replaces the key behind the same JWKS URL.
    await page.getByRole('button', { name: 'Regenerate Public Key' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm regenerating the key pair' });
    await confirm.getByRole('button', { name: 'Yes, regenerate' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(publicKey).not.toHaveValue(firstPem);
    await expect(publicKey).toHaveValue(/^-----BEGIN PUBLIC KEY-----/);
    const pem = await publicKey.inputValue();
    await expect(page.getByLabel('Client assertion (JWT)')).toHaveCount(0);

    await form.submit('Create');
    await expect(page).toHaveURL(/\/webhooks$/);
    // The list replaces the form once its code has arrived (pages load lazily).
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('Saved “Zendesk via JWT”: the test request was answered 200');
    const stats = await oauth.stats();
    expect(stats.assertions_accepted).toBe(2);
    expect(stats.hook_accepted).toBe(1);
    expect(stats.hook_refused).toBe(0);
    await expect(page.getByRole('row', { name: /Zendesk via JWT/ })).toContainText('OAuth 2.0');

    // Editing shows every saved setting, the same public key, and no secret.
    await page.getByRole('row', { name: /Zendesk via JWT/ }).getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    await expect(page.getByLabel('Grant Type').locator('option:checked')).toHaveText('Client Credentials with JWT');
    await expect(publicKey).toHaveValue(pem);
    await expect(page.getByLabel('Algorithm (alg)').locator('option:checked')).toHaveText('RS384');
    await new WebhookForm(page).expectValues({
      'Client ID': OAUTH_CLIENT_ID,
      'Access Token URL': oauth.tokenUrl,
      'Audience (aud)': oauth.tokenUrl,
      'Lifetime in seconds': '120',
      'JWT ID (jti) prefix': 'hookline-e2e-',
    });
    await page.screenshot({ path: `${SCREENS}/oauth-jwt-edit.png`, fullPage: true });
  } finally {
    oauth.stop();
  }
});

test('OAuth fields keep what was typed across grant and type switches and a failed save', async ({ page }) => {
  await signedIn(page, '/webhooks/new');
  const form = new WebhookForm(page);
  await form.fill({ name: 'Password CRM', url: 'https://crm.example.com/hook' });
  await chooseOAuth(page, 'Password Credentials');
  await page.getByLabel('Client ID').fill('crm-client');
  await page.getByLabel('Username').fill('ops@example.com');
  await expect(page.getByLabel('Refresh Token URL')).toHaveAttribute('placeholder', 'Same as the Access Token URL');

  await page.getByLabel('Grant Type').selectOption({ label: 'Client Credentials with JWT' });
  await expect(page.getByLabel('Username')).toHaveCount(0);
  await page.getByLabel('Authentication type').selectOption({ label: 'Basic' });
  await chooseOAuth(page, 'Password Credentials');
  await form.expectValues({ 'Client ID': 'crm-client', Username: 'ops@example.com' });

  await page.getByLabel('Access Token URL').fill('ftp://auth.example.com/token');
  await form.submit('Create');
  await expect(page.getByText('Enter the client secret.', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Access Token URL')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('The URL must start with http:// or https://.')).toBeVisible();
  await form.expectValues({ 'Client ID': 'crm-client', Username: 'ops@example.com', 'Access Token URL': 'ftp://auth.example.com/token' });
  await page.screenshot({ path: `${SCREENS}/oauth-password-invalid.png`, fullPage: true });
});
