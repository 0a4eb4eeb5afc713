// The server's shapes and routes, read from the generated `api-types.ts` (never edit that
// file: `make api` regenerates it from the server). These helpers turn a route of `paths`
// into what a call sends and gets back, so a call cannot name a route, a parameter or a
// field the server does not have.

import type { components, paths } from './api-types';

export type Schemas = components['schemas'];

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The routes that answer `M`. */
export type PathsFor<M extends Method> = {
  [P in keyof paths]: paths[P][Lowercase<M>] extends { responses: unknown } ? P : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = paths[P][Lowercase<M>];

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : void;

/** The body of the route's success answer (`void` for a 204). */
export type Answer<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { responses: infer R }
    ? 200 extends keyof R
      ? JsonOf<R[200]>
      : 201 extends keyof R
        ? JsonOf<R[201]>
        : 202 extends keyof R
          ? JsonOf<R[202]>
          : void
    : never;

/** The JSON body the route takes (`never` when it takes none or a multipart one). */
export type RequestBody<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The route's `{name}` parameters. */
export type PathParams<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer T } } ? T : never;

/** The route's query parameters. */
export type Query<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer T } } ? NonNullable<T> : never;

/** `/api/attentions/{attention_id}` with its `{…}` filled in and the query appended. */
export function fillPath(
  path: string,
  params?: Record<string, string | number>,
  query?: Record<string, string | number | null | undefined>,
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} of ${path}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${filled}?${s}` : filled;
}
