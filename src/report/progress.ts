// Build progress: a live table on a terminal, plain lines in CI logs and pipes.

export type EditionState = 'queued' | 'rendering' | 'cached' | 'written' | 'failed'

interface Row {
  locale: string
  format: string
  state: EditionState
  started?: number
  seconds?: number
}

export interface Progress {
  update(locale: string, format: string, state: EditionState, seconds?: number): void
  /** Stop redrawing; leaves the final table (or nothing more) on screen. */
  close(): void
}

/**
 * A live table when `stream` is a terminal and not CI; one line per finished edition otherwise;
 * nothing when `quiet`.
 */
export function createProgress(stream: NodeJS.WriteStream, options: { quiet: boolean; ci: boolean }): Progress {
  if (options.quiet) return { update() {}, close() {} }
  if (!stream.isTTY || options.ci) {
    return {
      update(locale, format, state, seconds) {
        if (state === 'queued' || state === 'rendering') return
        stream.write(`${format} ${locale}: ${state}${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`}\n`)
      },
      close() {}
    }
  }
  const rows: Row[] = []
  let drawn = 0
  let timer: NodeJS.Timeout | undefined
  const draw = () => {
    const now = performance.now()
    const lines = rows.map((row) => {
      const seconds = row.seconds ?? (row.started === undefined ? undefined : (now - row.started) / 1000)
      return `  ${row.format.padEnd(5)} ${row.locale.padEnd(6)} ${row.state.padEnd(9)} ${seconds === undefined ? '' : `${seconds.toFixed(1)} s`}`
    })
    // Move up over the previous table and redraw it in place.
    stream.write((drawn > 0 ? `\x1b[${drawn}A` : '') + lines.map((line) => `\x1b[2K${line}\n`).join(''))
    drawn = lines.length
  }
  return {
    update(locale, format, state, seconds) {
      let row = rows.find((entry) => entry.locale === locale && entry.format === format)
      if (!row) {
        row = { locale, format, state }
        rows.push(row)
      }
      row.state = state
      if (state === 'rendering') row.started = performance.now()
      if (seconds !== undefined) row.seconds = seconds
      timer ??= setInterval(draw, 200)
      draw()
    },
    close() {
      if (timer) clearInterval(timer)
      if (rows.length > 0) draw()
    }
  }
}
