// Security, round 2 (issue 23): each attack a reviewer ran, run again here, and shown to fail
// safely. Hostile servers are small local ones; nothing leaves this machine.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './js/tools.mjs';
import { serve } from '../scripts/serve.mjs';

/** One raw HTTP request (the path sent exactly as given): `{ status, body }`. */
function rawGet(port, target) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (d) => { data += d; });
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), body: data.split('\r\n\r\n').slice(1).join('') }));
    socket.on('error', reject);
  });
}

test('item 5: npm start\'s server serves dist/ only, answers 400 to a malformed escape, and never dies', async () => {
  const dir = tempDir('serve');
  const dist = path.join(dir, 'dist');
  fs.mkdirSync(dist);
  fs.mkdirSync(path.join(dir, 'dist-private'));
  fs.writeFileSync(path.join(dist, 'index.html'), 'the page');
  fs.writeFileSync(path.join(dir, 'dist-private', 'secret.txt'), 'SECRET');
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'SECRET');
  const server = await serve(dist, { listenPort: 0, listenHost: '127.0.0.1' });
  const { port } = server.address();
  try {
    assert.deepEqual(await rawGet(port, '/'), { status: 200, body: 'the page' });
    for (const target of ['/..%2fdist-private/secret.txt', '/..%2f..%2foutside.txt', '/%2e%2e/outside.txt', '/..%5coutside.txt']) {
      const r = await rawGet(port, target);
      assert.equal(r.status, 404, target);
      assert.doesNotMatch(r.body, /SECRET/, target);
    }
    assert.equal((await rawGet(port, '/%')).status, 400);
    assert.equal((await rawGet(port, '/%E0%A4%A')).status, 400);
    assert.equal((await rawGet(port, '/a%00b')).status, 400);
    // Still serving after all of that.
    assert.deepEqual(await rawGet(port, '/index.html'), { status: 200, body: 'the page' });
  } finally {
    server.close();
  }
});

// ---- item 3 and 4: the REST client against hostile servers -------------------------------------
import http from 'node:http';
import { generateCredentials, provisionDevice, provisionMany } from '../js/node.js';
import { cliAsync } from './js/tools.mjs';

const cert = (await generateCredentials({ role: 'client', cn: 'hostile-1', keyType: 'ec-p256' })).certificatePem;
const LOGIN = { username: 'tenant@tempus.local', password: 'tenant-password' };

/** A server whose every answer `handler(req, res)` makes; `{ url, close }`. */
async function hostile(handler) {
  const sockets = new Set();
  const server = http.createServer(handler);
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

test('item 3: a body that never ends, a server that never answers or drips, a huge error: refused within the limits', async () => {
  const endless = await hostile((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => { while (res.write(chunk)); };
    res.on('drain', pump);
    pump();
  });
  const silent = await hostile(() => {});
  const drip = await hostile((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write(' '), 500);
    res.on('close', () => clearInterval(t));
  });
  const huge = await hostile((req, res) => res.writeHead(500, { 'content-length': String(300 * 1024 * 1024) }).write('x'));
  try {
    const args = { deviceId: 'a1b2c3', certificatePem: cert, ...LOGIN };
    const before = process.memoryUsage().rss;
    await assert.rejects(provisionDevice({ ...args, baseUrl: endless.url }), (e) => e.code === 'too_large' && /too large/.test(e.message));
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stays bounded');
    await assert.rejects(provisionDevice({ ...args, baseUrl: silent.url, timeout: 1 }), (e) => e.code === 'timeout' && /within 1 s/.test(e.message));
    await assert.rejects(provisionDevice({ ...args, baseUrl: drip.url, timeout: 1.5 }), (e) => e.code === 'timeout');
    const many = await provisionMany([{ name: 'd', certificatePem: cert }], { ...LOGIN, baseUrl: silent.url, timeout: 1 });
    assert.equal(many.failed, 1);
    assert.equal(many.results[0].error.code, 'timeout');
    await assert.rejects(provisionDevice({ ...args, baseUrl: huge.url }), (e) => e.code === 'too_large');
    await assert.rejects(provisionDevice({ ...args, baseUrl: silent.url, timeout: 0 }), (e) => e.field === 'timeout');
    // The CLI: --timeout, exit 1 naming the timeout; nothing printed beyond the message.
    const r = await cliAsync(['provision', '--url', silent.url, '--device-id', 'a1b2c3', '--cert', '/dev/null', '--token', 'tok-tok-tok', '--timeout', '1']);
    assert.equal(r.code, 2, r.stderr); // /dev/null is not a certificate: usage, before any request
    const dir = tempDir('hostile-cli');
    fs.writeFileSync(path.join(dir, 'c.pem'), cert);
    const t = await cliAsync(['provision', '--url', silent.url, '--device-id', 'a1b2c3', '--cert', path.join(dir, 'c.pem'), '--token', 'tok-tok-tok', '--timeout', '1']);
    assert.equal(t.code, 1, t.stderr);
    assert.match(t.stderr, /did not answer within 1 s/);
    assert.equal((await cliAsync(['provision', '--url', silent.url, '--device-id', 'x', '--cert', path.join(dir, 'c.pem'), '--token', 't', '--timeout', 'soon'])).code, 2);
  } finally {
    for (const s of [endless, silent, drip, huge]) s.close();
  }
});

test('item 3: a server\'s message is cut and stripped of terminal escapes; a token with a line break is refused without its value', async () => {
  const evil = await hostile((req, res) => {
    const message = `\u001b[2J\u001b]0;owned\u0007provisioned OK\u009b31m${'x'.repeat(5000)}`;
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
  });
  try {
    const e = await provisionDevice({ baseUrl: evil.url, deviceId: 'a1b2c3', certificatePem: cert, ...LOGIN }).catch((x) => x);
    assert.equal(e.code, 'bad_login');
    assert.doesNotMatch(e.message, /[\u0000-\u001f\u007f-\u009f]/);
    assert.ok(e.message.length < 1000, `cut: ${e.message.length} characters`);
    const dir = tempDir('hostile-msg');
    fs.writeFileSync(path.join(dir, 'c.pem'), cert);
    const r = await cliAsync(['provision', '--url', evil.url, '--device-id', 'a1b2c3', '--cert', path.join(dir, 'c.pem'), '--username', LOGIN.username, '--password', LOGIN.password]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr + r.stdout, /[\u001b\u0007\u009b]/, 'no escape reaches the terminal');
    const token = 'secret-token-value\nX-Other: 1';
    const t = await provisionDevice({ baseUrl: evil.url, deviceId: 'a1b2c3', certificatePem: cert, token }).catch((x) => x);
    assert.equal(t.field, 'token');
    assert.doesNotMatch(t.message, /secret-token-value/);
    const c = await cliAsync(['provision', '--url', evil.url, '--device-id', 'a1b2c3', '--cert', path.join(dir, 'c.pem')], { env: { TEMPUS_TOKEN: token } });
    assert.equal(c.code, 2, c.stderr);
    assert.doesNotMatch(c.stderr, /secret-token-value/);
  } finally {
    evil.close();
  }
});

test('item 4: plain http only to this machine: a *.localhost name is like any other, localhost only when it resolves to loopback', async () => {
  const sent = [];
  const fetch = async (url) => { sent.push(url); return new Response('{}', { status: 401 }); };
  const args = { deviceId: 'a1b2c3', certificatePem: cert, ...LOGIN, fetch };
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://tempus.localhost:8080' }), (e) => e.code === 'insecure_http');
  const elsewhere = async () => [{ address: '198.18.0.1', family: 4 }];
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://localhost:8080', lookup: elsewhere }), (e) => e.code === 'insecure_http' && /198\.18\.0\.1/.test(e.message));
  const mixed = async () => [{ address: '127.0.0.1', family: 4 }, { address: '198.18.0.1', family: 4 }];
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://localhost:8080', lookup: mixed }), (e) => e.code === 'insecure_http');
  assert.deepEqual(sent, [], 'nothing was sent');
  // Loopback: the request goes to the address checked.
  const loop = async () => [{ address: '127.0.0.1', family: 4 }];
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://localhost:8080', lookup: loop }), (e) => e.code === 'bad_login');
  assert.deepEqual(sent, ['http://127.0.0.1:8080/api/auth/login']);
  // With the opt-in a name is used as given.
  await assert.rejects(provisionDevice({ ...args, baseUrl: 'http://tempus.localhost:8080', allowInsecureHttp: true }), (e) => e.code === 'bad_login');
});

// ---- items 1, 9, 10: the fleet's CSVs, names, and provision --manifest ----------------------
import { execFileSync } from 'node:child_process';
import { startTempus } from './tempus-server.mjs';

/** Every cell of a CSV, as Python's csv module (what a spreadsheet import is closest to) reads it. */
const csvCells = (file) => JSON.parse(execFileSync('python3', ['-c',
  'import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))))', file], { encoding: 'utf8' }));

test('items 1 and 9: bulk refuses formula and fleet-file names, guards type and label cells, warns of look-alike names, never prints an escape', async () => {
  const dir = tempDir('hostile-bulk');
  const out = path.join(dir, 'fleet');
  const names = path.join(dir, 'names.csv');
  const rows = [
    ['name', 'type', 'label'],
    ["=cmd|' /C calc'!A0", 'sensor', ''], ['+SUM(1+1)', '', ''], ['@SUM(1)', '', ''], ['-2+3', '', ''], ['\t=tab', '', ''],
    ['manifest.csv', '', ''], ['THINGSBOARD-DEVICES.csv', '', ''], ['\u001b[2Jevil', '', ''],
    ['good-1', '=HYPERLINK("http://x")', '+label'], ['café', '', '@me'], ['cafe\u0301', '', ''], ['d\u0435vice-1', '', ''],
  ];
  fs.writeFileSync(names, rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n'));
  const r = await cliAsync(['bulk', '--out', out, '--names', names, '--key-type', 'ec-p256']);
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /\u001b/, 'no escape reaches the terminal');
  for (const file of ['manifest.csv', 'thingsboard-devices.csv']) {
    assert.ok(fs.statSync(path.join(out, file)).isFile(), `${file} is written, as a file`);
    for (const row of csvCells(path.join(out, file))) {
      for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${file}: a cell starts a formula: ${JSON.stringify(cell)}`);
    }
  }
  const manifest = csvCells(path.join(out, 'manifest.csv'));
  const byName = Object.fromEntries(manifest.slice(1).map((m) => [m[0].replace(/^'/, ''), m]));
  for (const name of ["=cmd|' /C calc'!A0", '+SUM(1+1)', '@SUM(1)', '-2+3', '=tab']) {
    assert.equal(byName[name]?.[8], 'failed', name);
    assert.match(byName[name][9], /formula/, name);
  }
  for (const name of ['manifest.csv', 'THINGSBOARD-DEVICES.csv']) assert.match(byName[name][9], /lists the fleet/, name);
  assert.equal(byName['good-1'][8], 'ok');
  assert.equal(byName['good-1'][1], '\'=HYPERLINK("http://x")');
  assert.equal(byName['good-1'][2], "'+label");
  assert.equal(byName['café'][8], 'ok');
  assert.match(byName['cafe\u0301'][9], /NFKC/);
  assert.match(byName['d\u0435vice-1'][9], /mixes writing systems \(Latin, Cyrillic\)/);
  assert.match(r.stdout, /dеvice-1: warning: the name mixes writing systems/);
});

test('item 10: provision --manifest sends nothing for a row outside the fleet folder or whose certificate is another device\'s', async () => {
  const fleet = await startTempus();
  try {
    const dir = tempDir('hostile-manifest');
    const out = path.join(dir, 'fleet');
    fs.writeFileSync(path.join(dir, 'names.txt'), 'row-1\nrow-2\nrow-3\n');
    assert.equal((await cliAsync(['bulk', '--out', out, '--names', path.join(dir, 'names.txt'), '--key-type', 'ec-p256'])).code, 0);
    // Elsewhere: a certificate outside the fleet folder; row-2's row points there, row-3's holds row-1's certificate.
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.copyFileSync(path.join(out, 'row-2', 'mqttclient.pub.pem'), path.join(elsewhere, 'mqttclient.pub.pem'));
    fs.copyFileSync(path.join(out, 'row-1', 'mqttclient.pub.pem'), path.join(out, 'row-3', 'mqttclient.pub.pem'));
    const file = path.join(out, 'manifest.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/,row-2,/, ',../elsewhere,'));
    const r = await cliAsync(['provision', '--manifest', file, '--url', fleet.baseUrl, '--username', 'tenant@tempus.local', '--create'], { env: { TEMPUS_PASSWORD: 'tenant' } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /row-2: FAILED: its folder "..\/elsewhere" is outside/);
    assert.match(r.stdout, /row-3: FAILED: the certificate in "row-3" is for row-1, not for row-3/);
    assert.match(r.stdout, /row-1: provisioned \(created\)/);
    assert.match(r.stdout, /1 provisioned, 0 already set, 2 failed, of 3 devices/);
    assert.equal(fleet.byName('row-2'), undefined, 'nothing was sent for row-2');
    assert.equal(fleet.byName('row-3'), undefined, 'nothing was sent for row-3');
  } finally {
    await fleet.close();
  }
});

// ---- items 2, 6, 7, 13 through the CLI ----------------------------------------------------
import { ok } from './js/tools.mjs';

test('items 2, 6, 7 and 13 through the CLI: the CA\'s name respelled, wildcards, the CA\'s password and 3DES, the public default password', async () => {
  const dir = tempDir('hostile-cli-ca');
  const pw = path.join(dir, 'pw');
  fs.writeFileSync(pw, 'ca-secret-1\n');
  fs.writeFileSync(path.join(dir, 'short'), 'seven77\n');
  const short = await cliAsync(['ca', '--out', path.join(dir, 'short-ca'), '--key-password-file', path.join(dir, 'short'), '--key-type', 'ec-p256']);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /--key-password-file: .*at least 8 characters/);
  const legacy = await cliAsync(['ca', '--out', path.join(dir, 'legacy-ca'), '--key-password-file', pw, '--legacy-p12', '--key-type', 'ec-p256']);
  assert.equal(legacy.code, 2);
  assert.match(legacy.stderr, /--legacy-p12: .*3DES/);
  assert.ok(!fs.existsSync(path.join(dir, 'short-ca')) && !fs.existsSync(path.join(dir, 'legacy-ca')), 'nothing written');
  assert.equal((await cliAsync(['ca', '--out', path.join(dir, 'ca'), '--key-password-file', pw, '--key-type', 'ec-p256'])).code, 0);
  const text = ok('openssl', ['pkcs12', '-in', path.join(dir, 'ca', 'deviceca.p12'), '-info', '-noout', '-passin', 'pass:ca-secret-1']);
  assert.match(text, /MAC: sha256, Iteration 10000/);
  assert.doesNotMatch(text, /Iteration (?!10000\b)\d+/, 'every part at 10,000 rounds');

  const ca = ['--ca-cert', path.join(dir, 'ca', 'deviceca.pub.pem'), '--ca-key', path.join(dir, 'ca', 'deviceca.key.pem'), '--ca-password-file', pw];
  ok('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'),
    '-subj', '/C=US/ST=GA/L=Roswell/O=Tempus/OU=Tempus/CN=Tempus  Device CA', '-out', path.join(dir, 'respelled.csr')]);
  const respelled = await cliAsync(['sign', path.join(dir, 'respelled.csr'), ...ca, '--out', path.join(dir, 'r')]);
  assert.equal(respelled.code, 2);
  assert.match(respelled.stderr, /the CA's own subject/);
  assert.ok(!fs.existsSync(path.join(dir, 'r')));

  ok('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'),
    '-subj', '/CN=broker.example.com', '-addext', 'subjectAltName=DNS:alt.example.com,IP:10.1.2.3', '-out', path.join(dir, 'broker.csr')]);
  for (const bad of ['*', '*.com', 'a*b.example', 'x.*.example']) {
    const r = await cliAsync(['sign', path.join(dir, 'broker.csr'), ...ca, '--role', 'server', '--san', bad, '--out', path.join(dir, 'w')]);
    assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /--san: /);
    const s = await cliAsync(['server', '--out', path.join(dir, 'w'), '--san', bad, '--key-type', 'ec-p256']);
    assert.equal(s.code, 2, bad);
  }
  const signed = await cliAsync(['sign', path.join(dir, 'broker.csr'), ...ca, '--role', 'server', '--san', '*.example.com', '--out', path.join(dir, 'signed')]);
  assert.equal(signed.code, 0, signed.stderr);
  assert.match(signed.stdout, /names: +DNS:broker\.example\.com, DNS:alt\.example\.com, IP:10\.1\.2\.3, DNS:\*\.example\.com/);

  // The recipe's public default password: said in one line, with how to give one.
  const dflt = await cliAsync(['client', '--out', path.join(dir, 'dflt'), '--cn', 'd-1', '--key-type', 'ec-p256']);
  assert.equal(dflt.code, 0);
  assert.equal(dflt.stdout.split('\n').filter((l) => /public default/.test(l)).length, 1);
  assert.match(dflt.stdout, /--store-password-file F and --key-password-file F \(or CLIENT_KEYSTORE_PASSWORD and CLIENT_KEY_PASSWORD\)/);
  const own = await cliAsync(['client', '--out', path.join(dir, 'own'), '--cn', 'd-2', '--key-type', 'ec-p256', '--store-password-file', pw, '--key-password-file', pw]);
  assert.doesNotMatch(own.stdout, /public default/);
  fs.writeFileSync(path.join(dir, 'one.txt'), 'bulk-1\n');
  const bulk = await cliAsync(['bulk', '--out', path.join(dir, 'fleet'), '--names', path.join(dir, 'one.txt'), '--key-type', 'ec-p256']);
  assert.match(bulk.stdout, /public default/);
});
