// provisionDevice (JS API) and `tempus-certgen provision` against a local server that holds to
// Tempus' REST contract strictly (tests/tempus-server.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { generateCredentials, provisionDevice, provisionMany, generateMany } from 'tempus-certgen';
import { startTempus, platformCredentialsId } from './tempus-server.mjs';
import { cli, cliAsync, tempDir, CLI, cleanEnv } from './js/tools.mjs';

const LOGIN = { username: 'tenant@tempus.local', password: 'tenant' };
let server;
let bundles;

test.before(async () => {
  server = await startTempus();
  bundles = [];
  for (let i = 0; i < 3; i++) bundles.push(await generateCredentials({ role: 'client', cn: `device-${i}` }));
});
test.after(() => server?.close());

test('login, read, post the same record back, confirm the id', async () => {
  const deviceId = server.addDevice('device-0');
  const before = { ...server.devices.get(deviceId) };
  const r = await provisionDevice({ baseUrl: `${server.baseUrl}/`, deviceId, certificatePem: bundles[0].certificatePem, ...LOGIN });
  assert.equal(r.ok, true);
  assert.equal(r.credentialsId, bundles[0].credentialsId);
  const stored = server.devices.get(deviceId);
  assert.equal(stored.credentialsType, 'X509_CERTIFICATE');
  assert.equal(stored.credentialsId, bundles[0].credentialsId, 'the server computed the id we showed');
  assert.equal(stored.id.id, before.id.id, 'the same record, not a second one');
  const post = server.log.find((l) => l.method === 'POST' && l.path === '/api/device/credentials');
  const body = JSON.parse(post.body);
  assert.equal(body.id.id, before.id.id);
  assert.equal(body.deviceId.id, deviceId);
  assert.equal(body.credentialsValue, bundles[0].certificatePem);
  assert.match(post.headers['x-authorization'], /^Bearer jwt-/);
  assert.match(post.headers.authorization, /^Bearer jwt-/);
});

test('a token and either auth header style', async () => {
  for (const [accept, authHeader] of [[['X-Authorization'], 'x-authorization'], [['Authorization'], 'authorization'], [['Authorization'], 'both']]) {
    const s = await startTempus({ accept });
    try {
      const deviceId = s.addDevice();
      const token = await s.login();
      const r = await provisionDevice({ baseUrl: s.baseUrl, deviceId, certificatePem: bundles[1].certificatePem, token, authHeader });
      assert.equal(r.credentialsId, bundles[1].credentialsId);
    } finally {
      await s.close();
    }
  }
  const s = await startTempus({ accept: ['Authorization'] });
  try {
    const token = await s.login();
    await assert.rejects(
      provisionDevice({ baseUrl: s.baseUrl, deviceId: s.addDevice(), certificatePem: bundles[1].certificatePem, token, authHeader: 'x-authorization' }),
      (e) => e.code === 'unauthorized' && e.status === 401,
    );
  } finally {
    await s.close();
  }
});

test('each failure has its own clear error', async () => {
  const cert = bundles[2].certificatePem;
  await assert.rejects(provisionDevice({ baseUrl: server.baseUrl, deviceId: server.addDevice(), certificatePem: cert, username: LOGIN.username, password: 'wrong' }),
    (e) => e.code === 'bad_login' && e.status === 401 && /wrong username or password/.test(e.message));
  await assert.rejects(provisionDevice({ baseUrl: server.baseUrl, deviceId: '784f394c-42b6-435a-983c-b7beff2784f9', certificatePem: cert, ...LOGIN }),
    (e) => e.code === 'unknown_device' && e.status === 404 && /No device with id/.test(e.message));
  const first = server.addDevice();
  await provisionDevice({ baseUrl: server.baseUrl, deviceId: first, certificatePem: cert, ...LOGIN });
  await assert.rejects(provisionDevice({ baseUrl: server.baseUrl, deviceId: server.addDevice(), certificatePem: cert, ...LOGIN }),
    (e) => e.code === 'already_registered' && /already registered for another device/.test(e.message));
  const closed = await startTempus();
  const deadUrl = closed.baseUrl;
  await closed.close();
  await assert.rejects(provisionDevice({ baseUrl: deadUrl, deviceId: first, certificatePem: cert, ...LOGIN }),
    (e) => e.code === 'unreachable' && /down or unreachable.*CORS/.test(e.message));
  const odd = await startTempus({ computeId: (pem) => platformCredentialsId(`${pem} `) });
  try {
    await assert.rejects(provisionDevice({ baseUrl: odd.baseUrl, deviceId: odd.addDevice(), certificatePem: cert, ...LOGIN }),
      (e) => e.code === 'id_mismatch' && /would be refused/.test(e.message));
  } finally {
    await odd.close();
  }
  await assert.rejects(provisionDevice({ baseUrl: 'ftp://x', deviceId: first, certificatePem: cert, ...LOGIN }), (e) => e.field === 'baseUrl');
  await assert.rejects(provisionDevice({ baseUrl: server.baseUrl, deviceId: first, certificatePem: 'nope', ...LOGIN }), (e) => e.field === 'certificatePem');
  await assert.rejects(provisionDevice({ baseUrl: server.baseUrl, deviceId: first, certificatePem: cert }), (e) => e.code === 'invalid');
});

test('tempus-certgen provision: 0 on success, 1 on failures, 2 on usage', async () => {
  const dir = tempDir('provision-cli');
  const certFile = path.join(dir, 'device.pub.pem');
  const gen = cli(['client', '--out', dir, '--cn', 'cli-device', '--prefix', 'device']);
  assert.equal(gen.code, 0, gen.stderr);
  const deviceId = server.addDevice('cli-device');
  const ok = await cliAsync(['provision', '--url', server.baseUrl, '--device-id', deviceId, '--cert', certFile, '--username', LOGIN.username, '--password', LOGIN.password]);
  assert.equal(ok.code, 0, ok.stderr);
  const id = ok.stdout.match(/credentials id: ([0-9a-f]{64})/)[1];
  assert.equal(server.devices.get(deviceId).credentialsId, id);
  const token = await server.login();
  const again = await cliAsync(['provision', '--url', server.baseUrl, '--device-id', server.addDevice(), '--cert', certFile, '--token', token]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already registered for another device/);
  const bad = await cliAsync(['provision', '--url', server.baseUrl, '--device-id', deviceId, '--cert', certFile, '--username', LOGIN.username, '--password', 'nope']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /Login failed/);
  const unknown = await cliAsync(['provision', '--url', server.baseUrl, '--device-id', 'a1b2c3', '--cert', certFile, '--token', token]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No device with id a1b2c3/);
  assert.equal((await cliAsync(['provision', '--url', server.baseUrl, '--device-id', deviceId, '--cert', certFile])).code, 2);
  assert.equal((await cliAsync(['provision', '--url', server.baseUrl, '--cert', certFile, '--token', token])).code, 2);
  fs.writeFileSync(path.join(dir, 'junk.pem'), 'junk');
  const junk = await cliAsync(['provision', '--url', server.baseUrl, '--device-id', deviceId, '--cert', path.join(dir, 'junk.pem'), '--token', token]);
  assert.equal(junk.code, 2, junk.stderr);
  assert.match(junk.stderr, /--cert/);
});

// ---- Issue 13: credentials go to the given server or nowhere --------------------------------

/** Listens on `host` and records every request; answers each with `respond(req)`. */
async function recorder(host, respond) {
  const requests = [];
  const s = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    respond(req, res);
  });
  await new Promise((r) => s.listen(0, host, r));
  return { url: `http://${host}:${s.address().port}`, requests, close: () => new Promise((r) => s.close(r)) };
}

/** A non-loopback address of this machine, if it has one. */
function outsideAddress() {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

test('a redirect to another address receives nothing secret: the call fails with "redirected"', async () => {
  // The thief listens on another local address; the server at the given URL redirects there.
  const thief = await recorder('127.0.0.2', (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"stolen"}'));
  const redirector = await recorder('127.0.0.1', (req, res) => res.writeHead(307, { location: `${thief.url}${req.url}` }).end());
  try {
    for (const creds of [LOGIN, { token: 'jwt-secret-token' }]) {
      await assert.rejects(
        provisionDevice({ baseUrl: redirector.url, deviceId: server.addDevice(), certificatePem: bundles[0].certificatePem, ...creds }),
        (e) => e.code === 'redirected' && e.field === 'baseUrl' && e.status === 307 && e.location.startsWith(thief.url) &&
          /redirect to http:\/\/127\.0\.0\.2/.test(e.message) && /Nothing secret was sent there/.test(e.message),
      );
    }
    assert.equal(redirector.requests.length, 2, 'the given server was asked');
    assert.deepEqual(thief.requests, [], 'the redirect target received nothing');
    // The CLI: exit 1, naming the redirect.
    const dir = tempDir('provision-redirect');
    const certFile = path.join(dir, 'c.pub.pem');
    fs.writeFileSync(certFile, bundles[0].certificatePem);
    const r = await cliAsync(['provision', '--url', redirector.url, '--device-id', server.addDevice(), '--cert', certFile, '--token', 'jwt-secret-token']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /--url: .*answered with a redirect to http:\/\/127\.0\.0\.2/);
    assert.deepEqual(thief.requests, []);
  } finally {
    await thief.close();
    await redirector.close();
  }
});

test('plain http to another machine is refused without the opt-in; a query, a fragment or user info in the URL is refused', async () => {
  const calls = [];
  const fetch = async (url, init) => { calls.push(url); return new Response('{}', { status: 401 }); };
  const args = { deviceId: 'a1b2c3', certificatePem: bundles[0].certificatePem, ...LOGIN, fetch };
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://tempus.example.com' }),
    (e) => e.code === 'insecure_http' && e.field === 'baseUrl' && /unencrypted/.test(e.message) && /allowInsecureHttp/.test(e.message));
  for (const baseUrl of ['https://tempus.example.com/?tenant=1', 'https://tempus.example.com/#x', 'https://tempus.example.com?', 'https://admin:pw@tempus.example.com']) {
    await assert.rejects(provisionDevice({ ...args, baseUrl }), (e) => e.code === 'invalid' && e.field === 'baseUrl' && !/pw@/.test(e.message), baseUrl);
  }
  assert.deepEqual(calls, [], 'nothing was sent');
  // With the opt-in it is sent (and fails at the login, here); loopback needs no opt-in.
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://tempus.example.com', allowInsecureHttp: true }), (e) => e.code === 'bad_login');
  assert.deepEqual(calls, ['http://tempus.example.com/api/auth/login']);
  for (const host of ['localhost', '127.0.0.9', '[::1]']) {
    await assert.rejects(provisionDevice({ ...args, baseUrl: `http://${host}:1` }), (e) => e.code === 'bad_login', host);
  }

  // The CLI, against a real server on this machine's outside address (not loopback).
  const address = outsideAddress();
  if (!address) return; // a machine without a network interface: the JS checks above still ran
  const open = await startTempus({ host: '0.0.0.0' });
  try {
    const dir = tempDir('provision-http');
    const certFile = path.join(dir, 'c.pub.pem');
    fs.writeFileSync(certFile, bundles[1].certificatePem);
    const url = `http://${address}:${open.port}`;
    const deviceId = open.addDevice();
    const refused = await cliAsync(['provision', '--url', url, '--device-id', deviceId, '--cert', certFile, ...Object.entries(LOGIN).flatMap(([k, v]) => [`--${k}`, v])]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--url: .*plain http.*--allow-http/);
    assert.equal(open.log.length, 0, 'nothing was sent');
    const allowed = await cliAsync(['provision', '--url', url, '--allow-http', '--device-id', deviceId, '--cert', certFile, '--username', LOGIN.username, '--password', LOGIN.password]);
    assert.equal(allowed.code, 0, allowed.stderr);
  } finally {
    await open.close();
  }
});

test('secrets from files and the environment; argv still works; a missing password is asked for at a terminal, without echo', async () => {
  const dir = tempDir('provision-secrets');
  let n = 0;
  // Each run gets a fresh device and certificate: a certificate may belong to one device only.
  const base = async (extra = []) => {
    const certificate = (await generateCredentials({ role: 'client', cn: `secret-${n}` })).certificatePem;
    const file = path.join(dir, `c${n++}.pub.pem`);
    fs.writeFileSync(file, certificate);
    return ['provision', '--url', server.baseUrl, '--device-id', server.addDevice(), '--cert', file, ...extra];
  };
  const passwordFile = path.join(dir, 'password');
  fs.writeFileSync(passwordFile, `${LOGIN.password}\nignored second line\n`, { mode: 0o600 });
  const tokenFile = path.join(dir, 'token');
  const run = async (extra, env = {}) => cliAsync(await base(extra), { env });
  let r = await run(['--username', LOGIN.username, '--password-file', passwordFile]);
  assert.equal(r.code, 0, r.stderr);
  r = await run(['--username', LOGIN.username], { TEMPUS_PASSWORD: LOGIN.password });
  assert.equal(r.code, 0, r.stderr);
  fs.writeFileSync(tokenFile, `${await server.login()}\r\n`);
  r = await run(['--token-file', tokenFile]);
  assert.equal(r.code, 0, r.stderr);
  r = await run([], { TEMPUS_TOKEN: await server.login() });
  assert.equal(r.code, 0, r.stderr);
  r = await run(['--token', await server.login()]);
  assert.equal(r.code, 0, r.stderr);
  // Wrong or unreadable files: exit 2 naming the file option.
  r = await run(['--username', LOGIN.username, '--password-file', path.join(dir, 'missing')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--password-file: cannot read/);
  fs.writeFileSync(path.join(dir, 'empty'), '\n');
  r = await run(['--token-file', path.join(dir, 'empty')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--token-file: the first line of .* is empty/);
  r = await run(['--username', LOGIN.username, '--password', 'x', '--password-file', passwordFile]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /give --password or --password-file, not both/);
  // Not a terminal and no password: a usage error that names the safe forms.
  r = await run(['--username', LOGIN.username]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--password-file F, TEMPUS_PASSWORD/);

  // At a terminal (a pseudo-terminal from Python's pty module): asked, typed, not echoed.
  const argv = [process.execPath, CLI, ...await base(['--username', LOGIN.username])];
  const PTY = `
import os, pty, subprocess, sys, json, time
master, slave = pty.openpty()
p = subprocess.Popen(json.loads(sys.argv[1]), stdin=slave, stdout=subprocess.PIPE, stderr=slave)
os.close(slave)
seen = b''
deadline = time.time() + 60
while b'Password for' not in seen and time.time() < deadline:
    seen += os.read(master, 4096)
os.write(master, sys.argv[2].encode() + b'\\r')
out, _ = p.communicate(timeout=120)
rest = b''
try:
    while True:
        chunk = os.read(master, 4096)
        if not chunk: break
        rest += chunk
except OSError:
    pass
print(json.dumps({'code': p.returncode, 'stdout': out.decode(), 'tty': (seen + rest).decode(errors='replace')}))
`;
  const py = await new Promise((resolve) => {
    const child = spawn('python3', ['-c', PTY, JSON.stringify(argv), LOGIN.password], { env: cleanEnv() });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', () => resolve(out));
  });
  const tty = JSON.parse(py.trim().split('\n').pop());
  assert.equal(tty.code, 0, tty.tty);
  assert.match(tty.tty, /Password for tenant@tempus\.local at http:\/\/127\.0\.0\.1:\d+: /);
  const afterPrompt = tty.tty.slice(tty.tty.search(/at http:\/\/127\.0\.0\.1:\d+: /));
  assert.ok(!afterPrompt.replace(/^at http\S+ /, '').includes(LOGIN.password), `the password was echoed: ${tty.tty}`);
  assert.match(tty.stdout, /credentials id: [0-9a-f]{64} \(confirmed by the server\)/);
});

test('provision --manifest: devices found or created by name and provisioned; one refused certificate reported; 429/503 retried; a second run changes nothing', async () => {
  const fleet = await startTempus({ throttle: 3 });
  try {
    const dir = tempDir('provision-fleet');
    const names = path.join(dir, 'names.csv');
    fs.writeFileSync(names, 'name,type\nfleet-1,sensor\nfleet-2,\nfleet-3,gateway\nfleet 4/α,\n');
    const made = cli(['bulk', '--out', dir, '--names', names, '--key-type', 'ec-p256', '--type', 'thermostat']);
    assert.equal(made.code, 0, made.stderr);
    const rows = fs.readFileSync(path.join(dir, 'manifest.csv'), 'utf8').trim().split('\r\n').slice(1).map((l) => l.split(','));
    const ids = Object.fromEntries(rows.map((r) => [r[0], r[4]]));
    // fleet-2 exists already; another device holds fleet-3's certificate, so the server refuses it.
    const existing = fleet.addDevice('fleet-2', 'thermostat');
    const holder = fleet.addDevice('holder');
    Object.assign(fleet.devices.get(holder), { credentialsType: 'X509_CERTIFICATE', credentialsId: ids['fleet-3'] });
    const env = { TEMPUS_PASSWORD: LOGIN.password };
    const manifest = path.join(dir, 'manifest.csv');
    // Without --create, the missing devices are reported (and fleet-2 is done).
    const first = await cliAsync(['provision', '--manifest', manifest, '--url', fleet.baseUrl, '--username', LOGIN.username], { env });
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /fleet-1: FAILED: No device named fleet-1/);
    assert.match(first.stdout, /fleet-2: provisioned\n/);
    const r = await cliAsync(['provision', '--manifest', manifest, '--url', fleet.baseUrl, '--username', LOGIN.username, '--create'], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /fleet-1: provisioned \(created\)/);
    assert.match(r.stdout, /fleet-2: already set, skipped/);
    assert.match(r.stdout, /fleet-3: FAILED: created, but left without its certificate: This certificate is already registered/);
    assert.match(r.stdout, /fleet 4\/α: provisioned \(created\)/);
    assert.match(r.stdout, /2 provisioned, 1 already set, 1 failed, of 4 devices/);
    for (const name of ['fleet-1', 'fleet-2', 'fleet 4/α']) {
      assert.equal(fleet.devices.get(fleet.byName(name)).credentialsId, ids[name], name);
    }
    assert.equal(fleet.devices.get(fleet.byName('fleet-1')).type, 'sensor');
    assert.equal(fleet.devices.get(fleet.byName('fleet 4/α')).type, 'thermostat');
    assert.equal(fleet.byName('fleet-2'), existing);
    // Names are URL-encoded.
    assert.ok(fleet.log.some((l) => l.path === '/api/tenant/devices' && l.query === '?deviceName=fleet%204%2F%CE%B1'));
    // Again: nothing changes (no new device, no credentials posted), the refused one still reported.
    const posts = () => fleet.log.filter((l) => l.method === 'POST' && l.path !== '/api/auth/login').length;
    const before = posts();
    const again = await cliAsync(['provision', '--manifest', manifest, '--url', fleet.baseUrl, '--username', LOGIN.username, '--create'], { env });
    assert.equal(again.code, 1);
    assert.match(again.stdout, /0 provisioned, 3 already set, 1 failed/);
    assert.equal(posts(), before + 1, 'only the refused certificate is tried again');
  } finally {
    await fleet.close();
  }
});

test('provisionMany (JS): an expired login is renewed once; generateMany results go straight in', async () => {
  const fleet = await startTempus();
  try {
    const results = [];
    for await (const r of generateMany(['js-1', 'js-2', 'js-3'], { keyType: 'ec-p256' })) results.push(r);
    let requests = 0;
    const fetchExpiring = (url, init) => {
      requests++;
      if (requests === 6) fleet.expireTokens(); // the login is over half-way
      return fetch(url, init);
    };
    const progress = [];
    const summary = await provisionMany(results, { url: fleet.baseUrl, ...LOGIN, create: true, type: 'js-type', fetch: fetchExpiring, onProgress: (p) => progress.push(p.done) });
    assert.equal(summary.provisioned, 3, JSON.stringify(summary.results.map((r) => r.error?.message)));
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal(fleet.log.filter((l) => l.path === '/api/auth/login').length, 2, 'logged in, then renewed once');
    for (const r of results) assert.equal(fleet.devices.get(fleet.byName(r.name)).credentialsId, r.bundle.credentialsId);
    await assert.rejects(provisionMany(results, { url: fleet.baseUrl }), (e) => e.field === 'username' || e.field === 'token');
  } finally {
    await fleet.close();
  }
});
