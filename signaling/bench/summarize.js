#!/usr/bin/env node
// Summarizes a run.sh results file: per target, the median over rounds of delivered/s, p50/p99, server and driver
// CPU, and server CPU-microseconds per delivered message; then each Presence target's ratios to its PeerJS
// counterpart measured in the same run: presence-signal against peerjs-candidate (the like-for-like pair), the
// other Presence targets against peerjs (OFFER) — or whichever PeerJS target the run has.
// Usage: node summarize.js results/relay-<timestamp>.jsonl
'use strict';
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const by = {};
for (const r of rows) (by[r.target] ||= []).push(r);
const reference = (t) => {
  if (t.startsWith('peerjs')) return null;
  const preferred = t === 'presence-signal' ? 'peerjs-candidate' : 'peerjs';
  return by[preferred] ? preferred : Object.keys(by).find((k) => k.startsWith('peerjs')) || null;
};
const cpuPerMsg = (r) => r.serverCpuPercent * 1e4 / r.deliveredPerSecond;
const sum = {};
for (const [t, rs] of Object.entries(by)) {
  const ref = reference(t);
  const refRound = (r) => by[ref].find((x) => x.round === r.round);
  sum[t] = {
    rounds: rs.length, mode: rs[0].mode, pairs: rs[0].pairs, procs: rs[0].procs,
    deliveredPerSecond: med(rs.map((r) => r.deliveredPerSecond)),
    p50ms: med(rs.map((r) => r.p50ms)), p99ms: med(rs.map((r) => r.p99ms)),
    lost: rs.reduce((a, r) => a + r.lost, 0), duplicated: rs.reduce((a, r) => a + r.duplicated, 0),
    errors: rs.reduce((a, r) => a + (r.errors || 0), 0),
    serverCpuPercent: med(rs.map((r) => r.serverCpuPercent)), serverSysPercent: med(rs.map((r) => r.serverSysPercent)),
    serverCpuUsPerMsg: +med(rs.map(cpuPerMsg)).toFixed(1),
    driverCpuPercent: med(rs.map((r) => r.driverCpuPercent)),
    driverCpuUsPerMsg: +med(rs.map((r) => r.driverCpuPercent * 1e4 / r.deliveredPerSecond)).toFixed(1),
    perRoundDelivered: rs.map((r) => r.deliveredPerSecond), perRoundP99: rs.map((r) => r.p99ms),
    loadavg: rs.map((r) => r.loadavg1),
  };
  if (ref) {
    const s = sum[t];
    s.vs = ref;
    s.perRoundRatio = rs.map((r) => +(r.deliveredPerSecond / refRound(r).deliveredPerSecond).toFixed(2));
    s.perRoundP99Ratio = rs.map((r) => +(r.p99ms / refRound(r).p99ms).toFixed(2));
    s.perRoundCpuPerMsgRatio = rs.map((r) => +(cpuPerMsg(r) / cpuPerMsg(refRound(r))).toFixed(2));
  }
}
for (const [t, s] of Object.entries(sum)) {
  const r = s.vs && sum[s.vs];
  if (r) {
    s.ratioDelivered = +(s.deliveredPerSecond / r.deliveredPerSecond).toFixed(2);
    s.ratioP99 = +(s.p99ms / r.p99ms).toFixed(2);
    s.ratioCpuPerMsg = +(s.serverCpuUsPerMsg / r.serverCpuUsPerMsg).toFixed(2);
  }
  console.log(t.padEnd(20), JSON.stringify(s));
}
