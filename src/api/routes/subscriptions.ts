import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type DeliveryRecord, EVENT_NAMES, type SubscriptionRecord } from "../../registry/subscriptions.js";
import type { AppDeps } from "../deps.js";
import { PageQuery, paginate } from "../pagination.js";
import { checked, iso } from "./continuous-common.js";

function view(s: SubscriptionRecord) {
  return {
    id: s.id,
    channel: s.channel,
    target: s.target,
    events: s.events,
    enabled: s.enabled,
    hasSecret: s.hasSecret,
    createdAt: s.createdAt.toISOString(),
    links: { self: `/v1/subscriptions/${s.id}`, deliveries: `/v1/subscriptions/${s.id}/deliveries` },
  };
}

function deliveryView(d: DeliveryRecord) {
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    event: d.event,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
    payload: d.payload,
  };
}

const Event = Type.Union(EVENT_NAMES.map((e) => Type.Literal(e)));
const Events = Type.Array(Event, { uniqueItems: true, description: "Empty or absent: every event" });
const Target = Type.String({
  minLength: 3,
  maxLength: 2000,
  description: "An http(s) URL or an e-mail address",
});
const Secret = Type.String({
  minLength: 16,
  maxLength: 256,
  description: "HMAC key of a webhook's signature",
});
const CreateBody = Type.Object(
  {
    channel: Type.Union([Type.Literal("webhook"), Type.Literal("email")]),
    target: Target,
    events: Type.Optional(Events),
    secret: Type.Optional(Secret),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    target: Type.Optional(Target),
    events: Type.Optional(Events),
    secret: Type.Optional(Secret),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Status = Type.Union([Type.Literal("PENDING"), Type.Literal("DELIVERED"), Type.Literal("FAILED")]);
const ListQuery = Type.Composite(
  [
    PageQuery,
    Type.Object({
      channel: Type.Optional(Type.Union([Type.Literal("webhook"), Type.Literal("email")])),
      event: Type.Optional(Event),
    }),
  ],
  { additionalProperties: false },
);
const DeliveryQuery = Type.Composite([PageQuery, Type.Object({ status: Type.Optional(Status) })], {
  additionalProperties: false,
});
const AllDeliveryQuery = Type.Composite(
  [
    PageQuery,
    Type.Object({
      status: Type.Optional(Status),
      subscriptionId: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  ],
  { additionalProperties: false },
);

/**
 * Notification subscriptions (webhooks signed with HMAC-SHA256, e-mail addresses) and the log
 * of their deliveries.
 */
export default async function subscriptionRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = deps.registry;
  const tags = ["notifications"];

  app.post<{ Body: Static<typeof CreateBody> }>(
    "/subscriptions",
    {
      schema: {
        tags,
        summary:
          "Subscribe a webhook or an e-mail address to events (a webhook's secret is shown once, here)",
        description:
          "A webhook receives a POST with a JSON body { delivery, event, workspace, at, data } and the headers " +
          "x-trainyard-event, x-trainyard-delivery (stable across retries), x-trainyard-timestamp (Unix seconds) " +
          "and x-trainyard-signature: sha256=<hex HMAC-SHA256 of `<timestamp>.<body>` keyed with the secret>. " +
          "Any 2xx answer delivers it; anything else is retried with exponential backoff, then FAILED. " +
          "E-mail goes through the SMTP server of TRAINYARD_SMTP_URL.",
        body: CreateBody,
      },
    },
    async (request, reply) => {
      const s = await checked(() => r.subscriptions.create(request.body));
      return reply
        .code(201)
        .header("location", `/v1/subscriptions/${s.id}`)
        .send({ ...view(s), secret: s.secret });
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    "/subscriptions",
    { schema: { tags, summary: "List subscriptions", querystring: ListQuery } },
    async (request) => {
      const { channel, event } = request.query;
      return paginate(request.url, request.query, async (limit, offset) =>
        (await r.subscriptions.list({ channel, event, limit, offset })).map(view),
      );
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    "/subscriptions/:id",
    { schema: { tags, summary: "A subscription", params: Params } },
    async (request) => view(await r.subscriptions.get(request.params.id)),
  );

  app.patch<{ Params: Static<typeof Params>; Body: Static<typeof PatchBody> }>(
    "/subscriptions/:id",
    { schema: { tags, summary: "Change a subscription", params: Params, body: PatchBody } },
    async (request) => view(await checked(() => r.subscriptions.update(request.params.id, request.body))),
  );

  app.delete<{ Params: Static<typeof Params> }>(
    "/subscriptions/:id",
    { schema: { tags, summary: "Delete a subscription and its delivery log", params: Params } },
    async (request, reply) => {
      await r.subscriptions.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof DeliveryQuery> }>(
    "/subscriptions/:id/deliveries",
    {
      schema: {
        tags,
        summary: "A subscription's deliveries, newest first (attempts, response status, last error)",
        params: Params,
        querystring: DeliveryQuery,
      },
    },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.subscriptions.deliveries({
            subscriptionId: request.params.id,
            status: request.query.status,
            limit,
            offset,
          })
        ).map(deliveryView),
      ),
  );

  app.get<{ Querystring: Static<typeof AllDeliveryQuery> }>(
    "/deliveries",
    {
      schema: {
        tags,
        summary: "Every delivery of the workspace, newest first",
        querystring: AllDeliveryQuery,
      },
    },
    async (request) =>
      paginate(request.url, request.query, async (limit, offset) =>
        (
          await r.subscriptions.deliveries({
            subscriptionId: request.query.subscriptionId,
            status: request.query.status,
            limit,
            offset,
          })
        ).map(deliveryView),
      ),
  );
}
