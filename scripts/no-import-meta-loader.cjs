// webpack loader for the wasm-bindgen glue in the builds that hand the module its wasm (the
// single-file page, the embed script, their worker): `import.meta.url` is only the default wasm
// location, never used there, and webpack would otherwise write the build machine's path in its
// place (file:///home/<user>/...) into every copy of the page.
module.exports = function noImportMeta(source) {
  return source.replaceAll('import.meta.url', 'self.location.href');
};
