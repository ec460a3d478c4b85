'use strict';
// Entry of the mock main process (an Electron main script). Plain CommonJS so it starts the same
// way under real Electron and under the stand-in; it loads tsx's ESM API with a dynamic import
// (`require('tsx/esm/api')` breaks under ESM loader hooks) and hands `electron` to the TypeScript
// host, which never imports 'electron' itself.
const electron = require('electron');

const arg = process.argv.find((a) => a.startsWith('--conform-mock-config='));
if (!arg) {
  console.error('conform mock: missing --conform-mock-config=<file> (start the mock with `conform mock <pack>`)');
  electron.app.exit(2);
} else {
  import('tsx/esm/api')
    .then(({ tsImport }) => tsImport('./electron-host.ts', __filename))
    .then((host) => host.startElectronMock(electron, arg.slice('--conform-mock-config='.length)))
    .catch((err) => {
      console.error(`conform mock: ${err && err.message ? err.message : String(err)}`);
      electron.app.exit(2);
    });
}
