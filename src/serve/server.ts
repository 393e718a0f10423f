// The preview's HTTP server on 127.0.0.1: files of the HTML folder only, live-reload events, and the overlay script.
import { readFileSync } from 'node:fs'
import { readFile, realpath, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { toolRoot } from '../tool-root.js'

/** The path of the event stream; `__` cannot start a locale tag, so it never hides a page. */
export const eventsPath = '/__handbook/events'

/** The browser side of live reload and the error overlay, injected into every page served (not into the files). */
const liveScript = readFileSync(path.join(toolRoot, 'src', 'serve', 'client', 'live.js'), 'utf8')

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

/** Where a request leads: a file inside the folder, a redirect to the folder's slash form, or a refusal. */
export type Resolution = { file: string } | { redirect: string } | { status: 400 | 403 | 404 }

/**
 * Map a request target to a file inside `folder`, refusing everything that could leave it: dot
 * segments (plain or percent-encoded), encoded slashes and backslashes, NUL bytes, and symbolic
 * links that point outside. Refusals come before any file system access but the final checks.
 */
export async function resolveRequest(target: string, folder: string): Promise<Resolution> {
  const rawPath = target.split(/[?#]/)[0] ?? ''
  // Only origin-form targets: an absolute URL or `*` could name anything.
  if (!rawPath.startsWith('/')) return { status: 403 }
  if (/%(2f|5c|00)|\\|\0/i.test(rawPath)) return { status: 403 }
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return { status: 400 }
  }
  const segments = decoded.split('/').slice(1)
  if (segments.some((segment) => segment.startsWith('.'))) return { status: 403 }
  const root = await realpath(folder).catch(() => undefined)
  if (!root) return { status: 404 }
  let file = path.join(root, ...segments)
  if (!isInside(file, root)) return { status: 403 }
  const info = await stat(file).catch(() => undefined)
  if (!info) return { status: 404 }
  if (info.isDirectory()) {
    if (!rawPath.endsWith('/')) return { redirect: `${rawPath}/` }
    file = path.join(file, 'index.html')
  }
  const real = await realpath(file).catch(() => undefined)
  if (!real) return { status: 404 }
  if (!isInside(real, root)) return { status: 403 }
  return { file: real }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

export interface PreviewServer {
  server: Server
  /** The port it listens on (useful with port 0). */
  port: number
  /** Send an event to every open page. */
  broadcast(event: 'reload' | 'css' | 'problems', data: unknown): void
  close(): Promise<void>
}

export interface ServerOptions {
  /** The folder served: the HTML edition. */
  folder: string
  port: number
  /** The data of the `problems` event a page gets when it connects. */
  problems: () => unknown
  /** Answers `/__handbook/editions/<locale>.<pdf|epub>`: the file made from the current sources. */
  edition?: (locale: string, format: 'pdf' | 'epub') => Promise<{ name: string; data: Buffer }>
}

/** Where the preview serves each locale's PDF and EPUB, made on request. */
export const editionsPath = '/__handbook/editions/'

/** Start the server on 127.0.0.1; rejects when the port is taken. */
export async function startServer(options: ServerOptions): Promise<PreviewServer> {
  const clients = new Set<ServerResponse>()
  // Counts the rebuilds: a page learns the count it was served at and the count when its events
  // connect, so a rebuild announced while it was loading (its events not yet open) still reloads it.
  let generation = 0
  let port = options.port
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) send(response, 500, `Cannot serve ${request.url}: ${error.message}`)
      else response.end()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Pages of other sites that a browser opens may not read the preview (DNS rebinding).
    const host = request.headers.host ?? ''
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(response, 403, 'Forbidden host')
    // A page of another site may embed `<script src>` of the preview (its search index holds every
    // section, drafts included): browsers say where a request comes from, and only the preview
    // itself (or the address bar) may ask.
    const site = request.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return send(response, 403, 'Forbidden: the preview answers only its own pages')
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'Method not allowed', { allow: 'GET, HEAD' })
    const target = request.url ?? '/'
    if (target === eventsPath) return openEvents(response)
    const wanted = /^\/__handbook\/editions\/([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*)\.(pdf|epub)$/.exec(target.split('?')[0]!)
    if (wanted && options.edition) return sendEdition(response, request.method === 'HEAD', wanted[1]!, wanted[2] as 'pdf' | 'epub')
    const resolution = await resolveRequest(target, options.folder)
    if ('status' in resolution) return send(response, resolution.status, resolution.status === 404 ? 'Not found' : resolution.status === 403 ? 'Forbidden' : 'Bad request')
    if ('redirect' in resolution) return send(response, 301, 'Moved', { location: resolution.redirect })
    const extension = path.extname(resolution.file).toLowerCase()
    let body: Buffer | string = await readFile(resolution.file)
    if (extension === '.html') body = inject(body.toString('utf8'), generation)
    response.writeHead(200, {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Browsers that do not send Sec-Fetch-Site still refuse to hand the file to another origin.
      'cross-origin-resource-policy': 'same-origin'
    })
    response.end(request.method === 'HEAD' ? undefined : body)
  }

  async function sendEdition(response: ServerResponse, head: boolean, locale: string, format: 'pdf' | 'epub'): Promise<void> {
    let made
    try {
      made = await options.edition!(locale, format)
    } catch (error) {
      // The reason (an error in the book, a renderer failure) is the page the editor sees.
      return send(response, 409, `Cannot make the ${format.toUpperCase()} of \`${locale}\`: ${(error as Error).message}`)
    }
    response.writeHead(200, {
      'content-type': format === 'pdf' ? 'application/pdf' : 'application/epub+zip',
      'content-length': made.data.byteLength,
      // PDFs open in the browser's viewer; EPUBs download under the name a build gives them.
      'content-disposition': `${format === 'pdf' ? 'inline' : 'attachment'}; filename="${made.name}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff'
    })
    response.end(head ? undefined : made.data)
  }

  function openEvents(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'cross-origin-resource-policy': 'same-origin' })
    response.write(`retry: 500\n\n`)
    response.write(event('problems', options.problems()))
    response.write(event('generation', generation))
    clients.add(response)
    response.on('close', () => clients.delete(response))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  return {
    server,
    port,
    broadcast(name, data) {
      if (name === 'reload') generation++
      const message = event(name, data)
      for (const client of clients) client.write(message)
    },
    async close() {
      for (const client of clients) client.end()
      clients.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
}

function send(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'cross-origin-resource-policy': 'same-origin', ...headers })
  response.end(text + '\n')
}

/** Add the live-reload script before `</body>` (or at the end), with the rebuild count the page is served at. */
function inject(html: string, generation: number): string {
  const script = `<script data-generation="${generation}">${liveScript}</script>`
  const at = html.lastIndexOf('</body>')
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at)
}
