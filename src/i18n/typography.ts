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

const conventions: Record<string, Typography> = {
  en: { quotes: ['\u201c', '\u201d'], innerQuotes: ['\u2018', '\u2019'], dash: '\u2014' },
  de: { quotes: ['\u201e', '\u201c'], innerQuotes: ['\u201a', '\u2018'], dash: spacedEnDash },
  da: { quotes: ['\u00bb', '\u00ab'], innerQuotes: ['\u203a', '\u2039'], dash: spacedEnDash },
  hu: { quotes: ['\u201e', '\u201d'], innerQuotes: ['\u00bb', '\u00ab'], dash: spacedEnDash },
  lv: { quotes: ['\u201e', '\u201d'], innerQuotes: ['\u00ab', '\u00bb'], dash: spacedEnDash },
  it: { quotes: ['\u00ab', '\u00bb'], innerQuotes: ['\u201c', '\u201d'], dash: spacedEnDash }
}

/** The conventions of a BCP 47 tag, by its language subtag; English ones for unknown languages. */
export function typographyFor(tag: string): Typography {
  const language = tag.toLowerCase().split('-')[0] ?? tag
  return conventions[language] ?? conventions.en!
}
