// A local stand-in for Tempus' REST API, strict about the contract in
// ../shared/docs/tempus-reference.md section 3:
//  - POST /api/auth/login {username, password} -> {token, refreshToken}, 401 otherwise;
//  - every device call needs `X-Authorization: Bearer` or `Authorization: Bearer` (which one is
//    accepted is configurable, as ThingsBoard and later Tempus differ);
//  - GET /api/device/{id}/credentials -> the record, 404 for an unknown device;
//  - POST /api/device/credentials must carry the record's own id (not the device id, not none),
//    computes credentialsId = SHA3-256 of the PEM without headers and line breaks (overwriting
//    what was sent), and refuses a certificate registered to another device;
//  - GET /api/tenant/devices?deviceName=NAME -> the device, 404 when there is none;
//  - POST /api/device {name, type} -> the device with its new id; a name already taken and a
//    missing type are refused (400).
// `throttle` answers that many requests with 429 (then 503) before serving them, and
// `expireTokens()` ends every login (the next call gets 401), for the retry and renewal rules.
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';

/** What the platform stores: the PEM without its header lines and line breaks. */
const platformTrim = (pem) => pem.replace(/-----BEGIN CERTIFICATE-----|-----END CERTIFICATE-----|\n|\r/g, '');

export function platformCredentialsId(pem) {
  return createHash('sha3-256').update(platformTrim(pem), 'utf8').digest('hex');
}

export async function startTempus({ users = { 'tenant@tempus.local': 'tenant' }, accept = ['X-Authorization', 'Authorization'], cors = true, computeId = platformCredentialsId, host = '127.0.0.1', throttle = 0 } = {}) {
  const tokens = new Set();
  let throttled = 0;
  const devices = new Map(); // deviceId -> credentials record
  const log = [];

  function addDevice(name = 'device', type = 'default') {
    const deviceId = randomUUID();
    devices.set(deviceId, {
      id: { id: randomUUID() },
      createdTime: Date.now(),
      deviceId: { entityType: 'DEVICE', id: deviceId },
      credentialsType: 'ACCESS_TOKEN',
      credentialsId: randomUUID().replace(/-/g, '').slice(0, 20),
      credentialsValue: null,
      name,
      type,
    });
    return deviceId;
  }
  const deviceJson = (deviceId) => {
    const r = devices.get(deviceId);
    return { id: { entityType: 'DEVICE', id: deviceId }, createdTime: r.createdTime, name: r.name, type: r.type, label: null };
  };

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://x');
    log.push({ method: req.method, path: url.pathname, query: url.search, headers: req.headers, body: raw });
    const headers = { 'content-type': 'application/json' };
    if (cors) {
      Object.assign(headers, {
        'access-control-allow-origin': req.headers.origin || '*',
        'access-control-allow-headers': 'Content-Type, X-Authorization, Authorization, Accept',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
      });
    }
    const send = (status, body) => {
      res.writeHead(status, headers);
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const error = (status, message) => send(status, { status, message, errorCode: status === 401 ? 10 : 31, timestamp: Date.now() });
    if (req.method === 'OPTIONS') return send(cors ? 200 : 403);
    if (throttled < throttle && url.pathname !== '/api/auth/login') {
      throttled++;
      res.writeHead(throttled % 2 ? 429 : 503, { ...headers, 'retry-after': '0' });
      return res.end(JSON.stringify({ status: 429, message: 'Too many requests' }));
    }

    if (req.method === 'POST' && url.pathname === '/api/auth/login') {
      let body;
      try { body = JSON.parse(raw); } catch { return error(400, 'Invalid request body'); }
      if (!body || users[body.username] === undefined || users[body.username] !== body.password) return error(401, 'Invalid username or password');
      const token = `jwt-${randomUUID()}`;
      tokens.add(token);
      return send(200, { token, refreshToken: `refresh-${randomUUID()}` });
    }

    const authorized = accept.some((h) => {
      const v = req.headers[h.toLowerCase()];
      return typeof v === 'string' && v.startsWith('Bearer ') && tokens.has(v.slice(7));
    });
    if (!authorized) return error(401, 'Authentication failed');

    if (req.method === 'GET' && url.pathname === '/api/tenant/devices') {
      const name = url.searchParams.get('deviceName');
      const hit = [...devices].find(([, r]) => r.name === name);
      return hit ? send(200, deviceJson(hit[0])) : error(404, `Device with name ${name} was not found`);
    }
    if (req.method === 'POST' && url.pathname === '/api/device') {
      let body;
      try { body = JSON.parse(raw); } catch { return error(400, 'Invalid request body'); }
      if (!body?.name) return error(400, 'Device name should be specified!');
      if (!body.type) return error(400, 'Device type should be specified!');
      if ([...devices.values()].some((r) => r.name === body.name)) return error(400, 'Device with such name already exists!');
      return send(200, deviceJson(addDevice(body.name, body.type)));
    }

    const m = url.pathname.match(/^\/api\/device\/([^/]+)\/credentials$/);
    if (req.method === 'GET' && m) {
      const record = devices.get(decodeURIComponent(m[1]));
      if (!record) return error(404, "Requested item wasn't found!");
      const { name, ...out } = record;
      return send(200, out);
    }

    if (req.method === 'POST' && url.pathname === '/api/device/credentials') {
      let body;
      try { body = JSON.parse(raw); } catch { return error(400, 'Invalid request body'); }
      const deviceId = body?.deviceId?.id;
      const record = devices.get(deviceId);
      if (!record) return error(404, "Requested item wasn't found!");
      if (!body.id?.id) return error(400, 'Incorrect credentialsId: the credentials record id is missing (posting without it would create a second record)');
      if (body.id.id === deviceId) return error(400, 'Incorrect credentials id: that is the device id');
      if (body.id.id !== record.id.id) return error(400, 'Incorrect credentials id');
      if (body.credentialsType === 'ACCESS_TOKEN' && typeof body.credentialsId === 'string' && body.credentialsId.length >= 1 && body.credentialsId.length <= 32) {
        for (const [other, r] of devices) {
          if (other !== deviceId && r.credentialsId === body.credentialsId) return error(400, 'Device credentials are already registered for another device!');
        }
        Object.assign(record, { credentialsType: 'ACCESS_TOKEN', credentialsId: body.credentialsId, credentialsValue: null });
        const { name, ...out } = record;
        return send(200, out);
      }
      if (body.credentialsType !== 'X509_CERTIFICATE' || typeof body.credentialsValue !== 'string') return error(400, 'Incorrect credentials type or value');
      const credentialsId = computeId(body.credentialsValue);
      for (const [other, r] of devices) {
        if (other !== deviceId && r.credentialsId === credentialsId) return error(400, 'Device credentials are already registered for another device!');
      }
      Object.assign(record, {
        credentialsType: 'X509_CERTIFICATE',
        credentialsId,
        credentialsValue: platformTrim(body.credentialsValue),
      });
      const { name, ...out } = record;
      return send(200, out);
    }
    return error(404, 'Not found');
  });
  await new Promise((r) => server.listen(0, host, r));
  const baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${server.address().port}`;
  return {
    baseUrl, port: server.address().port, devices, addDevice, log,
    login: async (u = Object.keys(users)[0]) => { const t = `jwt-${randomUUID()}`; tokens.add(t); return t; },
    expireTokens: () => tokens.clear(),
    byName: (name) => [...devices].find(([, r]) => r.name === name)?.[0],
    close: () => new Promise((r) => server.close(r)),
  };
}
