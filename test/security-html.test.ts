// Issue 18, finding 7: an unclosed raw <textarea>, <noscript>, <style>, <select>, <template> or
// <plaintext> is an error at its place and takes nothing after its own HTML with it.
import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { fixtures, renderFixture } from './helpers.js'

test('finding 7: unclosed raw-text elements are html-unclosed errors, and every later section stays', async () => {
  const { html, messages } = await renderFixture(path.join(fixtures, 'books', 'sec-unclosed', 'unclosed.md'))
  const unclosed = messages
    .split('\n')
    .filter((line) => line.includes('html-unclosed'))
    .map((line) => line.split(' ')[0]!)
    .sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0]))
  // Inline in a paragraph (all six), as a block of its own (four: CommonMark ends a `<textarea>` or
  // `<style>` block only at its end tag), and the last `<style>` block.
  assert.deepEqual(unclosed, ['7:26', '15:26', '17:1', '25:26', '33:26', '35:1', '43:26', '45:1', '53:26', '55:1', '63:1'], messages)
  for (const name of ['textarea', 'noscript', 'style', 'select', 'template', 'plaintext']) {
    assert.match(html, new RegExp(`<h2 id="after-${name}">.*After ${name}</h2>`), `the section after the ${name} is there`)
    assert.match(html, new RegExp(`This text after the ${name} stays\\.`))
    assert.doesNotMatch(html, new RegExp(`<${name}\\b`), `no ${name} element is left`)
  }
  assert.match(html, /<h2 id="last"/)
})
