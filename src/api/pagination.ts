import { type Static, type TSchema, Type } from "@sinclair/typebox";

/** `?limit=&offset=` of every list endpoint. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type PageQuery = Static<typeof PageQuery>;

/** A page of a list: its items, and the URL of the next page (null on the last). */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    limit: Type.Integer(),
    offset: Type.Integer(),
    next: Type.Union([Type.String(), Type.Null()]),
  });
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  next: string | null;
}

/**
 * Runs `fetch` for one more item than the page holds, to know whether a next page exists
 * without a count query; `next` keeps the request's other query parameters.
 */
export async function paginate<T>(
  url: string,
  query: PageQuery,
  fetch: (limit: number, offset: number) => Promise<T[]>,
): Promise<Page<T>> {
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  const rows = await fetch(limit + 1, offset);
  const more = rows.length > limit;
  let next: string | null = null;
  if (more) {
    const u = new URL(url, "http://x");
    u.searchParams.set("limit", String(limit));
    u.searchParams.set("offset", String(offset + limit));
    next = `${u.pathname}${u.search}`;
  }
  return { items: rows.slice(0, limit), limit, offset, next };
}
