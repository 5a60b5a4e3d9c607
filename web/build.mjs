// Bundles web/src into api/static/ui/ (committed, so `pip install -e .` + `alur serve` needs no node).
// Same-origin ES modules and one stylesheet: no inline script or style, no eval (the page's CSP).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'api', 'static', 'ui');
const watch = process.argv.includes('--watch');

// The API answers JSON with sorted keys, so a form's field order comes from the bundled forms/.
function formOrder() {
  const forms = join(here, '..', 'forms');
  const orderOf = (schema) => {
    const order = { '': Object.keys(schema.properties || {}) };
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      if (prop && prop.properties) order[name] = Object.keys(prop.properties);
    }
    return order;
  };
  const found = {};
  for (const file of readdirSync(forms).filter((name) => name.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(forms, file), 'utf8'));
    found[schema.$id || file] = orderOf(schema);
  }
  return found;
}

const options = {
  entryPoints: { app: join(here, 'src', 'main.jsx'), style: join(here, 'src', 'style.css') },
  outdir: out,
  bundle: true,
  splitting: true, // the diagram viewer and the charts load only on the pages that show them
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  minify: !watch,
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': JSON.stringify(watch ? 'development' : 'production') },
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  logLevel: 'info',
  metafile: true,
  plugins: [{
    name: 'form-order',
    setup: (build) => {
      build.onResolve({ filter: /^alur:form-order$/ }, () => ({ path: 'form-order', namespace: 'alur' }));
      build.onLoad({ filter: /.*/, namespace: 'alur' }, () => ({
        contents: JSON.stringify(formOrder()), loader: 'json', watchFiles: [],
      }));
    },
  }, {
    // @rjsf/core's getTestRegistry imports Ajv, which compiles with eval: never in the bundle.
    name: 'no-ajv',
    setup: (build) => build.onResolve({ filter: /^@rjsf\/validator-ajv8$/ },
      () => ({ path: join(here, 'src', 'no-ajv.js') })),
  }],
};

function writeIndex() {
  const version = (name) => createHash('sha256').update(readFileSync(join(out, name))).digest('hex').slice(0, 12);
  const page = readFileSync(join(here, 'index.html'), 'utf8')
    .replace('%APP_VERSION%', version('app.js'))
    .replace('%STYLE_VERSION%', version('style.css'));
  writeFileSync(join(out, 'index.html'), page);
  writeFileSync(join(out, 'favicon.svg'), readFileSync(join(here, 'favicon.svg')));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (watch) {
  const context = await esbuild.context({
    ...options,
    plugins: [...options.plugins, { name: 'index', setup: (build) => build.onEnd(() => writeIndex()) }],
  });
  await context.watch();
} else {
  await esbuild.build(options);
  writeIndex();
}
