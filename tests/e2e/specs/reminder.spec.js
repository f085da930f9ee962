// Browsers may clear site data: after a week of work with no downloaded copy, the app says so,
// and a download puts the reminder to rest. Time is moved with Playwright's clock.
const { test, expect } = require('@playwright/test');
const { openApp, openCase } = require('./helpers');

test('a reminder to download a copy after a week, gone once downloaded', async ({ page }) => {
  await page.clock.install({ time: new Date('2026-11-02T09:00:00') });
  await openApp(page);
  await openCase(page, { subject: 'Work worth keeping' });
  await expect(page.getByRole('region', { name: 'Keep a copy of your cases' })).toHaveCount(0);

  await page.clock.fastForward(8 * 24 * 60 * 60 * 1000);
  const banner = page.getByRole('region', { name: 'Keep a copy of your cases' });
  await expect(banner).toContainText("You haven't downloaded your cases yet.");
  const download = page.waitForEvent('download');
  await banner.getByRole('button', { name: 'Download all cases' }).click();
  await download;
  await expect(banner).toHaveCount(0);

  await page.getByRole('link', { name: 'Data' }).click();
  const copies = page.getByRole('region', { name: 'Copies' });
  await expect(copies).toContainText('Last download of all cases: Tue 10 Nov 2026');
  await copies.getByLabel(/Remind me to download a copy after/).fill('0');
  await copies.getByLabel(/Remind me to download a copy after/).press('Tab');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Copies' }).getByLabel(/Remind me/)).toHaveValue('0');
  await expect(page.getByRole('region', { name: 'Working offline' })).toContainText(/browser (agreed|may clear|doesn't say)/);
});
