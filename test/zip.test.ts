// The ZIP writer of the EPUB container, read back by an independent reader (JSZip); EPUBCheck reads the real EPUBs in epub.test.ts.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import JSZip from 'jszip'
import { crc32, writeZip } from '../src/output/zip.js'

test('crc32 gives the check value of the standard', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926)
  assert.equal(crc32(Buffer.alloc(0)), 0)
})

test('writeZip keeps order, stores what is asked, deflates the rest, dates every entry alike', async () => {
  const text = 'Gatavi Eiropai — ' + 'ļoti '.repeat(2000)
  const entries = [
    { name: 'mimetype', data: Buffer.from('application/epub+zip'), store: true },
    { name: 'META-INF/container.xml', data: Buffer.from('<container/>') },
    { name: 'OEBPS/nodaļa.xhtml', data: Buffer.from(text) },
    { name: 'OEBPS/empty.css', data: Buffer.alloc(0) }
  ]
  const date = new Date(Date.UTC(2014, 6, 31, 13, 45, 30))
  const zip = writeZip(entries, date)
  // EPUB's rule: the first entry is `mimetype`, stored, its content at byte 38.
  assert.equal(zip.subarray(30, 38).toString(), 'mimetype')
  assert.equal(zip.subarray(38, 58).toString(), 'application/epub+zip')
  assert.ok(zip.length < text.length / 4, 'the repeated text is deflated')
  const read = await JSZip.loadAsync(zip)
  assert.deepEqual(Object.keys(read.files), entries.map((entry) => entry.name))
  for (const entry of entries) {
    const file = read.file(entry.name)!
    assert.deepEqual(await file.async('nodebuffer'), entry.data, entry.name)
    // DOS times have two-second steps.
    assert.equal(file.date.getTime(), Date.UTC(2014, 6, 31, 13, 45, 30), entry.name)
  }
  assert.deepEqual(writeZip(entries, date), zip, 'the same entries give the same bytes')
})
