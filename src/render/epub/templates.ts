// The EJS templates of the EPUB's own files: content documents, package document, navigation, NCX.
// (They replaced epub-gen-memory's, which hard-code `xml:lang="en"`, one joined creator, invented
// rights, a flat TOC and no accessibility metadata.)

/** A content document; `content` is XHTML we serialized ourselves. */
export const pageTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="<%= pageLang %>" xml:lang="<%= pageLang %>"<% if (pageDir === 'rtl') { %> dir="rtl"<% } %>>
<head>
<meta charset="utf-8" />
<title><%= title %></title>
<link rel="stylesheet" type="text/css" href="style.css" />
</head>
<body epub:type="<%= matter %>">
<%- content %>
</body>
</html>
`

/** The package document. `id` is the edition identifier (set on the generator). */
export const packageTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<%_ const langAttr = (value) => value.lang === meta.language ? '' : ' xml:lang="' + value.lang + '"' _%>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="<%= meta.language %>" dir="<%= meta.dir %>" prefix="ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id"><%= id %></dc:identifier>
    <dc:title id="title"><%= meta.title %></dc:title>
    <dc:language><%= meta.language %></dc:language>
<%_ meta.creators.forEach(function (creator, index) { _%>
    <dc:creator id="creator-<%= index + 1 %>"<%- langAttr(creator) %>><%= creator.text %></dc:creator>
<%_ }) _%>
    <dc:publisher<%- langAttr(meta.publisher) %>><%= meta.publisher.text %></dc:publisher>
    <dc:rights<%- langAttr(meta.rights) %>><%= meta.rights.text %></dc:rights>
<%_ if (meta.description) { _%>
    <dc:description<%- langAttr(meta.description) %>><%= meta.description.text %></dc:description>
<%_ } _%>
<%_ meta.subjects.forEach(function (subject) { _%>
    <dc:subject<%- langAttr(subject) %>><%= subject.text %></dc:subject>
<%_ }) _%>
    <dc:date><%= meta.date %></dc:date>
    <meta property="dcterms:modified"><%= meta.modified %></meta>
<%_ meta.accessibility.accessModes.forEach(function (value) { _%>
    <meta property="schema:accessMode"><%= value %></meta>
<%_ }) _%>
<%_ meta.accessibility.sufficient.forEach(function (value) { _%>
    <meta property="schema:accessModeSufficient"><%= value %></meta>
<%_ }) _%>
<%_ meta.accessibility.features.forEach(function (value) { _%>
    <meta property="schema:accessibilityFeature"><%= value %></meta>
<%_ }) _%>
<%_ meta.accessibility.hazards.forEach(function (value) { _%>
    <meta property="schema:accessibilityHazard"><%= value %></meta>
<%_ }) _%>
    <meta property="schema:accessibilitySummary"<%- langAttr(meta.accessibility.summary) %>><%= meta.accessibility.summary.text %></meta>
    <meta property="dcterms:conformsTo"><%= meta.accessibility.conformsTo %></meta>
    <meta property="a11y:certifiedBy"><%= meta.accessibility.certifiedBy %></meta>
    <meta property="ibooks:specified-fonts">true</meta>
    <meta name="cover" content="cover-image" />
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav" />
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml" />
    <item id="css" href="style.css" media-type="text/css" />
    <item id="cover-image" href="cover.<%= cover.extension %>" media-type="<%= cover.mediaType %>" properties="cover-image" />
<%_ content.forEach(function (page) { _%>
    <item id="<%= page.itemId %>" href="<%= page.filename %>" media-type="application/xhtml+xml" />
<%_ }) _%>
<%_ images.forEach(function (image) { _%>
    <item id="image-<%= image.id %>" href="images/<%= image.id %>.<%= image.extension %>" media-type="<%= image.mediaType %>" />
<%_ }) _%>
<%_ fonts.forEach(function (font, index) { _%>
    <item id="font-<%= index + 1 %>" href="fonts/<%= font.filename %>" media-type="<%= font.mediaType %>" />
<%_ }) _%>
  </manifest>
  <spine toc="ncx"<% if (meta.dir === 'rtl') { %> page-progression-direction="rtl"<% } %>>
<%_ content.filter(function (page) { return page.beforeToc }).forEach(function (page) { _%>
    <itemref idref="<%= page.itemId %>" />
<%_ }) _%>
    <itemref idref="nav" />
<%_ content.filter(function (page) { return !page.beforeToc }).forEach(function (page) { _%>
    <itemref idref="<%= page.itemId %>" />
<%_ }) _%>
  </spine>
</package>
`

/** The navigation document: nested contents (parts, chapters, sections) and landmarks. */
export const navTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<%_ const langAttrs = (entry) => entry.lang && entry.lang !== meta.language ? ' lang="' + entry.lang + '" xml:lang="' + entry.lang + '"' : '' _%>
<%_ const list = (entries, depth) => { _%>
<%- '  '.repeat(depth) %><ol>
<%_ entries.forEach(function (entry) { _%>
<%_ if (entry.children.length === 0) { _%>
<%- '  '.repeat(depth + 1) %><li><a href="<%= entry.href %>"<%- langAttrs(entry) %>><%= entry.label %></a></li>
<%_ } else { _%>
<%- '  '.repeat(depth + 1) %><li><a href="<%= entry.href %>"<%- langAttrs(entry) %>><%= entry.label %></a>
<%_ list(entry.children, depth + 2) _%>
<%- '  '.repeat(depth + 1) %></li>
<%_ } _%>
<%_ }) _%>
<%- '  '.repeat(depth) %></ol>
<%_ } _%>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="<%= meta.language %>" xml:lang="<%= meta.language %>"<% if (meta.dir === 'rtl') { %> dir="rtl"<% } %>>
<head>
<meta charset="utf-8" />
<title><%= navTitle %></title>
<link rel="stylesheet" type="text/css" href="style.css" />
</head>
<body epub:type="frontmatter">
<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-heading">
<h1 id="toc-heading"><%= navTitle %></h1>
<%_ list(nav, 0) _%>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<ol>
<%_ landmarks.forEach(function (landmark) { _%>
  <li><a epub:type="<%= landmark.type %>" href="<%= landmark.href %>"><%= landmark.label %></a></li>
<%_ }) _%>
</ol>
</nav>
</body>
</html>
`

/** The EPUB 2 NCX, for older reading systems; its uid must be the package's identifier (NCX-001). */
export const ncxTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<%_ const points = (entries, depth) => { _%>
<%_ entries.forEach(function (entry) { _%>
<%- '  '.repeat(depth) %><navPoint id="nav-<%= entry.order %>" playOrder="<%= entry.order %>">
<%- '  '.repeat(depth + 1) %><navLabel><text><%= entry.label %></text></navLabel>
<%- '  '.repeat(depth + 1) %><content src="<%= entry.href %>" />
<%_ points(entry.children, depth + 1) _%>
<%- '  '.repeat(depth) %></navPoint>
<%_ }) _%>
<%_ } _%>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= meta.language %>">
  <head>
    <meta name="dtb:uid" content="<%= id %>" />
    <meta name="dtb:depth" content="<%= navDepth %>" />
    <meta name="dtb:totalPageCount" content="0" />
    <meta name="dtb:maxPageNumber" content="0" />
  </head>
  <docTitle><text><%= meta.title %></text></docTitle>
  <navMap>
<%_ points(nav, 2) _%>
  </navMap>
</ncx>
`
