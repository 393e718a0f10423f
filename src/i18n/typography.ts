// Typographic conventions per language: quotation marks and the dash between words.

export interface Typography {
  /** Opening and closing primary quotation marks. */
  quotes: readonly [string, string]
  /** Opening and closing quotation marks inside quotations. */
  innerQuotes: readonly [string, string]
  /** What ` -- ` between words becomes, spaces included. */
  dash: string
}

const nbsp = '\u00a0'

/** Spaced en dash, with a no-break space so the dash never starts a line. */
const spacedEnDash = `${nbsp}\u2013 `

/** Quotation marks as the language's style guides and the Unicode CLDR give them. */
const low = { primary: ['\u201e', '\u201c'], inner: ['\u201a', '\u2018'] } as const // „…“ ‚…‘
const guillemets = ['\u00ab', '\u00bb'] as const // «…»
const english = ['\u201c', '\u201d'] as const // “…”
const englishInner = ['\u2018', '\u2019'] as const // ‘…’
const nordic = ['\u201d', '\u201d'] as const // ”…”
const nordicInner = ['\u2019', '\u2019'] as const // ’…’
const lowHigh = ['\u201e', '\u201d'] as const // „…”

const conventions: Record<string, Typography> = {
  en: { quotes: english, innerQuotes: englishInner, dash: '\u2014' },
  bg: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  cs: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  da: { quotes: ['\u00bb', '\u00ab'], innerQuotes: ['\u203a', '\u2039'], dash: spacedEnDash },
  de: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  el: { quotes: guillemets, innerQuotes: english, dash: spacedEnDash },
  es: { quotes: guillemets, innerQuotes: english, dash: spacedEnDash },
  et: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  fi: { quotes: nordic, innerQuotes: nordicInner, dash: spacedEnDash },
  // French sets its guillemets off with a no-break space, so they never end or start a line alone.
  fr: { quotes: [`\u00ab${nbsp}`, `${nbsp}\u00bb`], innerQuotes: english, dash: spacedEnDash },
  ga: { quotes: english, innerQuotes: englishInner, dash: spacedEnDash },
  hr: { quotes: lowHigh, innerQuotes: ['\u201a', '\u2019'], dash: spacedEnDash },
  hu: { quotes: lowHigh, innerQuotes: ['\u00bb', '\u00ab'], dash: spacedEnDash },
  it: { quotes: guillemets, innerQuotes: english, dash: spacedEnDash },
  lt: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  lv: { quotes: lowHigh, innerQuotes: guillemets, dash: spacedEnDash },
  mt: { quotes: english, innerQuotes: englishInner, dash: spacedEnDash },
  nl: { quotes: english, innerQuotes: englishInner, dash: spacedEnDash },
  pl: { quotes: lowHigh, innerQuotes: guillemets, dash: spacedEnDash },
  pt: { quotes: guillemets, innerQuotes: english, dash: spacedEnDash },
  'pt-br': { quotes: english, innerQuotes: englishInner, dash: spacedEnDash },
  ro: { quotes: lowHigh, innerQuotes: guillemets, dash: spacedEnDash },
  sk: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  sl: { quotes: low.primary, innerQuotes: low.inner, dash: spacedEnDash },
  sv: { quotes: nordic, innerQuotes: nordicInner, dash: spacedEnDash }
}

/**
 * The conventions of a BCP 47 tag: of language and region (`pt-BR`) where they differ, else of its
 * language subtag; English ones for languages the table does not know.
 */
export function typographyFor(tag: string): Typography {
  const lower = tag.toLowerCase()
  const [language = lower, second] = lower.split('-')
  return conventions[`${language}-${second}`] ?? conventions[language] ?? conventions.en!
}
