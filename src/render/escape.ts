// Escaping for the contexts the renderers write untrusted text into: CSS strings and HTML text or attributes.

/**
 * Characters written as themselves in a CSS string: letters, marks and digits of any script, the
 * space and punctuation that means nothing to CSS or HTML. Everything else (quotes, backslash, `<`,
 * `>`, `&`, `/`, line and form feeds, carriage returns, controls, ...) is escaped.
 */
const cssSafe = /[\p{L}\p{M}\p{N} .,:;!?'()\-\u00a0\u2010-\u2014\u2018\u2019\u201c\u201d\u2026]/u

/**
 * `value` as a double-quoted CSS string. Every character outside the safe set becomes a six-digit
 * escape followed by a space (`\00003C `): the string can neither end early (a quote, a newline, a
 * `\r` or `\f` ends a CSS string) nor end the `<style>` element it stands in (`</style>`).
 */
export function cssString(value: string): string {
  let out = '"'
  for (const character of value) {
    out += cssSafe.test(character) ? character : `\\${character.codePointAt(0)!.toString(16).toUpperCase().padStart(6, '0')} `
  }
  return out + '"'
}

/** `value` as HTML text or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/**
 * The Content-Security-Policy of every page Chromium renders: no script, no connection (WebSockets
 * included), no frame, no form, no `<base>`; styles only inline, fonts and images only from the
 * sources given (the build's own `file:` URLs and `data:` URLs).
 */
export function renderPolicy(sources: readonly string[]): string {
  const from = sources.join(' ')
  return `default-src 'none'; script-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'; style-src 'unsafe-inline'; font-src ${from}; img-src ${from}`
}
