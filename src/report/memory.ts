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
  return residentOf(pid) ?? 0
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

/** A process's resident set from `/proc/<pid>/status`: read from counters, no walk of its page tables. */
function residentOf(pid: number): number | undefined {
  try {
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return rss ? Number(rss[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/**
 * Sample Node's and its children's memory every `interval` ms until `stop`. Reading a Chromium
 * process's smaps_rollup takes 3 to 10 ms (the kernel walks its page tables): read every second,
 * it cost a one-locale PDF build 0.6 s of Node's CPU and 1 to 1.8 s of the machine's (12.4 CPU
 * seconds without it). So each sample reads only the resident sets, which cost next to nothing, and
 * estimates every process's PSS as its last measured PSS plus what its resident set grew since;
 * the PSS of all of them is measured again only when that estimate could make a new peak.
 */
export function sampleMemory(interval = 1000): MemorySampler {
  let peakTotal = 0
  let peakChildren = 0
  let peakNode = 0
  // Per process: PSS and resident set when its PSS was last measured.
  const measured = new Map<number, { pss: number; resident: number }>()
  const sample = (force = false) => {
    const pids = [process.pid, ...descendants(process.pid)]
    const residents = pids.map((pid) => residentOf(pid))
    const estimate = pids.reduce((sum, pid, index) => {
      const resident = residents[index]
      const last = measured.get(pid)
      if (resident === undefined) return sum
      return sum + (last ? last.pss + resident - last.resident : resident)
    }, 0)
    // Measured within 2 %: a sample that cannot beat the peak by more is not measured.
    if (!force && estimate <= peakTotal * 1.02) return
    let [node, children] = [0, 0]
    pids.forEach((pid, index) => {
      const pss = pid === process.pid ? memoryOf(pid) || process.memoryUsage.rss() : memoryOf(pid)
      measured.set(pid, { pss, resident: residents[index] ?? pss })
      if (pid === process.pid) node = pss
      else children += pss
    })
    for (const pid of measured.keys()) if (!pids.includes(pid)) measured.delete(pid)
    if (node + children > peakTotal) {
      peakTotal = node + children
      peakChildren = children
      peakNode = node
    }
  }
  const timer = setInterval(sample, interval)
  timer.unref()
  return {
    sample: () => sample(true),
    stop() {
      clearInterval(timer)
      sample(true)
      return { nodeBytes: peakNode, childBytes: peakChildren, totalBytes: peakTotal }
    }
  }
}
