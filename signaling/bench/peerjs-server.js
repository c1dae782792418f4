#!/usr/bin/env node
// PeerJS server (npm `peer` 1.0.2, as pinned in package-lock.json) with its defaults except the port and a
// concurrent_limit large enough for the benchmark. WebSocket endpoint: ws://127.0.0.1:<port>/peerjs?key=peerjs&id=..&token=..
'use strict';
const { PeerServer } = require('peer');
const port = Number(process.argv[2] || 9000);
PeerServer({ port, host: '127.0.0.1', path: '/', key: 'peerjs', concurrent_limit: 100000 }, () => {
  console.log(`peerjs listening on ${port}`);
});
