// Which crates the wasm module's code comes from: reads the function bodies (code section) and
// their names (name section) of an unstripped build and sums the bytes per crate.
//   node tests/tools/wasm-sizes.mjs [target/wasm32-unknown-unknown/release/tempus_certgen.wasm]
import fs from 'node:fs';

const file = process.argv[2] || 'target/wasm32-unknown-unknown/release/tempus_certgen.wasm';
const b = fs.readFileSync(file);
let p = 8;
const leb = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
let imports = 0;
const bodies = [];
const names = new Map();
const sections = {};
while (p < b.length) {
  const id = b[p++];
  const size = leb();
  const end = p + size;
  sections[id] = (sections[id] || 0) + size;
  if (id === 2) {
    const n = leb();
    for (let i = 0; i < n; i++) {
      p += leb(); p += leb(); // module, field
      const kind = b[p++];
      if (kind === 0) { leb(); imports++; } else if (kind === 1) { p++; const f = b[p++]; leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = b[p++]; leb(); if (f & 1) leb(); } else if (kind === 3) { p += 2; }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) { const s = leb(); bodies.push(s); p += s; }
  } else if (id === 0) {
    const nameLen = leb();
    const name = b.subarray(p, p + nameLen).toString();
    p += nameLen;
    if (name === 'name') {
      while (p < end) {
        const sub = b[p++];
        const subSize = leb();
        const subEnd = p + subSize;
        if (sub === 1) {
          const n = leb();
          for (let i = 0; i < n; i++) { const idx = leb(); const l = leb(); names.set(idx, b.subarray(p, p + l).toString()); p += l; }
        }
        p = subEnd;
      }
    }
  }
  p = end;
}
const byCrate = new Map();
bodies.forEach((size, i) => {
  const name = names.get(i + imports) || '?';
  byCrate.set(crateOf(name), (byCrate.get(crateOf(name)) || 0) + size);
});
function crateOf(name) {
  if (name.startsWith('_ZN')) {
    // Itanium: _ZN<len><ident>...; an impl's first ident is `_$LT$<crate>..path$u20$as$u20$...`
    const m = name.slice(3).match(/^(\d+)/);
    if (!m) return '?';
    const ident = name.slice(3 + m[1].length, 3 + m[1].length + Number(m[1]));
    const inner = ident.match(/^_?\$LT\$(?:\$RF\$)?(?:mut\$u20\$)?([A-Za-z_][A-Za-z0-9_]*)/);
    return inner ? inner[1] : ident;
  }
  if (name.startsWith('_R')) {
    // v0: the first crate root is Cs<disambiguator>_<len><crate>
    const m = name.match(/C(?:s[0-9A-Za-z]*_)?(\d+)/);
    if (m) return name.substr(m.index + m[0].length, Number(m[1]));
  }
  return name.split(/::|[^A-Za-z0-9_]/)[0] || '?';
}
const total = bodies.reduce((a, c) => a + c, 0);
console.log(`${file}: ${b.length} bytes, code ${total} bytes in ${bodies.length} functions, data ${sections[11] || 0} bytes`);
for (const [crate, size] of [...byCrate].sort((a, c) => c[1] - a[1]).slice(0, Number(process.env.CRATES || 25))) {
  console.log(`${String(size).padStart(8)}  ${(100 * size / total).toFixed(1).padStart(5)}%  ${crate}`);
}
if (process.env.TOP) {
  // TOP=40: the biggest functions, demangled enough to read.
  const rows = bodies.map((size, i) => [size, names.get(i + imports) || '?']).sort((a, c) => c[0] - a[0]).slice(0, Number(process.env.TOP));
  for (const [size, name] of rows) console.log(`${String(size).padStart(8)}  ${name.replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&').replace(/\$C\$/g, ',').replace(/\.\./g, '::').slice(0, 160)}`);
}
