// 200% zoom: a 1280 x 800 window zoomed to 200% lays out as a 640 x 400 CSS-pixel viewport at
// two device pixels per CSS pixel. Every screen reflows there without sideways scrolling, and
// its main controls can be reached and read.
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase } = require('./helpers');

const shots = path.join(__dirname, '..', '.artifacts');

test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

async function fits(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal scrolling on ${what} at 200%`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(shots, `zoom200-${what.replace(/\W+/g, '-')}.png`), fullPage: true });
}

async function reachable(locator) {
  await locator.scrollIntoViewIfNeeded();
  await expect(locator).toBeInViewport();
}

test('every screen reflows at 200% zoom', async ({ page }) => {
  await openApp(page);
  await fits(page, 'case list empty');

  await openCase(page, { subject: 'Outage at the Lyon office', customer: 'Élodie Martin', deadline: '2020-03-01T10:00' });
  await reachable(page.getByRole('button', { name: 'Add step' }));
  await reachable(page.getByRole('region', { name: 'Deadlines', exact: true }));
  await fits(page, 'case');

  await page.getByRole('link', { name: 'Start triage' }).click();
  await page.getByRole('checkbox', { name: 'Outage or emergency' }).check();
  await page.getByRole('checkbox', { name: 'Many customers affected' }).check();
  await fits(page, 'triage checklist');
  const question = page.locator('fieldset.question');
  for (let i = 0; i < 6; i++) {
    const result = page.getByRole('region', { name: /^Recommended:/ });
    if (await result.count()) break;
    await question.getByRole('button', { name: 'Yes', exact: true }).click();
  }
  const accept = page.getByRole('button', { name: /^Accept/ });
  await reachable(accept);
  await fits(page, 'triage result');
  await accept.click();
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();

  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await reachable(page.getByRole('button', { name: 'Copy to clipboard' }));
  await fits(page, 'handoff');

  for (const [link, heading] of [['Cases', 'Cases'], ['Queue', 'Queue'], ['New case', 'New case'], ['Playbook', 'Playbook'], ['Data', 'Your data']]) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await fits(page, heading);
  }
});
