// What a command costs with every process it starts: CPU seconds and peak proportional set size of
// the whole process tree, sampled from /proc. `/usr/bin/time` counts only the children a process
// waits for, and misses Chromium's renderers, which the browser never reaps through the build.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { descendants, memoryOf } from '../src/report/memory.js'

/** Clock ticks per second of /proc/<pid>/stat's CPU times (`getconf CLK_TCK`, 100 on Linux). */
const ticksPerSecond = 100

/** User plus system CPU ticks of one process so far, or undefined when it is gone. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return undefined
  }
}

export interface TreeCost {
  wall: number
  /** CPU seconds of the command and every process below it. */
  cpu: number
  /** Peak of the summed proportional set sizes, in bytes. */
  pss: number
  code: number | null
  stdout: string
  stderr: string
}

/** Run `command` and sample its process tree every `interval` ms until it exits. */
export async function measureTree(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; interval?: number } = {}): Promise<TreeCost> {
  const start = performance.now()
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let [stdout, stderr] = ['', '']
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // The last CPU seen of each process: one that ended keeps what it had used when last sampled.
  const ticks = new Map<number, number>()
  let pss = 0
  // CPU times are cheap to read; a process's PSS is not (3 to 10 ms for a Chromium process, the
  // kernel walks its page tables), so memory is read on every fifth sample only, lest the sampler
  // itself take a core from what it measures.
  let samples = 0
  const sample = () => {
    if (child.pid === undefined) return
    const pids = [child.pid, ...descendants(child.pid)]
    const withMemory = samples++ % 5 === 0
    let total = 0
    for (const pid of pids) {
      const used = cpuTicks(pid)
      if (used !== undefined) ticks.set(pid, Math.max(ticks.get(pid) ?? 0, used))
      if (withMemory) total += memoryOf(pid)
    }
    if (withMemory) pss = Math.max(pss, total)
  }
  const timer = setInterval(sample, options.interval ?? 100)
  sample()
  // 'close', not 'exit': by then the pipes are drained too.
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)))
  clearInterval(timer)
  const wall = (performance.now() - start) / 1000
  // Each process's last 100 ms before it ended may go uncounted: small beside seconds of work.
  const cpu = [...ticks.values()].reduce((sum, value) => sum + value, 0) / ticksPerSecond
  return { wall, cpu, pss, code, stdout, stderr }
}
