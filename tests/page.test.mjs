// The page (dist/index.html as `npm start` serves it), driven in headless Debian Chromium the way
// a person uses it: by the labels. Every downloaded file is checked with openssl and keytool.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { servedPage } from './js/page.mjs';
import { ok, tool, tempDir, ROOT } from './js/tools.mjs';

const { openPage, browser } = servedPage();

async function generate(page, files) {
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText(`Done: ${files} files.`, { exact: true }).waitFor({ timeout: 120_000 });
}

/**
 * Clicks a download link and returns the download. Headless Chromium here now and then starts
 * nothing for one click among many downloads (the 11th of this page in two CI runs and by hand;
 * also on a plain page of `data:` links, so not this page's doing; the next click works), so a
 * click that starts no download within 15 s is tried once more, and said in the output.
 */
async function clickForDownload(page, link) {
  for (let attempt = 1; ; attempt++) {
    const waiting = page.waitForEvent('download', { timeout: 15_000 });
    await link.click();
    try {
      return await waiting;
    } catch (e) {
      if (attempt === 2) throw e;
      console.log(`# no download 15 s after clicking ${await link.textContent()}; clicking again`);
    }
  }
}

async function downloadAll(page, dir) {
  const names = [];
  for (const link of await page.getByRole('list', { name: 'Files' }).getByRole('link').all()) {
    const download = await clickForDownload(page, link);
    const name = download.suggestedFilename();
    assert.equal(name, await link.getAttribute('download'));
    await download.saveAs(path.join(dir, name));
    names.push(name);
  }
  return names;
}

test('server then client bundle: every download is accepted by openssl and keytool', async () => {
  const { page, context, errors } = await openPage();
  const dir = tempDir('page');
  await page.getByRole('radio', { name: 'Server' }).check();
  assert.equal(await page.getByLabel('Key alias').inputValue(), 'serveralias');
  assert.equal(await page.getByLabel('File prefix').inputValue(), 'mqttserver');
  assert.equal(await page.getByLabel('Keystore password').inputValue(), 'server_ks_password');
  await page.getByLabel('Common name (CN)').fill('mqtt.example.test');
  await page.getByLabel('Subject alternative names').fill('127.0.0.1');
  // The page instantiates its own copy of the module at load (a main-thread task that is page
  // loading, not generation): the long-task window starts once that is done.
  await page.locator('body[data-wasm-ready="true"]').waitFor({ state: 'attached' });
  const generation = page.evaluate(() => performance.now());
  await generate(page, 5);
  const started = await generation;
  const serverFiles = await downloadAll(page, dir);
  assert.deepEqual(serverFiles, ['mqttserver.jks', 'mqttserver.p12', 'mqttserver.pub.pem', 'mqttserver.cer', 'mqttserver.nopass.pem']);

  await page.getByRole('radio', { name: 'Client' }).check();
  assert.equal(await page.getByLabel('Key alias').inputValue(), 'clientalias');
  assert.equal(await page.getByLabel('Key password', { exact: true }).inputValue(), 'password');
  await page.getByLabel('Common name (CN)').fill('device-42');
  await page.getByRole('button', { name: 'Use the server certificate generated on this page' }).click();
  assert.match(await page.getByLabel('Server certificate').inputValue(), /BEGIN CERTIFICATE/);
  assert.equal(await page.getByLabel('Server alias').inputValue(), 'serveralias');
  // The last run's "Done" goes in the same task as the click (it once stood while the form was
  // checked, and a test waiting for "Done" took the server's links for the client's).
  const atClick = await page.evaluate(() => {
    document.getElementById('generateButton').click();
    return document.getElementById('status').textContent;
  });
  assert.equal(atClick, '');
  await page.getByText('Done: 6 files.', { exact: true }).waitFor({ timeout: 120_000 });
  const clientFiles = await downloadAll(page, dir);
  assert.deepEqual(clientFiles, ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.nopass.pem', 'mqttclient.pem']);
  await expectText(page, /Paste mqttclient\.pub\.pem into Device Credentials -> X\.509 Certificate/);
  const shownId = await page.locator('#result-details dd code').last().textContent();

  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download all (.zip)' }).click()]);
  assert.equal(zip.suggestedFilename(), 'mqttclient.zip');

  ok('openssl', ['verify', '-CAfile', 'mqttserver.pub.pem', 'mqttserver.pub.pem'], { cwd: dir });
  assert.match(ok('openssl', ['x509', '-in', 'mqttserver.pub.pem', '-noout', '-ext', 'subjectAltName'], { cwd: dir }), /IP Address:127\.0\.0\.1/);
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: dir }), /Key is valid/);
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:password', '-check', '-noout'], { cwd: dir }), /Key is valid/);
  ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', 'pass:password'], { cwd: dir });
  const list = ok('keytool', ['-list', '-storetype', 'JKS', '-keystore', 'mqttclient.jks', '-storepass', 'password'], { cwd: dir });
  assert.match(list, /serveralias, .*trustedCertEntry/);
  const trimmed = fs.readFileSync(path.join(dir, 'mqttclient.pub.pem'), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\n|\r/g, '');
  assert.equal(ok('openssl', ['dgst', '-sha3-256', '-r'], { input: trimmed }).split(' ')[0], shownId);

  // No main-thread task over 50 ms in either generation, the first one included (it also starts
  // the workers in a cold browser; tests/tools/cold-longtasks.mjs repeats it with traces).
  const long = await page.evaluate((t0) => window.__longTasks.filter((t) => t.start >= t0 && t.duration > 50), started);
  assert.deepEqual(long, [], `main-thread tasks over 50 ms during generation (started at ${started} ms)`);

  fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshot.png'), fullPage: true });

  await page.getByRole('button', { name: 'Clear' }).click();
  assert.equal(await page.locator('#result').isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

async function expectText(page, re) {
  await page.getByText(re).first().waitFor({ timeout: 5000 });
}

test('invalid input shows the message next to the field it names', async () => {
  const { page, context } = await openPage();
  const cases = [
    ['Country code (C)', 'USA', '#c-error', /two letters/],
    ['Validity (days)', '0', '#days-error', /between 1 and 36500/],
    ['Keystore password', '123', '#storePassword-error', /at least 6/],
    ['Common name (CN)', '', '#cn-error', /must not be empty/],
  ];
  for (const [label, value, slot, message] of cases) {
    await page.reload();
    await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.locator(slot).filter({ hasText: message }).waitFor({ timeout: 5000 });
    assert.equal(await page.getByLabel(label).getAttribute('aria-invalid'), 'true');
  }
  // Usable at 360 px: nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await context.close();
});

test('Cancel stops a generation at once', async () => {
  const { page, context } = await openPage();
  await page.getByLabel('Key size').selectOption('4096');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Cancelled.').waitFor({ timeout: 2000 });
  assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).isEnabled(), true);
  assert.equal(await page.locator('#result').isHidden(), true);
  await context.close();
});

test('inspect shows details, the credentials id, and warnings', async () => {
  const { page, context } = await openPage();
  const pem = fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'keytool-mqttclient.pub.pem'), 'utf8');
  const server = fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'keytool-mqttserver.pub.pem'), 'utf8');
  await page.getByLabel('Certificate to inspect').fill(pem);
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expectText(page, '8fac8b7da6bedd63f2b14b10d630cc997872018bf81a673d6b911a7a60b016e4');
  await expectText(page, /No problems found/);
  await page.getByLabel('Certificate to inspect').fill(`${pem.replace(/\n/g, '\n  ')}\n${server}`);
  await page.getByRole('button', { name: 'Inspect' }).click();
  await page.locator('[data-code=multiple_certificates]').waitFor({ timeout: 5000 });
  await page.locator('[data-code=text_differs]').waitFor({ timeout: 5000 });
  await page.getByLabel('Certificate to inspect').fill('not a certificate');
  await page.getByRole('button', { name: 'Inspect' }).click();
  await page.locator('#inspect-error').filter({ hasText: /Certificate/ }).waitFor({ timeout: 5000 });
  await context.close();
});

test('the single-file page works from file:// offline, with zero network requests', async () => {
  const file = path.join(ROOT, 'dist', 'tempus-certgen.html');
  const html = fs.readFileSync(file, 'utf8');
  const csp = html.match(/http-equiv="?Content-Security-Policy"? content="([^"]+)"/)[1];
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /'wasm-unsafe-eval'/);
  assert.match(csp, /worker-src blob:/);
  assert.doesNotMatch(html, /<script[^>]+src=/, 'every script is inlined');
  const context = await browser().newContext({ offline: true, acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  const consoleText = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (w) => requests.push(w.url()));
  page.on('console', (m) => consoleText.push(m.text()));
  await page.goto(`file://${file}`);
  await page.getByLabel('Common name (CN)').fill('offline-device');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText(/^Done: \d+ files\./).waitFor({ timeout: 120_000 });
  const dir = tempDir('single');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'mqttclient.nopass.pem' }).click()]);
  await download.saveAs(path.join(dir, 'mqttclient.nopass.pem'));
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: dir }), /Key is valid/);
  const network = requests.filter((u) => /^(https?|wss?):/i.test(u));
  assert.deepEqual(network, [], 'no http(s) or ws(s) request');
  // Nothing is kept in storage, nothing logged.
  const stored = await page.evaluate(async () => ({
    local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
    idb: (await indexedDB.databases()).length,
  }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: '', idb: 0 });
  assert.ok(!consoleText.some((t) => /PRIVATE KEY/.test(t)), 'no key in the console');
  await context.close();
});

/** The names in a .zip, read by Python's zipfile (a reader that is not ours). */
function zipNames(file) {
  return ok('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', file]).trim().split('\n');
}

test('random passwords: shown once, used for every encrypted file, in passwords.txt only on request; the zip holds .nopass.pem only when ticked', async () => {
  const { page, context, errors } = await openPage();
  const dir = tempDir('page-passwords');
  // The recipe's public defaults are flagged beside their fields.
  await page.locator('#storePassword-warning').filter({ hasText: /published default password/ }).waitFor({ timeout: 5000 });
  await page.locator('#keyPassword-warning').filter({ hasText: /published default password/ }).waitFor({ timeout: 5000 });
  await expectText(page, /withstands far fewer password guesses than a .p12/);
  await page.getByRole('button', { name: 'Use random passwords' }).click();
  const store = await page.getByLabel('Keystore password').inputValue();
  const key = await page.getByLabel('Key password', { exact: true }).inputValue();
  assert.match(store, /^[A-Za-z2-9]{24}$/);
  assert.match(key, /^[A-Za-z2-9]{24}$/);
  assert.notEqual(store, key);
  assert.equal(await page.locator('#randomStorePassword').textContent(), store, 'shown');
  assert.equal(await page.locator('#randomKeyPassword').textContent(), key, 'shown');
  assert.equal(await page.locator('#storePassword-warning').textContent(), '', 'no warning for a random password');
  assert.equal(await page.getByRole('button', { name: 'Copy keystore password' }).count(), 1);
  await page.getByLabel('Common name (CN)').fill('random-pw-device');
  await generate(page, 6);

  // Default: the zip leaves the unencrypted key out, and has no passwords.txt.
  assert.equal(await page.getByLabel(/Include the unencrypted private key/).isChecked(), false);
  await expectText(page, /holds the private key with no password at all/);
  const zipFile = async (name) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download all (.zip)' }).click()]);
    const file = path.join(dir, name);
    await download.saveAs(file);
    return file;
  };
  assert.deepEqual(zipNames(await zipFile('plain.zip')).sort(),
    ['mqttclient.cer', 'mqttclient.jks', 'mqttclient.p12', 'mqttclient.pem', 'mqttclient.pub.pem']);
  await page.getByLabel(/Include the unencrypted private key/).check();
  await page.getByLabel(/Add passwords\.txt/).check();
  const full = await zipFile('full.zip');
  assert.deepEqual(zipNames(full).sort(),
    ['mqttclient.cer', 'mqttclient.jks', 'mqttclient.nopass.pem', 'mqttclient.p12', 'mqttclient.pem', 'mqttclient.pub.pem', 'passwords.txt']);
  ok('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', full, dir]);
  const text = fs.readFileSync(path.join(dir, 'passwords.txt'), 'utf8');
  assert.match(text, new RegExp(`Keystore password \\(mqttclient\\.jks, mqttclient\\.p12\\): ${store}\\n`));
  assert.match(text, new RegExp(`Key password .*: ${key}\\n`));
  // Every encrypted file opens with the random passwords, and not with the recipe's.
  assert.match(ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', `pass:${key}`, '-check', '-noout'], { cwd: dir }), /Key is valid/);
  ok('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', `pass:${store}`], { cwd: dir });
  assert.notEqual(tool('openssl', ['pkcs12', '-in', 'mqttclient.p12', '-info', '-noout', '-passin', 'pass:password'], { cwd: dir }).code, 0, 'opened with the default');
  ok('keytool', ['-importkeystore', '-srckeystore', 'mqttclient.jks', '-srcstoretype', 'JKS', '-srcstorepass', store, '-srcalias', 'clientalias',
    '-srckeypass', key, '-destkeystore', 'x.p12', '-deststoretype', 'PKCS12', '-deststorepass', 'changeit', '-noprompt'], { cwd: dir });
  // Editing a password hides the box (the passwords are kept nowhere) and a default brings the warning back.
  await page.getByLabel('Keystore password').fill('password');
  assert.equal(await page.locator('#random-passwords').isHidden(), true);
  assert.equal(await page.locator('#randomStorePassword').textContent(), '');
  await page.locator('#storePassword-warning').filter({ hasText: /published default password/ }).waitFor({ timeout: 5000 });
  // No object URL outlives its click.
  await page.getByRole('list', { name: 'Files' }).getByRole('link', { name: 'mqttclient.pub.pem' }).click();
  await page.waitForTimeout(200);
  assert.equal(await page.getByRole('list', { name: 'Files' }).getByRole('link', { name: 'mqttclient.pub.pem' }).getAttribute('href'), '#');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Key type "EC P-256": the key size is RSA\'s only, and every file holds an EC key openssl accepts', async () => {
  const { page, context, errors } = await openPage();
  const dir = tempDir('page-ec');
  await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
  assert.equal(await page.getByLabel('Key size').isDisabled(), true);
  await page.getByLabel('Common name (CN)').fill('ec-page-device');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.getByText('Done: 6 files.', { exact: true }).waitFor({ timeout: 60_000 });
  assert.deepEqual(await downloadAll(page, dir),
    ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.nopass.pem', 'mqttclient.pem']);
  assert.match(ok('openssl', ['x509', '-in', 'mqttclient.pub.pem', '-noout', '-text'], { cwd: dir }), /ecdsa-with-SHA256[\s\S]*prime256v1/);
  ok('openssl', ['ec', '-in', 'mqttclient.nopass.pem', '-check', '-noout'], { cwd: dir });
  ok('openssl', ['ec', '-in', 'mqttclient.pem', '-passin', 'pass:password', '-check', '-noout'], { cwd: dir });
  assert.match(ok('keytool', ['-list', '-v', '-storetype', 'JKS', '-keystore', 'mqttclient.jks', '-storepass', 'password'], { cwd: dir }), /256-bit EC \(secp256r1\) key/);
  // Inspect names the key as the platform sees it, without a warning about it.
  await page.getByLabel('Certificate to inspect').fill(fs.readFileSync(path.join(dir, 'mqttclient.pub.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expectText(page, /No problems found/);
  await page.locator('#inspect-details').getByText('EC P-256', { exact: true }).waitFor({ timeout: 5000 });
  await page.getByLabel('Key type').selectOption({ label: 'RSA' });
  assert.equal(await page.getByLabel('Key size').isEnabled(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Device CA on the page: random passwords, four files, a CA that openssl uses to sign a device', async () => {
  const { page, context, errors } = await openPage();
  const dir = tempDir('page-ca');
  await page.getByRole('radio', { name: 'Device CA' }).check();
  assert.equal(await page.getByLabel('Common name (CN)').inputValue(), 'Tempus Device CA');
  assert.equal(await page.getByLabel('File prefix').inputValue(), 'deviceca');
  assert.equal(await page.getByLabel('Key password', { exact: true }).inputValue(), '', 'no default password for a CA');
  await page.getByRole('button', { name: 'Use random passwords' }).click();
  const key = await page.getByLabel('Key password', { exact: true }).inputValue();
  await generate(page, 4);
  assert.deepEqual(await downloadAll(page, dir), ['deviceca.pub.pem', 'deviceca.cer', 'deviceca.key.pem', 'deviceca.p12']);
  await expectText(page, /can mint device certificates/);
  assert.match(ok('openssl', ['x509', '-in', 'deviceca.pub.pem', '-noout', '-text'], { cwd: dir }), /CA:TRUE, pathlen:0/);
  ok('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-subj', '/CN=device-9', '-out', 'leaf.csr'], { cwd: dir });
  ok('openssl', ['x509', '-req', '-in', 'leaf.csr', '-CA', 'deviceca.pub.pem', '-CAkey', 'deviceca.key.pem', '-passin', `pass:${key}`,
    '-CAcreateserial', '-days', '30', '-out', 'leaf.pem'], { cwd: dir });
  ok('openssl', ['verify', '-CAfile', 'deviceca.pub.pem', 'leaf.pem'], { cwd: dir });
  // Back to Client: the client's defaults come back.
  await page.getByRole('radio', { name: 'Client' }).check();
  assert.equal(await page.getByLabel('Common name (CN)').inputValue(), 'device-1');
  assert.equal(await page.getByLabel('File prefix').inputValue(), 'mqttclient');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Fleets on the page: a CA, a client signed by it (one click), a CSR signed by it, and inspect of the chain and the request', async () => {
  const { page, context, errors } = await openPage();
  const dir = tempDir('page-fleet');
  await page.getByRole('radio', { name: 'Device CA' }).check();
  await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
  await page.getByRole('button', { name: 'Use random passwords' }).click();
  await generate(page, 4);
  const caDir = path.join(dir, 'ca');
  fs.mkdirSync(caDir);
  await downloadAll(page, caDir);
  await expectText(page, /the CA's private key/);

  // A client signed by that CA: one click fills the CA part.
  await page.getByRole('radio', { name: 'Client' }).check();
  await page.getByRole('button', { name: 'Use the device CA generated on this page' }).click();
  assert.match(await page.getByLabel('CA certificate').inputValue(), /BEGIN CERTIFICATE/);
  assert.match(await page.getByLabel('CA private key').inputValue(), /BEGIN ENCRYPTED PRIVATE KEY/);
  await page.getByLabel('Common name (CN)').fill('device-fleet-1');
  await page.getByLabel('Key password', { exact: true }).fill('fleet-key-1');
  await page.getByLabel('Keystore password').fill('fleet-store-1');
  await generate(page, 7);
  const leafDir = path.join(dir, 'leaf');
  fs.mkdirSync(leafDir);
  assert.deepEqual((await downloadAll(page, leafDir)).sort(),
    ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.nopass.pem', 'mqttclient.pem', 'mqttclient.chain.pem'].sort());
  ok('openssl', ['verify', '-CAfile', path.join(caDir, 'deviceca.pub.pem'), path.join(leafDir, 'mqttclient.pub.pem')]);
  assert.match(ok('keytool', ['-list', '-v', '-keystore', 'mqttclient.jks', '-storepass', 'fleet-store-1'], { cwd: leafDir }), /Certificate chain length: 2/);
  await expectText(page, /Signed by CN=Tempus Device CA/);

  // A wrong CA key password is shown next to its field, and nothing is made.
  await page.getByLabel('CA key password').fill('not-the-password');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expectText(page, /is wrong: it does not open/);

  // A certificate request: the key stays here; the CA part signs it.
  await page.getByLabel('CA key password').fill('');
  await page.getByRole('button', { name: 'Use the device CA generated on this page' }).click();
  await page.getByRole('radio', { name: 'Certificate request (CSR)' }).check();
  await page.getByLabel('Common name (CN)').fill('device-fleet-2');
  await page.getByRole('button', { name: 'Generate key and request' }).click();
  await page.getByText('Done: 2 files.', { exact: true }).waitFor({ timeout: 120_000 });
  const csrDir = path.join(dir, 'csr');
  fs.mkdirSync(csrDir);
  assert.deepEqual(await downloadAll(page, csrDir), ['mqttclient.csr', 'mqttclient.key.pem']);
  ok('openssl', ['req', '-in', 'mqttclient.csr', '-verify', '-noout'], { cwd: csrDir });
  const csrText = fs.readFileSync(path.join(csrDir, 'mqttclient.csr'), 'utf8');
  await page.getByLabel('Certificate request', { exact: true }).fill(csrText);
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  await expectText(page, /Signed: 3 files/);
  const signedDir = path.join(dir, 'signed');
  fs.mkdirSync(signedDir);
  assert.deepEqual(await downloadAll(page, signedDir), ['mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.chain.pem']);
  ok('openssl', ['verify', '-CAfile', path.join(caDir, 'deviceca.pub.pem'), path.join(signedDir, 'mqttclient.pub.pem')]);
  assert.equal(ok('openssl', ['x509', '-in', path.join(signedDir, 'mqttclient.pub.pem'), '-noout', '-pubkey']),
    ok('openssl', ['req', '-in', path.join(csrDir, 'mqttclient.csr'), '-noout', '-pubkey']));

  // Inspect: the chain, each link checked; the request and its signature; the CA's profile id.
  await page.getByLabel('Certificate to inspect').fill(fs.readFileSync(path.join(leafDir, 'mqttclient.chain.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Inspect' }).click();
  const chain = page.getByRole('list', { name: 'Chain' });
  await chain.waitFor();
  assert.match(await chain.textContent(), /CN=device-fleet-1.*signed by the next.*CN=Tempus Device CA.*\(CA\)/s);
  await page.getByLabel('Certificate to inspect').fill(csrText);
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expectText(page, /valid: made with the request's own key/);
  await page.getByLabel('Certificate to inspect').fill(fs.readFileSync(path.join(caDir, 'deviceca.pub.pem'), 'utf8'));
  await page.getByRole('button', { name: 'Inspect' }).click();
  await expectText(page, /the device profile's CA id/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Many devices on the page: 20 EC devices end to end (zip opened and checked), no long task; a cancel keeps the devices made', async () => {
  const { page, context, errors } = await openPage();
  await page.waitForFunction(() => document.body.dataset.wasmReady === 'true');
  const dir = tempDir('page-many');
  await page.getByLabel('Key type').selectOption({ label: 'EC P-256' });
  await page.getByLabel('Key password', { exact: true }).fill('many-key-1');
  await page.getByLabel('Keystore password').fill('many-store-1');
  await page.getByLabel('Number of devices').fill('20');
  await page.getByLabel('Name pattern').fill('page-dev-{n}');
  const started = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Generate all' }).click();
  await page.getByText('Done: 20 of 20 devices made.', { exact: true }).waitFor({ timeout: 120_000 });
  const progress = page.locator('#manyProgress');
  assert.equal(await progress.getAttribute('aria-valuetext'), '20 of 20');
  assert.equal((await page.getByRole('table', { name: 'Devices' }).locator('tbody tr').all()).length, 20);
  await expectText(page, /without a password/);
  const long = await page.evaluate((t0) => window.__longTasks.filter((t) => t.start >= t0 && t.duration > 50), started);
  assert.deepEqual(long, [], 'main-thread tasks over 50 ms while making 20 devices');
  const zipPath = path.join(dir, 'devices.zip');
  const download = await clickForDownload(page, page.getByRole('button', { name: 'Download all (.zip)' }));
  assert.equal(download.suggestedFilename(), 'devices.zip');
  await download.saveAs(zipPath);
  const listing = JSON.parse(ok('python3', ['-c', `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
m = list(csv.DictReader(io.StringIO(z.read("manifest.csv").decode())))
z.extractall(sys.argv[2])
print(json.dumps({"names": names, "manifest": m}))
`, zipPath, dir]));
  assert.equal(listing.manifest.length, 20);
  assert.ok(listing.manifest.every((r) => r.status === 'ok' && /^[0-9a-f]{64}$/.test(r.credentials_id)));
  for (let n = 1; n <= 20; n++) {
    for (const f of ['mqttclient.jks', 'mqttclient.p12', 'mqttclient.pub.pem', 'mqttclient.cer', 'mqttclient.nopass.pem', 'mqttclient.pem']) {
      assert.ok(listing.names.includes(`page-dev-${n}/${f}`), `page-dev-${n}/${f}`);
    }
  }
  assert.ok(listing.names.includes('thingsboard-devices.csv') && listing.names.includes('README.txt'));
  const sample = path.join(dir, 'page-dev-7');
  assert.match(ok('openssl', ['x509', '-in', 'mqttclient.pub.pem', '-noout', '-subject'], { cwd: sample }), /CN = page-dev-7/);
  ok('openssl', ['pkey', '-in', 'mqttclient.pem', '-passin', 'pass:many-key-1', '-check', '-noout'], { cwd: sample });
  assert.match(ok('keytool', ['-list', '-keystore', 'mqttclient.jks', '-storepass', 'many-store-1'], { cwd: sample }), /PrivateKeyEntry/);

  // A cancel in the middle keeps what is done.
  await page.getByLabel('Number of devices').fill('400');
  await page.getByRole('button', { name: 'Generate all' }).click();
  await page.waitForFunction(() => Number(document.getElementById('manyProgress').value) >= 10, null, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const text = await page.getByText(/^Cancelled: \d+ devices made are kept\.$/).textContent();
  const kept = Number(text.match(/\d+/)[0]);
  assert.ok(kept >= 10 && kept < 400, text);
  assert.equal((await page.getByRole('table', { name: 'Devices' }).locator('tbody tr').all()).length, kept);
  assert.deepEqual(errors, []);
  await context.close();
});
