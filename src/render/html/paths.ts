// Where the HTML edition puts things, and the relative links between them (the site works from file://).

/** Stylesheets, fonts and scripts shared by every locale. */
export const staticFolder = 'html/static'
/** Images, under their path relative to the handbook folder. */
export const mediaFolder = 'html/media'
/** The search index of a locale, next to its pages; a script, because file:// pages cannot fetch JSON. */
export const searchIndexName = 'search-index.js'
/** The client script, the search engine (loaded on first search) and the stylesheet, in the static folder. */
export const clientScriptName = 'handbook.js'
export const searchEngineName = 'search-engine.js'
export const stylesheetName = 'handbook.css'
/** The site's icon, drawn from the cover (cover-design.ts). */
export const faviconName = 'favicon.svg'

/** The folder of a locale's pages, relative to the output folder. */
export function localeFolder(tag: string): string {
  return `html/${tag}`
}

/** The file name of a chapter's page (pages of a locale share one folder). */
export function pageOf(chapterId: string): string {
  return `${chapterId}.html`
}

/** From a page in a locale folder to the same chapter (or contents page) in another locale. */
export function pageInLocale(tag: string, chapterId: string | undefined): string {
  return `../${tag}/${chapterId === undefined ? 'index.html' : pageOf(chapterId)}`
}

/** From a page in a locale folder to a shared static file. */
export function staticHref(name: string): string {
  return `../static/${name}`
}
