// The web UI: express + handlebars, server-rendered, read-only. Every page is one loader
// (web/pages.ts) whose data is rendered as HTML at /… and returned as JSON at /api/….
//
// Templates and static files are found from the project root (graph/paths.ts), not from this
// file's location, because compiled code runs from dist/ where the templates are not copied.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { create } from 'express-handlebars';
import helmet from 'helmet';
import type { GraphStore } from '../graph/store.js';
import { projectPath } from '../graph/paths.js';
import { HttpError, notFound } from './errors.js';
import { createHelpers, type SafeStringCtor } from './helpers.js';
import { loadHome, loadMessage, loadSearch, loadThread } from './pages.js';
import { presentHome, presentMessage, presentSearch, presentThread } from './present.js';
import { encodeMsgid } from './urls.js';
import { queryString, routePage } from './routing.js';
import { ACTION_PATHS, registerModelRoutes, type ModelOptions } from './modelRoutes.js';
import { RateLimitError } from './rateLimit.js';
import { loadGraph, presentGraph } from './graphPages.js';
import { registerPatchRoutes } from './patchRoutes.js';

export interface AppOptions {
  /** Re-read templates on every request (for editing them); off by default. */
  reloadTemplates?: boolean;
  /** Where server errors are reported (default: stderr). */
  logError?: (err: unknown) => void;
  /** Limits of model runs (re-runs per minute, time per run, runs at once). */
  model?: ModelOptions;
}

/** The fixed directories the UI reads at run time. */
export const VIEWS_DIR = projectPath('web', 'views');
export const STATIC_DIR = projectPath('web', 'static');
export const CYTOSCAPE_FILE = projectPath('node_modules', 'cytoscape', 'dist', 'cytoscape.min.js');

export function createApp(store: GraphStore, opts: AppOptions = {}): express.Application {
  const app = express();
  const hbs = create({
    extname: '.hbs',
    layoutsDir: projectPath('web', 'views', 'layouts'),
    partialsDir: projectPath('web', 'views', 'partials'),
    defaultLayout: 'main',
  });
  // The Handlebars module express-handlebars loaded carries SafeString; its type there is `unknown`.
  hbs.helpers = createHelpers((hbs.handlebars as unknown as { SafeString: SafeStringCtor }).SafeString);
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
  app.set('view cache', opts.reloadTemplates !== true);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      // Served over plain HTTP on loopback by default: HSTS would be a promise we do not keep.
      strictTransportSecurity: false,
    }),
  );

  // Read-only: nothing but GET and HEAD, except POST to the few actions (re-running a model check),
  // which take nothing else.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const action = ACTION_PATHS.some((re) => re.test(req.path));
    if (action) {
      if (req.method === 'POST') return next();
      res.set('Allow', 'POST');
      return next(new HttpError(405, `${req.method} is not allowed here: this address re-runs a check, with POST (use the form on the page)`));
    }
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.set('Allow', 'GET, HEAD');
    next(new HttpError(405, `${req.method} is not allowed: loregraph's web UI is read-only`));
  });

  app.get('/static/vendor/cytoscape.min.js', (_req: Request, res: Response) => {
    res.sendFile(CYTOSCAPE_FILE, { maxAge: '1d' });
  });
  app.use('/static', express.static(STATIC_DIR, { index: false, dotfiles: 'ignore', redirect: false, maxAge: '1h' }));

  routePage(app, store, '/', '/api/stats', {
    view: 'home',
    load: loadHome,
    present: presentHome,
    api: (req) => `/api/stats${queryString(req)}`,
  });
  routePage(app, store, '/search', '/api/search', {
    view: 'search',
    load: loadSearch,
    present: presentSearch,
    api: (req) => `/api/search${queryString(req)}`,
    hideHeaderSearch: true,
  });
  routePage(app, store, '/thread/:msgid', '/api/thread/:msgid', {
    view: 'thread',
    load: loadThread,
    present: presentThread,
    api: (req) => `/api/thread/${encodeMsgid(String(req.params.msgid))}`,
  });
  routePage(app, store, '/m/:msgid', '/api/message/:msgid', {
    view: 'message',
    load: loadMessage,
    present: presentMessage,
    api: (req) => `/api/message/${encodeMsgid(String(req.params.msgid))}`,
  });

  routePage(app, store, '/graph/:kind/:id', '/api/graph/:kind/:id', {
    view: 'graph',
    load: loadGraph,
    present: (d) => ({ ...presentGraph(d), scripts: ['/static/vendor/cytoscape.min.js', '/static/graph.js'] }),
    api: (req) => `/api/graph/${encodeURIComponent(String(req.params.kind))}/${encodeMsgid(String(req.params.id))}`,
  });
  registerModelRoutes(app, store, opts.model);
  registerPatchRoutes(app, store);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(notFound(`nothing here: ${req.path}`));
  });

  const logError = opts.logError ?? ((err: unknown) => console.error('loregraph web:', err));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let status = 500;
    let message = 'internal error (see the server log)';
    if (err instanceof HttpError) {
      status = err.status;
      message = err.message;
      if (err instanceof RateLimitError && !res.headersSent) res.set('Retry-After', String(err.retryAfterSeconds));
    } else {
      // Errors from express itself (a malformed URL, a refused static path) carry their status.
      const s = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
      if (typeof s === 'number' && s >= 400 && s < 500) {
        status = s;
        message = status === 404 ? `nothing here: ${req.path}` : err instanceof Error ? err.message : 'bad request';
      }
    }
    if (status >= 500) logError(err);
    if (res.headersSent) return;
    res.status(status);
    if (req.path.startsWith('/api/')) {
      res.json({ error: message, status });
      return;
    }
    res.render('error', { title: `${status}`, status, message, view: 'error' });
  });

  return app;
}

export interface StartOptions {
  store: GraphStore;
  host?: string;
  port?: number;
  app?: AppOptions;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops listening and drops open connections. The store stays open: its owner closes it. */
  close(): Promise<void>;
}

export async function startServer({ store, host = '127.0.0.1', port = 8080, app }: StartOptions): Promise<RunningServer> {
  const server = createServer(createApp(store, app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
