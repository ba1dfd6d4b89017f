// Send to Tempus (absent from the single-file page, which may not connect anywhere): the shown
// client certificate to one device, or every device of Many devices, over the platform's REST
// API; blocked sends explained (this page's Content-Security-Policy) before anything is sent.
import { $ } from '../dom.js';
import { rest, policy } from '../later.js';
import { state } from '../state.js';

let violation = null; // a connect-src violation seen during a send (the browser's own word)

/** Why the page's CSP keeps it from `baseUrl`, and how to allow that server; null if it may connect. */
async function blockedByPolicy(baseUrl) {
  const { connectAllowed, pagePolicy } = await policy();
  const origin = new URL(baseUrl).origin; // checkBaseUrl has accepted it
  const { allowed, sources } = connectAllowed(pagePolicy(), baseUrl, location.href);
  if (allowed) return null;
  return `Blocked by this page's Content-Security-Policy, which allows connections only to ${sources.join(' ')}; nothing was sent. ` +
    `To send to ${origin} from this page, rebuild it with that server allowed: TEMPUS_CONNECT_SRC="${origin}" npm run build ` +
    '(or serve the page from the Tempus server\'s own origin, or use tempus-certgen provision).';
}

/** The panel's server and login, or null after saying in `status` why it cannot be used. */
async function sendTarget(status) {
  const { checkBaseUrl } = await rest();
  const baseUrl = $('sendUrl').value.trim();
  const allowInsecureHttp = $('sendAllowHttp').checked;
  try {
    checkBaseUrl(baseUrl, { allowInsecureHttp });
  } catch (err) {
    status.textContent = err.message;
    return null;
  }
  const blocked = await blockedByPolicy(baseUrl);
  if (blocked) {
    status.textContent = blocked;
    return null;
  }
  const token = $('sendToken').value.trim();
  return { baseUrl, allowInsecureHttp, ...(token ? { token } : { username: $('sendUser').value.trim(), password: $('sendPassword').value }) };
}

async function sendOne() {
  const status = $('send-status');
  if (!state.current) {
    status.textContent = 'Generate a client certificate first.';
    return;
  }
  const target = await sendTarget(status);
  if (!target) return;
  status.textContent = 'Sending…';
  $('sendButton').disabled = true;
  violation = null;
  try {
    const { provisionDevice } = await rest();
    const r = await provisionDevice({ ...target, deviceId: $('sendDevice').value.trim(), certificatePem: state.current.certificatePem });
    status.textContent = `Sent. The server confirmed credentials id ${r.credentialsId}.`;
  } catch (err) {
    // A policy this page cannot read (an HTTP header's) shows up only as a violation.
    status.textContent = err.code === 'unreachable' && violation
      ? `Blocked by the Content-Security-Policy this page is served with (${violation}); nothing was sent. Allow that server in the policy, e.g. rebuild with TEMPUS_CONNECT_SRC="${new URL(target.baseUrl).origin}" npm run build.`
      : err.message;
  } finally {
    $('sendButton').disabled = false;
  }
}

async function sendMany() {
  const status = $('send-many-status');
  const made = state.manyResults.filter((r) => r.ok);
  if (!made.length) {
    status.textContent = 'Make devices under Many devices first.';
    return;
  }
  const target = await sendTarget(status);
  if (!target) return;
  $('sendManyButton').disabled = true;
  try {
    const { provisionMany } = await rest();
    const summary = await provisionMany(made, {
      ...target, create: $('sendCreate').checked,
      onProgress: ({ done, total }) => { status.textContent = `Sending: ${done} of ${total}…`; },
    });
    const failures = summary.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.error?.message}`);
    status.textContent = `${summary.provisioned} provisioned, ${summary.skipped} already set, ${summary.failed} failed.${failures.length ? ` ${failures.slice(0, 5).join('; ')}` : ''}`;
  } catch (err) {
    status.textContent = err.message;
  } finally {
    $('sendManyButton').disabled = false;
  }
}

export function mount() {
  if (!$('sendButton')) return; // the single-file page
  document.addEventListener('securitypolicyviolation', (e) => {
    if (/^(connect-src|default-src)/.test(e.effectiveDirective || e.violatedDirective)) violation = e.blockedURI;
  });
  $('sendButton').addEventListener('click', sendOne);
  $('sendManyButton')?.addEventListener('click', sendMany);
}
