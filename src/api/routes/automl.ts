import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

export async function automlRoutes(_app: FastifyInstance, _deps: AppDeps) {}
