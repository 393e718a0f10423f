// One load of the book model in a fresh process, as a build does it: prints one JSON line with the
// seconds, CPU seconds and words of the requested locales. `npm run bench` runs it several times.
// Usage: node dist/scripts/bench-load.js <root> <locale> [<parse-cache-folder>]
import path from 'node:path'
import { hashTool } from '../src/output/cache.js'
import { loadBook } from '../src/model/build.js'
import { ParseCache } from '../src/pipeline/parse-cache.js'

const [root, locale, cacheFolder] = process.argv.slice(2)
if (!root || !locale) throw new Error('usage: bench-load.js <root> <locale> [<parse-cache-folder>]')
const parseCache = cacheFolder ? new ParseCache(path.resolve(cacheFolder), await hashTool()) : undefined
const start = performance.now()
const cpu = process.cpuUsage()
const { book } = await loadBook({ root, locales: [locale], parseCache })
const used = process.cpuUsage(cpu)
const words = book!.editions.reduce((sum, edition) => sum + edition.chapters.filter((chapter) => !chapter.isFallback).reduce((total, chapter) => total + chapter.words, 0), 0)
process.stdout.write(JSON.stringify({ seconds: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6, words }) + '\n')
