// Three builds from www/ and js/:
//  - "page":   dist/index.html, what `npm start` serves. The wasm-bindgen glue (--target web)
//              fetches its .wasm and the worker through `new URL(..., import.meta.url)`, which
//              webpack emits as assets.
//  - "worker": build/worker.js and build/worker-lean.js, the workers of the full and the lean
//              module as classic scripts (no wasm inside: the page hands it the compiled module),
//              for the embed build.
//  - "single": dist/tempus-certgen.html, one file with JS and wasm inlined, whose workers run its
//              own script from a blob (www/single.js); it works from file:// with networking
//              disabled, and its CSP forbids every connection.
//  - "embed":  dist/tempus-certgen-embed.js, the drop-in script for the Web UI (js/embed.js).
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import HtmlInlineScriptPlugin from 'html-inline-script-webpack-plugin';
import { zopfliPath } from './scripts/zopfli.mjs';
import { connectSources } from './www/csp.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The served page connects to its own origin only, unless a deployment lists its Tempus servers
// ("Send to Tempus") in TEMPUS_CONNECT_SRC at build time: CSP sources separated by spaces, e.g.
// TEMPUS_CONNECT_SRC="https://tempus.example.com https://tb.example.com".
const CONNECT_SRC = (process.env.TEMPUS_CONNECT_SRC ?? '').trim().split(/\s+/).filter(Boolean);
for (const source of CONNECT_SRC) {
  // Sources only: a ';' or a quote would smuggle other directives into the policy.
  if (!/^(?:[a-z][a-z0-9+.-]*:(?:\/\/[^\s;,'"]+)?|\*|[^\s;,'"]+)$/i.test(source)) {
    throw new Error(`TEMPUS_CONNECT_SRC: "${source}" is not a CSP source such as https://tempus.example.com`);
  }
}
const SERVED_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  `style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src ${["'self'", ...CONNECT_SRC].join(' ')}; object-src 'none'; base-uri 'none'; form-action 'none'`;
const SINGLE_CSP = "default-src 'none'; script-src SCRIPT_HASHES 'wasm-unsafe-eval'; worker-src blob:; " +
  "style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Replaces SCRIPT_HASHES in the CSP with the sha256 of each inline script of the final HTML
 *  (at the last asset stage, after every plugin that inlines or rewrites scripts). */
class CspScriptHashes {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CspScriptHashes', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'CspScriptHashes', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, (assets) => {
        for (const name of Object.keys(assets).filter((n) => n.endsWith('.html'))) {
          const html = assets[name].source().toString();
          if (!html.includes('SCRIPT_HASHES')) continue;
          const hashes = [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)]
            .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1]).digest('base64')}'`);
          compilation.updateAsset(name, new webpack.sources.RawSource(html.replace('SCRIPT_HASHES', () => hashes.join(' '))));
        }
      });
    });
  }
}

/** The glue's `import.meta.url`, where webpack does not resolve it (scripts/no-import-meta-loader.cjs). */
const NO_IMPORT_META = { test: /[\\/]pkg[\\/](?:lean[\\/])?tempus_certgen\.js$/, loader: path.join(here, 'scripts', 'no-import-meta-loader.cjs') };

const common = {
  mode: 'production',
  performance: { hints: false },
  context: here,
};

const page = {
  ...common,
  name: 'page',
  entry: { main: './www/main.js' },
  output: {
    path: path.join(here, 'dist'),
    filename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: { keep: /tempus-certgen(\.html|-embed\.js|-embed[\\/])/ },
  },
  plugins: [
    new webpack.DefinePlugin({ OFFLINE: 'false' }), // www/later.js
    new HtmlWebpackPlugin({ template: './www/index.html', filename: 'index.html', inject: 'body', scriptLoading: 'module', csp: SERVED_CSP,
      // The Send panel says which servers the page may reach, read from the policy as the panel's check reads it.
      connectSrc: connectSources(SERVED_CSP).join(' ') }),
  ],
};

const worker = {
  ...common,
  name: 'worker',
  target: 'webworker',
  entry: { worker: './js/worker.js', 'worker-lean': './js/worker-lean.js' },
  output: { path: path.join(here, 'build'), filename: '[name].js', iife: true },
  // One file a worker ('eager': an import() is bundled in): the embed starts them from their
  // text (a blob), which can load no chunk.
  module: { parser: { javascript: { url: false, dynamicImportMode: 'eager' } }, rules: [NO_IMPORT_META] },
};

/** The module's gzip for inlining, by zopfli (in a child process: it is asynchronous), kept by hash. */
function inlineGzip(bytes) {
  const zopfli = zopfliPath(bytes);
  if (!fs.existsSync(zopfli)) execFileSync(process.execPath, [path.join(here, 'scripts', 'zopfli.mjs'), '-'], { input: bytes, stdio: ['pipe', 'inherit', 'inherit'] });
  return fs.readFileSync(zopfli);
}

const inlineRuntime = {
  module: {
    parser: { javascript: { url: false } },
    rules: [
      // The wasm module gzip-compressed, as Base64: Base64 of the raw module is ~1.35x its size and
      // gzip of the page cannot win that back; of gzip data it can (it stays ~1.0x). zopfli makes
      // that gzip 4-5% smaller than gzip -9 (scripts/zopfli.mjs).
      { resourceQuery: /gzip/, type: 'asset/inline', generator: { dataUrl: (content) => `data:application/gzip;base64,${inlineGzip(content).toString('base64')}` } },
      NO_IMPORT_META,
    ],
  },
  plugins: [new webpack.NormalModuleReplacementPlugin(/[\\/]runtime\.js$/, (r) => { r.request = r.request.replace(/runtime\.js$/, 'runtime-inline.js'); })],
};

const single = {
  ...common,
  name: 'single',
  entry: { single: './www/single.js' },
  output: { path: path.join(here, 'dist'), filename: 'tempus-certgen.single.js', clean: false },
  module: inlineRuntime.module,
  plugins: [
    ...inlineRuntime.plugins,
    // One file: what the served page loads on first use (www/later.js) is inside it too; no
    // Send panel and a CSP that allows no connection, so no REST code either.
    new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
    new webpack.DefinePlugin({ OFFLINE: 'true' }),
    new HtmlWebpackPlugin({ template: './www/index.html', filename: 'tempus-certgen.html', inject: 'body', scriptLoading: 'blocking', csp: SINGLE_CSP, single: true }),
    new HtmlInlineScriptPlugin(),
    new CspScriptHashes(),
  ],
};

// dist/tempus-certgen-embed.js: one classic script for the Tempus / ThingsBoard Web UI, a few KB
// that watch for the Device Credentials dialog; the rest (the panel, the API, the worker inlined,
// the wasm module) is in dist/tempus-certgen-embed/ and is fetched from beside the script
// (publicPath 'auto': document.currentScript) the first time a dialog opens.
const embed = {
  ...common,
  name: 'embed',
  dependencies: ['worker'],
  entry: './js/embed.js',
  output: {
    path: path.join(here, 'dist'),
    filename: 'tempus-certgen-embed.js',
    chunkFilename: 'tempus-certgen-embed/[name].[contenthash:8].js',
    assetModuleFilename: 'tempus-certgen-embed/[name].[contenthash:8][ext]',
    publicPath: 'auto',
    // Its own chunk-loading global, apart from a webpack-built Web UI's.
    uniqueName: 'tempusCertgenEmbed',
    iife: true,
    clean: false,
  },
  module: { rules: [{ resourceQuery: /raw/, type: 'asset/source' }] },
  plugins: [new webpack.NormalModuleReplacementPlugin(/[\\/]runtime\.js$/, (r) => { r.request = r.request.replace(/runtime\.js$/, 'runtime-embed.js'); })],
};

export default [page, worker, single, embed];
export { inlineRuntime };
