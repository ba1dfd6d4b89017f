// connect (issue 21): does the device get in? A real MQTT login over TLS, stage by stage (files,
// network, TLS, MQTT, publish), each failure named with what to do. Node only: a browser cannot
// open a TLS socket. mqtt-packet encodes and parses MQTT; node:tls lets us see the TLS alerts.
import net from 'node:net';
import tls from 'node:tls';
import dns from 'node:dns/promises';
import mqtt from 'mqtt-packet';
import { checkFiles, leafPemOf, cn } from './connect-files.js';
import { certificateRequestOf, requestLine } from './connect-probe.js';

export const TELEMETRY_TOPIC = 'v1/devices/me/telemetry';
const CONNACK_3 = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];
const CONNACK_5 = { 0: 'success', 128: 'unspecified error', 129: 'malformed packet', 130: 'protocol error', 131: 'implementation specific error', 132: 'unsupported protocol version', 133: 'client identifier not valid', 134: 'bad user name or password', 135: 'not authorized', 136: 'server unavailable', 137: 'server busy', 138: 'banned', 140: 'bad authentication method', 149: 'packet too large', 151: 'quota exceeded', 159: 'connection rate exceeded' };
const PROVIDER_URL = '/api/device-connectivity/mqtts/certificate/download';

/** mqtts://HOST[:PORT] -> { host, port }; an Error with field 'url' otherwise. */
export function parseBrokerUrl(url) {
  const bad = (why) => Object.assign(new Error(`${why}: give mqtts://HOST[:PORT], e.g. mqtts://tempus.example.com:8883`), { field: 'url' });
  let u;
  try {
    u = new URL(url);
  } catch {
    throw bad(`"${url}" is not a URL`);
  }
  if (u.protocol !== 'mqtts:' && u.protocol !== 'ssl:') throw bad(`"${u.protocol}" is not MQTT over TLS`);
  if (!u.hostname) throw bad('no host');
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 8883 };
}

/** Resolve with what `on` events say first, or reject after ms. */
function race(ms, what, setup) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`no ${what} within ${ms / 1000} s`), { code: 'TIMEOUT' })), ms);
    setup((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

const alertOf = (e) => /^ERR_SSL_.*ALERT_([A-Z_]+)$/.exec(e?.code ?? '')?.[1]?.toLowerCase() ?? null;
const cnOf = (dn) => dn?.CN ?? '(no CN)';

/** Does the port answer a plain (not TLS) MQTT CONNECT with a CONNACK? */
async function answersPlainMqtt(host, port, ms) {
  const s = net.connect({ host, port });
  try {
    return await race(ms, 'answer', (ok) => {
      s.once('connect', () => s.write(mqtt.generate({ cmd: 'connect', protocolVersion: 4, clientId: 'tempus-certgen-probe', clean: true, keepalive: 10 })));
      s.once('data', (d) => ok(d[0] === 0x20));
      s.once('error', () => ok(false));
      s.once('close', () => ok(false));
    });
  } catch {
    return false;
  } finally {
    s.destroy();
  }
}

/** `checkPlatform` (tempus.js): with `rest`, whether the device named by the CN holds this certificate. */
/** The platform's side (connect --rest): a stage that says what the device's credentials hold. */
async function platformStage(checkPlatform, leafPem, rest, add) {
  let p;
  try {
    p = await checkPlatform(leafPem, rest);
  } catch (e) {
    return add('platform', false, `the platform could not be asked: ${e.message}`, 'check --rest and the login (a token, or --username with a password)');
  }
  const fix = {
    this: null,
    'other-id': `a different certificate was pasted there: set this one (tempus-certgen provision --url ${p.root} --device-id ${p.deviceId} --cert P.pub.pem)`,
    'other-type': `set the device's credentials to X.509 with this .pub.pem (tempus-certgen provision --url ${p.root} --device-id ${p.deviceId} --cert P.pub.pem)`,
    missing: 'create the device (its name is the CN) and set its credentials: tempus-certgen provision --manifest ... --create, or the Web UI',
  }[p.state];
  return add('platform', p.state === 'this', `device ${p.name}: ${p.reason}`, fix);
}

/** 2. DNS and TCP: `{ address, tcp }`, or null once the failure is said. */
async function networkStage({ host, port, ms, add }) {
  let address = host;
  if (!net.isIP(host)) {
    try {
      address = (await dns.lookup(host)).address;
      add('network', true, `DNS: ${host} is ${address}`);
    } catch (e) {
      add('network', false, `DNS: ${host} not found (${e.code})`, 'check the host name in --url, and this machine\'s DNS');
      return null;
    }
  }
  const tcp = net.connect({ host: address, port });
  try {
    await race(ms, 'TCP connection', (ok, fail) => { tcp.once('connect', ok); tcp.once('error', fail); });
    add('network', true, `TCP: connected to ${address} port ${port}`);
    return { address, tcp };
  } catch (e) {
    tcp.destroy();
    const why = {
      ECONNREFUSED: [`TCP: ${address} port ${port} refused the connection (nothing listens there)`, 'is the broker running, and is this its TLS port? MQTT over TLS is usually 8883'],
      TIMEOUT: [`TCP: no answer from ${address} port ${port} within ${ms / 1000} s`, 'a firewall drops the packets, or the address is wrong; try --timeout 30 on a slow link'],
      EHOSTUNREACH: [`TCP: ${address} is unreachable`, 'check the address and the route to it'],
      ENETUNREACH: [`TCP: no route to the network of ${address}`, 'check this machine\'s network'],
    }[e.code] ?? [`TCP: ${e.message}`, 'check the address and port'];
    add('network', false, ...why);
    return null;
  }
}

/**
 * What a refused client certificate is said with, by the TLS stage or, when the server refuses
 * only after CONNECT, by the MQTT stage: did the server ask for a certificate, and from which CAs?
 * (A second handshake, by openssl, after ours has ended: nothing races the device's own connection.)
 */
function refusal({ add, ms, id, files }, address, port, servername) {
  const askedFor = async () => {
    const line = requestLine(await certificateRequestOf({ address, port, servername, ms: Math.min(ms, 5000) }), files.certs);
    if (line) add('tls', ...line);
  };
  const rejected = async (e) => {
    const alert = alertOf(e);
    await askedFor();
    add('tls', false, `the server refused the client certificate (TLS alert ${alert ?? e.code})`,
      `On Tempus and ThingsBoard before 3.5: no device holds credentials id ${id}; paste the .pub.pem into Devices -> device -> Device Credentials -> X.509 Certificate, or run tempus-certgen provision. `
      + 'On a broker with a CA file (mosquitto): that CA did not sign this certificate. Behind a load balancer that ends TLS, the certificate never reaches the platform: pass TLS through.');
  };
  return { askedFor, rejected };
}

/** 3. The TLS handshake and the server's certificate: the socket, or null once the failure is said. */
async function tlsStage(run, { address, tcp }, refused) {
  const { opts, host, port, ms, add, files } = run;
  const socket = tls.connect({
    socket: tcp, servername: run.servername, rejectUnauthorized: false, ca: opts.ca || undefined,
    cert: [opts.certificate, opts.chain].filter(Boolean).join('\n'), key: files.key.export({ type: 'pkcs8', format: 'pem' }),
  });
  socket.on('error', () => {});
  try {
    await race(ms, 'TLS handshake', (ok, fail) => { socket.once('secureConnect', ok); socket.once('error', fail); socket.once('close', () => fail(Object.assign(new Error('closed'), { code: 'ECONNRESET' }))); });
  } catch (e) {
    socket.destroy();
    if (alertOf(e)) await refused.rejected(e);
    else if (await answersPlainMqtt(address, port, ms)) {
      add('tls', false, `port ${port} answers plain MQTT, not TLS`, 'use the broker\'s TLS port (usually 8883; 1883 is plain MQTT)');
    } else {
      add('tls', false, `TLS handshake failed: ${e.code === 'TIMEOUT' ? e.message : `${e.code ?? ''} ${e.message}`.trim()}`, 'is this an MQTT over TLS port? openssl s_client -connect HOST:PORT shows what answers');
    }
    return null;
  }
  const peer = socket.getPeerCertificate(true);
  const names = peer.subjectaltname ? peer.subjectaltname.replaceAll('IP Address:', 'IP:') : `CN=${cnOf(peer.subject)}`;
  if (opts.insecure) {
    add('tls', true, `server certificate NOT checked (--insecure): ${cnOf(peer.subject)}, issued by ${cnOf(peer.issuer)}`, 'a device checks it: give --ca with the server\'s CA');
  } else if (!socket.authorized && String(socket.authorizationError) !== 'ERR_TLS_CERT_ALTNAME_INVALID') {
    socket.destroy();
    add('tls', false, `the server certificate (${cnOf(peer.subject)}, issued by ${cnOf(peer.issuer)}) is not trusted: ${socket.authorizationError}`,
      `${opts.caName ? `${opts.caName} does not hold` : 'the system CAs do not hold'} the CA that signed it: give --ca with the server's .pub.pem (self-signed) or its CA; ThingsBoard 3.6+ serves it at GET ${PROVIDER_URL}`);
    return null;
  } else {
    const bad = tls.checkServerIdentity(run.servername ?? host, peer);
    if (bad) {
      socket.destroy();
      add('tls', false, `the server certificate's names do not include ${run.servername ?? host}: it has ${names}`,
        'connect by one of those names (or give --servername NAME), or remake the server certificate with --san for this host');
      return null;
    }
    add('tls', true, `server certificate: ${cnOf(peer.subject)}, trusted${opts.caName ? ` by ${opts.caName}` : ''}, names ${names}, valid until ${new Date(peer.valid_to).toISOString().slice(0, 10)}`);
  }
  add('tls', true, `${socket.getProtocol()} ${socket.getCipher().name}; sent ${run.chained ? `the certificate and its chain (${files.certs.length})` : 'the certificate (no chain)'}`);
  return socket;
}

/** The next packet of kind `want` on the socket (or the close or timeout that comes instead). */
function packets(socket, mqttVersion, ms) {
  const parser = mqtt.parser({ protocolVersion: mqttVersion });
  socket.on('data', (d) => parser.parse(d));
  return (want) => race(ms, want.toUpperCase(), (ok, fail) => {
    const onPacket = (p) => { if (p.cmd === want) { parser.off('packet', onPacket); ok(p); } };
    parser.on('packet', onPacket);
    socket.once('error', fail);
    socket.once('close', () => fail(Object.assign(new Error('closed'), { code: 'CLOSED' })));
  });
}

/** 4. CONNECT and its CONNACK: whether the login was taken (said either way). */
async function mqttStage({ opts, ms, add, id, files, chained, mqttVersion }, socket, next, refused) {
  const clientId = opts.clientId ?? cn(files.certs[0].subject);
  socket.write(mqtt.generate({ cmd: 'connect', protocolVersion: mqttVersion, clientId, clean: true, keepalive: 30 }));
  let connack;
  try {
    connack = await next('connack');
  } catch (e) {
    socket.destroy();
    if (alertOf(e)) {
      await refused.rejected(e);
      return false;
    }
    // Some servers end the connection without an alert when they refuse the certificate.
    await refused.askedFor();
    return add('mqtt', false, e.code === 'TIMEOUT' ? `no CONNACK within ${ms / 1000} s` : 'the server closed the connection after CONNECT, without a CONNACK',
      'the server took TLS but not the MQTT login: is this an MQTT port? its log names the reason');
  }
  const code = mqttVersion === 5 ? connack.reasonCode ?? 0 : connack.returnCode;
  const name = (mqttVersion === 5 ? CONNACK_5[code] : CONNACK_3[code]) ?? 'unknown';
  if (code !== 0) {
    socket.destroy();
    const fix = code === 5 || code === 135
      ? `ThingsBoard 3.5+: no device holds credentials id ${id}, or the certificate is outside its validity (set the .pub.pem in Device Credentials, or tempus-certgen provision)`
        + (chained ? '; for "X509 Certificates Chain" provisioning the device must send its chain up to the CA uploaded to the profile, the CN must match the profile\'s regex, and "create new devices" must be on' : '')
      : 'the server\'s log names the reason';
    return add('mqtt', false, `CONNACK ${code}: ${name}`, fix);
  }
  return add('mqtt', true, `CONNACK 0: ${name} (MQTT ${mqttVersion === 5 ? '5' : '3.1.1'}, client id ${clientId})`);
}

/** 5. A QoS 1 PUBLISH of telemetry and its PUBACK: whether it was taken (said either way). */
async function publishStage({ opts, ms, add }, socket, next) {
  socket.write(mqtt.generate({ cmd: 'publish', topic: TELEMETRY_TOPIC, payload: opts.publish, qos: 1, messageId: 1, retain: false, dup: false }));
  try {
    await next('puback');
    return add('publish', true, `PUBLISH to ${TELEMETRY_TOPIC}: PUBACK`);
  } catch (e) {
    socket.destroy();
    return add('publish', false, e.code === 'TIMEOUT' ? `no PUBACK within ${ms / 1000} s` : `the server closed the connection instead of a PUBACK: not allowed to publish to ${TELEMETRY_TOPIC}`,
      'the device may log in but not publish there: check the broker\'s ACL or the device profile\'s topic filters');
  }
}

export function makeCheckConnection(credentialsIdOf, checkPlatform) {
  /** See index.d.ts: { ok, credentialsId, stages: [{ stage, ok, detail, fix }] }. */
  return async function checkConnection(opts) {
    const { host, port } = parseBrokerUrl(opts.url);
    const result = { ok: false, credentialsId: null, stages: [] };
    const add = (stage, ok, detail, fix = null) => {
      const s = { stage, ok, detail, fix };
      result.stages.push(s);
      opts.onStage?.(s);
      return ok;
    };
    // 1. Files (offline), and with --rest what the platform holds
    const leafPem = leafPemOf(opts.certificate);
    result.credentialsId = leafPem ? await credentialsIdOf(leafPem).catch(() => null) : null;
    const files = checkFiles({ ...opts, credentialsId: result.credentialsId });
    for (const s of files.stages) add(s.stage, s.ok, s.detail, s.fix);
    if (files.stages.some((s) => !s.ok)) return result;
    if (opts.rest) await platformStage(checkPlatform, leafPem, opts.rest, add);
    const run = {
      opts, host, port, add, files, id: result.credentialsId, chained: files.certs.length > 1,
      ms: (opts.timeout ?? 10) * 1000,
      mqttVersion: opts.mqtt === '5' || opts.mqtt === 5 ? 5 : 4,
      servername: opts.servername ?? (net.isIP(host) ? undefined : host),
    };
    const connected = await networkStage(run);
    if (!connected) return result;
    const refused = refusal(run, connected.address, port, run.servername);
    const socket = await tlsStage(run, connected, refused);
    if (!socket) return result;
    const next = packets(socket, run.mqttVersion, run.ms);
    if (!(await mqttStage(run, socket, next, refused))) return result;
    const wantsPublish = opts.publish !== undefined && opts.publish !== null;
    if (wantsPublish && !(await publishStage(run, socket, next))) return result;
    socket.end(mqtt.generate({ cmd: 'disconnect', protocolVersion: run.mqttVersion }));
    result.ok = result.stages.every((s) => s.ok);
    return result;
  };
}
