// A raw team member in Node: the y-websocket protocol with `yjs` and `y-protocols` from the
// pinned team server's packages, writing straight into the team's document (what a hostile
// or broken peer holding the join link can do).
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

module.exports = { rawPeer, Y };
