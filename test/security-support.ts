// Shared by the security tests (issue 18): copying hostile fixture books, running the CLI without
// blocking the event loop (so local listeners in the test keep answering), and a TCP listener.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import path from 'node:path'
import { fixtures, repoRoot, temporaryFolder, type CliResult } from './helpers.js'

export const epoch = { SOURCE_DATE_EPOCH: '1406764800' }

/** Copy `test/fixtures/books/<name>` to a new temporary folder, replacing `__PORT__` in every text file. */
export function copyBook(name: string, replacements: Record<string, string> = {}): string {
  const root = path.join(temporaryFolder('handbook-security-'), 'book')
  cpSync(path.join(fixtures, 'books', name), root, { recursive: true })
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const file = path.join(folder, entry)
      if (statSync(file).isDirectory()) walk(file)
      else if (/\.(md|ya?ml|svg)$/.test(entry)) {
        let text = readFileSync(file, 'utf8')
        for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to)
        writeFileSync(file, text)
      }
    }
  }
  walk(root)
  return root
}

/** Run `bin/handbook` asynchronously: the test's own servers go on accepting while it runs. */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), ...args], { cwd: repoRoot, env: { ...process.env, ...epoch, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A TCP listener on 127.0.0.1 that records every connection (and the first bytes it receives). */
export async function listen(): Promise<{ port: number; connections: string[]; close(): Promise<void> }> {
  const connections: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    connections.push('connected')
    socket.once('data', (data) => connections.push(data.toString('latin1').split('\r\n')[0]!))
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

export interface JsonMessage {
  file: string
  line: number | null
  column: number | null
  severity: 'error' | 'warning'
  ruleId: string
  message: string
}

/** The `--json` summary of a CLI run. */
export function summary(result: CliResult): { ok: boolean; exitCode: number; messages: JsonMessage[]; editions: { locale: string; format: string; status: string }[] } {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`No JSON from the CLI (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
}

/** The files the build bookkeeps beside the editions; the manifest lists every other file. */
const bookkeeping = new Set(['manifest.json', 'SHA256SUMS', '.handbook-cache.json', '.handbook-lock'])

/** Every file under `folder`, relative, with `/`. */
export function filesUnder(folder: string): string[] {
  const found: string[] = []
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name
      // The parsed chapters kept for the next build: a cache, which the manifest does not list.
      if (child === '.handbook-parsed') continue
      if (entry.isDirectory()) walk(child)
      else found.push(child)
    }
  }
  walk('')
  return found.sort()
}

/**
 * What keeps the output folder from matching its manifest: `sha256sum --check SHA256SUMS` must pass,
 * and manifest.json and SHA256SUMS must list exactly the files there (the bookkeeping files aside).
 * Returns the problems (empty when it matches).
 */
export function manifestMismatch(out: string): string[] {
  const problems: string[] = []
  const check = spawnSync('sha256sum', ['--check', '--quiet', '--strict', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' })
  if (check.status !== 0) problems.push(`sha256sum --check: ${check.stdout}${check.stderr}`)
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { artifacts: { path: string; sha256: string }[] }
  const listed = manifest.artifacts.map((artifact) => artifact.path).sort()
  const summed = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').split('\n').filter(Boolean).map((line) => line.slice(66)).sort()
  const present = filesUnder(out).filter((file) => !bookkeeping.has(file))
  const missing = present.filter((file) => !listed.includes(file))
  const extra = listed.filter((file) => !present.includes(file))
  if (missing.length > 0) problems.push(`not in manifest.json: ${missing.join(', ')}`)
  if (extra.length > 0) problems.push(`in manifest.json but not on disk: ${extra.join(', ')}`)
  for (const artifact of manifest.artifacts) {
    if (!present.includes(artifact.path)) continue
    const sha256 = createHash('sha256').update(readFileSync(path.join(out, artifact.path))).digest('hex')
    if (sha256 !== artifact.sha256) problems.push(`manifest.json has another checksum for ${artifact.path}`)
  }
  if (JSON.stringify(listed) !== JSON.stringify(summed)) problems.push('manifest.json and SHA256SUMS list different files')
  return problems
}
