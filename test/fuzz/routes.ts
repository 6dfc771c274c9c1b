// Every route's request generator in one map, for the Node test, the long
// `npm run fuzz` run and the workerd test alike.
import type fc from 'fast-check';
import { jsonRouteCases } from './api-routes.ts';
import { type FuzzCase, type FuzzContext, type RouteName, routeNames } from './fuzz-case.ts';
import { getRouteCases } from './get-routes.ts';
import { publicRouteCases } from './public-routes.ts';

export function routeCases(ctx: FuzzContext): Record<RouteName, fc.Arbitrary<FuzzCase>> {
  const all = { ...jsonRouteCases(ctx), ...getRouteCases(ctx), ...publicRouteCases(ctx) };
  for (const name of routeNames) if (!all[name]) throw new Error(`no generator for route '${name}'`);
  return all as Record<RouteName, fc.Arbitrary<FuzzCase>>;
}
