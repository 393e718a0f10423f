// Making and marking translation files: a draft copy of a source chapter, the draft flag, a new locale's strings file and config entry.
import { stringify } from 'yaml'
import { builtInStrings } from '../i18n/builtin/index.js'
import { stringKeys, type Strings } from '../i18n/defaults.js'

const frontMatterFence = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(\r?\n|$)/
const draftLine = /^draft:[^\n]*\n?/m

/**
 * The chapter text with `draft: true` (`draft` set) or without a `draft` key (`draft` unset) in
 * its front matter; the rest of the file is left byte for byte as it was.
 */
export function setDraft(raw: string, draft: boolean): string {
  const bom = raw.startsWith('\ufeff') ? '\ufeff' : ''
  const text = raw.slice(bom.length)
  const match = frontMatterFence.exec(text)
  if (!match) return draft ? `${bom}---\ndraft: true\n---\n\n${text}` : raw
  const yaml = match[1] ?? ''
  const rest = text.slice(match[0].length)
  const newline = match[0].includes('\r\n') ? '\r\n' : '\n'
  let updated = yaml.replace(draftLine, '')
  if (draft) updated += `draft: true${newline}`
  return `${bom}---${newline}${updated}---${match[2] || newline}${rest}`
}

/** Whether the front matter says `draft: true`. */
export function isDraft(raw: string): boolean {
  const match = frontMatterFence.exec(raw.replace(/^\ufeff/, ''))
  return match !== null && /^draft:[ \t]*true[ \t]*\r?$/m.test(match[1] ?? '')
}

/** The name of a language in that language, capitalized as a label ("Polski"), from the runtime's CLDR data. */
export function languageLabel(tag: string): string {
  let name: string | undefined
  try {
    name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag)
  } catch {
    name = undefined
  }
  if (!name || name === tag) return tag
  return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1)
}

/** Whether `tag` is a BCP 47 tag of the form the config accepts. */
export function isLocaleTag(tag: string): boolean {
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return false
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}

/**
 * A new locale's strings file: every key commented out. For a language with built-in strings the
 * comments show those (the editions use them; uncommenting a key changes its text); for any other
 * language they show the source text, and `handbook check` lists each key until it is translated.
 */
export function stringsScaffold(tag: string, label: string, sourceLocale: string, source: Strings): string {
  const builtIn = builtInStrings(tag)
  const lines = builtIn
    ? [
        `# Interface strings in ${label} (${tag}). The tool has all of them built in, as shown below;`,
        '# to change one, remove the "# " before its key and edit the text. Keep the keys and the',
        '# {placeholders}.'
      ]
    : [
        `# Interface strings in ${label} (${tag}). Translate each text and remove the "# " before its key;`,
        '# keep the keys and the {placeholders}. Until then the editions use the text of',
        `# \`${sourceLocale}\` and \`handbook check\` warns about each key still missing.`
      ]
  const texts = builtIn ?? source
  for (const key of stringKeys) lines.push(`# ${stringify({ [key]: texts[key] }, { lineWidth: 0 }).trimEnd()}`)
  return lines.join('\n') + '\n'
}

/** What to add to handbook.yaml for a new locale, as YAML snippets. */
export function configSuggestion(tag: string, label: string, hasSubtitle: boolean): string {
  return [
    'Add the locale to handbook.yaml:',
    '',
    'locales:',
    `  - tag: ${tag}`,
    `    label: ${stringify(label).trimEnd()}`,
    '',
    `and its title${hasSubtitle ? ' and subtitle' : ''} under \`book\` (if they are maps of locale to text):`,
    '',
    'book:',
    '  title:',
    `    ${tag}: <the title in ${label}>`,
    ...(hasSubtitle ? ['  subtitle:', `    ${tag}: <the subtitle in ${label}>`] : []),
    ''
  ].join('\n')
}
