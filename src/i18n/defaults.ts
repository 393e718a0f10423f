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
  'not-translated': 'This chapter has not been translated into {language} yet. It is shown in {source}.',
  'source-changed': 'The original of this chapter has changed since it was translated. The translation may be out of date.',
  glossary: 'Glossary',
  language: 'Language',
  languages: 'Languages',
  'skip-to-content': 'Skip to content',
  'table-of-contents': 'Table of contents',
  page: 'page {page}',
  'on-page': 'on page {page}',
  cover: 'Cover',
  'title-page': 'Title page',
  imprint: 'Imprint',
  version: 'Version {version}',
  license: 'License',
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
  'xref.table': 'Table {number}'
} as const

export type StringKey = keyof typeof defaultStrings
export type Strings = Readonly<Record<StringKey, string>>

export const stringKeys = Object.keys(defaultStrings) as StringKey[]
