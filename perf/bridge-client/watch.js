#!/usr/bin/env node
// Prints a user's live task events (and, with --notifications, notifications) as JSON lines:
// the event-bus bridge from outside a browser. sockjs-client under Node sends no Origin header;
// the bearer token in the SockJS URL is the only credential, as README "The event-bus bridge" says.
//
//   npm ci && node watch.js --url http://127.0.0.1:8080 --token "$TOKEN"
//   node watch.js --url http://127.0.0.1:8080 --user alice    (embedded default: a dev token)
//
// CommonJS on purpose: the bridge client is a CommonJS module that requires sockjs-client.
'use strict';

const EventBus = require('@vertx/eventbus-bridge-client.js');

const USAGE = `usage: watch.js --url BASE (--token JWT | --user NAME) [--notifications]
                [--count N] [--timeout SECONDS] [--transport websocket|xhr-streaming|xhr-polling]
  --count N       exit 0 after N messages (default: run until interrupted)
  --timeout S     exit 3 if --count messages have not arrived within S seconds
  --transport T   force one SockJS transport (default: SockJS picks, WebSocket first)
environment: TASKBUS_URL, TASKBUS_TOKEN stand in for --url and --token`;

function options(argv) {
  const o = {
    url: process.env.TASKBUS_URL,
    token: process.env.TASKBUS_TOKEN,
    user: null,
    notifications: false,
    count: 0,
    timeout: 0,
    transport: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${name} needs a value`);
      return argv[++i];
    };
    if (name === '--url') o.url = value();
    else if (name === '--token') o.token = value();
    else if (name === '--user') o.user = value();
    else if (name === '--notifications') o.notifications = true;
    else if (name === '--count') o.count = Number(value());
    else if (name === '--timeout') o.timeout = Number(value());
    else if (name === '--transport') o.transport = value();
    else if (name === '--help' || name === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else fail(`unknown option ${name}`);
  }
  if (!o.url) fail('--url is required');
  if (!o.token && !o.user) fail('--token or --user is required');
  return o;
}

function fail(message, code = 2) {
  process.stderr.write(`watch.js: ${message}\n${code === 2 ? USAGE + '\n' : ''}`);
  process.exit(code);
}

async function api(base, path, init = {}) {
  const response = await fetch(new URL(path, base), init);
  const body = await response.text();
  if (!response.ok) fail(`${init.method || 'GET'} ${path}: ${response.status} ${body}`, 1);
  return body ? JSON.parse(body) : null;
}

/** The bridge addresses are named by the user id: the token's `sub` (the server checks the token). */
function subject(token) {
  const part = token.split('.')[1];
  if (!part) fail('the token is not a JWT', 1);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')).sub;
}

async function main() {
  const o = options(process.argv.slice(2));
  const token =
    o.token ||
    (
      await api(o.url, '/api/v1/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: o.user }),
      })
    ).token;
  const id = subject(token);
  const endpoint = new URL('/eventbus?token=' + encodeURIComponent(token), o.url).toString();
  const sockjs = o.transport ? { transports: [o.transport] } : {};
  const bus = new EventBus(endpoint, { ...sockjs, vertxbus_ping_interval: 20000 });
  bus.enableReconnect(true);

  let received = 0;
  if (o.timeout > 0) {
    setTimeout(() => fail(`${received} of ${o.count} messages within ${o.timeout} s`, 3), o.timeout * 1000).unref();
  }
  const print = (address) => (error, message) => {
    if (error) {
      process.stderr.write(`watch.js: ${address}: ${JSON.stringify(error)}\n`);
      return;
    }
    process.stdout.write(JSON.stringify({ address, body: message.body }) + '\n');
    if (o.count > 0 && ++received >= o.count) {
      bus.close();
      process.exit(0);
    }
  };
  let ready = false;
  bus.onopen = () => {
    ready = false;
    const tasks = `user.${id}.tasks`;
    bus.registerHandler(tasks, {}, print(tasks));
    if (o.notifications) {
      const notifications = `user.${id}.notifications`;
      bus.registerHandler(notifications, {}, print(notifications));
    }
    // The bridge acknowledges no registration, but it answers frames in order and refuses an
    // address of nobody's: once that refusal is back, the registrations before it are in place.
    bus.send(`user.not-${process.pid}-${Date.now()}.tasks`, {});
  };
  bus.onerror = (error) => {
    if (!ready && error && error.body === 'rejected') {
      ready = true;
      // on stderr, so a script can wait for it before it changes anything
      process.stderr.write(`watch.js: listening on user.${id} (${bus.sockJSConn.transport})\n`);
      return;
    }
    process.stderr.write(`watch.js: ${JSON.stringify(error)}\n`);
  };
}

main().catch((error) => fail(error.stack || String(error), 1));
