// Shared by the security tests (issue 18): copying hostile fixture books, running the CLI without
// blocking the event loop (so local listeners in the test keep answering), and a TCP listener.
import { spawn } from 'node:child_process'
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
