// The Generate form's values as the JS API takes them, read by the panels that act on them
// (generate, sign, many devices); the recipe's defaults filled in per role.
import { recipeDefaults } from '../js/browser-calls.js';
import { $ } from './dom.js';
import { state, emit } from './state.js';

export const form = $('form');
export const ROLE_FIELDS = ['alias', 'prefix', 'storePassword', 'keyPassword'];
const TEXT_FIELDS = ['cn', 'ou', 'o', 'l', 'st', 'c', 'days', 'keySize', ...ROLE_FIELDS];

export const role = () => form.querySelector('input[name=role]:checked').value;
// A request's key is a client's or a server's: it takes the client's defaults (prefix mqttclient).
export const defaultsRole = (r) => (r === 'csr' ? 'client' : r);

/** The CN the page suggests: the broker's host name, a device's name, the CA's own. */
export function defaultCn(r) {
  if (r === 'ca') return recipeDefaults('ca').cn;
  if (r === 'csr') return 'device-1';
  return r === 'server' ? location.hostname || 'localhost' : 'device-1';
}

export function fillDefaults(r, onlyRoleFields = false) {
  const d = recipeDefaults(defaultsRole(r));
  for (const f of onlyRoleFields ? ROLE_FIELDS : TEXT_FIELDS) $(f).value = String(d[f]);
  if (!onlyRoleFields) $('cn').value = defaultCn(r);
  emit('fields');
}

/** The CA of "Sign with a device CA", or null when its certificate field is empty. */
export function issuer() {
  const certificate = $('caCertificate').value;
  if (!certificate.trim()) return null;
  const text = $('caKey').value;
  const privateKey = text.trim() ? text : state.caKeyBytes ?? '';
  const password = $('caPassword').value;
  return { certificate, privateKey, ...(password ? { password } : {}) };
}

/** What generateCredentials takes from the form. */
export function options() {
  const o = { role: role() };
  for (const f of TEXT_FIELDS) o[f] = $(f).value;
  o.days = $('days').value.trim() === '' ? '' : Number($('days').value);
  // The key size is RSA's only: an EC P-256 key has none to choose.
  if ($('keyType').value === 'ec-p256') {
    o.keyType = 'ec-p256';
    delete o.keySize;
  } else {
    o.keySize = Number($('keySize').value);
  }
  if (o.role === 'server' || o.role === 'csr') {
    const san = $('san').value.split(/[\s,]+/).filter(Boolean);
    if (san.length) o.san = san;
  } else if (o.role === 'client') {
    if ($('serverCertificate').value.trim()) o.serverCertificate = $('serverCertificate').value;
    if ($('serverAlias').value.trim()) o.serverAlias = $('serverAlias').value.trim();
  }
  // A CA: nothing client- or server-specific; its store password defaults to the key password.
  if ($('legacyPkcs12').checked) o.legacyPkcs12 = true;
  const ca = issuer();
  if (ca && (o.role === 'server' || o.role === 'client')) o.issuer = ca;
  return o;
}

/** What createRequest takes from the form. */
export function requestOptions() {
  const keep = ['cn', 'ou', 'o', 'l', 'st', 'c', 'keyType', 'keySize', 'san', 'prefix', 'keyPassword'];
  return Object.fromEntries(Object.entries(options()).filter(([k]) => keep.includes(k)));
}

export const keyLabel = (opts) => (opts.keyType === 'ec-p256' ? 'an EC P-256 key' : `an RSA-${opts.keySize} key`);
