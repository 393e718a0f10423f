// Dates as each language writes them (Intl), always in UTC so the build machine's zone never shows.

/** "31 July 2014", "2014. gada 31. jūlijs", "31. Juli 2014" ... */
export function longDate(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date)
}
