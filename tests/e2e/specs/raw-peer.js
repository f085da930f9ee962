// A raw team member in Node: the y-websocket protocol with `yjs` and `y-protocols` from the
// pinned team server's packages, writing straight into the team's document (what a hostile
// or broken peer holding the join link can do).
const crypto = require('crypto');
const path = require('path');

const mods = path.join(__dirname, '..', '..', 'team-server', 'node_modules');
const Y = require(path.join(mods, 'yjs'));
const sync = require(path.join(mods, 'y-protocols', 'dist', 'sync.cjs'));
const encoding = require(path.join(mods, 'lib0', 'dist', 'encoding.cjs'));
const decoding = require(path.join(mods, 'lib0', 'dist', 'decoding.cjs'));
const WebSocket = require(path.join(mods, 'ws'));

const SYNC = 0;

/** Connects to `room` on `server`; resolves once the server's state has arrived. */
function rawPeer(server, room) {
  const doc = new Y.Doc();
  const ws = new WebSocket(`${server}/${room}`);
  ws.binaryType = 'arraybuffer';
  const send = (write) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    write(e);
    ws.send(encoding.toUint8Array(e));
  };
  doc.on('update', (update, origin) => {
    if (origin !== 'server' && ws.readyState === WebSocket.OPEN) send((e) => sync.writeUpdate(e, update));
  });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => send((e) => sync.writeSyncStep1(e, doc)));
    ws.on('message', (data) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== SYNC) return;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, SYNC);
      const kind = sync.readSyncMessage(d, e, doc, 'server');
      if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
      if (kind === sync.messageYjsSyncStep2) {
        resolve({
          doc,
          cases: doc.getMap('cases'),
          close: () => new Promise((r) => { ws.once('close', r); ws.close(); }),
        });
      }
    });
  });
}

/** The team key's room and seal, as `src/core/seal.rs` derives them (HKDF-SHA256, AES-256-GCM
 *  with the value's place as additional data): what a member holding the join link can do. */
const SALT = Buffer.from('escalation-desk team v1');
const derive = (key, info, n) => Buffer.from(crypto.hkdfSync('sha256', Buffer.from(key.trim().toLowerCase()), SALT, Buffer.from(info), n));
const room = (key) => `escdesk-${derive(key, 'room', 16).toString('hex')}`;
function sealer(key) {
  const k = derive(key, 'values', 32);
  return {
    /** Bytes: the version (1), the nonce, the ciphertext and its tag (a binary value). */
    seal(place, plain, nonce = crypto.randomBytes(12)) {
      const c = crypto.createCipheriv('aes-256-gcm', k, nonce);
      c.setAAD(Buffer.from(place));
      const body = Buffer.concat([c.update(Buffer.from(plain, 'utf8')), c.final(), c.getAuthTag()]);
      return new Uint8Array(Buffer.concat([Buffer.from([1]), nonce, body]));
    },
    open(place, sealed) {
      if (!(sealed instanceof Uint8Array) || sealed[0] !== 1 || sealed.length < 29) return null;
      try {
        const bytes = Buffer.from(sealed);
        const d = crypto.createDecipheriv('aes-256-gcm', k, bytes.subarray(1, 13));
        d.setAAD(Buffer.from(place));
        d.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([d.update(bytes.subarray(13, bytes.length - 16)), d.final()]).toString('utf8');
      } catch (_) {
        return null;
      }
    },
  };
}

module.exports = { rawPeer, Y, room, sealer };
