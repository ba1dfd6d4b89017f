// provisionDevice (JS API) and `tempus-certgen provision` against a local server that holds to
// Tempus' REST contract strictly (tests/tempus-server.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateCredentials, provisionDevice } from 'tempus-certgen';
import { startTempus, platformCredentialsId } from './tempus-server.mjs';
import { cli, cliAsync, tempDir } from './js/tools.mjs';

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
