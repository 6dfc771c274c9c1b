// The two Liquid engines every renderer uses: one for HTML, where every output
// is HTML-escaped unless a template says `| raw`, and one for subject lines
// and the plain-text part, where escaping would show "&amp;" to the reader.
// Worker-safe: liquidjs resolves to its browser build there; no node:* here.
import { Liquid } from 'liquidjs';

export interface LiquidEngines {
  html: Liquid;
  text: Liquid;
}

export function createLiquidEngines(): LiquidEngines {
  // strictFilters: a misspelt filter is a parse error, caught by `rekindle
  // validate`, instead of an output that silently vanishes.
  return {
    html: new Liquid({ outputEscape: 'escape', strictFilters: true }),
    text: new Liquid({ strictFilters: true }),
  };
}
