/* handbook serve: reload the page when it was rebuilt, swap the stylesheet, and show build errors over the page. */
(function () {
  'use strict'
  if (!window.EventSource) return
  var source = new EventSource('/__handbook/events')
  // The rebuilds the server had made when it served this page.
  var served = Number(document.currentScript && document.currentScript.getAttribute('data-generation'))

  /** This page's path as the server reports rebuilt pages: `lv/introduction.html`. */
  function here() {
    var page = decodeURIComponent(location.pathname).replace(/^\//, '')
    return page === '' || /\/$/.test(page) ? page + 'index.html' : page
  }

  source.addEventListener('reload', function (event) {
    // Every rebuild is counted, this page's or not: heard here, it is not news when the events reconnect.
    served++
    var pages = JSON.parse(event.data)
    if (pages.indexOf('*') >= 0 || pages.indexOf(here()) >= 0) location.reload()
  })

  // Sent when the events connect (again): a rebuild since this page was served was announced
  // while it was loading or disconnected, so it never heard it.
  source.addEventListener('generation', function (event) {
    if (Number(event.data) > served) location.reload()
  })

  source.addEventListener('css', function () {
    var links = document.querySelectorAll('link[rel="stylesheet"]')
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute('href').split('?')[0]
      links[i].setAttribute('href', href + '?v=' + Date.now())
    }
  })

  var host = null
  source.addEventListener('problems', function (event) {
    var problems = JSON.parse(event.data)
    if (host) {
      host.remove()
      host = null
    }
    if (!problems.length) return
    host = document.createElement('div')
    host.id = 'handbook-overlay'
    var root = host.attachShadow({ mode: 'open' })
    var style = document.createElement('style')
    style.textContent =
      '.box{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#1b1b1f;color:#f2f2f2;' +
      'border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:12px 16px;box-shadow:0 -4px 16px rgb(0 0 0/.4)}' +
      'h2{font:bold 15px/1.4 system-ui,sans-serif;margin:0 0 8px;color:#ff9592}li{margin:4px 0}ul{margin:0;padding-left:18px}' +
      '.where{color:#8cb8ff}.rule{color:#b8bdc4}button{position:absolute;top:8px;right:12px;font:inherit;background:#2e2e35;color:#f2f2f2;' +
      'border:1px solid #666;border-radius:4px;padding:2px 10px;cursor:pointer}button:focus-visible{outline:3px solid #ffb86b}'
    var box = document.createElement('section')
    box.className = 'box'
    box.setAttribute('role', 'alert')
    var title = document.createElement('h2')
    title.textContent = 'handbook serve: ' + problems.length + (problems.length === 1 ? ' error' : ' errors')
    var list = document.createElement('ul')
    problems.forEach(function (problem) {
      var item = document.createElement('li')
      var where = document.createElement('span')
      where.className = 'where'
      where.textContent = problem.file + (problem.line ? ':' + problem.line + ':' + (problem.column || 1) : '')
      var rule = document.createElement('span')
      rule.className = 'rule'
      rule.textContent = problem.ruleId ? ' [' + problem.ruleId + ']' : ''
      item.appendChild(where)
      item.appendChild(document.createTextNode(' ' + problem.reason))
      item.appendChild(rule)
      list.appendChild(item)
    })
    var close = document.createElement('button')
    close.type = 'button'
    close.textContent = 'Close'
    close.addEventListener('click', function () {
      host.remove()
      host = null
    })
    box.appendChild(title)
    box.appendChild(list)
    box.appendChild(close)
    root.appendChild(style)
    root.appendChild(box)
    document.body.appendChild(host)
  })

  // The print layout of what was just written: this locale's PDF and EPUB, made by the preview on request.
  var locale = (location.pathname.split('/')[1] || '').match(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
  if (locale) {
    var bar = document.createElement('div')
    bar.id = 'handbook-editions'
    var shadow = bar.attachShadow({ mode: 'open' })
    var css = document.createElement('style')
    css.textContent =
      'nav{position:fixed;top:8px;right:8px;z-index:2147483646;font:13px/1.4 system-ui,sans-serif;background:#1b1b1f;color:#f2f2f2;' +
      'border-radius:6px;padding:4px 10px;box-shadow:0 2px 8px rgb(0 0 0/.3)}a{color:#8cb8ff;margin-left:8px}a:focus-visible{outline:3px solid #ffb86b}'
    var nav = document.createElement('nav')
    nav.setAttribute('aria-label', 'handbook serve')
    nav.appendChild(document.createTextNode('Preview:'))
    ;['pdf', 'epub'].forEach(function (format) {
      var link = document.createElement('a')
      link.href = '/__handbook/editions/' + locale[0] + '.' + format
      link.textContent = format.toUpperCase()
      if (format === 'pdf') link.target = '_blank'
      nav.appendChild(link)
    })
    shadow.appendChild(css)
    shadow.appendChild(nav)
    document.body.appendChild(bar)
  }
})()
