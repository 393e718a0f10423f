// `npm run docs`: regenerate the config reference in README.md from the schema.
import { readFile, writeFile } from 'node:fs/promises'
import { withReference } from '../src/config/reference.js'

const readmeUrl = new URL('../../README.md', import.meta.url)
const readme = await readFile(readmeUrl, 'utf8')
const updated = withReference(readme)
if (updated !== readme) await writeFile(readmeUrl, updated)
process.stdout.write(updated === readme ? 'README.md is up to date\n' : 'README.md updated\n')
