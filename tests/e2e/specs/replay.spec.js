// Trying a playbook on the team's real cases before anyone uses it (the console's Playbook
// screen): the cases it would decide differently are named with what made the difference, and
// nothing changes until the lead chooses to use it.
const fs = require('fs');
const path = require('path');
const os = require('os');
const { test, expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;
const { openApp, openCase, acceptTriage } = require('./helpers');

test.use({ timezoneId: 'UTC' });

test('a playbook file is tried on the cases here, then used only when the lead says so', async ({ page }) => {
  // The playbook screen holds the whole studio: axe over it in two colour schemes takes a while.
  test.setTimeout(90_000);
  await openApp(page);
  const ref = await openCase(page, { subject: 'Wants the manager about a late delivery', customer: 'Jordan Lee' });
  await page.getByRole('link', { name: 'Start triage' }).click();
  await acceptTriage(page, 'Insists on a supervisor or manager');
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();

  // The lead's edited file: medium urgency by medium impact is now P1.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playbook' }).click();
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the playbook' }).click();
  const original = fs.readFileSync(await (await dl).path(), 'utf8');
  const file = JSON.parse(original);
  file.playbook.version = 3;
  file.playbook.name = 'Stricter playbook';
  file.playbook.priority.matrix[1][1] = 'P1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-pb-'));
  const tried = path.join(dir, 'stricter.json');
  fs.writeFileSync(tried, JSON.stringify(file));
  const builtIn = path.join(dir, 'default.json');
  fs.writeFileSync(builtIn, original);

  await page.getByLabel('Try a playbook file on your cases…').setInputFiles(tried);
  const trial = page.getByRole('region', { name: 'What “Stricter playbook” v3 would change' });
  await expect(trial.getByRole('status')).toHaveText('The one triaged case would be decided differently:');
  const row = trial.getByRole('list', { name: 'Cases decided differently' }).getByRole('listitem');
  await expect(row).toHaveText(
    `${ref} · Wants the manager about a late delivery: Level 1: supervisor or team lead (P3) → Level 1: supervisor or team lead (P1), because urgency medium and impact medium give P1 now.`,
  );
  await expect(row.getByRole('link')).toHaveAttribute('href', new RegExp(`^\\./#/case/`));
  await trial.screenshot({ path: path.join(__dirname, '..', '.artifacts', 'replay-1280.png') });
  await page.setViewportSize({ width: 320, height: 800 });
  await trial.screenshot({ path: path.join(__dirname, '..', '.artifacts', 'replay-320.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Nothing changed yet.
  await expect(page.getByText('In use: “Default escalation playbook”, version 2 (default).')).toBeVisible();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => v.id), scheme).toEqual([]);
  }

  // "Don't use it" leaves everything as it was; trying again and using it puts it in force.
  await trial.getByRole('button', { name: "Don't use it" }).click();
  await expect(trial).toBeHidden();
  await page.getByLabel('Try a playbook file on your cases…').setInputFiles(tried);
  await trial.getByRole('button', { name: 'Use this playbook' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is now in use' })).toContainText('Playbook “Stricter playbook” v3 from stricter.json is now in use.');
  await expect(page.getByText('In use: “Stricter playbook”, version 3 (default).')).toBeVisible();

  // The case was decided at P3, as the built-in playbook still would: nothing to report.
  await page.getByLabel('Try a playbook file on your cases…').setInputFiles(builtIn);
  await expect(page.getByRole('region', { name: 'What “Default escalation playbook” v2 would change' }).getByRole('status'))
    .toHaveText('The one triaged case would be decided the same.');
});
