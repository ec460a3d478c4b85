// `npm run docs:mock-screenshots`: each reference app's renderer under `conform mock --browser
// --preload` (and --types), as README.md's mock section runs them, saved to
// docs/mock-browser-<app>.png. Fails when a page throws or its main list is empty, so a
// screenshot in the docs is never of a broken page.
import { fileURLToPath } from 'node:url';
import { openReferenceApp, REFERENCE_APPS } from '../test/mocks/reference-apps.ts';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

async function main(): Promise<void> {
  let failed = 0;
  for (const [name, app] of Object.entries(REFERENCE_APPS)) {
    const { mock, errors } = await openReferenceApp(name);
    try {
      const page = mock.page;
      await page.setViewportSize({ width: 1100, height: 720 });
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, app.mainList, { timeout: 30_000 });
      // Startup calls after the first list (audit trail, sessions, status pills) settle too.
      await page.waitForLoadState('networkidle');
      await mock.idle();
      const items = await page.locator(app.mainList).count();
      const file = `${DOCS}mock-browser-${name}.png`;
      await page.screenshot({ path: file });
      console.log(`${name}: ${items} item(s) in ${app.mainList}, ${errors.length} page error(s); ${file}`);
      if (errors.length) {
        failed++;
        for (const e of errors) console.log(`  ${e}`);
      }
    } finally {
      await mock.close();
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
