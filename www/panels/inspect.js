// Inspect: a certificate, a chain or a request, pasted (checked as it is typed), dropped or
// chosen; what it says and what the platform will make of it.
import { inspectCertificate, inspectRequest } from '../../js/browser.js';
import { inspectionRows, requestRows, chainLinks, printable, BAD_REQUEST } from '../../js/describe.js';
import { $, details, readFile, fileInput } from '../dom.js';

/** One line of the warnings list (its code kept for tests and styling). */
function warningItem(code, message) {
  const li = document.createElement('li');
  li.dataset.code = code;
  li.textContent = `Warning: ${message}`;
  return li;
}

function okItem() {
  const li = document.createElement('li');
  li.className = 'ok';
  li.style.background = 'none';
  li.textContent = 'No problems found: the platform will match this certificate.';
  return li;
}

/** The request's rows, to show once it is parsed (in a worker). */
async function describeRequest(input) {
  const r = await inspectRequest(input);
  return () => {
    details($('inspect-details'), requestRows(r));
    $('inspect-warnings').replaceChildren(...(r.signatureValid ? [] : [warningItem('bad_signature', BAD_REQUEST)]));
  };
}

/** The certificate's rows and chain, to show once it is parsed (in a worker). */
async function describeCertificate(input) {
  const i = await inspectCertificate(input);
  return () => showCertificate(i);
}

function showCertificate(i) {
  if (i.chain.length > 1) {
    $('inspect-chain').replaceChildren(...chainLinks(i).map((c) => {
      const li = document.createElement('li');
      li.textContent = `${c.subject}${c.isCa ? ' (CA)' : ''}${c.link ? ` — ${c.link}` : ''}`;
      li.dataset.signedByNext = String(c.signedByNext);
      return li;
    }));
    $('inspect-chain').hidden = false;
  }
  details($('inspect-details'), inspectionRows(i, 'page'));
  $('inspect-warnings').replaceChildren(...(i.warnings.length ? i.warnings.map((w) => warningItem(w.code, w.message)) : [okItem()]));
}

let latest = 0; // the run whose answer is shown: an older one answering late is dropped

async function run(input) {
  const mine = ++latest;
  $('inspect-error').textContent = '';
  $('inspect-result').hidden = true;
  if (typeof input === 'string' && !input.trim()) return;
  $('inspect-chain').hidden = true;
  $('inspect-chain').replaceChildren();
  try {
    const request = typeof input === 'string' && /-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(input);
    const show = request ? await describeRequest(input) : await describeCertificate(input);
    if (mine !== latest) return;
    show();
    $('inspect-result').hidden = false;
  } catch (err) {
    if (mine === latest) $('inspect-error').textContent = printable(err.message);
  }
}

async function inspectFile(file) {
  const { text, bytes } = await readFile(file);
  $('inspectInput').value = text ?? '';
  run(text ?? bytes);
}

export function mount() {
  $('inspectButton').addEventListener('click', () => run($('inspectInput').value));
  let timer;
  $('inspectInput').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run($('inspectInput').value), 250);
  });
  fileInput('inspectFile', 'inspect-drop', inspectFile);
}
