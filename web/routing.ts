// How a page is routed: one loader whose data is rendered with a template at the HTML path and
// returned as it is at the /api/… path. Actions (the model re-run) are the same over POST.
import express, { type Request, type Response } from 'express';
import type { GraphStore } from '../graph/store.js';

export type Loader<T> = (store: GraphStore, req: Request) => Promise<T>;

export interface PageSpec<T> {
  view: string;
  load: Loader<T>;
  present: (data: T) => { title: string } & object;
  /** The /api/… URL holding the same data as this request's page. */
  api: (req: Request) => string;
  hideHeaderSearch?: boolean;
}

export function queryString(req: Request): string {
  const i = req.originalUrl.indexOf('?');
  return i === -1 ? '' : req.originalUrl.slice(i);
}

export function htmlHandler<T>(store: GraphStore, spec: PageSpec<T>) {
  return async (req: Request, res: Response): Promise<void> => {
    const data = await spec.load(store, req);
    res.render(spec.view, {
      ...spec.present(data),
      apiUrl: spec.api(req),
      hideHeaderSearch: spec.hideHeaderSearch === true,
      view: spec.view,
    });
  };
}

export function jsonHandler<T>(store: GraphStore, spec: PageSpec<T>) {
  return async (req: Request, res: Response): Promise<void> => {
    res.json(await spec.load(store, req));
  };
}

export function routePage<T>(app: express.Application, store: GraphStore, htmlPath: string, apiPath: string, spec: PageSpec<T>): void {
  app.get(htmlPath, htmlHandler(store, spec));
  app.get(apiPath, jsonHandler(store, spec));
}

/** Form posts are small: a handful of names and numbers. */
export const FORM_BODY = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 100 });
export const JSON_BODY = express.json({ limit: '8kb' });

/** A POST action with an HTML answer (a form) and a JSON twin (a form or a JSON body). */
export function routeAction<T>(app: express.Application, store: GraphStore, htmlPath: string, apiPath: string, spec: PageSpec<T>): void {
  app.post(htmlPath, FORM_BODY, htmlHandler(store, spec));
  app.post(apiPath, FORM_BODY, JSON_BODY, jsonHandler(store, spec));
}
