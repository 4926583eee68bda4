import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

export async function jobRoutes(_app: FastifyInstance, _deps: AppDeps) {}
