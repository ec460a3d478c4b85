// Reporter registry for `conform run --reporter`: name -> file renderer (list is live, see list.ts).
import { renderHtml } from './html.ts';
import { renderCtrf } from './ctrf.ts';
import { JSON_REPORT_FILE, renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderListSummary } from './list.ts';
import { renderMarkdown } from './md.ts';
import type { RunReport } from './model.ts';

export const FILE_REPORTERS: Record<string, { file: string; render: (r: RunReport) => string }> = {
  json: { file: JSON_REPORT_FILE, render: renderJson },
  junit: { file: 'conform-junit.xml', render: renderJunit },
  md: { file: 'conform-report.md', render: renderMarkdown },
  html: { file: 'conform-report.html', render: renderHtml },
  ctrf: { file: 'conform-ctrf.json', render: (r) => renderCtrf(r) },
};
export const REPORTER_NAMES = ['list', ...Object.keys(FILE_REPORTERS)];
export { renderListSummary };
export type { RunReport };
