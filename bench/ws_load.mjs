// The realtime bench's load generator (bench/realtime.py starts it): many WebSockets to /api/v1/ws,
// not in Python, so the client's cost is not the server's language's.
//
//   node bench/ws_load.mjs plan.json
//
// plan.json: {"urls": ["ws://127.0.0.1:8000/api/v1/ws"], "tokens": ["…", …], "in_flight": 100,
//             "out": "result.json"}
// Socket i connects to urls[i % urls.length] with tokens[i]; at most `in_flight` handshakes are open at
// once (a socket counts until the server's {"type": "ready"}: it is subscribed). Lines on stdout:
//   {"connected": n, "failed": f, "seconds": s, "errors": {...}}   once every socket opened or failed
// then a line {"received": n} (event messages so far) for each "count" line on stdin, and on "stop"
// (or SIGTERM/SIGINT, or the end of stdin) `out` is written and the process exits:
//   {"connected", "failed", "closed_early", "errors", "connect_seconds",
//    "socket": [i, …], "event": [id, …], "at": [ms, …]}        one entry per event message received
// `at` is performance.timeOrigin + performance.now(): the wall clock in ms, as Python's time.time() * 1000.
// Per message the client reads only the event id (the hub's JSON starts {"id": <id>, …): nothing parsed.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(new URL("../web/package.json", import.meta.url));
const WebSocket = require("ws"); // web/package.json's devDependency

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { urls, tokens } = plan;
const inFlight = plan.in_flight ?? 100;
const origin = performance.timeOrigin;

const socketOf = [];
const eventOf = [];
const atOf = [];
const errors = {};
const sockets = new Array(tokens.length);
let next = 0;
let pending = 0;
let connected = 0;
let failed = 0;
let closedEarly = 0; // closed by the server after it was ready
let stopping = false;
let connectSeconds = null;
const started = performance.now();

const PREFIX = Buffer.from('{"id": ');

function fail(key) {
  errors[key] = (errors[key] ?? 0) + 1;
}

function onMessage(i, data) {
  const at = origin + performance.now();
  // {"id": 123, ...}: an event; {"type": "ready", ...}: the subscription is in place
  if (data.length > PREFIX.length && data.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) === 0) {
    let id = 0;
    for (let k = PREFIX.length; k < data.length; k++) {
      const c = data[k];
      if (c < 48 || c > 57) break;
      id = id * 10 + (c - 48);
    }
    socketOf.push(i);
    eventOf.push(id);
    atOf.push(at);
  } else if (data.includes('"ready"')) {
    return true;
  } else {
    fail("unexpected message");
  }
  return false;
}

function open(i) {
  pending++;
  let ready = false;
  let settled = false;
  const settle = (ok, why) => {
    if (settled) return;
    settled = true;
    pending--;
    if (ok) connected++;
    else {
      failed++;
      fail(why);
    }
    pump();
  };
  const ws = new WebSocket(`${urls[i % urls.length]}?token=${encodeURIComponent(tokens[i])}`, {
    perMessageDeflate: false,
    handshakeTimeout: 120_000,
  });
  sockets[i] = ws;
  ws.on("message", (data) => {
    if (!ready && onMessage(i, data)) {
      ready = true;
      settle(true);
    } else if (ready) onMessage(i, data);
  });
  ws.on("error", (e) => {
    if (!settled) settle(false, `error: ${e.code ?? e.message}`);
    else if (!stopping) fail(`error after ready: ${e.code ?? e.message}`);
  });
  ws.on("close", (code) => {
    if (!settled) settle(false, `closed before ready: ${code}`);
    else if (!stopping) {
      closedEarly++;
      fail(`closed: ${code}`);
    }
  });
}

function pump() {
  while (pending < inFlight && next < tokens.length) open(next++);
  if (pending === 0 && next === tokens.length && connectSeconds === null) {
    connectSeconds = (performance.now() - started) / 1000;
    process.stdout.write(JSON.stringify({ connected, failed, seconds: connectSeconds, errors }) + "\n");
  }
}

function stop() {
  if (stopping) return;
  stopping = true;
  writeFileSync(plan.out, JSON.stringify({
    connected, failed, closed_early: closedEarly, errors, connect_seconds: connectSeconds,
    socket: socketOf, event: eventOf, at: atOf,
  }));
  for (const ws of sockets) if (ws) ws.terminate();
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
  let nl;
  while ((nl = input.indexOf("\n")) >= 0) {
    const command = input.slice(0, nl).trim();
    input = input.slice(nl + 1);
    if (command === "count") process.stdout.write(JSON.stringify({ received: atOf.length }) + "\n");
    else if (command === "stop") stop();
  }
});
process.stdin.on("end", stop); // the driver went away
pump();
