// An edition's title and subtitle in its language, from the config alone: the model reads them here,
// and so do the covers a build starts before the model exists.
import { localize } from '../config/load.js'
import type { Config } from '../config/schema.js'
import { typeset } from '../pipeline/plugins/remark-typography.js'

export function editionTitles(config: Config, locale: string): { title: string; subtitle: string | undefined } {
  const source = config['source-locale']
  return {
    title: typeset(localize(config.book.title, locale, source), locale),
    subtitle: config.book.subtitle === undefined ? undefined : typeset(localize(config.book.subtitle, locale, source), locale)
  }
}
