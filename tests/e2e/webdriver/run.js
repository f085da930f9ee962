// The core flow in browsers Playwright can't drive here, through WebDriver: Firefox ESR
// (geckodriver) and WebKit, Safari's engine (WebKitGTK's MiniBrowser under Xvfb). Open a
// case, triage it, look at the handoff, reload and find it again.
// Prints "webdriver: N passed, N failed" for .ci/test.
const path = require('path');
const { spawn } = require('child_process');
const { Builder, By, until } = require('selenium-webdriver');
const firefox = require('selenium-webdriver/firefox');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const PORT = 4231;
const BASE = `http://127.0.0.1:${PORT}/`;

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

/** The form control whose <label> reads `text` (as a screen reader would name it). */
async function byLabel(driver, text) {
  const label = await driver.wait(until.elementLocated(By.xpath(`//label[starts-with(normalize-space(), "${text}")]`)), 5000);
  return driver.findElement(By.id(await label.getAttribute('for')));
}

async function button(driver, text) {
  return driver.wait(until.elementLocated(By.xpath(`//*[self::button or self::a][normalize-space()="${text}"]`)), 5000);
}

async function textOf(driver, xpath) {
  const el = await driver.wait(until.elementLocated(By.xpath(xpath)), 5000);
  return el.getText();
}

async function expectText(driver, xpath, want) {
  await driver.wait(async () => (await textOf(driver, xpath)).includes(want), 5000, `“${want}” never appeared in ${xpath}`);
}

async function coreFlow(driver) {
  await driver.get(BASE);
  await expectText(driver, '//h1', 'Cases');
  await (await button(driver, 'New case')).click();
  await (await byLabel(driver, 'Subject')).sendKeys('Firefox: customer insists on a manager');
  await (await byLabel(driver, 'Name')).sendKeys('Björn Öberg');
  await (await button(driver, 'Open case')).click();
  await expectText(driver, '//h1', 'Firefox: customer insists on a manager');
  await (await button(driver, 'Start triage')).click();
  await expectText(driver, '//h1', 'Triage');
  await (await button(driver, 'Start triage')).click();
  await (await byLabel(driver, 'Insists on a supervisor or manager')).click();
  for (let i = 1; i <= 3; i++) {
    await expectText(driver, '//fieldset[contains(@class, "question")]//legend', `Question ${i} of up to 4`);
    await (await driver.findElement(By.xpath('//fieldset[contains(@class, "question")]//button[normalize-space()="No"]'))).click();
  }
  await expectText(driver, '//h2[@id="result-title"]', 'Recommended: Level 1: supervisor or team lead');
  await (await button(driver, 'Accept: escalate to Level 1: supervisor or team lead')).click();
  await expectText(driver, '//h2[@id="status-title"]', 'Status: Escalated');
  await (await button(driver, 'Prepare the handoff')).click();
  await expectText(driver, '//pre', '**Level:** Level 1: supervisor or team lead (P3)');
  await driver.navigate().refresh();
  await expectText(driver, '//pre', 'Björn Öberg');
  await driver.get(BASE);
  await expectText(driver, '//ul[@aria-label="Cases found"]', 'Firefox: customer insists on a manager');
}

async function firefoxDriver() {
  const options = new firefox.Options().addArguments('-headless').setBinary('/usr/bin/firefox-esr');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER || 'geckodriver');
  return { driver: await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build(), stop: () => {} };
}

async function webkitDriver() {
  const port = 4232;
  const proc = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 1500));
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${port}`)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    })
    .build();
  return {
    driver,
    stop: () => {
      try {
        process.kill(-proc.pid);
      } catch (e) {
        // already gone
      }
    },
  };
}

(async () => {
  const server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  let passed = 0;
  let failed = 0;
  try {
    await waitFor(BASE);
    for (const [name, start] of [['Firefox ESR', firefoxDriver], ['WebKit (MiniBrowser)', webkitDriver]]) {
      let session = null;
      try {
        session = await start();
        await coreFlow(session.driver);
        passed += 1;
        console.log(`  ✓ ${name}: open a case, triage, handoff, reload and find it again`);
      } catch (e) {
        failed += 1;
        console.log(`  ✘ ${name}: ${e.name}: ${e.message || e}`);
      } finally {
        if (session) {
          await session.driver.quit().catch(() => {});
          session.stop();
        }
      }
    }
  } finally {
    server.kill();
  }
  console.log(`webdriver: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
