// What compiling an MJML template produces and what the Worker bundle carries:
// responsive HTML that still holds the template's Liquid, plus a plain-text
// twin derived from it at compile time. Types and the placeholder rule only;
// nothing here may import node:* or mjml, because the Worker imports it.

export interface CompiledTemplate {
  /** SHA-256 (hex) of the MJML source with partials resolved: the compile cache key. */
  hash: string;
  /** MJML's HTML output with the Liquid of the source put back; filled per recipient. */
  html: string;
  /** Plain text derived from `html`, Liquid kept; filled per recipient without HTML escaping. */
  text: string;
}

/**
 * Liquid outputs ({{ }}) and tags ({% %}). A `}}` or `%}` inside a quoted
 * Liquid string would end a match early; templates have no reason to write one.
 */
export const liquidPattern = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
