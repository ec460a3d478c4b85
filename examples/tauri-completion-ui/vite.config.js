// `npx vite examples/tauri-completion-ui` then open /dev.html: the renderer runs against the mock
// of tauri-completion + clawdesk, with hot reload (plugin: mocks/vite-plugin.ts).
import { tsImport } from 'tsx/esm/api';

const { conformMock } = await tsImport('../../mocks/vite-plugin.ts', import.meta.url);
export default { plugins: [conformMock({ pack: ['tauri-completion', 'clawdesk'], seed: 1, control: true })] };
