// conform.config.*: validation errors name file, line (JSON) and key; flags override the file;
// launch.servers are awaited until ready and stopped; `conform init` finds main and preload.
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { findApp, preloadsNamedIn } from '../../config/init.ts';
import { mergeRunConfig, type RunFlags } from '../../config/merge.ts';
import { UsageError } from '../../cli/errors.ts';
import { startServers } from '../../runner/servers.ts';

const dir = mkdtempSync(join(tmpdir(), 'conform-config-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = fileURLToPath(new URL('../fixtures/apps/', import.meta.url));

function folderWith(name: string, text: string): string {
  const d = mkdtempSync(join(dir, 'c-'));
  writeFileSync(join(d, name), text);
  return d;
}

const errorOf = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as Error);

describe('loadConfig', () => {
  it('resolves paths against the file and keeps shipped pack names', async () => {
    const d = folderWith('conform.config.json', JSON.stringify({ app: 'app', pack: 'cosmosh', out: 'rep', launch: { servers: [{ command: 'x' }] } }));
    const loaded = (await loadConfig({ cwd: d }))!;
    expect(loaded.file).toBe(join(d, 'conform.config.json'));
    expect(loaded.config).toMatchObject({ app: join(d, 'app'), pack: 'cosmosh', out: join(d, 'rep'), launch: { servers: [{ command: 'x', cwd: d }] } });
  });

  it('names file, line and key of an unknown key in JSON', async () => {
    const d = folderWith('conform.config.json', '{\n  "app": "a",\n  "launch": {\n    "servers": [{ "comand": "x" }]\n  }\n}\n');
    const err = await errorOf(loadConfig({ cwd: d }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(`${join(d, 'conform.config.json')}:4: key "launch.servers[0].comand" is not allowed here; did you mean "command"?`);
  });

  it('names the key of a wrong type in a TypeScript config, and lists the known keys for a stray one', async () => {
    const ts = folderWith('conform.config.ts', "const seed: any = 'one';\nexport default { app: 'a', seed };\n");
    expect((await errorOf(loadConfig({ cwd: ts }))).message).toBe(`${join(ts, 'conform.config.ts')}: key "seed" must be integer`);
    const js = folderWith('conform.config.mjs', "export default { app: 'a', reporter: ['json'] };\n");
    expect((await errorOf(loadConfig({ cwd: js }))).message).toMatch(/conform\.config\.mjs: key "reporter" is not a Conform setting \(known: app, pack, .*reporters.*\); did you mean "reporters"\?$/);
    const none = folderWith('conform.config.js', 'export const app = 1;\n');
    expect((await errorOf(loadConfig({ cwd: none }))).message).toMatch(/has no default export/);
  });

  it('is undefined without a file, and a usage error for a named file that does not exist', async () => {
    expect(await loadConfig({ cwd: mkdtempSync(join(dir, 'empty-')) })).toBeUndefined();
    expect(await errorOf(loadConfig({ cwd: dir, file: 'nope.json' }))).toBeInstanceOf(UsageError);
  });
});

describe('mergeRunConfig', () => {
  const command = (argv: string[]) => {
    const cmd = new Command('run').exitOverride().argument('[pack]').option('--config <file>').option('--app <path>').option('--electron <path>')
      .option('--seed <n>', '', '1').option('--grep <p>').option('--reporter <list>', '', 'list').option('--out <dir>', '', 'conform-report')
      .option('--call-timeout <ms>', '', '3000').option('--stream-timeout <ms>', '', '15000')
      .option('--baseline <file>').option('--update-baseline <file>').option('--waivers <file>').option('--node <path|version>');
    cmd.parse(argv, { from: 'user' });
    return cmd;
  };

  it('takes typed flags over the file and the file over defaults', async () => {
    const d = folderWith('conform.config.json', JSON.stringify({ app: 'main.js', pack: './pack', seed: 7, reporters: ['json', 'md'], failOn: 'warning', launch: { env: { A: '1' }, timeout: 5000 } }));
    const cfg = join(d, 'conform.config.json');
    const cmd = command(['--config', cfg, '--seed', '3']);
    const m = await mergeRunConfig(cmd.args[0], cmd.opts<RunFlags>(), cmd);
    expect(m).toMatchObject({ pack: join(d, 'pack'), failOn: 'warning', launch: { env: { A: '1' }, timeoutMs: 5000, servers: [] }, configFile: cfg });
    expect(m.flags).toMatchObject({ app: join(d, 'main.js'), seed: '3', reporter: 'json,md', out: 'conform-report', callTimeout: '3000' });
    const argPack = command(['other-pack', '--config', cfg, '--app', 'x']);
    expect(await mergeRunConfig(argPack.args[0], argPack.opts<RunFlags>(), argPack)).toMatchObject({ pack: 'other-pack', flags: { app: 'x', seed: '7' } });
  });

  it('takes the gate files (baseline, waivers, updateBaseline) from the file, relative to it; a typed flag wins', async () => {
    const d = folderWith('conform.config.json', JSON.stringify({ app: 'main.js', pack: './pack', baseline: 'ci/baseline.json', waivers: 'ci/waivers.yaml', updateBaseline: 'ci/next.json' }));
    const cfg = join(d, 'conform.config.json');
    const cmd = command(['--config', cfg]);
    expect((await mergeRunConfig(cmd.args[0], cmd.opts<RunFlags>(), cmd)).flags).toMatchObject({
      baseline: join(d, 'ci/baseline.json'), waivers: join(d, 'ci/waivers.yaml'), updateBaseline: join(d, 'ci/next.json'),
    });
    const typed = command(['--config', cfg, '--baseline', 'other.json']);
    expect((await mergeRunConfig(typed.args[0], typed.opts<RunFlags>(), typed)).flags).toMatchObject({ baseline: 'other.json', waivers: join(d, 'ci/waivers.yaml') });
  });

  it('takes node from the file: a version as written, a binary relative to it; a typed --node wins', async () => {
    const withNode = (node: string) => folderWith('conform.config.json', JSON.stringify({ app: 'main.js', pack: './pack', node }));
    const flagsOf = async (argv: string[]) => {
      const cmd = command(argv);
      return (await mergeRunConfig(cmd.args[0], cmd.opts<RunFlags>(), cmd)).flags;
    };
    const v = join(withNode('24.11.1'), 'conform.config.json');
    expect((await flagsOf(['--config', v])).node).toBe('24.11.1');
    const b = withNode('tools/node');
    expect((await flagsOf(['--config', join(b, 'conform.config.json')])).node).toBe(join(b, 'tools/node'));
    expect((await flagsOf(['--config', v, '--node', '22'])).node).toBe('22');
  });

  it('says where to set pack or app when neither flags nor file give them', async () => {
    const d = folderWith('conform.config.json', JSON.stringify({ pack: 'p' }));
    const cmd = command(['--config', join(d, 'conform.config.json')]);
    expect((await errorOf(mergeRunConfig(undefined, cmd.opts<RunFlags>(), cmd))).message).toMatch(/^no app given: pass --app .* or set "app" in .*conform\.config\.json$/);
  });
});

describe('startServers', () => {
  it('waits for the ready line, and stop() ends the server', async () => {
    const script = "const s=require('net').createServer().listen(0,()=>{console.log('ready on '+s.address().port)})";
    const servers = await startServers([{ command: process.execPath, args: ['-e', `${script};require('fs').writeFileSync(process.env.PIDFILE, String(process.pid))`], env: { PIDFILE: join(dir, 'server.pid') }, ready: { output: 'ready on \\d+' }, timeout: 60_000 }]);
    const pid = Number((await import('node:fs')).readFileSync(join(dir, 'server.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).not.toThrow();
    await servers.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('quotes the output of a server that exits before it is ready, and of one that never gets ready', async () => {
    const died = await errorOf(startServers([{ name: 'stub', command: `${process.execPath} -e "console.error('port taken'); process.exit(3)"`, ready: { port: 1 } }]));
    expect(died.message).toBe('launch.servers "stub" exited (3) before it was ready; its last output: port taken');
    const slow = await errorOf(startServers([{ name: 'slow', command: process.execPath, args: ['-e', "console.log('starting'); setInterval(() => {}, 1000)"], ready: { output: 'never' }, timeout: 500 }]));
    expect(slow.message).toMatch(/^launch\.servers "slow" was not ready within 500 ms .*its last output: starting$/);
  });
});

describe('conform init: finding main and preload', () => {
  it('reads main from package.json and the preload from its BrowserWindow', () => {
    const app = findApp(join(FIXTURES, 'basic'));
    expect(app).toMatchObject({ name: 'standin-basic-fixture', main: join(FIXTURES, 'basic', 'main.cjs'), preload: join(FIXTURES, 'basic', 'preload.cjs') });
  });

  it('understands the usual ways to name a preload', () => {
    expect(preloadsNamedIn("preload: path.join(__dirname, '..', 'preload', 'index.js')", '/a/b')).toEqual(['/a/preload/index.js']);
    expect(preloadsNamedIn("webPreferences: { preload: fileURLToPath(new URL('./preload.mjs', import.meta.url)) }", '/a')).toEqual(['/a/preload.mjs']);
  });

  it('says what to do when main is not built yet', () => {
    const d = mkdtempSync(join(dir, 'app-'));
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name: 'x', main: 'dist-electron/main.js' }));
    expect(() => findApp(d)).toThrow(/"main" is dist-electron\/main\.js, and dist-electron\/main\.js does not exist: build the app first/);
    mkdirSync(join(d, 'dist-electron'));
    writeFileSync(join(d, 'dist-electron', 'main.js'), '// no preload named');
    expect(() => findApp(d)).toThrow(/no preload found: .* pass --preload <file>/);
  });
});
