// Handoffs between tiers with no server between them: completeness first, the summary in every
// format, copied for real and downloaded; the receiving tier imports it in another browser,
// acknowledges, adds to it, and the first agent takes the answer back with both histories.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, targetsBigEnough, saved, escalateByHand } = require('./helpers');

async function triageToLevel1(page) {
  await page.getByRole('link', { name: 'Start triage' }).click();
  await page.getByRole('checkbox', { name: 'Insists on a supervisor or manager' }).check();
  for (let i = 0; i < 3; i++) {
    const question = page.locator('fieldset.question legend');
    const before = (await question.allInnerTexts()).join();
    await page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true }).click();
    await expect(async () => expect((await question.allInnerTexts()).join()).not.toBe(before)).toPass();
  }
  await page.getByRole('button', { name: /^Accept/ }).click();
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
}

test('agent A hands off, agent B imports, acknowledges and adds a note, A sees both histories', async ({ browser }) => {
  const contextA = await browser.newContext();
  await contextA.grantPermissions(['clipboard-read', 'clipboard-write']);
  const a = await contextA.newPage();
  await openApp(a);
  const ref = await openCase(a, {
    subject: 'Refund promised last week never arrived',
    customer: 'Ngozi Okafor',
    contact: 'ngozi@example.com',
    description: 'Promised a refund of 120 EUR on 3 March; nothing since.',
  });
  await triageToLevel1(a);
  await a.getByRole('link', { name: 'Prepare the handoff' }).click();
  await expect(a.getByRole('heading', { level: 1, name: `Handoff · ${ref} · Refund promised last week never arrived` })).toBeVisible();

  // Level 1 asks for steps and the expectation: listed, with a way to the field.
  const before = a.getByRole('region', { name: 'Before it goes' });
  await expect(before.getByRole('link', { name: 'Fill in: Steps already taken' })).toBeVisible();
  await expect(a.getByRole('button', { name: 'Copy to clipboard' })).toBeDisabled();
  await before.getByRole('link', { name: 'Fill in: What the customer expects' }).click();
  await expect(a.getByLabel('Expectation')).toBeFocused();
  await a.getByLabel('Expectation').fill('The refund today, or a written date');
  await saved(a);
  await a.getByRole('link', { name: 'Prepare the handoff' }).click();
  await expect(before.getByText('What the customer expects')).toHaveCount(0);
  await before.getByLabel(/Send it anyway/).check();

  // Markdown, copied for real.
  await a.getByRole('button', { name: 'Copy to clipboard' }).click();
  await expect(a.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const copied = await a.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`# Escalation ${ref}`);
  expect(copied).toContain('## Situation');
  expect(copied).toContain('**Level:** Level 1: supervisor or team lead (P3)');
  expect(copied).toContain('## Recommendation');
  expect(copied).toContain('They expect: The refund today, or a written date');
  expect(await a.locator('pre.preview').textContent()).toBe(copied);

  // Redacted plain text and the customer message.
  await a.getByLabel('Plain text').check();
  await a.getByLabel(/Mask the customer's contact details/).check();
  await expect(a.locator('pre.preview')).toContainText('Contact: n***@example.com');
  // The format and the masking stay as chosen after a reload.
  await a.reload();
  await expect(a.getByLabel('Plain text')).toBeChecked();
  await expect(a.getByLabel(/Mask the customer's contact details/)).toBeChecked();
  await expect(a.locator('pre.preview')).toContainText('Contact: n***@example.com');
  // "Send it anyway" is asked again each time the screen opens.
  await before.getByLabel(/Send it anyway/).check();
  await a.getByLabel('Customer message').check();
  await expect(a.locator('pre.preview')).toContainText(`Thank you for your patience, Ngozi Okafor. I've passed your case ${ref} to my team lead`);
  await a.getByLabel(/Mask the customer's contact details/).uncheck();

  // JSON, downloaded.
  await a.getByLabel('JSON').check();
  const download = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${ref}-handoff.json`);
  const handoffPath = await file.path();
  const handoffJson = JSON.parse(fs.readFileSync(handoffPath, 'utf8'));
  expect(handoffJson.format).toBe('escalation-desk/handoff');
  expect(handoffJson.case.details.customer.contact).toBe('ngozi@example.com');

  await a.getByRole('link', { name: 'Back to the case' }).click();
  const timelineA = a.getByRole('region', { name: 'Timeline' });
  await expect(timelineA.getByText(/Handoff copied as Markdown \(playbook default v2\); sent without: Steps already taken/)).toBeVisible();
  await expect(timelineA.getByText(/Handoff downloaded as JSON/)).toBeVisible();

  // Agent B: another browser, its own storage.
  const contextB = await browser.newContext();
  const b = await contextB.newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(handoffPath);
  await expect(b.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(`${ref}.*Refund promised`) }).click();
  await expect(b.getByRole('region', { name: 'Escalation' })).toContainText('Level 1: supervisor or team lead');
  await b.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(b.getByRole('heading', { name: 'Status: Acknowledged' })).toBeVisible();
  await b.getByLabel('Step taken').fill('Called the bank');
  await b.getByLabel('Outcome').fill('Refund sent today, reference R-889');
  await b.getByRole('button', { name: 'Add step' }).click();
  await saved(b);
  await expect(b.getByRole('region', { name: 'Timeline' }).getByText('Step recorded: Called the bank')).toBeVisible();
  await b.getByRole('link', { name: 'Data' }).click();
  const backDownload = b.waitForEvent('download');
  await b.getByRole('button', { name: 'Download all cases' }).click();
  const backPath = await (await backDownload).path();

  // A takes B's version back: newer wins, both histories kept.
  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(backPath);
  await expect(a.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 updated');
  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(`${ref}.*Refund promised`) }).click();
  await expect(a.getByRole('heading', { name: 'Status: Acknowledged' })).toBeVisible();
  const timeline = a.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Step recorded: Called the bank')).toBeVisible();
  await expect(timeline.getByText(/Handoff copied as Markdown/)).toBeVisible();
  await expect(timeline.getByText('Status changed from Escalated to Acknowledged')).toBeVisible();
});

test('a level-4 handoff that states no impact does not go', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'Data exposed in a shared report', description: 'A report shows other customers\' invoices.' });
  await page.getByRole('link', { name: 'Start triage' }).click();
  await page.getByRole('checkbox', { name: 'Data loss or security concern' }).check();
  await page.getByRole('button', { name: /^Accept: escalate to Level 4/ }).click();
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  const before = page.getByRole('region', { name: 'Before it goes' });
  await expect(before.getByText('Impact (who and what is affected) (required)')).toBeVisible();
  await expect(before.getByRole('alert')).toHaveText("This handoff can't go until every required part is filled in.");
  await expect(page.getByRole('button', { name: 'Copy to clipboard' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Download' })).toBeDisabled();
  // What to tell the customer is not the handoff: it can go while the handoff can't.
  await page.getByLabel('Customer message').check();
  await expect(page.getByRole('button', { name: 'Copy to clipboard' })).toBeEnabled();
  await page.getByLabel('Markdown').check();
  await expect(page.getByRole('button', { name: 'Copy to clipboard' })).toBeDisabled();

  await before.getByRole('link', { name: 'Fill in: Impact (who and what is affected)' }).click();
  await expect(page.getByLabel('Impact', { exact: true })).toBeFocused();
  await page.getByLabel('Impact', { exact: true }).fill('Every customer on the shared report, about 40 accounts');
  await saved(page);
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await before.getByLabel(/Send it anyway/).check();
  await expect(page.getByRole('button', { name: 'Download' })).toBeEnabled();
});

test('the case list goes out as CSV, safe from formula injection', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: '=HYPERLINK("http://evil","click")', customer: '@Mallory "the" tester' });
  await page.getByRole('link', { name: 'Data' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the list as CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^escalation-desk-cases-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await file.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('"Reference","Status","Subject","Customer","Account","Channel","Product","Level","Priority","Owner","Opened","Updated","Due"');
  expect(csv).toContain('"\'=HYPERLINK(""http://evil"",""click"")"');
  expect(csv).toContain('"\'@Mallory ""the"" tester"');
});

test('the handoff screen passes axe and fits, light and dark, 1280 and 320 px', async ({ page }) => {
  test.setTimeout(90_000); // axe in a loop: slow on a loaded 2-core machine
  const path = require('path');
  const AxeBuilder = require('@axe-core/playwright').default;
  await openApp(page);
  await openCase(page, { subject: 'Handoff screen check', customer: 'Chen Wei' });
  await triageToLevel1(page);
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 320]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await expect(page.getByRole('region', { name: 'Before it goes' })).toBeVisible();
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await targetsBigEnough(page, `the handoff at ${width}`);
      await page.screenshot({ path: path.join(__dirname, '..', '.artifacts', `handoff-${width}-${scheme}.png`), fullPage: true });
    }
  }
});

// Issue 34.9: at 320 px "Copy to clipboard" was about 920 px down, below the parts and the
// format. The preview and its actions now come first: in the first screen, at 320 and 1280.
test('the handoff\'s Copy to clipboard is in the first screen at 320 and 1280 px', async ({ page }) => {
  for (const [width, height] of [[320, 640], [1280, 800]]) {
    await page.setViewportSize({ width, height });
    await openApp(page);
    await openCase(page, { subject: `Copy in reach at ${width}`, customer: 'Ana Lima', description: 'Charged twice.' });
    await escalateByHand(page);
    await page.getByRole('link', { name: 'Prepare the handoff' }).click();
    const copy = page.getByRole('button', { name: 'Copy to clipboard' });
    await expect(copy).toBeVisible();
    const box = await copy.boundingBox();
    expect(box.y + box.height, `at ${width} px`).toBeLessThanOrEqual(height);
    // The parts and the format are still there, beside or below, one press away.
    await page.getByRole('button', { name: 'Go to “Before it goes”' }).click();
    await expect(page.getByRole('heading', { name: 'Before it goes' })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Before it goes' })).toBeInViewport();
    await expect(page.getByRole('region', { name: 'Before it goes' })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'JSON' })).toBeVisible();
  }
});
