// Shared steps, written as an agent would do them: by role and accessible name.
const { expect } = require('@playwright/test');

/** Opens the page that holds the screen at `hash` (the console's for the playbook and the
 *  Data page, else the desk) and waits until its main region is on screen. (The desk sends
 *  the console's addresses on, which doors.spec.js tests; going there straight leaves no
 *  redirect in flight under the next step.) */
async function openApp(page, hash = '#/') {
  const consoleScreen = /^#\/(data|playbook)\b/.test(hash);
  await page.goto(consoleScreen ? `./console.html${hash}` : hash === '#/' ? './' : `./${hash}`);
  await expect(page.getByRole('main')).toBeVisible();
}

/** Opens a new case through the form and waits for its screen. */
async function openCase(page, { subject, customer = '', contact = '', description = '', deadline } = {}) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  if (customer) await page.getByLabel('Name', { exact: true }).fill(customer);
  if (contact) await page.getByLabel('Email or phone').fill(contact);
  await page.getByLabel(/^Subject/).fill(subject);
  if (description) await page.getByLabel('Description').fill(description);
  if (deadline) await page.getByLabel('By when').fill(deadline);
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`ESC-\\d{4}-\\d{4} · ${escapeRe(subject)}`) })).toBeVisible();
  return (await page.getByRole('heading', { level: 1 }).innerText()).split(' · ')[0];
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stored keys of the app's namespace. */
async function storedKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('escdesk:')).sort());
}

// Every control a finger or a shaky mouse has to hit is at least 24 x 24 px (WCAG 2.2's
// target size, without its spacing exception); links inside running text are exempt, as there.
async function targetsBigEnough(page, what) {
  const small = await page.evaluate(() => {
    const controls = document.querySelectorAll(
      'button, select, input:not([type=hidden]), summary, [role=button], [role=tab], a[href], label.button');
    const out = [];
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (el.closest('.skip-link')) continue;
      // A visually hidden input is reached through its label, which is measured instead.
      if (el.classList.contains('visually-hidden')) continue;
      if (el.tagName === 'A' && el.closest('p, li:not(.nav-list li), td, dd, legend, small') && style.display === 'inline') continue;
      if (r.width < 24 || r.height < 24) {
        const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.name || el.type;
        out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  });
  expect(small, `targets under 24 x 24 px on ${what}`).toEqual([]);
}

/** No axe-core violation (WCAG 2.2 A and AA) on the page, and every target big enough. */
async function noViolations(page, what) {
  const AxeBuilder = require('@axe-core/playwright').default;
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe violations on ${what}`).toEqual([]);
  await targetsBigEnough(page, what);
}

/** The page never scrolls sideways. */
async function noSideScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal scrolling on ${what}`).toBeLessThanOrEqual(0);
}

/** A case saves as it is edited: waits until the screen says everything typed is stored. */
async function saved(page) {
  await expect(page.getByText('All changes saved')).toBeVisible();
}

/** Escalates the open case by hand (a case is never escalated without a level): the first
 *  level offered, with a reason. */
async function escalateByHand(page, reason = 'The customer asked for a manager') {
  await page.locator('summary', { hasText: 'Escalate by hand' }).click();
  const form = page.getByRole('form', { name: 'Escalate by hand' });
  await form.getByLabel('Reason (goes on the timeline)').fill(reason);
  await form.getByRole('button', { name: 'Escalate' }).click();
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
}

/** Clicks a button that offers a download and gives the downloaded file's path. */
async function download(page, button) {
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  return (await dl).path();
}

/** From the Data page: every case as one file. */
async function downloadAll(page) {
  return download(page, 'Download all cases');
}

/** On a triage's checklist: ticks `trigger`, answers "No" to whatever the tree still asks,
 *  and accepts the recommendation. */
async function acceptTriage(page, trigger) {
  await page.getByRole('checkbox', { name: trigger }).check();
  const result = page.getByRole('region', { name: /^Recommended: / });
  for (let i = 0; i < 6 && !(await result.isVisible()); i++) {
    const question = page.locator('fieldset.question');
    const before = (await question.locator('legend').allInnerTexts()).join();
    await question.getByRole('button', { name: 'No', exact: true }).click();
    await expect(async () => expect((await question.locator('legend').allInnerTexts()).join()).not.toBe(before)).toPass();
  }
  await result.getByRole('button', { name: /^Accept/ }).click();
}

/** Serves a folder on a port of its own (another origin), as a team's web server would. */
async function serve(dir, port) {
  const { spawn } = require('child_process');
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, stop: () => server.kill() };
}

/** Presses Tab (or Shift+Tab) until the focused element's accessible name matches. */
async function tabTo(page, name, { back = false, max = 120 } = {}) {
  for (let i = 0; i < max; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
      const outline = getComputedStyle(el).outlineStyle;
      return { text: (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim(), outline };
    });
    if (focused && (typeof name === 'string' ? focused.text === name : name.test(focused.text))) {
      expect(focused.outline, `focus on “${focused.text}” is visible`).not.toBe('none');
      return;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`never reached ${name} with the keyboard`);
}

module.exports = { tabTo, openApp, openCase, storedKeys, escapeRe, targetsBigEnough, noViolations, noSideScroll, saved, escalateByHand, download, downloadAll, acceptTriage, serve };
