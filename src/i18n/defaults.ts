// The interface strings every edition needs, with their English defaults (the last fallback).

/**
 * Keys and English texts. `{name}` marks a value filled in by the tool.
 * A handbook overrides them per locale in `strings/<locale>.yaml`.
 */
export const defaultStrings = {
  contents: 'Contents',
  chapter: 'Chapter {number}',
  part: 'Part {number}',
  'figure-label': 'Figure {number}',
  'table-label': 'Table {number}',
  footnotes: 'Notes',
  'footnote-back': 'Back to reference {number}',
  previous: 'Previous',
  next: 'Next',
  search: 'Search',
  'search-placeholder': 'Search the handbook',
  'search-no-results': 'No results for “{query}”',
  'search-results': 'Results: {count}',
  'not-translated': 'This chapter has not been translated into {language} yet. It is shown in {source}.',
  'source-changed': 'The original of this chapter has changed since it was translated. The translation may be out of date.',
  'translation-outdated': 'The {language} translation of this chapter is out of date, so it is shown in {source}.',
  'translation-draft': 'This translation is a draft and not finished yet.',
  'translation-report': 'Translation status',
  'translation-report-summary': '{coverage} of the handbook is translated into {language}; {current} is up to date with the original.',
  'translation-report-chapter': 'Chapter',
  'translation-report-state': 'State',
  'translation-report-sections': 'Sections to update',
  'translation-state.current': 'up to date',
  'translation-state.stale': 'original changed',
  'translation-state.draft': 'draft',
  'translation-state.untracked': 'not checked',
  'translation-state.missing': 'not translated',
  glossary: 'Glossary',
  language: 'Language',
  languages: 'Languages',
  'skip-to-content': 'Skip to content',
  'heading-link': 'Link to this section',
  'table-of-contents': 'Table of contents',
  page: 'page {page}',
  'on-page': 'on page {page}',
  cover: 'Cover',
  'title-page': 'Title page',
  imprint: 'Imprint',
  version: 'Version {version}',
  license: 'License',
  'build-date': 'Built on {date}',
  'accessibility-summary':
    'This publication meets {conformance}. It has a table of contents with parts, chapters and sections, headings in a logical order, text descriptions of all figures, and notes linked to and from the text. It has no flashing, motion or sound hazards.',
  'callout.note': 'Note',
  'callout.tip': 'Tip',
  'callout.warning': 'Warning',
  'callout.exercise': 'Exercise',
  'callout.objectives': 'Learning objectives',
  'callout.case-study': 'Case scenario',
  'callout.checklist': 'Self-assessment checklist',
  'xref.chapter': 'chapter {number}, {title}',
  'xref.unnumbered': '“{title}”',
  'xref.part': '{title}',
  'xref.section': 'section {number}, {title}',
  'xref.figure': 'Figure {number}',
  'xref.table': 'Table {number}',
  /** Before the links to the PDF and EPUB of the locale. */
  downloads: 'Download',
  /** A download link: the format (PDF, EPUB) and its file size in the locale's number format. */
  'download-file': '{format}, {size}',
  'edit-page': 'Edit this page',
  'html-removed': 'Removed HTML: {element}'
} as const

export type StringKey = keyof typeof defaultStrings

/**
 * Grammatical forms of strings: a generated cross-reference takes the case its sentence needs
 * (Latvian "sk. 1.1. attēlu", accusative, where the label alone is "1.1. attēls").
 */
export interface StringForms {
  /** Per key, its text in cases other than the nominative (the key's own text). */
  readonly cases: Readonly<Partial<Record<StringKey, Readonly<Record<string, string>>>>>
  /** Per case, the words after which a cross-reference takes it (`accusative: ['sk.']`). */
  readonly after: Readonly<Record<string, readonly string[]>>
}

export type Strings = Readonly<Record<StringKey, string>> & { readonly forms?: StringForms }

export const stringKeys = Object.keys(defaultStrings) as StringKey[]
