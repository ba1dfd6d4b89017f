// The certificate reaches Tempus: the Device Credentials dialog fixtures (AngularJS + Angular
// Material for Tempus / ThingsBoard 2.x; a faithful DOM fixture for current ThingsBoard) filled by
// fillDeviceCredentials and by the embed script's button, and "Send to Tempus" from the page and
// the embed script against the local REST server. Headless Chromium throughout.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch } from './js/browser.mjs';
import { serve } from '../scripts/serve.mjs';
import { ROOT, ok, tempDir } from './js/tools.mjs';
import { startTempus } from './tempus-server.mjs';
import { recordResponses } from './tools/payload.mjs';
import { generateCredentials, inspectCertificate } from 'tempus-certgen';

let web, browser, base, tempus, pem;

test.before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'tempus-certgen-embed.js')), 'npm run build must have run');
  web = await serve(ROOT, { listenPort: 0 });
  base = `http://127.0.0.1:${web.address().port}`;
  browser = await launch();
  tempus = await startTempus();
  pem = (await generateCredentials({ role: 'client', cn: 'fixture-device' })).certificatePem;
});

test.after(async () => {
  await browser?.close();
  web?.close();
  await tempus?.close();
});

async function open(file, query = '?embed') {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The tempus-certgen files the page fetched, with their gzip -9 sizes.
  const fetched = recordResponses(page, (u) => /tempus-certgen/.test(u.pathname));
  await page.goto(`${base}/tests/fixtures/${file}${query}`);
  return { page, context, errors, fetched };
}

const FIXTURES = [
  ['tempus-angularjs.html', 'angularjs', 'md-select'],
  ['thingsboard-angular.html', 'angular', 'tb-toggle-select'],
];

for (const [file, framework, selector] of FIXTURES) {
  test(`fillDeviceCredentials fills the ${framework} dialog: X.509 selected, the model holds the PEM, Save enabled`, async () => {
    const { page, context, errors } = await open(file);
    await page.waitForFunction(() => !!window.TempusCertgen);
    const none = await page.evaluate(() => window.TempusCertgen.fillDeviceCredentials('x'));
    assert.equal(none.ok, false);
    assert.match(none.reason, /no Device Credentials dialog/);
    await page.click('#open');
    await page.waitForSelector(selector);
    assert.equal(await page.evaluate(() => window.__fixture().type), 'ACCESS_TOKEN');
    const result = await page.evaluate((p) => window.TempusCertgen.fillDeviceCredentials(p), pem);
    assert.deepEqual(result, { ok: true, framework });
    const state = await page.evaluate(() => window.__fixture());
    assert.equal(state.type, 'X509_CERTIFICATE');
    assert.equal(state.value.trim(), pem.trim());
    assert.equal(state.dirty, true);
    assert.equal(state.valid, true);
    assert.equal(await page.locator('.md-select-menu-container.md-active, md-backdrop.md-select-backdrop').count(), 0, 'no select menu left open');
    await page.waitForSelector('#save:not([disabled])', { timeout: 5000 });
    await page.click('#save');
    const saved = await page.evaluate(() => window.__saved);
    assert.equal(saved.credentialsType, 'X509_CERTIFICATE');
    assert.equal((await inspectCertificate(saved.credentialsValue)).credentialsId, (await inspectCertificate(pem)).credentialsId);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`the embed script's button appears in the ${framework} dialog, generates, fills and offers the files`, async () => {
    const { page, context, errors } = await open(file);
    await page.click('#open');
    const button = page.getByRole('button', { name: 'Generate X.509 credentials' });
    await button.waitFor({ timeout: 10_000 });
    await page.getByText('The private key is generated in this browser and never leaves it.').waitFor();
    await button.click();
    await page.getByText(/Filled in the certificate/).waitFor({ timeout: 120_000 });
    const state = await page.evaluate(() => window.__fixture());
    assert.equal(state.type, 'X509_CERTIFICATE');
    const info = await inspectCertificate(state.value);
    const deviceName = framework === 'angularjs' ? 'Boiler 7' : 'Pump 12';
    assert.match(info.subject, new RegExp(`^CN=${deviceName},`), 'the device name became the CN');
    const dir = tempDir('embed');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'mqttclient.nopass.pem' }).click()]);
    await download.saveAs(path.join(dir, 'mqttclient.nopass.pem'));
    assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: dir }), /Key is valid/);
    const certFromKeyFile = ok('openssl', ['x509', '-in', 'mqttclient.nopass.pem', '-noout', '-fingerprint', '-sha256'], { cwd: dir });
    assert.match(certFromKeyFile.replace(/\s/g, ''), new RegExp(info.sha256Fingerprint.replace(/:/g, ':?'), 'i'));
    // The object URL of a download lives only around its click.
    await page.waitForTimeout(200);
    assert.equal(await page.getByRole('link', { name: 'mqttclient.nopass.pem' }).getAttribute('href'), '#');
    // Random passwords by default, shown once, and they open the encrypted files.
    const store = await page.locator('code[data-password=store]').textContent();
    const key = await page.locator('code[data-password=key]').textContent();
    assert.match(store, /^[A-Za-z2-9]{24}$/);
    assert.match(key, /^[A-Za-z2-9]{24}$/);
    for (const name of ['mqttclient.p12', 'mqttclient.pem']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      await d.saveAs(path.join(dir, name));
    }
    ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', `pass:${store}`], { cwd: dir });
    assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', `pass:${key}`, '-check', '-noout'], { cwd: dir }), /Key is valid/);
    // Without random passwords, the recipe's public defaults are named as such.
    await page.getByLabel('Use random passwords').uncheck();
    await page.getByText(/published default passwords \("password" \/ "password"\): anyone can open them/).waitFor({ timeout: 5000 });
    await page.waitForSelector('#save:not([disabled])');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the embed script: at most 10 KB gzip while no dialog is open, the rest fetched from beside it when one opens', async () => {
  const { page, context, errors, fetched } = await open('thingsboard-angular.html');
  await page.waitForFunction(() => !!window.TempusCertgen);
  // The parts that need no wasm work before anything else is loaded.
  assert.match(await page.evaluate(() => window.TempusCertgen.randomPassword()), /^[A-Za-z2-9]{24}$/);
  await page.waitForTimeout(500);
  assert.deepEqual(fetched.map((f) => new URL(f.url).pathname), ['/dist/tempus-certgen-embed.js'], 'only the first half before a dialog opens');
  const first = await fetched[0].gzip;
  assert.ok(first > 1000 && first <= 10 * 1024, `the first half is ${first} bytes gzip (at most 10240)`);
  await page.click('#open');
  await page.getByRole('button', { name: 'Generate X.509 credentials' }).waitFor({ timeout: 10_000 });
  const wasm = () => fetched.find((f) => f.url.endsWith('.wasm'));
  for (let i = 0; i < 100 && !wasm(); i++) await page.waitForTimeout(100);
  const paths = fetched.map((f) => new URL(f.url).pathname);
  assert.ok(paths.some((p) => /^\/dist\/tempus-certgen-embed\/panel\.[0-9a-f]{8}\.js$/.test(p)), `the panel from beside the script: ${paths}`);
  assert.ok(wasm() && /^\/dist\/tempus-certgen-embed\/tempus_certgen_bg\.[0-9a-f]{8}\.wasm$/.test(new URL(wasm().url).pathname), `the wasm from beside the script: ${paths}`);
  assert.ok(fetched.every((f) => f.status === 200), JSON.stringify(fetched.map((f) => [f.url, f.status])));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the embed script from another origin: the rest comes from there too (with CORS), and without CORS it says why', async () => {
  const cdn = await serve(ROOT, { listenPort: 0, cors: true });
  const bare = await serve(ROOT, { listenPort: 0 });
  const alone = { dir: tempDir('embed-alone') };
  alone.server = await serve(alone.dir, { listenPort: 0, cors: true });
  try {
    const from = (server) => `?embed=${encodeURIComponent(`http://localhost:${server.address().port}/dist/tempus-certgen-embed.js`)}`;
    const { page, context, errors, fetched } = await open('tempus-angularjs.html', from(cdn));
    await page.click('#open');
    await page.getByRole('button', { name: 'Generate X.509 credentials' }).click({ timeout: 10_000 });
    await page.getByText(/Filled in the certificate/).waitFor({ timeout: 120_000 });
    assert.ok(fetched.length >= 3 && fetched.every((f) => f.url.startsWith(`http://localhost:${cdn.address().port}/dist/tempus-certgen-embed`)),
      `the second half and the wasm from the script's origin: ${fetched.map((f) => f.url)}`);
    const info = await inspectCertificate(await page.evaluate(() => window.__fixture().value));
    assert.match(info.subject, /^CN=Boiler 7,/);
    assert.deepEqual(errors, []);
    await context.close();

    const other = await open('tempus-angularjs.html', from(bare));
    await other.page.click('#open');
    await other.page.getByRole('button', { name: 'Generate X.509 credentials' }).click({ timeout: 10_000 });
    await other.page.getByText(/Could not generate credentials: could not fetch .*tempus_certgen_bg\.[0-9a-f]{8}\.wasm .*CORS/).waitFor({ timeout: 30_000 });
    await other.context.close();

    // The script served without its folder: the panel names what is missing.
    fs.mkdirSync(path.join(alone.dir, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'dist', 'tempus-certgen-embed.js'), path.join(alone.dir, 'dist', 'tempus-certgen-embed.js'));
    const third = await open('thingsboard-angular.html', from(alone.server));
    await third.page.click('#open');
    const alert = third.page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    assert.match(await alert.textContent(), /could not load the rest of tempus-certgen from beside http:\/\/localhost:\d+\/dist\/tempus-certgen-embed\.js .*serve the tempus-certgen-embed\/ folder next to the script/);
    await third.context.close();
  } finally {
    cdn.close();
    bare.close();
    alone.server.close();
  }
});

test('under a CSP that forbids wasm, the embed script says so instead of a button', async () => {
  const { page, context } = await open('strict-csp.html', '');
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.textContent(), /cannot be generated here: .*Content-Security-Policy.*wasm-unsafe-eval/);
  assert.equal(await page.getByRole('button', { name: 'Generate X.509 credentials' }).count(), 0);
  await context.close();
});

test('provisionDevice from the embed script (cross-origin, CORS) sets the device credentials', async () => {
  const { page, context } = await open('tempus-angularjs.html');
  await page.waitForFunction(() => !!window.TempusCertgen);
  const deviceId = tempus.addDevice('embedded');
  const r = await page.evaluate(({ baseUrl, deviceId, pem }) => window.TempusCertgen.provisionDevice({
    baseUrl, deviceId, certificatePem: pem, username: 'tenant@tempus.local', password: 'tenant',
  }), { baseUrl: tempus.baseUrl, deviceId, pem });
  assert.equal(r.ok, true);
  assert.equal(tempus.devices.get(deviceId).credentialsId, r.credentialsId);
  await context.close();
});

/**
 * dist/index.html as a deployment that allows its Tempus servers builds it: the page config alone,
 * with TEMPUS_CONNECT_SRC, into a folder of its own (the test servers' origins are 127.0.0.1 on
 * any port).
 */
function buildAllowing(connectSrc) {
  const out = tempDir('dist-connect');
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'webpack'), ['--mode', 'production', '--no-stats', '--config-name', 'page', '--output-path', out],
    { cwd: ROOT, env: { ...process.env, TEMPUS_CONNECT_SRC: connectSrc }, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  return out;
}

const builtCsp = (dir) => fs.readFileSync(path.join(dir, 'index.html'), 'utf8').match(/http-equiv="?Content-Security-Policy"? content="([^"]+)"/)[1];

async function generateOnPage(page, cn) {
  await page.getByLabel('Common name (CN)').fill(cn);
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText(/^Done: \d+ files\./).waitFor({ timeout: 120_000 });
}

test('the served page connects to its own origin only: a send elsewhere is blocked by its CSP and says how to allow that server', async () => {
  const csp = builtCsp(path.join(ROOT, 'dist'));
  assert.match(csp, /connect-src 'self';/);
  assert.doesNotMatch(csp, /connect-src[^;]*\*/);
  const dist = await serve(path.join(ROOT, 'dist'), { listenPort: 0 });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${dist.address().port}/`);
    // The browser itself refuses a connection to another origin, and reports it.
    const tried = await page.evaluate(async (url) => {
      const seen = new Promise((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
      const result = await fetch(`${url}/api/auth/login`, { method: 'POST', body: '{}' }).then(() => 'connected', (e) => `refused: ${e.message}`);
      return { result, directive: await Promise.race([seen, new Promise((r) => setTimeout(() => r('no report'), 2000))]) };
    }, tempus.baseUrl);
    assert.match(tried.result, /^refused/);
    assert.equal(tried.directive, 'connect-src');
    await generateOnPage(page, 'blocked-device');
    await page.getByText('Send to Tempus', { exact: true }).click();
    await page.getByText("connect-src 'self'", { exact: true }).waitFor();
    const before = tempus.log.length;
    await page.getByLabel('Tempus URL').fill(tempus.baseUrl);
    await page.getByLabel('Device id').fill(tempus.addDevice('blocked-device'));
    await page.getByLabel('Username').fill('tenant@tempus.local');
    await page.getByLabel('Password', { exact: true }).fill('tenant');
    await page.getByRole('button', { name: 'Send certificate' }).click();
    const origin = new URL(tempus.baseUrl).origin;
    await page.locator('#send-status').filter({ hasText: /Blocked by this page's Content-Security-Policy/ }).waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#send-status').textContent(), new RegExp(`TEMPUS_CONNECT_SRC="${origin.replace(/[.]/g, '\\.')}" npm run build`));
    assert.equal(tempus.log.length, before, 'nothing reached the server');
  } finally {
    await context.close();
    dist.close();
  }
});

test('"Send to Tempus" on a page built with TEMPUS_CONNECT_SRC provisions the generated certificate; a server without CORS gets one clear message', async () => {
  const built = buildAllowing('http://127.0.0.1:*');
  assert.match(builtCsp(built), /connect-src 'self' http:\/\/127\.0\.0\.1:\*;/);
  const dist = await serve(built, { listenPort: 0 });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${dist.address().port}/`);
    await generateOnPage(page, 'sent-device');
    const id = await page.locator('#result-details dd code').last().textContent();
    assert.equal(await page.locator('#send').getAttribute('open'), null, 'the panel is closed by default');
    await page.getByText('Send to Tempus', { exact: true }).click();
    const deviceId = tempus.addDevice('sent-device');
    await page.getByLabel('Tempus URL').fill(tempus.baseUrl);
    await page.getByLabel('Device id').fill(deviceId);
    await page.getByLabel('Username').fill('tenant@tempus.local');
    await page.getByLabel('Password', { exact: true }).fill('tenant');
    await page.getByRole('button', { name: 'Send certificate' }).click();
    await page.locator('#send-status').filter({ hasText: /Sent\. The server confirmed credentials id/ }).waitFor({ timeout: 20_000 });
    assert.equal(tempus.devices.get(deviceId).credentialsId, id);

    const closed = await startTempus({ cors: false });
    try {
      await page.getByLabel('Tempus URL').fill(closed.baseUrl);
      await page.getByLabel('Device id').fill(closed.addDevice());
      await page.getByRole('button', { name: 'Send certificate' }).click();
      await page.locator('#send-status').filter({ hasText: /down or unreachable.*CORS/ }).waitFor({ timeout: 20_000 });
    } finally {
      await closed.close();
    }
    // Plain http to another machine is refused before anything is sent (no such host needed).
    await page.getByLabel('Tempus URL').fill('http://tempus.example.com');
    await page.getByRole('button', { name: 'Send certificate' }).click();
    await page.locator('#send-status').filter({ hasText: /plain http.*unencrypted/ }).waitFor({ timeout: 10_000 });
  } finally {
    await context.close();
    dist.close();
  }
});

test('the single-file page keeps its no-network policy and says where provisioning works', async () => {
  const context = await browser.newContext({ offline: true });
  const page = await context.newPage();
  await page.goto(`file://${path.join(ROOT, 'dist', 'tempus-certgen.html')}`);
  await page.getByText('Send to Tempus', { exact: true }).click();
  await page.getByText(/This offline page cannot connect to anything/).waitFor();
  assert.equal(await page.getByLabel('Tempus URL').count(), 0);
  await context.close();
});

test('"Send all devices" provisions the page\'s Many devices by name (created when ticked); a second send changes nothing', async () => {
  const built = buildAllowing('http://127.0.0.1:*');
  const dist = await serve(built, { listenPort: 0 });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`http://127.0.0.1:${dist.address().port}/`);
    await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
    await page.getByLabel('Number of devices').fill('5');
    await page.getByLabel('Name pattern').fill('ui-fleet-{n}');
    await page.getByRole('button', { name: 'Generate all' }).click();
    await page.getByText('Done: 5 of 5 devices made.', { exact: true }).waitFor({ timeout: 60_000 });
    const ids = await page.getByRole('table', { name: 'Devices' }).locator('tbody tr td:nth-child(2)').allTextContents();
    const existing = tempus.addDevice('ui-fleet-2');
    await page.getByText('Send to Tempus', { exact: true }).click();
    await page.getByLabel('Tempus URL').fill(tempus.baseUrl);
    await page.getByLabel('Username').fill('tenant@tempus.local');
    await page.getByLabel('Password', { exact: true }).fill('tenant');
    await page.getByLabel('Create missing devices').check();
    await page.getByRole('button', { name: 'Send all devices' }).click();
    await page.locator('#send-many-status').filter({ hasText: '5 provisioned, 0 already set, 0 failed.' }).waitFor({ timeout: 30_000 });
    const names = await page.getByRole('table', { name: 'Devices' }).locator('tbody tr td:nth-child(1)').allTextContents();
    names.forEach((name, i) => assert.equal(tempus.devices.get(tempus.byName(name)).credentialsId, ids[i], name));
    assert.equal(tempus.byName('ui-fleet-2'), existing, 'the existing device was used, not a second one');
    await page.getByRole('button', { name: 'Send all devices' }).click();
    await page.locator('#send-many-status').filter({ hasText: '0 provisioned, 5 already set, 0 failed.' }).waitFor({ timeout: 30_000 });
  } finally {
    await context.close();
    dist.close();
  }
});
