// Peak memory of a build: this Node process and every process it started (Chromium's browser, renderers, GPU), sampled together.
import { readdirSync, readFileSync } from 'node:fs'

/**
 * Proportional set sizes (shared pages divided among the processes that map them): the sum over
 * Node and Chromium's processes is what they take together, where a sum of resident sets counts
 * the shared libraries and Chromium's shared memory once per process (2.0 GB against 0.92 GB PSS
 * for the full build of the bundled book).
 */
export interface PeakMemory {
  /** Node's own share at the moment the sum peaked. */
  nodeBytes: number
  /** The child processes' share at the moment the sum peaked (Chromium: browser, renderers, utilities). */
  childBytes: number
  /** The peak of Node and its children together: what the machine must have free. */
  totalBytes: number
}

export interface MemorySampler {
  /** Take one sample now (also done on a timer). */
  sample(): void
  stop(): PeakMemory
}

/** The parent of every process, from /proc (Linux); empty elsewhere. */
function parents(): Map<number, number> {
  const result = new Map<number, number>()
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return result
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The command name may hold spaces and parentheses: fields are counted after the last `)`.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      result.set(Number(entry), parent)
    } catch {
      // The process ended while we looked.
    }
  }
  return result
}

/**
 * A process's memory: its proportional set size (shared pages divided among the processes that map
 * them, so Chromium's many processes are not counted several times for one library), else its RSS.
 */
export function memoryOf(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    const pss = /^Pss:\s+(\d+) kB/m.exec(rollup)
    if (pss) return Number(pss[1]) * 1024
  } catch {
    // No smaps_rollup (older kernels, other systems): fall back to the resident set.
  }
  try {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return rss ? Number(rss[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Every process below `root` in the process tree. */
export function descendants(root: number): number[] {
  const tree = parents()
  const found: number[] = []
  const wanted = new Set([root])
  // Parents come before children in most cases but not always (pid reuse): repeat until stable.
  for (let changed = true; changed; ) {
    changed = false
    for (const [pid, parent] of tree) {
      if (wanted.has(parent) && !wanted.has(pid)) {
        wanted.add(pid)
        found.push(pid)
        changed = true
      }
    }
  }
  return found
}

/**
 * Sample Node's and its children's memory every `interval` ms until `stop`. Reading a Chromium
 * process's smaps_rollup takes 3 to 10 ms (the kernel walks its page tables), so sampling every
 * quarter second cost a PDF build up to a fifth of a core; once a second is a few percent.
 */
export function sampleMemory(interval = 1000): MemorySampler {
  let peakTotal = 0
  let peakChildren = 0
  let peakNode = 0
  const sample = () => {
    const node = memoryOf(process.pid) || process.memoryUsage.rss()
    const children = descendants(process.pid).reduce((sum, pid) => sum + memoryOf(pid), 0)
    if (node + children > peakTotal) {
      peakTotal = node + children
      peakChildren = children
      peakNode = node
    }
  }
  const timer = setInterval(sample, interval)
  timer.unref()
  return {
    sample,
    stop() {
      clearInterval(timer)
      sample()
      return { nodeBytes: peakNode, childBytes: peakChildren, totalBytes: peakTotal }
    }
  }
}
