// `npm run build`'s second step: the CLI as one minified ES module bundle in dist/bundle/, split at the
// commands' dynamic imports so each command loads only what it runs. Loading hundreds of small ES
// modules cost `handbook --help` about 0.6 s of CPU before (see docs/benchmarks.md).
import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

/**
 * gray-matter requires js-yaml, which at load time requires `esprima` through a `require` the bundler
 * cannot follow, so every run loaded esprima's 280 kB from node_modules. The chapters' front matter is
 * read by the `yaml` package (gray-matter gets it as its engine, src/content/chapter-file.ts), so
 * gray-matter gets a js-yaml that refuses to be used instead.
 */
const grayMatterWithoutJsYaml: Plugin = {
  name: 'gray-matter-without-js-yaml',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, (args) => (/[\\/]gray-matter[\\/]/.test(args.importer) ? { path: 'js-yaml', namespace: 'refused' } : undefined))
    build.onLoad({ filter: /.*/, namespace: 'refused' }, () => ({
      contents: "const refuse = () => { throw new Error('js-yaml is not bundled: give gray-matter a YAML engine') }; module.exports = { safeLoad: refuse, safeDump: refuse }",
      loader: 'js'
    }))
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const outdir = path.join(root, 'dist', 'bundle')
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  // Loaded from node_modules as they are: a native addon, a browser driver that finds its own files,
  // and pattern files chosen by name at run time.
  external: ['@resvg/resvg-js', 'puppeteer', 'hyphen', 'fsevents'],
  // CommonJS packages inside the bundle still call `require` for Node's own modules.
  plugins: [grayMatterWithoutJsYaml],
  banner: { js: "import { createRequire as __handbookRequire } from 'node:module'; const require = __handbookRequire(import.meta.url);" },
  logLevel: 'warning'
})
