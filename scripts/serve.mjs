// `npm start`: serves dist/ on http://127.0.0.1:8080 (PORT and HOST override), no dependencies.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
};

const HASHED = /\.[0-9a-f]{8}\.(js|wasm)$/;
const answer = (res, status, text) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);

/**
 * The file a request path names inside `dir`: `dir` itself or below it (the separator checked,
 * so a sibling folder whose name starts the same is outside); `null` outside, `undefined` for a
 * path that does not decode (a malformed escape).
 */
export function fileFor(dir, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = path.resolve(dir);
  const file = path.resolve(base, `.${path.sep}${decoded}`);
  return file === base || file.startsWith(base + path.sep) ? file : null;
}

/** `cors`: let pages of any origin fetch the files (a CDN serving the embed script does). */
export function serve(dir = root, { listenPort = port, listenHost = host, cors = false } = {}) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = new URL(req.url, 'http://x').pathname;
    } catch {
      answer(res, 400, 'bad request');
      return;
    }
    let file = fileFor(dir, pathname);
    if (file === undefined) {
      answer(res, 400, 'bad request: the path does not decode');
      return;
    }
    if (file === null) {
      answer(res, 404, 'not found');
      return;
    }
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {
      // missing: answered below
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        answer(res, 404, 'not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
        'content-length': body.length,
        // A content-hashed name (webpack's [contenthash:8]) never changes its bytes: the second
        // worker and the next visit take it from the cache. Anything else is fetched fresh.
        'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-store',
        'x-content-type-options': 'nosniff',
        ...(cors ? { 'access-control-allow-origin': '*' } : {}),
      });
      res.end(body);
    });
  });
  // A request that fails in a way not handled above ends that request, never the server.
  server.on('clientError', (err, socket) => socket.destroy());
  return new Promise((resolve) => server.listen(listenPort, listenHost, () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve();
  const { address, port: p } = server.address();
  console.log(`tempus-certgen is served on http://${address}:${p}/ (Ctrl-C stops it)`);
}
