import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

export async function datasetRoutes(_app: FastifyInstance, _deps: AppDeps) {}
