// A static server that sends the build's precompressed copies, as nginx's brotli_static and
// gzip_static or Caddy's `precompressed br gzip` do: `<file>.br` when the request accepts br,
// else `<file>.gz` for gzip, else the file, with `Vary: Accept-Encoding`; Last-Modified and
// 304 as static servers do. Every response is
// recorded (name, encoding, bytes sent). Used by specs/compressed.spec.js and the benchmark.
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png' };

async function serve(dir, port) {
  const root = path.resolve(dir);
  const sent = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(root, name);
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    // Revalidation as static servers answer it: Last-Modified, and 304 when unchanged.
    const modified = new Date(Math.floor(fs.statSync(file).mtimeMs / 1000) * 1000);
    const since = Date.parse(req.headers['if-modified-since'] || '');
    if (!Number.isNaN(since) && since >= modified.getTime()) {
      sent.push({ name, encoding: 'not modified', bytes: 0, at: Date.now() });
      res.writeHead(304, { 'Vary': 'Accept-Encoding', 'Last-Modified': modified.toUTCString() });
      res.end();
      return;
    }
    const accepts = String(req.headers['accept-encoding'] || '').split(',').map((s) => s.trim().split(';')[0]);
    const encoding = [['br', '.br'], ['gzip', '.gz']].find(([e, suffix]) => accepts.includes(e) && fs.existsSync(file + suffix));
    const body = fs.readFileSync(encoding ? file + encoding[1] : file);
    sent.push({ name, encoding: encoding ? encoding[0] : 'identity', bytes: body.length, at: Date.now() });
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Vary': 'Accept-Encoding',
      'Cache-Control': 'no-cache',
      'Last-Modified': modified.toUTCString(),
      ...(encoding ? { 'Content-Encoding': encoding[0] } : {}),
    });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, sent, url: `http://127.0.0.1:${port}/` };
}

module.exports = { serve };
