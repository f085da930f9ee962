// Deadlines under a controlled clock (Playwright's clock API): a case escalated on a Monday
// morning goes through silence, warning, breach, a proposed escalation, acknowledgement and a
// pause, with in-app alerts and desktop notifications, and the queue sorts and filters it.
const path = require('path');
const { test, expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;
const { openApp, openCase, targetsBigEnough, escalateByHand } = require('./helpers');

const shots = path.join(__dirname, '..', '.artifacts');

test.use({ timezoneId: 'UTC' });

/** Records the body of every desktop notification the app shows. */
async function spyOnNotifications(page) {
  await page.context().grantPermissions(['notifications']);
  await page.addInitScript(() => {
    window.__notes = [];
    const Real = window.Notification;
    class Spy extends Real {
      constructor(title, options) {
        window.__notes.push((options && options.body) || title);
        super(title, options);
      }
    }
    Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
    Spy.requestPermission = (...a) => Real.requestPermission(...a);
    window.Notification = Spy;
  });
}

async function escalateToLevel1(page, subject) {
  const ref = await openCase(page, { subject, customer: 'Jordan Lee' });
  await page.getByRole('link', { name: 'Start triage' }).click();
  await page.getByRole('checkbox', { name: 'Insists on a supervisor or manager' }).check();
  await page.getByRole('checkbox', { name: 'Frustration escalating' }).check();
  for (let i = 0; i < 3; i++) {
    const question = page.locator('fieldset.question legend');
    const before = (await question.allInnerTexts()).join();
    await page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true }).click();
    await expect(async () => expect((await question.allInnerTexts()).join()).not.toBe(before)).toPass();
  }
  await page.getByRole('button', { name: 'Accept: escalate to Level 1: supervisor or team lead' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  return ref;
}

function clock(page, name) {
  return page.getByRole('list', { name: 'Deadlines' }).getByRole('listitem').filter({ hasText: name });
}

test('a case goes through warning, breach, a proposed escalation, acknowledgement and a pause', async ({ page }) => {
  await spyOnNotifications(page);
  // Monday 23 November 2026, 09:00 UTC: the built-in playbook's working day has just begun.
  await page.clock.install({ time: new Date('2026-11-23T09:00:00Z') });
  await openApp(page);
  const ref = await escalateToLevel1(page, 'Refund promised twice, never paid');

  // Level 1 at P3: first response 30 min, silence 15 min, resolution 4 h, all in working time.
  const deadlines = page.getByRole('region', { name: 'Deadlines · Level 1: supervisor or team lead' });
  await expect(deadlines).toBeVisible();
  await expect(clock(page, 'First response')).toContainText('On track');
  await expect(clock(page, 'First response')).toContainText('30 min of working time left');
  await expect(clock(page, 'First response')).toContainText('due Mon 23 Nov 2026, 09:30');
  await expect(clock(page, 'Next update')).toContainText('Starts when Level 1: supervisor or team lead acknowledges');
  await expect(clock(page, 'Resolution')).toContainText('due Mon 23 Nov 2026, 13:00');

  // 16 minutes of silence: the app proposes the next level, or notifying again.
  await page.clock.fastForward('16:00');
  const proposal = deadlines.getByRole('alert');
  await expect(proposal).toContainText('Level 1: supervisor or team lead has not acknowledged this case for 16 min (silence timeout 15 min)');
  await expect(page.getByRole('region', { name: 'Deadlines need attention' })).toContainText(`${ref}: no acknowledgement from Level 1`);
  await proposal.getByRole('button', { name: 'Notify again' }).click();
  await expect(deadlines.getByRole('alert')).toHaveCount(0);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Level 1: supervisor or team lead notified again (no acknowledgement)')).toBeVisible();

  // 75% of the first response used: a warning, on screen and on the desktop.
  await page.clock.fastForward('07:00');
  await expect(clock(page, 'First response')).toContainText('At risk');
  await expect(page.getByRole('region', { name: 'Deadlines need attention' })).toContainText(`${ref}: First response at risk`);
  await expect.poll(() => page.evaluate(() => window.__notes.join('\n'))).toContain(`${ref}: First response at risk`);

  // Past 09:30: breached, alerted, and recorded on the case for good.
  await page.clock.fastForward('08:00');
  await expect(clock(page, 'First response')).toContainText('Breached');
  await expect(clock(page, 'First response')).toContainText('over (working time) · was due Mon 23 Nov 2026, 09:30');
  await expect(page.getByRole('region', { name: 'Deadlines need attention' })).toContainText(`${ref}: First response breached`);
  await expect.poll(() => page.evaluate(() => window.__notes.join('\n'))).toContain(`${ref}: First response breached`);
  await expect(timeline.getByText('First response breached at Level 1: supervisor or team lead')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'deadlines-breached-1280.png'), fullPage: true });

  // The queue, the receiving tier's view: the case is breached, and the filters say so.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  await expect(page.getByText('Desktop alerts are on.')).toBeVisible();
  await expect(page.getByText('when every tab is closed, nothing can alert you')).toBeVisible();
  await page.getByRole('radio', { name: 'Breached (1)' }).check();
  const queue = page.getByRole('list', { name: 'Queue' });
  await expect(queue.getByRole('link', { name: new RegExp(ref) })).toBeVisible();
  await expect(queue).toContainText('No acknowledgement');
  await page.screenshot({ path: path.join(shots, 'queue-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.screenshot({ path: path.join(shots, 'queue-320.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('radio', { name: 'At risk (0)' }).check();
  await expect(page.getByRole('heading', { name: 'Nothing at risk' })).toBeVisible();

  // Still silent 15 minutes after the second notice: the agent confirms the escalation.
  await page.getByRole('radio', { name: 'All (1)' }).check();
  await queue.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  await page.getByRole('button', { name: 'Escalate to Level 2: specialised team' }).click();
  await expect(page.getByRole('region', { name: 'Deadlines · Level 2: specialised team' })).toBeVisible();
  await expect(timeline.getByText(/Escalated on silence from Level 1: supervisor or team lead to Level 2: specialised team, because: No acknowledgement from Level 1/)).toBeVisible();

  // Level 2 acknowledges: first response met, the next update starts.
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Acknowledged' })).toBeVisible();
  await expect(clock(page, 'First response')).toContainText('Met');
  await expect(clock(page, 'Next update')).toContainText('On track');
  // Level 1's missed first response stays a miss after the move (issue 33.3).
  await expect(page.getByRole('list', { name: 'Clocks of earlier levels' }).getByRole('listitem').filter({ hasText: 'First response' }))
    .toContainText(/Level 1: supervisor or team lead · First response\s*Missed/);

  // Waiting on the customer pauses next update and resolution; two hours later nothing moved.
  await page.getByRole('button', { name: 'Wait on customer' }).click();
  await expect(clock(page, 'Resolution')).toContainText('Paused');
  const before = await clock(page, 'Resolution').textContent();
  await page.clock.fastForward('02:00:00');
  await expect(clock(page, 'Resolution')).toHaveText(before);
  await page.screenshot({ path: path.join(shots, 'deadlines-paused-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.screenshot({ path: path.join(shots, 'deadlines-320.png'), fullPage: true });

  // The breach stays on the record after a reload.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText('First response breached at Level 1: supervisor or team lead')).toBeVisible();
});

test('escalating by hand and de-escalating need a reason, and an update restarts the update clock', async ({ page }) => {
  await page.clock.install({ time: new Date('2026-11-24T10:00:00Z') });
  await openApp(page);
  await escalateToLevel1(page, 'Invoice disputed');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(clock(page, 'Next update')).toContainText('due Tue 24 Nov 2026, 11:00');

  await page.clock.fastForward('40:00');
  await page.getByLabel('Update given to the customer').fill('Called back with the refund status');
  await page.getByRole('button', { name: 'Log update' }).click();
  await expect(clock(page, 'Next update')).toContainText('due Tue 24 Nov 2026, 11:40');
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Customer given an update: Called back with the refund status')).toBeVisible();

  // Escalate by hand: the reason is required, and named when missing.
  await page.locator('summary', { hasText: 'Escalate by hand' }).click();
  const up = page.getByRole('form', { name: 'Escalate by hand' });
  await up.getByLabel('To level').selectOption({ label: 'Level 3: engineering or product' });
  await up.getByRole('button', { name: 'Escalate' }).click();
  await expect(up.getByRole('alert')).toHaveText('Say why the case changes level.');
  await expect(up.getByLabel('Reason (goes on the timeline)')).toBeFocused();
  await up.getByLabel('Reason (goes on the timeline)').fill('Reproduced: the invoice total ignores the credit note');
  await up.getByRole('button', { name: 'Escalate' }).click();
  await expect(page.getByRole('region', { name: 'Deadlines · Level 3: engineering or product' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText(/Escalated by hand from Level 1: supervisor or team lead to Level 3: engineering or product, because: Reproduced/)).toBeVisible();

  // De-escalate back to tier 1 with a reason: the case is de-escalated, tier 1's clock runs.
  await page.locator('summary', { hasText: 'De-escalate' }).click();
  const down = page.getByRole('form', { name: 'De-escalate' });
  await down.getByLabel('To level').selectOption({ label: 'Stay at tier 1' });
  await down.getByLabel('Reason (goes on the timeline)').fill('Credit note applied by billing; nothing left for engineering');
  await down.getByRole('button', { name: 'De-escalate' }).click();
  await expect(page.getByRole('heading', { name: 'Status: De-escalated' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Deadlines · Stay at tier 1' })).toBeVisible();
});

// axe-core waits on timers, so this one runs on the real clock: a customer deadline already
// past gives a breached clock to look at.
test("the queue, a case's deadlines and the playbook calendar pass axe, light and dark, full and embedded", async ({ page }) => {
  test.setTimeout(120_000); // eighteen axe runs
  await openApp(page);
  const ref = await openCase(page, { subject: 'Shipment lost', customer: 'Ana Ruiz', deadline: '2026-01-05T12:00' });
  await expect(clock(page, "Customer's deadline")).toContainText('Breached');
  await escalateByHand(page);
  const id = await caseId(page, ref);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    // The full app at both widths, and the embedded layout (?embed=1) at a sidebar's width.
    for (const [prefix, widths] of [['./', [1280, 320]], ['./?embed=1', [320]]]) {
      for (const hash of [`#/case/${id}`, '#/queue', '#/playbook']) {
        await page.goto(`${prefix}${hash}`);
        await expect(page.getByRole('main')).toBeVisible();
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        for (const width of widths) {
          await page.setViewportSize({ width, height: 900 });
          const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
          expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `${prefix}${hash} ${scheme} ${width}`).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await targetsBigEnough(page, `${prefix}${hash} ${width}`);
        }
      }
    }
  }
});

async function caseId(page, ref) {
  return page.evaluate((r) => {
    const link = [...document.querySelectorAll('a[href^="#/case/"]')].find((a) => a.textContent.includes(r));
    return link ? link.getAttribute('href').split('/')[2] : location.hash.split('/')[2];
  }, ref);
}

test('the team calendar is edited on the playbook screen and kept as a new version', async ({ page }) => {
  await openApp(page, '#/playbook');
  const levels = page.getByRole('region', { name: 'Levels' });
  const clock = (level) => levels.getByRole('group', { name: `Level “${level}”` }).getByLabel('Counted around the clock, not in working time');
  await expect(clock('Level 4: management or incident response')).toBeChecked();
  await expect(clock('Level 1: supervisor or team lead')).not.toBeChecked();

  const form = page.getByRole('form', { name: 'Team calendar' });
  await form.getByLabel('Time zone').selectOption('Europe/Berlin');
  await form.getByLabel('Working day opens').fill('08:30');
  await form.getByRole('checkbox', { name: 'Saturday' }).check();
  await form.getByLabel('Add a holiday').fill('2026-12-24');
  await form.getByRole('button', { name: 'Add holiday' }).click();
  await expect(form.getByRole('list', { name: 'Holidays' })).toContainText('Thu 24 Dec 2026');
  await form.getByLabel('Warn at (% of the time used)').fill('150');
  await form.getByRole('button', { name: 'Save calendar' }).click();
  await expect(page.getByRole('alert')).toContainText('The warning threshold must be between 1 and 99 percent, not 150.');
  await form.getByLabel('Warn at (% of the time used)').fill('80');
  await form.getByRole('button', { name: 'Save calendar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as version 3' })).toBeVisible();

  await page.reload();
  const again = page.getByRole('form', { name: 'Team calendar' });
  await expect(again.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await expect(again.getByLabel('Working day opens')).toHaveValue('08:30');
  await expect(again.getByRole('checkbox', { name: 'Saturday' })).toBeChecked();
  await expect(again.getByLabel('Warn at (% of the time used)')).toHaveValue('80');
  await expect(again.getByRole('list', { name: 'Holidays' })).toContainText('Thu 24 Dec 2026');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});
