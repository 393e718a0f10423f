// Folding search terms for diacritics-insensitive search: "latvija" finds "Latvija" and "Latvijā".

/** Letters that Unicode does not decompose into a base letter and a mark, with what readers type instead. */
const unmarked: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' }

/**
 * Lower-case `term` and strip its diacritics (NFD, then drop combining marks).
 * All six languages of the book are written in Latin script and read on keyboards that often lack
 * their marks (ā, ő, ø), so every edition folds. The browser's twin is `normalize` in
 * client/search-engine.js: both must give the same result, which a test checks.
 */
export function normalizeTerm(term: string): string {
  let folded = cache.get(term)
  if (folded === undefined) {
    folded = term
      .toLowerCase()
      .replace(/[ßæœøłđı]/g, (letter) => unmarked[letter] ?? letter)
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
    // Words repeat across chapters and rebuilds; the cache is bounded for long `serve` sessions.
    if (cache.size > 100_000) cache.clear()
    cache.set(term, folded)
  }
  return folded
}

const cache = new Map<string, string>()
