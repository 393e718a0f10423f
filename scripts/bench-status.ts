// `node dist/scripts/bench-status.js`: `handbook status` on the bundled handbook as a user runs it (a new process each
// time), next to an empty Node process (the floor) and to parsing every chapter through the unified pipeline
// (what status would cost if it counted on the rendered tree, as it did before), side by side.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const runs = Number(process.env.RUNS ?? 7)

interface Sample {
  wall: number
  cpu: number
}

/** Run a command `runs` times; the median wall and CPU (user + system) seconds. */
function measure(args: string[]): Sample {
  const samples: Sample[] = []
  for (let index = 0; index < runs; index++) {
    const start = performance.now()
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: repo, encoding: 'utf8' })
    const wall = (performance.now() - start) / 1000
    const [user, system] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
    samples.push({ wall, cpu: user! + system! })
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  return { wall: median(samples.map((sample) => sample.wall)), cpu: median(samples.map((sample) => sample.cpu)) }
}

const bin = path.join(repo, 'bin', 'handbook')
const rows: [string, Sample][] = [
  ['node -e "" (the floor)', measure(['-e', ''])],
  ['handbook status', measure([bin, 'status'])],
  ['handbook status --json', measure([bin, 'status', '--json'])],
  ['handbook check (the whole pipeline)', measure([bin, 'check', '--quiet'])]
]
const width = Math.max(...rows.map(([name]) => name.length))
process.stdout.write(`median of ${runs} runs on the bundled handbook (6 locales, 57 chapter files)\n`)
process.stdout.write(`${'command'.padEnd(width)}  wall s  cpu s\n`)
for (const [name, sample] of rows) process.stdout.write(`${name.padEnd(width)}  ${sample.wall.toFixed(2).padStart(6)}  ${sample.cpu.toFixed(2).padStart(5)}\n`)
