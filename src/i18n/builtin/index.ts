// The interface strings built into the tool for the 24 official EU languages, so a new locale needs no strings file.
import { defaultStrings, type Strings } from '../defaults.js'
import { bg } from './bg.js'
import { cs } from './cs.js'
import { da } from './da.js'
import { de } from './de.js'
import { el } from './el.js'
import { es } from './es.js'
import { et } from './et.js'
import { fi } from './fi.js'
import { fr } from './fr.js'
import { ga } from './ga.js'
import { hr } from './hr.js'
import { hu } from './hu.js'
import { it } from './it.js'
import { lt } from './lt.js'
import { lv } from './lv.js'
import { mt } from './mt.js'
import { nl } from './nl.js'
import { pl } from './pl.js'
import { pt } from './pt.js'
import { ro } from './ro.js'
import { sk } from './sk.js'
import { sl } from './sl.js'
import { sv } from './sv.js'

/** The official languages of the European Union (ISO 639-1), as the tool knows them out of the box. */
export const euLanguages = ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr', 'hu', 'it', 'lt', 'lv', 'mt', 'nl', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv'] as const

const builtIn: Readonly<Record<string, Strings>> = {
  bg, cs, da, de, el, en: defaultStrings, es, et, fi, fr, ga, hr, hu, it, lt, lv, mt, nl, pl, pt, ro, sk, sl, sv
}

/**
 * The built-in strings of a BCP 47 tag, by its language subtag (`pt-BR` gets `pt`), or `undefined`
 * for a language the tool has none for.
 */
export function builtInStrings(tag: string): Strings | undefined {
  const language = tag.toLowerCase().split('-')[0] ?? tag
  return Object.hasOwn(builtIn, language) ? builtIn[language] : undefined
}
