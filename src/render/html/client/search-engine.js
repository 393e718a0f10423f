/* The HTML edition's search engine: looks words up in the prebuilt index of a locale (search-index.js).
   Plain JS, loaded on first use by handbook.js; also runs in Node for the tests (it only sets `HandbookSearch`). */
(function (root) {
  'use strict'

  /** Letters Unicode does not decompose, with what readers type instead; the twin of normalize.ts. */
  var unmarked = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ı': 'i' }

  /** Lower case without diacritics: "Latvijā" -> "latvija". The twin of normalizeTerm in src/render/html/normalize.ts. */
  function normalize(term) {
    return term
      .toLowerCase()
      .replace(/[ßæœøłđı]/g, function (letter) { return unmarked[letter] || letter })
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
  }

  /** The folded words of a text, as the index was built from them. */
  function tokenize(text) {
    var words = text.match(/[\p{L}\p{N}]+/gu) || []
    var terms = []
    for (var i = 0; i < words.length; i++) {
      var term = normalize(words[i])
      if (term) terms.push(term)
    }
    return terms
  }

  /** The first index of `terms` (sorted) not less than `word`. */
  function lowerBound(terms, word) {
    var low = 0
    var high = terms.length
    while (low < high) {
      var middle = (low + high) >>> 1
      if (terms[middle] < word) low = middle + 1
      else high = middle
    }
    return low
  }

  /** Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of neighbours. */
  function nearlyEqual(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false
    var i = 0
    while (i < a.length && i < b.length && a[i] === b[i]) i++
    if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1
    var restA = a.slice(i + 1)
    var restB = b.slice(i + 1)
    if (a.length === b.length) return restA === restB || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2))
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
  }

  /** Index terms a query word stands for, with a weight: the word itself, words it begins, and for long words a typo away. */
  function expand(terms, word) {
    var found = []
    var seen = {}
    for (var i = lowerBound(terms, word); i < terms.length && terms[i].lastIndexOf(word, 0) === 0; i++) {
      found.push([i, terms[i] === word ? 1 : 0.6])
      seen[i] = true
    }
    if (word.length > 4) {
      for (var j = 0; j < terms.length; j++) {
        if (!seen[j] && nearlyEqual(word, terms[j])) found.push([j, 0.3])
      }
    }
    return found
  }

  /**
   * Search the index `data` for `query`: every word must match (as itself, as the start of a word, or
   * with one typo when long). Ranked by BM25 over the text, a title counting thrice. Returns
   * [{ id, score, terms }] where `terms` are the index terms that matched, for highlighting.
   */
  function search(data, query, limit) {
    var words = tokenize(query).filter(function (word, index, all) { return all.indexOf(word) === index })
    if (!words.length) return []
    var count = data.documents.length
    var average = 0
    for (var d = 0; d < count; d++) average += data.lengths[d]
    average = average / count || 1
    var k1 = 1.2
    var b = 0.75
    var scores = null
    var matched = {}
    words.forEach(function (word) {
      var wordScores = {}
      expand(data.terms, word).forEach(function (expansion) {
        var postings = data.postings[expansion[0]]
        var frequency = postings.length / 2
        var idf = Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
        for (var p = 0; p < postings.length; p += 2) {
          var doc = postings[p]
          var weight = postings[p + 1]
          var score = (idf * expansion[1] * weight * (k1 + 1)) / (weight + k1 * (1 - b + (b * data.lengths[doc]) / average))
          wordScores[doc] = (wordScores[doc] || 0) + score
          ;(matched[doc] = matched[doc] || {})[data.terms[expansion[0]]] = true
        }
      })
      if (scores === null) scores = wordScores
      else {
        var both = {}
        for (var key in scores) if (key in wordScores) both[key] = scores[key] + wordScores[key]
        scores = both
      }
    })
    var results = Object.keys(scores).map(function (key) {
      return { id: Number(key), score: scores[key], terms: Object.keys(matched[key]) }
    })
    results.sort(function (x, y) { return y.score - x.score || x.id - y.id })
    return limit ? results.slice(0, limit) : results
  }

  root.HandbookSearch = { normalize: normalize, tokenize: tokenize, search: search }
})(typeof window !== 'undefined' ? window : globalThis)
