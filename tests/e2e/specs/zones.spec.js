// Issue 33.1: every clock, figure and file of a case is worked out in the team's time zone,
// whatever zone the viewer's browser is set to. The same cases restored in three browser zones
// give the same clocks, the same Reviews and a byte-identical Insights CSV; a handoff sent from
// a desk in one zone keeps its deadlines on a desk in another.
const path = require('path');
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, escalateByHand } = require('./helpers');

const fixture = path.join(__dirname, '..', '..', 'golden', 'insights-fixture.json');
const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'];
const nav = (page) => page.getByRole('navigation', { name: 'Main' });
// What differs by design between viewers: their own time beside the team's.
const teamOnly = (text) => text.replace(/ team time, [^·]*? yours/g, '');

async function seen(browser, timezoneId, file, testInfo) {
  const context = await browser.newContext({ timezoneId });
  const page = await context.newPage();
  await openApp(page, '#/data');
  await page.getByLabel('Restore or import a file…').setInputFiles(file);
  const status = page.getByRole('status').filter({ hasText: /5 cases/ }).first();
  await expect(status).toBeVisible();
  const said = await status.innerText();
  const clocks = {};
  for (const id of ['a', 'b', 'c', 'd', 'e']) {
    await page.goto(`./#/case/${id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Case');
    const lists = page.locator('ul.clocks, ul.clocks-earlier, .panel[aria-labelledby="deadlines-title"] p.hint');
    await expect(lists.first()).toBeVisible();
    clocks[id] = teamOnly((await lists.allInnerTexts()).join('\n'));
  }
  await openApp(page, '#/data');
  await nav(page).getByRole('link', { name: 'Reviews' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
  await page.getByLabel('Resolved cases too, not only closed').check();
  await page.getByLabel('A deadline was breached').check();
  const queue = page.getByRole('list', { name: 'Cases to review' });
  await expect(queue.getByRole('listitem').first()).toBeVisible();
  const reviews = teamOnly((await queue.getByRole('listitem').allInnerTexts()).join('\n'));
  await nav(page).getByRole('link', { name: 'Insights' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
  await page.getByLabel('First day').fill('2026-04-06');
  await page.getByLabel('Last day').fill('2026-04-19');
  await page.getByLabel('Period').selectOption({ label: 'Custom dates' });
  await expect(page.getByText('Mon 6 Apr 2026 to Sun 19 Apr 2026: 4 cases opened.')).toBeVisible();
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = fs.readFileSync(await (await dl).path(), 'utf8');
  await page.screenshot({ path: testInfo.outputPath(`insights-${timezoneId.replace('/', '-')}.png`) });
  await context.close();
  return { said, clocks, reviews, csv };
}

test('the same cases in three browser zones give the same clocks, reviews and Insights CSV', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  // A backup made by a desk counting in UTC: it says so.
  const data = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  data.zone = 'UTC';
  const file = testInfo.outputPath('backup-utc.json');
  fs.writeFileSync(file, JSON.stringify(data, null, 2));

  const all = [];
  for (const zone of ZONES) all.push(await seen(browser, zone, file, testInfo));
  const [utc, ...others] = all;
  expect(utc.clocks.c).toContain('Missed by');
  expect(utc.reviews).toContain('Case c');
  for (const [i, other] of others.entries()) {
    // A new desk in another zone takes the backup's team zone, and says so.
    expect(other.said, ZONES[i + 1]).toContain("This desk now counts in the file's team time zone, UTC");
    expect(other.clocks, ZONES[i + 1]).toEqual(utc.clocks);
    expect(other.reviews, ZONES[i + 1]).toBe(utc.reviews);
    expect(other.csv, ZONES[i + 1]).toBe(utc.csv);
  }
  expect(utc.said).not.toContain('now counts in');
});

test('a handoff sent from a desk in one zone keeps every deadline on a desk in another', async ({ browser }) => {
  const contextA = await browser.newContext({ timezoneId: 'Europe/London' });
  const a = await contextA.newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Invoice charged twice', customer: 'Ana Lima', description: 'Two charges of 49 EUR on 1 March.' });
  await escalateByHand(a);
  const dueA = await a.locator('ul.clocks li[data-due]').evaluateAll((els) => els.map((e) => e.dataset.due));
  expect(dueA.length).toBeGreaterThan(0);
  await a.getByRole('link', { name: 'Prepare the handoff' }).click();
  await a.getByLabel('JSON').check();
  const sendAnyway = a.getByLabel(/Send it anyway/);
  if (await sendAnyway.count()) await sendAnyway.check();
  const download = a.waitForEvent('download');
  await a.getByRole('button', { name: 'Download' }).click();
  const handoffPath = await (await download).path();

  // The next tier, in Los Angeles: its own desk, its own team zone (taken at its first start).
  const contextB = await browser.newContext({ timezoneId: 'America/Los_Angeles' });
  const b = await contextB.newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(handoffPath);
  await expect(b.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(`${ref}.*Invoice charged twice`) }).click();
  await expect(b.getByRole('region', { name: 'Escalation' })).toBeVisible();
  const dueB = await b.locator('ul.clocks li[data-due]').evaluateAll((els) => els.map((e) => e.dataset.due));
  expect(dueB).toEqual(dueA);
  await contextA.close();
  await contextB.close();
});

test('a viewer in another zone than the team sees team time and their own', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  await openApp(page, '#/data');
  const data = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  data.zone = 'UTC';
  const file = test.info().outputPath('backup-utc.json');
  fs.writeFileSync(file, JSON.stringify(data));
  await page.getByLabel('Restore or import a file…').setInputFiles(file);
  await expect(page.getByRole('status').filter({ hasText: /5 cases/ }).first()).toBeVisible();
  await page.goto('./#/case/a');
  // 5 h 30 min ahead of the team: both times, each named.
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(/\d\d:\d\d team time, \d\d:\d\d yours/);
  // The calendar names the zone, and offers every zone the browser knows.
  await page.goto('./console.html#/playbook');
  const zone = page.getByLabel('Time zone');
  await expect(zone).toHaveValue('UTC');
  for (const name of ['Africa/Cairo', 'Europe/Bucharest', 'Asia/Riyadh', 'Asia/Ho_Chi_Minh']) {
    await expect(zone.locator(`option[value="${name}"]`)).toHaveCount(1);
  }
  await context.close();
});
