#!/usr/bin/env node
// Summarizes a run.sh results file: per target, the median over rounds of delivered/s, p50/p99, server CPU, and
// server CPU-microseconds per delivered message; then each target's ratio to peerjs (medians, same run).
// Usage: node summarize.js results/relay-<timestamp>.jsonl
'use strict';
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const by = {};
for (const r of rows) (by[r.target] ||= []).push(r);
const sum = {};
for (const [t, rs] of Object.entries(by)) {
  sum[t] = {
    rounds: rs.length, mode: rs[0].mode, pairs: rs[0].pairs,
    deliveredPerSecond: med(rs.map((r) => r.deliveredPerSecond)),
    p50ms: med(rs.map((r) => r.p50ms)), p99ms: med(rs.map((r) => r.p99ms)),
    lost: rs.reduce((a, r) => a + r.lost, 0), duplicated: rs.reduce((a, r) => a + r.duplicated, 0),
    serverCpuPercent: med(rs.map((r) => r.serverCpuPercent)),
    serverCpuUsPerMsg: +med(rs.map((r) => r.serverCpuPercent * 1e4 / r.deliveredPerSecond)).toFixed(1),
    perRoundDelivered: rs.map((r) => r.deliveredPerSecond), perRoundP99: rs.map((r) => r.p99ms),
    perRoundRatioToPeerjs: by.peerjs ? rs.map((r) => +(r.deliveredPerSecond / by.peerjs[r.round - 1].deliveredPerSecond).toFixed(2)) : undefined,
    loadavg: rs.map((r) => r.loadavg1),
  };
}
for (const [t, s] of Object.entries(sum)) {
  if (t !== 'peerjs' && sum.peerjs) {
    s.ratioDeliveredVsPeerjs = +(s.deliveredPerSecond / sum.peerjs.deliveredPerSecond).toFixed(2);
    s.ratioP99VsPeerjs = +(s.p99ms / sum.peerjs.p99ms).toFixed(2);
    s.ratioCpuPerMsgVsPeerjs = +(s.serverCpuUsPerMsg / sum.peerjs.serverCpuUsPerMsg).toFixed(2);
  }
  console.log(t.padEnd(13), JSON.stringify(s));
}
