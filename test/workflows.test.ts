// The GitHub workflows (issue 17): valid for GitHub, fed by `handbook locales --json`, annotations from `check --reporter github`.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { test } from 'node:test'
import { parse } from 'yaml'
import { bundledHandbook, fixtures, repoRoot, runCli, temporaryFolder } from './helpers.js'

const require = createRequire(import.meta.url)
const { validateWorkflow } = require('@action-validator/core') as typeof import('@action-validator/core')

const workflowFiles = ['ci.yml', 'release.yml'].map((name) => path.join(repoRoot, '.github', 'workflows', name))

interface Step {
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  permissions?: Record<string, string>
  strategy?: { 'fail-fast'?: boolean; matrix?: unknown }
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const load = (file: string) => parse(readFileSync(file, 'utf8')) as Workflow

test('both workflows pass action-validator (schema, expressions, globs), which refuses a broken one', () => {
  for (const file of workflowFiles) {
    const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'action-validator'), [file], { cwd: repoRoot, encoding: 'utf8' })
    assert.equal(result.status, 0, `${path.basename(file)}: ${result.stdout}${result.stderr}`)
  }
  // The same validator, in-process, on a job without `runs-on` and a misspelt key: it can fail.
  const broken = readFileSync(workflowFiles[0]!, 'utf8').replace('  test:\n    runs-on: ubuntu-24.04\n', '  test:\n    run-on: ubuntu-24.04\n')
  assert.ok(validateWorkflow(broken).errors.length > 0, 'a job without runs-on is refused')
})

test('every job runs a supported Node LTS and current action majors; npm and apt are cached', () => {
  const minimum: Record<string, number> = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/upload-artifact': 5, 'actions/download-artifact': 5 }
  for (const file of workflowFiles) {
    for (const [name, job] of Object.entries(load(file).jobs)) {
      const where = `${path.basename(file)} ${name}`
      for (const step of job.steps.filter((entry) => entry.uses)) {
        const [action, version] = step.uses!.split('@') as [string, string]
        if (action in minimum) assert.ok(Number(/^v(\d+)/.exec(version)?.[1]) >= minimum[action]!, `${where}: ${step.uses} is out of date`)
        if (action === 'actions/setup-node') {
          assert.ok(Number(step.with?.['node-version']) >= 24, `${where}: Node ${String(step.with?.['node-version'])} is past its end of life`)
          assert.equal(step.with?.cache, 'npm', `${where}: npm cache`)
        }
      }
      if (job.steps.some((step) => /\bnpm test\b|handbook build/.test(step.run ?? ''))) {
        assert.ok(job.steps.some((step) => step.uses?.startsWith('awalsh128/cache-apt-pkgs-action@')), `${where}: apt packages are cached`)
      }
    }
  }
})

test('release: matrix from the config, no fail-fast, --strict everywhere, write only where it publishes, idempotent, dry run by hand', () => {
  const release = load(workflowFiles[1]!)
  assert.ok('workflow_dispatch' in release.on, 'a manual (dry) run')
  assert.deepEqual(release.permissions, { contents: 'read' })
  const writers = Object.entries(release.jobs).filter(([, job]) => Object.values(job.permissions ?? {}).includes('write'))
  assert.deepEqual(writers.map(([name, job]) => [name, job.permissions]), [['release', { contents: 'write' }]])
  assert.ok(release.jobs.plan!.steps.some((step) => step.run?.includes('handbook locales --json')))
  const editions = release.jobs.editions!
  assert.equal(editions.strategy?.['fail-fast'], false)
  assert.equal(editions.strategy?.matrix, '${{ fromJSON(needs.plan.outputs.matrix) }}')
  const build = editions.steps.find((step) => step.run?.includes('handbook build'))!.run!
  assert.equal(build.match(/handbook build/g)?.length, build.match(/handbook build --strict/g)?.length, 'every build is --strict')
  assert.match(build, /--edition "\$EDITION"/, 'partner editions are built')
  const publish = release.jobs.release!.steps.find((step) => step.run?.includes('gh release'))!
  assert.equal(publish.if, "github.event_name == 'push'", 'a manual run publishes nothing')
  assert.match(publish.run!, /gh release view [^\n]*\|\|\s*gh release create/, 'the release is created only when missing')
  assert.match(publish.run!, /gh release upload [^\n]*--clobber/, 'a re-run replaces the files')
})

test('ci: check of every configured locale on pushes and pull requests, annotated; the tests', () => {
  const ci = load(workflowFiles[0]!)
  assert.ok('push' in ci.on && 'pull_request' in ci.on)
  assert.deepEqual(ci.permissions, { contents: 'read' })
  assert.ok(Object.values(ci.jobs).every((job) => !job.permissions), 'no job asks for more')
  assert.equal(ci.jobs.check!.strategy?.['fail-fast'], false)
  assert.equal(ci.jobs.check!.strategy?.matrix, '${{ fromJSON(needs.plan.outputs.locales) }}')
  assert.ok(ci.jobs.check!.steps.some((step) => /handbook check \$STRICT --locale "\$LOCALE" --reporter github/.test(step.run ?? '')))
  assert.ok(ci.jobs.test!.steps.some((step) => step.run === 'npm test'))
})

test('`handbook locales --json` lists every locale and partner edition of the bundled book, all complete', () => {
  const result = runCli(['locales', '--root', bundledHandbook, '--json'])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout.trim().split('\n').length, 1, 'one line, for $GITHUB_OUTPUT')
  const report = JSON.parse(result.stdout) as { locales: { locale: string; complete: boolean }[]; matrix: { include: { locale: string; edition: string; strict: string }[] } }
  const config = parse(readFileSync(path.join(bundledHandbook, 'handbook.yaml'), 'utf8')) as { locales: { tag: string }[] }
  assert.deepEqual(report.locales.map((entry) => entry.locale), config.locales.map((entry) => entry.tag))
  assert.ok(report.locales.every((entry) => entry.complete), JSON.stringify(report.locales))
  assert.deepEqual(
    report.matrix.include.map((entry) => `${entry.locale}:${entry.edition}:${entry.strict}`),
    [...config.locales.map((entry) => `${entry.tag}::--strict`), 'lv:example-partner:--strict']
  )
})

test('a locale added to handbook.yaml joins the matrix; without its translation it is checked without --strict', () => {
  const root = path.join(temporaryFolder('handbook-locales-'), 'book')
  cpSync(path.join(fixtures, 'books', 'two-locales'), root, { recursive: true })
  const config = readFileSync(path.join(root, 'handbook.yaml'), 'utf8').replace('contents:', '  - tag: fi\n    label: Suomi\ncontents:')
  writeFileSync(path.join(root, 'handbook.yaml'), config)
  const result = runCli(['locales', '--root', root, '--json'])
  assert.equal(result.code, 0, result.stderr + result.stdout)
  const report = JSON.parse(result.stdout) as { matrix: { include: { locale: string; strict: string }[] } }
  const fi = report.matrix.include.find((entry) => entry.locale === 'fi')
  assert.deepEqual(fi, { locale: 'fi', edition: '', strict: '' })
})

test('`check --reporter github` prints one annotation per message with file, line and column', () => {
  const result = runCli(['check', '--root', path.join(fixtures, 'books', 'broken'), '--reporter', 'github'])
  assert.equal(result.code, 1, result.stderr)
  const lines = result.stdout.trim().split('\n')
  assert.ok(lines.length > 0)
  for (const line of lines) assert.match(line, /^::(error|warning) file=[^,:]+\.(md|yaml),line=\d+,col=\d+(,title=[\w-]+)?::\S/, line)
  const json = JSON.parse(runCli(['check', '--root', path.join(fixtures, 'books', 'broken'), '--json']).stdout) as { messages: unknown[] }
  assert.equal(lines.length, json.messages.length, 'every message is annotated')
})
