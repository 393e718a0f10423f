// Parsed Markdown (and EPUB cover images) kept on disk by content: a chapter whose text has not
// changed is not parsed again, a cover whose texts have not changed is not drawn again.
// Parsing (micromark) is about three quarters of loading a chapter; reading a parsed tree back with
// v8.deserialize takes a few milliseconds (numbers in docs/benchmarks.md). The tree is a pure
// function of the text and the parser, so the key is the text's hash salted with the tool's own.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { deserialize, serialize } from 'node:v8'
import type { Root } from 'mdast'
import { temporaryName } from '../output/write.js'

/** The folder of the output folder the trees are kept in; `handbook clean` removes it. */
export const parseCacheFolder = '.handbook-parsed'

/** Entries beyond this many, unused in a run, are removed at its end. */
const keep = 2000

export class ParseCache {
  private readonly used = new Set<string>()

  /**
   * `salt` changes whenever the parser may (the tool's code and locked dependency versions).
   * `readOnly`: use what is kept, keep nothing new (a command that writes no files).
   */
  constructor(
    private readonly folder: string,
    private readonly salt: string,
    private readonly readOnly = false
  ) {}

  private key(text: string): string {
    return createHash('sha256').update(this.salt).update('\0').update(text).digest('hex')
  }

  /** The tree parsed from `text` earlier, or `parse(text)` now (and kept). */
  tree(text: string, parse: () => Root): Root {
    return this.value(text, parse)
  }

  /**
   * What `make` gave for `key` earlier, or its result now (and kept): for values that are a pure
   * function of the key's text and the tool, such as a parsed tree or an EPUB cover image.
   */
  value<T>(key: string, make: () => T): T {
    const hash = this.key(key)
    this.used.add(hash)
    const file = path.join(this.folder, `${hash}.v8`)
    try {
      return deserialize(readFileSync(file)) as T
    } catch {
      // Not there, or unreadable: make it.
    }
    const value = make()
    if (this.readOnly) return value
    try {
      mkdirSync(this.folder, { recursive: true })
      // Written under a temporary name and renamed, so a reader never sees half a value.
      const temporary = temporaryName(file)
      writeFileSync(temporary, serialize(value))
      renameSync(temporary, file)
    } catch {
      // A cache that cannot be written only costs the next run the work.
    }
    return value
  }

  /** Remove trees this run did not use, once there are more than `keep`. */
  prune(): void {
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return
    }
    if (names.length <= keep) return
    for (const name of names) if (!this.used.has(name.replace(/\.v8$/, ''))) rmSync(path.join(this.folder, name), { force: true })
  }
}
