import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createTemplate, hydrated } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

/** The Standard Webhooks signature of a request, computed here with Node's own HMAC. */
function signature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

// The template page reveals the signing secret (copied with one click), which verifies the signature
// of the request the template sent; rotating it after a confirmation shows a new one.
test('the signing secret is revealed, copied and rotated, and verifies the requests', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const receiver = await Receiver.start(200, 'ok');
  try {
    await createTemplate(page, 'Signed CRM', receiver.url);
    await page.getByRole('row', { name: /Signed CRM/ }).getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    const section = page.getByRole('region', { name: 'Signing secret' });
    await expect(section.getByLabel('Signing secret', { exact: true })).toBeHidden();
    await section.getByRole('button', { name: 'Reveal secret' }).click();
    const shown = section.getByLabel('Signing secret', { exact: true });
    await expect(shown).toHaveText(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const secret = (await shown.textContent())!;

    const sent = receiver.received[0];
    const header = (name: string) => sent.headers[name] as string;
    expect(header('webhook-signature')).toBe(
      signature(secret, header('webhook-id'), header('webhook-timestamp'), sent.body),
    );

    await section.getByRole('button', { name: 'Copy signing secret' }).click();
    await expect(section.getByText('Copied.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.screenshot({ path: 'test-results/screens/webhook-signing.png', fullPage: true });

    await section.getByRole('button', { name: 'Rotate secret' }).click();
    await section.getByRole('button', { name: 'Yes, rotate' }).click();
    await expect(section.getByRole('status')).toContainText('signed with the old one too for 24 hours');
    await expect(shown).not.toHaveText(secret);
    await expect(shown).toHaveText(/^whsec_/);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
