// Names of languages in the language of an edition (Unicode CLDR through Intl.DisplayNames), for the notices that name them.

/**
 * The name of the language of `tag` as a reader of `inLocale` writes it mid-sentence: "angielski"
 * for English in Polish, "Englisch" in German. `fallback` (a configured label) when the runtime's
 * CLDR data does not know the language.
 */
export function languageName(tag: string, inLocale: string, fallback: string = tag): string {
  const key = `${tag}\0${inLocale}`
  if (!names.has(key)) {
    let name: string | undefined
    try {
      name = new Intl.DisplayNames([inLocale], { type: 'language', fallback: 'none' }).of(tag)
    } catch {
      name = undefined
    }
    names.set(key, name && name !== tag ? name : undefined)
  }
  return names.get(key) ?? fallback
}

/** Names already looked up: making an Intl.DisplayNames costs a millisecond, and every notice asks. */
const names = new Map<string, string | undefined>()
