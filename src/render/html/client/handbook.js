/* The HTML edition's client script: contents on narrow screens, the language switcher, and search.
   Plain JS, loaded with `defer` by a classic script tag so that pages work from file:// too. */
(function () {
  'use strict'

  /* ---- Contents: open beside the text on wide screens, folded above it on narrow ones. ---- */

  var wide = window.matchMedia('(min-width: 64em)')
  var tocDetails = document.querySelector('.toc-details')
  function fitContents() {
    if (tocDetails) tocDetails.open = wide.matches
  }
  fitContents()
  if (wide.addEventListener) wide.addEventListener('change', fitContents)

  /* ---- Language switcher: the same chapter, at the same section where the other language has it. ---- */

  var switcher = document.querySelector('.language-switcher details')
  /** The id of the reader's place; '' for the top of the chapter. */
  var place = ''
  var settling = 0
  var leaving = 0
  /** How long a scroll must rest before it moves the place; how long the top of the page must be read before it is the place. */
  var restMs = 150
  var topMs = 10000

  /** The hash target when it is on screen, else the last heading above the reading line, else ''. */
  function sectionInView() {
    var hash = decodeURIComponent(location.hash.slice(1))
    var target = hash && document.getElementById(hash)
    if (target) {
      var box = target.getBoundingClientRect()
      if (box.bottom > 0 && box.top < window.innerHeight) return hash
    }
    var headings = document.querySelectorAll('article h2[id], article h3[id], article h4[id], article dt[id]')
    // The reading line is near the top: a short section scrolled to the top is the one being read,
    // although the next heading is on screen too.
    var line = Math.min(window.innerHeight / 3, 96)
    var found = ''
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= line) found = headings[i].id
      else break
    }
    return found
  }

  /** Point every link of the switcher at `place` where the other language has it, else at the chapter. */
  function setPlace(id) {
    place = id
    var links = switcher.querySelectorAll('a[hreflang]')
    for (var i = 0; i < links.length; i++) {
      var link = links[i]
      var base = link.getAttribute('href').split('#')[0]
      var missing = (link.getAttribute('data-missing') || '').split(' ')
      link.setAttribute('href', place && missing.indexOf(place) < 0 ? base + '#' + encodeURIComponent(place) : base)
    }
  }

  /**
   * A scroll came to rest. Back at the top of the page the place stays: the switcher is up there, and
   * going up to reach it must not lose the section being read. Only a reader who stays at the top
   * (reading the opening) makes it the place.
   */
  function rested() {
    var id = sectionInView()
    clearTimeout(leaving)
    if (id || !place) setPlace(id)
    else leaving = setTimeout(function () { setPlace(sectionInView()) }, topMs)
  }

  /** The reader is switching now: pending moves of the place are not theirs. */
  function hold() {
    clearTimeout(settling)
    clearTimeout(leaving)
  }

  if (switcher) {
    // The links always carry the place, not only when used: hovering shows it, a middle click or
    // "copy link" takes it. Without this script they lead to the top of the chapter.
    window.addEventListener('scroll', function () {
      clearTimeout(settling)
      settling = setTimeout(rested, restMs)
    }, { passive: true })
    window.addEventListener('hashchange', function () {
      hold()
      setPlace(sectionInView())
    })
    switcher.addEventListener('toggle', hold)
    switcher.addEventListener('click', hold)
    switcher.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && switcher.open) {
        switcher.open = false
        switcher.querySelector('summary').focus()
      }
    })
    document.addEventListener('click', function (event) {
      if (switcher.open && !switcher.contains(event.target)) switcher.open = false
    })
    // Opened at a fragment, the place is there even before the browser has scrolled to it.
    var opened = decodeURIComponent(location.hash.slice(1))
    setPlace(opened && document.getElementById(opened) ? opened : sectionInView())
  }

  /* ---- Search: the engine and the locale's prebuilt index, loaded on first use. ---- */

  var form = document.querySelector('.site-search')
  if (!form) return
  var input = form.querySelector('input')
  var list = form.querySelector('.search-results')
  var status = form.querySelector('.search-status')
  form.hidden = false

  var loading = null
  var engine = null
  var data = null

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script')
      script.src = src
      script.onload = resolve
      script.onerror = function () { reject(new Error('Cannot load ' + src)) }
      document.head.appendChild(script)
    })
  }

  function load() {
    if (!loading) {
      loading = Promise.all([loadScript(form.getAttribute('data-engine')), loadScript(form.getAttribute('data-index'))]).then(function () {
        data = window.handbookSearch
        engine = window.HandbookSearch
      })
    }
    return loading
  }

  function fill(template, values) {
    return template.replace(/\{([a-z]+)\}/g, function (match, name) { return name in values ? String(values[name]) : match })
  }

  /** Words of `text` whose folded form is one of `terms`, as [start, end] ranges. */
  function matches(text, terms) {
    var ranges = []
    var word = /[\p{L}\p{N}]+/gu
    var found
    while ((found = word.exec(text))) {
      if (terms[engine.normalize(found[0])]) ranges.push([found.index, found.index + found[0].length])
    }
    return ranges
  }

  /** A passage of about 180 characters around the first match, with the matches marked. */
  function snippet(text, terms) {
    var ranges = matches(text, terms)
    var start = ranges.length ? Math.max(0, ranges[0][0] - 60) : 0
    if (start > 0) {
      var space = text.indexOf(' ', start)
      start = space >= 0 && space < ranges[0][0] ? space + 1 : start
    }
    var end = Math.min(text.length, start + 180)
    if (end < text.length) {
      var last = text.lastIndexOf(' ', end)
      if (last > start) end = last
    }
    var fragment = document.createDocumentFragment()
    if (start > 0) fragment.appendChild(document.createTextNode('… '))
    var at = start
    ranges.forEach(function (range) {
      if (range[0] < start || range[1] > end) return
      fragment.appendChild(document.createTextNode(text.slice(at, range[0])))
      var mark = document.createElement('mark')
      mark.textContent = text.slice(range[0], range[1])
      fragment.appendChild(mark)
      at = range[1]
    })
    fragment.appendChild(document.createTextNode(text.slice(at, end)))
    if (end < text.length) fragment.appendChild(document.createTextNode(' …'))
    return fragment
  }

  function span(className, text, lang) {
    var element = document.createElement('span')
    element.className = className
    element.textContent = text
    if (lang) element.lang = lang
    return element
  }

  var pending = 0
  function search() {
    var query = input.value.trim()
    var ticket = ++pending
    if (!query) {
      show([], '')
      return
    }
    load().then(function () {
      if (ticket !== pending) return
      show(engine.search(data, query, 20), query)
    }, function () {
      status.textContent = fill(form.getAttribute('data-no-results'), { query: query })
    })
  }

  function show(results, query) {
    list.textContent = ''
    // Which query the list answers: typing runs ahead of the search.
    list.setAttribute('data-query', query)
    results.forEach(function (result) {
      var documentData = data.documents[result.id]
      var chapter = data.chapters[documentData[0]]
      var terms = {}
      result.terms.forEach(function (term) { terms[term] = true })
      var link = document.createElement('a')
      link.href = documentData[0] + '.html' + (documentData[1] ? '#' + documentData[1] : '')
      if (chapter.lang) link.lang = chapter.lang
      // A section shows its title and its chapter; the top of a chapter, the chapter alone.
      link.appendChild(span('search-result-title', documentData[1] ? documentData[2] : chapter.label))
      if (documentData[1]) link.appendChild(span('search-result-chapter', chapter.label))
      var text = span('search-result-snippet', '')
      text.appendChild(snippet(documentData[3], terms))
      link.appendChild(text)
      var item = document.createElement('li')
      item.appendChild(link)
      list.appendChild(item)
    })
    list.hidden = results.length === 0
    status.textContent = !query ? '' : results.length ? fill(form.getAttribute('data-results'), { count: results.length }) : fill(form.getAttribute('data-no-results'), { query: query })
  }

  var timer = 0
  input.addEventListener('input', function () {
    clearTimeout(timer)
    timer = setTimeout(search, 80)
  })
  input.addEventListener('focus', function () {
    load()
    if (list.children.length) list.hidden = false
  })
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    var first = list.querySelector('a')
    if (first) first.click()
  })

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('a'))
  }

  form.addEventListener('keydown', function (event) {
    var all = links()
    var index = all.indexOf(document.activeElement)
    if (event.key === 'ArrowDown' && all.length) {
      event.preventDefault()
      all[Math.min(index + 1, all.length - 1)].focus()
    } else if (event.key === 'ArrowUp' && index >= 0) {
      event.preventDefault()
      if (index === 0) input.focus()
      else all[index - 1].focus()
    } else if (event.key === 'Escape') {
      if (!list.hidden) {
        list.hidden = true
        input.focus()
      } else {
        input.value = ''
        show([], '')
      }
    }
  })
  // Results fold away when the focus leaves the search, and come back when it returns.
  form.addEventListener('focusout', function (event) {
    if (!event.relatedTarget || !form.contains(event.relatedTarget)) list.hidden = true
  })
})()
