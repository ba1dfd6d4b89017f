// Inspect: a certificate, a chain or a request, pasted (checked as it is typed), dropped or
// chosen; what it says and what the platform will make of it.
import { inspectCertificate, inspectRequest } from '../../js/browser-calls.js';
import { later, zipping } from '../later.js';
import { inspectionRows, requestRows, chainLinks, printable, BAD_REQUEST } from '../../js/describe.js';
import { $, details, readFile, dropFiles } from '../dom.js';

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

/** A fleet's zip: its device certificates, named as its manifest names them. */
async function zipItems(file) {
  const { parseCsv, csvValue } = await later();
  const { unzip } = await zipping();
  const entries = await unzip(new Uint8Array(await file.arrayBuffer()));
  const manifest = entries.find((e) => e.name === 'manifest.csv');
  const names = new Map();
  if (manifest) {
    const rows = parseCsv(new TextDecoder().decode(manifest.bytes));
    const col = (n) => rows[0]?.indexOf(n) ?? -1;
    for (const r of rows.slice(1)) if (col('folder') >= 0) names.set(csvValue(r[col('folder')]), csvValue(r[col('name')]));
  }
  return entries.filter((e) => e.name.endsWith('.pub.pem')).map((e) => ({
    certificate: new TextDecoder().decode(e.bytes), name: names.get(e.name.split('/')[0]) ?? null, path: `${file.name}/${e.name}`,
  }));
}

/** Several files (or a fleet's zip): the expiry table, soonest first. */
async function expiryOf(files) {
  $('inspect-error').textContent = '';
  $('inspect-result').hidden = true;
  try {
    const items = [];
    for (const file of files) {
      if (/\.zip$/i.test(file.name)) items.push(...await zipItems(file));
      else {
        const { text, bytes } = await readFile(file);
        items.push({ certificate: text ?? bytes, path: file.name });
      }
    }
    const { checkExpiry } = await later();
    const report = await checkExpiry(items);
    $('inspect-expiry-rows').replaceChildren(...report.map((r) => {
      const tr = document.createElement('tr');
      for (const [v, cls] of [[r.status, `status-${r.status}`], [String(r.daysLeft)], [r.notAfter.toISOString().slice(0, 10)], [printable(r.name, 64)], [r.role], [r.serial]]) {
        const td = document.createElement('td');
        td.textContent = v;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }));
    const count = (s) => report.filter((r) => r.status === s).length;
    $('inspect-expiry-summary').textContent = `${report.length} certificates: ${count('expired')} expired, ${count('expiring')} expiring within 30 days, ${count('ok')} ok.`;
    $('inspect-expiry').hidden = false;
  } catch (err) {
    $('inspect-error').textContent = printable(err.message);
  }
}

/** One file is inspected; several, or a zip, make the expiry table. */
function filesGiven(files) {
  if (files.length > 1 || /\.zip$/i.test(files[0].name)) expiryOf(files);
  else {
    $('inspect-expiry').hidden = true;
    inspectFile(files[0]);
  }
}

export function mount() {
  $('inspectButton').addEventListener('click', () => run($('inspectInput').value));
  let timer;
  $('inspectInput').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run($('inspectInput').value), 250);
  });
  $('inspectFile').addEventListener('change', (e) => e.target.files.length && filesGiven([...e.target.files]));
  dropFiles($('inspect-drop'), filesGiven);
}
