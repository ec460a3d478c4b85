'use strict';
// Input checks for every IPC handler: the renderer is untrusted, so main checks the shape of
// what arrives before touching disk or spawning anything. The shapes are seed 003's types
// (closed objects: unknown fields are rejected). Failures throw one Error naming the field.

class InvalidInput extends Error {}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

const rules = {
  string: (v) => typeof v === 'string' || 'must be a string',
  nonEmpty: (v) => (typeof v === 'string' && v.length > 0) || 'must be a non-empty string',
  boolean: (v) => typeof v === 'boolean' || 'must be a boolean',
  count: (v) => (Number.isInteger(v) && v >= 0) || 'must be an integer >= 0',
  duration: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0) || 'must be a number >= 0',
  port: (v) => (Number.isInteger(v) && v >= 1 && v <= 65535) || 'must be a port number (1-65535)',
  strings: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string')) || 'must be an array of strings',
  ids: (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0)) || 'must be an array of non-empty strings',
  env: (v) => (isObject(v) && Object.values(v).every((s) => typeof s === 'string')) || 'must be an object of string values',
  object: (v) => isObject(v) || 'must be an object',
  any: () => true,
};

/** Checks `value` against `shape` ({ field: [rule, required?] | nested shape }); closed. */
function check(what, value, shape, at = '') {
  if (!isObject(value)) throw new InvalidInput(`Invalid ${what}: ${at || 'value'} must be an object`);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) throw new InvalidInput(`Invalid ${what}: unknown field ${at}${key}`);
  }
  for (const [key, spec] of Object.entries(shape)) {
    const v = value[key];
    if (!Array.isArray(spec)) {
      if (v !== undefined) check(what, v, spec, `${at}${key}.`);
      continue;
    }
    const [rule, required] = spec;
    if (v === undefined) {
      if (required) throw new InvalidInput(`Invalid ${what}: ${at}${key} is required`);
      continue;
    }
    const ok = rules[rule](v);
    if (ok !== true) throw new InvalidInput(`Invalid ${what}: ${at}${key} ${ok}`);
  }
}

const SCRIPT_FIELDS = {
  name: ['nonEmpty', true],
  command: ['nonEmpty', true],
  args: ['strings'],
  cwd: ['string'],
  env: ['env'],
  interpreter: ['string'],
  autoStart: ['boolean'],
  autoRestart: ['boolean'],
  restartPolicy: ['any'], // the document names it without a type; values it does not know mean "never"
  backoffMs: ['duration'],
  maxRetries: ['count'],
  healthCheck: { port: ['port'], url: ['string'], command: ['string'] },
  profiles: ['strings'],
  log: ['object'], // "persist/rotate": open shape
};

const SETTINGS_FIELDS = {
  theme: ['string'],
  notificationsNativeEnabled: ['boolean'],
  notificationsToastEnabled: ['boolean'],
  startMinimized: ['boolean'],
  updateChannel: ['string'],
  logsPath: ['string'],
  crashReportingEnabled: ['boolean'],
};

const PROFILE_FIELDS = {
  id: ['nonEmpty', true],
  name: ['string', true],
  scriptIds: ['ids', true],
  autoStartOnLogin: ['boolean'],
};

function id(what, v) {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidInput(`Invalid ${what}: must be a non-empty string`);
  return v;
}

function scriptInput(v) {
  check('script input', v, SCRIPT_FIELDS);
  return v;
}

function scriptDefinition(v) {
  check('script', v, { id: ['nonEmpty', true], ...SCRIPT_FIELDS });
  return v;
}

function profile(v) {
  check('profile', v, PROFILE_FIELDS);
  return v;
}

function settingsPatch(v) {
  check('settings patch', v, SETTINGS_FIELDS);
  return v;
}

function persistedData(v, what = 'data') {
  if (!isObject(v)) throw new InvalidInput(`Invalid ${what}: must be an object`);
  for (const key of Object.keys(v)) {
    if (!['schemaVersion', 'scripts', 'profiles', 'settings'].includes(key)) throw new InvalidInput(`Invalid ${what}: unknown field ${key}`);
  }
  if (v.schemaVersion !== 1) throw new InvalidInput(`Invalid ${what}: schemaVersion must be 1 (got ${JSON.stringify(v.schemaVersion)})`);
  if (!Array.isArray(v.scripts)) throw new InvalidInput(`Invalid ${what}: scripts must be an array`);
  if (!Array.isArray(v.profiles)) throw new InvalidInput(`Invalid ${what}: profiles must be an array`);
  v.scripts.forEach((s, i) => check(`${what}`, s, { id: ['nonEmpty', true], ...SCRIPT_FIELDS }, `scripts.${i}.`));
  v.profiles.forEach((p, i) => check(`${what}`, p, PROFILE_FIELDS, `profiles.${i}.`));
  if (v.settings === undefined) throw new InvalidInput(`Invalid ${what}: settings is required`);
  check(what, v.settings, SETTINGS_FIELDS, 'settings.');
  return v;
}

function importRequest(v) {
  if (!isObject(v)) throw new InvalidInput('Invalid import request: must be an object { data, mode }');
  for (const key of Object.keys(v)) {
    if (key !== 'data' && key !== 'mode') throw new InvalidInput(`Invalid import request: unknown field ${key}`);
  }
  if (v.mode !== 'merge' && v.mode !== 'replace') throw new InvalidInput(`Invalid import request: mode must be "merge" or "replace"`);
  persistedData(v.data, 'import data');
  return v;
}

module.exports = { InvalidInput, id, scriptInput, scriptDefinition, profile, settingsPatch, persistedData, importRequest };
