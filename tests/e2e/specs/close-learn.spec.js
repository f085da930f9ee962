// Close and learn (issue 15), as an agent and a team lead work: resolve with a summary, close
// with a close-out, a close blocked by a required part and then skipped with a reason, the
// lead's review in the console, the feedback on the desk, the lessons digest read back; axe
// and screenshots of the new screens in light and dark, at 1280 and 320 px.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, saved, escalateByHand, noViolations, noSideScroll } = require('./helpers');

const shots = path.join(__dirname, '..', '.artifacts');

async function clean(page, what) {
  await noViolations(page, what);
  await noSideScroll(page, what);
}

/** A case with an owner, escalated by hand to the first level offered. */
async function escalatedCase(page, subject) {
  await openCase(page, { subject, customer: 'Nina Ortiz', contact: 'nina@example.com' });
  await page.getByLabel('Owner').fill('Sam Rivera');
  await saved(page);
  await escalateByHand(page);
}

/** From the case screen, to its close-out screen. */
async function toCloseOut(page, link = 'Mark resolved') {
  await page.getByRole('main').getByRole('link', { name: link, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^(Resolve|Close) ESC-/ })).toBeVisible();
}

test('resolve, close with a close-out, review in the console, feedback on the desk, digest read back', async ({ page }) => {
  await openApp(page);
  await escalatedCase(page, 'Refund never arrived');

  // Resolve: the screen asks what resolved it.
  await toCloseOut(page);
  await page.getByLabel('What resolved it').fill('Refund re-issued to the card on file');
  await page.getByRole('button', { name: 'Mark resolved' }).click();
  // Back on the case, resolved; "Close" is now its next action.
  await expect(page.getByRole('heading', { name: 'Status: Resolved' })).toBeVisible();
  await toCloseOut(page, 'Close');
  // The cursor starts at the first part the level still needs.
  await expect(page.getByLabel('Root cause', { exact: true })).toBeFocused();

  // Type part of the close-out, leave, come back: it is all there.
  await page.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Billing or payment error' });
  await page.getByText('Find it with “5 whys”').click();
  await page.getByLabel('Why 1?').fill('Why did the refund bounce?');
  await page.getByLabel('Because 1').fill('The card on file had expired');
  await page.getByLabel('Lesson 1', { exact: true }).fill('Check the card on file before refunding');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.goBack();
  await expect(page.getByLabel('Lesson 1', { exact: true })).toHaveValue('Check the card on file before refunding');
  await page.reload();
  await expect(page.getByLabel('Because 1')).toHaveValue('The card on file had expired');
  await expect(page.getByLabel('What resolved it')).toHaveValue('Refund re-issued to the card on file');

  await page.getByLabel('Share lesson 1 with the team').check();
  await page.getByLabel('Action 1', { exact: true }).fill('Ask billing to warn on expired cards');
  await page.getByLabel('Owner of action 1').fill('Ana');
  await page.getByLabel('Action 1 due').fill('2026-12-15');
  await page.getByLabel('Score (1 to 5)').selectOption('4');
  await page.getByLabel('Reported by').selectOption({ label: "Agent's closing call" });
  await page.getByLabel("Customer's comment").fill('Took too long, but sorted');
  await page.getByRole('button', { name: 'Close case' }).click();

  // Back on the case: closed, and every part on its timeline.
  await expect(page.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Resolution: Refund re-issued to the card on file')).toBeVisible();
  await expect(timeline.getByText('Root cause: Billing or payment error (found with 1 whys)')).toBeVisible();
  await expect(timeline.getByText('Lesson learned (shared with the team): Check the card on file before refunding')).toBeVisible();
  await expect(timeline.getByText('Follow-up: Ask billing to warn on expired cards, by Ana, due 2026-12-15')).toBeVisible();
  await expect(timeline.getByText("Customer satisfaction 4 of 5 (Agent's closing call): Took too long, but sorted")).toBeVisible();
  const closeout = page.getByRole('region', { name: 'Close-out' });
  await expect(closeout.getByText('Billing or payment error')).toBeVisible();
  // A follow-up is ticked done later, from the case.
  await closeout.getByLabel(/^Ask billing to warn on expired cards/).check();
  await expect(timeline.getByText('Follow-up done: Ask billing to warn on expired cards')).toBeVisible();

  // The lead reviews it in the console, reached from the desk's navigation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  await expect(page).toHaveURL(/console\.html#\/reviews$/);
  await expect(page.getByRole('status').filter({ hasText: '1 case waits for a review.' })).toBeVisible();
  await page.getByRole('list', { name: 'Cases to review' }).getByRole('link', { name: /Refund never arrived/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Review ESC-.* · Refund never arrived$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Decision path' })).toBeVisible();
  await expect(page.getByText('Root cause: Billing or payment error')).toBeVisible();
  const review = page.getByRole('form', { name: 'Review' });
  await review.getByRole('button', { name: 'Save review' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Add your name as the reviewer' })).toBeVisible();
  await review.getByLabel('What went well').fill('Calm, and the customer knew what came next');
  await review.getByLabel('What to improve').fill('Ask for the card details on the first call');
  await review.getByLabel('Goal', { exact: true }).fill('Confirm payment details on the next five refund calls');
  await review.getByLabel('Goal due').fill('2026-12-31');
  await review.getByLabel(/^Exemplary handling/).check();
  await review.getByLabel('Reviewer').fill('Lee Chen');
  await review.getByRole('button', { name: 'Save review' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No case waits for a review.' })).toBeVisible();

  // The digest: the shared lesson under its root cause, the exemplary case, no customer.
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download digest (Markdown)' }).click();
  const digest = fs.readFileSync(await (await dl).path(), 'utf8');
  expect(digest).toContain('## Billing or payment error');
  expect(digest).toContain('- Check the card on file before refunding (ESC-');
  expect(digest).toContain('## Exemplary handling');
  expect(digest).toContain('Calm, and the customer knew what came next (reviewed by Lee Chen; handled by Sam Rivera)');
  expect(digest).not.toContain('Nina');
  expect(digest).not.toContain('nina@example.com');
  // Printed, it is a document of its own: the digest alone, headed, not Markdown.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeHidden();
  await expect(page.locator('.print-sheet h1')).toHaveText(/^Lessons digest, \d{4}-\d{2}-\d{2} to /);
  await expect(page.locator('.print-sheet')).toContainText('Check the card on file before refunding (ESC-');
  await page.emulateMedia({ media: 'screen' });

  // The agent sees the feedback on the desk: counted on the list, filtered, then read.
  await page.goto('./#/');
  const only = page.getByLabel('Feedback to read (1)');
  const toggle = page.getByRole('button', { name: /^Filters/ });
  if (await toggle.isVisible()) await toggle.click();
  await only.check();
  const list = page.getByRole('list', { name: 'Cases found' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByText('New feedback')).toBeVisible();
  await list.getByRole('link', { name: /Refund never arrived/ }).click();
  const feedback = page.getByRole('region', { name: 'Feedback' });
  await expect(feedback.getByText('Ask for the card details on the first call')).toBeVisible();
  await expect(feedback.getByText('Exemplary')).toBeVisible();
  await feedback.getByRole('button', { name: 'Mark feedback read' }).click();
  await expect(feedback.getByRole('button', { name: 'Mark feedback read' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Feedback read')).toBeVisible();

  // Insights counts the close-out: the satisfaction and the root cause, each with its case.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByText('4.0 of 5 (1 answer)').first()).toBeVisible();
  const causes = page.getByRole('figure', { name: 'Root causes' });
  await expect(causes.getByRole('row', { name: /Billing or payment error/ })).toBeVisible();
});

test('a close blocked by a required part, then skipped with a reason; reopened and closed again', async ({ page }) => {
  await openApp(page);
  await escalatedCase(page, 'Router keeps rebooting');
  await toCloseOut(page);
  // What the level needs is listed before anything is typed.
  const needs = page.getByRole('region', { name: /^To close at / });
  await expect(needs.getByText('Root cause: needed')).toBeVisible();
  await page.getByLabel('What resolved it').fill('Replaced the router');
  await page.getByRole('button', { name: 'Close case' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This level needs a root cause to close' })).toBeVisible();
  await page.getByLabel('Why close without the root cause?').fill('The vendor never told us');
  // A comment typed before any score, then a reload: nothing typed is lost, the reason still
  // in sight (once, the whole draft was dropped).
  await page.getByLabel("Customer's comment").fill('Fine in the end');
  await page.reload();
  await expect(page.getByLabel('What resolved it')).toHaveValue('Replaced the router');
  await expect(page.getByLabel("Customer's comment")).toHaveValue('Fine in the end');
  await expect(page.getByLabel('Why close without the root cause?')).toHaveValue('The vendor never told us');
  await page.getByRole('button', { name: 'Close case' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Closed without root cause, because: The vendor never told us')).toBeVisible();

  // Reopened and closed again: a second close-out, the first kept.
  await page.getByRole('region', { name: /^Status/ }).getByRole('button', { name: 'Reopen' }).click();
  await toCloseOut(page);
  await expect(page.getByLabel('What resolved it')).toHaveValue('');
  await page.getByLabel('What resolved it').fill('Firmware downgraded');
  await page.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Product defect or bug' });
  await page.getByRole('button', { name: 'Close case' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  await expect(timeline.getByText('Resolution: Replaced the router')).toBeVisible();
  await expect(timeline.getByText('Resolution: Firmware downgraded')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Close-out' }).getByText('Product defect or bug')).toBeVisible();
});

for (const scheme of ['light', 'dark']) {
  for (const width of [1280, 320]) {
    test(`the close-out, review and digest pass axe and fit (${scheme}, ${width} px)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      const shot = (name) => page.screenshot({ path: path.join(shots, `${name}-${width}-${scheme}.png`), fullPage: true });
      await openApp(page);
      await escalatedCase(page, 'Invoice sent twice');
      await toCloseOut(page);
      await page.getByLabel('What resolved it').fill('Credited the duplicate');
      await page.getByText('Find it with “5 whys”').click();
      await page.getByRole('button', { name: 'Close case' }).click();
      await expect(page.getByLabel('Why close without the root cause?')).toBeVisible();
      await clean(page, 'the close-out screen');
      await shot('close-out');
      await page.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Billing or payment error' });
      await page.getByLabel('Lesson 1', { exact: true }).fill('Look for a second invoice first');
      await page.getByLabel('Share lesson 1 with the team').check();
      await page.getByRole('button', { name: 'Close case' }).click();
      await expect(page.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();

      await page.goto('./console.html#/reviews');
      await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Cases to review' }).getByRole('listitem')).toHaveCount(1);
      await clean(page, 'the review queue and digest');
      await shot('reviews');
      await page.getByRole('list', { name: 'Cases to review' }).getByRole('link').first().click();
      await expect(page.getByRole('form', { name: 'Review' })).toBeVisible();
      await clean(page, 'the review of a case');
      await shot('review');
      const review = page.getByRole('form', { name: 'Review' });
      await review.getByLabel('What went well').fill('Found the duplicate quickly');
      await review.getByLabel('Reviewer').fill('Lee Chen');
      await review.getByRole('button', { name: 'Save review' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();

      await page.goto('./#/');
      await page.getByRole('list', { name: 'Cases found' }).getByRole('link', { name: /Invoice sent twice/ }).click();
      await expect(page.getByRole('region', { name: 'Feedback' })).toBeVisible();
      await clean(page, 'a case with feedback and a close-out');
      await shot('case-feedback');
    });
  }
}

test('a case closed in two browsers, exchanged by file: the close-out both wrote is asked, both histories kept', async ({ browser }) => {
  // Agent A escalates and exports; agent B, another browser, imports it and closes it.
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  await escalatedCase(a, 'Parcel lost twice');
  await a.goto('./console.html#/data');
  let dl = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Download all cases' }).click();
  const fromA = await (await dl).path();

  const b = await (await browser.newContext()).newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(fromA);
  await expect(b.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await b.goto('./#/');
  await b.getByRole('link', { name: /Parcel lost twice/ }).click();
  await toCloseOut(b);
  await b.getByLabel('What resolved it').fill('Courier refunded the parcel');
  await b.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Third party (vendor, carrier, partner)' });
  await b.getByRole('button', { name: 'Close case' }).click();
  await expect(b.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  await b.goto('./console.html#/data');
  dl = b.waitForEvent('download');
  await b.getByRole('button', { name: 'Download all cases' }).click();
  const fromB = await (await dl).path();
  const file = JSON.parse(fs.readFileSync(fromB, 'utf8'));
  expect(file.cases[0].closeouts[0].root_cause_name).toBe('Third party (vendor, carrier, partner)');

  // Meanwhile A closed it too, differently: taking B's file asks which close-out to keep.
  await a.goto('./#/');
  await a.getByRole('link', { name: /Parcel lost twice/ }).click();
  await toCloseOut(a);
  await a.getByLabel('What resolved it').fill('Sent a voucher');
  await a.getByLabel('Root cause', { exact: true }).selectOption({ label: 'Unknown' });
  await a.getByRole('button', { name: 'Close case' }).click();
  await expect(a.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  await a.goto('./console.html#/data');
  await a.getByLabel('Restore or import a file…').setInputFiles(fromB);
  await expect(a.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('changed in the same place here and in the file');
  const decide = a.getByRole('region', { name: 'Your decision: changed in two places' });
  await decide.getByLabel("Take the file's: Courier refunded the parcel").check();
  await decide.getByRole('button', { name: 'Merge with these choices' }).click();
  await a.goto('./#/');
  await a.getByRole('link', { name: /Parcel lost twice/ }).click();
  await expect(a.getByRole('heading', { name: 'Status: Closed' })).toBeVisible();
  await expect(a.getByRole('region', { name: 'Close-out' }).getByText('Courier refunded the parcel')).toBeVisible();
  // Both histories stay.
  const timeline = a.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Root cause: Third party (vendor, carrier, partner)')).toBeVisible();
  await expect(timeline.getByText('Resolution: Sent a voucher')).toBeVisible();
});
