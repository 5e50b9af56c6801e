// The browser code a page's first load fetches, from the release split build in target/site/pkg: the
// main files every page needs plus the page's chunks listed in __wasm_split_manifest.json, each file
// compressed on its own as the server sends it. Prints every page; fails when a first page a user
// loads (signed out: /login; signed in: /campaigns) grows past its budget, issue 14's 350 KB gzipped.
// A change that must raise a budget says why in BENCHMARKS.md.
//
//   node end2end/page-weights.mjs [site/pkg directory]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The first pages a user loads: their path and gzip budget in bytes. */
const BUDGETS = { login: ['/login', 350_000], campaigns: ['/campaigns', 350_000] };

const pkg = process.argv[2] ?? fileURLToPath(new URL('../target/site/pkg', import.meta.url));
const manifest = JSON.parse(readFileSync(join(pkg, '__wasm_split_manifest.json'), 'utf8'));

/** gzip -9 (the measure) and brotli (what Chromium gets from the precompressed copies). */
function compressed(file) {
  const bytes = readFileSync(join(pkg, file));
  const brCopy = join(pkg, `${file}.br`);
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    br: existsSync(brCopy)
      ? readFileSync(brCopy).length
      : brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function total(files) {
  return files.map(compressed).reduce((a, b) => ({ gzip: a.gzip + b.gzip, br: a.br + b.br }), { gzip: 0, br: 0 });
}

const splitLoader = readdirSync(pkg).find((f) => f.startsWith('__wasm_split') && f.endsWith('.js'));
const base = total(['hookline.wasm', 'hookline.js', splitLoader]);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
console.log(`shared by every page: ${kb(base.gzip)} gzip, ${kb(base.br)} brotli (hookline.wasm ${kb(compressed('hookline.wasm').gzip)} gzip)`);

const over = [];
const pages = Object.entries(manifest)
  .map(([key, files]) => {
    const page = key.replace(/^_+/, '').replace(/_route_view_\d+$/, '');
    const own = total([...new Set(files)].map((f) => `${f}.wasm`));
    return { page, files: new Set(files).size, gzip: base.gzip + own.gzip, br: base.br + own.br };
  })
  .sort((a, b) => a.gzip - b.gzip);
for (const p of pages) {
  const [path, budget] = BUDGETS[p.page] ?? [];
  const mark = budget ? `  budget ${kb(budget)}${p.gzip > budget ? ': OVER' : ''}` : '';
  console.log(`${p.page.padEnd(20)} ${String(p.files).padStart(4)} files  first load ${kb(p.gzip).padStart(9)} gzip ${kb(p.br).padStart(9)} brotli${mark}`);
  if (budget && p.gzip > budget) over.push(`${path} ${kb(p.gzip)} (budget ${kb(budget)})`);
}
if (over.length) {
  console.error(`First pages over their gzip budget: ${over.join(', ')}. Make them lighter, or raise the budget and say why in BENCHMARKS.md.`);
  process.exit(1);
}
