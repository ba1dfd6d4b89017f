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
