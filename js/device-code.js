// The files a microcontroller (or a script on a small device) needs to log in with its
// credentials (issue 21, part 2): a C header with the CA, the certificate chain and the key as
// string literals and DER arrays, an Arduino-ESP32 sketch, an ESP-IDF main.c, a paho-mqtt script
// and a mosquitto_pub line, all for one broker. Pure text: the CLI and the page both use it.
import { codedError } from './errors.js';

export const KINDS = Object.freeze(['arduino-esp32', 'esp-idf', 'paho-python', 'mosquitto']);
const TELEMETRY = 'v1/devices/me/telemetry';

/** The PEM blocks of `text` with `label`. */
export const pemBlocks = (text, label) => text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n?`, 'g')) ?? [];

const der = (pem) => {
  const b64 = pem.replace(/-----[^-]+-----|\s/g, '');
  return typeof Buffer !== 'undefined' ? new Uint8Array(Buffer.from(b64, 'base64')) : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
};
const cString = (pem) => pem.trimEnd().split('\n').map((l) => `  "${l}\\n"`).join('\n');
const cBytes = (bytes) => {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(`  ${[...bytes.subarray(i, i + 16)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')},`);
  return lines.join('\n');
};

/** mqtts://HOST[:PORT] -> { host, port } (8883 by default). */
export function parseBrokerUrl(url) {
  let u;
  try {
    u = new URL(String(url ?? ''));
  } catch {
    u = null;
  }
  if (!u || u.protocol !== 'mqtts:' || !u.hostname || u.pathname.replace(/^\/$/, '') || u.search || u.username) {
    throw codedError(`"${String(url ?? '').slice(0, 200)}" is not a broker address: give mqtts://HOST or mqtts://HOST:PORT`, 'invalid', { field: 'url' });
  }
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 8883) };
}

function header({ certificates, keyPem, caPem, host, port, clientId }) {
  const parts = [
    '// Credentials of one device for MQTT over TLS, made by tempus-certgen device-code.',
    '// SECRET: TEMPUS_KEY is the device\'s private key, unencrypted. Keep this file on the device',
    '// and out of version control; whoever has it can log in as the device.',
    '#ifndef TEMPUS_CREDENTIALS_H',
    '#define TEMPUS_CREDENTIALS_H',
    '',
    `#define TEMPUS_MQTT_HOST "${host}"`,
    `#define TEMPUS_MQTT_PORT ${port}`,
    `#define TEMPUS_MQTT_CLIENT_ID "${clientId.replace(/["\\]/g, '_')}"`,
    `#define TEMPUS_MQTT_TOPIC "${TELEMETRY}"`,
    '',
  ];
  const pem = (name, text, what) => parts.push(`// ${what}`, `static const char ${name}[] =`, `${cString(text)};`, '');
  const bytes = (name, data, what) => parts.push(`// ${what}, DER`, `static const unsigned char ${name}_DER[] = {`, cBytes(data), '};',
    `static const unsigned int ${name}_DER_LEN = ${data.length};`, '');
  if (caPem) {
    pem('TEMPUS_CA', caPem, 'The broker\'s CA (or its certificate): what the device trusts');
    bytes('TEMPUS_CA', der(caPem), 'The same');
  }
  pem('TEMPUS_CERTIFICATE', certificates.join(''), 'The device\'s certificate, then the CAs above it (what it presents)');
  certificates.forEach((c, i) => bytes(i ? `TEMPUS_CHAIN_${i}` : 'TEMPUS_CERTIFICATE', der(c), i ? `CA ${i} above it` : 'The device\'s certificate'));
  pem('TEMPUS_KEY', keyPem, 'SECRET: the private key, unencrypted PKCS#8 (mbedTLS reads it for RSA and EC)');
  bytes('TEMPUS_KEY', der(keyPem), 'SECRET: the same key');
  parts.push('#endif');
  return `${parts.join('\n')}\n`;
}

const arduino = ({ caPem }) => `// Arduino-ESP32: WiFiClientSecure + PubSubClient, with tempus_credentials.h beside this sketch.
// The TLS checks need the right time: it is set by SNTP before connecting.
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <PubSubClient.h>
#include <time.h>
#include "tempus_credentials.h"

const char *WIFI_SSID = "your-ssid";
const char *WIFI_PASSWORD = "your-wifi-password";

WiFiClientSecure net;
PubSubClient mqtt(net);

void setup() {
  Serial.begin(115200);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) delay(250);
  configTime(0, 0, "pool.ntp.org", "time.nist.gov");
  while (time(nullptr) < 1700000000) delay(250);  // certificates are checked against the clock
${caPem ? '  net.setCACert(TEMPUS_CA);' : '  net.setInsecure();  // no CA given to device-code: the broker is not checked (give --ca)'}
  net.setCertificate(TEMPUS_CERTIFICATE);
  net.setPrivateKey(TEMPUS_KEY);
  mqtt.setServer(TEMPUS_MQTT_HOST, TEMPUS_MQTT_PORT);
}

void loop() {
  if (!mqtt.connected()) {
    if (!mqtt.connect(TEMPUS_MQTT_CLIENT_ID)) {
      // 5: not authorised (no device holds this certificate, or it expired); -2: TLS or network.
      Serial.printf("MQTT connect failed, state %d\\n", mqtt.state());
      delay(5000);
      return;
    }
  }
  mqtt.publish(TEMPUS_MQTT_TOPIC, "{\\"temperature\\":21.5}");
  mqtt.loop();
  delay(10000);
}
`;

const espIdf = ({ caPem }) => `// ESP-IDF 5: esp-mqtt over TLS with tempus_credentials.h (set the clock by SNTP before starting).
#include "mqtt_client.h"
#include "esp_log.h"
#include "tempus_credentials.h"

static void on_event(void *arg, esp_event_base_t base, int32_t id, void *data) {
    esp_mqtt_event_handle_t event = data;
    if (id == MQTT_EVENT_CONNECTED) {
        esp_mqtt_client_publish(event->client, TEMPUS_MQTT_TOPIC, "{\\"temperature\\":21.5}", 0, 1, 0);
    } else if (id == MQTT_EVENT_ERROR) {
        ESP_LOGE("tempus", "MQTT error, connect return code %d", event->error_handle->connect_return_code);
    }
}

void app_main(void) {
    const esp_mqtt_client_config_t config = {
        .broker.address.uri = "mqtts://" TEMPUS_MQTT_HOST,
        .broker.address.port = TEMPUS_MQTT_PORT,
${caPem ? '        .broker.verification.certificate = TEMPUS_CA,' : '        // no CA given to device-code: give --ca to check the broker'}
        .credentials.client_id = TEMPUS_MQTT_CLIENT_ID,
        .credentials.authentication.certificate = TEMPUS_CERTIFICATE,
        .credentials.authentication.key = TEMPUS_KEY,
    };
    esp_mqtt_client_handle_t client = esp_mqtt_client_init(&config);
    esp_mqtt_client_register_event(client, ESP_EVENT_ANY_ID, on_event, NULL);
    esp_mqtt_client_start(client);
}
`;

const paho = ({ host, port, clientId, caPem }) => `#!/usr/bin/env python3
"""Logs in as the device over TLS and publishes one telemetry message (paho-mqtt 2.x).
Run it from this folder: python3 paho_mqtt.py. Exit 0 when the broker took the message."""
import sys
import paho.mqtt.client as mqtt

HOST, PORT, CLIENT_ID = ${JSON.stringify(host)}, ${port}, ${JSON.stringify(clientId)}
done = {"ok": False}

def on_connect(client, userdata, flags, reason_code, properties):
    if reason_code.is_failure:
        print(f"refused: {reason_code}", file=sys.stderr)
        client.disconnect()
        return
    client.publish("${TELEMETRY}", '{"temperature": 21.5}', qos=1)

def on_publish(client, userdata, mid, reason_code, properties):
    done["ok"] = True
    client.disconnect()

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=CLIENT_ID)
client.tls_set(ca_certs=${caPem ? '"ca.pem"' : 'None'}, certfile="client.pem", keyfile="client.key")
client.on_connect = on_connect
client.on_publish = on_publish
client.connect(HOST, PORT, keepalive=30)
client.loop_forever(timeout=10)
print("published" if done["ok"] else "not published")
sys.exit(0 if done["ok"] else 1)
`;

const mosquitto = ({ host, port, clientId, caPem }) => `#!/bin/sh
# Logs in as the device over TLS and publishes one telemetry message; run it from this folder.
cd "$(dirname "$0")" || exit 2
${caPem ? '' : "# No CA given to device-code: the broker is checked against the system's public CAs.\n"}exec mosquitto_pub -h ${JSON.stringify(host)} -p ${port} ${caPem ? '--cafile ca.pem' : '--capath /etc/ssl/certs'} --cert client.pem --key client.key \\
  -i ${JSON.stringify(clientId)} -q 1 -t ${TELEMETRY} -m '{"temperature":21.5}' "$@"
`;

/**
 * The device's files: `[{ name, text, secret, mode }]` under `device/`. `certificatePem`: the
 * device's certificate and the CAs above it; `keyPem`: its unencrypted PKCS#8 key; `caPem`: what
 * it trusts (optional); `kinds`: of KINDS (default all).
 */
export function deviceFiles({ certificatePem, keyPem, caPem = null, url, clientId, kinds = KINDS }) {
  const { host, port } = parseBrokerUrl(url);
  const certificates = pemBlocks(certificatePem ?? '', 'CERTIFICATE');
  if (!certificates.length) throw codedError('no certificate: give the device\'s .pub.pem or .chain.pem', 'invalid', { field: 'certificate' });
  const [key] = pemBlocks(keyPem ?? '', 'PRIVATE KEY');
  if (!key) throw codedError('no unencrypted key (BEGIN PRIVATE KEY): give the device\'s .nopass.pem', 'invalid', { field: 'key' });
  const ca = caPem ? pemBlocks(caPem, 'CERTIFICATE').join('') || null : null;
  for (const k of kinds) if (!KINDS.includes(k)) throw codedError(`"${k}" is not one of ${KINDS.join(', ')}`, 'invalid', { field: 'for' });
  const c = { certificates, keyPem: key, caPem: ca, host, port, clientId: clientId || 'device' };
  const files = [{ name: 'tempus_credentials.h', text: header(c), secret: true }];
  const scripts = kinds.includes('paho-python') || kinds.includes('mosquitto');
  if (scripts) {
    files.push({ name: 'client.pem', text: certificates.join(''), secret: false }, { name: 'client.key', text: key, secret: true });
    if (ca) files.push({ name: 'ca.pem', text: ca, secret: false });
  }
  if (kinds.includes('arduino-esp32')) files.push({ name: 'arduino-esp32/tempus_mqtt.ino', text: arduino(c), secret: false });
  if (kinds.includes('esp-idf')) files.push({ name: 'esp-idf/main.c', text: espIdf(c), secret: false });
  if (kinds.includes('paho-python')) files.push({ name: 'paho_mqtt.py', text: paho(c), secret: false, mode: 0o755 });
  if (kinds.includes('mosquitto')) files.push({ name: 'mosquitto_pub.sh', text: mosquitto(c), secret: false, mode: 0o755 });
  return files;
}

