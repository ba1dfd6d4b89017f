// Does this page's own Content-Security-Policy let it connect to a URL? Read from the page's
// <meta http-equiv="Content-Security-Policy"> (connect-src, else default-src), so "Send to
// Tempus" can say why a send is blocked, and how to allow that server, before anything is
// tried (a blocked fetch only says "Failed to fetch", like a server without CORS).

/** The connect-src sources of a policy text; null when the policy does not restrict connections. */
export function connectSources(policy) {
  const directives = new Map();
  for (const part of String(policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  return directives.get('connect-src') ?? directives.get('default-src') ?? null;
}

const DEFAULT_PORTS = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

function matches(source, url, self) {
  const s = source.toLowerCase();
  if (s === "'none'") return false;
  if (s === "'self'") return url.origin === self.origin;
  if (s === '*') return /^(https?|wss?):$/.test(url.protocol);
  if (/^[a-z][a-z0-9+.-]*:$/.test(s)) return url.protocol === s || (s === 'http:' && url.protocol === 'https:');
  const m = s.match(/^(?:([a-z][a-z0-9+.-]*):\/\/)?(\*|(?:\*\.)?[^/:]+)(?::(\*|\d+))?(\/.*)?$/);
  if (!m) return false;
  const [, scheme, host, port, path] = m;
  if (scheme) {
    const ok = url.protocol === `${scheme}:` || (scheme === 'http' && url.protocol === 'https:') || (scheme === 'ws' && url.protocol === 'wss:');
    if (!ok) return false;
  } else if (!(url.protocol === self.protocol || (self.protocol === 'http:' && url.protocol === 'https:'))) {
    return false;
  }
  const h = url.hostname.toLowerCase();
  if (host.startsWith('*.') ? !h.endsWith(host.slice(1)) : host !== '*' && host !== h) return false;
  const want = port ?? DEFAULT_PORTS[scheme ? `${scheme}:` : url.protocol];
  if (want !== '*' && (url.port || DEFAULT_PORTS[url.protocol]) !== want) return false;
  if (path && !path.endsWith('/')) return url.pathname === path;
  return !path || url.pathname.startsWith(path);
}

/** { allowed, sources } for connecting from `self` (a URL or Location) to `target`. */
export function connectAllowed(policy, target, self) {
  const sources = connectSources(policy);
  if (sources === null) return { allowed: true, sources: [] };
  const url = new URL(target);
  return { allowed: sources.some((s) => matches(s, url, new URL(self))), sources };
}

/** This document's policy text (its CSP meta tags; a header policy is not visible to scripts). */
export function pagePolicy(doc = document) {
  return [...doc.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')].map((m) => m.content).join(';');
}
