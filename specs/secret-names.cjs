'use strict';
// The one list of property names that hold credentials by convention, shared by specs/redact.ts
// (reports, cassettes, logs) and the instrumentation codec that runs inside the app's main process
// (CommonJS, so both can load it). A name is secret when it ends in one of SUFFIXES (after any
// prefix: `dbPassword`, `x-api-key`, `oauth`) or is exactly one of EXACT (too short to match
// inside other words: `pass` would hit `compass`).
const SUFFIXES = [
  'password', 'passwd', 'passphrase', 'password[-_]?hash',
  'token', 'jwt', 'auth', 'authorization', 'credentials?', 'cookie',
  'secret', 'secret[-_]?key', 'secret[-_]?access[-_]?key',
  'api[-_]?key', 'private[-_]?key', 'private[-_]?key[-_]?pem',
  'session[-_]?id', 'connection[-_]?string', 'database[-_]?url', 'db[-_]?url',
];
const EXACT = ['pass', 'pwd', 'dsn'];

const SECRET_NAME_SOURCE = `^(?:.*(?:${SUFFIXES.join('|')})|${EXACT.join('|')})$`;

module.exports = { SECRET_NAME: new RegExp(SECRET_NAME_SOURCE, 'i'), SECRET_NAME_SOURCE, SECRET_NAME_SUFFIXES: SUFFIXES };
