#!/usr/bin/env node
// Writes a brotli (quality 11) and a gzip (level 9) copy beside every text and wasm file of a
// built folder (`<file>.br`, `<file>.gz`), for servers that send precompressed files: nginx's
// gzip_static and brotli_static, Caddy's `file_server { precompressed br gzip }` (README,
// "Deploying"). A copy is written only where it is smaller than the file. Node's zlib holds
// both codecs, so the build needs nothing more than the Node the tests already use.
// Usage: precompress.js <folder>
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const KINDS = /\.(html|js|mjs|css|wasm|json|svg|webmanifest|txt)$/;
const { constants: c } = zlib;

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return KINDS.test(e.name) ? [p] : [];
  });
}

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
  console.error('precompress: give the built folder');
  process.exit(2);
}
let raw = 0;
let br = 0;
let gz = 0;
let written = 0;
for (const file of files(dir)) {
  const data = fs.readFileSync(file);
  const brotli = zlib.brotliCompressSync(data, {
    params: {
      [c.BROTLI_PARAM_QUALITY]: c.BROTLI_MAX_QUALITY,
      [c.BROTLI_PARAM_LGWIN]: c.BROTLI_MAX_WINDOW_BITS,
      [c.BROTLI_PARAM_SIZE_HINT]: data.length,
      [c.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? c.BROTLI_MODE_GENERIC : c.BROTLI_MODE_TEXT,
    },
  });
  const gzip = zlib.gzipSync(data, { level: 9 });
  raw += data.length;
  for (const [suffix, bytes] of [['.br', brotli], ['.gz', gzip]]) {
    if (bytes.length < data.length) {
      fs.writeFileSync(file + suffix, bytes);
      written += 1;
    }
  }
  br += Math.min(brotli.length, data.length);
  gz += Math.min(gzip.length, data.length);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`precompress: ${written} copies; ${kb(raw)} as files, ${kb(gz)} gzip, ${kb(br)} brotli`);
