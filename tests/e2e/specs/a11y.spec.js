// Accessibility: axe-core (WCAG 2.2 A and AA) on every screen and dialog, light and dark, at
// desktop width and 320 px; screenshots of each for people to look at.
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, saved, escalateByHand, noViolations, noSideScroll } = require('./helpers');

const shots = path.join(__dirname, '..', '.artifacts');

for (const scheme of ['light', 'dark']) {
  for (const width of [1280, 320]) {
    test(`every screen passes axe and fits (${scheme}, ${width} px)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      const shot = async (name) =>
        page.screenshot({ path: path.join(shots, `${name}-${width}-${scheme}.png`), fullPage: true });

      await openApp(page);
      await noViolations(page, 'the empty case list');
      await shot('list-empty');

      await openCase(page, { subject: 'Outage at the Lyon office', customer: 'Élodie Martin', deadline: '2020-03-01T10:00' });
      await page.getByLabel('Step taken').fill('Rebooted the gateway');
      await page.getByLabel('Outcome').fill('No change');
      await page.getByRole('button', { name: 'Add step' }).click();
      await saved(page);
      await escalateByHand(page);
      await noViolations(page, 'the case screen');
      await noSideScroll(page, 'the case screen');
      await shot('case');

      await openCase(page, { subject: 'Refund for a double charge', customer: 'Bob Stone' });
      await page.getByRole('link', { name: 'Cases' }).click();
      await expect(page.getByRole('list', { name: 'Cases found' })).toBeVisible();
      await noViolations(page, 'the case list');
      await noSideScroll(page, 'the case list');
      await shot('list');

      await page.getByRole('link', { name: 'New case' }).first().click();
      await page.getByRole('button', { name: 'Open case' }).click();
      await expect(page.getByText('Add a subject')).toBeVisible();
      await noViolations(page, 'the new case form with an error');
      await noSideScroll(page, 'the new case form');
      await shot('new-case');

      await page.evaluate(() => localStorage.setItem('escdesk:case:broken', 'not json'));
      await openApp(page, '#/data');
      await page.reload();
      await expect(page.getByRole('region', { name: 'Set aside' })).toContainText('not json'.length + ' characters');
      await noViolations(page, 'the data screen with a value set aside');
      await noSideScroll(page, 'the data screen');
      await shot('data');
    });
  }

  test(`the conflict dialog passes axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page);
    await page.clock.install();
    await openCase(page, { subject: 'Edited twice' });
    const other = await page.context().newPage();
    await other.emulateMedia({ colorScheme: scheme });
    await other.goto(page.url());
    // Both tabs hold an edit of the same part at once (the clock is held so neither saves
    // on its pause); the other tab saves first.
    await page.clock.pauseAt(Date.now() + 60_000);
    await page.getByLabel('Owner').fill('This tab');
    await other.getByLabel('Owner').fill('Other tab');
    await other.getByLabel('Owner').press('Enter');
    await expect(page.getByText('This case was also changed in another tab')).toBeVisible();
    await page.clock.resume();
    const dialog = page.getByRole('dialog', { name: 'Edited in two places' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Keep my version' })).toBeFocused();
    await noViolations(page, 'the conflict dialog');
    await page.screenshot({ path: path.join(shots, `conflict-${scheme}.png`) });
    await dialog.getByRole('button', { name: "Use the other tab's version" }).click();
    await expect(page.getByLabel('Owner')).toHaveValue('Other tab');
  });

  test(`the storage banners pass axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 320, height: 800 });
    await page.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
      });
    });
    await openApp(page);
    await expect(page.getByRole('region', { name: 'Nothing is being kept' })).toBeVisible();
    await noViolations(page, 'the storage-refused banner');
    await noSideScroll(page, 'the storage-refused banner');
    await page.screenshot({ path: path.join(shots, `banner-320-${scheme}.png`), fullPage: true });
  });
}
