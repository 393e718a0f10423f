// Shared by the preview's tests: `handbook serve` as a child process, its pages and its event stream.
import { spawn, type ChildProcess } from 'node:child_process'
import { get } from 'node:http'
import path from 'node:path'
import { repoRoot } from './helpers.js'

export interface Fetched {
  status: number
  body: Buffer
  headers: Record<string, string | string[] | undefined>
}

/** GET `target` from the preview on `port`. */
export function fetchPage(port: number, target: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: target }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), headers: response.headers }))
    }).on('error', reject)
  })
}

export interface RunningServe {
  child: ChildProcess
  port: number
  /** Everything written on stderr so far. */
  stderr: () => string
  stop(): Promise<void>
}

/** Start `handbook serve` in `cwd` with `args` (after `serve`) on a free port; resolves once it prints its address. */
export async function startServe(cwd: string, args: readonly string[]): Promise<RunningServe> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'handbook'), 'serve', '--port', '0', ...args], { cwd })
  let errors = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)
      if (match) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${errors}`)))
  })
  return {
    child,
    port,
    stderr: () => errors,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}

/**
 * Wait until `condition` holds, checking every 50 ms; fails with `what` after `timeout` ms. The
 * timeout is generous: it only bounds a test that would otherwise hang on a loaded machine.
 */
export async function until<T>(condition: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeout = 60_000): Promise<T> {
  const end = performance.now() + timeout
  for (;;) {
    const value = await condition()
    if (value) return value
    if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
